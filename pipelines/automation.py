"""Automation for data stewards and scheduled refreshes: a sensor on the inbox and a weekly refresh."""

import dagster as dg

from assets.partitions import waves
from pipelines.resources import VerkenningSettings
from verkenning.inbox import changed_since_last_release, wave_inputs

PROCESS_WAVE_JOB = "process_wave"
PUBLISH_RELEASE_JOB = "publish_release"

# Every run of a wave, however launched (sensor, schedule, a steward's click in the UI), carries a `wave` tag.
WAVE_TAGGED = dg.PartitionedConfig(
    partitions_def=waves, run_config_for_partition_key_fn=lambda _: {}, tags_for_partition_key_fn=lambda key: {"wave": key}
)

process_wave = dg.define_asset_job(
    PROCESS_WAVE_JOB,
    selection=dg.AssetSelection.all(),
    partitions_def=waves,
    config=WAVE_TAGGED,
    description="Process a wave: read its inbox files, build every zone's tables, check them and publish a release.",
)
publish_release = dg.define_asset_job(
    PUBLISH_RELEASE_JOB,
    selection=dg.AssetSelection.groups("release"),
    partitions_def=waves,
    config=WAVE_TAGGED,
    description="Publish a release of a wave from the marts as they are now (nothing is recomputed).",
)


@dg.sensor(job=process_wave, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
def inbox_sensor(context: dg.SensorEvaluationContext, settings: VerkenningSettings) -> dg.SensorResult:
    """Watches <data>/inbox/: a new wave folder becomes a partition; a new or changed file requests a run of its wave."""
    folder = settings.folder
    known = set(context.instance.get_dynamic_partitions(waves.name))
    names = folder.waves()
    new = [name for name in names if name not in known]
    requests = []
    for name in names:
        inputs = wave_inputs(folder.wave_dir(name))
        if not inputs.files or not inputs.settled:
            continue  # an empty folder, or files still being copied: look again next time
        # The run key holds the files' hashes: an unchanged file never triggers twice, a corrected one always does.
        requests.append(
            dg.RunRequest(run_key=f"{name}:{inputs.fingerprint}", partition_key=name, tags={"wave": name, "trigger": "inbox"})
        )
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[waves.build_add_request(new)] if new else [],
    )


@dg.schedule(
    job=process_wave,
    cron_schedule="0 6 * * 1",
    execution_timezone="Europe/Amsterdam",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every Monday 06:00: refresh every wave whose files or codebook changed since its last release.",
)
def weekly_refresh(context: dg.ScheduleEvaluationContext, settings: VerkenningSettings) -> list[dg.RunRequest]:
    folder = settings.folder
    known = set(context.instance.get_dynamic_partitions(waves.name))
    requests = []
    for name in folder.waves():
        inputs = wave_inputs(folder.wave_dir(name))
        if name in known and inputs.files and changed_since_last_release(inputs, folder.releases):
            requests.append(
                dg.RunRequest(
                    run_key=f"refresh:{name}:{inputs.fingerprint}", partition_key=name,
                    tags={"wave": name, "trigger": "weekly refresh"},
                )
            )
    return requests
