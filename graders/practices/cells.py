"""Checking a notebook's nbgrader cells against its practices' declarations.

A declaration fixes the notebook's cells: a solution cell ``<name>-answer``
that defines the contract function, and one grade cell per half of the rubric,
``<name>-public`` and ``<name>-hidden``, worth that half's points and calling
``graders.notebook.score("<name>", <function>, points=<points>[, hidden=True])``
(the hidden call between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``).
:func:`notebook_problems` lists every way a notebook differs, one line each.
"""

from __future__ import annotations

import ast
import os

from graders.practices.base import Practice

HIDDEN_START, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def notebook_problems(notebook, practices: list[Practice]) -> list[str]:
    """Every difference between ``notebook`` (an nbformat node or a path) and the declarations, one line each."""
    import nbformat

    if isinstance(notebook, (str, os.PathLike)):
        notebook = nbformat.read(notebook, as_version=4)
    cells = {}
    problems = []
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") or meta.get("solution"):
            grade_id = meta.get("grade_id", "")
            if grade_id in cells:
                problems.append(f"{grade_id}: two cells have this grade_id")
            cells[grade_id] = (meta, cell.source)
    expected = set()
    for practice in practices:
        answer = practice.answer_cell
        expected.add(answer)
        if answer not in cells:
            problems.append(f"{answer}: no solution cell for practice {practice.name}")
        elif not cells[answer][0].get("solution"):
            problems.append(f"{answer}: not a solution cell")
        elif not _defines(cells[answer][1], practice.function):
            problems.append(f"{answer}: does not define {practice.function}()")
        for grade_id, points in practice.grade_cells().items():
            expected.add(grade_id)
            hidden = grade_id.endswith("-hidden")
            if grade_id not in cells:
                problems.append(f"{grade_id}: no grade cell (worth {points:g} points)")
                continue
            meta, source = cells[grade_id]
            if not meta.get("grade") or not meta.get("locked"):
                problems.append(f"{grade_id}: not a locked grade cell")
            if abs(float(meta.get("points", 0)) - points) > 1e-9:
                problems.append(f"{grade_id}: worth {meta.get('points')} points, the rubric's "
                                f"{'hidden' if hidden else 'public'} criteria {points:g}")
            problems.extend(f"{grade_id}: {p}" for p in _call_problems(source, practice, points, hidden))
    for grade_id in sorted(set(cells) - expected):
        problems.append(f"{grade_id}: no declared practice has this cell "
                        f"(declared: {', '.join(p.name for p in practices)})")
    return problems


def _defines(source: str, function: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == function for n in tree.body)


def _call_problems(source: str, practice: Practice, points: float, hidden: bool) -> list[str]:
    """How a grade cell's ``score(...)`` call differs from the one its declaration gives."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return [f"not valid Python ({exc.msg})"]
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n.func) == "score"]
    if len(calls) != 1:
        return [f"should call graders.notebook.score once, calls it {len(calls)} times"]
    call = calls[0]
    problems = []
    args = [_literal(a) for a in call.args]
    keywords = {k.arg: _literal(k.value) for k in call.keywords}
    if not args or args[0] != practice.name:
        problems.append(f"scores {args[0] if args else None!r}, not {practice.name!r}")
    if len(call.args) < 2 or _name(call.args[1]) != practice.function:
        problems.append(f"should pass {practice.function}")
    given = keywords.get("points", args[2] if len(args) > 2 else None)
    if not isinstance(given, (int, float)) or abs(given - points) > 1e-9:
        problems.append(f"passes points={given!r}, the rubric's half is {points:g}")
    if bool(keywords.get("hidden", False)) != hidden:
        problems.append("should pass hidden=True" if hidden else "should not pass hidden=True")
    if hidden and not (HIDDEN_START in source and source.index(HIDDEN_START) < source.find(HIDDEN_END)):
        problems.append(f"the hidden call should be between {HIDDEN_START} and {HIDDEN_END}")
    return problems


def _name(node) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None
