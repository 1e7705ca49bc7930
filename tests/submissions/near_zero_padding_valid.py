# expect: practice1=10 practice2=6.93
# feedback: practice2: Extra layer: your ZeroPadding2D
# feedback: practice2: expected padding 'same', found 'valid'
# padding="valid" on the conv, with an explicit ZeroPadding2D(1) so that shapes stay.
# practice 1: spec 1, 10.
# practice 2: the conv plays L2 and the ZeroPadding2D is extra (cost 0.1 for the padding, 1 for
#   the extra layer, 3 for one lost and two new connections: 4.1; the padding layer as L2 and the
#   conv extra would cost 5). Layers 1.5 x 7/8 = 1.3125, shown as 1.31; connections: L2 takes
#   the padding layer, not the input, 3 x 5/6 = 2.5; whole graph 0; settings: L2's padding,
#   1.5 x 3/4 = 1.125, shown as 1.12; shapes 0.25 (the conv still gives (None, 48, 48, 3));
#   parameters 0.25 (84 + 40 = 124); 1 + 0.5 + 1.31 + 2.5 + 0 + 1.12 + 0.25 + 0.25 = 6.93.
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
