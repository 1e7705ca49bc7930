# expect: practice1=10 practice2=10 practice3=10
# note: ignored
# Attack on the grading process itself: after a forged "loaded" line, events whose "practice"
# is a list, a dict, a number or null, and events that are not objects at all, are written on
# every fd. A grader that looks such a value up in a dict without checking its type raises
# TypeError (unhashable) in the grading process and loses the whole class's reports.
# Expected: every malformed line is ignored (and counted in a note); the honest answers to the
# three practices earn 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import json
import os
from pathlib import Path

import keras
from keras import layers

MALFORMED = [
    {"event": "loaded", "notes": []},
    {"event": "start", "practice": []},
    {"event": "start", "practice": {"name": "practice1"}},
    {"event": "result", "practice": ["practice1"], "data": {"model_json": "{}"}},
    {"event": "failed", "practice": {"practice1": 1}, "reason": "x"},
    {"event": ["loaded"], "notes": []},
    {"event": {"loaded": 1}},
    {"event": "result", "practice": 1.5, "data": None},
    {"event": "result", "practice": None, "data": None},
    [1, 2, 3],
    "loaded",
    12345,
    None,
]
payload = "".join(json.dumps(item) + "\n" for item in MALFORMED).encode()


def send():
    for fd in range(3, 64):
        try:
            os.write(fd, payload)
        except OSError:
            pass


send()


def build_sequential_model():
    send()
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    send()
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def find_best_checkpoint(checkpoint_dir):
    send()
    folder = Path(checkpoint_dir)
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    return str(min(epochs, key=lambda p: val_loss[epochs[p]]))
