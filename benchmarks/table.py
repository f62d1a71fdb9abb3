"""The one table the harness prints: metric, value, target, ratio, pass/fail."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

HEADERS = ("metric", "value", "target", "ratio", "pass/fail")


@dataclass(frozen=True)
class Row:
    """One line of the table; ``verdict`` is PASS, FAIL, n/a, CHECK or empty (for information)."""

    metric: str
    value: str
    target: str = ""
    ratio: str = ""
    verdict: str = ""
    note: str = ""

    def cells(self) -> tuple[str, ...]:
        """The printed cells, the note appended to the metric's value."""
        value = f"{self.value}  ({self.note})" if self.note else self.value
        return (self.metric, value, self.target, self.ratio, self.verdict)


def at_most(
    metric: str, value: float, limit: float, fmt: str, *, unit: str = "", note: str = ""
) -> Row:
    """A row whose target is an upper bound on ``value`` (ratio = value / limit)."""
    return Row(
        metric,
        f"{value:{fmt}}{unit}",
        f"<= {limit:g}{unit}",
        f"{value / limit:.2f}x",
        "PASS" if value <= limit else "FAIL",
        note,
    )


def ratio_at_most(metric: str, ratio: float, limit: float, value: str, note: str = "") -> Row:
    """A row whose target bounds a ratio from above (our time / their time, say)."""
    verdict = "PASS" if ratio <= limit else "FAIL"
    return Row(metric, value, f"<= {limit:g}x", f"{ratio:.2f}x", verdict, note)


def ratio_at_least(metric: str, ratio: float, limit: float, value: str, of: str = "") -> Row:
    """A row whose target bounds a ratio from below (our req/s / the floor's, say)."""
    verdict = "PASS" if ratio >= limit else "FAIL"
    return Row(metric, value, f">= {limit:g}x{of}", f"{ratio:.2f}x", verdict)


def median(values: Sequence[float]) -> float:
    """The median; the harness reports medians wherever it repeats a measurement."""
    return statistics.median(values)


def format_table(rows: Sequence[Row]) -> str:
    """Render the rows as a GitHub-flavoured markdown table, aligned for a terminal too."""
    cells = [HEADERS, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADERS))]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(c) for c in cells[1:])])


def mb(size: int) -> float:
    """Bytes as MB (10^6), as the issue writes its memory targets."""
    return size / 1e6
