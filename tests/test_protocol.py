"""The event protocol between a submission's child and the grading process, driven with forged streams.

A submission runs in the same process as the code that reports its evidence, so it can write anything
on that channel: events out of order, events for practices it was not asked, a second answer, data of
any shape, bytes that are no JSON, a line or a total too long, the examine child's own events; it can
close the channel, hang after claiming another practice, or exit right after "loaded".
``graders.run.pool.Runner`` must read all that as hostile input: apply only well-formed events in
order, ignore and count the rest, stop the child at the size caps and the timeout, blame a hang on
the practice that was really running, and always finish.

Each scenario is a job of the three real practices whose cells find the channel (the one pipe among
the child's descriptors) and write to it; honest answers tell themselves from forged ones by their
parameter count (practices 1 and 2, rebuilt in a trusted child) or working directory (practice 3,
given no checkpoint directory). The runner runs in its own interpreter (this module, run as a
script), away from the TensorFlow state of other test modules; the tests check what it records.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 5.0
#: the driver must finish well within this, hangs included
DRIVER_SECONDS = 150

PRELUDE = r"""
import json, os, stat, time

import keras
from keras import layers

def _channel():
    for fd in range(3, 1024):
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                return fd
        except OSError:
            pass
    raise RuntimeError("no channel")

CHANNEL = _channel()

def send(event):
    data = event if isinstance(event, bytes) else (json.dumps(event) + "\n").encode()
    view = memoryview(data)
    while view:
        view = view[os.write(CHANNEL, view):]

#: a model JSON of 10 parameters, to tell a forged answer from the honest one
TINY = json.dumps({"module": "keras", "class_name": "Sequential", "registered_name": None, "config": {
    "name": "forged", "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
         "config": {"batch_shape": [None, 4], "dtype": "float32", "name": "i"}},
        {"module": "keras.layers", "class_name": "Dense", "registered_name": None, "config": {"name": "d", "units": 2}},
    ]}})
FORGED_P3 = {"cwd": "/forged", "directories": [], "own": {"lines": []}}

def build_sequential_model():
    return keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(128, activation="relu"),
                             layers.Dropout(0.2), layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")])

def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.MaxPool2D(2, 2)(layers.Conv2D(3, 3, padding="same", activation="relu")(inputs))
    x = layers.GlobalAveragePooling2D()(layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)]))
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))

def find_best_checkpoint(path):  # never called: the job's practice 3 has no directories
    return path
"""

P1, P2, P3 = "practice1", "practice2", "practice3"
#: the value of an honest answer (see ``value``): practice 1's and 2's parameter counts, practice 3's workdir
HONEST = {P1: 109_386, P2: 124, P3: "workdir"}

#: name -> (practices, the submission's code after PRELUDE)
SCENARIOS = {
    "before_loaded": ([P3, P1], """
send({"event": "result", "practice": "practice3", "data": FORGED_P3})
send({"event": "start", "practice": "practice1"})
send({"event": "failed", "practice": "practice1", "reason": "forged"})
"""),
    "second_loaded": ([P3, P1], """
send({"event": "loaded", "notes": ["first"]})
send({"event": "loaded", "notes": ["second"]})
send({"event": "load_failed", "reason": "forged"})
"""),
    "not_asked": ([P3], """
send({"event": "loaded", "notes": []})
send({"event": "result", "practice": "practice1", "data": {"model_json": TINY}})
send({"event": "result", "practice": "practice9", "data": FORGED_P3})
send({"event": "start", "practice": None})
"""),
    "result_twice": ([P1, P3], """
def build_sequential_model():
    send({"event": "result", "practice": "practice1", "data": {"model_json": TINY}})
    send({"event": "result", "practice": "practice1", "data": {"model_json": "{}"}})
    send({"event": "failed", "practice": "practice1", "reason": "forged"})
    return keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])
"""),
    "fragmented_line": ([P1], """
def build_sequential_model():
    for byte in (json.dumps({"event": "result", "practice": "practice1", "data": {"model_json": TINY}}) + "\\n").encode():
        send(bytes([byte]))
    return keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])
"""),
    "data_shapes": ([P1, P2, P3], """
send({"event": "loaded", "notes": ["n" * 10_000, 5, None] + ["more"] * 100})
send({"event": "result", "practice": "practice1", "data": [1, 2]})
send({"event": "result", "practice": "practice2", "data": {"model_json": "x" * 7_000_000}})
send(b'{"event": "result", "practice": "practice3", "data": ' + b"[" * 10_000 + b"]" * 10_000 + b"}\\n")
send({"event": "result", "practice": "practice3"})
"""),
    "long_reason": ([P1], """
def build_sequential_model():
    send({"event": "failed", "practice": "practice1", "reason": "r" * 100_000})
    return build_sequential_model
"""),
    "long_line": ([P3], """
send(b"x" * (9 * 2**20))
time.sleep(60)
"""),
    "garbage_40mb": ([P3], """
send((b"g" * (2**20 - 1) + b"\\n") * 40)
time.sleep(60)
"""),
    "bad_bytes": ([P3, P1], """
send(b"\\xff\\xfe\\xfd not utf-8\\n")
send(b'{"event": "loaded", "notes": []}\\x00\\n')
send(b"\\x00\\x00\\x00\\n")
send(b'{"event": "loaded", "notes": ["\\xc3\\x28"]}\\n')
send('{"event": "loaded", "notes": ["utf-16"]}'.encode("utf-16") + b"\\n")
send(b"\\n\\n   \\n")
"""),
    "unhashable_practice": ([P3, P1], """
send({"event": "loaded", "notes": []})
send({"event": "start", "practice": ["practice3"]})
send({"event": "result", "practice": {"name": "practice3"}, "data": FORGED_P3})
send({"event": "failed", "practice": 1.5, "reason": "forged"})
send({"event": ["result"], "practice": "practice3", "data": FORGED_P3})
"""),
    "blame_shift": ([P1, P2, P3], """
def build_sequential_model():
    send({"event": "start", "practice": "practice2"})
    time.sleep(60)
"""),
    "close_then_hang": ([P3], """
os.close(CHANNEL)
time.sleep(60)
"""),
    "exit_after_loaded": ([P3, P1], """
send({"event": "loaded", "notes": ["forged"]})
os._exit(0)
"""),
    "forged_examined": ([P3, P1], """
send({"event": "loaded", "notes": []})
send({"event": "examined", "practice": "practice1", "data": {"total_params": 1000}})
send({"event": "refused", "practice": "practice1", "reason": "forged"})
honest = build_sequential_model
def build_sequential_model():
    send({"event": "examined", "practice": "practice1", "data": {"total_params": 1000}})
    return honest()
"""),
    # practice 1's model takes the examine child past the timeout (Orthogonal initialisers of
    # 3000 x 3000, some 3 s each): practice 2, examined after it, must not pay for it
    "examine_child_stopped": ([P1, P2], """
SLOW = json.dumps({"module": "keras", "class_name": "Sequential", "registered_name": None, "config": {
    "name": "slow", "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
         "config": {"batch_shape": [None, 3000], "dtype": "float32", "name": "i"}},
    ] + [{"module": "keras.layers", "class_name": "Dense", "registered_name": None,
          "config": {"name": f"d{n}", "units": 3000, "kernel_initializer": {
              "module": "keras.initializers", "class_name": "Orthogonal", "registered_name": None, "config": {}}}}
         for n in range(12)]}})
honest = build_sequential_model
def build_sequential_model():
    model = honest()
    model.to_json = lambda **kwargs: SLOW
    return model
"""),
    # a notebook whose top-level cells sometimes pass the timeout: answers checked in the first child
    # must survive a retry that dies before it reports anything (the job's output log, which every
    # child of the job appends to, tells the retry from the first run)
    "retry_dies_before_loaded": ([P3, P1, P2], """
if os.fstat(1).st_size > 0:
    os._exit(1)
os.write(1, b"first run\\n")
def build_sequential_model():
    os._exit(0)
"""),
}


# -- the driver: run as a script ----------------------------------------------------------------------

def drive(out_path: str) -> None:
    from graders.practices import PRACTICES
    from graders.files import remove_tree
    from graders.run.pool import Job, Runner

    practices = {name: PRACTICES[name] for name in (P1, P2, P3)}
    session = tempfile.mkdtemp(prefix="graders-protocol-")
    os.chmod(session, 0o711)
    results = {}
    try:
        with Runner(list(practices.values()), parallel=2, timeout=TIMEOUT, memory_mb=2000) as runner:
            jobs, started = [], time.monotonic()
            for name, (wanted, code) in SCENARIOS.items():
                folder = os.path.join(session, name)
                os.makedirs(folder)
                contexts = {P3: {"directories": []}}
                jobs.append(Job(name, [(f"{name}.py", PRELUDE + code)], [practices[p] for p in wanted], contexts, folder))
            for job in runner.run(jobs):
                results[job.key] = {
                    "outcomes": job.outcomes, "error": job.error, "notes": job.notes,
                    "attempts": job.attempts, "seconds": round(time.monotonic() - started, 1),
                }
    finally:
        remove_tree(session)
    Path(out_path).write_text(json.dumps(results))


if __name__ == "__main__":
    drive(sys.argv[1])
    sys.exit(0)


# -- the tests ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    """Every scenario's job as the runner left it: outcomes, error, notes, attempts, seconds."""
    out = tmp_path_factory.mktemp("protocol") / "results.json"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
    started = time.monotonic()
    done = subprocess.run([sys.executable, __file__, str(out)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=DRIVER_SECONDS)
    assert done.returncode == 0, f"the runner did not finish cleanly:\n{done.stderr[-3000:]}"
    results = json.loads(out.read_text())
    results["_seconds"] = time.monotonic() - started
    return results


def value(job: dict, practice: str):
    """What an answer that was recorded amounts to (compare with HONEST); None when there is none."""
    outcome = job["outcomes"].get(practice) or {}
    if "data" not in outcome:
        return None
    if practice == P3:
        cwd = outcome["data"].get("cwd") or ""
        return "workdir" if cwd.endswith("/work") else cwd
    return outcome["data"].get("total_params")


def honest(job: dict, *practices: str) -> bool:
    return all(value(job, p) == HONEST[p] for p in practices)


def reason(job: dict, practice: str) -> str:
    return job["outcomes"].get(practice, {}).get("reason") or ""


def ignored_note(job: dict) -> int:
    """How many messages the runner noted as ignored (0 when it noted none)."""
    for note in job["notes"]:
        if note.startswith("The grader ignored "):
            return int(note.split()[3])
    return 0


def test_every_job_finishes_in_one_run(run):
    assert set(SCENARIOS) <= set(run), f"jobs missing from the run: {set(SCENARIOS) - set(run)}"
    # four scenarios hang (one of them in two children in turn), two at a time: nothing waits longer
    assert run["_seconds"] < DRIVER_SECONDS


def test_events_before_loaded_are_ignored(run):
    job = run["before_loaded"]
    assert honest(job, P3, P1) and job["error"] is None, job
    assert ignored_note(job) == 3


def test_a_second_loaded_changes_nothing(run):
    job = run["second_loaded"]
    assert honest(job, P3, P1) and job["error"] is None, job
    assert job["notes"][0] == "first"
    # the forged second "loaded", the "load_failed" after it, and the child's own "loaded"
    assert ignored_note(job) == 3


def test_results_for_practices_not_asked_are_ignored(run):
    job = run["not_asked"]
    assert set(job["outcomes"]) == {P3} and honest(job, P3), job
    assert ignored_note(job) >= 3


def test_the_first_answer_wins(run):
    job = run["result_twice"]
    assert value(job, P1) == 10 and honest(job, P3), job
    # the second result, the "failed" and the child's own result
    assert ignored_note(job) == 3


def test_an_event_written_byte_by_byte_is_one_event(run):
    assert value(run["fragmented_line"], P1) == 10


def test_data_of_the_wrong_shape_costs_that_practice_only(run):
    job = run["data_shapes"]
    assert "could not read build_sequential_model()'s answer" in reason(job, P1)
    assert "could not read build_residual_model()'s answer" in reason(job, P2)
    assert len(reason(job, P2)) < 1000
    # the 10,000-deep line is no event at all, and a result without data neither: the child's own counts
    assert honest(job, P3), job
    # the child's notes are capped at 50; the runner adds its own note on what it ignored
    assert len(job["notes"]) <= 51 and all(isinstance(n, str) and len(n) <= 500 for n in job["notes"])


def test_text_from_the_child_is_cut(run):
    text = reason(run["long_reason"], P1)
    assert text.startswith("rrr") and len(text) <= 500


@pytest.mark.parametrize("scenario, cause", [
    ("long_line", "longer than 8 MB"),
    ("garbage_40mb", "more than 32 MB"),
])
def test_size_caps_stop_the_child(run, scenario, cause):
    job = run[scenario]
    assert job["error"] and cause in job["error"], job["error"]
    assert job["attempts"] == 1, "a child stopped at a cap is not run again"


def test_bytes_that_are_no_json_are_ignored(run):
    job = run["bad_bytes"]
    assert honest(job, P3, P1) and job["error"] is None, job
    assert ignored_note(job) >= 4


def test_unhashable_or_odd_practice_names_are_ignored(run):
    job = run["unhashable_practice"]
    assert honest(job, P3, P1) and job["error"] is None, job
    assert ignored_note(job) >= 4


def test_claiming_another_practice_while_hanging_costs_only_the_claimer(run):
    job = run["blame_shift"]
    # the child claimed practice 2 and hung in practice 1: practice 2 is blamed; practice 1 runs
    # again in a fresh child and hangs again under its own name; practice 3 is still graded
    assert "was stopped" in reason(job, P2) and f"within {TIMEOUT:g} s" in reason(job, P2), job
    assert "was stopped" in reason(job, P1), job
    assert honest(job, P3), job
    assert job["attempts"] == 3


def test_closing_the_channel_then_hanging_is_stopped_at_the_timeout(run):
    job = run["close_then_hang"]
    assert job["error"] and f"did not finish within {TIMEOUT:g} s" in job["error"], job["error"]


def test_exiting_right_after_loaded_is_retried_once_then_given_up(run):
    job = run["exit_after_loaded"]
    assert job["attempts"] == 2
    for practice in (P3, P1):
        assert "was not reached" in reason(job, practice) and "exited early with code 0" in reason(job, practice)


def test_examined_events_from_the_student_child_are_ignored(run):
    job = run["forged_examined"]
    assert honest(job, P3, P1), job
    assert ignored_note(job) >= 3


def test_an_examine_child_stopped_costs_only_the_practice_it_was_on(run):
    job = run["examine_child_stopped"]
    assert "could not rebuild" in reason(job, P1) and f"within {TIMEOUT:g} s" in reason(job, P1), job
    assert honest(job, P2), job


def test_a_retry_that_dies_before_reporting_keeps_what_was_checked(run):
    job = run["retry_dies_before_loaded"]
    # the first child answered practice 3 and died in practice 1; its retry died before "loaded"
    assert job["error"] is None, "a whole-submission error would discard practice 3's checked answer"
    assert honest(job, P3), job
    assert "was stopped" in reason(job, P1) and "exited early with code 0" in reason(job, P1)
    assert "was not reached" in reason(job, P2) and "exited early with code 1" in reason(job, P2)
