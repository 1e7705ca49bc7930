"""Running the nbgrader cycle of the lesson: release, submissions, autograde, feedback, export.

Used by ``make demo`` (a small class of fictional students) and by the
end-to-end tests. Each step is the real ``nbgrader`` command, run in a course
folder laid out the way nbgrader expects::

    COURSE/nbgrader_config.py
    COURSE/reference/practice1.py ...                      (reference answers, read by the trusted grader)
    COURSE/exercises/keras_lesson/keras_lesson.ipynb      (source, with solutions)
    COURSE/release/keras_lesson/keras_lesson.ipynb        (made by generate_assignment)
    COURSE/submitted/STUDENT/keras_lesson/keras_lesson.ipynb
    COURSE/autograded/..., COURSE/feedback/..., COURSE/grades.csv, COURSE/gradebook.db

A student's answers are given as Python source defining the contract
functions; :func:`fill_answers` writes each function into its solution cell of
the released notebook, as a student typing in Jupyter would.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

ASSIGNMENT = "keras_lesson"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
#: the same lesson in Korean: the same code cells, grade cells and points (graders.lesson_ko)
ASSIGNMENT_KO = "keras_lesson_ko"


def lesson_assignment() -> str:
    """The lesson's assignment in the language messages are shown in (``GRADERS_LANG``, the locale)."""
    from graders.i18n import current_language

    return ASSIGNMENT_KO if current_language() == "ko" else ASSIGNMENT
PROJECT = Path(__file__).resolve().parent.parent

#: a second assignment, from the lesson's compile and callbacks section; its practices are declared
#: in its own folder (exercises/keras_callbacks/practices.py)
CALLBACKS_ASSIGNMENT = "keras_callbacks"


def answer_cells(assignment: str | None = ASSIGNMENT) -> dict[str, str]:
    """Solution cell (nbgrader grade_id) -> the contract function written in it, from the practices' declarations."""
    from graders.practices.discover import practices_for

    return {p.answer_cell: p.function for p in practices_for(assignment, PROJECT)}


#: the lesson's solution cells and their contract functions
ANSWER_CELLS = answer_cells()


class CourseError(RuntimeError):
    """An nbgrader step failed; the message names the step and nbgrader's last words."""


@dataclass
class StepTiming:
    step: str
    seconds: float


def fill_answers(
    notebook: nbformat.NotebookNode, source: str, extra: dict[str, str] | None = None, assignment: str = ASSIGNMENT
) -> nbformat.NotebookNode:
    """Writes the functions defined in ``source`` into their solution cells.

    The module-level imports of ``source`` go at the top of each filled cell, so
    every cell stands on its own; a class or constant goes into the cell of the
    first function that uses it (else of the next function). Functions that ``source`` does not define
    keep the released stub (``raise NotImplementedError()``). ``extra`` maps a
    solution cell's grade_id to code appended to that cell (what else a student
    typed there), e.g. ``{"practice1-answer": "print('hi')"}``.

    Raises:
        SyntaxError: ``source`` is not valid Python.
        KeyError: ``extra`` names a cell the notebook does not have.
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    imports = [ast.get_source_segment(source, node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    functions, others, order = {}, [], []
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
        text = "\n".join(lines[start : node.end_lineno])
        if isinstance(node, ast.FunctionDef):
            functions[node.name] = [text]
            order.append((node.name, {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}))
        elif not isinstance(node, (ast.Import, ast.ImportFrom)) and not _is_docstring(node):
            others.append((len(order), text, _defined_names(node)))
    # a class or constant goes into the cell of the first function that uses it, else of the next function
    for position, text, names in others:
        users = [name for name, used in order if names & used]
        chosen = users[0] if users else order[min(position, len(order) - 1)][0] if order else None
        if chosen is not None:
            functions[chosen].insert(len(functions[chosen]) - 1, text)
    functions = {name: "\n\n\n".join(parts) for name, parts in functions.items()}
    filled = nbformat.from_dict(notebook)
    extra = dict(extra or {})
    cells = answer_cells(assignment)
    for cell in filled.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        function = cells.get(grade_id)
        if function in functions:
            cell.source = "\n".join(imports + ([""] if imports else []) + [functions[function]])
        if grade_id in extra:
            cell.source = cell.source.rstrip("\n") + "\n\n" + extra.pop(grade_id).strip("\n") + "\n"
    if extra:
        raise KeyError(f"no cell {', '.join(sorted(extra))} in the notebook")
    return filled


def _defined_names(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.ClassDef, ast.AsyncFunctionDef)):
        return {node.name}
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def setup_course(root: Path) -> Path:
    """A fresh course folder at ``root`` with this project's config, source notebooks and reference answers.

    The trusted grader reads the reference answers from the course's
    ``reference/`` folder (an instructor's copy), not from the installed package.
    """
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copy(PROJECT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(PROJECT / "exercises", root / "exercises")
    shutil.copytree(PROJECT / "reference", root / "reference", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return root


def nbgrader(root: Path, *args: str, timings: list | None = None) -> str:
    """Runs one ``nbgrader`` command in the course folder; returns its combined output.

    Raises:
        CourseError: the command exited non-zero.
    """
    command = [str(Path(sys.executable).with_name("nbgrader")), *args]
    started = time.monotonic()
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, env=_quiet_env())
    if timings is not None:
        # "autograde keras_lesson": the step and its assignment, when it has one
        step = " ".join(args[:2]) if len(args) > 1 and not args[1].startswith("-") else args[0]
        timings.append(StepTiming(step, time.monotonic() - started))
    output = done.stdout + done.stderr
    if done.returncode != 0:
        last = [line for line in output.splitlines() if line.strip()][-3:]
        raise CourseError(f"nbgrader {' '.join(args)} failed: {' | '.join(last)}")
    return output


def release(root: Path, timings: list | None = None, assignment: str = ASSIGNMENT) -> Path:
    """Generates the student version; returns the released notebook's path."""
    nbgrader(root, "generate_assignment", assignment, "--force", "--create", timings=timings)
    return root / "release" / assignment / f"{assignment}.ipynb"


def submit(root: Path, student: str, notebook: nbformat.NotebookNode, assignment: str = ASSIGNMENT) -> Path:
    """Places a student's notebook where nbgrader collects submissions."""
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.ipynb"
    nbformat.write(notebook, path)
    (folder / "timestamp.txt").write_text("2026-11-27 09:00:00.000000 UTC")
    return path


def autograde(root: Path, timings: list | None = None, assignment: str = ASSIGNMENT) -> None:
    nbgrader(root, "autograde", assignment, "--create", "--force", timings=timings)


def feedback(root: Path, timings: list | None = None, assignment: str = ASSIGNMENT) -> None:
    nbgrader(root, "generate_feedback", assignment, "--force", timings=timings)


def export(root: Path, timings: list | None = None) -> Path:
    nbgrader(root, "export", "--to", "grades.csv", timings=timings)
    return root / "grades.csv"


def gradebook_scores(root: Path, assignment: str = ASSIGNMENT) -> dict[str, dict[str, float]]:
    """Per student, the points of each practice (its grade cells summed) and the total."""
    from nbgrader.api import Gradebook

    scores: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}") as gradebook:
        submission_notebooks = gradebook.notebook_submissions(assignment, assignment)
        for notebook in submission_notebooks:
            student = notebook.student.id
            row = scores.setdefault(student, {})
            for grade in notebook.grades:
                practice = grade.name.split("-")[0]
                row[practice] = round(row.get(practice, 0.0) + (grade.score or 0.0), 2)
            row["total"] = round(notebook.score, 2)
    return scores


def _quiet_env() -> dict:
    env = dict(os.environ)
    # nbgrader runs `alembic` and kernels from PATH: make it this environment's
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    env.setdefault("MPLBACKEND", "Agg")
    return env


def demo_assignment(students_dir: Path) -> str:
    """The assignment a folder of demo answers is for: the one of ``exercises/`` it is named after, else the lesson."""
    name = Path(students_dir).name
    return name if (PROJECT / "exercises" / name).is_dir() else lesson_assignment()


def run_demo(outdir: Path, *students_dirs: Path) -> dict[str, dict[str, dict[str, float]]]:
    """The whole cycle for the bundled class: one notebook per ``students_dir/*.py`` and assignment.

    Each folder holds the answers of one assignment (see :func:`demo_assignment`:
    ``demo/students`` the lesson, ``demo/keras_callbacks`` that assignment); a
    student file holds that student's answers (an empty file is a blank
    submission). Prints each step, a class summary table per assignment and
    where feedback is. Returns per assignment the gradebook's scores.
    """
    timings: list[StepTiming] = []
    root = setup_course(outdir)
    print(f"course folder: {root}")
    plan = {demo_assignment(folder): Path(folder) for folder in students_dirs}
    for assignment, folder in plan.items():
        released = nbformat.read(release(root, timings, assignment), as_version=4)
        for answers in sorted(folder.glob("*.py")):
            submit(root, answers.stem, fill_answers(released, answers.read_text(), assignment=assignment), assignment)
            print(f"submitted: {answers.stem} ({assignment})")
    results = {}
    for assignment in plan:
        print(f"autograding {assignment} (each notebook runs top to bottom; the lesson's training runs short) ...",
              flush=True)
        autograde(root, timings, assignment)
        feedback(root, timings, assignment)
        results[assignment] = gradebook_scores(root, assignment)
    grades = export(root, timings)
    for assignment, scores in results.items():
        print()
        print(assignment)
        print(format_class_summary(scores))
    print()
    for step in timings:
        print(f"nbgrader {step.step}: {step.seconds:.1f} s")
    print(f"gradebook: {root / 'gradebook.db'}")
    print(f"grades CSV: {grades}")
    print(f"feedback: {root / 'feedback'}/STUDENT/ASSIGNMENT/ASSIGNMENT.html")
    return results


def format_class_summary(scores: dict[str, dict[str, float]]) -> str:
    """A table: one row per student, a column per practice and the total."""
    practices = sorted({key for row in scores.values() for key in row if key != "total"})
    header = ["student", *practices, "total"]
    rows = [[student, *(f"{row.get(p, 0):g}" for p in practices), f"{row['total']:g}"] for student, row in sorted(scores.items())]
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [header] + rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


if __name__ == "__main__":
    run_demo(Path(sys.argv[1]), *map(Path, sys.argv[2:]))
