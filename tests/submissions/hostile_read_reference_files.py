# expect: practice1=10 practice2=10 practice3=10
# Attack: reading the course's reference answers from disk by every route a student might try:
# the repository path, paths built from graders.__file__ and keras.__file__, the grading
# process's cwd and root through /proc/<pid>/cwd and /proc/<pid>/root for the parent and every
# pid, /proc/self/root, the nbgrader release folders, and an O_PATH handle re-opened through
# /proc/self/fd. If any read returned the reference text the functions below would raise
# "LEAK: ..." and score 0; an honest full score means every read was refused.
# All three practices are answered honestly: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import os
from pathlib import Path

import keras
from keras import layers

import graders


def _listdir(path):
    # the sandbox may refuse to list /proc at all: then there is nothing to attack
    try:
        return os.listdir(path)
    except OSError:
        return []


leaks = []


def _try(path):
    try:
        with open(path, "rb") as handle:
            text = handle.read(4096)
    except (OSError, ValueError):
        return
    if b"def build_sequential_model" in text or b"def find_best_checkpoint" in text or b"def build_residual_model" in text:
        leaks.append(str(path))


roots = {"/work/main", str(Path(graders.__file__).resolve().parents[1]), str(Path(keras.__file__).resolve().parents[5])}
for pid in {"self", str(os.getppid()), "1", *[p for p in _listdir("/proc") if p.isdigit()][:400]}:
    roots.add(f"/proc/{pid}/cwd")
    roots.add(f"/proc/{pid}/root/work/main")
roots.add("/proc/self/root/work/main")
for root in sorted(roots):
    for name in ("practice1.py", "practice2.py", "practice3.py"):
        _try(os.path.join(root, "reference", name))
    _try(os.path.join(root, "exercises", "keras_lesson", "keras_lesson.ipynb"))
    _try(os.path.join(root, "demo", "students", "alice.py"))
try:
    handle = os.open("/work/main/reference/practice1.py", os.O_PATH)
    _try(f"/proc/self/fd/{handle}")
except OSError:
    pass


def _check():
    if leaks:
        raise RuntimeError(f"LEAK: {leaks[:3]}")


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
