# expect: practice1=10 practice2=0
# feedback: practice2: build_residual_model is a str object, not a function
# The answer to practice 2 was never written, only a placeholder string.
# practice 1: spec 1, every rubric line full: 1 + 1 + 3 + 3 + 1 + 1 = 10.
# practice 2: a str is not a function the grader can call, 0.
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


build_residual_model = "TODO"
