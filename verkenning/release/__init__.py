"""Release: immutable, versioned publication of a wave in two tiers, public (aggregates) and scientific_use (microdata)."""

from verkenning.release.publish import (
    SCIENTIFIC_USE_ONLY_TABLES,
    TIER_TABLES,
    TIERS,
    ReleaseInputs,
    ReleaseOutcome,
    TierInputs,
    content_fingerprint,
    is_tiered_release,
    list_releases,
    neutralise_formulas,
    publish_release,
    read_published_tables,
    read_release_record,
    tables_by_tier,
    tier_path,
    verify_release,
)

__all__ = [
    "SCIENTIFIC_USE_ONLY_TABLES",
    "TIERS",
    "TIER_TABLES",
    "ReleaseInputs",
    "ReleaseOutcome",
    "TierInputs",
    "content_fingerprint",
    "is_tiered_release",
    "list_releases",
    "neutralise_formulas",
    "publish_release",
    "read_published_tables",
    "read_release_record",
    "tables_by_tier",
    "tier_path",
    "verify_release",
]
