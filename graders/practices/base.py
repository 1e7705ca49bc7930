"""What every practice provides to the runner and the graders.

A practice is graded in steps that never share live objects, and only the
first one runs student code:

1. ``collect`` runs inside the submission's own sandboxed process (see
   ``graders.run``): it calls the student's contract function and turns what
   came back into plain JSON *evidence* (a model's ``to_json()``, a returned
   path). It may raise :class:`AnswerError` with a one-line reason. Nothing it
   says is believed: the student's code can replace it.
2. ``validate`` checks the evidence's shape in the grading process; anything
   else is refused.
3. ``examine`` (only where ``examines_in_child``) runs in a fresh child that
   never ran student code and turns the evidence into what is scored (a
   model rebuilt from its JSON and described).
4. ``settle`` adds what the grading process checks itself after the run (for
   practice 3: were the hidden files changed, which original file a returned
   path names), and ``score`` grades the result against the reference data
   and returns a :class:`graders.rubric.PracticeResult`.

A practice is *declared* (see :mod:`graders.practices.declare`): one call
names it, its contract function, its kind of check (one of the classes here
or a course's own subclass), the file of ``reference/`` holding the reference
answer, and its :class:`Rubric` (criteria, points, which are public). The
points of its two grade cells follow from the rubric. A course declares its
own practices in a ``practices.py``; nothing in the package changes.
"""

from __future__ import annotations

import importlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from graders.answers import AnswerError, answer_problem  # noqa: F401  (part of a practice's interface)
from graders.i18n import _
from graders.rubric import Criterion, PracticeResult


class DeclarationError(ValueError):
    """A practice's declaration is wrong; the message names the practice (or file) and the problem."""


@dataclass(frozen=True)
class Rubric:
    """A practice's criteria and their points, in two halves: public and hidden.

    The public criteria are those a student's self-check runs and the public
    grade cell (``<practice>-public``) scores; the hidden ones are scored by
    the hidden grade cell (``<practice>-hidden``). Points are positive and
    whole hundredths, as every score is rounded to a hundredth. Criterion names are ids
    (they appear in JSON reports and stay English); people read them
    translated (:func:`graders.rubric.criterion_title`).
    """

    public: dict = field(default_factory=dict)
    hidden: dict = field(default_factory=dict)

    def __post_init__(self):
        for half in (self.public, self.hidden):
            for name, points in half.items():
                if not isinstance(name, str) or not name:
                    raise DeclarationError(_("a criterion's name must be a non-empty string, not {name}").format(
                        name=repr(name)))
                if not isinstance(points, (int, float)) or isinstance(points, bool) or not 0 < points < math.inf:
                    raise DeclarationError(_("criterion {name}: points must be a positive number, not {points}").format(
                        name=repr(name), points=repr(points)))
                if abs(points * 100 - round(points * 100)) > 1e-6:  # scores, maxima and grade cells are rounded so
                    raise DeclarationError(_("criterion {name}: points must be whole hundredths, not {points}").format(
                        name=repr(name), points=repr(points)))
        both = set(self.public) & set(self.hidden)
        if both:
            raise DeclarationError(_("criteria both public and hidden: {criteria}").format(
                criteria=", ".join(sorted(both))))
        if not self.public and not self.hidden:
            raise DeclarationError(_("a rubric needs at least one criterion"))

    @property
    def criteria(self) -> dict:
        """Every criterion and its points, the public ones first, each half in declared order."""
        return {**self.public, **self.hidden}

    @property
    def total(self) -> float:
        return round(float(sum(self.criteria.values())), 2)

    def points(self, criterion: str) -> float:
        """The points of one criterion; 0 for a criterion the rubric leaves out (it is then not scored)."""
        return float(self.criteria.get(criterion, 0.0))

    def cell_points(self) -> dict:
        """Points per grade cell half: ``{"public": 5.0, "hidden": 5.0}`` (a half without criteria is left out)."""
        halves = {"public": self.public, "hidden": self.hidden}
        return {half: round(float(sum(c.values())), 2) for half, c in halves.items() if c}


class Practice:
    """Base class of a practice: the steps above; subclasses are the kinds of check.

    A practice is made by declaring it: ``SequentialPractice(name=..., function=...,
    reference=..., rubric=Rubric(...), ...)``; every keyword sets the
    attribute of that name (see :func:`graders.practices.declare.declare`).
    """

    #: key in reports, JSON and grade ids (``<name>-answer``, ``<name>-public``, ``<name>-hidden``)
    name: str = ""
    #: the function a submission defines (the answer contract)
    function: str = ""
    #: one line for reports (marked with N_ to be translated where shown)
    title: str = ""
    #: file (without .py) of the course's ``reference/`` folder that defines the reference ``function``
    reference: str = ""
    #: the criteria and their points (see :class:`Rubric`)
    rubric: Rubric | None = None
    #: whether ``examine`` must run in a fresh trusted child (it needs Keras)
    examines_in_child: bool = False
    #: a JSON file of the public spec data the notebook's self-check compares with (relative
    #: paths are relative to the declaring file's folder); None where the practice needs none
    spec: str | None = None
    #: where the practice was declared: ``{"module": ...}`` (with the ``"attr"`` an entry point names) or
    #: ``{"file": ...}``, with its name; set by discovery so the runner's zygote can make the same practice again
    origin: dict | None = None

    def __init__(self, **declared):
        for key, value in declared.items():
            known = getattr(type(self), key, None) if not key.startswith("_") else None
            if key not in dir(type(self)) or callable(known) or isinstance(known, property):
                raise DeclarationError(_("{check} has no setting {setting}").format(
                    check=type(self).__name__, setting=repr(key)))
            setattr(self, key, value)
        self.check_declaration()

    def check_declaration(self) -> None:
        """Raises :class:`DeclarationError` when the declaration lacks something every practice needs."""
        where = self.name or type(self).__name__
        for key in ("name", "function", "reference"):
            if not isinstance(getattr(self, key), str) or not getattr(self, key).isidentifier():
                raise DeclarationError(_("practice {practice}: {key} must be a Python identifier, not {value}").format(
                    practice=where, key=key, value=repr(getattr(self, key))))
        if not isinstance(self.rubric, Rubric):
            raise DeclarationError(_("practice {practice}: rubric must be a Rubric, not {value}").format(
                practice=where, value=repr(self.rubric)))
        unknown = set(self.rubric.criteria) - set(self.criterion_names())
        if self.criterion_names() and unknown:
            raise DeclarationError(_("practice {practice}: its check has no criterion {criteria}; "
                                     "choose from {known}").format(
                practice=where, criteria=", ".join(sorted(unknown)), known=", ".join(self.criterion_names())))

    def criterion_names(self) -> tuple:
        """The criteria this kind of check can score; empty when any name may be declared."""
        return ()

    @property
    def max_score(self) -> float:
        return self.rubric.total

    @property
    def public_criteria(self) -> frozenset:
        """The criteria a student's self-check runs and the public grade cell scores."""
        return frozenset(self.rubric.public)

    @property
    def answer_cell(self) -> str:
        """The grade_id of the notebook's solution cell where ``function`` is written."""
        return f"{self.name}-answer"

    def grade_cells(self) -> dict:
        """The practice's grade cells and their points: ``{"practice1-public": 5.0, "practice1-hidden": 5.0}``."""
        return {f"{self.name}-{half}": points for half, points in self.rubric.cell_points().items()}

    def criterion(self, name: str, fraction: float = 1.0, messages=()) -> Criterion:
        """A rubric line of this practice, worth the points its rubric gives ``name``."""
        return Criterion(name, self.rubric.points(name), fraction, list(messages), name in self.rubric.public)

    def scored(self, criteria: list) -> list:
        """The criteria the rubric declares, in its order, each worth its declared points and marked
        public or hidden (a kind of check may compute more than a declaration keeps)."""
        order = list(self.rubric.criteria)
        kept, seen = [], set()
        for c in criteria:  # a criterion counts once, whatever a course's own check returns
            if c.name in self.rubric.criteria and c.name not in seen:
                kept.append(c)
                seen.add(c.name)
        for c in kept:
            c.max_score, c.public = self.rubric.points(c.name), c.name in self.rubric.public
        return sorted(kept, key=lambda c: order.index(c.name))

    def finish(self, result: PracticeResult, public: bool = False) -> PracticeResult:
        """``result`` as reports show it: only the declared criteria, with the practice's title and function.

        ``public``: the result of a self-check on public data, which needs only the public criteria.

        Raises:
            DeclarationError: a graded result lacks a criterion the rubric declares (full marks would be out
                of reach); the pipeline reports it as the grader's fault.
        """
        required = self.rubric.public if public else self.rubric.criteria
        missing = [name for name in required if name not in {c.name for c in result.criteria}]
        if result.error is None and result.graded and missing:
            raise DeclarationError(_("practice {practice}: its check did not score {criteria}").format(
                practice=self.name, criteria=", ".join(missing)))
        result.criteria = self.scored(result.criteria)
        result.max_score = self.max_score
        result.title, result.function = self.title, self.function
        return result

    def public_reference(self) -> dict:
        """The public spec data (``spec``) the self-check compares an answer with; {} without one."""
        if not self.spec:
            return {}
        path = Path(self.spec)
        if not path.is_absolute():
            path = self.declared_in() / path
        return json.loads(path.read_text(encoding="utf-8"))

    def recipe(self) -> dict:
        """How another process makes this practice again (the runner's zygote): a factory and its arguments."""
        if self.origin is None:
            raise DeclarationError(_("practice {practice}: declare it in a PRACTICES list that "
                                     "graders.practices.discover loads, so the runner can make it again").format(
                practice=self.name))
        return {"factory": "graders.practices.discover:from_origin", "kwargs": {"origin": self.origin}}

    def declared_in(self) -> Path:
        """The folder of the file that declared this practice (relative paths of a declaration start there)."""
        origin = self.origin or {}
        if "file" in origin:
            return Path(origin["file"]).resolve().parent
        module = importlib.import_module(origin.get("module", type(self).__module__))
        return Path(module.__file__).resolve().parent

    def context(self, workdir: str) -> dict:
        """Data the grading process prepares for ``collect`` (JSON), made in ``workdir``.

        Runs in a child process, so it may use Keras. Default: nothing.
        """
        return {}

    def submission_context(self, context: dict, folder: str) -> dict:
        """What ``collect`` may see of ``context`` for one submission, made in ``folder``.

        Runs in the grading process before the submission's child starts;
        the default shows nothing.
        """
        return {}

    def collect(self, answer: Callable[..., Any], context: dict, namespace: dict) -> dict:
        """Calls ``answer`` in the submission's process and returns JSON evidence."""
        raise NotImplementedError

    def validate(self, evidence: Any) -> dict:
        """Checks evidence that came from a submission's process; returns it or raises ValueError."""
        if not isinstance(evidence, dict):
            raise ValueError(_("expected an object"))
        return evidence

    def examine(self, evidence: dict) -> dict:
        """Turns evidence into data to score, in a trusted child (see ``examines_in_child``).

        Raises :class:`AnswerError` when the evidence cannot be used.
        """
        return evidence

    def settle(self, data: dict, context: dict, submission_context: dict) -> dict:
        """Adds the grading process's own checks to ``data`` after the submission's run."""
        return data

    def score(self, data: dict, reference: dict, context: dict) -> PracticeResult:
        """Grades collected ``data`` against the ``reference`` data."""
        raise NotImplementedError

    def not_graded(self, reason: str) -> PracticeResult:
        return self.finish(PracticeResult(self.name, self.max_score, feedback=[reason], graded=False))

    def failed(self, reason: str) -> PracticeResult:
        return self.finish(PracticeResult.failed(self.name, self.max_score, reason))
