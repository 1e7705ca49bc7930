# expect: practice1=10 practice2=10 practice3=10
# Attack on classmates' privacy: who else is being graded, and how their files are named (often
# after the student). It reads every process's command line in /proc (the grading process's
# arguments list every submission of the batch) and walks its own call stack (the process is a
# fork of the grading process) for the list of submission paths the grader was given. Any
# submission path other than its own (recognised by the ".py"/".ipynb" suffix under a folder of
# submissions) makes the functions below raise "SEEN: ..." (score 0).
# All three practices are answered honestly: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import os
import sys
from pathlib import Path

import keras
from keras import layers


def _listdir(path):
    # the sandbox may refuse to list /proc at all: then there is nothing to attack
    try:
        return os.listdir(path)
    except OSError:
        return []


seen = set()
channels = {}


def _looks_like_submission(text):
    return isinstance(text, str) and text.endswith((".py", ".ipynb")) and "/" in text \
        and "hostile_snoop_classmates" not in text and "site-packages" not in text and "/graders/" not in text \
        and not text.startswith(("/usr/", "/lib"))


for name in _listdir("/proc"):
    if name.isdigit():
        try:
            with open(f"/proc/{name}/cmdline", "rb") as handle:
                arguments = handle.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        if any("graders" in argument for argument in arguments[:3]):
            found = {a for a in arguments if _looks_like_submission(a)}
            if found:
                channels["/proc/PID/cmdline"] = len(found)
                seen.update(found)
frame = sys._getframe()
while frame is not None:
    for value in list(frame.f_locals.values()):
        if isinstance(value, (list, tuple)) and len(value) < 10_000:
            found = {item for item in value if _looks_like_submission(item)}
            if found:
                channels[f"call stack ({frame.f_code.co_name})"] = len(found)
                seen.update(found)
    frame = frame.f_back


def _check():
    if seen:
        raise RuntimeError(f"SEEN: {len(seen)} other submissions through {channels}, e.g. {sorted(seen)[:2]}")


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
