# expect: practice1=10 practice2=10 practice3=0
# feedback: practice3: could not read find_best_checkpoint()'s answer
# Attack on the grading process: a forged practice-3 result whose "own training run" curve holds
# a val_loss of 10**400, a JSON integer too large for a float. A grader that converts it with
# float() without catching OverflowError crashes and loses the whole class's reports.
# practice 3: the forged result arrives first (the real one is then ignored) and cannot be read,
#   so no directory has an answer: 7 directories x 0 = 0.
# practices 1 and 2: honest answers, 10 each.
import os

import keras
from keras import layers

HUGE = "1" + "0" * 400
LINES = (
    '{"event": "loaded", "notes": []}\n'
    '{"event": "start", "practice": "practice3"}\n'
    '{"event": "result", "practice": "practice3", "data": {"cwd": "/", "directories": [], '
    '"own": {"lines": ["ok"], "curve": {"epochs": [1, 2], "val_loss": [' + HUGE + ', 1e999], '
    '"best_epoch": ' + HUGE + ', "chosen_epoch": 1}}}}\n'
).encode()

for fd in range(3, 64):
    try:
        os.write(fd, LINES)
    except OSError:
        pass


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


def find_best_checkpoint(checkpoint_dir):
    return checkpoint_dir
