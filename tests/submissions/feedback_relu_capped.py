# expect: practice1=9.25 practice2=9.62
# feedback: practice1: layer 2 (Dense): expected activation 'relu', found 'relu6' (from your ReLU 're_lu' after it)
# feedback: practice2: L2 (Conv2D): expected activation 'relu', found 'relu (threshold 0.5)'
# A ReLU layer with a cap or a threshold is not spec 1's plain relu: same shapes and parameters,
# another function.
# practice 1: ReLU(max_value=6) after a linear Dense(128) folds into it as 'relu6', so layer 2's
#   activation is wrong: layer settings 3 x 3/4 = 2.25 (Dense 128, Dropout, Dense 64 and Dense 10
#   are compared, three right); every other criterion full: 1 + 1 + 3 + 2.25 + 1 + 1 = 9.25.
# practice 2: ReLU(threshold=0.5) after a linear conv folds into it as 'relu (threshold 0.5)':
#   layer settings 1.5 x 3/4 = 1.125, shown as 1.12 (L2, L3, L4 and L7 compared, three right);
#   1 + 0.5 + 1.5 + 3 + 2 + 1.12 + 0.25 + 0.25 = 9.62.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128),
        layers.ReLU(max_value=6),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same")(inputs)
    x = layers.ReLU(threshold=0.5)(x)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
