"""verkenning: plain, typed transformations of the AI-in-culture exploration, importable without Dagster.

The Dagster assets in `assets/` are thin wrappers around the functions in this package.
"""
