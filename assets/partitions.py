"""Waves are partitions: one dynamic partition per folder under <data>/inbox/."""

import warnings

import dagster as dg

waves = dg.DynamicPartitionsDefinition(name="waves")

# Asset checks are partitioned by wave like their assets (unpartitioned, a check reads every wave's partition
# and fails once a second wave exists). Dagster 1.13 calls that a preview; said once here, not on every start.
warnings.filterwarnings("ignore", message="Specifying a partitions_def on an AssetCheckSpec", category=dg.PreviewWarning)
