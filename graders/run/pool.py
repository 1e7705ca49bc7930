"""The side of the runner that lives in the grading process: forks, watches, collects.

Each submission runs in a child forked from this process after Keras has been
imported here, so a child starts warm (no 5-second import per submission) yet
shares nothing live with the grader: it reports plain JSON through a pipe.
The grading process imports Keras but never runs a TensorFlow op before
forking, which is what keeps forking safe.

A child that hangs past its time, uses too much memory or dies is killed; the
practice it was in scores 0 with a reason, and the practices it had not reached
are tried again in a fresh child, so one bad answer never costs the others.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import time
from dataclasses import dataclass, field

from graders.run.child import run_child

#: how often children's memory is checked, seconds
POLL_SECONDS = 0.1


@dataclass
class Job:
    """One submission to run: its cells, the practices to collect, where it may write."""

    key: str
    cells: list
    practices: list
    contexts: dict
    workdir: str
    #: filled in by the pool: practice name -> {"data": ...} or {"reason": ...}
    outcomes: dict = field(default_factory=dict)
    #: a reason that concerns the whole submission (none of its code could run)
    error: str | None = None
    #: one line per cell of the submission that failed while it ran
    notes: list = field(default_factory=list)
    log_path: str = ""
    #: the reference answers, which may come from this package
    trusted: bool = False


@dataclass
class _Running:
    job: Job
    pid: int
    reader: int
    deadline: float
    buffer: bytes = b""
    current: str | None = None
    loaded: bool = False
    killed_for: str | None = None


def run_jobs(jobs: list[Job], parallel: int = 1, timeout: float = 60.0, memory_mb: int = 4096):
    """Runs every job in forked children, at most ``parallel`` at a time.

    Yields each job when it is finished, in the order they finish, with
    ``outcomes`` filled for every practice it asked for.
    """
    _warm_up()
    pending = list(jobs)
    running: dict[int, _Running] = {}
    selector = selectors.DefaultSelector()
    try:
        while pending or running:
            while pending and len(running) < max(1, parallel):
                job = pending.pop(0)
                todo = [p for p in job.practices if p.name not in job.outcomes]
                child = _start(job, todo, timeout)
                running[child.reader] = child
                selector.register(child.reader, selectors.EVENT_READ)
            for key, _ in selector.select(POLL_SECONDS):
                child = running[key.fd]
                chunk = os.read(child.reader, 65536)
                if chunk:
                    child.buffer += chunk
                    _consume(child)
                    continue
                selector.unregister(child.reader)
                del running[child.reader]
                if _finish(child, timeout):
                    yield child.job
                else:
                    pending.insert(0, child.job)
            now = time.monotonic()
            for child in running.values():
                if child.killed_for:
                    continue
                if now > child.deadline:
                    _kill(child, f"it did not finish within {timeout:g} s")
                elif _rss_mb(child.pid) > memory_mb:
                    _kill(child, f"it used more than {memory_mb:,} MB of memory")
    finally:
        for child in running.values():
            _kill(child, "grading was interrupted")
            os.waitpid(child.pid, 0)
        selector.close()


def _warm_up() -> None:
    """Imports what children need before the first fork, once."""
    import keras  # noqa: F401  (the point: children inherit the imported module)

    import graders.describe  # noqa: F401


def _start(job: Job, practices: list, timeout: float) -> _Running:
    job.log_path = job.log_path or os.path.join(job.workdir, "output.log")
    os.makedirs(job.workdir, exist_ok=True)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        run_child(job.cells, practices, job.contexts, writer, job.workdir, job.log_path, job.trusted)
    os.close(writer)
    os.set_blocking(reader, False)
    return _Running(job, pid, reader, time.monotonic() + timeout)


def _consume(child: _Running) -> None:
    *lines, child.buffer = child.buffer.split(b"\n")
    for line in lines:
        event = json.loads(line)
        kind = event["event"]
        if kind == "load_failed":
            child.job.error = event["reason"]
        elif kind == "loaded":
            child.job.notes = event["notes"]
            child.loaded = True
        elif kind == "start":
            child.current = event["practice"]
        elif kind == "result":
            child.job.outcomes[event["practice"]] = {"data": event["data"]}
            child.current = None
        elif kind == "failed":
            child.job.outcomes[event["practice"]] = {"reason": event["reason"]}
            child.current = None


def _finish(child: _Running, timeout: float) -> bool:
    """Reaps the child; True when its job is complete, False to run the rest again."""
    os.close(child.reader)
    _, status = os.waitpid(child.pid, 0)
    job = child.job
    if job.error is not None:
        return True
    cause = child.killed_for or _exit_cause(status)
    if child.current is not None:
        function = next(p.function for p in job.practices if p.name == child.current)
        job.outcomes[child.current] = {"reason": f"{function}() was stopped: {cause}"}
    elif not child.loaded:
        job.error = f"your code was stopped before any answer was checked: {cause}"
        return True
    return all(p.name in job.outcomes for p in job.practices)


def _exit_cause(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"the process was killed by signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"the process exited early with code {os.WEXITSTATUS(status)}"


def _kill(child: _Running, reason: str) -> None:
    """Kills the child and what it spawned (its process group, once it has made one)."""
    child.killed_for = reason
    for kill, target in ((os.killpg, child.pid), (os.kill, child.pid)):
        try:
            kill(target, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def call_in_child(function, timeout: float = 120.0):
    """Runs ``function()`` in a forked child and returns its JSON-able result.

    For work that needs TensorFlow ops (making hidden checkpoint directories)
    without running them in the grading process, which must stay fork-safe.

    Raises:
        RuntimeError: the child failed, died or timed out; the message says how.
    """
    _warm_up()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            os.close(reader)
            os.setsid()
            try:
                payload = {"result": function()}
            except BaseException as exc:
                payload = {"error": f"{type(exc).__name__}: {exc}"}
            with os.fdopen(writer, "w") as out:
                json.dump(payload, out)
        except BaseException:
            status = 70
        finally:
            os._exit(status)
    os.close(writer)
    deadline = time.monotonic() + timeout
    chunks = []
    selector = selectors.DefaultSelector()
    selector.register(reader, selectors.EVENT_READ)
    try:
        while True:
            if time.monotonic() > deadline:
                os.killpg(pid, signal.SIGKILL)
                raise RuntimeError(f"did not finish within {timeout:g} s")
            if selector.select(POLL_SECONDS):
                chunk = os.read(reader, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        selector.close()
        os.close(reader)
        os.waitpid(pid, 0)
    try:
        payload = json.loads(b"".join(chunks))
    except json.JSONDecodeError:
        raise RuntimeError("the process ended without a result") from None
    if "error" in payload:
        raise RuntimeError(payload["error"])
    return payload["result"]
