"""What the runner, the practices and the notebook say about a student's answer.

It imports nothing of the package but i18n.

The one module both sides of the pipeline share: the sandboxed runner
(``graders.run``) labels a submission's code and words its exceptions, and a
practice (``graders.practices``) refuses an answer with :class:`AnswerError`
and the same wording. Keeping it here lets imports go one way only: the
practices use the runner, never the reverse.
"""

from __future__ import annotations

import inspect
import traceback
from typing import Any

from graders.i18n import _

#: how a notebook's code cells are labelled ("code cell 1", ...); cells so labelled run in IPython
NOTEBOOK_CELL = "code cell"
#: the label of a ``.py`` submission's one cell
SCRIPT_CELL = "your code"
#: set where a notebook's own grade-cell values are never read (the runner's children, the kernel of
#: nbgrader's trusted autograde): ``graders.notebook`` then skips its grade cells and self-checks
GRADED_ELSEWHERE_ENV = "GRADERS_GRADED_ELSEWHERE"


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


def cell_title(label: str) -> str:
    """A cell's label as people read it: "your code", "code cell 3" (translated); other labels as they are."""
    if label == SCRIPT_CELL:
        return _("your code")
    if label.startswith(NOTEBOOK_CELL + " "):
        return _("code cell {number}").format(number=label[len(NOTEBOOK_CELL) + 1:])
    return label


def describe_exception(exc: BaseException) -> str:
    """``ValueError: message (line 12 of code cell 3)`` in one line, the way a student reads it.

    The place is in the current language; the exception's own text is as Python or the student wrote it.
    """
    message = " ".join(str(exc).split())
    if len(message) > 200:
        message = message[:197] + "..."
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    where = None
    for frame in traceback.extract_tb(exc.__traceback__):
        label = frame.filename[1:-1]
        if frame.filename == f"<{label}>" and (label == SCRIPT_CELL or label.startswith(NOTEBOOK_CELL + " ")):
            where = (frame.lineno, label)
    if where is None:
        return text
    return _("{error} (line {line} of {cell})").format(error=text, line=where[0], cell=cell_title(where[1]))
