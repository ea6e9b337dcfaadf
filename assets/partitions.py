"""Waves are partitions: one dynamic partition per folder under <data>/inbox/."""

import dagster as dg

waves = dg.DynamicPartitionsDefinition(name="waves")
