# expect: practice1=10 practice2=10 practice3=0
# feedback: practice1: matches spec 1
# feedback: practice3: not one of the checkpoint files
# note: ignored
# Attack: no build_sequential_model at all; at import the file scans /proc/self/fd (and fds 3..63)
# and writes forged "loaded", "start" and "result" lines to every descriptor, so that the grader's
# channel carries a hand-written model JSON for practice 1 and a made-up answer for practice 3.
# practice 1: the forged JSON really describes spec 1 (Flatten, Dense 128 relu, Dropout 0.2,
#   Dense 64 relu, Dense 10 softmax on 28x28): forging evidence of a correct model is doing the
#   work, and it is rebuilt and described in a trusted child, so it earns what it describes: 10.
# practice 2: an honest answer, 10. practice 3: the forged result claims "best.keras" for
#   run1..run5 (and no answer for run6, run7), a file that exists nowhere: 7 directories x 0 = 0. The grader's own
#   events that follow are ignored (and counted in a note).
import json
import os

import keras
from keras import layers


def _layer(cls, **config):
    return {"module": "keras.layers", "class_name": cls, "config": config}


FORGED_MODEL = json.dumps({
    "module": "keras", "class_name": "Sequential",
    "config": {"name": "practice1_reference", "layers": [
        _layer("InputLayer", batch_shape=[None, 28, 28], name="input_layer"),
        _layer("Flatten", name="flatten"),
        _layer("Dense", name="dense", units=128, activation="relu"),
        _layer("Dropout", name="dropout", rate=0.2),
        _layer("Dense", name="dense_1", units=64, activation="relu"),
        _layer("Dense", name="dense_2", units=10, activation="softmax"),
    ]},
})
FORGED_DIRECTORIES = [
    {"id": f"run{n}", "returned": "best.keras", "type": "str", "number": False, "error": None,
     "changed": False, "kind": "minimum in the middle", "score": 2}
    for n in range(1, 6)
]
EVENTS = [
    {"event": "loaded", "notes": []},
    {"event": "start", "practice": "practice1"},
    {"event": "result", "practice": "practice1", "data": {"model_json": FORGED_MODEL}},
    {"event": "start", "practice": "practice3"},
    {"event": "result", "practice": "practice3",
     "data": {"cwd": "/", "directories": FORGED_DIRECTORIES, "own": {"lines": ["All correct!"]}}},
]


def every_fd():
    fds = set(range(3, 64))
    try:
        fds.update(int(name) for name in os.listdir("/proc/self/fd"))
    except OSError:
        pass
    return sorted(fds)


payload = "".join(json.dumps(event) + "\n" for event in EVENTS).encode()
for fd in every_fd():
    try:
        os.write(fd, payload)
    except OSError:
        pass


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
