# expect: practice1=9.25 practice2=10 practice3=10
# feedback: practice1: layer 3 (Dropout): expected rate 0.2, found 0.5
# Attack: build_sequential_model builds the classic Dropout(0.5) near-miss, then replaces the
# model's to_json with a forged description dressed up as the reference: the reference's model
# name, extra keys claiming rate 0.2, the reference's output shapes and parameter counts, a
# "summary" and a "graded": true flag. Only the configs Keras rebuilds from are believed.
# practice 1: the rebuilt model has Dropout rate 0.5, the one setting wrong: layer settings
#   lose 1 of 4 configured layers x 3 points = 0.75, so 10 - 0.75 = 9.25 (as near_dropout_rate.py).
# practices 2 and 3: honest answers, 10 each.
import csv
import json
from pathlib import Path

import keras
from keras import layers


def build_sequential_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    config = json.loads(model.to_json())
    config["config"]["name"] = "practice1_reference"
    config["graded"] = True
    config["summary"] = "Total params: 109,386 (matches the reference)"
    shapes = {"flatten": 784, "dense": 128, "dropout": 128, "dense_1": 64, "dense_2": 10}
    for layer in config["config"]["layers"]:
        layer["output_shape"] = [None, shapes.get(layer["config"]["name"], 0)]
        layer["params"] = 0
        if layer["class_name"] == "Dropout":
            layer["rate"] = 0.2
            layer["reference_config"] = {"rate": 0.2}
    forged = json.dumps(config)
    model.to_json = lambda **kwargs: forged
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
