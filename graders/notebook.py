"""Grading inside a notebook: the student's self-check and nbgrader's grade cells.

Both run the same practice steps as the CLI (collect, examine, settle, score),
but in the notebook's own kernel and against the public spec data, so a
student sees at once the score ``graders grade`` gives. A kernel's value is
never trusted: under ``nbgrader autograde`` the trusted, sandboxed runner's
score replaces every grade cell's (see ``graders.autograde``). A practice's rubric is split between a public grade cell
(the criteria in ``Practice.public_criteria``) and a hidden one (the rest); the
self-check covers everything the notebook shows, whichever cell scores it.
Hidden grade cells keep hidden data (practice 3's hidden directories), not
hidden criteria of a visible spec.

Output lines are wrapped at :data:`WIDTH` columns: nbgrader's feedback pages
show a cell's output in a ``<pre>`` block, which cuts long lines off.

Grade cells must never write to stderr (nbgrader would score them 0), so
grading here runs with warnings off and the process's stderr sent to /dev/null.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import inspect
import io
import os
import sys
import tempfile
import warnings
from typing import Callable, Iterable

from graders.answers import AnswerError, answer_problem
from graders.i18n import _
from graders.practices import Practice
from graders.practices.discover import find
from graders.present.text import wrap
from graders.rubric import PracticeResult, criterion_title
from graders.files import remove_tree

#: columns of a feedback line; longer ones are wrapped with a hanging indent
WIDTH = 100
#: what a grade cell prints where it is scored elsewhere; read back by graders.autograde (not translated)
DEFERRED = "graders: this cell is scored by the trusted grader"


def check(practice: str, answer: Callable | None = None) -> None:
    """Self-check: prints how your answer does on everything the notebook shows.

    Args:
        practice: the practice's name, e.g. "practice1" (declared beside the notebook in its
            ``practices.py``, by the course, or the lesson's).
        answer: your function; by default the one named by the answer contract
            in the notebook (``build_sequential_model`` and so on).

    A practice is checked on what its public spec data shows: for the lesson's
    practices 1 and 2 every criterion of their spec, as the grade cells score
    them (the spec is in the notebook). Practice 3 is tried on the public
    checkpoint directory and, when the notebook defines ``CHECKPOINT_DIR``, on
    your own training run (feedback, no points); its hidden directories are
    left to the autograder.

    Example:
        >>> graders.check("practice1")
        practice1, self-check: 10 / 10
    """
    if _graded_elsewhere():
        print(f"{practice}: self-check skipped; the trusted grader grades this notebook.")
        return
    spec = _practice(practice)
    if answer is None:
        answer = _caller_global(spec.function)
        if answer is None:
            print(_("{practice}: define {function}() first, then run this check again.").format(
                practice=practice, function=spec.function))
            return
    result = grade(practice, answer, public=True)
    print(format_result(result, heading=_("{practice}, self-check").format(practice=practice)))


def score(practice: str, answer: Callable, points: float, hidden: bool = False) -> float:
    """A grade cell's value: the points ``answer`` earns in one half of the rubric.

    Args:
        practice: the practice's name.
        answer: the student's function.
        points: the grade cell's points; must equal the rubric points of that half.
        hidden: grade the hidden half (the criteria not in ``public_criteria``).

    Returns:
        A number from 0 to ``points``; the feedback is printed to stdout.

    Raises:
        ValueError: ``points`` is not what the practice's declaration gives this half (a mistake in the notebook).
    """
    if _graded_elsewhere():  # see _graded_elsewhere: the value is never read, the text is replaced
        print(DEFERRED)
        return 0.0
    spec = _practice(practice)
    rubric_points = spec.rubric.cell_points().get("hidden" if hidden else "public", 0.0)
    if abs(rubric_points - points) > 1e-6:
        raise ValueError(_("{practice}: this grade cell is worth {points} points, its criteria {rubric}").format(
            practice=practice, points=points, rubric=rubric_points))
    result = grade(practice, answer, public=not hidden)
    chosen = [c for c in result.criteria if (c.name in spec.public_criteria) != hidden]
    earned = round(sum(c.score for c in chosen), 2) if result.error is None else 0.0
    print(format_result(result, heading=grade_cell_heading(practice, hidden), only=chosen))
    return earned


def grade_cell_heading(practice: str, hidden: bool) -> str:
    """The first words of a grade cell's output: ``practice1 (public checks)``."""
    if hidden:
        return _("{practice} (hidden checks)").format(practice=practice)
    return _("{practice} (public checks)").format(practice=practice)


def grade(practice: str, answer: Callable, criteria: Iterable[str] | None = None, public: bool = False) -> PracticeResult:
    """Grades ``answer`` in this process, quietly; never raises for a bad answer.

    ``public=True`` limits a practice's test data to what students may see
    (practice 3 then uses no hidden directories). ``criteria`` keeps only those.
    """
    spec = _practice(practice)
    problem = answer_problem(spec.function, answer)
    if problem:
        return spec.failed(problem)
    with quiet():
        context = _context(practice, public)
        folder = tempfile.mkdtemp(prefix=f"graders-{practice}-")
        try:
            seen = spec.submission_context(context, os.path.join(folder, "copy"))
            data = spec.validate(spec.collect(answer, seen, _caller_namespace()))
            data = spec.settle(spec.examine(data), context, seen)
        except AnswerError as exc:
            return spec.failed(str(exc))
        except Exception as exc:
            return spec.failed(_("{function}() raised {error}: {message}").format(
                function=spec.function, error=type(exc).__name__, message=exc))
        finally:
            remove_tree(folder)
        try:
            result = spec.finish(spec.score(data, public_reference(practice), context), public=public)
        except Exception as exc:  # a grader or declaration bug costs this practice, with a reason
            return spec.failed(_("the grader could not score this answer ({error}: {message})").format(
                error=type(exc).__name__, message=exc))
    if criteria is not None:
        wanted = set(criteria)
        result.criteria = [c for c in result.criteria if c.name in wanted]
        result.max_score = sum(c.max_score for c in result.criteria)
    return result


def format_result(result: PracticeResult, heading: str, only=None) -> str:
    """Criteria as a small table with their messages, then the other feedback, for a notebook's output.

    ``only``: the criteria to show (a grade cell's half); by default all of them.
    """
    criteria = result.criteria if only is None else only
    if result.error is not None:
        return format_scores(heading, [], error=result.error)
    rows = [dict(c.to_dict(), messages=list(c.messages)) for c in criteria]
    every = [dict(c.to_dict(), messages=list(c.messages)) for c in result.criteria]
    return format_scores(heading, rows, feedback_notes(result.feedback, every))


def format_scores(heading: str, criteria: list[dict], notes: Iterable[str] = (), error: str | None = None,
                  earned: float | None = None, points: float | None = None) -> str:
    """A grade cell's text: ``heading: earned / points``, a line per criterion with its messages, notes.

    Args:
        criteria: rubric lines as in the JSON report (``name``, ``score``,
            ``max_score``, ``message``), optionally with ``messages`` (a list)
            to print each message on its own.
        notes: feedback that belongs to no criterion (practice 3's notes on
            your own training run, praise).
        error: the one-line reason a practice scored 0; replaces the table.
        earned, points: the cell's score and what it is worth; by default the
            criteria's sums.

    Every line is wrapped at :data:`WIDTH` columns with a hanging indent. A criterion is
    shown by its title in the current language (:func:`graders.rubric.criterion_title`).

    Example:
        >>> print(format_scores("practice1 (hidden checks)", [{"name": "layer settings",
        ...     "score": 2.25, "max_score": 3, "message": "layer 2 (Dense): expected units 128, found 64."}]))
        practice1 (hidden checks): 2.25 / 3
          [--] layer settings: 2.25 / 3
               layer 2 (Dense): expected units 128, found 64.
    """
    if error is not None:
        return "\n".join([_("{heading}: 0 points").format(heading=heading), *_wrap(error, "  - ", "    ")])
    earned = round(sum(c["score"] for c in criteria), 2) if earned is None else earned
    total = sum(c["max_score"] for c in criteria) if points is None else points
    lines = [f"{heading}: {earned:g} / {total:g}"]
    for criterion in criteria:
        mark = "ok" if criterion["score"] == criterion["max_score"] else "--"
        title = criterion_title(criterion["name"])
        lines.extend(_wrap(f"[{mark}] {title}: {criterion['score']:g} / {criterion['max_score']:g}",
                           "  ", "       "))
        for message in _messages(criterion):
            lines.extend(_wrap(message, " " * 7, " " * 9))
    for note in notes:
        lines.extend(_wrap(note, "  - ", "    "))
    return "\n".join(lines)


def feedback_notes(feedback: Iterable[str], criteria: list[dict]) -> list[str]:
    """The feedback lines that are no criterion's message: notes, praise, practice 3's own-run lines."""
    said = [message for criterion in criteria for message in _messages(criterion)]
    # a criterion from a JSON report has its messages joined into one ``message``
    return [line for line in feedback if line and not any(line in message for message in said)]


def _messages(criterion: dict) -> list[str]:
    if criterion.get("messages") is not None:
        return [m for m in criterion["messages"] if m]
    return [criterion["message"]] if criterion.get("message") else []


def _wrap(text: str, indent: str, hanging: str) -> list[str]:
    """``text`` wrapped at :data:`WIDTH`, each of its own lines too; long words (paths) are broken."""
    out = []
    for paragraph in str(text).splitlines() or [""]:
        out += wrap(paragraph, WIDTH, initial_indent=indent, subsequent_indent=hanging) or [indent.rstrip()]
        indent = hanging
    return out


@contextlib.contextmanager
def quiet():
    """Warnings off and the process's stderr (fd 2, where TensorFlow logs) to /dev/null."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _graded_elsewhere() -> bool:
    """True where nobody reads a grade cell's value: the trusted runner's children (they only gather
    evidence) and the kernel of nbgrader's trusted autograde (``graders.autograde.TrustedGrades`` replaces
    every grade cell's output with the trusted score). Grade cells then print :data:`DEFERRED` and show 0,
    so a pipeline that forgot ``TrustedGrades`` would give 0, never unearned points."""
    from graders.answers import GRADED_ELSEWHERE_ENV

    return os.environ.get(GRADED_ELSEWHERE_ENV) == "1"


def _practice(name: str) -> Practice:
    """The practice ``name``: declared beside the notebook (its ``practices.py``), by its course, or the lesson's."""
    try:
        return find(name, beside=os.getcwd())
    except KeyError as known:
        raise ValueError(_("unknown practice {name}; choose from {names}").format(
            name=repr(name), names=known.args[0])) from None


#: the folders the practices' contexts were made in, removed when the interpreter exits
_WORKDIRS: list[str] = []


@functools.lru_cache(maxsize=None)
def _context(practice: str, public: bool) -> dict:
    """A practice's test data (practice 3's checkpoint directories), made once per kernel.

    Kept for the kernel's life, as every self-check and grade cell uses it,
    and removed when the interpreter exits.
    """
    spec = _practice(practice)
    workdir = tempfile.mkdtemp(prefix=f"graders-{practice}-")
    _WORKDIRS.append(workdir)
    return spec.context(workdir, public=public) if _takes_public(spec) else spec.context(workdir)


def remove_workdirs() -> None:
    """Removes the folders of the cached contexts, and forgets them (they are made again if needed)."""
    _context.cache_clear()
    while _WORKDIRS:
        remove_tree(_WORKDIRS.pop())


atexit.register(remove_workdirs)


@functools.lru_cache(maxsize=None)
def public_reference(practice: str) -> dict:
    """The spec a practice's answer is compared with, as public data (its declaration's ``spec`` file).

    It holds what the notebook's spec tables show (layers, settings, shapes,
    parameter counts), never a reference answer's code; a practice without
    such a spec (practice 3 reads the truth from its directories) gets {}.
    """
    return _practice(practice).public_reference()


def _takes_public(spec: Practice) -> bool:
    return "public" in inspect.signature(spec.context).parameters


def _caller_namespace() -> dict:
    """The notebook's global namespace (``__main__``), where the student's names live."""
    main = sys.modules.get("__main__")
    return vars(main) if main is not None else {}


def _caller_global(name: str):
    value = _caller_namespace().get(name)
    return value if callable(value) else None
