"""Class figures drawn from the roster: the grades table, criterion pass rates, common mistakes."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from graders.report.roster import SAME_SCORE, PracticeRecord, Student

#: where a graded submission failed as a whole; its practices all carry that one reason
WHOLE_SUBMISSION = "submission"
#: the criterion name given to a practice that could not be graded at all
NOT_GRADED = "could not be graded"


def class_practices(students: list[Student]) -> list[str]:
    """Every practice any student has, in the class's order (as :func:`graders.report.roster.build_roster`
    numbered them: first met in the reports, then in the gradebook)."""
    places: dict[str, int] = {}
    for student in students:
        for name, record in student.practices.items():
            places[name] = min(places.get(name, record.order), record.order)
    return sorted(places, key=places.__getitem__)


#: the columns that name a student in ``class.csv``, as nbgrader's own export names them
PERSON_COLUMNS = ("student_id", "first_name", "last_name", "email")


def grade_rows(students: list[Student], practices: list[str]) -> list[list]:
    """The grades table an LMS imports: a header, then one row per student.

    Columns: ``student_id`` (nbgrader's student id: the name the report uses),
    ``first_name``, ``last_name`` and ``email`` where the gradebook has them,
    one per practice, ``total``. A practice a student was not graded on is an
    empty cell; scores are plain numbers rounded to hundredths (``14.69``,
    never ``14.690000000000001``).
    """
    rows: list[list] = [[*PERSON_COLUMNS, *practices, "total"]]
    for student in students:
        cells = []
        for name in practices:
            record = student.practices.get(name)
            cells.append(plain_number(record.score) if record is not None and record.graded else "")
        person = [_cell_text(student.person.get(key) or "") for key in PERSON_COLUMNS[1:]]
        rows.append([_cell_text(student.name), *person, *cells, plain_number(student.total)])
    return rows


def _cell_text(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ (or a tab or carriage return before one, which
    spreadsheets skip) would make it a formula (OWASP's CSV injection advice)."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def plain_number(value: float) -> str:
    """A score for a CSV cell: rounded to hundredths, no exponent, no trailing zeros (``14.69``, ``10``)."""
    text = f"{round(float(value), 2) + 0.0:.2f}"
    return text.rstrip("0").rstrip(".")


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
    not passing any of its criteria. A blank submission
    (:func:`graders.report.risk.not_attempted`) does not count at all.
    """
    from graders.report.risk import not_attempted

    students = [s for s in students if not not_attempted(s)]
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
    """One cause of lost points, across students: a row of the dashboard's common mistakes.

    Grouped by the practice, the criterion's family (``Best checkpoint`` for
    each directory's ``Best checkpoint: KIND``) and the cause (see
    :func:`cause_key`). ``criteria`` are the full criterion names it was met
    under; ``wordings`` counts each feedback line with student-specific parts
    blanked (:func:`mistake_pattern`); ``example`` is one real line and the
    student who got it.
    """

    practice: str
    criterion: str
    cause: str
    criteria: list[str] = field(default_factory=list)
    students: list[str] = field(default_factory=list)
    occurrences: int = 0
    wordings: Counter = field(default_factory=Counter)
    example: str = ""
    example_student: str = ""

    @property
    def instances(self) -> list[str]:
        """The criteria it was met under, each without the family's name: the directories' kinds, say."""
        shown = [name[len(self.criterion):].strip(" :-–—()") if name.startswith(self.criterion) else name
                 for name in self.criteria]
        return [name for name in shown if name]

    @property
    def label(self) -> str:
        """The row's label: the first sentence of :attr:`pattern` (the rest is a tip; the example shows it whole)."""
        return re.split(r"(?<=[.!?])\s+(?=[A-Z가-힣])", self.pattern, maxsplit=1)[0]

    @property
    def pattern(self) -> str:
        """The commonest blanked wording (the shortest among equals): the row's label."""
        return min(self.wordings, key=lambda w: (-self.wordings[w], len(w), w)) if self.wordings else self.cause


#: a quoted name or value: blanked unless it is a setting's value (after "expected KEY " or "found ",
#: in a report graded in Korean after "KEY이(가) " or "하는데 ")
_QUOTED = re.compile(r"(?<!\w)'[^'\n]*'(?!\w)")
_SETTING_BEFORE = re.compile(r"(?:\bexpected \w+|\bfound|\w이\(가\)|하는데) $")
#: numbers that depend on the student's own code, not on the spec
_STUDENT_NUMBER = re.compile(r"\b(your layer|line|code cell|byte) \d+")
#: the same in Korean: "코드 셀 3", "24번째 줄", "제출한 모델의 2번째 층"
_STUDENT_NUMBER_KO = re.compile(r"(?<=코드 셀 )\d+|\d+(?=번째 (?:줄|층))")
#: what follows "found" (in Korean "하는데"): the student's wrong count, shape or size
_FOUND_CLAUSE = re.compile(r"\bfound\b[^;]*|하는데 [^;]*")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?!\w)")
BLANK = "…"


def mistake_pattern(line: str, submission: str | None = None) -> str:
    """A feedback line with what differs from student to student blanked, for showing.

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
    text = _STUDENT_NUMBER_KO.sub("#", text)
    return _FOUND_CLAUSE.sub(lambda m: _NUMBER.sub("#", m.group(0)), text)


#: anything quoted: a name, a value, a directory, a piece of code
#: (an apostrophe inside a word, as in "spec's", opens no quote)
_ANY_QUOTED = re.compile(r"(?<!\w)'[^'\n]*'(?!\w)|(?<!\w)\"[^\"\n]*\"(?!\w)|`[^`\n]*`|‘[^’\n]*’|“[^”\n]*”")
_INNER_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
#: a file path, absolute or relative, with / or \\ between its parts
_PATH = re.compile(r"(?:[A-Za-z]:)?[\w.~-]*(?:[/\\][\w.~-]+)+[/\\]?")
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)")
#: a number standing alone; digits inside a name (L4, Conv2D, 2x2) belong to the name
_LONE_NUMBER = re.compile(r"(?<![A-Za-z_\d])\d+(?:[.,]\d+)*(?![A-Za-z_\d])")
#: a word of any script (a report graded in Korean groups by its Korean words), or the # of a number
_WORD = re.compile(r"[\w#]+")


def cause_key(line: str, submission: str | None = None, names: tuple[str, ...] = ()) -> str:
    """What a feedback line says went wrong, with its wording's particulars taken out, for grouping.

    Taken out: the submission's path and the given ``names`` (a checkpoint
    directory's kind, say), anything quoted, anything in parentheses or
    brackets, file paths, every sentence after the first (the tips), and
    punctuation and case; a number standing alone becomes ``#`` (a spec id
    such as ``L4`` stays). So one cause met in
    different directories, with different layer numbers or names, or with an
    aside in parentheses, gives one key; different causes keep different words.

    >>> cause_key("On the 'legacy .h5 files' directory, your function returned the last checkpoint "
    ...           "(also the most recently modified file), not the best. Training goes on.")
    'on the directory your function returned the last checkpoint not the best'
    >>> cause_key("layer 4 (Dense): expected activation 'relu', found 'tanh'.")
    'layer # expected activation found'
    """
    text = line
    for name in (submission, *names):
        if name:
            text = text.replace(name, " ")
    text = _ANY_QUOTED.sub(" ", text)
    while True:
        shorter = _INNER_PARENTHESES.sub(" ", text)
        if shorter == text:
            break
        text = shorter
    text = _PATH.sub(" ", text)
    text = _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    words = _WORD.findall(_LONE_NUMBER.sub("#", text).lower())
    return " ".join(words) or "#"


def criterion_family(name: str, names: tuple[str, ...] = ()) -> str:
    """A criterion's name without what tells its instances apart: ``Best checkpoint: KIND`` → ``Best checkpoint``.

    ``names`` (the practice's checkpoint directory kinds, say) are taken out
    wherever they stand; then whatever follows a colon or stands in parentheses.
    """
    text = name
    for part in names:
        if part:
            text = text.replace(part, " ")
    text = re.split(r"[:(\[]", text, maxsplit=1)[0]
    text = " ".join(text.split()).strip(" -–—,")
    return text or name


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


def _given_causes(record: PracticeRecord) -> dict[str, list[str]]:
    """Cause ids a criterion carries itself (``"cause"``: an id, or a list of ids), by criterion name."""
    given = {}
    for criterion in record.criteria:
        cause = criterion.get("cause")
        if isinstance(cause, str) and cause:
            given[criterion["name"]] = [cause]
        elif isinstance(cause, list) and cause and all(isinstance(c, str) and c for c in cause):
            given[criterion["name"]] = list(cause)
    return given


def _instance_names(record: PracticeRecord) -> tuple[str, ...]:
    """What tells a practice's criteria apart besides the cause: its checkpoint directories' kinds."""
    runs = record.details.get("runs") if isinstance(record.details, dict) else None
    kinds = [run.get("kind") for run in runs or [] if isinstance(run, dict)]
    # the longest first, so a kind inside another is not cut out of it
    return tuple(sorted({k for k in kinds if isinstance(k, str) and k}, key=len, reverse=True))


def common_mistakes(students: list[Student]) -> list[Mistake]:
    """Lost points grouped by cause, most students first.

    A row is a practice, a criterion family and a cause: the cause id a
    criterion carries (``"cause"``), else :func:`cause_key` of the feedback
    line. A submission that failed as a whole counts once, under
    ``submission``, not once per practice. A blank submission
    (:func:`graders.report.risk.not_attempted`) is not a mistake and is left out.
    """
    from graders.report.risk import not_attempted

    groups: dict[tuple[str, str, str], Mistake] = {}

    def add(practice: str, criterion: str, line: str, student: Student, submission: str | None,
            names: tuple[str, ...] = (), given: list[str] | None = None) -> None:
        family = criterion_family(criterion, names)
        for cause in given or [cause_key(line, submission, names)]:
            mistake = groups.setdefault((practice, family, cause), Mistake(practice, family, cause))
            if criterion not in mistake.criteria:
                mistake.criteria.append(criterion)
            if student.name not in mistake.students:
                mistake.students.append(student.name)
            mistake.occurrences += 1
            mistake.wordings[mistake_pattern(line, submission)] += 1
            if not mistake.example:
                mistake.example, mistake.example_student = line, student.name

    for student in students:
        if not_attempted(student):
            continue
        for submission in student.failed_submissions:
            add(WHOLE_SUBMISSION, NOT_GRADED, submission.error, student, submission.path)
        for record in student.practices.values():
            if not record.detailed or record.failed_with_submission:
                continue
            names, given = _instance_names(record), _given_causes(record)
            for criterion, line in lost_point_lines(record):
                add(record.name, criterion, line, student, record.submission, names, given.get(criterion))
    return sorted(groups.values(), key=lambda m: (-len(m.students), -m.occurrences, m.practice, m.pattern))


def class_max_total(students: list[Student]) -> float | None:
    """The most points of the class: the commonest maximum total, None when none is known."""
    maxima = [s.max_total for s in students if s.max_total is not None]
    return statistics.mode(maxima) if maxima else None


def mean(values: list[float]) -> float | None:
    """The arithmetic mean, or None for no values."""
    return sum(values) / len(values) if values else None
