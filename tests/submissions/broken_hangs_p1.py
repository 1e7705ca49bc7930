# expect: practice1=0 practice2=10
# feedback: practice1: build_sequential_model() was stopped
# feedback: practice1: did not finish within
# Practice 1 waits forever for a condition that never comes true.
# practice 1: stopped at the timeout, 0. practice 2 (in a fresh child): spec 2, every rubric
#   line full: 1 + 0.5 + 1.5 + 3 + 2 + 1.5 + 0.25 + 0.25 = 10.
import keras
from keras import layers


def build_sequential_model():
    ready = False
    while not ready:
        pass
    return keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten()])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
