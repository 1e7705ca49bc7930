# expect: practice1=9.25 practice2=10
# feedback: practice1: layer 5 (Dense): expected activation 'softmax', found 'softmax (axis 0)'
# feedback: practice2: matches spec 2
# Softmax layers after a linear Dense(10): over axis 0 (the batch: each class's scores would sum to
# 1 across the images) in practice 1, over axis 1 in practice 2.
# practice 1: layer 5's activation is not the spec's softmax over the classes: layer settings
#   3 x 3/4 = 2.25; 1 + 1 + 3 + 2.25 + 1 + 1 = 9.25.
# practice 2: axis 1 of the Dense's (None, 10) output is its last axis, so Softmax(axis=1) computes
#   exactly softmax: 10.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10),
        layers.Softmax(axis=0),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(10)(x)
    return keras.Model(inputs, layers.Softmax(axis=1)(x))
