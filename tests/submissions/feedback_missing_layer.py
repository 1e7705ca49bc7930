# expect: practice1=8.65 practice2=7.57
# feedback: practice1: Missing layer: layer 4 should be Dense(64, relu)
# feedback: practice2: L6: expected GlobalAveragePooling2D, found Dense
# feedback: practice2: Missing layer: L7 should be Dense(10, softmax)
# feedback: practice2: Your graph has 6 layers where spec 2 has 7
# A layer left out of each model; it is charged once, under layers, and not again under layer
# settings, output shapes or the per-layer parameter counts.
# practice 1 (no Dense(64)): layers 3 x 4/5 = 2.4; settings 3 (the four layers present are right);
#   shapes 1 (Dense(10) still outputs (None, 10)); parameters: total 101,770, not 109,386 (0),
#   Dense(128) right and Dense(10) wrong with 1,290 (0.5 x 1/2 = 0.25);
#   1 + 1 + 2.4 + 3 + 1 + 0.25 = 8.65.
# practice 2 (no GlobalAveragePooling2D: Dense(10) takes the Add's (None, 24, 24, 3) output): by
#   its place in the graph the Dense plays L6 (it takes the Add) and nothing plays L7, the cheapest
#   alignment (one changed kind and one missing layer, against a missing layer and three changed
#   connections). Layers 1.5 x 5/7 = 1.07; connections 3 (every present layer takes the right
#   inputs); whole graph 0; settings 1.5 (L2, L3, L4 right; L6 is of another kind, L7 missing);
#   shapes 0.25 and parameters 0.25 (L1 to L5 right; 124 in all);
#   1 + 0.5 + 1.07 + 3 + 0 + 1.5 + 0.25 + 0.25 = 7.57.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
