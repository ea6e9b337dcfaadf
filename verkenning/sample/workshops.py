"""Synthetic workshop workbooks as facilitators fill them in: four sheets per meeting, with title rows,
merged cells, blank rows, trailing spaces and categories and votes written in several ways.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from verkenning.sample import vocabulary
from verkenning.sample.survey import NamePools, slug
from verkenning.sample.xlsx import save_reproducibly

DUTCH_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                "oktober", "november", "december")
SHEETS = ("Deelnemers", "Stand van zaken", "Toekomst 2030", "Ondersteuning")


@dataclass(frozen=True)
class Meeting:
    day: date
    place: str

    @property
    def file_name(self) -> str:
        return f"workshop_{self.day.isoformat()}_{slug(self.place)}.xlsx"

    @property
    def written_date(self) -> str:
        return f"{self.day.day} {DUTCH_MONTHS[self.day.month - 1]} {self.day.year}"


MEETINGS: tuple[Meeting, ...] = (
    Meeting(date(2024, 2, 15), "Utrecht"),
    Meeting(date(2024, 3, 7), "Amsterdam"),
    Meeting(date(2024, 3, 21), "Zwolle"),
)


@dataclass(frozen=True)
class FacilitatorStyle:
    """How one meeting's facilitators laid out their workbook; each meeting differs."""

    title_rows: int  # title rows above the header of the working-method sheets
    merge_tables: bool  # the `Tafel` cell merged vertically over a table's rows
    blank_between_tables: bool
    trailing_header_spaces: bool
    sheet_names: tuple[str, str, str, str]


STYLES: tuple[FacilitatorStyle, ...] = (
    FacilitatorStyle(1, True, True, True, SHEETS),
    FacilitatorStyle(2, False, False, False, SHEETS),
    FacilitatorStyle(2, True, True, True, ("deelnemers", "stand van zaken ", "TOEKOMST 2030", " Ondersteuning")),
)


@dataclass(frozen=True)
class Participant:
    name: str
    email: str
    organisation: str
    sector: str
    table: int


def _participants(rnd: random.Random, pools: NamePools) -> list[Participant]:
    count = rnd.randint(12, 24)
    tables = 4 if count >= 16 and rnd.random() < 0.7 else 3
    seats = [t % tables + 1 for t in range(count)]
    rnd.shuffle(seats)
    institutions = [*vocabulary.REAL_INSTITUTIONS, *vocabulary.FICTIONAL_INSTITUTIONS]
    people: list[Participant] = []
    for seat in seats:
        first, last = rnd.choice(pools.first_names), rnd.choice(pools.last_names)
        institution = rnd.choice(institutions)
        email = f"{slug(first)[:1]}.{slug(last)}@{slug(institution.name)}.nl" if rnd.random() < 0.95 else ""
        name = f"{first} {last}" + (" " if rnd.random() < 0.1 else "")
        sector = rnd.choice(vocabulary.PARTICIPANT_SECTORS[institution.kind])
        people.append(Participant(name, email, institution.name, sector, seat))
    return people


def _header(names: tuple[str, ...], style: FacilitatorStyle, rnd: random.Random) -> list[str]:
    if not style.trailing_header_spaces:
        return list(names)
    padded = set(rnd.sample(range(len(names)), 2))
    return [name + (" " * rnd.randint(1, 2) if i in padded else "") for i, name in enumerate(names)]


def _titles(sheet: Worksheet, titles: list[str], width: int) -> None:
    """Title rows above the header; the first is merged across the table's columns."""
    for row, title in enumerate(titles, start=1):
        sheet.cell(row=row, column=1, value=title)
    if titles:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def _write_blocks(sheet: Worksheet, blocks: list[tuple[int, list[list[object]]]], first_row: int,
                  style: FacilitatorStyle, merge: bool) -> None:
    """Rows per table, `Tafel` in the first column: merged over the block or repeated on every row."""
    row = first_row
    for table, rows in blocks:
        top = row
        for i, values in enumerate(rows):
            sheet.cell(row=row, column=1, value=table if (i == 0 or not merge) else None)
            for column, value in enumerate(values, start=2):
                sheet.cell(row=row, column=column, value=value)
            row += 1
        if merge and len(rows) > 1:
            sheet.merge_cells(start_row=top, start_column=1, end_row=row - 1, end_column=1)
        if style.blank_between_tables:
            row += 1


def _fill(template: str, rnd: random.Random, table_people: list[Participant], pools: NamePools) -> str:
    institutions = [i.name for i in (*vocabulary.REAL_INSTITUTIONS, *vocabulary.FICTIONAL_INSTITUTIONS)]
    return template.format(
        participant=rnd.choice(table_people).name.strip() if table_people else rnd.choice(pools.first_names),
        colleague=f"{rnd.choice(pools.first_names)} {rnd.choice(pools.last_names)}",
        institution=rnd.choice(institutions),
        tool=rnd.choice(vocabulary.TOOL_NAMES),
    )


def _spelled(canonical: str, spellings: dict[str, tuple[str, ...]], rnd: random.Random) -> str:
    return canonical if rnd.random() < 0.65 else rnd.choice(spellings[canonical][1:])


def _current_state(sheet: Worksheet, meeting: Meeting, style: FacilitatorStyle, people: list[Participant],
                   tables: list[int], rnd: random.Random, pools: NamePools) -> None:
    titles = ["Werkvorm 1 – Stand van zaken", f"{meeting.place}, {meeting.written_date}"][: style.title_rows]
    _titles(sheet, titles, 4)
    header = _header(("Tafel", "Categorie", "Notitie", "Auteur"), style, rnd)
    for column, name in enumerate(header, start=1):
        sheet.cell(row=len(titles) + 1, column=column, value=name)
    total = rnd.randint(15, 30)
    per_table = [total // len(tables) + (1 if t < total % len(tables) else 0) for t in range(len(tables))]
    unused = {category: list(notes) for category, notes in vocabulary.NOTES.items()}
    for notes in unused.values():
        rnd.shuffle(notes)
    blocks: list[tuple[int, list[list[object]]]] = []
    for table, count in zip(tables, per_table):
        at_table = [p for p in people if p.table == table]
        rows: list[list[object]] = []
        for _ in range(count):
            category = rnd.choices(("Toepassing", "Kans", "Zorg"), weights=(35, 30, 35))[0]
            if not unused[category]:
                unused[category] = list(vocabulary.NOTES[category])
            note = _fill(unused[category].pop(), rnd, at_table, pools)
            if rnd.random() < 0.1:
                note += " "
            author: str | None = None
            if at_table and rnd.random() < 0.4:
                name = rnd.choice(at_table).name
                author = name.split()[0] if rnd.random() < 0.3 else name  # sometimes just the first name
            rows.append([_spelled(category, vocabulary.CATEGORY_SPELLINGS, rnd), note, author])
        blocks.append((table, rows))
    _write_blocks(sheet, blocks, len(titles) + 2, style, style.merge_tables)


def _future(sheet: Worksheet, meeting: Meeting, style: FacilitatorStyle, table_sizes: dict[int, int],
            rnd: random.Random) -> None:
    titles = ["Werkvorm 2 – Toekomst 2030", f"{meeting.place}, {meeting.written_date}"][: style.title_rows]
    _titles(sheet, titles, 5)
    header = _header(("Tafel", "Stelling", "Eens", "Neutraal", "Oneens"), style, rnd)
    for column, name in enumerate(header, start=1):
        sheet.cell(row=len(titles) + 1, column=column, value=name)
    statements = rnd.sample(vocabulary.FUTURE_STATEMENTS, rnd.choice((5, 6)))
    blocks: list[tuple[int, list[list[object]]]] = []
    for table, size in table_sizes.items():
        rows: list[list[object]] = []
        for statement in statements:
            voters = size - (1 if rnd.random() < 0.1 else 0)  # someone was getting coffee
            agree = rnd.randint(0, voters)
            neutral = rnd.randint(0, voters - agree)
            counts = [agree, neutral, voters - agree - neutral]
            # A zero is often left empty.
            rows.append([statement + (" " if rnd.random() < 0.1 else ""),
                         *[None if c == 0 and rnd.random() < 0.3 else c for c in counts]])
        blocks.append((table, rows))
    # Only the last meeting merged the Tafel cells here too.
    _write_blocks(sheet, blocks, len(titles) + 2, style, style.merge_tables and style.sheet_names != SHEETS)


def _votes(count: int, rnd: random.Random) -> object:
    style = rnd.random()
    if count == 0:
        return None if style < 0.6 else 0
    if style < 0.6:
        return count
    if style < 0.8:
        return f"{count} stemmen" if count != 1 else "1 stem"
    return "I" * count if count <= 8 else count


def _support(sheet: Worksheet, meeting: Meeting, style: FacilitatorStyle, table_sizes: dict[int, int],
             people: list[Participant], rnd: random.Random) -> None:
    titles = ["Werkvorm 3 – Ondersteuning", f"{meeting.place}, {meeting.written_date}"][: style.title_rows]
    _titles(sheet, titles, 4)
    header = _header(("Tafel", "Behoefte", "Thema", "Stemmen"), style, rnd)
    for column, name in enumerate(header, start=1):
        sheet.cell(row=len(titles) + 1, column=column, value=name)
    blocks: list[tuple[int, list[list[object]]]] = []
    for table, size in table_sizes.items():
        needs = rnd.sample(vocabulary.SUPPORT_NEEDS, rnd.randint(3, 5))
        dots = [0] * len(needs)
        for _ in range(size * 3):  # three dots per participant
            dots[rnd.choices(range(len(needs)), weights=range(len(needs), 0, -1))[0]] += 1
        at_table = [p for p in people if p.table == table]
        rows: list[list[object]] = []
        for (need, theme), count in zip(needs, dots):
            if at_table and rnd.random() < 0.15:
                need += f" (idee van {rnd.choice(at_table).name.split()[0]})"
            rows.append([need, _spelled(theme, vocabulary.THEME_SPELLINGS, rnd), _votes(count, rnd)])
        blocks.append((table, rows))
    # The odd vote nobody wrote down.
    table_rows = blocks[rnd.randrange(len(blocks))][1]
    table_rows[rnd.randrange(len(table_rows))][2] = None
    _write_blocks(sheet, blocks, len(titles) + 2, style, merge=False)


def _attendance(sheet: Worksheet, meeting: Meeting, style: FacilitatorStyle, people: list[Participant]) -> None:
    titles = [f"Deelnemerslijst workshop {meeting.place}"] if style.sheet_names != SHEETS else []
    _titles(sheet, titles, 5)
    for column, name in enumerate(("Naam", "E-mail", "Organisatie", "Sector", "Tafel"), start=1):
        sheet.cell(row=len(titles) + 1, column=column, value=name)
    for row, person in enumerate(people, start=len(titles) + 2):
        for column, value in enumerate((person.name, person.email or None, person.organisation, person.sector,
                                        person.table), start=1):
            sheet.cell(row=row, column=column, value=value)


def write_workshop(meeting: Meeting, style: FacilitatorStyle, path: Path, seed: int, pools: NamePools) -> None:
    rnd = random.Random(f"{seed}-{meeting.file_name}")
    people = _participants(rnd, pools)
    tables = sorted({p.table for p in people})
    table_sizes = {t: sum(1 for p in people if p.table == t) for t in tables}
    workbook = Workbook()
    workbook.remove(workbook.active)
    attendance, current, future, support = (workbook.create_sheet(name) for name in style.sheet_names)
    _attendance(attendance, meeting, style, people)
    _current_state(current, meeting, style, people, tables, rnd, pools)
    _future(future, meeting, style, table_sizes, rnd)
    _support(support, meeting, style, table_sizes, people, rnd)
    save_reproducibly(workbook, path)


def write_workshops(out_dir: Path, seed: int, pools: NamePools) -> list[str]:
    """The three meetings' workbooks; return their file names."""
    names: list[str] = []
    for meeting, style in zip(MEETINGS, STYLES):
        write_workshop(meeting, style, out_dir / meeting.file_name, seed, pools)
        names.append(meeting.file_name)
    return names
