# expect: practice1=10 practice2=10
# padding="same" on both pools (the same result on 48x48), GlobalAvgPool2D alias,
# inputs and outputs given to keras.Model as lists.
# A pool of 2 with strides 2 on 48x48 pads nothing, so padding 'same' is compared as 'valid'; the
# alias and the lists change nothing: the specs,
# practice 1: 1 + 1 + 3 + 3 + 1 + 1 = 10;
# practice 2: 1 + 0.5 + 1.5 + 3 + 2 + 1.5 + 0.25 + 0.25 = 10.
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
    x = layers.MaxPool2D(2, 2, padding="same")(x)
    shortcut = layers.AvgPool2D(2, 2, padding="same")(inputs)
    x = layers.Add()([x, shortcut])
    x = layers.GlobalAvgPool2D()(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs=[inputs], outputs=[outputs])
