"""A small self-contained platform backend: a demo course from a data file, rendered for real."""
