"""Which students need help, and why: the at-risk rules of the dashboard.

A student is at risk for any of these reasons, each a :class:`Reason` with
its rule and a line for the instructor:

* ``not attempted``: a blank submission, where no practice's function is defined;
* ``low total``: a total below the threshold (a share of the most points);
* ``failed practice``: a practice that scored 0 or could not be graded because of the answer;
* ``grader error``: the submission or a practice the grader could not grade;
* ``scores differ``: the gradebook and ``graders grade`` disagree, or the
  notebook's own grade cells showed other scores than the trusted grader.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from graders.answers import answer_problem
from graders.i18n import LANGUAGES, language
from graders.report.command import DEFAULT_AT_RISK
from graders.report.roster import SAME_SCORE, Student
from graders.report.text import tr

__all__ = ["DEFAULT_AT_RISK", "Reason", "at_risk_reasons", "missing_answer", "not_attempted"]

NOT_ATTEMPTED = "not attempted"
LOW_TOTAL = "low total"
FAILED_PRACTICE = "failed practice"
GRADER_ERROR = "grader error"
SCORES_DIFFER = "scores differ"

#: how the grading process words a practice it could not check or score (graders.grade), in English
#: or in Korean ("채점기가 ... 못했습니다"), whichever language the grading ran in
_GRADER_FAULT = re.compile(r"\bthe grader could not\b|채점기가 [^.]*?못했습니다", re.IGNORECASE)
#: longest error text quoted in a reason
_QUOTE_LIMIT = 90


@dataclass(frozen=True)
class Reason:
    """Why a student is at risk: the ``rule`` (one of the names above) and a line that says it."""

    rule: str
    text: str


def missing_answer(function: str | None, error: str | None) -> bool:
    """Does ``error`` say that the contract function ``function`` is not defined at all (not a broken cell)?

    ``function`` is the one the practice's report names; without it nothing
    matches. The wording is taken from the grader's own :func:`answer_problem`,
    in each language a report may have been graded in, with a looser match for
    reports written by an older wording.
    """
    if not function or not error:
        return False
    if error in _missing_wordings(function):
        return True
    return re.match(rf"{re.escape(function)}\b.*\bnot defined\b(?!\s+because)", error) is not None


def not_attempted(student: Student) -> bool:
    """A blank submission: graded in detail, and no practice's function defined.

    A gradebook-only student (scores without criteria) is never called blank:
    a 0 there may be a real attempt.
    """
    records = list(student.practices.values())
    return (bool(records) and all(r.detailed for r in records)
            and all(missing_answer(r.function, r.error) for r in records))


def at_risk_reasons(student: Student, threshold: float = DEFAULT_AT_RISK, class_max: float | None = None,
                    differed: bool = False) -> list[Reason]:
    """Every reason ``student`` is at risk; empty when none holds.

    Takes the threshold in percent of the most points (the student's own
    maximum, else ``class_max``), and whether the student's notebook disagreed
    with the trusted grader (``differed``, from the gradebook's comments).

    >>> at_risk_reasons(student, 60, 30)                  # doctest: +SKIP
    [Reason(rule='low total', text='total 14.69 of 30 is below 60 % (18)')]
    """
    reasons = []
    blank = not_attempted(student)
    if blank:
        reasons.append(Reason(NOT_ATTEMPTED, tr("not attempted: no practice's function is defined")))
    top = student.max_total or class_max
    if top:
        needed = top * threshold / 100
        if student.total < needed - SAME_SCORE:
            reasons.append(Reason(LOW_TOTAL, tr("total {total} of {top} is below {threshold} % ({needed})").format(
                total=_num(student.total), top=_num(top), threshold=_num(threshold), needed=_num(needed))))
    for submission in student.failed_submissions:
        if len(student.submissions) == 1:
            text = tr("could not be graded: {error}").format(error=_short(submission.error))
        else:
            text = tr("{submission} could not be graded: {error}").format(submission=submission.path,
                                                                          error=_short(submission.error))
        reasons.append(Reason(GRADER_ERROR, text))
    for record in student.practices.values():
        fault = not record.graded or (record.error and _GRADER_FAULT.search(record.error))
        if fault:
            why = record.error or " ".join(record.feedback) or tr("no reason given")
            reasons.append(Reason(GRADER_ERROR, tr("{practice} not graded by the grader's fault: {error}").format(
                practice=record.name, error=_short(why))))
        elif blank or record.failed_with_submission:
            continue
        elif record.error:
            reasons.append(Reason(FAILED_PRACTICE, tr("{practice} failed: {error}").format(
                practice=record.name, error=_short(record.error))))
        elif record.score <= SAME_SCORE:
            reasons.append(Reason(FAILED_PRACTICE, tr("{practice} scored 0").format(practice=record.name)))
    for practice in student.differences:
        reasons.append(Reason(SCORES_DIFFER, tr("{practice}: the gradebook's score differs from graders grade").format(
            practice=practice)))
    if differed:
        reasons.append(Reason(SCORES_DIFFER, tr("the notebook's own grade cells disagreed with the trusted grader")))
    return reasons


@functools.lru_cache(maxsize=None)
def _missing_wordings(function: str) -> frozenset[str]:
    """How the grader says ``function`` is not defined, in every language it speaks."""
    wordings = set()
    for each in LANGUAGES:
        with language(each):
            wordings.add(answer_problem(function, None))
    return frozenset(wordings)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1] + "…"


def _num(value: float) -> str:
    return f"{round(value, 2):g}"
