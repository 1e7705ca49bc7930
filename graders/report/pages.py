"""What a student's page shows, practice by practice, as plain data for the template."""

from __future__ import annotations

from graders.compare.layers import format_shape, format_value
from graders.report.diagrams import layer_graph, model_diagram
from graders.report.images import ImageStore
from graders.report.plots import val_loss_panel
from graders.report.roster import PracticeRecord, Student
from graders.report.text import grader_word, tr

API_NAMES = {"sequential": "Sequential", "functional": "Functional", "subclassed": "subclassed"}
#: settings left out of the layer tables when they hold Keras' default: no spec states them
QUIET_DEFAULTS = {"use_bias": True, "dilation_rate": [1, 1], "keepdims": False}
#: longest alt text of a model diagram; a screen reader has the layer table beside it
ALT_LIMIT = 600


def layer_rows(description: dict) -> list[dict]:
    """A model description as table rows: number, name, kind, settings, output shape, params, inputs.

    Settings that hold a default no spec states (``QUIET_DEFAULTS``) are left out.
    """
    rows = []
    for number, layer in enumerate(description["layers"], 1):
        config = {key: value for key, value in (layer.get("config") or {}).items()
                  if key not in QUIET_DEFAULTS or QUIET_DEFAULTS[key] != value}
        rows.append({
            "number": number,
            "name": layer["name"],
            "kind": layer["kind"],
            "settings": ", ".join(f"{key} {compact_value(value)}" for key, value in config.items()),
            "shape": tr("unknown") if layer.get("output_shape") is None else format_shape(layer["output_shape"]),
            "params": f"{layer.get('params', 0):,}",
            "inbound": ", ".join(layer.get("inbound") or []),
        })
    return rows


def compact_value(value) -> str:
    """A setting as short as it reads well in a narrow column: ``relu``, ``3x3``, ``0.2``."""
    if isinstance(value, list) and value and all(isinstance(v, int) for v in value):
        return "x".join(str(v) for v in value)
    if isinstance(value, str):
        return value
    return format_value(value)


def model_view(description: dict, heading: str, images: ImageStore) -> dict:
    """One side of a structure comparison: the layer table and the diagram of one model."""
    return {
        "heading": heading,
        "api": API_NAMES.get(description.get("api"), description.get("api", "")),
        "api_name": api_name(description.get("api")),
        "total_params": f"{description.get('total_params', 0):,}",
        "rows": layer_rows(description),
        "diagram": images.image("model", model_diagram, description, heading),
        "alt": diagram_alt(description, heading),
    }


def api_name(api: str | None) -> str:
    """How a model was built, as the page says it: Keras' names stay, "subclassed" is translated."""
    return tr("subclassed") if api == "subclassed" else API_NAMES.get(api, api or "")


def source_name(source: str) -> str:
    """Where a student's data came from, as the page says it: a command, or nbgrader's gradebook."""
    return tr("nbgrader gradebook") if source == "nbgrader gradebook" else source


def diagram_alt(description: dict, heading: str) -> str:
    """What a model diagram shows, in words: its layers in order and which feeds which.

    A chain reads ``a (Kind) → b (Kind)``; a graph with branches says what each layer takes.
    """
    graph = layer_graph(description)
    label = {node: f"{node} ({data['kind']})" for node, data in graph.nodes(data=True)}
    chain = all(graph.in_degree(n) <= 1 and graph.out_degree(n) <= 1 for n in graph)
    if graph.number_of_edges() == 0 and graph.number_of_nodes() > 1:
        shown = tr("{layers} (connections unknown)").format(layers=", ".join(label.values()))
    elif chain and graph.number_of_edges() == graph.number_of_nodes() - 1:
        shown = " → ".join(label[node] for node in graph)
    else:
        shown = "; ".join(tr("{layer} takes {inputs}").format(layer=label[node],
                                                               inputs=", ".join(graph.predecessors(node)))
                          if graph.in_degree(node) else tr("{layer} is an input").format(layer=label[node])
                          for node in graph)
    text = tr("Diagram of the {heading} model, {count} layers: {layers}.").format(
        heading=heading, count=len(description["layers"]), layers=shown)
    return text if len(text) <= ALT_LIMIT else text[: ALT_LIMIT - 1] + "…"


def curve_alt(run: dict) -> str:
    """What a val_loss panel shows: ``val_loss per epoch for directory X, chosen epoch 7, best epoch 5``."""
    kind = grader_word(run["kind"])
    where = kind if run["kind"].startswith("your ") else tr("directory {kind}").format(kind=kind)
    chosen = run.get("chosen_epoch")
    choice = tr("chosen epoch {epoch}").format(epoch=chosen) if chosen is not None else tr("no checkpoint chosen")
    return tr("val_loss per epoch for {where}, {choice}, best epoch {best}").format(
        where=where, choice=choice, best=run.get("best_epoch"))


def practice_view(record: PracticeRecord, images: ImageStore) -> dict:
    """A practice section: score, criteria, other feedback, and the figures that explain lost points.

    Model practices (details with ``reference`` and ``submitted``) get both
    layer tables and diagrams when points were lost; the checkpoint practice
    (details with ``runs``) always gets its val_loss curves.
    """
    messages = " ".join(c.get("message") or "" for c in record.criteria)
    shown_error = [record.error] if record.error else []
    view = {
        "record": record,
        "other_feedback": [line for line in record.feedback if line not in messages and line not in shown_error],
        "models": [],
        "curves": [],
    }
    details = record.details
    if record.lost_points and isinstance(details.get("reference"), dict) and isinstance(details.get("submitted"), dict):
        view["models"] = [
            model_view(details["reference"], tr("{practice}: reference").format(practice=record.name), images),
            model_view(details["submitted"], tr("{practice}: submitted").format(practice=record.name), images),
        ]
    view["curves"] = [{"image": images.image("val-loss", val_loss_panel, run), "alt": curve_alt(run)}
                      for run in details.get("runs") or []]
    return view


def student_view(student: Student, images: ImageStore) -> dict:
    """Everything the student page template needs."""
    return {
        "student": student,
        "sources": [source_name(source) for source in student.sources],
        "practices": [practice_view(record, images) for record in student.practices.values()],
    }
