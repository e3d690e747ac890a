"""Vectorised computation over many facility-years (polars). Pure: no I/O, no printing.

One implementation of each rule; a single facility goes through the same code as a million.
"""
