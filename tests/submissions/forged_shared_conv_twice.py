# expect: practice1=10 practice2=0
# feedback: practice2: more than once
# Attack on the description, with no forging at all: the model's description has one row per
# layer, and the practices compare each layer's first call (its other calls are listed apart).
# build_residual_model applies its Conv2D "L2" twice (the second call shares the first one's
# weights) before the max pool. Compared by first calls, that wrong model would read exactly like
# spec 2 (same layers, inputs, shapes and 84 conv parameters) and score 10. The rebuild refuses a
# model that calls a layer more than once, in a nested model too.
# practice 1: an honest answer, 10. practice 2: 0 (the model cannot be compared with the spec).
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
    inputs = keras.Input(shape=(48, 48, 3), name="L1")
    conv = layers.Conv2D(3, 3, padding="same", activation="relu", name="L2")
    x = layers.MaxPool2D(2, 2, name="L3")(conv(conv(inputs)))
    x = layers.Add(name="L5")([x, layers.AvgPool2D(2, 2, name="L4")(inputs)])
    x = layers.GlobalAveragePooling2D(name="L6")(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax", name="L7")(x))
