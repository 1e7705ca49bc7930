# expect: practice1=9 practice2=10
# feedback: practice1: Expected a keras.Sequential model, found a functional keras.Model
# Spec 1's layers, but written with the Functional API.
# practice 1: API 0; the layers, settings, input shape (None, 28, 28), output shapes and
#   109,386 parameters are spec 1's: 0 + 1 + 3 + 3 + 1 + 1 = 9.
# practice 2: spec 2, 10.
import keras
from keras import layers


def build_sequential_model():
    inputs = keras.Input(shape=(28, 28))
    x = layers.Flatten()(inputs)
    x = layers.Dense(128, activation="relu")(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
