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

from graders.i18n import _
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
                problems.append(_("{grade_id}: two cells have this grade_id").format(grade_id=grade_id))
            cells[grade_id] = (meta, cell.source)
    expected = set()
    for practice in practices:
        answer = practice.answer_cell
        expected.add(answer)
        if answer not in cells:
            problems.append(_("{grade_id}: no solution cell for practice {practice}").format(
                grade_id=answer, practice=practice.name))
        elif not cells[answer][0].get("solution"):
            problems.append(_("{grade_id}: not a solution cell").format(grade_id=answer))
        elif not _defines(cells[answer][1], practice.function):
            problems.append(_("{grade_id}: does not define {function}()").format(
                grade_id=answer, function=practice.function))
        for grade_id, points in practice.grade_cells().items():
            expected.add(grade_id)
            hidden = grade_id.endswith("-hidden")
            if grade_id not in cells:
                problems.append(_("{grade_id}: no grade cell (worth {points} points)").format(
                    grade_id=grade_id, points=f"{points:g}"))
                continue
            meta, source = cells[grade_id]
            if not meta.get("grade") or not meta.get("locked"):
                problems.append(_("{grade_id}: not a locked grade cell").format(grade_id=grade_id))
            if abs(float(meta.get("points", 0)) - points) > 1e-9:
                text = (_("{grade_id}: worth {points} points, the rubric's hidden criteria {rubric}") if hidden
                        else _("{grade_id}: worth {points} points, the rubric's public criteria {rubric}"))
                problems.append(text.format(grade_id=grade_id, points=meta.get("points"), rubric=f"{points:g}"))
            problems.extend(f"{grade_id}: {p}" for p in _call_problems(source, practice, points, hidden))
    for grade_id in sorted(set(cells) - expected):
        problems.append(_("{grade_id}: no declared practice has this cell (declared: {practices})").format(
            grade_id=grade_id, practices=", ".join(p.name for p in practices)))
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
        return [_("not valid Python ({error})").format(error=exc.msg)]
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n.func) == "score"]
    if len(calls) != 1:
        return [_("should call graders.notebook.score once, calls it {count} times").format(count=len(calls))]
    call = calls[0]
    problems = []
    args = [_literal(a) for a in call.args]
    keywords = {k.arg: _literal(k.value) for k in call.keywords}
    if not args or args[0] != practice.name:
        problems.append(_("scores {found}, not {practice}").format(
            found=repr(args[0] if args else None), practice=repr(practice.name)))
    if len(call.args) < 2 or _name(call.args[1]) != practice.function:
        problems.append(_("should pass {function}").format(function=practice.function))
    given = keywords.get("points", args[2] if len(args) > 2 else None)
    if not isinstance(given, (int, float)) or abs(given - points) > 1e-9:
        problems.append(_("passes points={given}, the rubric's half is {points}").format(
            given=repr(given), points=f"{points:g}"))
    if bool(keywords.get("hidden", False)) != hidden:
        problems.append(_("should pass hidden=True") if hidden else _("should not pass hidden=True"))
    if hidden and not (HIDDEN_START in source and source.index(HIDDEN_START) < source.find(HIDDEN_END)):
        problems.append(_("the hidden call should be between {start} and {end}").format(start=HIDDEN_START, end=HIDDEN_END))
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
