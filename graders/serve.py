"""A warm grading server: one JSON request a line on stdin, one report a line on stdout.

``python -m graders.serve`` is started once by nbgrader's autograde (see
:mod:`graders.autograde`), in the course folder, and then grades every
submitted notebook of the run with one :class:`graders.grade.Grader`: Keras is
imported, and the hidden test data and the reference data made, once per
command instead of once per student. nbgrader's own process never imports
Keras and never forks; this one does both (a sandboxed child per submission).

Protocol, one JSON object per line, in order::

    request:  {"id": "7", "path": "/tmp/x/keras_lesson.ipynb", "timeout": 600}
    answer:   {"id": "7", "submission": ..., "practices": {...}, "total": ..., ...}
    or:       {"id": "7", "server_error": "one line"}   (the grader itself failed)

``timeout`` (seconds for the whole submission) is optional. The server ends on
end of input. Nothing but answers is ever written to the protocol's stream:
file descriptor 1 is pointed at stderr at start, so a stray ``print`` (ours,
Keras', a student's) cannot break a line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import IO, Iterable

from graders.grade import DEFAULT_MEMORY_MB, Grader, select_practices


def protect_stdout() -> IO[str]:
    """Returns a private stream on the original stdout; fd 1 and ``sys.stdout`` go to stderr from now on."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return protocol


class Backend:
    """Grades one path at a time with a :class:`graders.grade.Grader` kept warm between requests.

    The grader (its sandboxed runner, hidden test data and reference data) is
    made at start, so the first notebook does not wait for it; a request with
    another timeout gets a grader of its own.
    """

    def __init__(self, timeout: float, memory_mb: int, practices: list[str] | None = None, reference=None):
        self.timeout = float(timeout)
        self.memory_mb = memory_mb
        self.practices = select_practices(practices)
        self.reference = reference
        self._graders: dict[float, Grader] = {}
        self._failure: Exception | None = None
        try:
            self._grader(self.timeout)
        except Exception as exc:  # reported with each request: the caller decides what it means
            self._failure = exc

    def grade(self, path: str, timeout: float | None = None) -> dict:
        return next(iter(self._grader(float(timeout or self.timeout)).grade([path])))

    def _grader(self, timeout: float) -> Grader:
        if timeout not in self._graders:
            if self._failure is not None:
                raise self._failure
            self._graders[timeout] = Grader(self.practices, 1, timeout, self.memory_mb, self.reference)
        return self._graders[timeout]

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
            reply = backend.grade(str(request["path"]), request.get("timeout"))
            reply = {**reply, "id": request_id}
        except Exception as exc:  # the caller decides; this server keeps going
            reply = {"id": request_id, "server_error": f"{type(exc).__name__}: {' '.join(str(exc).split())}"}
        answer.write(json.dumps(reply, default=str) + "\n")
        answer.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graders.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per submission (default 600)")
    parser.add_argument("--memory", type=int, default=DEFAULT_MEMORY_MB, help="MB per submission (default 4096)")
    parser.add_argument("--practice", action="append", help="grade only this practice (repeatable)")
    parser.add_argument("--reference", help="the course's reference/ folder (default: found from the working directory)")
    args = parser.parse_args(argv)
    protocol = protect_stdout()
    backend = Backend(args.timeout, args.memory, args.practice, args.reference)
    try:
        serve(sys.stdin, protocol, backend)
    finally:
        backend.close()
        protocol.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
