"""Prints what trusted grading costs per child, measured through the runner itself.

Figures (medians of REPEATS runs, milliseconds), all in one warm process that imported Keras once:

* a sandboxed student child that runs an empty submission: zygote request, fork, sandbox, report, exit;
* the trusted rebuild: a fresh child that rebuilds a model from its JSON (allow-list, safe mode) and
  describes it, for practice 1's and practice 2's reference models;
* the rebuild alone, in this process, to show what the child adds around it.

Run it with ``make bench``; it writes nothing but temporary files.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
REPEATS = 15


def main() -> None:
    from conftest import load_reference
    from graders.practices import PRACTICES
    from graders.run import sandbox
    from graders.files import remove_tree
    from graders.run.pool import Job, Runner, call_in_child
    from graders.run.rebuild import describe_json

    def reference_json() -> dict:
        return {
            "practice1": load_reference("practice1").build_sequential_model().to_json(),
            "practice2": load_reference("practice2").build_residual_model().to_json(),
        }

    # TensorFlow ops run only in children: a process that forks must not have run any
    evidence = {name: {"model_json": text} for name, text in call_in_child(reference_json).items()}
    practices = [PRACTICES["practice1"], PRACTICES["practice2"]]
    session = tempfile.mkdtemp(prefix="graders-bench-")
    os.chmod(session, 0o711)
    print(f"sandbox layers available here: {sandbox.capabilities()}")
    try:
        with Runner(practices) as runner:
            def one(index: int, **fields) -> float:
                folder = os.path.join(session, f"job-{index}")
                os.makedirs(folder)
                job = Job(str(index), [("empty", "")], fields.pop("practices", practices), {}, folder, **fields)
                started = time.perf_counter()
                for _ in runner.run([job]):
                    pass
                elapsed = time.perf_counter() - started
                remove_tree(folder)
                return elapsed * 1000

            student = [one(i) for i in range(REPEATS)]
            rows = [("sandboxed student child, empty submission", student)]
            for name in evidence:
                practice = PRACTICES[name]
                timings = []
                for i in range(REPEATS):
                    index = 1000 * (1 + len(rows)) + i
                    folder = os.path.join(session, f"job-{index}")
                    os.makedirs(folder)
                    job = Job(str(index), [], [practice], {}, folder)
                    job.outcomes[name] = {"data": evidence[name]}
                    started = time.perf_counter()
                    for _ in runner.run([job]):
                        pass
                    timings.append((time.perf_counter() - started) * 1000)
                    assert "data" in job.outcomes[name], job.outcomes[name]
                    remove_tree(folder)
                rows.append((f"trusted rebuild child, {name}", timings))
    finally:
        remove_tree(session)
    for name, text in ((n, e["model_json"]) for n, e in evidence.items()):
        timings = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            describe_json(text)
            timings.append((time.perf_counter() - started) * 1000)
        rows.append((f"rebuild alone (no child), {name}", timings))
    print(f"{'what':48} {'median ms':>10} {'min':>8} {'max':>8}")
    for name, timings in rows:
        print(f"{name:48} {statistics.median(timings):10.1f} {min(timings):8.1f} {max(timings):8.1f}")


if __name__ == "__main__":
    main()
