"""Reports and model descriptions as text for a terminal."""

from __future__ import annotations

import sys
import textwrap
import unicodedata
import time

from graders.compare.layers import format_shape
from graders.i18n import _, ngettext

#: columns of a report line; a longer feedback line is wrapped under its bullet
WIDTH = 100


def format_report(report: dict) -> str:
    """A submission's report: each practice's score and feedback, then the total."""
    lines = [f"== {report['submission']}"]
    if report.get("error"):
        lines += _wrap(report["error"], "   ! ")
    for note in report.get("notes", []):
        lines += _wrap(note, "   ! ")
    for name, practice in report["practices"].items():
        if practice.get("graded") is False:
            lines.append("   " + _("{practice}: not graded").format(practice=name))
            continue
        lines.append(f"   {name}: {_num(practice['score'])} / {_num(practice['max_score'])}")
        if practice.get("error") and practice["error"] == report.get("error"):
            continue
        for line in practice["feedback"]:
            lines += _wrap(line, "     - ")
    lines.append("   " + _("total: {score} / {points}").format(score=_num(report["total"]),
                                                              points=_num(report["max_total"])))
    return "\n".join(lines)


def _wrap(text: str, bullet: str) -> list[str]:
    """``text`` after ``bullet``, wrapped at :data:`WIDTH` with its continuation lines under the text."""
    hanging = " " * len(bullet)
    return wrap(str(text), WIDTH, initial_indent=bullet, subsequent_indent=hanging) or [bullet.rstrip()]


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal or in a ``<pre>`` block: East Asian wide letters (Hangul) take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> list[str]:
    """``textwrap.wrap`` for lines that may hold wide letters: Korean lines stay about ``width`` columns wide.

    The width in characters is scaled by how many columns an average letter
    of ``text`` takes, so a line of Hangul wraps at about half as many letters.
    """
    columns = display_width(text)
    letters = width if columns <= len(text) else max(20, int(width * len(text) / columns))
    return textwrap.wrap(text, letters, initial_indent=initial_indent, subsequent_indent=subsequent_indent,
                         break_on_hyphens=False)


#: the widest a column of a layer table may be; a longer cell wraps onto more lines
COLUMN_WIDTHS = (40, 22, 12, 30)


def format_description(description: dict) -> str:
    """A model description as a table like Keras' summary, with a Connected-to column for graphs.

    Like Keras' summary, a layer taking several inputs lists one per line; a
    cell wider than its column (``COLUMN_WIDTHS``) wraps, so no line is much
    wider than :data:`WIDTH`.
    """
    graph = description["api"] == "functional"
    header = [_("Layer (type)"), _("Output Shape"), _("Param #")] + ([_("Connected to")] if graph else [])
    rows = []
    for layer in description["layers"]:
        shape = _("multiple") if layer["output_shape"] is None else format_shape(layer["output_shape"])
        row = [[f"{layer['name']} ({layer['kind']})"], [shape], [f"{layer['params']:,}"]]
        if graph:
            row.append(list(layer["inbound"]) or ["-"])
        rows.append(row)
    caps = COLUMN_WIDTHS[: len(header)]
    rows = [[_cell_lines(lines, cap) for lines, cap in zip(row, caps)] for row in rows]
    widths = [max([len(title)] + [len(text) for row in rows for text in row[i]]) for i, title in enumerate(header)]

    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    def row_lines(row):
        height = max(len(cell) for cell in row)
        return [line([cell[i] if i < len(cell) else "" for cell in row]) for i in range(height)]

    rule = "-" * len(line(["x" * w for w in widths]))
    out = [f'Model: "{description["name"]}" ({description["api"]})', rule, line(header), rule]
    for row in rows:
        out += row_lines(row)
    out += [
        rule,
        _("Total params: {count}").format(count=f"{description['total_params']:,}"),
        _("Trainable params: {count}").format(count=f"{description['trainable_params']:,}"),
        _("Non-trainable params: {count}").format(count=f"{description['non_trainable_params']:,}"),
    ]
    return "\n".join(out)


def _cell_lines(items: list[str], width: int) -> list[str]:
    """A table cell's lines: each item on its own, wrapped (long names broken) at ``width``."""
    return [piece for item in items for piece in (wrap(item, width) or [""])]


def _num(value: float) -> str:
    return f"{value:g}"


def format_summary(reports: list[dict], seconds: float) -> str:
    """One line closing a class's grading: how many, the mean total, how many could not run."""
    if not reports:
        return _("graded 0 submissions in {seconds} s").format(seconds=f"{seconds:.1f}")
    mean = sum(r["total"] for r in reports) / len(reports)
    failed = sum(1 for r in reports if r["error"])
    line = ngettext("graded {count} submission in {seconds} s: mean total {mean} / {points}",
                    "graded {count} submissions in {seconds} s: mean total {mean} / {points}", len(reports)).format(
        count=len(reports), seconds=f"{seconds:.1f}", mean=f"{mean:.2f}", points=_num(reports[0]["max_total"]))
    return line + (_(", {count} could not run").format(count=failed) if failed else "")


class Progress:
    """A one-line progress bar on stderr, drawn only for a person at a terminal."""

    WIDTH = 30

    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.enabled = total, 0, enabled
        self.started = time.monotonic()
        self.draw()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def advance(self) -> None:
        self.done += 1
        self.draw()

    def draw(self) -> None:
        if not self.enabled or self.done >= self.total:
            return
        filled = self.WIDTH * self.done // max(1, self.total)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        sys.stderr.write(f"\r[{bar}] " + _("{done}/{total} graded, {seconds} s").format(
            done=self.done, total=self.total, seconds=f"{self.elapsed():.0f}"))
        sys.stderr.flush()

    def clear(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * (self.WIDTH + 40) + "\r")
            sys.stderr.flush()
