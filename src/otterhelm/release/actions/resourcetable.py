"""`helm status`'s RESOURCES section: the API server's tables of a release's live objects,
printed as kubectl's human-readable printer prints them (k8s.io/cli-runtime printers
tableprinter.go, as helm's status printer drives it in pkg/cmd/status.go).

The printer keeps the columns it printed last: a table with the same columns gets no header
again. Each object is printed on its own tabwriter, flushed after it, so rows of different
objects are not aligned with each other (helm prints each object separately).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# kubectl's GetNewTabWriter: minimum cell width 6, padding 3, padded with spaces.
_MIN_WIDTH = 6
_PADDING = 3


def format_resources(resources: Mapping[str, Sequence[Any]]) -> str:
    """The RESOURCES text for live objects grouped by "version/Kind" (server-side Tables)."""
    out: list[str] = []
    last_columns: list[str] | None = None
    for key, objects in resources.items():
        out.append(f"==> {key}\n")
        for table in objects:
            if not isinstance(table, Mapping) or table.get("kind") != "Table":
                continue
            columns = _shown_columns(table)
            header = [str(column.get("name") or "").upper() for _, column in columns]
            rows = [_row_cells(row, columns) for row in table.get("rows") or []]
            if not rows:
                continue  # the printer prints nothing, not even a header, for no rows
            lines = rows if header == last_columns else [header, *rows]
            last_columns = header
            out.append(tabwriter_lines(lines))
        out.append("\n")
    return "".join(out)


def _shown_columns(table: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    """The columns printed without -o wide (priority 0), with their cell index."""
    definitions = table.get("columnDefinitions") or []
    return [(i, c) for i, c in enumerate(definitions) if not (c.get("priority") or 0)]


def _row_cells(row: Mapping[str, Any], columns: list[tuple[int, Mapping[str, Any]]]) -> list[str]:
    cells = row.get("cells") or []
    return [_cell_text(cells[i]) if i < len(cells) else "" for i, _ in columns]


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, str):
        # Cut at the first line break (the tabwriter would take it for one), marked "...".
        for at, char in enumerate(cell):
            if char in "\f\n\r":
                return cell[:at] + "..."
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def tabwriter_lines(lines: Sequence[Sequence[str]]) -> str:
    """Go's text/tabwriter over lines of tab-separated cells, flushed at the end: every cell
    but a line's last is padded to its column's width; the last is written as it is."""
    widths: list[int] = []
    for cells in lines:
        for j, cell in enumerate(cells[:-1]):
            width = max(_MIN_WIDTH, len(cell) + _PADDING)
            if j == len(widths):
                widths.append(width)
            elif width > widths[j]:
                widths[j] = width
    text = []
    for cells in lines:
        padded = [cell.ljust(widths[j]) for j, cell in enumerate(cells[:-1])]
        text.append("".join(padded) + (cells[-1] if cells else "") + "\n")
    return "".join(text)
