"""cnnlab.viz."""
