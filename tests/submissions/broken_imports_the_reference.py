# expect: practice1=0 practice2=10
# feedback: practice1: build_sequential_model is imported from the graders package (graders.reference.practice1); write your own build_sequential_model
# The reference answers ship inside the installed package; importing one is not an answer.
import keras
from keras import layers

from graders.reference.practice1 import build_sequential_model  # noqa: F401


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2)(x)
    shortcut = layers.AvgPool2D(2)(inputs)
    x = layers.Add()([x, shortcut])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
