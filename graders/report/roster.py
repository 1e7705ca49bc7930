"""The class as the report sees it: one :class:`Student` per student, from their reports and the gradebook.

Reports from ``graders grade --json`` bring criteria and details; an nbgrader
gradebook brings the scores of record. A student found in both gets the
gradebook's scores and the report's details; a student found in one only gets
what that one knows.

A student may hand in several assignments (the lesson, then another one),
graded into one report each: reports of one name that share no practice are
one student, their practices joined and their totals summed. Two reports of
one name that share a practice are two students (``alice``, ``alice-2``).

Nothing here knows a course's practices: their titles, contract functions and
maxima come from the reports, and their order is the order the reports first
list them in (a report lists its assignment's practices in declared order),
then the order the gradebook first names the others in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

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
    #: the practice's title as the reports give it: an English id, translated where shown (:attr:`title`)
    title_id: str = ""
    #: the contract function the practice asks for, as the reports give it ("" when they do not)
    function: str = ""
    #: the submission it was graded from (None when only the gradebook knows it), and that submission's
    #: own error, the reason it could not be graded as a whole
    submission: str | None = None
    submission_error: str | None = None
    #: the practice's place in the class's order (see :func:`build_roster`)
    order: int = 0

    @property
    def title(self) -> str:
        return grader_word(self.title_id) if self.title_id else ""

    @property
    def lost_points(self) -> bool:
        return self.graded and self.max_score is not None and self.score < self.max_score - SAME_SCORE

    @property
    def failed_with_submission(self) -> bool:
        """Did the practice fail only because its whole submission did (its reason is the submission's)?"""
        return self.error is not None and self.error == self.submission_error


@dataclass
class Submission:
    """One graded file of a student: its path, the practices graded from it, its points, its error and notes."""

    path: str
    practices: list[str]
    total: float
    max_total: float | None
    error: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Student:
    """A student's whole result; ``page`` is the file name of their page under ``students/``.

    ``submissions`` are the graded files, in the order their reports came
    (none for a student only the gradebook knows); ``notes`` are those on the
    student as a whole (the gradebook's differences), each submission keeping
    its own.
    """

    name: str
    page: str
    practices: dict[str, PracticeRecord]
    total: float
    max_total: float | None
    submissions: list[Submission] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    #: the practices whose gradebook score differs from the one ``graders grade`` reported
    differences: list[str] = field(default_factory=list)
    #: what the gradebook knows of the student: ``first_name``, ``last_name``, ``email``
    person: dict[str, str] = field(default_factory=dict)

    @property
    def submission(self) -> str | None:
        """The first submission's path; None for a student only the gradebook knows."""
        return self.submissions[0].path if self.submissions else None

    @property
    def failed_submissions(self) -> list[Submission]:
        """The submissions that could not be graded as a whole."""
        return [s for s in self.submissions if s.error]

    @property
    def all_notes(self) -> list[str]:
        """Every note: each submission's, then the student's own."""
        return [note for s in self.submissions for note in s.notes] + self.notes


@dataclass
class KnownPractice:
    """What the reports say of a practice, for records that lack it (gradebook scores): its place, maximum, words."""

    order: int
    max_score: float | None = None
    title: str = ""
    function: str = ""


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


def report_student(report: dict) -> str:
    """The student a report belongs to: its ``student`` (nbgrader's id) if it has one, else :func:`student_name`."""
    student = report.get("student")
    return student if isinstance(student, str) and student else student_name(str(report["submission"]))


def known_practices(reports: list[dict], gradebook: dict[str, dict[str, float]] | None = None,
                    maxima: dict[str, float] | None = None) -> dict[str, KnownPractice]:
    """Every practice of the class, in its order: first met in the reports, then in the gradebook.

    Each gets the first maximum, title and contract function the reports give
    it; a maximum no report gives comes from the gradebook's ``maxima`` (its
    grade cells' points), if given.
    """
    known: dict[str, KnownPractice] = {}
    for report in reports:
        for name, data in report["practices"].items():
            entry = known.setdefault(name, KnownPractice(len(known)))
            if entry.max_score is None:
                entry.max_score = _number(data.get("max_score"))
            entry.title = entry.title or _text(data.get("title"))
            entry.function = entry.function or _text(data.get("function"))
    for scores in (gradebook or {}).values():
        for name in scores:
            if name != "total":
                known.setdefault(name, KnownPractice(len(known)))
    for name, entry in known.items():
        if entry.max_score is None and name in (maxima or {}):
            entry.max_score = float(maxima[name])
    return known


def build_roster(reports: list[dict], gradebook: dict[str, dict[str, float]] | None = None,
                 people: dict[str, dict[str, str]] | None = None, maxima: dict[str, float] | None = None
                 ) -> list[Student]:
    """One :class:`Student` per student reported or in the gradebook, sorted by name.

    Takes report dicts of ``graders grade --json``, the gradebook's scores
    (``{student: {practice: points, ..., "total": points}}``) and what the
    gradebook knows of each student (``{student: {"first_name", "last_name",
    "email"}}``). Names come from the reports (:func:`report_student`); under
    nbgrader's folders they are the gradebook's student ids. Reports of one
    name that share no practice (two assignments) make one student; reports
    of one name that share one make one student each, their names made unique.
    """
    known = known_practices(reports, gradebook, maxima)
    groups: list[tuple[str, list[dict]]] = []
    for report in reports:
        name = report_student(report)
        group = next((reports_of for owner, reports_of in groups
                      if owner == name and not _shared_practices(reports_of, report)), None)
        if group is None:
            groups.append((name, [report]))
        else:
            group.append(report)
    names = unique_names([name for name, _reports in groups])
    students = {name: from_reports(name, reports_of, known) for name, (_owner, reports_of) in zip(names, groups)}
    for name, scores in (gradebook or {}).items():
        if name in students:
            merge_gradebook(students[name], scores, known)
        else:
            students[name] = from_gradebook(name, scores, known)
    for name, person in (people or {}).items():
        if name in students:
            students[name].person = dict(person)
    ordered = sorted(students.values(), key=lambda s: (s.name.casefold(), s.name))
    for student, page in zip(ordered, page_names([s.name for s in ordered])):
        student.page = page
    return ordered


def _shared_practices(reports: list[dict], report: dict) -> bool:
    return any(name in other["practices"] for other in reports for name in report["practices"])


def from_report(name: str, report: dict, known: dict[str, KnownPractice] | None = None) -> Student:
    """A student from one report dict of ``graders grade --json``."""
    return from_reports(name, [report], known)


def from_reports(name: str, reports: list[dict], known: dict[str, KnownPractice] | None = None) -> Student:
    """A student from the reports of their submissions (no practice in two), practices in the class's order.

    The total and the most points are the submissions' summed; the most
    points are unknown (None) when a submission's are.
    """
    known = known if known is not None else known_practices(reports)
    practices: dict[str, PracticeRecord] = {}
    submissions = []
    for report in reports:
        path, error = str(report["submission"]), report.get("error")
        for practice, data in report["practices"].items():
            about = _known(known, practice)
            practices[practice] = PracticeRecord(
                name=practice,
                score=float(data["score"]),
                max_score=_number(data.get("max_score")),
                criteria=list(data.get("criteria") or []),
                feedback=list(data.get("feedback") or []),
                error=data.get("error"),
                details=dict(data.get("details") or {}),
                graded=data.get("graded", True) is not False,
                title_id=_text(data.get("title")) or about.title,
                function=_text(data.get("function")) or about.function,
                submission=path,
                submission_error=error,
                order=about.order,
            )
        scores = [float(data["score"]) for data in report["practices"].values()]
        submissions.append(Submission(
            path=path,
            practices=list(report["practices"]),
            total=float(report.get("total", sum(scores))),
            max_total=_number(report.get("max_total")),
            error=error,
            notes=[str(n) for n in report.get("notes") or []],
        ))
    maxima = [s.max_total for s in submissions]
    return Student(
        name=name,
        page="",
        practices=_in_order(practices),
        total=submissions[0].total if len(submissions) == 1 else round(sum(s.total for s in submissions), 2),
        max_total=None if None in maxima else (maxima[0] if len(maxima) == 1 else round(sum(maxima), 2)),
        submissions=submissions,
        sources=["graders grade"],
    )


def from_gradebook(name: str, scores: dict[str, float], known: dict[str, KnownPractice] | None = None) -> Student:
    """A student known only from the gradebook: scores, no criteria."""
    known = known if known is not None else known_practices([], {name: scores})
    practices = _in_order({practice: _score_only(practice, points, known)
                           for practice, points in scores.items() if practice != "total"})
    return Student(
        name=name,
        page="",
        practices=practices,
        total=float(scores.get("total", sum(p.score for p in practices.values()))),
        max_total=max_total(practices),
        sources=["nbgrader gradebook"],
    )


def merge_gradebook(student: Student, scores: dict[str, float], known: dict[str, KnownPractice] | None = None) -> None:
    """Puts the gradebook's scores on a reported student, with a note wherever the two differ."""
    known = known if known is not None else {}
    for practice, points in scores.items():
        if practice == "total":
            continue
        record = student.practices.get(practice)
        if record is None:
            student.practices[practice] = _score_only(practice, points, known)
            continue
        if abs(record.score - points) > SAME_SCORE:
            student.differences.append(practice)
            student.notes.append(
                tr("{practice}: the gradebook has {gradebook} points, the graders report {graders}; "
                   "the gradebook's score is shown.").format(practice=practice, gradebook=f"{points:g}",
                                                             graders=f"{record.score:g}")
            )
            record.score = float(points)
    student.practices = _in_order(student.practices)
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


def _score_only(practice: str, points: float, known: dict[str, KnownPractice]) -> PracticeRecord:
    """A practice only the gradebook scored: its points, and what the reports say of it."""
    about = _known(known, practice)
    return PracticeRecord(practice, float(points), about.max_score, detailed=False, title_id=about.title,
                          function=about.function, order=about.order)


def _known(known: dict[str, KnownPractice], practice: str) -> KnownPractice:
    """What the reports say of ``practice``; a practice they do not know comes after those they do."""
    return known.get(practice) or known.setdefault(practice, KnownPractice(len(known)))


def _in_order(practices: dict[str, PracticeRecord]) -> dict[str, PracticeRecord]:
    """The records in the class's order (a stable sort: records of one place keep the order met)."""
    return dict(sorted(practices.items(), key=lambda item: item[1].order))


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None
