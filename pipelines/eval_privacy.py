"""`make eval-privacy`: how well the text de-identifier does on the hand-annotated gold set of survey answers.

    python -m pipelines.eval_privacy [--gold PATH] [--all] [--plain-deduce]

Prints recall, precision and F2 per kind of identifier, the over-redaction of clean answers, and the misses and
false positives (the first 40 of each; --all for every one). Always exits 0: it measures, the targets are tests
(tests/test_privacy_evaluation.py). --plain-deduce scores plain deduce instead (its default processors, as the
benchmark's baseline script runs it), for comparison.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from verkenning.anonymise.evaluation import GOLD_FILE, evaluate, format_report, load_gold, plain_deduce_finder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.eval_privacy", description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_FILE, help=f"gold file (default: {GOLD_FILE})")
    parser.add_argument("--all", action="store_true", help="list every miss and false positive, not the first 40")
    parser.add_argument("--plain-deduce", action="store_true", help="score plain deduce (as the benchmark's baseline runs it)")
    args = parser.parse_args(argv)
    evaluation = evaluate(load_gold(args.gold), plain_deduce_finder() if args.plain_deduce else None)
    if args.plain_deduce:
        print("PLAIN DEDUCE (its default processors, as the benchmark's baseline runs it), not the project's de-identifier:")
    print(format_report(evaluation, limit=None if args.all else 40))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
