"""A plain, hand-written script that does the pipeline's work on one wave folder: the baseline of issue 14.

    python -m benchmarks.baseline <data>/inbox/<wave> <output folder> [--processes 2]

What a data analyst would write without the project: pandas and deduce, no orchestration, almost no checks.
It reads the survey export, the withdrawals and the workshop workbooks; drops incomplete, test, duplicate and
withdrawn responses; pseudonymises (HMAC-SHA256 of the e-mail address or token); coarsens the background
questions to the codebook's groups and suppresses rare combinations (k = 5, column by column); de-identifies
every free text with deduce in a pool of 2 processes; counts frequencies, crosstabs and scale summaries with
counts 1 to 4 suppressed; and writes every table as Parquet and into one DuckDB file.

It knows the questionnaire from the codebook (schemas.codebook), as a script writer would know it by heart;
it uses none of the pipeline's own processing code (verkenning.*). Offline and deterministic.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import logging
import os
import re
import sys
import time
from multiprocessing import get_context
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from schemas.codebook import codebook_for_wave

K = 5
MIN_COUNT = 5  # counts 1..4 are suppressed
SAMPLE_KEY = "SAMPLE-KEY-not-secret-for-the-synthetic-sample-only"
TEXT_CHUNK = 200  # texts per task sent to a worker

# --- reading -------------------------------------------------------------------------------------


def read_export(wave_dir: Path) -> pd.DataFrame:
    path = next(p for p in sorted(wave_dir.iterdir()) if p.suffix.lower() == ".csv" and p.name != "withdrawals.csv")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def read_withdrawals(wave_dir: Path) -> pd.DataFrame:
    path = wave_dir / "withdrawals.csv"
    if not path.is_file():
        return pd.DataFrame({"token": [], "email": []}, dtype=str)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


SHEETS = {  # sheet name -> (table, columns as the facilitators head them, our names)
    "Deelnemers": ("attendance", ["Naam", "E-mail", "Organisatie", "Sector", "Tafel"], ["name", "email", "organisation", "sector", "table"]),
    "Stand van zaken": ("sticky_notes", ["Tafel", "Categorie", "Notitie", "Auteur"], ["table", "category", "note", "author"]),
    "Toekomst 2030": ("statements", ["Tafel", "Stelling", "Eens", "Neutraal", "Oneens"], ["table", "statement", "agree", "neutral", "disagree"]),
    "Ondersteuning": ("support_needs", ["Tafel", "Behoefte", "Thema", "Stemmen"], ["table", "need", "theme", "votes"]),
}
CATEGORIES = {"toepassing": "Toepassing", "toepassingen": "Toepassing", "gebruik": "Toepassing",
              "kans": "Kans", "kansen": "Kans", "mogelijkheid": "Kans", "mogelijkheden": "Kans",
              "zorg": "Zorg", "zorgen": "Zorg", "zorgpunt": "Zorg", "zorgpunten": "Zorg", "bezorgdheid": "Zorg",
              "risico": "Zorg", "risico's": "Zorg", "risicos": "Zorg"}


def clean(value: object) -> str | None:
    text = re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""
    return text or None


def read_workshops(wave_dir: Path) -> dict[str, pd.DataFrame]:
    """Every workshop_<date>_<place>.xlsx: one table per sheet kind, the meeting taken from the file name."""
    parts: dict[str, list[pd.DataFrame]] = {table: [] for table, _, _ in SHEETS.values()}
    for path in sorted(wave_dir.glob("workshop_*.xlsx")):
        meeting = path.stem.removeprefix("workshop_")
        book = CalamineWorkbook.from_path(str(path))
        for sheet in book.sheet_names:
            if sheet.strip() not in SHEETS:
                continue
            table, heads, names = SHEETS[sheet.strip()]
            rows = book.get_sheet_by_name(sheet).to_python()
            header = next(i for i, row in enumerate(rows) if [clean(c) for c in row[: len(heads)]] == heads)
            frame = pd.DataFrame([row[: len(heads)] for row in rows[header + 1:]], columns=names)
            frame = frame[frame.map(clean).notna().any(axis=1)]  # blank rows
            parts[table].append(frame.assign(meeting=meeting))
    return {table: pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["meeting"])
            for table, frames in parts.items()}


def parse_count(value: object) -> float:
    """3, "3", "3 stemmen", "III", "•••", "geen" -> a number; anything else missing."""
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().lower()
    if text in ("", "geen", "-"):
        return 0.0 if text else np.nan
    if m := re.fullmatch(r"x?\s*(\d+)(?:[.,]0+)?\s*[a-z×]*\.?", text):
        return float(m[1])
    if set(text.replace(" ", "")) <= set("il|•·●*x✓"):
        return float(len(text.replace(" ", "")))
    return np.nan


def stage_workshops(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    for frame in tables.values():
        if "table" in frame:
            frame["table"] = frame["table"].map(lambda t: re.sub(r"^(tafel|table)\s*", "", str(clean(t) or ""), flags=re.I).removesuffix(".0") or None)
    notes = tables["sticky_notes"]
    notes["note"] = notes["note"].map(lambda t: str(t).strip() or None)
    notes["category"] = notes["category"].map(lambda c: CATEGORIES.get(str(clean(c) or "").lower().rstrip(".:")))
    statements = tables["statements"]
    statements["statement"] = statements["statement"].map(clean)
    for column in ("agree", "neutral", "disagree"):
        statements[column] = statements[column].map(parse_count)
    needs = tables["support_needs"]
    needs["need"], needs["theme"] = needs["need"].map(clean), needs["theme"].map(lambda t: (clean(t) or "").capitalize() or None)
    needs["votes"] = needs["votes"].map(parse_count)
    return {"sticky_notes": notes.dropna(subset=["note", "category"]), "statements": statements.dropna(subset=["statement"]),
            "support_needs": needs.dropna(subset=["need"]), "attendance": tables["attendance"]}


# --- cleaning --------------------------------------------------------------------------------------


def clean_survey(raw: pd.DataFrame, withdrawals: pd.DataFrame, codebook) -> pd.DataFrame:
    """Codes normalised; withdrawn, test, incomplete and duplicate responses dropped (latest completed one kept)."""
    df = raw.copy()
    for column in codebook.coded_columns():
        codes = df[column].str.strip().str.upper().replace("-OTH-", "-oth-")
        df[column] = codes.where(codes != "")
    for column in ["token", *[c for q in codebook.questions for c in q.text_columns()]]:
        text = df[column].str.strip()
        df[column] = text.where(text != "")
    for question in codebook.questions:  # answers to a question its condition hid are removed
        if question.shown_if:
            condition, given = question.shown_if, df[question.shown_if.question]
            shown = (given != condition.codes[0]) if condition.operator == "!=" else given.isin(condition.codes)
            df.loc[~(shown & given.notna()), question.export_columns()] = None
    email_code = codebook.linking_email()
    email = df[email_code].str.lower().str.replace(r"\s+", "", regex=True)
    df["_email"] = email.where(email != "")
    for column in ("submitdate", "startdate"):
        df[column] = pd.to_datetime(df[column], format="%Y-%m-%d %H:%M:%S", errors="coerce")

    tokens = set(withdrawals["token"].str.strip()) - {""}
    emails = set(withdrawals["email"].str.lower().str.replace(r"\s+", "", regex=True)) - {""}
    withdrawn = df["token"].isin(tokens) | df["_email"].isin(emails)
    # the same person's other responses (same token or e-mail) go too
    withdrawn |= df["token"].isin(set(df.loc[withdrawn, "token"].dropna())) | df["_email"].isin(set(df.loc[withdrawn, "_email"].dropna()))
    test = df["token"].fillna("").str.lower().str.startswith("test") | (df["startdate"] < pd.Timestamp(codebook.fielded_from))
    df = df[~withdrawn & ~test & df["submitdate"].notna()]
    # one person: the same e-mail address, or the same token (a response without e-mail gets its token's address)
    email_of_token = df.dropna(subset=["token", "_email"]).drop_duplicates("token").set_index("token")["_email"]
    person = df["_email"].fillna(df["token"].map(email_of_token)).fillna(df["token"]).fillna("id:" + df["id"])
    df = df.assign(_person=person).sort_values(["_person", "submitdate", "id"]).drop_duplicates("_person", keep="last")
    return df.sort_values("id", key=lambda s: s.astype(int)).reset_index(drop=True)


# --- anonymising -----------------------------------------------------------------------------------


def pseudonyms(df: pd.DataFrame, key: bytes) -> pd.Series:
    material = ("email:" + df["_email"]).fillna("token:" + df["token"]).fillna("response:" + df["id"])
    return material.map(lambda text: hmac.new(key, text.encode(), hashlib.sha256).hexdigest())


def k_anonymise(groups: pd.DataFrame, importance: dict[str, int], k: int = K) -> pd.DataFrame:
    """Locally suppress (set missing) the least important background value of records in classes under k."""
    groups = groups.copy()
    columns = list(groups.columns)

    def small() -> pd.Series:
        sizes = groups.fillna("-").groupby(columns)[columns[0]].transform("size")
        return sizes < k

    for column in sorted(columns, key=lambda c: importance[c]):
        rare = small()
        if not rare.any():
            break
        groups.loc[rare, column] = None
    groups.loc[small(), columns] = None  # what is still rare loses its whole background
    return groups


_deduce = None


def _start_worker() -> None:
    global _deduce
    import deduce

    _deduce = deduce.Deduce()
    logging.getLogger().setLevel(logging.WARNING)


def _deidentify(texts: list[str]) -> list[str]:
    return [_deduce.deidentify(text).deidentified_text for text in texts]


def deidentify_all(texts: list[str], processes: int) -> dict[str, str]:
    """Every distinct text de-identified by deduce, shared out over a pool of processes."""
    distinct = sorted(set(texts))
    chunks = [distinct[i:i + TEXT_CHUNK] for i in range(0, len(distinct), TEXT_CHUNK)]
    with get_context("spawn").Pool(processes, initializer=_start_worker) as pool:
        done = [text for chunk in pool.map(_deidentify, chunks) for text in chunk]
        pool.close()
        pool.join()
    return dict(zip(distinct, done))


# --- aggregating -----------------------------------------------------------------------------------


def suppress(frame: pd.DataFrame) -> pd.DataFrame:
    small = frame["n"].between(1, MIN_COUNT - 1)
    frame["pct"] = (100 * frame["n"] / frame["base_n"].where(frame["base_n"] > 0)).round(1)
    frame.loc[small, ["n", "pct"]] = np.nan
    frame.loc[frame["base_n"].between(1, MIN_COUNT - 1), "pct"] = np.nan
    frame["suppressed"] = small
    return frame


def items(codebook):
    """(question, item, column, options, multi) of every distribution to count."""
    for q in codebook.questions:
        if q.role == "quasi_identifier":
            yield q.code, "", f"{q.code}_group", list(q.group_labels), False
        elif q.role == "answer" and q.type == "single":
            yield q.code, "", q.code, [c for c, o in q.options.items() if not o.missing], False
        elif q.role == "answer" and q.type == "array":
            for s in q.statements:
                yield q.code, s, q.item_column(s), [c for c, o in q.options.items() if not o.missing], False
        elif q.role == "answer" and q.type == "multi":
            for o in q.options:
                yield q.code, o, q.item_column(o), ["Y"], True


def count(frame: pd.DataFrame, column: str, options: list[str], multi: bool, multi_answered: pd.Series | None) -> list[tuple[str, int, int]]:
    if multi:
        answered = multi_answered[frame.index]
        return [("Y", int((frame.loc[answered, column] == "Y").sum()), int(answered.sum()))]
    values = frame[column].dropna()
    values = values[values.isin(options)]
    counts = values.value_counts()
    return [(option, int(counts.get(option, 0)), len(values)) for option in options]


def frequencies(resp: pd.DataFrame, codebook, breakdowns: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    answered = {q.code: resp[[q.item_column(o) for o in q.options] + ([q.other_column] if q.other else [])].notna().any(axis=1)
                for q in codebook.questions if q.type == "multi"}
    groups = [(b.removesuffix("_group"), g, members) for b in breakdowns for g, members in resp.groupby(resp[b].fillna("UNKNOWN"))]
    freq, cross = [], []
    for question, item, column, options, multi in items(codebook):
        for option, n, base in count(resp, column, options, multi, answered.get(question)):
            freq.append((question, item, option, n, base))
        if column.endswith("_group"):
            continue
        for breakdown, group, members in groups:
            for option, n, base in count(members, column, options, multi, answered.get(question)):
                cross.append((breakdown, group, question, item, option, n, base))
    columns = ["question_code", "item_code", "option_code", "n", "base_n"]
    return (suppress(pd.DataFrame(freq, columns=columns)),
            suppress(pd.DataFrame(cross, columns=["breakdown", "breakdown_group", *columns])))


def scale_summaries(resp: pd.DataFrame, codebook, breakdowns: list[str]) -> pd.DataFrame:
    groups = [(b.removesuffix("_group"), g, members.index) for b in breakdowns for g, members in resp.groupby(resp[b].fillna("UNKNOWN"))]
    rows = []
    for q in codebook.questions:
        values = {c: o.value for c, o in q.options.items() if o.value is not None}
        if q.role != "answer" or not values:
            continue
        for item in (q.statements or [""]):
            column = q.item_column(item) if item else q.code
            numbers = resp[column].map(values).astype(float)
            for breakdown, group, x in [("", "", numbers)] + [(b, g, numbers[index]) for b, g, index in groups]:
                x = x.dropna()
                shown = len(x) >= MIN_COUNT
                rows.append({"breakdown": breakdown, "breakdown_group": group, "question_code": q.code, "item_code": item,
                             "n_valid": len(x), "mean": round(x.mean(), 2) if shown else None,
                             "sd": round(x.std(), 2) if shown else None, "median": x.median() if shown else None})
    return pd.DataFrame(rows)


def workshop_tables(ws: dict[str, pd.DataFrame], wave: str) -> dict[str, pd.DataFrame]:
    st = ws["statements"]
    votes = ["agree", "neutral", "disagree"]
    statements = pd.concat([st.groupby(["meeting", "statement"], as_index=False)[votes].sum(),
                            st.groupby("statement", as_index=False)[votes].sum().assign(meeting="all")], ignore_index=True)
    statements["n"] = statements[votes].sum(axis=1)
    for v in votes:
        statements[f"pct_{v}"] = (100 * statements[v] / statements["n"].where(statements["n"] > 0)).round(1)
        statements.loc[statements[v].between(1, MIN_COUNT - 1), [v, f"pct_{v}"]] = np.nan
    needs = ws["support_needs"]
    support = pd.concat([needs.groupby(["meeting", "theme", "need"], as_index=False)["votes"].sum(),
                         needs.groupby(["theme", "need"], as_index=False)["votes"].sum().assign(meeting="all")], ignore_index=True)
    support["rank"] = support.groupby("meeting")["votes"].rank(method="min", ascending=False)
    notes = ws["sticky_notes"][["meeting", "table", "category", "note"]]
    return {"workshop_notes": notes.assign(wave=wave), "workshop_statements": statements.assign(wave=wave),
            "workshop_support_needs": support.assign(wave=wave)}


# --- the script --------------------------------------------------------------------------------------


def run(wave_dir: Path, out: Path, key: bytes, processes: int = 2) -> dict[str, pd.DataFrame]:
    wave_dir, out = Path(wave_dir), Path(out)
    wave = wave_dir.name
    codebook = codebook_for_wave(wave_dir)
    raw, withdrawals, workshops = read_export(wave_dir), read_withdrawals(wave_dir), stage_workshops(read_workshops(wave_dir))
    df = clean_survey(raw, withdrawals, codebook)

    qis = codebook.questions_with_role("quasi_identifier")
    groups = pd.DataFrame({f"{q.code}_group": df[q.code].map({c: g for g, cs in q.generalise.items() for c in cs}) for q in qis})
    groups = k_anonymise(groups, {f"{q.code}_group": q.importance for q in qis})
    answers = [c for q in codebook.questions if q.role == "answer" for c in q.export_columns() if not c.endswith("[other]")]
    texts = [q.code for q in codebook.questions if q.role == "open_text"] + \
            [q.other_column for q in codebook.questions if q.role == "answer" and q.other]
    resp = pd.concat([pd.DataFrame({"respondent_key": pseudonyms(df, key), "wave": wave}), groups, df[answers + texts]], axis=1)

    workshop_texts = {"sticky_notes": ["note"], "statements": ["statement"], "support_needs": ["need", "theme"]}
    all_texts = [t for c in texts for t in resp[c].dropna()] + \
                [t for kind, cols in workshop_texts.items() for c in cols for t in workshops[kind][c].dropna()]
    clean_text = deidentify_all(all_texts, processes)
    for column in texts:
        resp[column] = resp[column].map(clean_text)
    for kind, cols in workshop_texts.items():
        for column in cols:
            workshops[kind][column] = workshops[kind][column].map(clean_text)
    resp = resp.sort_values("respondent_key", ignore_index=True)

    breakdowns = [f"{q.code}_group" for q in qis]
    freq, cross = frequencies(resp, codebook, breakdowns)
    open_answers = resp[texts].melt(var_name="question_code", value_name="answer").dropna()
    tables = {"respondents": resp, "question_frequencies": freq, "crosstabs": cross,
              "scale_summaries": scale_summaries(resp, codebook, breakdowns),
              "open_answers": open_answers.sort_values(["question_code", "answer"], ignore_index=True),
              **workshop_tables(workshops, wave)}

    out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(out / "baseline.duckdb")) as con:
        for name, table in tables.items():
            table = table.assign(wave=wave)
            table.to_parquet(out / f"{name}.parquet", index=False)
            con.register("t", table)
            con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM t")
            con.unregister("t")
    return tables


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.baseline", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wave_dir", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    key = (os.environ.get("VERKENNING_PSEUDONYM_KEY") or SAMPLE_KEY).encode()
    start = time.perf_counter()
    tables = run(args.wave_dir, args.out, key, args.processes)
    print(f"{len(tables['respondents'])} respondents, {len(tables)} tables in {time.perf_counter() - start:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
