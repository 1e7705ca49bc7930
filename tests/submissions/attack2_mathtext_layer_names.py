# expect: practice1=8.05 practice2=7.5 practice3=0
# feedback: practice1: Missing layer: layer 3 should be Dropout(rate 0.2).
# feedback: practice2: should take L1 (the input)
# feedback: practice3: find_best_checkpoint is not defined
# Attack on the instructor's report, not on the scores: layer names that matplotlib reads as
# mathtext ("$\frac{$" cannot be parsed, "$\sqrt{...}$" renders as a formula) and as HTML.
# `graders report` draws the reference and the submitted model diagrams of a practice that lost
# points, with each layer's name in its box; a name matplotlib cannot parse must not stop the
# report of the whole class (it raised ValueError while drawing the figures), and HTML in a name
# must stay text on the student's page (autoescaped). Names never change a score.
# practice 1: Flatten then Dense(128) then Dense(10): Dropout and Dense(64) are missing.
#   API 1 + input 1 + layers 3 x 3/5 (3 of 5 aligned positions of the right kind) = 1.8
#   + layer settings 3 (every matched layer right) + output shapes 1
#   + parameter count 0 (total 101,770, not 109,386) + 0.5 x 1/2 (Dense(10) has 1,290, not 650)
#   = 1 + 1 + 1.8 + 3 + 1 + 0.25 = 8.05.
# practice 2: the shortcut pool takes the conv's output instead of the input (ben's mistake):
#   connections 3 x 5/6 = 2.5 (one of six inputs wrong), whole graph 0 of 2 -> 10 - 0.5 - 2 = 7.5.
# practice 3: not answered, 0.
import keras
from keras import layers


def build_sequential_model():
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            layers.Flatten(name="flat$\\frac{$"),
            layers.Dense(128, activation="relu", name="<img src=x onerror=alert(1)>"),
            layers.Dense(10, activation="softmax", name="$\\sqrt{\\sqrt{\\sqrt{x}}}$"),
        ]
    )


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu", name="conv$\\frac{$")(inputs)
    main = layers.MaxPool2D(2, name="<script>alert(1)<\\script>")(x)
    shortcut = layers.AvgPool2D(2, name="$\\left($")(x)
    x = layers.Add(name="$x^{$")([main, shortcut])
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
