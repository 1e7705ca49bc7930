"""What runs inside the runner's sandboxed children.

``run_child`` executes a submission's source and calls the contract functions,
writing one JSON line of evidence per event to a pipe. ``run_examine`` turns
evidence into scorable data in a child that never ran student code. Both are
called by ``graders.run.pool``, which ends the child with ``os._exit``.
"""

from __future__ import annotations

import io
import json
import os
import sys
import traceback
import types
import warnings


def run_child(cells: list, practices: list, contexts: dict, channel: int, trusted: bool = False) -> None:
    """Runs a submission's ``cells`` and collects each practice's evidence; reports on ``channel``.

    Called in a sandboxed child (see ``graders.run.pool``) whose standard
    output and error already go to its log. ``trusted`` is for the reference
    answers, which may come from this package (a student's answer may not).

    Events written, one JSON object a line: ``{"event": "loaded", "notes"}``
    (``notes``: one line per cell that failed) or ``{"event": "load_failed",
    "reason"}`` when nothing could run; then per practice
    ``{"event": "start", "practice"}`` followed by
    ``{"event": "result", "practice", "data"}`` or
    ``{"event": "failed", "practice", "reason"}``. The grading process
    believes none of it beyond its shape: the student's code runs here too.
    """
    write = _writer(channel)
    _quiet()
    # the submission's names live in a fresh __main__, as in Jupyter or `python file.py`
    main = types.ModuleType("__main__")
    main.__file__ = os.path.join(os.getcwd(), "submission.py")
    sys.modules["__main__"] = main
    namespace = main.__dict__
    reason, notes = _load(cells, namespace)
    if reason:
        write({"event": "load_failed", "reason": reason})
        return
    write({"event": "loaded", "notes": notes})
    stopped = notes[-1] if notes else None
    for practice in practices:
        write({"event": "start", "practice": practice.name})
        write(_collect(practice, contexts.get(practice.name, {}), namespace, stopped, trusted))


def run_examine(practices: list, evidence: dict, channel: int) -> None:
    """Turns each practice's evidence into scorable data, in a child that never ran student code.

    Writes ``{"event": "examined", "practice", "data"}`` or
    ``{"event": "refused", "practice", "reason"}`` per practice.
    """
    from graders.practices.base import AnswerError

    write = _writer(channel)
    _quiet()
    for practice in practices:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                data = practice.examine(evidence[practice.name])
            write({"event": "examined", "practice": practice.name, "data": data})
        except AnswerError as exc:
            write({"event": "refused", "practice": practice.name, "reason": str(exc)})
        except Exception as exc:  # a grader bug costs this practice, with a reason
            reason = f"the grader could not examine this answer ({type(exc).__name__}: {exc})"
            write({"event": "refused", "practice": practice.name, "reason": reason[:400]})


def _writer(channel: int):
    def write(event: dict) -> None:
        data = (json.dumps(event, default=str) + "\n").encode()
        while data:
            written = os.write(channel, data)
            data = data[written:]

    return write


def _quiet() -> None:
    """Python-level output to the log (fds 1 and 2 already point there), warnings off."""
    sys.stdin = io.StringIO()
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", 0, closefd=False), write_through=True)
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", 0, closefd=False), write_through=True)
    warnings.simplefilter("ignore")


def _load(cells: list, namespace: dict) -> tuple[str | None, list[str]]:
    """Executes the submission's cells in order.

    Returns ``(reason, notes)``: ``reason`` when nothing could run (a ``.py``
    file that does not compile), else a note per cell that failed. A failing
    notebook cell is skipped, as Jupyter would; a ``.py`` file stops at its
    first exception, as Python would, keeping what it defined before it.
    """
    notes = []
    for label, source in cells:
        try:
            code = compile(source, f"<{label}>", "exec")
        except (SyntaxError, ValueError) as exc:  # ValueError: text that cannot be source (a lone surrogate)
            if isinstance(exc, SyntaxError):
                note = f"syntax error on line {exc.lineno} of {label}: {exc.msg}"
            else:
                note = f"{label} cannot be compiled: {describe_exception(exc)}"
            if len(cells) == 1:
                return note, []
            notes.append(note)
            continue
        try:
            exec(code, namespace)
        except BaseException as exc:
            notes.append(f"{label} stopped with {describe_exception(exc)}")
            if len(cells) == 1:
                break
    return None, notes


def _collect(practice, context: dict, namespace: dict, stopped: str | None, trusted: bool) -> dict:
    from graders.practices.base import AnswerError, answer_problem

    answer = namespace.get(practice.function)
    reason = answer_problem(practice.function, answer, own_code_only=not trusted)
    if reason:
        if answer is None and stopped:
            reason = f"{practice.function} is not defined because {stopped}"
        return {"event": "failed", "practice": practice.name, "reason": reason}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = practice.collect(answer, context, namespace)
        json.dumps(data)  # only plain data may leave this process
    except AnswerError as exc:
        return {"event": "failed", "practice": practice.name, "reason": str(exc)}
    except BaseException as exc:
        reason = f"{practice.function}() raised {describe_exception(exc)}"
        return {"event": "failed", "practice": practice.name, "reason": reason}
    return {"event": "result", "practice": practice.name, "data": data}


def describe_exception(exc: BaseException) -> str:
    """``ValueError: message (line 12 of code cell 3)`` in one line, the way a student reads it."""
    message = " ".join(str(exc).split())
    if len(message) > 200:
        message = message[:197] + "..."
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    where = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith("<") and frame.filename.endswith(">") and " " in frame.filename:
            where = f"line {frame.lineno} of {frame.filename[1:-1]}"
    return f"{text} ({where})" if where else text
