"""Grading on a Dask cluster gives exactly the reports of ``--jobs``, in input order, even when a worker dies.

Three gradings of the same class share this module: ``--jobs 2`` (the
yardstick), ``--cluster local:2`` (a LocalCluster the command starts), and
``--scheduler`` on a cluster started as the README tells an instructor to
(``dask scheduler``, ``dask worker``), one of whose workers is killed with its
grading processes while it holds a batch.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from conftest import QUIET_TENSORFLOW, ROOT

from graders.cluster import parse_cluster

#: a small class: a correct answer, typical mistakes, a blank file, a child that exits, a notebook, a
#: file that cannot be read and one of another type (both reported without reaching a worker)
CLASS = [
    "demo/students/alice.py",
    "demo/students/ben.py",
    "demo/students/chen.py",
    "demo/students/eli.py",
    "tests/submissions/broken_os_exit.py",
    "tests/submissions/broken_syntax_error.py",
    "tests/submissions/missing_file.py",
    "demo/students/dana.py",
]
TIMEOUT = "60"
DASK = str(Path(sys.executable).with_name("dask"))


def _grade(run_cli, *options: str) -> list[dict]:
    done = run_cli("grade", "--json", "--timeout", TIMEOUT, *options, *CLASS, timeout=900)
    assert done.returncode == 2, done.stderr[-2000:]  # 2: one file of the class cannot be read
    assert "missing_file.py: no such file" in done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def by_jobs(run_cli) -> list[dict]:
    return _grade(run_cli, "--jobs", "2")


def test_parse_cluster():
    assert parse_cluster("local:3") == 3
    for bad in ("local:0", "local:", "remote:2", "3", "local:-1"):
        with pytest.raises(ValueError, match="local:N"):
            parse_cluster(bad)


def test_declarations_that_cannot_be_sent_stop_before_any_worker_starts(tmp_path):
    from graders.cluster import ClusterError, grade_on_cluster
    from graders.practices import discover

    (tmp_path / "practices.py").write_text(
        "from graders.practices.declare import Rubric, declare\n"
        "PRACTICES = [declare('p', check='best_checkpoint', function='pick', reference='ref', spec='dense.json',\n"
        "                     rubric=Rubric(public={'Best checkpoint: minimum in the middle': 3}))]\n")
    practices = discover.load_file(tmp_path / "practices.py")
    # the spec file was never made: one line for the command (graders grade: ...), not a traceback
    with pytest.raises(ClusterError, match="dense.json"):
        next(grade_on_cluster([], practices, 60, 4096, tmp_path, workers=1))


def test_bad_cluster_option_is_a_usage_error(run_cli):
    done = run_cli("grade", "--cluster", "local:zero", "demo/students/alice.py")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["graders grade: --cluster expects local:N (N workers on this machine), got 'local:zero'"]


def test_unreachable_scheduler_is_one_line(run_cli):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = run_cli("grade", "--scheduler", f"tcp://127.0.0.1:{port}", "demo/students/alice.py", timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("graders grade: cannot reach the Dask scheduler"), lines


def test_local_cluster_equals_jobs(run_cli, by_jobs):
    by_cluster = _grade(run_cli, "--cluster", "local:2", "--batch-size", "2")
    assert [r["submission"] for r in by_cluster] == [p for p in CLASS]
    assert by_cluster == by_jobs
    # the yardstick itself graded: alice full marks, eli (blank) nothing, the exiting child a reason
    totals = {Path(r["submission"]).stem: r["total"] for r in by_jobs}
    assert totals["alice"] == 30 and totals["eli"] == 0
    assert "missing_file" in totals and totals["missing_file"] == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _kill_tree(pid: int) -> None:
    try:
        process = psutil.Process(pid)
        family = [*process.children(recursive=True), process]
    except psutil.NoSuchProcess:
        return
    for member in family:
        try:
            member.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(family, timeout=30)


def test_scheduler_with_a_worker_that_dies(run_cli, by_jobs, tmp_path):
    """The README's several-machine commands, on one machine; a worker is killed holding a batch."""
    from distributed import Client

    env = {**os.environ, **QUIET_TENSORFLOW, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
    address = f"tcp://127.0.0.1:{_free_port()}"
    logs = tmp_path / "logs"
    logs.mkdir()
    started = []

    def start(*command: str, log: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [DASK, *command], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
            stderr=open(logs / log, "w"), start_new_session=True,
        )
        started.append(process)
        return process

    start("scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard", log="scheduler")
    workers = [
        start("worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", name, log=name)
        for name in ("first", "second")
    ]
    killed = {}
    try:
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            names = {info["name"]: worker for worker, info in client.scheduler_info()["workers"].items()}

            def kill_first_when_busy() -> None:
                deadline = time.monotonic() + 300
                while time.monotonic() < deadline:
                    if client.processing().get(names["first"]):
                        time.sleep(3)  # its grading server is starting or grading: mid-batch
                        _kill_tree(workers[0].pid)
                        killed["at"] = time.monotonic()
                        return
                    time.sleep(0.2)

            watcher = threading.Thread(target=kill_first_when_busy, daemon=True)
            watcher.start()
            by_scheduler = _grade(run_cli, "--scheduler", address, "--batch-size", "2")
            watcher.join(timeout=5)
        assert "at" in killed, "the first worker never got a batch"
        assert workers[0].poll() is not None
        assert by_scheduler == by_jobs
    finally:
        for process in started:
            _kill_tree(process.pid)
