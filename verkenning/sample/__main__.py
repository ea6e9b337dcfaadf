"""Command line: write a synthetic wave, e.g. `python -m verkenning.sample --out data/inbox/2024-01`."""

from __future__ import annotations

import argparse
from pathlib import Path

from verkenning.sample import EXPORT_FORMATS, write_sample_wave


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verkenning.sample", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    parser.add_argument("--respondents", type=int, default=215, help="completed, unique, non-test people")
    parser.add_argument("--seed", type=int, default=20240131)
    parser.add_argument("--export-format", choices=EXPORT_FORMATS, default="csv")
    parser.add_argument("--corrupt-share", type=float, default=0.0,
                        help="share of rows that get an answer code the codebook does not know")
    parser.add_argument("--no-workshops", action="store_true", help="do not write the workshop workbooks")
    parser.add_argument("--no-withdrawals", action="store_true", help="do not write withdrawals.csv")
    args = parser.parse_args(argv)
    try:
        summary = write_sample_wave(
            args.out,
            respondents=args.respondents,
            seed=args.seed,
            export_format=args.export_format,
            corrupt_share=args.corrupt_share,
            workshops=not args.no_workshops,
            withdrawals=not args.no_withdrawals,
        )
    except ValueError as exc:
        parser.error(str(exc))
    print(f"{args.out}: {summary.line()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
