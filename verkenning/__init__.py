"""verkenning: plain, typed transformations of the AI-in-culture exploration, importable without Dagster.

The Dagster assets in `assets/` are thin wrappers around the functions in this package.
"""

import pandas as _pandas

# Text columns are declared "string"; stored in Arrow they take about half the memory of Python objects and
# their vectorised string methods run in Arrow's C++ instead of a Python loop (issue 14).
_pandas.set_option("mode.string_storage", "pyarrow")
