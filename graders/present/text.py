"""Reports and model descriptions as text for a terminal."""

from __future__ import annotations

import sys
import textwrap
import time

from graders.compare.layers import format_shape

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
            lines.append(f"   {name}: not graded")
            continue
        lines.append(f"   {name}: {_num(practice['score'])} / {_num(practice['max_score'])}")
        if practice.get("error") and practice["error"] == report.get("error"):
            continue
        for line in practice["feedback"]:
            lines += _wrap(line, "     - ")
    lines.append(f"   total: {_num(report['total'])} / {_num(report['max_total'])}")
    return "\n".join(lines)


def _wrap(text: str, bullet: str) -> list[str]:
    """``text`` after ``bullet``, wrapped at :data:`WIDTH` with its continuation lines under the text."""
    hanging = " " * len(bullet)
    return textwrap.wrap(str(text), WIDTH, initial_indent=bullet, subsequent_indent=hanging,
                         break_on_hyphens=False) or [bullet.rstrip()]


#: the widest a column of a layer table may be; a longer cell wraps onto more lines
COLUMN_WIDTHS = (40, 22, 12, 30)


def format_description(description: dict) -> str:
    """A model description as a table like Keras' summary, with a Connected-to column for graphs.

    Like Keras' summary, a layer taking several inputs lists one per line; a
    cell wider than its column (``COLUMN_WIDTHS``) wraps, so no line is much
    wider than :data:`WIDTH`.
    """
    graph = description["api"] == "functional"
    header = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if graph else [])
    rows = []
    for layer in description["layers"]:
        shape = "multiple" if layer["output_shape"] is None else format_shape(layer["output_shape"])
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
        f"Total params: {description['total_params']:,}",
        f"Trainable params: {description['trainable_params']:,}",
        f"Non-trainable params: {description['non_trainable_params']:,}",
    ]
    return "\n".join(out)


def _cell_lines(items: list[str], width: int) -> list[str]:
    """A table cell's lines: each item on its own, wrapped (long names broken) at ``width``."""
    return [piece for item in items for piece in (textwrap.wrap(item, width, break_on_hyphens=False) or [""])]


def _num(value: float) -> str:
    return f"{value:g}"


def format_summary(reports: list[dict], seconds: float) -> str:
    """One line closing a class's grading: how many, the mean total, how many could not run."""
    if not reports:
        return f"graded 0 submissions in {seconds:.1f} s"
    mean = sum(r["total"] for r in reports) / len(reports)
    failed = sum(1 for r in reports if r["error"])
    line = (
        f"graded {len(reports)} submission{'s' if len(reports) != 1 else ''} in {seconds:.1f} s: "
        f"mean total {mean:.2f} / {_num(reports[0]['max_total'])}"
    )
    return line + (f", {failed} could not run" if failed else "")


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
        sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} graded, {self.elapsed():.0f} s")
        sys.stderr.flush()

    def clear(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * (self.WIDTH + 40) + "\r")
            sys.stderr.flush()
