"""Use cases shared by the CLI and the web: import a dataset, build a matrix, validate a profile."""
