# expect: practice1=8.22 practice2=10
# feedback: practice1: layer 4 (Dense): expected units 64, found 32
# feedback: practice1: Total parameters: expected 109,386, found 104,938
# The second hidden layer has 32 units instead of 64.
# practice 1: layer 4's units are the one wrong setting: settings 3 x 3/4 = 2.25; shapes: layer 4
#   gives (None, 32), 1 x 4/5 = 0.8; parameters: 128 x 32 + 32 = 4,128 and 32 x 10 + 10 = 330,
#   total 104,938 (0), only Dense(128) right of the three Dense, 0.5 x 1/3 = 0.17;
#   1 + 1 + 3 + 2.25 + 0.8 + 0.17 = 8.22.
# practice 2: spec 2, 10.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(32, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
