# expect: practice1=10 practice2=10
# Top-level code prints a lot, writes to stderr, warns, logs and runs a TF op.
# What the file prints, warns or logs does not count, and both answers are the specs:
# practice 1: 1 + 1 + 3 + 3 + 1 + 1 = 10;
# practice 2: 1 + 0.5 + 1.5 + 3 + 2 + 1.5 + 0.25 + 0.25 = 10.
import logging
import sys
import warnings

import numpy as np
import tensorflow as tf
import keras
from keras import layers

for i in range(2000):
    print(f"epoch {i}: loss={1 / (i + 1):.4f} " + "=" * 60)
    print("progress", i, file=sys.stderr)
warnings.warn("this old API is deprecated", DeprecationWarning)
warnings.warn("something looks odd", UserWarning)
logging.getLogger("tensorflow").warning("a TensorFlow warning")
tf.get_logger().error("a TensorFlow error message")
print(tf.reduce_sum(tf.ones((3, 3))).numpy(), np.arange(5))


def build_sequential_model():
    print("building the Sequential model")
    warnings.warn("inside the function")
    return keras.Sequential([
        layers.Flatten(input_shape=(28, 28)),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    print("building the residual model", file=sys.stderr)
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


model = build_sequential_model()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(np.random.rand(64, 28, 28), np.random.randint(0, 10, 64), epochs=1, verbose=2)
