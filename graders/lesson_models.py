"""The example models the lesson builds, one function each, in the lesson's order.

They show the three ways of building a model; the tests check that
``describe_model`` reproduces the summaries the lesson prints for them.
"""

import numpy as np

import keras
from keras import layers


def sequential_from_list():
    """Three Dense layers given as a list; the input shape comes with the first layer."""
    return keras.Sequential(
        [
            keras.Input(shape=(28,)),
            layers.Dense(10, activation="relu", name="hidden1"),
            layers.Dense(40, activation="relu", name="hidden2"),
            layers.Dense(15, activation="relu", name="hidden3"),
        ]
    )


def sequential_with_add():
    """The same idea built with ``.add`` calls, starting from an Input."""
    model = keras.Sequential()
    model.add(keras.Input(shape=(8,)))
    model.add(layers.Dense(10, activation="relu", name="hidden1"))
    model.add(layers.Dense(30, activation="relu", name="hidden2"))
    model.add(layers.Dense(10, activation="relu", name="hidden3"))
    return model


def sequential_after_pop():
    """A Sequential model behaves like a list: ``pop()`` removes its last layer."""
    model = sequential_with_add()
    model.pop()
    return model


def functional_cnn():
    """A small CNN with the Functional API: conv, pool, conv, pool, flatten, softmax."""
    inputs = keras.Input(shape=(28, 28, 3))
    x = layers.Conv2D(32, 3, strides=1, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2, padding="valid")(x)
    x = layers.Conv2D(64, 5, strides=1, padding="same", activation="relu")(x)
    x = layers.MaxPool2D(2, 2, padding="valid")(x)
    x = layers.Flatten()(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def functional_two_inputs():
    """Two inputs, two outputs: a dense branch and a convolutional branch side by side."""
    vector = keras.Input(shape=(25,))
    x = layers.Dense(200, activation="relu")(vector)
    out_vector = layers.Dense(10, activation="softmax")(x)

    image = keras.Input(shape=(7, 7, 3))
    y = layers.Conv2D(16, 3, strides=1, padding="same", activation="relu")(image)
    y = layers.MaxPool2D(2, 2, padding="valid")(y)
    y = layers.Flatten()(y)
    out_image = layers.Dense(5, activation="softmax")(y)
    return keras.Model(inputs=[vector, image], outputs=[out_vector, out_image])


class SmallDNN(keras.Model):
    """A subclassed model: layers are attributes, ``call`` wires them."""

    def __init__(self, outputs):
        super().__init__()
        self.fc1 = layers.Dense(400, activation="relu")
        self.fc2 = layers.Dense(20, activation="relu")
        self.output_layer = layers.Dense(outputs, activation="linear")

    def call(self, x):
        return self.output_layer(self.fc2(self.fc1(x)))


def subclassed_dnn():
    """A subclassed model has no weights until it is called once."""
    model = SmallDNN(5)
    model(np.zeros((1, 48)))
    return model


def lesson_cnn(input_shape=(32, 32, 3), classes=10):
    """The CNN the lesson trains on its image data."""
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="valid")(x)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(128, activation="relu")(x)
    outputs = layers.Dense(classes, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs)
