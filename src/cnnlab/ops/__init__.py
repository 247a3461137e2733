"""cnnlab.ops."""
