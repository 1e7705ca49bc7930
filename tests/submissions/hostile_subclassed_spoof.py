# expect: practice1=10 practice2=0 practice3=10
# Attack: a subclassed model that pretends to be a functional one. Its class is renamed
# "Functional" with __module__ "keras.src.models.functional", so that model.to_json() names an
# allow-listed class; get_config returns only what a subclassed model has (no layers, no inputs).
# Rebuilt as a Functional model from that config, it is either refused or cannot be built:
# the grader never runs the subclass's call().
# practice 2: 0 (the reason may come from the rebuild or from Keras' own serialisation).
# practices 1 and 3: honest answers, 10 + 10 (practice 3: 7 directories: 2 + 4 x 1.5 + 2 x 1).
import csv
from pathlib import Path

import keras
from keras import layers


class Residual(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(3, 3, padding="same", activation="relu")
        self.pool = layers.MaxPool2D(2, 2)
        self.skip = layers.AvgPool2D(2, 2)
        self.gap = layers.GlobalAveragePooling2D()
        self.out = layers.Dense(10, activation="softmax")

    def call(self, inputs):
        x = self.pool(self.conv(inputs)) + self.skip(inputs)
        return self.out(self.gap(x))

    def get_config(self):
        return {"name": self.name, "trainable": True, "layers": [], "input_layers": [], "output_layers": []}


Residual.__name__ = Residual.__qualname__ = "Functional"
Residual.__module__ = "keras.src.models.functional"


def build_residual_model():
    model = Residual()
    model(keras.ops.zeros((1, 48, 48, 3)))
    return model


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def find_best_checkpoint(checkpoint_dir):
    folder = Path(checkpoint_dir)
    epochs = {p: int(p.name.split("-", 1)[0]) for p in folder.iterdir() if p.suffix in (".keras", ".h5")}
    with open(folder / "history.csv", newline="") as handle:
        val_loss = {int(row["epoch"]) + 1: float(row["val_loss"]) for row in csv.DictReader(handle)}
    return str(min(epochs, key=lambda p: val_loss[epochs[p]]))
