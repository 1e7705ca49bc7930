# expect: practice1=8.4 practice2=10
# feedback: practice1: Input shape: expected (None, 28, 28), found (None, 784)
# feedback: practice1: Missing layer: layer 1 should be Flatten
# Flat vectors of 784 as input, so no Flatten layer.
import keras
from keras import layers


def build_sequential_model():
    model = keras.Sequential()
    model.add(layers.Dense(128, activation="relu", input_shape=(784,)))
    model.add(layers.Dropout(0.2))
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(10, activation="softmax"))
    return model


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
