"""`make eval-privacy`: how well the text de-identifier does on the hand-annotated gold set of survey answers.

    python -m pipelines.eval_privacy [--gold PATH] [--all]

Prints recall, precision and F2 per kind of identifier, the over-redaction of clean answers, and the misses and
false positives (the first 40 of each; --all for every one). Always exits 0: it measures, the targets are tests
(tests/test_privacy_evaluation.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from verkenning.anonymise.evaluation import GOLD_FILE, evaluate, format_report, load_gold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.eval_privacy", description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_FILE, help=f"gold file (default: {GOLD_FILE})")
    parser.add_argument("--all", action="store_true", help="list every miss and false positive, not the first 40")
    args = parser.parse_args(argv)
    evaluation = evaluate(load_gold(args.gold))
    print(format_report(evaluation, limit=None if args.all else 40))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
