"""Release: immutable, versioned publication of a wave's marts and anonymised microdata (Parquet, CSV, Excel)."""

from verkenning.release.publish import (
    ReleaseInputs,
    ReleaseOutcome,
    content_fingerprint,
    list_releases,
    neutralise_formulas,
    publish_release,
    verify_release,
)

__all__ = [
    "ReleaseInputs",
    "ReleaseOutcome",
    "content_fingerprint",
    "list_releases",
    "neutralise_formulas",
    "publish_release",
    "verify_release",
]
