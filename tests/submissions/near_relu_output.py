# expect: practice1=9.25 practice2=10
# feedback: practice1: layer 5 (Dense): expected activation 'softmax', found 'relu'
# relu copied onto the output layer instead of softmax.
# practice 1: layer 5's activation is the one wrong setting: settings 3 x 3/4 = 2.25;
#   1 + 1 + 3 + 2.25 + 1 + 1 = 9.25.
# practice 2: spec 2, 10.
import keras
from keras import layers


def build_sequential_model():
    model = keras.Sequential()
    model.add(layers.Flatten(input_shape=(28, 28)))
    for units in (128, 64, 10):
        model.add(layers.Dense(units, activation="relu"))
        if units == 128:
            model.add(layers.Dropout(0.2))
    return model


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
