"""Resources built from the environment: where the data folder is and the thresholds of the quality gates."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import pandas as pd

from schemas.codebook import Codebook
from schemas.table_specs import Zone
from verkenning.data_folder import DataFolder, data_dir_from_environment
from verkenning.lake import LakeLocation

MAX_QUARANTINE_SHARE_VARIABLE = "VERKENNING_MAX_QUARANTINE_SHARE"
DEFAULT_MAX_QUARANTINE_SHARE = 0.05
K_VARIABLE = "VERKENNING_K"
DEFAULT_K = 5
SUPPRESSION_ORDER_VARIABLE = "VERKENNING_SUPPRESSION_ORDER"
MIN_COUNT_VARIABLE = "VERKENNING_MIN_COUNT"
DEFAULT_MIN_COUNT = 5
L_DIVERSITY_VARIABLE = "VERKENNING_L_DIVERSITY"


class VerkenningSettings(dg.ConfigurableResource):
    """The data folder and the thresholds every zone shares."""

    data_dir: str
    # Above this share of quarantined rows a wave is not fit to publish (blocking); below it, a warning.
    max_quarantine_share: float = DEFAULT_MAX_QUARANTINE_SHARE
    # Every combination of the coarsened background variables occurs at least k times in released microdata.
    k: int = DEFAULT_K
    # Overrides the codebook's importance of the quasi-identifiers: their codes, least important first
    # (comma-separated); empty: each wave's codebook says.
    suppression_order: str = ""
    # With 2 or more: every class of the released background holds at least this many distinct answers to each
    # question the codebook marks sensitive; 0: not enforced (the figure is still reported).
    l_diversity: int = 0
    # Published counts above 0 and below this are suppressed; means and shares on fewer respondents too.
    min_count: int = DEFAULT_MIN_COUNT

    @property
    def folder(self) -> DataFolder:
        return DataFolder(Path(self.data_dir))

    @property
    def suppression_order_codes(self) -> list[str]:
        return [code.strip() for code in self.suppression_order.split(",") if code.strip()]


class RestrictedParquetIOManager(dg.ConfigurableIOManager):
    """Stores restricted-zone tables as one Parquet file per table and wave.

    Asset keys are [layer, table] (e.g. raw/survey_responses); the file is
    <data>/restricted/<layer>/<table>/<wave>.parquet, so two waves never write the same file, and
    nothing of the restricted zone is ever written into the analysis zone's catalog.
    """

    data_dir: str

    def _path(self, context: dg.OutputContext | dg.InputContext) -> Path:
        layer, table = context.asset_key.path[-2:]
        return DataFolder(Path(self.data_dir)).restricted_table(layer, table, context.asset_partition_key)

    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame) -> None:
        path = self._path(context)
        DataFolder(Path(self.data_dir)).ensure_zones()
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".parquet.partial")
        # Owner only, like the folder: personal data is not for other users of the machine, even by mistake.
        partial.touch(mode=0o600)
        partial.chmod(0o600)
        obj.to_parquet(partial, index=False)
        partial.replace(path)  # readers never see a half-written table
        # no preview: the restricted zone's values stay off the UI
        # Raw and staged tables hold text as typed; from the anonymised layer on, text is de-identified.
        zone = "staged" if context.asset_key.path[-2] in ("raw", "staged") else "analysis"
        context.add_output_metadata(describe_table(obj, _wave_codebook(self.data_dir, context.asset_partition_key), zone))

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        path = self._path(context)
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist: materialise {context.asset_key.to_user_string()} for this wave first")
        return pd.read_parquet(path)


LAKE_CATALOG_VARIABLE = "VERKENNING_DUCKLAKE_CATALOG"
LAKE_DATA_PATH_VARIABLE = "VERKENNING_DUCKLAKE_DATA_PATH"
LAKE_WRITER_POOL = "ducklake_writer"


def _wave_codebook(data_dir: str, wave: str) -> Codebook:
    """The codebook a wave was read with (its own questionnaire.yaml, or the project's)."""
    from schemas.codebook import codebook_for_wave

    return codebook_for_wave(DataFolder(Path(data_dir)).wave_dir(wave))


def describe_table(frame: pd.DataFrame, codebook: Codebook, zone: Zone = "analysis") -> dict[str, object]:
    """Column schema (with descriptions from the wave's column specifications) and row count, for the asset page."""
    from verkenning.release.explanation import column_descriptions

    descriptions = column_descriptions({"table": frame}, codebook, zone)["table"]
    schema = dg.TableSchema(
        columns=[dg.TableColumn(name=str(c), type=str(frame[c].dtype), description=descriptions.get(c)) for c in frame.columns]
    )
    return {"dagster/column_schema": schema, "dagster/row_count": len(frame)}


def preview_markdown(frame: pd.DataFrame, rows: int = 10) -> str:
    """The first rows of a public aggregate table as markdown. Never for microdata or free text: metadata is
    stored in the Dagster instance, which is not an analysis zone."""
    head = frame.head(rows).astype(object).where(frame.head(rows).notna(), "")
    text = head.map(lambda v: str(v).replace("\n", " ").replace("|", "/")[:60])
    lines = ["| " + " | ".join(map(str, text.columns)) + " |", "|" + "---|" * len(text.columns)]
    lines += ["| " + " | ".join(row) + " |" for row in text.itertuples(index=False)]
    return "\n".join(lines)


def lake_location(data_dir: str) -> LakeLocation:
    """The embedded catalog under <data>/analysis/, unless the environment points elsewhere (PostgreSQL, object storage)."""
    embedded = LakeLocation.embedded(DataFolder(Path(data_dir)).analysis)
    catalog, data_path = os.environ.get(LAKE_CATALOG_VARIABLE), os.environ.get(LAKE_DATA_PATH_VARIABLE)
    if not catalog and not data_path:
        return embedded
    return LakeLocation(catalog=catalog or embedded.catalog, data_path=data_path or embedded.data_path)


def lake_table_name(asset_key: dg.AssetKey) -> str:
    """The analysis zone's name of a checked table: [marts, question_frequencies] is `question_frequencies`,
    [anonymised, respondents] is `anonymised_respondents`."""
    layer, table = asset_key.path[-2:]
    return table if layer == "marts" else f"{layer}_{table}"


def settings_from_environment() -> VerkenningSettings:
    share = os.environ.get(MAX_QUARANTINE_SHARE_VARIABLE)
    k = os.environ.get(K_VARIABLE)
    return VerkenningSettings(
        data_dir=str(data_dir_from_environment()),
        max_quarantine_share=float(share) if share else DEFAULT_MAX_QUARANTINE_SHARE,
        k=int(k) if k else DEFAULT_K,
        suppression_order=os.environ.get(SUPPRESSION_ORDER_VARIABLE) or "",
        l_diversity=int(os.environ.get(L_DIVERSITY_VARIABLE) or 0),
        min_count=int(os.environ.get(MIN_COUNT_VARIABLE) or DEFAULT_MIN_COUNT),
    )


def resources_for(data_dir: Path | str, **settings: object) -> dict[str, object]:
    """The resources of a run against one data folder (also what the tests use with a temporary folder)."""
    return {
        "settings": VerkenningSettings(data_dir=str(data_dir), **settings),
        "restricted_io_manager": RestrictedParquetIOManager(data_dir=str(data_dir)),
    }
