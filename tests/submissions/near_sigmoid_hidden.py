# expect: practice1=9.25 practice2=10
# feedback: practice1: layer 2 (Dense): expected activation 'relu', found 'sigmoid'
# Same shapes and parameters as spec 1, but the first hidden layer uses sigmoid.
# practice 1: layer 2's activation is the one wrong setting: settings 3 x 3/4 = 2.25;
#   1 + 1 + 3 + 2.25 + 1 + 1 = 9.25.
# practice 2: spec 2, 10.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="sigmoid"),
        layers.Dropout(0.2),
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
