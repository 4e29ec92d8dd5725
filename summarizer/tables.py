"""Plain-text tables for the terminal, with the standard library only.

``review`` and ``merge`` print many small tables; a dependency such as
``rich`` would be more than they need, and plain text also survives being
piped into a file, ``less`` or an e-mail. Tables fit the terminal width:
the widest columns give way first and long cells end in an ellipsis, so a
row never wraps into an unreadable staircase.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence

ELLIPSIS = "…"
MIN_COLUMN = 6  # narrower than this a column shows nothing useful
GAP = "  "


def terminal_width(default: int = 120) -> int:
    """Columns of the terminal (COLUMNS wins); ``default`` when not a terminal."""
    return max(40, shutil.get_terminal_size((default, 24)).columns)


def clip(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis when longer."""
    flat = " ".join(str(text).split())
    if len(flat) <= width:
        return flat
    return flat[: max(0, width - 1)] + ELLIPSIS if width > 0 else ""


def fit_widths(natural: Sequence[int], budget: int) -> list[int]:
    """Shrink the widest columns, one character at a time, until the row fits ``budget``."""
    widths = list(natural)
    while sum(widths) > budget:
        widest = max(range(len(widths)), key=lambda index: widths[index])
        if widths[widest] <= MIN_COLUMN:
            break  # cannot shrink further: let the terminal wrap rather than show nothing
        widths[widest] -= 1
    return widths


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]], width: int | None = None,
                 indent: str = "") -> str:
    """A header, a rule and one line per row, every cell clipped to its column."""
    cells = [[("" if cell is None else " ".join(str(cell).split())) for cell in row] for row in rows]
    natural = [max([len(header)] + [len(row[index]) for row in cells]) for index, header in enumerate(headers)]
    budget = (width or terminal_width()) - len(indent) - len(GAP) * (len(headers) - 1)
    widths = fit_widths(natural, budget)

    def line(values: Sequence[str]) -> str:
        return indent + GAP.join(clip(value, w).ljust(w) for value, w in zip(values, widths)).rstrip()

    rule = indent + GAP.join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in cells)])
