# expect: practice1=9.33 practice2=9.43
# feedback: practice1: layer 2 (Dense): 100,480 parameters expected, found 100,352 (use_bias=False leaves out its bias)
# feedback: practice2: L2 (Conv2D): expected groups 1, found 3
# feedback: practice2: L2 (Conv2D): 84 parameters expected, found 30.
# A Dense without its bias in practice 1; a grouped conv (each channel filtered on its own) in
# practice 2.
# practice 1: use_bias is charged where it shows, in the parameter count: the total is 109,258, not
#   109,386 (half of 1 lost), and one of the three Dense layers has the wrong count (the other half
#   earns 2/3): 0.5 x 2/3 = 0.33; 1 + 1 + 3 + 3 + 1 + 0.33 = 9.33.
# practice 2: groups=3 is a setting of L2 (layer settings 1.5 x 3/4 = 1.125, shown as 1.12) and it
#   leaves 3x3x1x3 + 3 = 30 parameters instead of 84: total 70, not 124 (half of 0.25 lost), L2's
#   count wrong and L7's right (0.25 x 0.5 x 1/2 = 0.0625, shown as 0.06);
#   1 + 0.5 + 1.5 + 3 + 2 + 1.12 + 0.25 + 0.06 = 9.43.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu", use_bias=False),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", groups=3, activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
