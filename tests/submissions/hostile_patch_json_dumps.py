# expect: practice1=0 practice2=10 practice3=10
# feedback: practice1: could not read build_sequential_model()'s answer
# Attack: json.dumps is replaced in the submission's process, so that the grader's own writer
# (which serialises each event with json.dumps) sends, with practice 1's result, the reference
# *description* the grader scores (layers, shapes, parameter counts) besides the model JSON,
# hoping the grader scores the description instead of rebuilding. The model really returned
# is a single Dense layer.
# practice 1: evidence that is not exactly one model description is refused: 0.
# practices 2 and 3: honest answers, 10 each (json.dumps passes their events through unchanged).
import csv
import json
from pathlib import Path

import keras
from keras import layers

REFERENCE_DESCRIPTION = {
    "name": "practice1_reference", "api": "sequential",
    "layers": [
        {"name": "flatten", "kind": "Flatten", "config": {}, "output_shape": [None, 784], "params": 0},
        {"name": "dense", "kind": "Dense", "config": {"units": 128, "activation": "relu"},
         "output_shape": [None, 128], "params": 100480},
        {"name": "dropout", "kind": "Dropout", "config": {"rate": 0.2}, "output_shape": [None, 128], "params": 0},
        {"name": "dense_1", "kind": "Dense", "config": {"units": 64, "activation": "relu"},
         "output_shape": [None, 64], "params": 8256},
        {"name": "dense_2", "kind": "Dense", "config": {"units": 10, "activation": "softmax"},
         "output_shape": [None, 10], "params": 650},
    ],
    "inputs": [{"name": "input_layer", "shape": [None, 28, 28]}],
    "total_params": 109386,
}

_real_dumps = json.dumps


def _dumps(obj, *args, **kwargs):
    if isinstance(obj, dict) and obj.get("event") == "result" and obj.get("practice") == "practice1":
        obj = {**obj, "data": {**obj["data"], "description": REFERENCE_DESCRIPTION, "score": 10}}
    return _real_dumps(obj, *args, **kwargs)


json.dumps = _dumps


def build_sequential_model():
    return keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])


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
