"""Reading what a report is made from: the CLI's JSON Lines and an nbgrader gradebook."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from graders.report.text import tr

#: the keys every report dict of ``graders grade --json`` has (see graders.grade.report)
REPORT_KEYS = ("submission", "practices")
#: what nbgrader's gradebook may know of a student besides the id, as an LMS wants it
PERSON_FIELDS = ("first_name", "last_name", "email")
#: a grade cell's id, ``<practice>-public`` or ``<practice>-hidden`` (as graders.autograde names them); a
#: practice's own name may hold ``-`` and ``_``, so only the last part is taken off
GRADE_CELL = re.compile(r"(?P<practice>.+)-(?:public|hidden)")


class InputError(Exception):
    """An input cannot be used at all; the message is one line naming it."""


def read_jsonl(paths: Iterable[str | Path]) -> tuple[list[dict], list[str]]:
    """Reads report dicts from JSON Lines files, skipping the lines that are not reports.

    Takes the files in order. Returns ``(reports, warnings)``: the reports in
    file and line order, and one line per skipped line naming its file and
    line number (``class.jsonl:7: not JSON (...)``). Blank lines are ignored.

    Raises:
        InputError: a file is missing or cannot be read.
    """
    reports, warnings = [], []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise InputError(tr("{path}: cannot be read ({error})").format(path=path, error=exc.strerror or exc)) from None
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                warnings.append(tr("{path}:{line}: skipped, not JSON ({error})").format(path=path, line=number,
                                                                                         error=exc.msg))
                continue
            problem = report_problem(value)
            if problem:
                warnings.append(tr("{path}:{line}: skipped, {problem}").format(path=path, line=number, problem=problem))
                continue
            reports.append(value)
    return reports, warnings


def report_problem(value) -> str | None:
    """Why ``value`` is not a report dict of ``graders grade --json``, or None if it is one."""
    if not isinstance(value, dict):
        return tr("a JSON {kind}, not a report object").format(kind=type(value).__name__)
    missing = [key for key in REPORT_KEYS if key not in value]
    if missing:
        return tr("not a graders report (no {keys})").format(keys=", ".join(missing))
    if not isinstance(value["practices"], dict):
        return tr("not a graders report (practices is not an object)")
    for name, practice in value["practices"].items():
        if not isinstance(practice, dict) or not isinstance(practice.get("score"), (int, float)):
            return tr("not a graders report ({practice} has no score)").format(practice=name)
    return None


@dataclass
class CourseGradebook:
    """What the report takes from an nbgrader gradebook.

    ``scores``: per student id, each practice's points (its grade cells summed)
    and ``"total"``, every number rounded to hundredths. ``people``: per
    student id, the ``first_name``, ``last_name`` and ``email`` the gradebook
    holds (empty strings where it holds none), for every student it lists.
    ``maxima``: each practice's points (its grade cells' points summed).
    """

    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    people: dict[str, dict[str, str]] = field(default_factory=dict)
    maxima: dict[str, float] = field(default_factory=dict)


def read_gradebook(course_dir: str | Path) -> CourseGradebook:
    """Scores and names from a course's nbgrader gradebook, read through nbgrader's API.

    Takes the course folder (the one holding ``gradebook.db``). Every
    assignment and notebook counts; a grade cell counts towards its practice
    (:func:`grade_practice`: ``practice1-hidden`` towards ``practice1``).

    >>> read_gradebook("course").scores["ada"]          # doctest: +SKIP
    {'practice1': 9.5, 'practice2': 2.0, 'total': 11.5}

    Raises:
        InputError: there is no gradebook, or nbgrader cannot read it.
    """
    database = Path(course_dir) / "gradebook.db"
    # nbgrader would create an empty gradebook where none exists
    if not database.is_file():
        raise InputError(tr("{folder}: no nbgrader gradebook (gradebook.db) in this folder").format(folder=course_dir))
    try:
        return _read_gradebook(database)
    except Exception as exc:  # SQLAlchemy and nbgrader raise many kinds for a broken database
        raise InputError(tr("{path}: nbgrader cannot read it ({error})").format(
            path=database, error=f"{type(exc).__name__}: {exc}")) from None


def _read_gradebook(database: Path) -> CourseGradebook:
    from nbgrader.api import Gradebook

    read = CourseGradebook()
    with Gradebook(f"sqlite:///{database}") as gradebook:
        for student in gradebook.students:
            read.people[student.id] = {key: getattr(student, key) or "" for key in PERSON_FIELDS}
        for assignment in gradebook.assignments:
            for notebook in assignment.notebooks:
                for submitted in gradebook.notebook_submissions(notebook.name, assignment.name):
                    row = read.scores.setdefault(submitted.student.id, {})
                    points: dict[str, float] = {}
                    for grade in submitted.grades:
                        practice = grade_practice(grade.name)
                        row[practice] = row.get(practice, 0.0) + (grade.score or 0.0)
                        points[practice] = points.get(practice, 0.0) + (grade.max_score or 0.0)
                    for practice, most in points.items():
                        read.maxima[practice] = round(max(most, read.maxima.get(practice, 0.0)), 2)
                    row["total"] = row.get("total", 0.0) + (submitted.score or 0.0)
    read.scores = {student: {key: round(points, 2) for key, points in row.items()}
                   for student, row in read.scores.items()}
    return read


def grade_practice(grade_id: str) -> str:
    """The practice a grade cell counts towards: its id without the last ``-public`` or ``-hidden``.

    A grade cell named otherwise counts on its own, under its whole id.

    >>> grade_practice("early-stop_v2-hidden")
    'early-stop_v2'
    >>> grade_practice("quiz")
    'quiz'
    """
    match = GRADE_CELL.fullmatch(grade_id)
    return match["practice"] if match else grade_id


def read_differences(course_dir: str | Path) -> list[dict]:
    """The notebooks of a course whose own grade cells disagreed with the trusted grader.

    See :func:`graders.autograde.tampered_students`; read through nbgrader's API.

    Raises:
        InputError: nbgrader cannot read the gradebook.
    """
    from graders.autograde import tampered_students

    try:
        return tampered_students(str(course_dir))
    except Exception as exc:  # SQLAlchemy and nbgrader raise many kinds for a broken database
        raise InputError(tr("{folder}: nbgrader cannot read its gradebook ({error})").format(
            folder=course_dir, error=f"{type(exc).__name__}: {exc}")) from None
