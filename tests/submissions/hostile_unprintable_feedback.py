# expect: practice1=0 practice2=10 practice3=10
# feedback: practice1: build_sequential_model() raised RuntimeError
# Attack on the reports: build_sequential_model raises an exception whose message holds a lone
# UTF-16 surrogate (not encodable as UTF-8), terminal escape codes (clear the screen, move the
# cursor, a fake green "practice1: 10 / 10" line) and a carriage return. The message is the
# student's text; it must reach the report as harmless data: the JSON report escapes it, and the
# text report (tests/test_hostile.py prints this file's text report) must neither crash on it
# nor let it rewrite the instructor's terminal.
# practice 1: 0 (it raised). practices 2 and 3: honest answers, 10 + 10.
import csv
from pathlib import Path

import keras
from keras import layers


def build_sequential_model():
    raise RuntimeError("\ud800 \x1b[2J\x1b[H\x1b[32mpractice1: 10 / 10\x1b[0m\r\x1b[1Aall good")


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
