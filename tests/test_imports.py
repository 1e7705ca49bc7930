"""Imports go one way through the package: submission → load → run → evidence → describe → compare → rubric → report.

Every ``import`` of the package's own modules is read from the source (those
inside functions too), and each sub-package (``graders/run/``, ...) or
top-level module is one node. The graph must have no cycle, and the layers of
the pipeline must only look down it.
"""

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graders"


def _node(module: str) -> str:
    """``graders.run.pool`` -> ``graders.run``; ``graders.grade`` -> ``graders.grade``."""
    return ".".join(module.split(".")[:2])


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path):
    """Every package module ``path`` imports, at any depth of its code."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _exists(node: str) -> bool:
    name = node.split(".")[1]
    return (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file()


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for path in PACKAGE.rglob("*.py"):
        source = _node(_module(path))
        graph.add_node(source)
        for name in _imports(path):
            if name.startswith("graders.") and _exists(_node(name)) and _node(name) != source:
                graph.add_edge(source, _node(name), where=str(path.relative_to(PACKAGE.parent)))
    return graph


def test_the_graph_is_read(graph):
    # the pipeline's own steps import each other: a reader that found nothing would pass every rule below
    assert ("graders.grade", "graders.run") in graph.edges
    assert ("graders.practices", "graders.compare") in graph.edges
    assert graph.number_of_edges() > 30


def test_no_import_cycle_between_the_package_folders(graph):
    cycles = list(nx.simple_cycles(graph))
    shown = ["  " + " -> ".join(cycle + cycle[:1]) + "  (" + ", ".join(
        graph.edges[a, b]["where"] for a, b in zip(cycle, cycle[1:] + cycle[:1])) + ")" for cycle in cycles]
    assert not cycles, "import cycles:\n" + "\n".join(shown)


#: what each layer of the pipeline may import of the package (besides i18n, which everything uses)
ALLOWED = {
    "graders.answers": set(),
    "graders.files": set(),
    "graders.describe": set(),
    "graders.rubric": set(),
    # the text a person reads of a report (the CLI's output, notebooks' grade cells)
    "graders.present": {"graders.compare", "graders.rubric"},
    # the runner runs code and gathers evidence; it never knows which practices exist
    "graders.run": {"graders.answers", "graders.describe", "graders.files"},
    "graders.compare": {"graders.describe"},
    "graders.practices": {"graders.answers", "graders.checkpoints", "graders.compare", "graders.describe",
                          "graders.files", "graders.rubric", "graders.run"},
    # the report reads reports and, through its inputs module, the gradebook
    "graders.report": {"graders.answers", "graders.autograde", "graders.compare", "graders.present",
                       "graders.rubric"},
}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_what_lies_below_it(graph, layer):
    found = {target: graph.edges[layer, target]["where"] for target in graph.successors(layer)} if layer in graph else {}
    extra = {t: w for t, w in found.items() if t not in ALLOWED[layer] | {"graders.i18n"}}
    assert not extra, f"{layer} imports {extra}"


def test_the_report_reads_the_gradebook_through_one_module():
    users = sorted(str(p.relative_to(PACKAGE.parent)) for p in (PACKAGE / "report").rglob("*.py")
                   if any(name.startswith(("graders.autograde", "nbgrader.api")) for name in _imports(p)))
    assert users == ["graders/report/inputs.py"], users
