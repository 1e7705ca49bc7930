"""A warm grading server: one JSON request a line on stdin, one report a line on stdout.

``python -m graders.serve`` is started once by nbgrader's autograde (see
:mod:`graders.autograde`), in the course folder, and then grades every
submitted notebook of the run with one :class:`graders.grade.Grader`: Keras is
imported, and the hidden test data and the reference data made, once per
command instead of once per student. nbgrader's own process never imports
Keras and never forks; this one does both (a sandboxed child per submission).

Protocol, one JSON object per line, in order::

    request:  {"id": "7", "path": "/tmp/x/keras_lesson.ipynb", "timeout": 600, "assignment": "keras_lesson"}
    answer:   {"id": "7", "submission": ..., "practices": {...}, "total": ..., ...}
    request:  {"id": "8", "paths": ["/tmp/y/a.py", "/tmp/y/b.ipynb"], "timeout": 600}   (a batch)
    answer:   {"id": "8", "reports": [{"submission": ...}, {"submission": ...}]}
    or:       {"id": "7", "server_error": "one line"}   (the grader itself failed)

``timeout`` (seconds for the whole submission) and ``assignment`` (whose
practices to grade, see :mod:`graders.practices.discover`) are optional. The server ends on
end of input. :class:`GradingServer` is the client side: it starts a server
and exchanges these lines with it (nbgrader's autograde and the Dask workers
of ``graders grade --cluster`` use it). Nothing but answers is ever written to the protocol's stream:
file descriptor 1 is pointed at stderr at start, so a stray ``print`` (ours,
Keras', a student's) cannot break a line.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import selectors
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Iterable

from graders.grade import DEFAULT_MEMORY_MB, Grader, select_practices
from graders.practices.discover import course_root


def protect_stdout() -> IO[str]:
    """Returns a private stream on the original stdout; fd 1 and ``sys.stdout`` go to stderr from now on."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return protocol


class Backend:
    """Grades one path at a time with a :class:`graders.grade.Grader` kept warm between requests.

    The grader (its sandboxed runner, hidden test data and reference data) is
    made at start for the assignment given at start, so the first notebook
    does not wait for it; a request for another assignment or with another
    timeout gets a grader of its own, kept for the next ones.
    """

    def __init__(self, timeout: float, memory_mb: int, practices: list[str] | None = None, reference=None,
                 course=None, assignment: str | None = None):
        self.timeout = float(timeout)
        self.memory_mb = memory_mb
        self.names = practices
        self.reference = reference
        self.course = course if course is not None else course_root()
        self.assignment = assignment
        self._graders: dict[tuple, Grader] = {}
        self._failures: dict[tuple, Exception] = {}
        try:
            self._grader(self.timeout, assignment)
        except Exception:  # reported with each request: the caller decides what it means
            pass

    def grade(self, path: str, timeout: float | None = None, assignment: str | None = None) -> dict:
        return next(iter(self._grader(float(timeout or self.timeout), assignment or self.assignment).grade([path])))

    def grade_many(self, paths: list[str], timeout: float | None = None, assignment: str | None = None) -> list[dict]:
        """A batch in one call of the grader, so its runner goes from one submission to the next at once."""
        grader = self._grader(float(timeout or self.timeout), assignment or self.assignment)
        return list(grader.grade(paths))

    def _grader(self, timeout: float, assignment: str | None) -> Grader:
        key = (timeout, assignment)
        if key in self._failures:
            raise self._failures[key]
        if key not in self._graders:
            try:
                practices = select_practices(self.names, assignment, self.course)
                self._graders[key] = Grader(practices, 1, timeout, self.memory_mb, self.reference, self.course)
            except Exception as exc:
                self._failures[key] = exc
                raise
        return self._graders[key]

    def close(self) -> None:
        for grader in self._graders.values():
            grader.close()
        self._graders.clear()


def serve(requests: Iterable[str], answer: IO[str], backend: Backend) -> None:
    """Answers each request line; a malformed request or a grader failure gets a ``server_error``."""
    for line in requests:
        if not line.strip():
            continue
        request_id = None
        try:
            request = json.loads(line)
            request_id = request.get("id")
            assignment = request.get("assignment")
            if assignment is not None and not isinstance(assignment, str):
                raise ValueError("assignment must be a string")
            if "paths" in request:
                reports = backend.grade_many([str(path) for path in request["paths"]], request.get("timeout"),
                                             assignment)
                reply = {"reports": reports, "id": request_id}
            else:
                reply = backend.grade(str(request["path"]), request.get("timeout"), assignment)
                reply = {**reply, "id": request_id}
        except Exception as exc:  # the caller decides; this server keeps going
            reply = {"id": request_id, "server_error": f"{type(exc).__name__}: {' '.join(str(exc).split())}"}
        answer.write(json.dumps(reply, default=str) + "\n")
        answer.flush()


class TrustedGradingError(RuntimeError):
    """The trusted grader could not grade a notebook; nbgrader then stores no scores for it."""


def server_env() -> dict:
    """This process's environment, with TensorFlow quiet and matplotlib off screen."""
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    env.setdefault("MPLBACKEND", "Agg")
    return env


class GradingServer:
    """A ``python -m graders.serve`` subprocess and the client side of its JSON Lines protocol."""

    #: seconds for the server's start (Keras import, hidden test data, reference answers)
    STARTUP_SECONDS = 600.0
    #: seconds beyond a submission's timeout for what the grader does around it (rebuilding, scoring)
    MARGIN_SECONDS = 120.0

    def __init__(
        self,
        cwd: str,
        timeout: float,
        memory_mb: int,
        python: str = sys.executable,
        options: list[str] | None = None,
        env: dict | None = None,
    ):
        self.key = (cwd, timeout, memory_mb, python)
        self._log = tempfile.NamedTemporaryFile(prefix="graders-serve-", suffix=".log", delete=False)
        command = [python, "-m", "graders.serve", "--timeout", str(timeout), "--memory", str(memory_mb), *(options or [])]
        self.process = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
            env={**server_env(), **(env or {})},
        )
        self._ids = itertools.count(1)
        self._answers: dict[str, dict] = {}
        self._buffer = b""
        self._answered_once = False
        #: request id -> the temporary folder of the notebook it sent, removed once answered
        self._folders: dict[str, str] = {}

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def submit(self, path: str | list[str], timeout: float | None = None, folder: str | None = None,
               assignment: str | None = None) -> str:
        """Sends one request; returns its id for :meth:`result`. ``folder`` is removed once it is answered.

        ``path`` may be a list: a batch, answered by ``{"reports": [...]}`` in its order.
        """
        request_id = str(next(self._ids))
        if folder:
            self._folders[request_id] = folder
        key = "paths" if isinstance(path, list) else "path"
        request = {"id": request_id, key: path, "timeout": timeout}
        if assignment is not None:
            request["assignment"] = assignment
        line = json.dumps(request) + "\n"
        try:
            self.process.stdin.write(line.encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise TrustedGradingError(f"the grading server has stopped{self._last_words()}") from None
        return request_id

    def result(self, request_id: str, timeout: float) -> dict:
        """Waits for the answer to ``request_id``; its report dict.

        Raises:
            TrustedGradingError: the server died, did not answer in time, or could not grade.
        """
        timeout += self.MARGIN_SECONDS + (0 if self._answered_once else self.STARTUP_SECONDS)
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while request_id not in self._answers:
                left = deadline - time.monotonic()
                if left <= 0:
                    self.close(kill=True)
                    raise TrustedGradingError(f"the grading server did not answer within {timeout:g} s")
                if not selector.select(min(left, 1.0)):
                    continue
                chunk = os.read(self.process.stdout.fileno(), 65536)
                if not chunk:
                    self.process.wait()
                    raise TrustedGradingError(f"the grading server stopped{self._last_words()}")
                self._buffer += chunk
                *lines, self._buffer = self._buffer.split(b"\n")
                for line in lines:
                    if line.strip():
                        answer = json.loads(line)
                        self._answers[str(answer.get("id"))] = answer
        self._answered_once = True
        shutil.rmtree(self._folders.pop(request_id, ""), ignore_errors=True)
        answer = self._answers.pop(request_id)
        if "server_error" in answer:
            raise TrustedGradingError(f"the trusted grader failed: {answer['server_error']}")
        return answer

    def close(self, kill: bool = False) -> None:
        if self.alive and not kill:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.alive:
            self.process.kill()
            self.process.wait()
        for folder in self._folders.values():  # notebooks whose kernel run failed were never collected
            shutil.rmtree(folder, ignore_errors=True)
        self._folders.clear()
        self._log.close()
        Path(self._log.name).unlink(missing_ok=True)

    def _last_words(self) -> str:
        try:
            lines = [line for line in Path(self._log.name).read_text(errors="replace").splitlines() if line.strip()]
        except OSError:
            return ""
        return f": {' | '.join(lines[-3:])}" if lines else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graders.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per submission (default 600)")
    parser.add_argument("--memory", type=int, default=DEFAULT_MEMORY_MB, help="MB per submission (default 4096)")
    parser.add_argument("--practice", action="append", help="grade only this practice (repeatable)")
    parser.add_argument("--reference", help="the course's reference/ folder (default: found from the working directory)")
    parser.add_argument("--course", help="the course folder (default: the one around the working directory)")
    parser.add_argument("--assignment", help="the assignment whose practices a request without one gets")
    args = parser.parse_args(argv)
    protocol = protect_stdout()
    backend = Backend(args.timeout, args.memory, args.practice, args.reference, args.course, args.assignment)
    try:
        serve(sys.stdin, protocol, backend)
    finally:
        backend.close()
        protocol.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
