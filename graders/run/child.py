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

#: the file name that tracebacks show for a submission's code
SUBMISSION_FILENAME = "<submission>"


def run_child(source: str, practices: list, contexts: dict, channel: int, workdir: str, log_path: str) -> None:
    """Runs ``source`` and collects each practice's answer; reports on ``channel``.

    Events written, one JSON object a line: ``{"event": "loaded"}`` or
    ``{"event": "load_failed", "reason"}``; then per practice
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
        reason = _load(source, namespace)
        if reason:
            write({"event": "load_failed", "reason": reason})
        else:
            write({"event": "loaded"})
            for practice in practices:
                write({"event": "start", "practice": practice.name})
                write(_collect(practice, contexts.get(practice.name, {}), namespace))
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


def _load(source: str, namespace: dict) -> str | None:
    """Executes the submission's top-level code; returns a one-line reason if it fails."""
    try:
        code = compile(source, SUBMISSION_FILENAME, "exec")
    except SyntaxError as exc:
        return f"syntax error on line {exc.lineno} of your code: {exc.msg}"
    try:
        exec(code, namespace)
    except BaseException as exc:
        return f"your code stopped with {describe_exception(exc)}"
    return None


def _collect(practice, context: dict, namespace: dict) -> dict:
    from graders.practices.base import AnswerError

    answer = namespace.get(practice.function)
    if answer is None:
        reason = f"{practice.function} is not defined; define it with `def {practice.function}(...)`"
        return {"event": "failed", "practice": practice.name, "reason": reason}
    if not callable(answer):
        reason = f"{practice.function} is a {type(answer).__name__}, not a function"
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
    """``ValueError: message (line 12 of your code)`` in one line, the way a student reads it."""
    message = " ".join(str(exc).split())
    if len(message) > 200:
        message = message[:197] + "..."
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == SUBMISSION_FILENAME:
            line = frame.lineno
    return f"{text} (line {line} of your code)" if line else text
