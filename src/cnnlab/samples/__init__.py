"""cnnlab.samples."""
