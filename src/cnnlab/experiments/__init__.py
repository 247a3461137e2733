"""cnnlab.experiments."""
