"""Tables, as a listener should meet them (helper of ``cleanup``).

A layout table becomes plain divisions, a table of described things is read row by
row, a table of figures is left out.
"""

from __future__ import annotations

import copy
import re

from lxml.html import HtmlElement

from listen.read import patterns
from listen.read.markup import is_block, text_of


def table_reason(table: HtmlElement) -> str | None:
    """Drop a table of figures; keep a layout table or a table whose rows are prose.

    A layout table (paragraphs or tables in its cells, or one column) becomes plain
    divisions. A table whose rows describe things in sentences (a list of films, of
    events) is read row by row, each row a paragraph with its cells in order, the
    header row left out. A table of figures is not for the ear.
    """
    rows = _rows(table)
    if _is_layout_table(table, rows):
        # A box of one cell holding mere text (a note set apart) is a paragraph.
        boxed = len(rows) == 1 and len(_cells(rows[0])) == 1
        for part in _own_parts(table):  # a table nested in a cell is judged on its own
            inline = boxed and part.tag in ("td", "th") and not any(is_block(c) for c in part)
            part.tag = "p" if inline else "div"
        return None
    body = [row for row in rows if not _is_header_row(row)]
    if len(body) >= 2 and sum(1 for row in body if _is_wordy(row)) * 2 >= len(body):
        _rows_to_paragraphs(table, rows)
        return None
    if _is_item_list(body):
        _rows_to_paragraphs(table, rows, stops=False)
        return None
    return "table"


def _is_item_list(body: list[HtmlElement]) -> bool:
    """A list set out as a table, an amount before each thing: a recipe's ingredients
    ("250 g | flour", "3 pots | cream, 200 g each"), a timeline ("1961 | The ferry is
    launched"). Each row names something in words; a row that names first and gives
    figures after ("France | 68 million") makes it a table of figures."""
    if len(body) < 2:
        return False
    opened = 0
    for row in body:
        cells = [text_of(cell) for cell in _cells(row) if text_of(cell)]
        if not 1 <= len(cells) <= 3:
            return False
        amount = bool(_AMOUNT.match(cells[0])) and len(cells) > 1
        named = cells[1:] if amount else cells
        if not all(patterns.WORD.search(cell) for cell in named):
            return False
        if not amount and any(_FIGURE.search(cell) for cell in named):
            return False  # figures after a name: a table of figures
        opened += amount
    return opened > 0


def _own_parts(table: HtmlElement) -> list[HtmlElement]:
    """The table and its sections, rows and cells, not those of a table nested in it."""
    parts = table.iter("thead", "tbody", "tfoot", "tr", "td", "th", "caption")
    return [table] + [p for p in parts if next(p.iterancestors("table"), None) is table]


def _rows(table: HtmlElement) -> list[HtmlElement]:
    """The table's own rows, not those of a table nested in a cell."""
    return [row for row in table.iter("tr") if next(row.iterancestors("table"), None) is table]


def _cells(row: HtmlElement) -> list[HtmlElement]:
    return [cell for cell in row if cell.tag in ("td", "th")]


def _is_layout_table(table: HtmlElement, rows: list[HtmlElement]) -> bool:
    """Laid out with a table, not tabulated: a nested table, one column, or paragraphs
    and headings in the cells of a table without a header row."""
    if (table.get("role") or "").lower() == "presentation":
        return True
    if next(table.iterdescendants("table"), None) is not None:
        return True
    if bool(rows) and all(len(_cells(row)) <= 1 for row in rows):
        return True
    blocks = next(table.iterdescendants("p", "h1", "h2", "h3", "h4", "blockquote"), None)
    return blocks is not None and not any(_is_header_row(row) for row in rows)


def _is_header_row(row: HtmlElement) -> bool:
    cells = _cells(row)
    return next(row.iterancestors("thead"), None) is not None or (
        bool(cells) and all(cell.tag == "th" for cell in cells) and len(cells) > 1
    )


def _is_wordy(row: HtmlElement) -> bool:
    """A row that says something in words (six or more), not a row of figures."""
    text = row.text_content()
    words = len(patterns.WORD.findall(text))
    return words >= 6 and words >= 0.7 * len(_TOKEN.findall(text))


def _rows_to_paragraphs(
    table: HtmlElement, rows: list[HtmlElement], *, stops: bool = True
) -> None:
    """Each body row a paragraph, its cells run on with a full stop between them (or
    without, for an amount and its thing: "250 g flour")."""
    _repeat_spanned_cells(rows)
    for row in rows:
        if _is_header_row(row):
            row.drop_tree()
            continue
        row.tag = "p"
        cells = [cell for cell in _cells(row) if text_of(cell)]
        for cell in _cells(row):
            if cell not in cells:
                cell.drop_tree()
        for cell in cells:
            for block in list(cell.iterdescendants(*patterns.BLOCK_TAGS)):
                block.tag = "span"  # a row is one paragraph: a cell's <p> or <div> runs on
                block.tail = f" {block.tail or ''}"
        for index, cell in enumerate(cells):
            cell.tag = "span"
            _strip_end(cell)
            if index < len(cells) - 1:
                stop = "" if not stops or _SENTENCE_STOP.search(text_of(cell)) else "."
                cell.tail = f"{stop} {cell.tail or ''}"
    for part in _own_parts(table):
        if part.tag in ("table", "thead", "tbody", "tfoot", "caption"):
            part.tag = "div"


def _repeat_spanned_cells(rows: list[HtmlElement]) -> None:
    """Copy a cell that spans rows (``rowspan="2"``) into each row it spans, so that
    every row, read on its own, names what it describes."""
    pending: dict[int, tuple[HtmlElement, int]] = {}  # column → (cell, rows still to fill)
    for row in rows:
        cells = _cells(row)
        column = 0
        position = 0
        while position < len(cells) or column in pending:
            if column in pending:
                cell, left = pending.pop(column)
                duplicate = copy.deepcopy(cell)
                duplicate.tail = None
                if position < len(cells):
                    cells[position].addprevious(duplicate)
                else:
                    row.append(duplicate)
                if left > 1:
                    pending[column] = (cell, left - 1)
            else:
                span = cells[position].get("rowspan") or "1"
                if span.isdecimal() and 1 < int(span) <= 100:
                    pending[column] = (cells[position], int(span) - 1)
                position += 1
            column += 1


def _strip_end(element: HtmlElement) -> None:
    """Remove the white space that ends an element (at any depth: ``<i><a>Title </a>
    </i>``), so that a stop put after it sits close."""
    while True:
        last = element[-1] if len(element) else None
        if last is None:
            element.text = (element.text or "").rstrip()
            return
        if (last.tail or "").strip():
            last.tail = (last.tail or "").rstrip()
            return
        last.tail = None
        element = last


_SENTENCE_STOP = re.compile(r"[.!?:;…]$")
# An amount: a number or fraction, maybe a range, with a short unit ("250 g", "1 Pck.",
# "½ TL", "2–3 cups"); a year.
_AMOUNT = re.compile(
    r"^(?:ca\.\s*|approx\.\s*|etwa\s*)?[\d½¼¾⅓⅔⅛.,/\s–-]+(?:\s*[^\W\d_]{1,6}\.?)?$"
)
# A figure among words: a number that is not part of a word ("Vitamin B12" is a word).
_FIGURE = re.compile(r"(?<![^\W\d_])\d")
_TOKEN = re.compile(r"\w+")
