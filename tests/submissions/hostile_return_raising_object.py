# expect: practice1=10 practice2=10 practice3=8
# feedback: practice3: no path for you
# Attack on the grader's code that reads the answer: on the first directory (run1)
# find_best_checkpoint returns an object that claims to be a path (it has __fspath__) but whose
# __fspath__, __str__, __repr__ and __eq__ raise, and whose class name is 400,000 characters long;
# on the six others it returns the right path. The grader's code in the child that turns the
# answer into text fails on that object; it must count as that directory's answer raising, not
# lose the other directories.
# practice 3: 10 - 2 (run1, the public directory, 0) = 1.5 x 4 + 1 x 2 = 8. practices 1 and 2: honest, 10 each.
import csv
from pathlib import Path

import keras
from keras import layers


class Trap:
    def __fspath__(self):
        raise RuntimeError("no path for you")

    def __str__(self):
        raise RuntimeError("no text for you")

    __repr__ = __str__

    def __eq__(self, other):
        raise RuntimeError("no comparison for you")

    __hash__ = object.__hash__


Trap.__name__ = Trap.__qualname__ = "Trap" * 100_000


def find_best_checkpoint(checkpoint_dir):
    folder = Path(checkpoint_dir)
    if folder.name == "run1":
        return Trap()
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    return str(min(epochs, key=lambda p: val_loss[epochs[p]]))


def build_sequential_model():
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
