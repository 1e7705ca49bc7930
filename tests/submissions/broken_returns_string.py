# expect: practice1=10 practice2=0
# feedback: practice2: returned a str, not a Keras model
# The model is built, then the string "model" is returned instead of it.
# practice 1: spec 1, every rubric line full: 1 + 1 + 3 + 3 + 1 + 1 = 10.
# practice 2: a str is not a Keras model, 0.
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
    model = keras.Model(inputs, x)
    return "model"
