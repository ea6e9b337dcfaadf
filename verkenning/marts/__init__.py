"""Marts: analysis-ready tables in long format, protected against disclosure."""
