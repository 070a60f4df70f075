"""The `eternal` command line."""
