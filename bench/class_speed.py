"""Prints how fast a whole class of lesson notebooks is graded, five ways, in one run.

A class of N notebooks (default 20) is made from the released lesson, each
filled with one of the demo students' answers in turn, and graded by:

    stock nbgrader       nbgrader autograde with nbgrader's own pipeline and the lesson in full
    nbgrader, full       this package's autograde pipeline (trusted grades, sandboxed kernel), lesson in full
    nbgrader, short      the same pipeline with the short lesson run (nbgrader sets NBGRADER_EXECUTION)
    graders --jobs 2     the command line, two sandboxed children at a time
    graders local:2      the command line on a Dask LocalCluster of two single-threaded workers

Every way must give every student the same score per practice, else the
benchmark fails. It prints the wall time, notebooks per minute, each way's
speed-up over stock nbgrader, and the peak memory (proportional set size, so
pages shared after a fork count once) of each worker: the nbgrader process with
its kernel and grading server, the grading process of ``--jobs`` with all its
children divided by its two slots, and each Dask worker with its grading server.

The two command-line ways also grade the first two notebooks alone, so the
per-notebook cost without the start-up (Keras imported, hidden data made, one
grading server per Dask worker) is (wall of N - wall of 2) / (N - 2).

Run it with ``make bench`` (about half an hour on 2 cores), or
``python bench/class_speed.py --students 6`` for a quick look;
``--skip-nbgrader`` times only the command-line ways.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

from graders import course

ROOT = Path(__file__).resolve().parent.parent
DEMO = sorted((ROOT / "demo" / "students").glob("*.py"))
BIN = Path(sys.executable).parent

STOCK_PIPELINE = """
# nbgrader's own autograde pipeline (as shipped), for comparison
from nbgrader.preprocessors import Execute
c.Autograde.autograde_preprocessors = [
    Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades, AssignLatePenalties,
    CheckCellMetadata,
]
"""


class PeakMemory:
    """Samples the proportional set size of a process tree; per worker, the largest sum seen."""

    def __init__(self, pid: int, workers_of=None):
        self.pid = pid
        self.workers_of = workers_of or (lambda root: [root])
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            try:
                root = psutil.Process(self.pid)
                for worker in self.workers_of(root):
                    total = 0
                    for member in [worker, *worker.children(recursive=True)]:
                        try:
                            total += member.memory_full_info().pss
                        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                            pass
                    self.peaks[worker.pid] = max(self.peaks.get(worker.pid, 0), total)
            except psutil.NoSuchProcess:
                return

    def stop(self) -> list[int]:
        self._stop.set()
        self._thread.join()
        return sorted(self.peaks.values(), reverse=True)


def dask_workers(root: psutil.Process) -> list[psutil.Process]:
    """The worker processes a LocalCluster spawned (multiprocessing's spawn children)."""
    found = []
    for child in root.children():
        try:
            if "spawn_main" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def run(command: list[str], cwd: Path, env: dict, workers_of=None) -> tuple[float, str, list[int]]:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = PeakMemory(process.pid, workers_of)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    peaks = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed ({process.returncode}): {err[-1500:]}")
    return seconds, out, peaks


def environment(**extra: str) -> dict:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "MPLBACKEND": "Agg"}
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])  # nbgrader finds alembic and kernels
    env.pop("GRADERS_SHORT_RUN", None)
    env.update(extra)
    return env


def make_class(folder: Path, students: int) -> tuple[Path, list[str]]:
    root = course.setup_course(folder / "course")
    released = nbformat.read(course.release(root), as_version=4)
    names = []
    for index in range(students):
        answers = DEMO[index % len(DEMO)]
        name = f"s{index + 1:02d}-{answers.stem}"
        course.submit(root, name, course.fill_answers(released, answers.read_text()))
        names.append(name)
    return root, names


def nbgrader_way(base: Path, copy: Path, env: dict, stock: bool) -> tuple[float, dict, list[int]]:
    shutil.copytree(base, copy)
    if stock:
        with open(copy / "nbgrader_config.py", "a") as config:
            config.write(STOCK_PIPELINE)
    command = [str(BIN / "nbgrader"), "autograde", course.ASSIGNMENT, "--create", "--force"]
    seconds, _, peaks = run(command, copy, env)
    scores = {
        student: {k: v for k, v in row.items() if k != "total"} for student, row in course.gradebook_scores(copy).items()
    }
    return seconds, scores, peaks


def cli_way(root: Path, names: list[str], options: list[str], workers_of=None) -> tuple[float, dict, list[int]]:
    paths = [str(Path("submitted") / name / course.ASSIGNMENT / course.NOTEBOOK) for name in names]
    command = [str(BIN / "graders"), "grade", "--json", "--timeout", "600", *options, *paths]
    seconds, out, peaks = run(command, root, environment(), workers_of)
    scores = {}
    for line in out.splitlines():
        report = json.loads(line)
        student = Path(report["submission"]).parts[-3]
        scores[student] = {name: round(p["score"], 2) for name, p in report["practices"].items()}
    return seconds, scores, peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20, help="notebooks in the class (default 20)")
    parser.add_argument("--skip-nbgrader", action="store_true", help="time only the command-line ways")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="class-speed-") as folder:
        folder = Path(folder)
        root, names = make_class(folder, args.students)
        print(f"a class of {len(names)} lesson notebooks ({', '.join(p.stem for p in DEMO)} in turn)", flush=True)
        ways = []

        def record(label: str, outcome: tuple, memory_note: str, per_worker: list[int]) -> None:
            seconds, scores, _ = outcome
            ways.append((label, seconds, scores, memory_note, per_worker))
            print(f"  graded: {label:<20} {seconds:7.1f} s", flush=True)

        full = environment(GRADERS_SHORT_RUN="0")
        if not args.skip_nbgrader:
            outcome = nbgrader_way(root, folder / "stock", full, stock=True)
            record("stock nbgrader", outcome, "nbgrader + kernel", outcome[2][:1])
            outcome = nbgrader_way(root, folder / "full", full, stock=False)
            record("nbgrader, full", outcome, "nbgrader + kernel + server", outcome[2][:1])
            outcome = nbgrader_way(root, folder / "short", environment(), stock=False)
            record("nbgrader, short", outcome, "nbgrader + kernel + server", outcome[2][:1])
        outcome = cli_way(root, names, ["--jobs", "2"])
        record("graders --jobs 2", outcome, "grading tree / 2 slots", [p // 2 for p in outcome[2][:1]])
        outcome = cli_way(root, names, ["--cluster", "local:2"], dask_workers)
        record("graders local:2", outcome, "each Dask worker", outcome[2])
        two = {
            "jobs": cli_way(root, names[:2], ["--jobs", "2"])[0],
            "dask": cli_way(root, names[:2], ["--cluster", "local:2"], dask_workers)[0],
        }

    stock_seconds, stock_scores = ways[0][1], ways[0][2]  # with --skip-nbgrader: --jobs 2 is the yardstick
    print()
    print(f"{'way':<20} {'wall s':>8} {'per min':>8} {'vs stock':>9}  peak memory per worker (MB)")
    for label, seconds, _, note, per_worker in ways:
        memory = ", ".join(f"{p / 2**20:.0f}" for p in per_worker) or "-"
        print(
            f"{label:<20} {seconds:8.1f} {len(names) / seconds * 60:8.1f} {stock_seconds / seconds:8.1f}x"
            f"  {memory} ({note})"
        )
    if not args.skip_nbgrader:
        print(f"{'':<20} short nbgrader vs full nbgrader: {ways[1][1] / ways[2][1]:.2f}x")
    jobs, dask = ways[-2][1], ways[-1][1]
    print(f"{'':<20} Dask local:2 per notebook vs --jobs 2, start-up included: {dask / len(names):.2f} s vs "
          f"{jobs / len(names):.2f} s ({(dask / jobs - 1) * 100:+.0f} %)")
    if len(names) > 2:
        marginal = {way: (seconds - two[way]) / (len(names) - 2) for way, seconds in (("jobs", jobs), ("dask", dask))}
        print(f"{'':<20} start-up (2 notebooks): {two['dask']:.1f} s vs {two['jobs']:.1f} s; each further notebook: "
              f"{marginal['dask']:.2f} s vs {marginal['jobs']:.2f} s ({(marginal['dask'] / marginal['jobs'] - 1) * 100:+.0f} %)")
    different = [label for label, _, scores, _, _ in ways[1:] if scores != stock_scores]
    if different:
        for label, _, scores, _, _ in ways[1:]:
            for student in sorted(stock_scores):
                if scores.get(student) != stock_scores[student]:
                    print(f"  {label}: {student} {scores.get(student)} != stock {stock_scores[student]}")
        raise SystemExit(f"scores differ from stock nbgrader's: {', '.join(different)}")
    print(f"{'':<20} every way gave every student the same scores")


if __name__ == "__main__":
    main()
