"""The one loop of ``graders.run.pool`` that forks children and collects them, seen from its two callers.

``call_in_child`` forks directly from the grading process: its result comes back whole (larger than
a pipe holds), an error or an early exit says what happened, a child past its time is killed with
what it started, and neither a descriptor nor a process is left behind. The runner forks through
its zygote: a run closed early (an interrupted grading) kills the child still running, and leaves
no descriptor open and no child under the zygote. The runner runs in its own interpreter (this
module, run as a script), away from the TensorFlow state of other test modules.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent


def open_descriptors() -> set[int]:
    return {int(fd) for fd in os.listdir("/proc/self/fd")}


def children() -> set[int]:
    return {child.pid for child in psutil.Process().children(recursive=True)}


@pytest.fixture(scope="module")
def call_in_child():
    from graders.run.pool import call_in_child

    assert call_in_child(lambda: "warm") == "warm"  # the first call imports Keras in this process
    return call_in_child


@pytest.fixture
def nothing_left_behind(call_in_child):
    """Fails the test if it leaves a descriptor open or a child (even a zombie) in this process."""
    descriptors, processes = open_descriptors(), children()
    yield
    assert open_descriptors() == descriptors, "a descriptor of the loop was left open"
    assert children() == processes, "a child was left running or unreaped"


def test_a_result_larger_than_a_pipe_holds_comes_back_whole(call_in_child, nothing_left_behind):
    # a pipe holds 64 KiB: 3 MB come in many chunks, some of them after the child has exited
    result = call_in_child(lambda: {"text": "x" * 3_000_000, "numbers": list(range(1000))})
    assert len(result["text"]) == 3_000_000 and result["numbers"] == list(range(1000))


def test_an_error_or_an_early_exit_says_what_happened(call_in_child, nothing_left_behind):
    with pytest.raises(RuntimeError, match=r"^ZeroDivisionError: division by zero$"):
        call_in_child(lambda: 1 / 0)
    with pytest.raises(RuntimeError, match=r"^the process ended without a result$"):
        call_in_child(lambda: os._exit(3))


def test_a_child_past_its_time_is_killed_with_what_it_started(call_in_child, nothing_left_behind, tmp_path):
    marker = tmp_path / "grandchild"

    def hang():
        grandchild = subprocess.Popen(["sleep", "120"])
        marker.write_text(str(grandchild.pid))
        time.sleep(120)

    started = time.monotonic()
    with pytest.raises(RuntimeError, match=r"^did not finish within 2 s$"):
        call_in_child(hang, timeout=2)
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"the call took {elapsed:.1f} s for a 2 s timeout"
    grandchild = int(marker.read_text())
    deadline = time.monotonic() + 5
    while psutil.pid_exists(grandchild) and time.monotonic() < deadline:
        try:
            if psutil.Process(grandchild).status() == psutil.STATUS_ZOMBIE:  # killed, not yet reaped by init
                break
        except psutil.NoSuchProcess:
            break
        time.sleep(0.1)
    else:
        assert not psutil.pid_exists(grandchild), "the process the child started outlived it"


def described_descriptors() -> dict[str, str]:
    """What each open descriptor is (``pipe:[inode]``, ``anon_inode:[eventpoll]``...), by number;
    the listing's own descriptor left out."""
    targets = {fd: os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
               if os.path.exists(f"/proc/self/fd/{fd}")}
    return {fd: target for fd, target in targets.items() if not target.startswith("/proc/")}


def test_the_child_holds_none_of_the_loops_descriptors(call_in_child, nothing_left_behind):
    before = described_descriptors()
    inside = call_in_child(described_descriptors)
    new = {fd: target for fd, target in inside.items() if before.get(fd) != target}
    # only the write end of its pipe; the read end (the same pipe:[inode] again) and the loop's
    # selector (anon_inode:[eventpoll]) are closed in the child
    assert len(new) == 1 and next(iter(new.values())).startswith("pipe:"), f"the child also holds {new}"


# -- the runner, through its zygote: driven as a script ---------------------------------------------

HANGS = "import time\ntime.sleep(120)\n"
FAILS_AT_ONCE = "def build_sequential_model():\n    raise ValueError('no model')\n"


def drive(out_path: str) -> None:
    from graders.practices import PRACTICES
    from graders.run.pool import Job, Runner

    practices = [PRACTICES["practice1"]]
    session = tempfile.mkdtemp(prefix="graders-pool-loop-")
    os.chmod(session, 0o711)
    jobs = []
    for key, code in (("hangs", HANGS), ("fails", FAILS_AT_ONCE)):
        folder = os.path.join(session, key)
        os.makedirs(folder)
        jobs.append(Job(key, [(f"{key}.py", code)], practices, {}, folder))
    with Runner(practices, parallel=2, timeout=60, memory_mb=2000) as runner:
        zygote = psutil.Process(runner.zygote.pid)
        descriptors = open_descriptors()
        started = time.monotonic()
        run = runner.run(jobs)
        first = next(run)
        running = [child.pid for child in zygote.children(recursive=True)]
        run.close()  # the grading is interrupted while the other job's child still runs
        record = {
            "first": first.key, "outcome": first.outcomes, "error": first.error,
            "attempts": {job.key: job.attempts for job in jobs},
            "running_before_close": running,
            "left_under_zygote": [child.pid for child in zygote.children(recursive=True)],
            "descriptors_left_open": sorted(open_descriptors() - descriptors),
            "seconds": round(time.monotonic() - started, 1),
        }
    Path(out_path).write_text(json.dumps(record))


if __name__ == "__main__":
    drive(sys.argv[1])
    sys.exit(0)


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("pool-loop") / "record.json"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
    done = subprocess.run([sys.executable, __file__, str(out)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, f"the runner did not finish cleanly:\n{done.stderr[-3000:]}"
    return json.loads(out.read_text())


def test_an_interrupted_run_kills_its_children_and_closes_their_descriptors(interrupted):
    assert interrupted["first"] == "fails", interrupted
    assert "ValueError" in interrupted["outcome"]["practice1"]["reason"], interrupted
    # both jobs had a child: the hanging one was still running when the run was closed
    assert interrupted["attempts"] == {"hangs": 1, "fails": 1}, interrupted
    assert len(interrupted["running_before_close"]) >= 1, interrupted
    assert interrupted["left_under_zygote"] == [], interrupted
    assert interrupted["descriptors_left_open"] == [], interrupted
    assert interrupted["seconds"] < 50, f"closing waited for the hanging child's timeout: {interrupted}"
