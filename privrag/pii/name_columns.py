"""People in table columns: the rows of a delimited table are records of one kind, so a column
that holds a detected person in one row holds people in its other rows, whatever its header says
(or when it has none). Runs after the other person detectors, on their findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from privrag.pii.name_gazetteer import NOT_NAME_WORDS, STOP_WORDS, title_case

_TABLE_DELIMITERS = ("\t", ";", "|", ",")


def _table_runs(text: str) -> Iterator[tuple[str, list[tuple[int, str]]]]:
    """Runs of two or more consecutive lines split by one delimiter into the same number (three
    or more) of cells: the rows of one table, as (delimiter, [(line start, line)])."""
    pos = 0
    rows: list[tuple[int, str]] = []
    for line in text.split("\n"):
        rows.append((pos, line))
        pos += len(line) + 1
    i = 0
    while i < len(rows):
        line = rows[i][1]
        delimiter = next((d for d in _TABLE_DELIMITERS if line.count(d) >= 2), None)
        j = i + 1
        if delimiter is not None:
            while j < len(rows) and rows[j][1].count(delimiter) == line.count(delimiter):
                j += 1
            if j - i >= 2:
                yield delimiter, rows[i:j]
        i = j


def _cell_spans(start: int, line: str, delimiter: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for piece in line.split(delimiter):
        stripped = piece.strip()
        a = start + pos + (piece.find(stripped) if stripped else 0)
        spans.append((a, a + len(stripped)))
        pos += len(piece) + 1
    return spans


_CONTACT = re.compile(r"@|\d(?:[ ().-]*\d){6}")


def _name_shaped(value: str, common: frozenset[str], *, least: int = 1) -> bool:
    """Title-case or caseless words, none an everyday word, as a name cell is written."""
    words = value.split()
    if not least <= len(words) <= 4 or any(ch.isdigit() for ch in value):
        return False
    lows = [w.casefold() for w in words]
    return all(title_case(w) for w in words) and not any(
        low in common or low in STOP_WORDS or low in NOT_NAME_WORDS for low in lows
    )


def column_mates(
    text: str, people: list[tuple[int, int]], common: frozenset[str]
) -> Iterator[tuple[int, int]]:
    """The other cells of a table column that holds a person ("Seye Adegbite;Atlas Billing;..."
    under any header): the rows of a table are records of one kind, so a column with a name in
    one row has names in the others. In a table of contact records (every row under the first
    holds an e-mail address or a phone-length number), a column whose cells under the first row
    are all names of two or more words is a name column even if no cell was found on its own.
    A column with digits or an @ in any row is no name column, and a cell joins only if it is
    name-shaped (title-case or caseless words, none an everyday word), so a header row such as
    "Badge print" or "Full name" stays."""
    for delimiter, rows in _table_runs(text):
        cells = [_cell_spans(start, line, delimiter) for start, line in rows]
        contacts = all(_CONTACT.search(line) for _, line in rows[1:])
        for col in range(len(cells[0])):
            column = [row[col] for row in cells]
            values = [text[a:b] for a, b in column]
            if any(ch.isdigit() or ch == "@" for value in values[1:] for ch in value):
                continue
            named = [any(s <= a and b <= e for s, e in people) for a, b in column]
            if not any(named) and not (
                contacts and all(_name_shaped(v, common, least=2) for v in values[1:])
            ):
                continue
            for (a, b), value, is_person in zip(column, values, named, strict=True):
                if not is_person and _name_shaped(value, common):
                    yield a, b
