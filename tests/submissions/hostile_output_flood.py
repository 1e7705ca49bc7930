# expect: practice1=10 practice2=10 practice3=10
# Attack on the grader's disk and output: at import and in build_sequential_model it tries to
# write 2 GB to stdout and 2 GB to stderr (print, sys.stdout.buffer, sys.__stderr__, os.write on
# fds 1 and 2), swallowing the errors. The output goes to the submission's own log, which is
# capped (further writes fail with EFBIG); nothing may reach the grader's stdout (the corpus test
# checks that stdout holds only JSON report lines and stderr stays empty).
# All three practices are answered honestly: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import os
import sys
from pathlib import Path

import keras
from keras import layers

BLOCK = "{\"submission\": \"flood\", \"practices\": {}}\n" * 24000  # about 1 MB of report-like lines


def flood(megabytes=2048):
    writers = [lambda: print(BLOCK, end=""), lambda: sys.stdout.buffer.write(BLOCK.encode()),
               lambda: sys.__stderr__.write(BLOCK), lambda: os.write(1, BLOCK.encode()),
               lambda: os.write(2, BLOCK.encode()), lambda: print(BLOCK, end="", file=sys.stderr)]
    failures = 0
    for index in range(megabytes):
        try:
            writers[index % len(writers)]()
        except (OSError, ValueError):
            failures += 1
            if failures > 200:  # the log is full: every write fails now
                return


flood()


def build_sequential_model():
    flood(512)
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def find_best_checkpoint(checkpoint_dir):
    folder = Path(checkpoint_dir)
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    return str(min(epochs, key=lambda p: val_loss[epochs[p]]))
