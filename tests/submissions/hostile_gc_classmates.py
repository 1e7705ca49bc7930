# expect: practice1=10 practice2=10 practice3=10
# Attack: reading a classmate's result, or the grader's verdicts, from memory. The submission's
# process is a fork of the grading process, so it searches gc.get_objects() for report dicts (keys
# "submission" and "practices", or "total" and "max_total"), rubric results (PracticeResult
# objects), scored model descriptions of the references (a dict named "practice1_reference" or
# "practice2_reference"), other jobs' evidence ("model_json" values, other jobs' folders) and
# the grader's Job objects. If anything is found, the functions below raise "LEAK: ..." and score 0.
# All three practices are answered honestly: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import gc
import os
from pathlib import Path

import keras
from keras import layers

here = os.getcwd()
job_folder = os.path.dirname(here)
leaks = []
for obj in gc.get_objects():
    kind = type(obj).__name__
    if kind in ("PracticeResult", "Job", "_Task", "CorpusRun"):
        leaks.append(kind)
    elif type(obj) is dict:
        keys = obj.keys()
        if ("submission" in keys and "practices" in keys) or ("total" in keys and "max_total" in keys):
            leaks.append(f"report {str(obj.get('submission'))[:60]}")
        elif obj.get("name") in ("practice1_reference", "practice2_reference") and "layers" in keys:
            leaks.append(f"reference description {obj['name']}")
        elif isinstance(obj.get("model_json"), str):
            leaks.append("another submission's evidence")
        elif isinstance(obj.get("path"), str) and "/job-" in obj["path"] and not obj["path"].startswith(job_folder):
            leaks.append(f"another job's path {obj['path'][-40:]}")
    if len(leaks) > 5:
        break


def _check():
    if leaks:
        raise RuntimeError(f"LEAK: {leaks[:5]}")


def build_sequential_model():
    _check()
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    _check()
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def find_best_checkpoint(checkpoint_dir):
    _check()
    folder = Path(checkpoint_dir)
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    return str(min(epochs, key=lambda p: val_loss[epochs[p]]))
