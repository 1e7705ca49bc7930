# expect: practice1=10 practice2=6.93
# feedback: practice2: Extra layer: your ZeroPadding2D
# feedback: practice2: expected padding 'same', found 'valid'
# padding="valid" on the conv, with an explicit ZeroPadding2D(1) so that shapes stay.
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
    x = layers.ZeroPadding2D(1)(inputs)
    x = layers.Conv2D(3, 3, padding="valid", activation="relu")(x)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
