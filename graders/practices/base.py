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

Adding a practice means adding one module with a subclass of :class:`Practice`,
a reference answer in ``reference/`` and a notebook section; nothing else.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from graders.i18n import _
from graders.rubric import PracticeResult


class AnswerError(Exception):
    """The student's answer cannot be graded; the message is the one-line reason."""


def answer_problem(function: str, value: Any, own_code_only: bool = True) -> str | None:
    """Why ``value``, found under the contract name ``function``, cannot be graded as the answer.

    With ``own_code_only``, a function imported from this package (its
    reference answers ship with it) is refused: the answer must be written
    by the student.
    """
    if value is None:
        return _("{function} is not defined; define it with `def {function}(...)`").format(function=function)
    if not inspect.isroutine(value):
        if inspect.isclass(value):
            text = _("{function} is a class, not a function; write `def {function}(...):` and return the answer from it")
            return text.format(function=function)
        text = _("{function} is a {kind} object, not a function; write `def {function}(...):` and return the "
                 "answer from it")
        return text.format(function=function, kind=type(value).__name__)
    module = getattr(value, "__module__", None) or ""
    if own_code_only and (module == "graders" or module.startswith("graders.")):
        return _("{function} is imported from the graders package ({module}); write your own {function}").format(
            function=function, module=module)
    return None


class Practice:
    """Base class of a practice. Subclasses set the class attributes and both halves."""

    #: key in reports and JSON, e.g. "practice1"
    name: str = ""
    #: the function a submission defines (the answer contract)
    function: str = ""
    #: one line for reports
    title: str = ""
    max_score: float = 10.0
    #: file (without .py) of the course's ``reference/`` folder holding the reference answer
    reference_module: str = ""
    #: whether ``examine`` must run in a fresh trusted child (it needs Keras)
    examines_in_child: bool = False
    #: rubric criteria a student's self-check runs and the public grade cell
    #: scores; the others are scored by the notebook's hidden grade cell
    public_criteria: frozenset = frozenset()

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
        result = PracticeResult(self.name, self.max_score, feedback=[reason], graded=False)
        return result

    def failed(self, reason: str) -> PracticeResult:
        return PracticeResult.failed(self.name, self.max_score, reason)
