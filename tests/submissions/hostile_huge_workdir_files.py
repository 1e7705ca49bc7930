# expect: practice1=10 practice2=10 practice3=10
# Attack on the grader's disk: at import it writes as many 64 MB files as it can (up to 24, so
# 1.5 GB) into its own workdir, plus 20,000 empty files, hoping to fill the disk the grader and
# every other submission share. One file is capped by RLIMIT_FSIZE; the total a submission may
# write should be capped too. Writing more than 1 GB in all makes the functions below raise
# "DISK: ..." (score 0): a class of such submissions, or one that keeps going for its whole
# timeout, would fill the grader's disk.
# All three practices are answered honestly: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import os
from pathlib import Path

import keras
from keras import layers

BLOCK = b"\xff" * (1 << 20)
written = 0
for index in range(24):
    try:
        with open(f"big-{index:02d}.bin", "wb") as handle:
            for _ in range(64):
                handle.write(BLOCK)
                written += len(BLOCK)
    except OSError:
        pass
for index in range(20_000):
    try:
        open(f"empty-{index}", "wb").close()
    except OSError:
        break


def _check():
    if written > 2**30:
        raise RuntimeError(f"DISK: wrote {written / 2**30:.2f} GB into the workdir")


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
