"""Loaded once per run by the server that every step of the run is forked from (see STEP_EXECUTOR in
pipelines/definitions.py): what takes seconds to load is loaded here, once, instead of in each step.
"""

import pipelines.definitions  # noqa: F401  (dagster, pandas and every zone's assets)
from verkenning.anonymise.text import load_deduce
from verkenning.quality import import_great_expectations

load_deduce()  # deduce's lookup lists: about 2 s, and 1 GiB shared by every step forked afterwards
import_great_expectations()  # about 4 s
