"""The class as the report sees it: one :class:`Student` per submission or gradebook entry.

Reports from ``graders grade --json`` bring criteria and details; an nbgrader
gradebook brings the scores of record. A student found in both gets the
gradebook's scores and the report's details; a student found in one only gets
what that one knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from graders.practices import PRACTICES
from graders.report.text import grader_word, tr

#: nbgrader's folders that hold STUDENT/ASSIGNMENT/NOTEBOOK
NBGRADER_FOLDERS = ("submitted", "autograded", "feedback")
#: how far two scores may differ and still be the same score (both are rounded to hundredths)
SAME_SCORE = 0.005


@dataclass
class PracticeRecord:
    """One practice of one student; ``detailed`` is False when only the score is known."""

    name: str
    score: float
    max_score: float | None
    criteria: list[dict] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    error: str | None = None
    details: dict = field(default_factory=dict)
    graded: bool = True
    detailed: bool = True

    @property
    def title(self) -> str:
        practice = PRACTICES.get(self.name)
        return grader_word(practice.title) if practice else ""

    @property
    def lost_points(self) -> bool:
        return self.graded and self.max_score is not None and self.score < self.max_score - SAME_SCORE


@dataclass
class Student:
    """A student's whole result; ``page`` is the file name of their page under ``students/``."""

    name: str
    page: str
    submission: str | None
    practices: dict[str, PracticeRecord]
    total: float
    max_total: float | None
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    #: the practices whose gradebook score differs from the one ``graders grade`` reported
    differences: list[str] = field(default_factory=list)
    #: what the gradebook knows of the student: ``first_name``, ``last_name``, ``email``
    person: dict[str, str] = field(default_factory=dict)


def student_name(submission: str) -> str:
    """The student a submission path belongs to.

    ``COURSE/submitted/STUDENT/ASSIGNMENT/file.ipynb`` (nbgrader's layout, also
    under ``autograded`` and ``feedback``) gives STUDENT; any other path gives
    the file name without its extension.

    >>> student_name("course/submitted/ada/keras_lesson/keras_lesson.ipynb")
    'ada'
    >>> student_name("demo/students/ben.py")
    'ben'
    """
    parts = PurePath(submission).parts
    if len(parts) >= 4 and parts[-4] in NBGRADER_FOLDERS:
        return parts[-3]
    return PurePath(submission).stem or submission or "submission"


def unique_names(names: list[str]) -> list[str]:
    """The names in order, a repeated one suffixed ``-2``, ``-3``, ... (ignoring case)."""
    taken: set[str] = set()
    out = []
    for name in names:
        candidate, number = name, 2
        while candidate.casefold() in taken:
            candidate, number = f"{name}-{number}", number + 1
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def page_names(names: list[str]) -> list[str]:
    """A safe, unique HTML file name for each student name (letters, digits, ``.-_`` only)."""
    stems = [re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_") or "student" for name in names]
    return [f"{stem}.html" for stem in unique_names(stems)]


def practice_order(names) -> list[str]:
    """The lesson's practices first in lesson order, then any others in the order met."""
    names = list(dict.fromkeys(names))
    return [n for n in PRACTICES if n in names] + [n for n in names if n not in PRACTICES]


def build_roster(reports: list[dict], gradebook: dict[str, dict[str, float]] | None = None,
                 people: dict[str, dict[str, str]] | None = None) -> list[Student]:
    """One :class:`Student` per report and per gradebook student not reported, sorted by name.

    Takes report dicts of ``graders grade --json``, the gradebook's scores
    (``{student: {practice: points, ..., "total": points}}``) and what the
    gradebook knows of each student (``{student: {"first_name", "last_name",
    "email"}}``). Names come from the submission paths (:func:`student_name`),
    made unique; under nbgrader's folders they are the gradebook's student ids.
    """
    names = unique_names([student_name(str(r["submission"])) for r in reports])
    students = {name: from_report(name, report) for name, report in zip(names, reports)}
    for name, scores in (gradebook or {}).items():
        if name in students:
            merge_gradebook(students[name], scores)
        else:
            students[name] = from_gradebook(name, scores)
    for name, person in (people or {}).items():
        if name in students:
            students[name].person = dict(person)
    ordered = sorted(students.values(), key=lambda s: (s.name.casefold(), s.name))
    for student, page in zip(ordered, page_names([s.name for s in ordered])):
        student.page = page
    return ordered


def from_report(name: str, report: dict) -> Student:
    """A student from one report dict of ``graders grade --json``."""
    practices = {}
    for practice in practice_order(report["practices"]):
        data = report["practices"][practice]
        practices[practice] = PracticeRecord(
            name=practice,
            score=float(data["score"]),
            max_score=_number(data.get("max_score")),
            criteria=list(data.get("criteria") or []),
            feedback=list(data.get("feedback") or []),
            error=data.get("error"),
            details=dict(data.get("details") or {}),
            graded=data.get("graded", True) is not False,
        )
    return Student(
        name=name,
        page="",
        submission=str(report["submission"]),
        practices=practices,
        total=float(report.get("total", sum(p.score for p in practices.values()))),
        max_total=_number(report.get("max_total")),
        error=report.get("error"),
        notes=[str(n) for n in report.get("notes") or []],
        sources=["graders grade"],
    )


def from_gradebook(name: str, scores: dict[str, float]) -> Student:
    """A student known only from the gradebook: scores, no criteria."""
    practices = {
        practice: PracticeRecord(practice, float(scores[practice]), _max_score(practice), detailed=False)
        for practice in practice_order(k for k in scores if k != "total")
    }
    return Student(
        name=name,
        page="",
        submission=None,
        practices=practices,
        total=float(scores.get("total", sum(p.score for p in practices.values()))),
        max_total=max_total(practices),
        sources=["nbgrader gradebook"],
    )


def merge_gradebook(student: Student, scores: dict[str, float]) -> None:
    """Puts the gradebook's scores on a reported student, with a note wherever the two differ."""
    for practice, points in scores.items():
        if practice == "total":
            continue
        record = student.practices.get(practice)
        if record is None:
            student.practices[practice] = PracticeRecord(practice, float(points), _max_score(practice), detailed=False)
            continue
        if abs(record.score - points) > SAME_SCORE:
            student.differences.append(practice)
            student.notes.append(
                tr("{practice}: the gradebook has {gradebook} points, the graders report {graders}; "
                   "the gradebook's score is shown.").format(practice=practice, gradebook=f"{points:g}",
                                                             graders=f"{record.score:g}")
            )
            record.score = float(points)
    student.practices = {p: student.practices[p] for p in practice_order(student.practices)}
    if "total" in scores:
        student.total = float(scores["total"])
    student.max_total = max_total(student.practices)
    student.sources.append("nbgrader gradebook")


def max_total(practices: dict[str, PracticeRecord]) -> float | None:
    """The most points the graded practices can give; None when a maximum is unknown."""
    maxima = [p.max_score for p in practices.values() if p.graded]
    if not maxima or None in maxima:
        return None
    return round(sum(maxima), 2)


def _max_score(practice: str) -> float | None:
    known = PRACTICES.get(practice)
    return float(known.max_score) if known else None


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None
