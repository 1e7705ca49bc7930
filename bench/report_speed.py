"""Prints how long ``graders report`` takes here: for the demo class and for a class of 200.

Figures (wall-clock seconds of the whole command, Python start-up and imports
included, median of a few runs):

* the demo class: the JSON Lines of ``graders grade --json`` on ``demo/students/*.py``
  (5 students), graded once at the start;
* 200 submissions made from those 5 lines: each copy gets its own student
  name, its own Keras layer names (so no two submitted models draw the same
  diagram), a perturbed score and a random checkpoint choice in practice 3;
* the same 200 with the layer names left alone, where identical figures are
  drawn once.

Run it with ``python bench/report_speed.py``; it writes nothing but temporary files.
"""

from __future__ import annotations

import copy
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "MPLBACKEND": "Agg"}
REPEATS = 3
CLASS_SIZE = 200


def grade_demo_class(target: Path) -> None:
    students = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "demo" / "students").glob("*.py"))
    command = [sys.executable, "-m", "graders.cli", "grade", "--json", "--jobs", "2", *students]
    done = subprocess.run(command, cwd=ROOT, env=ENV, check=True, capture_output=True, text=True)
    target.write_text(done.stdout)


def rename_layers(description: dict, suffix: int) -> None:
    """Gives every layer of a described model a new name, as another Keras session would."""
    names = {layer["name"]: f"{layer['name']}_{suffix}" for layer in description["layers"]}
    names.update({i["name"]: f"{i['name']}_{suffix}" for i in description.get("inputs", [])})
    for layer in description["layers"]:
        layer["name"] = names[layer["name"]]
        layer["inbound"] = [names.get(n, n) for n in layer["inbound"]]
    for end in ("inputs", "outputs"):
        for item in description.get(end, []):
            item["name"] = names.get(item["name"], item["name"])


def perturbed(report: dict, index: int, rng: random.Random, unique_models: bool) -> dict:
    """A copy of ``report`` as if another student had handed in something similar."""
    out = copy.deepcopy(report)
    out["submission"] = f"class/students/student{index:03d}.py"
    for practice in out["practices"].values():
        details = practice.get("details", {})
        if unique_models and "submitted" in details:
            rename_layers(details["submitted"], index)
        for run in details.get("runs", []):
            run["chosen_epoch"] = rng.choice(run["epochs"])
        if practice["score"] > 0:
            practice["score"] = round(max(0.0, min(practice["max_score"], practice["score"] - rng.random())), 2)
    out["total"] = round(sum(p["score"] for p in out["practices"].values()), 2)
    return out


def make_class(demo: list[dict], size: int, unique_models: bool, target: Path) -> None:
    rng = random.Random(0)
    lines = [json.dumps(perturbed(demo[i % len(demo)], i, rng, unique_models)) for i in range(size)]
    target.write_text("\n".join(lines) + "\n")


def timed_report(jsonl: Path, outdir: Path) -> float:
    command = [sys.executable, "-m", "graders.report", str(outdir), "--jsonl", str(jsonl)]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - started


def median_of(jsonl: Path, outdir: Path) -> float:
    return statistics.median(timed_report(jsonl, outdir) for _ in range(REPEATS))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="report-speed-") as scratch:
        scratch = Path(scratch)
        demo_file = scratch / "demo.jsonl"
        grade_demo_class(demo_file)
        demo = [json.loads(line) for line in demo_file.read_text().splitlines() if line.strip()]
        big = scratch / "class-unique.jsonl"
        make_class(demo, CLASS_SIZE, True, big)
        shared = scratch / "class-shared.jsonl"
        make_class(demo, CLASS_SIZE, False, shared)

        cases = [
            (f"demo class ({len(demo)} students)", demo_file),
            (f"{CLASS_SIZE} students, every model named apart", big),
            (f"{CLASS_SIZE} students, shared layer names", shared),
        ]
        for label, jsonl in cases:
            outdir = scratch / jsonl.stem
            seconds = median_of(jsonl, outdir)
            pngs = len(list((outdir / "img").glob("*.png")))
            print(f"graders report, {label:42s} median {seconds:6.2f} s  ({pngs} PNG files)")


if __name__ == "__main__":
    main()
