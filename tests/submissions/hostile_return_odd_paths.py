# expect: practice1=10 practice2=10 practice3=4
# feedback: practice3: returned a bytes
# feedback: practice3: returned a number
# feedback: practice3: NUL character
# Attack on practice 3's checks with odd return values, chosen per directory (by its name):
# run1: the right path as bytes (the contract asks for a str or a pathlib.Path);
# run2: the right path followed by a NUL byte and ".bak" (no file can have that name; the
#       grader must not crash on it and must still grade the other directories);
# run3: the best file of another directory (a path outside the one it was given);
# run4: the val_loss itself (a float) instead of a path;
# run5, run6 and run7: the right path, honestly.
# practice 3: only run5 to run7 are right: 1.5 (two-digit val_loss) + 1.5 (three-digit epochs)
#   + 1 (.weights.h5) = 4.
# practices 1 and 2: honest answers, 10 each.
import csv
from pathlib import Path

import keras
from keras import layers


def _best(folder):
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    best = min(epochs, key=lambda p: val_loss[epochs[p]])
    return best, val_loss[epochs[best]]


def find_best_checkpoint(checkpoint_dir):
    folder = Path(checkpoint_dir)
    best, loss = _best(folder)
    if folder.name == "run1":
        return str(best).encode()
    if folder.name == "run2":
        return str(best) + "\x00.bak"
    if folder.name == "run3":
        other = next((d for d in folder.parent.iterdir() if d != folder), folder)
        return str(_best(other)[0])
    if folder.name == "run4":
        return loss
    return str(best)


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
