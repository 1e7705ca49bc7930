"""Prints how long grading takes here, next to the floor a fresh Python process per submission sets.

Figures (medians of a few runs, wall-clock seconds):

* ``python -c "import keras"``: what any process that touches Keras pays first;
* ``graders grade`` on one .py submission, practices 1 and 2;
* ``graders grade`` on a class of N submissions (practices 1 and 2), with --jobs 1 and 2,
  against N fresh processes that would each import Keras;
* the lesson's training run on the embedded data: wall time and the epoch of its minimum.

Run it with ``make bench``; it writes nothing but temporary files.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "demo" / "students" / "alice.py"
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
REPEATS = 5
CLASS_SIZE = 20


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - started


def median_of(command: list[str], repeats: int = REPEATS) -> float:
    return statistics.median(timed(command) for _ in range(repeats))


def main() -> None:
    python = sys.executable
    grade = [python, "-m", "graders.cli", "grade", "--practice", "practice1", "--practice", "practice2"]

    import_keras = median_of([python, "-c", "import keras"])
    one = median_of([*grade, str(SAMPLE)])
    print(f"python -c 'import keras'                      median {import_keras:6.2f} s")
    print(f"graders grade one.py (practices 1 and 2)      median {one:6.2f} s")

    with tempfile.TemporaryDirectory() as folder:
        copies = []
        for index in range(CLASS_SIZE):
            copy = Path(folder) / f"student{index:03d}.py"
            shutil.copy(SAMPLE, copy)
            copies.append(str(copy))
        for jobs in (1, 2):
            seconds = timed([*grade, "--jobs", str(jobs), *copies])
            print(
                f"graders grade {CLASS_SIZE} submissions --jobs {jobs}          "
                f"{seconds:6.2f} s ({seconds / CLASS_SIZE:.2f} s each)"
            )
        print(
            f"floor of a fresh process per submission       {import_keras * CLASS_SIZE:6.2f} s "
            f"({CLASS_SIZE} x import keras)"
        )

        run_dir = Path(folder) / "run"
        started = time.perf_counter()
        subprocess.run(
            [python, "-m", "graders.cli", "train", str(run_dir), "--data", "digits"],
            env=ENV, check=True, capture_output=True,
        )
        seconds = time.perf_counter() - started
        from graders.checkpoints import CheckpointRun

        run = CheckpointRun(run_dir)
        print(
            f"graders train (embedded digits)               {seconds:6.2f} s, "
            f"{len(run.checkpoints)} epochs, minimum at epoch {run.best.epoch}"
        )


if __name__ == "__main__":
    main()
