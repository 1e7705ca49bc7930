# expect: practice1=9.25 practice2=9.62
# feedback: practice1: layer 2 (Dense): expected a trainable layer, found trainable=False
# feedback: practice2: L2 (Conv2D): expected dilation_rate (1, 1), found (2, 2)
# Settings that keep every shape and parameter count but change what is computed or learned: a
# frozen first hidden layer in practice 1, a dilated conv in practice 2.
# practice 1: layer 2 is frozen (its parameters still count in the total): layer settings
#   3 x 3/4 = 2.25; 1 + 1 + 3 + 2.25 + 1 + 1 = 9.25.
# practice 2: with padding "same" a dilated 3x3 conv keeps its (None, 48, 48, 3) output and 84
#   parameters: layer settings 1.5 x 3/4 = 1.125, shown as 1.12; 1 + 0.5 + 1.5 + 3 + 2 + 1.12 +
#   0.25 + 0.25 = 9.62.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu", trainable=False),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", dilation_rate=2, activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
