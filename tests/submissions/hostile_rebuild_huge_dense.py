# expect: practice1=0 practice2=10 practice3=10
# feedback: practice1: could not be rebuilt
# Attack on the grader's trusted rebuild: build_sequential_model returns a small model whose
# to_json is replaced by the description of Flatten(784) -> Dense(1,000,000): 784 million weights,
# 3.1 GB that the student's own process never allocated, but that the grader's examine child
# would allocate when it rebuilds the model. The rebuild must fail within the examine child's
# limits (memory refused, a one-line reason) without costing practice 2, which is rebuilt in the
# same or a fresh examine child.
# practice 1: 0. practices 2 and 3: honest answers, 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
import json
from pathlib import Path

import keras
from keras import layers


def build_sequential_model():
    model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])
    config = json.loads(model.to_json())
    config["config"]["layers"][-1]["config"]["units"] = 1_000_000
    config["config"]["layers"][-1].pop("build_config", None)
    text = json.dumps(config)
    model.to_json = lambda **kwargs: text
    return model


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
