# expect: practice1=10 practice2=10 practice3=0
# feedback: practice3: find_best_checkpoint() was stopped
# Attack on the grading process's time: find_best_checkpoint writes 34 MB of bare newlines on
# every fd. Each byte is an empty "message" the single-threaded grading process must parse and
# ignore; at a few microseconds each, 34 million of them would keep the grader busy for minutes
# while the class waits. The grader should stop such a child quickly (a cap on the bytes or on
# the ignored messages it accepts), and must in any case stop it.
# practice 3: stopped while it ran, 0 (7 directories, none answered).
# practices 1 and 2: honest answers, 10 each.
import os

import keras
from keras import layers


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
    chunk = b"\n" * 65536
    for fd in range(3, 64):
        try:
            for _ in range(520):
                os.write(fd, chunk)
        except OSError:
            pass
    return checkpoint_dir
