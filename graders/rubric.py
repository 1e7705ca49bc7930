"""Scores: named criteria with points, and the result of grading one practice.

A practice's grader fills one :class:`Criterion` per rubric line and wraps them
in a :class:`PracticeResult`. Both turn into the plain dicts of the CLI's JSON
(``to_dict``), so nothing downstream needs these classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graders.i18n import _


def _points(value: float) -> float:
    """Rounds a score to a hundredth so that sums of fractions stay readable."""
    return round(float(value) + 0.0, 2)


def criterion_title(name: str) -> str:
    """A criterion's name as people read it, in the current language.

    The name itself is an id (JSON values, ``Practice.public_criteria``) and stays
    English. A name of two parts (``"Best checkpoint: three-digit epochs"``) is
    translated part by part.
    """
    head, sep, detail = name.partition(": ")
    if sep:
        return _("{criterion}: {detail}").format(criterion=_(head), detail=_(detail))
    return _(name)


@dataclass
class Criterion:
    """One line of a rubric: a name, the points it is worth, what was earned.

    ``fraction`` (0..1) is the share of the points earned; ``messages`` say, a
    sentence each, for the student why points were lost (none when none were).
    """

    name: str
    max_score: float
    fraction: float = 1.0
    messages: list[str] = field(default_factory=list)
    #: scored by the public grade cell (and a student's self-check), else by the hidden one
    public: bool = False

    @property
    def message(self) -> str:
        return " ".join(self.messages)

    @property
    def score(self) -> float:
        return _points(self.max_score * min(1.0, max(0.0, self.fraction)))

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "score": self.score,
            "max_score": _points(self.max_score),
            "message": self.message,
            "public": self.public,
        }


@dataclass
class PracticeResult:
    """The graded outcome of one practice for one submission.

    ``error`` is a one-line reason when the answer could not be graded at all
    (missing function, exception, timeout, wrong return type): the score is
    then 0 whatever the criteria say.
    """

    practice: str
    max_score: float
    criteria: list[Criterion] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    error: str | None = None
    graded: bool = True
    #: data for instructors' reports (the described models, the val_loss curves);
    #: never shown to students
    details: dict = field(default_factory=dict)
    #: what the practice asks for, for reports: its title (an id, translated where shown) and contract function
    title: str = ""
    function: str = ""

    @property
    def score(self) -> float:
        if self.error is not None or not self.graded:
            return 0.0
        return _points(sum(c.score for c in self.criteria))

    @classmethod
    def failed(cls, practice: str, max_score: float, reason: str) -> "PracticeResult":
        """A zero for a practice that could not be graded, with its reason."""
        return cls(practice, max_score, feedback=[reason], error=reason)

    def to_dict(self) -> dict:
        out = {
            "score": self.score,
            "max_score": _points(self.max_score),
            "feedback": list(self.feedback),
            "criteria": [c.to_dict() for c in self.criteria],
            "error": self.error,
        }
        if self.title:
            out["title"] = self.title
        if self.function:
            out["function"] = self.function
        if not self.graded:
            out["graded"] = False
        if self.details:
            out["details"] = self.details
        return out
