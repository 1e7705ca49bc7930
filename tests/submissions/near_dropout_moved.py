# expect: practice1=9 practice2=10
# feedback: practice1: Extra layer: your layer 4 (Dropout
# feedback: practice1: Dropout
# The Dropout comes after the second hidden layer instead of the first.
# practice 1: the alignment reads one Dropout missing (layer 3) and one extra (your layer 4), charged
#   under layers only: 3 x 4/6 = 2; settings 3 (the Dropout that is there is compared with nothing,
#   the three Dense layers are right); 1 + 1 + 2 + 3 + 1 + 1 = 9.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
