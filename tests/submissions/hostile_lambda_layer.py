# expect: practice1=0 practice2=10 practice3=10
# feedback: practice1: Lambda
# Attack: a Lambda layer carries Python code (its function is serialised as bytecode), which the
# grader would have to run to rebuild the model. This one hides an os.system call in the lambda.
# The rebuild allow-list refuses the Lambda class before Keras sees the description; the code
# never runs in the grader's examine child.
# practice 1: 0 (the model cannot be graded). practices 2 and 3: honest answers, 10 + 10.
import csv
import os
from pathlib import Path

import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Lambda(lambda t: (os.system("touch /tmp/hostile-marker-lambda"), t)[1]),
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
