# expect: practice1=0 practice2=10
# feedback: practice1: build_sequential_model() was stopped
# feedback: practice1: did not finish within
# Practice 1 waits forever for a condition that never comes true.
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
