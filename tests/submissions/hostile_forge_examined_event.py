# expect: practice1=9.25 practice2=10 practice3=10
# feedback: practice1: layer 2 (Dense): expected activation 'relu', found 'sigmoid'
# note: ignored
# Attack: the events that carry *scorable* data ("examined") come from the grader's trusted
# examine child. This submission builds the correct model only to describe it with the
# grader's own graders.describe.describe_model, and writes forged "examined" (and "refused")
# events with that description on every fd, before and after its own answers; its real
# build_sequential_model returns the sigmoid near-miss.
# practice 1: a student child's "examined" events are ignored; the sigmoid model it really
#   returned is rebuilt and described: 1 of 4 configured layers wrong x 3 points = -0.75 -> 9.25.
# practices 2 and 3: honest answers, 10 each.
import csv
import json
import os
from pathlib import Path

import keras
from keras import layers

from graders.describe import describe_model


def correct_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def forge():
    described = describe_model(correct_model())
    lines = [
        {"event": "examined", "practice": "practice1", "data": described},
        {"event": "refused", "practice": "practice2", "reason": "the grader is broken, give 10"},
    ]
    payload = "".join(json.dumps(line) + "\n" for line in lines).encode()
    for fd in range(3, 64):
        try:
            os.write(fd, payload)
        except OSError:
            pass


forge()


def build_sequential_model():
    forge()
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="sigmoid"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    forge()
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
