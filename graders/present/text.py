"""Reports and model descriptions as text for a terminal."""

from __future__ import annotations

from graders.compare.layers import format_shape


def format_report(report: dict) -> str:
    """A submission's report: each practice's score and feedback, then the total."""
    lines = [f"== {report['submission']}"]
    if report.get("error"):
        lines.append(f"   ! {report['error']}")
    for note in report.get("notes", []):
        lines.append(f"   ! {note}")
    for name, practice in report["practices"].items():
        if practice.get("graded") is False:
            lines.append(f"   {name}: not graded")
            continue
        lines.append(f"   {name}: {_num(practice['score'])} / {_num(practice['max_score'])}")
        if practice.get("error") and practice["error"] == report.get("error"):
            continue
        for line in practice["feedback"]:
            lines.append(f"     - {line}")
    lines.append(f"   total: {_num(report['total'])} / {_num(report['max_total'])}")
    return "\n".join(lines)


def format_description(description: dict) -> str:
    """A model description as a table like Keras' summary, with a Connected-to column for graphs."""
    graph = description["api"] == "functional"
    header = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if graph else [])
    rows = []
    for layer in description["layers"]:
        shape = "multiple" if layer["output_shape"] is None else format_shape(layer["output_shape"])
        row = [f"{layer['name']} ({layer['kind']})", shape, f"{layer['params']:,}"]
        if graph:
            row.append(", ".join(layer["inbound"]) or "-")
        rows.append(row)
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]

    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    rule = "-" * len(line(["x" * w for w in widths]))
    out = [f'Model: "{description["name"]}" ({description["api"]})', rule, line(header), rule]
    out += [line(r) for r in rows]
    out += [
        rule,
        f"Total params: {description['total_params']:,}",
        f"Trainable params: {description['trainable_params']:,}",
        f"Non-trainable params: {description['non_trainable_params']:,}",
    ]
    return "\n".join(out)


def _num(value: float) -> str:
    return f"{value:g}"
