# expect: practice1=0 practice2=0 practice3=0
# error: did not finish within
# Attack: the three answers are correct, but the file ends with an infinite loop at top level,
# after ignoring SIGTERM, SIGINT, SIGHUP and SIGALRM (a grader that asks politely would wait for
# ever). A .py submission runs as a whole, so it never finishes loading: it is killed at the
# timeout before any answer is checked, and no practice can be graded (3 x 0), with the reason
# as the submission's error. It must cost only its own 20 s.
import signal

import keras
from keras import layers

for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
    signal.signal(sig, signal.SIG_IGN)


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


while True:
    try:
        pass
    except BaseException:
        pass
