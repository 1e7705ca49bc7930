# expect: practice1=10 practice2=10 practice3=10
# Attack: inspect.getsource on every loaded graders module (and a read of each .py and .json
# file in the graders package folder), looking for the reference answers: a "def
# build_sequential_model", "def build_residual_model" or "def find_best_checkpoint", or a
# "Reference answer" docstring. The reference answers live only in the course's reference/
# folder, which the package does not ship. If any were found the functions below would raise
# "LEAK: ..." and score 0, so an honest full score means nothing was found.
# All three practices are answered honestly: 10 + 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import inspect
import sys
from pathlib import Path

import keras
from keras import layers

import graders

MARKERS = ("def build_sequential_model", "def build_residual_model", "def find_best_checkpoint",
           "Reference answer")
leaks = []
for name, module in list(sys.modules.items()):
    if name == "graders" or name.startswith("graders."):
        try:
            source = inspect.getsource(module)
        except (OSError, TypeError):
            continue
        leaks += [f"{name}: {m}" for m in MARKERS if m in source]
for path in Path(graders.__file__).parent.rglob("*"):
    if path.suffix in (".py", ".json", ".txt", ".ipynb"):
        try:
            text = path.read_text()
        except (OSError, UnicodeDecodeError):
            continue
        leaks += [f"{path.name}: {m}" for m in MARKERS if m in text]


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
