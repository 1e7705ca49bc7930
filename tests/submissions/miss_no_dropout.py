# expect: practice1=9.4 practice2=10
# feedback: practice1: Missing layer: layer 3 should be Dropout(rate 0.2)
# The Dropout layer is forgotten.
# practice 1: charged once, under layers: 3 x 4/5 = 2.4; settings 3 (the three Dense layers are
#   right); 1 + 1 + 2.4 + 3 + 1 + 1 = 9.4.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
