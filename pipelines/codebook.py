"""`make codebook LSS=...`: a codebook imported from LimeSurvey's structure file (.lss), and codebooks compared.

    python -m pipelines.codebook import path/to/survey.lss [--out PATH] [--against CODEBOOK] [--force]
    python -m pipelines.codebook diff OLD.yaml NEW.yaml

`import` writes a commented questionnaire.yaml for the data steward to complete (beside the .lss unless --out is
given; an existing file only with --force; never into a wave folder of the inbox), prints what could not be
imported and, when the import validates, how it differs from the project's codebook (or --against). Exits 0 when
done, 1 on an error, with one line that names the file and the element.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from schemas.codebook import PROJECT_CODEBOOK, Codebook, CodebookError, load_codebook
from schemas.codebook_diff import diff_codebooks, format_diff
from schemas.lss import read_lss, render_yaml
from verkenning.data_folder import WAVE_NAME


class CommandError(Exception):
    """A refusal with its one-line message."""


def _indented(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


def in_wave_folder(path: Path) -> bool:
    """Whether `path` lies in <data>/inbox/<wave>/ (the sensor reads its .yaml; questionnaire.yaml is its codebook)."""
    folder = path.resolve().parent
    return folder.parent.name == "inbox" and bool(WAVE_NAME.match(folder.name))


def import_lss(lss: Path, out: Path | None, against: Path | None, force: bool) -> None:
    """Write the imported codebook, print its warnings and its differences from `against` (or the project's)."""
    result = read_lss(lss)
    out = out or lss.parent / "questionnaire.yaml"
    if in_wave_folder(out):
        # An unreviewed draft there would start a run at once, with every question an answer or open text.
        raise CommandError(f"{out}: a draft codebook must not land in a wave folder of the inbox (it would start a run "
                           "before it is reviewed); write it elsewhere with --out, complete it, then copy it in")
    if out.exists() and not force:
        raise CommandError(f"{out}: already exists; pass --force to overwrite it, or --out to write another file")
    # Read the codebook to compare with before writing: --out may replace it.
    reference: Codebook | None = None
    try:
        reference = load_codebook(against or PROJECT_CODEBOOK)
    except CodebookError as exc:
        if against is not None:
            raise
        print(f"not compared with the project codebook: {exc}")
    try:
        out.write_text(render_yaml(result), encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"{out}: cannot be written ({exc.strerror})") from None
    questions = result.document["questions"]
    print(f"{out}: {len(questions)} questions imported from {lss}; complete its TODOs before a wave uses it")
    if result.warnings:
        print(f"{len(result.warnings)} warning(s):")
        print(_indented("\n".join(result.warnings)))
    try:
        imported = load_codebook(out)
    except CodebookError as exc:
        if against is not None:
            raise CommandError(f"not compared with {against}: the imported codebook does not validate ({exc})") from None
        print(f"not compared with the project codebook: the imported codebook does not validate yet ({exc})")
        return
    if reference is not None:
        print(f"differences from {reference.source}:")
        print(_indented(format_diff(diff_codebooks(reference, imported))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.codebook", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    importing = commands.add_parser("import", help="write a questionnaire.yaml from a LimeSurvey structure file (.lss)")
    importing.add_argument("lss", type=Path, help="the survey's structure file (.lss)")
    importing.add_argument("--out", type=Path, help="where to write (default: questionnaire.yaml beside the .lss)")
    importing.add_argument("--against", type=Path, help=f"codebook to compare with (default: {PROJECT_CODEBOOK.name} of the project)")
    importing.add_argument("--force", action="store_true", help="overwrite an existing file")
    comparing = commands.add_parser("diff", help="what changed between two codebooks")
    comparing.add_argument("old", type=Path)
    comparing.add_argument("new", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "import":
            import_lss(args.lss, args.out, args.against, args.force)
        else:
            print(format_diff(diff_codebooks(load_codebook(args.old), load_codebook(args.new))))
    except (CodebookError, CommandError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
