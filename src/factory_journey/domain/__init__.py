"""Typed models at the boundaries: facility profile, dataset tables, units, problems.

Pure: imports only the standard library, pydantic, pint, polars and `factory_journey.reference`.
"""
