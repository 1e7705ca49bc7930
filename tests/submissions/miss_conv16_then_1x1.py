# expect: practice1=10 practice2=6.7
# feedback: practice2: L2 (Conv2D): expected filters 3, found 16
# feedback: practice2: Extra layer: your Conv2D
# 16 filters in the conv, then a 1x1 conv back to 3 channels so that Add works.
# practice 1: spec 1, 10.
# practice 2: the 16-filter conv plays L2 and the 1x1 conv is extra. (The alignment finds two
#   readings of equal cost, 4.2: either conv as L2 differs in two ways, 0.2 (filters and output
#   shape; kernel size and activation), and either way one layer is extra (1), one connection
#   lost and two new (3). This one gives 6.7; the 1x1 conv as L2 would give 6.74.)
#   Layers 1.5 x 7/8 = 1.3125, shown as 1.31; connections: the max pool takes the 1x1 conv, not
#   L2's counterpart, 3 x 5/6 = 2.5; whole graph 0; settings: L2 has 16 filters, 1.5 x 3/4 =
#   1.125, shown as 1.12; shapes: L2 gives (None, 48, 48, 16), 0.25 x 6/7 = 0.21; parameters:
#   3 x 3 x 3 x 16 + 16 = 448 and 16 x 3 + 3 = 51, total 539 for 124 (0), L2 wrong and L7 right,
#   0.25 x 0.5 x 1/2 = 0.06; 1 + 0.5 + 1.31 + 2.5 + 0 + 1.12 + 0.21 + 0.06 = 6.7.
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
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(3, 1, padding="same")(x)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
