"""Class figures drawn from the roster: the grades table, criterion pass rates, common mistakes."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from graders.report.roster import SAME_SCORE, PracticeRecord, Student, practice_order

#: where a graded submission failed as a whole; its practices all carry that one reason
WHOLE_SUBMISSION = "submission"
#: the criterion name given to a practice that could not be graded at all
NOT_GRADED = "could not be graded"


def class_practices(students: list[Student]) -> list[str]:
    """Every practice any student has, in lesson order."""
    return practice_order(name for s in students for name in s.practices)


def grade_rows(students: list[Student], practices: list[str]) -> list[list]:
    """The grades table an LMS imports: a header, then one row per student.

    Columns: ``student``, one per practice, ``total``. A practice a student was
    not graded on is an empty cell; scores are plain numbers.
    """
    rows: list[list] = [["student", *practices, "total"]]
    for student in students:
        cells = []
        for name in practices:
            record = student.practices.get(name)
            cells.append(_plain(record.score) if record is not None and record.graded else "")
        rows.append([_cell_text(student.name), *cells, _plain(student.total)])
    return rows


def _cell_text(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would make it a formula."""
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


def _plain(value: float) -> str:
    return f"{round(value, 2):g}"


@dataclass
class CriterionRate:
    """How many of the students graded in detail earned a criterion's full points."""

    practice: str
    criterion: str
    max_score: float
    passed: int
    counted: int

    @property
    def rate(self) -> float:
        return self.passed / self.counted if self.counted else 0.0


def pass_rates(students: list[Student]) -> list[CriterionRate]:
    """The share of students with full points on each rubric criterion, practice by practice.

    Only students whose practice was graded with criteria (a CLI report) count;
    one whose practice could not be graded (missing function, crash) counts as
    not passing any of its criteria.
    """
    rates = []
    for practice in class_practices(students):
        records = [s.practices[practice] for s in students if practice in s.practices]
        records = [r for r in records if r.detailed and r.graded]
        maxima = {c["name"]: c["max_score"] for r in records for c in r.criteria}
        for criterion, points in maxima.items():
            passed = sum(_full_points(r, criterion) for r in records)
            rates.append(CriterionRate(practice, criterion, points, passed, len(records)))
    return rates


def _full_points(record: PracticeRecord, criterion: str) -> bool:
    return any(c["name"] == criterion and c["score"] >= c["max_score"] - SAME_SCORE for c in record.criteria)


@dataclass
class Mistake:
    """Feedback lines that say the same thing, across students.

    ``pattern`` is the line with student-specific parts blanked (see
    :func:`mistake_pattern`); ``example`` is one real line and the student who got it.
    """

    practice: str
    pattern: str
    criteria: list[str] = field(default_factory=list)
    students: list[str] = field(default_factory=list)
    occurrences: int = 0
    example: str = ""
    example_student: str = ""


#: a quoted name or value: blanked unless it is a setting's value (after "expected KEY " or "found ")
_QUOTED = re.compile(r"'[^'\n]*'")
_SETTING_BEFORE = re.compile(r"(?:\bexpected \w+|\bfound) $")
#: numbers that depend on the student's own code, not on the spec
_STUDENT_NUMBER = re.compile(r"\b(your layer|line|code cell|byte) \d+")
#: what follows "found": the student's wrong count, shape or size
_FOUND_CLAUSE = re.compile(r"\bfound\b[^;]*")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?!\w)")
BLANK = "…"


def mistake_pattern(line: str, submission: str | None = None) -> str:
    """A feedback line with what differs from student to student blanked, for grouping.

    Blanked: quoted names (layer names such as ``'dense_3'``, directory and
    Python names), the submission's own path, numbers after "found" and
    numbers that locate something in the student's code ("line 7", "your
    layer 5"). Kept: the spec's layer numbers and expected values, and a
    setting's expected and found value, so "expected activation 'relu', found
    'sigmoid'" stays what it is.

    >>> mistake_pattern("L3: expected MaxPooling2D(pool 2x2), found AveragePooling2D 'average_pooling2d'.")
    "L3: expected MaxPooling2D(pool 2x2), found AveragePooling2D '…'."
    >>> mistake_pattern("layer 5 (Dense): 650 parameters expected, found 330.")
    'layer 5 (Dense): 650 parameters expected, found #.'
    """
    text = line.strip()
    if submission:
        text = text.replace(submission, "<submission>")

    def quoted(match: re.Match) -> str:
        if _SETTING_BEFORE.search(text[: match.start()]):
            return match.group(0)
        return f"'{BLANK}'"

    text = _QUOTED.sub(quoted, text)
    text = _STUDENT_NUMBER.sub(lambda m: f"{m.group(1)} #", text)
    return _FOUND_CLAUSE.sub(lambda m: _NUMBER.sub("#", m.group(0)), text)


def lost_point_lines(record: PracticeRecord) -> list[tuple[str, str]]:
    """``(criterion, line)`` for each feedback line that explains points lost in ``record``.

    A criterion's message is its feedback lines joined; each line found in the
    message of a criterion short of its points is taken on its own, and a
    message without a matching line is taken whole. A practice that could not
    be graded gives its one reason.
    """
    if record.error:
        return [(NOT_GRADED, record.error)]
    out = []
    for criterion in record.criteria:
        message = criterion.get("message") or ""
        if criterion["score"] >= criterion["max_score"] - SAME_SCORE or not message.strip():
            continue
        lines = [line for line in record.feedback if line and line in message]
        out.extend((criterion["name"], line) for line in (lines or [message]))
    return out


def common_mistakes(students: list[Student]) -> list[Mistake]:
    """Lost-point feedback grouped by :func:`mistake_pattern`, most students first.

    A submission that failed as a whole counts once, under ``submission``,
    not once per practice.
    """
    groups: dict[tuple[str, str], Mistake] = {}

    def add(practice: str, criterion: str, line: str, student: Student) -> None:
        pattern = mistake_pattern(line, student.submission)
        mistake = groups.setdefault((practice, pattern), Mistake(practice, pattern))
        if criterion not in mistake.criteria:
            mistake.criteria.append(criterion)
        if student.name not in mistake.students:
            mistake.students.append(student.name)
        mistake.occurrences += 1
        if not mistake.example:
            mistake.example, mistake.example_student = line, student.name

    for student in students:
        if student.error:
            add(WHOLE_SUBMISSION, NOT_GRADED, student.error, student)
        for record in student.practices.values():
            if not record.detailed or (student.error and record.error == student.error):
                continue
            for criterion, line in lost_point_lines(record):
                add(record.name, criterion, line, student)
    return sorted(groups.values(), key=lambda m: (-len(m.students), -m.occurrences, m.practice, m.pattern))


def class_max_total(students: list[Student]) -> float | None:
    """The most points of the class: the commonest maximum total, None when none is known."""
    maxima = [s.max_total for s in students if s.max_total is not None]
    return statistics.mode(maxima) if maxima else None


def mean(values: list[float]) -> float | None:
    """The arithmetic mean, or None for no values."""
    return sum(values) / len(values) if values else None
