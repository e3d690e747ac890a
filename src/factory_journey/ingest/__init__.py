"""Readers of user files (CSV, XLSX, JSON, Parquet) into validated tables with located problems."""
