# expect: practice1=10 practice2=10
# The skip connection written with the + operator, as many ResNet tutorials do.
# The + of two Keras tensors is described as an Add layer, so the block is spec 2's:
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
    x = layers.MaxPool2D(2, 2)(x)
    shortcut = layers.AvgPool2D(2, 2)(inputs)
    x = x + shortcut
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs)
