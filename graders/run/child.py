"""The side of the runner that lives in a submission's own process.

``run_child`` executes a submission's source and calls the contract functions,
writing one JSON line per event to a pipe. It never returns: the process ends
with ``os._exit`` so that nothing of the parent (buffers, atexit hooks) runs twice.
"""

from __future__ import annotations

import io
import json
import os
import sys
import traceback
import warnings

def run_child(
    cells: list, practices: list, contexts: dict, channel: int, workdir: str, log_path: str, trusted: bool = False
) -> None:
    """Runs a submission's ``cells`` and collects each practice's answer; reports on ``channel``.

    ``trusted`` is for the reference answers, which come from this package
    (a student's answer may not).

    Events written, one JSON object a line: ``{"event": "loaded", "notes"}``
    (``notes``: one line per cell that failed) or ``{"event": "load_failed",
    "reason"}`` when nothing could run; then per practice
    ``{"event": "start", "practice"}`` followed by
    ``{"event": "result", "practice", "data"}`` or
    ``{"event": "failed", "practice", "reason"}``.
    """
    status = 0
    try:
        os.setsid()  # a process group of its own, so a timeout kills what it spawned too
        os.chdir(workdir)
        _quiet(log_path)
        write = _writer(channel)
        namespace = {"__name__": "__submission__", "__file__": os.path.join(workdir, "submission.py")}
        reason, notes = _load(cells, namespace)
        if reason:
            write({"event": "load_failed", "reason": reason})
        else:
            write({"event": "loaded", "notes": notes})
            stopped = notes[-1] if notes else None
            for practice in practices:
                write({"event": "start", "practice": practice.name})
                write(_collect(practice, contexts.get(practice.name, {}), namespace, stopped, trusted))
    except BaseException:  # the child must always end here, never return into the parent's code
        status = 70
    finally:
        os._exit(status)


def _writer(channel: int):
    def write(event: dict) -> None:
        data = (json.dumps(event, default=str) + "\n").encode()
        while data:
            written = os.write(channel, data)
            data = data[written:]

    return write


def _quiet(log_path: str) -> None:
    """Sends the submission's prints and warnings to a log file, away from the CLI's output."""
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    sys.stdin = io.StringIO()
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", 0), write_through=True)
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", 0), write_through=True)
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
        except SyntaxError as exc:
            note = f"syntax error on line {exc.lineno} of {label}: {exc.msg}"
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
