# expect: practice1=0 practice2=10 practice3=0
# feedback: practice1: not a Keras model
# feedback: practice3: not one of the checkpoint files
# Attack: os.write is wrapped in the submission's process so that every event the grader's own
# code writes is rewritten on its way out: practice 1's "failed" (the function raises
# NotImplementedError: the student did not do it) becomes a "result" with a guessed model
# description "{}", and practice 3's answer claims history.csv for every directory.
# practice 1: "{}" describes no Keras model: 0.
# practice 2: an honest answer passes through unchanged: 10.
# practice 3: history.csv is not a checkpoint file: 7 directories x 0 = 0.
import json
import os

import keras
from keras import layers

_real_write = os.write


def _write(fd, data):
    try:
        text = bytes(data).decode()
        events = [json.loads(line) for line in text.splitlines() if line.strip()]
    except ValueError:
        return _real_write(fd, data)
    rewritten = []
    for event in events:
        if event.get("practice") == "practice1" and event.get("event") == "failed":
            event = {"event": "result", "practice": "practice1", "data": {"model_json": "{}"}}
        if event.get("practice") == "practice3" and event.get("event") == "result":
            for entry in event["data"]["directories"]:
                entry.update(returned="history.csv", error=None, type="str")
        rewritten.append(json.dumps(event) + "\n")
    _real_write(fd, "".join(rewritten).encode())
    return len(data)


os.write = _write


def build_sequential_model():
    raise NotImplementedError("TODO")


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def find_best_checkpoint(checkpoint_dir):
    raise NotImplementedError("TODO")
