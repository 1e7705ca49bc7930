# expect: practice1=10 practice2=10 practice3=10
# note: ignored
# Attack: dup2 games with the descriptors. At import it finds its channel (the only pipe among its
# descriptors) and dup2()s it over stdout and stderr, so everything it prints lands on the
# grader's channel: plain text, report-looking JSON lines for other submissions, and forged
# events for practices that are not running yet or do not exist; it also dup2()s /dev/null over
# a few other descriptor numbers. The grader must ignore what it did not ask for (a note counts
# it), and nothing printed may reach the grader's own stdout.
# All three practices are answered honestly: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import json
import os
import stat
import sys
from pathlib import Path

import keras
from keras import layers

channel = None
for fd in range(3, 256):
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            channel = fd
            break
    except OSError:
        pass
if channel is not None:
    os.dup2(channel, 1)
    os.dup2(channel, 2)
null = os.open(os.devnull, os.O_WRONLY)
for fd in (50, 51, 52):
    os.dup2(null, fd)
print("hello from the submission")
print(json.dumps({"submission": "tests/submissions/ok_list_keras_input.py", "practices": {}, "total": 0}))
print(json.dumps({"event": "result", "practice": "practice9", "data": {"model_json": "{}"}}))
print(json.dumps({"event": "failed", "practice": "practice3", "reason": "not yet"}))
print("a warning", file=sys.stderr)


def build_sequential_model():
    print("building practice 1")
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    print("building practice 2")
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def find_best_checkpoint(checkpoint_dir):
    print("searching", checkpoint_dir)
    folder = Path(checkpoint_dir)
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    return str(min(epochs, key=lambda p: val_loss[epochs[p]]))
