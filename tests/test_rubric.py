"""The rubric's arithmetic, answer by answer: points worked out by hand, then asserted.

Each case is one answer to one practice, written as a student would write it. The
comment above it works out its points by hand: the rubric lines it loses, the
fraction each line keeps, the sum. The test then asserts every line and the total
against what the grader gives. Each rubric line is rounded to hundredths (Python's
``round``: 1.5 x 5/7 = 1.0714 gives 1.07, 0.25 x 0.5 = 0.125 gives 0.12) and so is
their sum.

Practice 1 (10 points; its layers are paired by an aligned diff, graders.compare.sequence):
    API 1; input shape 1; layers and their order 3; layer settings 3; output shapes 1;
    parameter count 1.
    - The diff pairs spec 1's Flatten, Dense(128, relu), Dropout(0.2), Dense(64, relu),
      Dense(10, softmax) with the answer's layers at the least cost: a kept layer of the same
      kind costs 0.1 per differing setting or output shape, a changed kind 1.5, a missing or
      an extra layer 1.
    - layers: 3 x (pairs of the same kind) / (pairs, extra and missing layers included).
    - settings: 3 x (right) / (spec layers with graded settings, Dense 128, Dropout, Dense 64 and
      Dense 10, that have a counterpart of their kind): a missing or changed layer costs under
      layers only.
    - output shapes: 1 x (right) / (pairs of the same kind); 0 when the model has no input.
    - parameters: 0.5 when the total is 109,386, plus 0.5 x (right) / (the Dense layers with a
      counterpart: 100,480, 8,256 and 650 parameters); 0 when the model has no input.

Practice 2 (10 points; its layers are paired by a graph alignment, graders.compare.graph):
    API 1; input shape 0.5; layers 1.5; connections 3; whole graph 2; layer settings 1.5;
    output shapes 0.25; parameter count 0.25.
    - Spec 2: L1 Input (48, 48, 3); L2 Conv2D(3, 3, same, relu) on L1 (84 parameters);
      L3 MaxPool2D(2, 2) on L2; L4 AvgPool2D(2, 2) on L1; L5 Add of L3 and L4 (any order);
      L6 GlobalAveragePooling2D; L7 Dense(10, softmax) (40 parameters); 124 in all.
    - The alignment maps each spec layer to the answer's layer that plays its part: the
      cheapest graph edit, where a changed kind costs 1, a differing setting or output shape
      0.1 each, a missing or extra layer 1, a missing or extra connection 1, and an operand in
      another position 0.5 (an Add's operands have no position).
    - layers: 1.5 x (spec layers mapped to a layer of their kind) / (7 + extra layers).
    - connections: 3 x (right) / (L2..L7 that have a counterpart); a counterpart is right when
      it takes the counterparts of its spec inputs, so an input whose spec layer is missing is
      wrong.
    - whole graph: 2 or 0: the same kinds wired the same way, settings aside.
    - settings: 1.5 x (right) / (L2, L3, L4, L7 mapped to a layer of their kind).
    - output shapes: 0.25 x (right) / (spec layers, L1 included, mapped to their kind).
    - parameters: 0.25 x (0.5 when the total is 124, plus 0.5 x (right) / (L2 and L7 mapped to
      their kind)).

Practice 3 (10 points): the function is called on seven checkpoint directories, each a rubric
line worth the points in brackets below: all of them for the file with the smallest recorded
val_loss or one that ties with it at the two decimals the names show, half for that file as a
bare name, 0 for another file, a value that is not a path, or an exception. The directories
(graders.checkpoints):
    - minimum in the middle (2): 8 epochs, best 4 ("1.16"); epochs 3 and 5 both show 1.19.
    - ties in the rounded names (1.5): 9 epochs; epochs 4 (0.4349) and 7 (0.4312, the best)
      both show 0.43, so either is accepted.
    - legacy .h5 files (1): 8 epochs saved as .h5, best 5 ("1.30").
    - newest file is not the best (1.5): 7 epochs, best 4 ("0.81"); written in the order
      4, 1, 7, 2, 5, 3, 6, so the newest file is epoch 6's.
    - two-digit val_loss in the names (1.5): 7 epochs from "14.20" down to "2.48" at epoch 5.
    - three-digit epochs (1.5): 105 epochs, best 102 ("0.39"); 100, 101, 103, 104, 105 show
      0.40, every epoch below 100 shows at least 0.41.
    - weights-only .weights.h5 files (1): 9 epochs, best 6 ("0.86"); the next smallest is
      epoch 7's "0.87".
    Elsewhere than the newest-file directory, files were written in epoch order: the newest
    is the last epoch. In none is the first, the last or the largest the best.

The models are scored in this process as the grader scores them: the model's JSON is
rebuilt and described (``describe_json``, the grader's examine step) and the practice's
``score`` compares it with the reference answer described the same way. Practice 3's
function is called on read-only copies of the directories, as the runner does. The last
test grades a few of these answers through the real pipeline and finds the same points.
"""

from __future__ import annotations

import json
import os
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, load_reference

from graders.practices import PRACTICES
from graders.run.rebuild import describe_json

#: what every answer's source starts with, in this process and in the files of the end-to-end check
PRELUDE = "import csv\nimport os\nimport re\nfrom pathlib import Path\n\nimport keras\nfrom keras import layers\n"

RUBRICS = {
    "practice1": ("API", "input shape", "layers and their order", "layer settings", "output shapes",
                  "parameter count"),
    "practice2": ("API", "input shape", "layers", "connections", "whole graph", "layer settings",
                  "output shapes", "parameter count"),
    "practice3": tuple(f"Best checkpoint: {kind}" for kind in (
        "minimum in the middle", "ties in the rounded names", "legacy .h5 files", "newest file is not the best",
        "two-digit val_loss in the names", "three-digit epochs", "weights-only .weights.h5 files")),
}
#: the points of each rubric line, in the order of RUBRICS
POINTS = {
    "practice1": (1, 1, 3, 3, 1, 1),
    "practice2": (1, 0.5, 1.5, 3, 2, 1.5, 0.25, 0.25),
    "practice3": (2, 1.5, 1, 1.5, 1.5, 1.5, 1),
}
FUNCTIONS = {"practice1": "build_sequential_model", "practice2": "build_residual_model",
             "practice3": "find_best_checkpoint"}


@dataclass(frozen=True)
class Case:
    """An answer's source, the points of each rubric line (in RUBRICS' order), their sum, and
    optionally a line of feedback that shows how the answer was aligned with the spec."""

    id: str
    points: tuple
    total: float
    source: str
    says: str = ""


def case(id: str, points: tuple, total: float, source: str, says: str = ""):
    return pytest.param(Case(id, points, total, textwrap.dedent(source).strip() + "\n", says), id=id)


# --- practice 1 ----------------------------------------------------------------------------------

P1_CASES = [
    # Spec 1 itself: every line full: 1 + 1 + 3 + 3 + 1 + 1 = 10.
    case("spec 1", (1, 1, 3, 3, 1, 1), 10, """
        def build_sequential_model():
            return keras.Sequential([
                keras.Input(shape=(28, 28)),
                layers.Flatten(),
                layers.Dense(128, activation="relu"),
                layers.Dropout(0.2),
                layers.Dense(64, activation="relu"),
                layers.Dense(10, activation="softmax"),
            ])
    """),
    # The .add form with input_shape on the Flatten: the same model, 10.
    case("add form with input_shape", (1, 1, 3, 3, 1, 1), 10, """
        def build_sequential_model():
            model = keras.Sequential()
            model.add(layers.Flatten(input_shape=(28, 28)))
            model.add(layers.Dense(128, activation="relu"))
            model.add(layers.Dropout(0.2))
            model.add(layers.Dense(64, activation="relu"))
            model.add(layers.Dense(10, activation="softmax"))
            return model
    """),
    # Activations as layers after linear Dense layers fold into them: spec 1 again, 10.
    case("activation layers", (1, 1, 3, 3, 1, 1), 10, """
        def build_sequential_model():
            return keras.Sequential([
                keras.Input(shape=(28, 28)),
                layers.Flatten(),
                layers.Dense(128), layers.ReLU(),
                layers.Dropout(0.2),
                layers.Dense(64), layers.Activation("relu"),
                layers.Dense(10), layers.Softmax(),
            ])
    """),
    # Dropout missing (5 pairs, 4 of them kept): layers 3 x 4/5 = 2.4; settings 3 x 3/3 (the three
    # Dense layers); shapes 1 x 4/4; parameters: total 109,386 unchanged (a Dropout has none) 0.5,
    # Dense 3/3 0.5 = 1; 1 + 1 + 2.4 + 3 + 1 + 1 = 9.4.
    case("missing Dropout", (1, 1, 2.4, 3, 1, 1), 9.4, """
        def build_sequential_model():
            return keras.Sequential([
                keras.Input(shape=(28, 28)),
                layers.Flatten(),
                layers.Dense(128, activation="relu"),
                layers.Dense(64, activation="relu"),
                layers.Dense(10, activation="softmax"),
            ])
    """, says="Missing layer: layer 3 should be Dropout(rate 0.2)."),
    # Dense(64) missing: pairing the spec's Dense(64) with the Dense(10) would cost 0.3 (units,
    # activation, shape) + 1 for a missing Dense(10), more than the 1 of Dense(64) missing.
    # Layers 3 x 4/5 = 2.4; settings 3 x 3/3 (Dense 128, Dropout, Dense 10); shapes 1 x 4/4;
    # parameters: Dense(10) on 128 inputs has 1,290, total 100,480 + 1,290 = 101,770 (0),
    # Dense 128 right and Dense 10 wrong: 0.5 x 1/2 = 0.25; 1 + 1 + 2.4 + 3 + 1 + 0.25 = 8.65.
    case("missing Dense 64", (1, 1, 2.4, 3, 1, 0.25), 8.65, """
        def build_sequential_model():
            return keras.Sequential([
                keras.Input(shape=(28, 28)),
                layers.Flatten(),
                layers.Dense(128, activation="relu"),
                layers.Dropout(0.2),
                layers.Dense(10, activation="softmax"),
            ])
    """, says="Missing layer: layer 4 should be Dense(64, relu)."),
    # An extra Dense(32) before the output: the extra layer costs 1; pairing Dense(32) with the
    # spec's Dense(10) and calling the last one extra would cost more. 6 pairs, 5 kept: layers
    # 3 x 5/6 = 2.5; settings 3 x 4/4; shapes 1 x 5/5 (the output is still (None, 10));
    # parameters: Dense(32) 64 x 32 + 32 = 2,080 and Dense(10) 32 x 10 + 10 = 330, total
    # 100,480 + 8,256 + 2,080 + 330 = 111,146 (0), Dense 10 wrong: 0.5 x 2/3 = 0.33;
    # 1 + 1 + 2.5 + 3 + 1 + 0.33 = 8.83.
    case("extra Dense", (1, 1, 2.5, 3, 1, 0.33), 8.83, """
        def build_sequential_model():
            return keras.Sequential([
                keras.Input(shape=(28, 28)),
                layers.Flatten(),
                layers.Dense(128, activation="relu"),
                layers.Dropout(0.2),
                layers.Dense(64, activation="relu"),
                layers.Dense(32, activation="relu"),
                layers.Dense(10, activation="softmax"),
            ])
    """, says="Extra layer: your layer 5 (Dense"),
    # The Dropout after Dense(64): swapping kinds twice would cost 1.5 + 1.5, a missing Dropout
    # and an extra one 1 + 1: 6 pairs, 4 kept, layers 3 x 4/6 = 2; settings 3 x 3/3 (the Dense
    # layers); shapes 1 x 4/4; parameters 1; 1 + 1 + 2 + 3 + 1 + 1 = 9.
    case("Dropout moved", (1, 1, 2, 3, 1, 1), 9, """
        def build_sequential_model():
            return keras.Sequential([
                keras.Input(shape=(28, 28)),
                layers.Flatten(),
                layers.Dense(128, activation="relu"),
                layers.Dense(64, activation="relu"),
                layers.Dropout(0.2),
                layers.Dense(10, activation="softmax"),
            ])
    """, says="Extra layer: your layer 4 (Dropout"),
    # Dense(64) first, Dense(128) second: kinds in place (each Dense pair costs 0.2, units and
    # shape), layers 3. Settings: both hidden Dense have the other's units, 3 x 2/4 = 1.5.
    # Shapes: layers 2, 3 (the Dropout passes (None, 64) on) and 4 wrong, 1 x 2/5 = 0.4.
    # Parameters: 784 x 64 + 64 = 50,240, 64 x 128 + 128 = 8,320, 128 x 10 + 10 = 1,290, total
    # 59,850 (0), all three Dense wrong (0): 0. 1 + 1 + 3 + 1.5 + 0.4 + 0 = 6.9.
    case("hidden Dense swapped", (1, 1, 3, 1.5, 0.4, 0), 6.9, """
        def build_sequential_model():
            return keras.Sequential([
                keras.Input(shape=(28, 28)),
                layers.Flatten(),
                layers.Dense(64, activation="relu"),
                layers.Dropout(0.2),
                layers.Dense(128, activation="relu"),
                layers.Dense(10, activation="softmax"),
            ])
    """, says="layer 2 (Dense): expected units 128, found 64."),
    # Dense(32) instead of Dense(64): settings 3 x 3/4 = 2.25; shapes: layer 4 gives (None, 32),
    # 1 x 4/5 = 0.8; parameters: 128 x 32 + 32 = 4,128 and 32 x 10 + 10 = 330, total 104,938 (0),
    # only Dense 128 right: 0.5 x 1/3 = 0.17; 1 + 1 + 3 + 2.25 + 0.8 + 0.17 = 8.22.
    case("Dense 32 for 64", (1, 1, 3, 2.25, 0.8, 0.17), 8.22, """
        def build_sequential_model():
            return keras.Sequential([
                keras.Input(shape=(28, 28)),
                layers.Flatten(),
                layers.Dense(128, activation="relu"),
                layers.Dropout(0.2),
                layers.Dense(32, activation="relu"),
                layers.Dense(10, activation="softmax"),
            ])
    """),
    # Two wrong settings of the same shapes: sigmoid on Dense(128), rate 0.5: settings
    # 3 x 2/4 = 1.5; 1 + 1 + 3 + 1.5 + 1 + 1 = 8.5.
    case("sigmoid and Dropout 0.5", (1, 1, 3, 1.5, 1, 1), 8.5, """
        def build_sequential_model():
            return keras.Sequential([
                keras.Input(shape=(28, 28)),
                layers.Flatten(),
                layers.Dense(128, activation="sigmoid"),
                layers.Dropout(0.5),
                layers.Dense(64, activation="relu"),
                layers.Dense(10, activation="softmax"),
            ])
    """, says="layer 3 (Dropout): expected rate 0.2, found 0.5."),
    # use_bias=False on Dense(128) shows only in the parameters: 784 x 128 = 100,352, total
    # 109,258 (0), Dense 128 wrong: 0.5 x 2/3 = 0.33; 1 + 1 + 3 + 3 + 1 + 0.33 = 9.33.
    case("use_bias False", (1, 1, 3, 3, 1, 0.33), 9.33, """
        def build_sequential_model():
            return keras.Sequential([
                keras.Input(shape=(28, 28)),
                layers.Flatten(),
                layers.Dense(128, activation="relu", use_bias=False),
                layers.Dropout(0.2),
                layers.Dense(64, activation="relu"),
                layers.Dense(10, activation="softmax"),
            ])
    """, says="(use_bias=False leaves out its bias)"),
    # No input shape anywhere: the model is never built. Input shape 0; output shapes and
    # parameters cannot be checked, 0 and 0; layers and settings are all there:
    # 1 + 0 + 3 + 3 + 0 + 0 = 7.
    case("no Input", (1, 0, 3, 3, 0, 0), 7, """
        def build_sequential_model():
            return keras.Sequential([
                layers.Flatten(),
                layers.Dense(128, activation="relu"),
                layers.Dropout(0.2),
                layers.Dense(64, activation="relu"),
                layers.Dense(10, activation="softmax"),
            ])
    """, says="The model has no input shape"),
    # Spec 1's layers with the Functional API: API 0; 0 + 1 + 3 + 3 + 1 + 1 = 9.
    case("functional API", (0, 1, 3, 3, 1, 1), 9, """
        def build_sequential_model():
            inputs = keras.Input(shape=(28, 28))
            x = layers.Flatten()(inputs)
            x = layers.Dense(128, activation="relu")(x)
            x = layers.Dropout(0.2)(x)
            x = layers.Dense(64, activation="relu")(x)
            return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    """),
    # Flat inputs of 784 and no Flatten: input shape 0; layers 3 x 4/5 = 2.4 (Flatten missing);
    # settings 3; shapes 1 x 4/4; Dense(128) still has 784 x 128 + 128 = 100,480, parameters 1;
    # 1 + 0 + 2.4 + 3 + 1 + 1 = 8.4.
    case("input 784 without Flatten", (1, 0, 2.4, 3, 1, 1), 8.4, """
        def build_sequential_model():
            return keras.Sequential([
                keras.Input(shape=(784,)),
                layers.Dense(128, activation="relu"),
                layers.Dropout(0.2),
                layers.Dense(64, activation="relu"),
                layers.Dense(10, activation="softmax"),
            ])
    """, says="Missing layer: layer 1 should be Flatten."),
    # A Dense(128) where the Dropout belongs: a changed kind (1.5) costs less than a missing
    # Dropout and an extra Dense (1 + 1). Layers 3 x 4/5 = 2.4; settings 3 x 3/3 (the Dropout's
    # place is charged under layers only); shapes 1 x 4/4; parameters: 128 x 128 + 128 = 16,512
    # more, total 125,898 (0), the three Dense of the spec right (0.5 x 3/3):
    # 1 + 1 + 2.4 + 3 + 1 + 0.5 = 8.9.
    case("Dense in the Dropout's place", (1, 1, 2.4, 3, 1, 0.5), 8.9, """
        def build_sequential_model():
            return keras.Sequential([
                keras.Input(shape=(28, 28)),
                layers.Flatten(),
                layers.Dense(128, activation="relu"),
                layers.Dense(128, activation="relu"),
                layers.Dense(64, activation="relu"),
                layers.Dense(10, activation="softmax"),
            ])
    """, says="layer 3: expected Dropout(rate 0.2), found Dense"),
    # An input and no layer: the description has no input shape (0), all five layers missing
    # (layers 0), nothing to compare settings with (0), no known input for shapes and
    # parameters (0 and 0): only the API, 1.
    case("Input only", (1, 0, 0, 0, 0, 0), 1, """
        def build_sequential_model():
            return keras.Sequential([keras.Input(shape=(28, 28))])
    """),
]


# --- practice 2 ----------------------------------------------------------------------------------

P2_CASES = [
    # Spec 2 itself: 1 + 0.5 + 1.5 + 3 + 2 + 1.5 + 0.25 + 0.25 = 10.
    case("spec 2", (1, 0.5, 1.5, 3, 2, 1.5, 0.25, 0.25), 10, """
        def build_residual_model():
            inputs = keras.Input(shape=(48, 48, 3))
            x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
            x = layers.MaxPool2D(2, 2)(x)
            shortcut = layers.AvgPool2D(2, 2)(inputs)
            x = layers.Add()([x, shortcut])
            x = layers.GlobalAveragePooling2D()(x)
            return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    """),
    # The + operator, the shortcut first, strides left out and padding "same" on the pools
    # (which pads nothing on 48x48 and acts as "valid"): spec 2, 10.
    case("plus operator and aliases", (1, 0.5, 1.5, 3, 2, 1.5, 0.25, 0.25), 10, """
        def build_residual_model():
            inputs = keras.Input(shape=(48, 48, 3))
            shortcut = layers.AveragePooling2D(pool_size=2, padding="same")(inputs)
            x = layers.Conv2D(3, (3, 3), padding="same", activation="relu")(inputs)
            x = layers.MaxPooling2D(pool_size=2, padding="same")(x)
            x = shortcut + x
            x = layers.GlobalAveragePooling2D()(x)
            return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    """),
    # A wrong skip connection: the shortcut pools the conv's output, not the input. Each layer
    # maps to its kind (the edit: one connection removed and one added, 2). Connections: L4
    # takes L2's counterpart instead of L1's, 3 x 5/6 = 2.5; whole graph 0; shapes and
    # parameters are unchanged; 1 + 0.5 + 1.5 + 2.5 + 0 + 1.5 + 0.25 + 0.25 = 7.5.
    case("skip from the conv", (1, 0.5, 1.5, 2.5, 0, 1.5, 0.25, 0.25), 7.5, """
        def build_residual_model():
            inputs = keras.Input(shape=(48, 48, 3))
            conv = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
            x = layers.MaxPool2D(2, 2)(conv)
            shortcut = layers.AvgPool2D(2, 2)(conv)
            x = layers.Add()([x, shortcut])
            x = layers.GlobalAveragePooling2D()(x)
            return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    """, says="L4 (AveragePooling2D(pool 2x2)) should take L1 (the input)"),
    # A missing layer: no conv, the max pool takes the input. Alignment: L2 missing costs 1 +
    # two lost connections + one new (input -> max pool) = 4; letting the max pool play L2
    # (a changed kind 1) and dropping L3 would cost 1 + 1 + two lost connections + one new = 5.
    # Layers 1.5 x 6/7 = 1.29; connections: L2 has no counterpart, of L3..L7 the max pool
    # takes the input where L3 takes L2 (missing): 3 x 4/5 = 2.4; whole graph 0; settings
    # 1.5 x 3/3 (L3, L4, L7); shapes 0.25 x 6/6; parameters: total 40 (0), L7 right:
    # 0.25 x 0.5 = 0.125, 0.12. 1 + 0.5 + 1.29 + 2.4 + 0 + 1.5 + 0.25 + 0.12 = 7.06.
    case("missing conv", (1, 0.5, 1.29, 2.4, 0, 1.5, 0.25, 0.12), 7.06, """
        def build_residual_model():
            inputs = keras.Input(shape=(48, 48, 3))
            x = layers.MaxPool2D(2, 2)(inputs)
            shortcut = layers.AvgPool2D(2, 2)(inputs)
            x = layers.Add()([x, shortcut])
            x = layers.GlobalAveragePooling2D()(x)
            return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    """, says="Missing layer: L2 should be Conv2D(3, kernel 3x3, same, relu)."),
    # An extra layer: BatchNormalization between the conv and the max pool. Extra BN (1) + one
    # lost connection and two new (3) = 4, less than the BN playing L2 (1) with the conv extra
    # (1) and the connections redone (3). Layers 1.5 x 7/8 = 1.3125, 1.31; connections: the
    # max pool takes the BN, 3 x 5/6 = 2.5; whole graph 0; settings 1.5; shapes 0.25 x 7/7;
    # parameters: the BN's 4 x 3 = 12 make 136 (0), L2 and L7 right: 0.25 x 0.5 = 0.12.
    # 1 + 0.5 + 1.31 + 2.5 + 0 + 1.5 + 0.25 + 0.12 = 7.18.
    case("extra BatchNormalization", (1, 0.5, 1.31, 2.5, 0, 1.5, 0.25, 0.12), 7.18, """
        def build_residual_model():
            inputs = keras.Input(shape=(48, 48, 3))
            x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
            x = layers.BatchNormalization()(x)
            x = layers.MaxPool2D(2, 2)(x)
            shortcut = layers.AvgPool2D(2, 2)(inputs)
            x = layers.Add()([x, shortcut])
            x = layers.GlobalAveragePooling2D()(x)
            return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    """, says="Extra layer: your BatchNormalization"),
    # Swapped layers: the average pool on the conv branch, the max pool on the shortcut. By
    # place, two changed kinds (2) and every connection kept; by kind, two connections lost and
    # two added (4). So L3 and L4 are of the wrong kind: layers 1.5 x 5/7 = 1.07; connections
    # 3; whole graph 0; settings 1.5 x 2/2 (L2, L7); shapes 0.25 x 5/5; parameters 0.25;
    # 1 + 0.5 + 1.07 + 3 + 0 + 1.5 + 0.25 + 0.25 = 7.57.
    case("pools swapped", (1, 0.5, 1.07, 3, 0, 1.5, 0.25, 0.25), 7.57, """
        def build_residual_model():
            inputs = keras.Input(shape=(48, 48, 3))
            x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
            x = layers.AvgPool2D(2, 2)(x)
            shortcut = layers.MaxPool2D(2, 2)(inputs)
            x = layers.Add()([x, shortcut])
            x = layers.GlobalAveragePooling2D()(x)
            return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    """, says="L3: expected MaxPooling2D(pool 2x2), found AveragePooling2D"),
    # A different merge: Concatenate plays L5 (a changed kind). Layers 1.5 x 6/7 = 1.29;
    # connections 3 (L5's inputs are right in any order); whole graph 0; settings 1.5 x 4/4;
    # shapes: L6 gives (None, 6), 0.25 x 5/6 = 0.21; parameters: Dense on 6 inputs has 70, total
    # 154 (0), L7 wrong: 0.25 x 0.5 x 1/2 = 0.0625, 0.06.
    # 1 + 0.5 + 1.29 + 3 + 0 + 1.5 + 0.21 + 0.06 = 7.56.
    case("Concatenate", (1, 0.5, 1.29, 3, 0, 1.5, 0.21, 0.06), 7.56, """
        def build_residual_model():
            inputs = keras.Input(shape=(48, 48, 3))
            x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
            x = layers.MaxPool2D(2, 2)(x)
            shortcut = layers.AvgPool2D(2, 2)(inputs)
            x = layers.Concatenate()([x, shortcut])
            x = layers.GlobalAveragePooling2D()(x)
            return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    """, says="L5: expected Add, found Concatenate"),
    # A layer of a wrong kind on the right wiring: GlobalMaxPooling2D for L6 (same shape, no
    # weights). Layers 1.5 x 6/7 = 1.29; connections 3; whole graph 0; the rest full;
    # 1 + 0.5 + 1.29 + 3 + 0 + 1.5 + 0.25 + 0.25 = 7.79.
    case("global max pool", (1, 0.5, 1.29, 3, 0, 1.5, 0.25, 0.25), 7.79, """
        def build_residual_model():
            inputs = keras.Input(shape=(48, 48, 3))
            x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
            x = layers.MaxPool2D(2, 2)(x)
            shortcut = layers.AvgPool2D(2, 2)(inputs)
            x = layers.Add()([x, shortcut])
            x = layers.GlobalMaxPooling2D()(x)
            return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    """, says="Your layers are connected as in spec 2, but not all of them are of the spec's kind"),
    # Subtract for Add: a merge whose operands are ordered, on the right wiring (Add's operands
    # have no order, so the wiring is spec 2's; Subtract keeps the shape and has no weights).
    # Layers 1.5 x 6/7 = 1.29; connections 3; whole graph 0; the rest full;
    # 1 + 0.5 + 1.29 + 3 + 0 + 1.5 + 0.25 + 0.25 = 7.79.
    case("Subtract", (1, 0.5, 1.29, 3, 0, 1.5, 0.25, 0.25), 7.79, """
        def build_residual_model():
            inputs = keras.Input(shape=(48, 48, 3))
            x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
            x = layers.MaxPool2D(2, 2)(x)
            shortcut = layers.AvgPool2D(2, 2)(inputs)
            x = layers.Subtract()([x, shortcut])
            x = layers.GlobalAveragePooling2D()(x)
            return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    """, says="L5 should be Add, your Subtract"),
    # The conv after the merge: input -> max pool and avg pool -> Add -> conv -> global pool ->
    # Dense. Mapping each layer to its kind costs 0.1 (the conv's shape) + 3 lost connections
    # + 3 new = 6.1. Mapping by place costs less: the max pool plays L2, the Add L3, the conv
    # L5 (3 changed kinds); L1 -> L2, L1 -> L4, L3 -> L5, L5 -> L6 and L6 -> L7 are kept, L2 -> L3
    # too but for 0.5 (the max pool is an operand of the Add, which has no position), L4 -> L5
    # is lost and avg pool -> Add is new (2): 3 + 0.5 + 2 = 5.5. So layers 1.5 x 4/7 = 0.86
    # (L1, L4, L6, L7); connections: L3's Add takes two inputs where L3 takes one, L5's conv
    # takes one where L5 takes two, 3 x 4/6 = 2; whole graph 0; settings 1.5 x 2/2 (L4, L7);
    # shapes 0.25 x 4/4; parameters: total 124, L7 right: 0.25.
    # 1 + 0.5 + 0.86 + 2 + 0 + 1.5 + 0.25 + 0.25 = 6.36.
    case("conv after the merge", (1, 0.5, 0.86, 2, 0, 1.5, 0.25, 0.25), 6.36, """
        def build_residual_model():
            inputs = keras.Input(shape=(48, 48, 3))
            x = layers.MaxPool2D(2, 2)(inputs)
            shortcut = layers.AvgPool2D(2, 2)(inputs)
            x = layers.Add()([x, shortcut])
            x = layers.Conv2D(3, 3, padding="same", activation="relu")(x)
            x = layers.GlobalAveragePooling2D()(x)
            return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    """, says="L5: expected Add, found Conv2D"),
    # An extra Dense(16, relu) before the output. The hidden Dense playing L7 costs 0.3 (units,
    # activation, shape) + the last Dense extra 1 + one new connection 1 = 2.3; the last Dense
    # playing L7 would cost 1 (extra) + 1 lost + 2 new connections = 4. So L7 is the Dense(16)
    # and the Dense(10) is the extra one: layers 1.5 x 7/8 = 1.3125, 1.31; connections 3;
    # whole graph 0; settings: L7 has units 16 and relu, 1.5 x 3/4 = 1.125, 1.12; shapes: L7's
    # (None, 16), 0.25 x 6/7 = 0.21; parameters: 3 x 16 + 16 = 64 and 16 x 10 + 10 = 170, total
    # 318 (0), L7 wrong: 0.25 x 0.5 x 1/2 = 0.06.
    # 1 + 0.5 + 1.31 + 3 + 0 + 1.12 + 0.21 + 0.06 = 7.2.
    case("extra Dense", (1, 0.5, 1.31, 3, 0, 1.12, 0.21, 0.06), 7.2, """
        def build_residual_model():
            inputs = keras.Input(shape=(48, 48, 3))
            x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
            x = layers.MaxPool2D(2, 2)(x)
            shortcut = layers.AvgPool2D(2, 2)(inputs)
            x = layers.Add()([x, shortcut])
            x = layers.GlobalAveragePooling2D()(x)
            x = layers.Dense(16, activation="relu")(x)
            return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    """, says="L7 (Dense): expected units 10, found 16."),
    # 32x32 inputs: input shape 0; the graph and settings are spec 2's (the pools pad nothing on
    # 32x32 either); shapes: L1..L5 are 32 or 16 wide, L6 and L7 right, 0.25 x 2/7 = 0.07;
    # parameters do not depend on the size, 0.25.
    # 1 + 0 + 1.5 + 3 + 2 + 1.5 + 0.07 + 0.25 = 9.32.
    case("input 32x32", (1, 0, 1.5, 3, 2, 1.5, 0.07, 0.25), 9.32, """
        def build_residual_model():
            inputs = keras.Input(shape=(32, 32, 3))
            x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
            x = layers.MaxPool2D(2, 2)(x)
            shortcut = layers.AvgPool2D(2, 2)(inputs)
            x = layers.Add()([x, shortcut])
            x = layers.GlobalAveragePooling2D()(x)
            return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    """, says="Input shape: expected (None, 48, 48, 3), found (None, 32, 32, 3)."),
    # Dense(5) at the end: settings 1.5 x 3/4 = 1.12; shapes 0.25 x 6/7 = 0.21; parameters:
    # 3 x 5 + 5 = 20, total 104 (0), L7 wrong: 0.06.
    # 1 + 0.5 + 1.5 + 3 + 2 + 1.12 + 0.21 + 0.06 = 9.39.
    case("Dense 5 units", (1, 0.5, 1.5, 3, 2, 1.12, 0.21, 0.06), 9.39, """
        def build_residual_model():
            inputs = keras.Input(shape=(48, 48, 3))
            x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
            x = layers.MaxPool2D(2, 2)(x)
            shortcut = layers.AvgPool2D(2, 2)(inputs)
            x = layers.Add()([x, shortcut])
            x = layers.GlobalAveragePooling2D()(x)
            return keras.Model(inputs, layers.Dense(5, activation="softmax")(x))
    """),
    # A Sequential model cannot branch: L4 and L5 are missing. API 0; layers 1.5 x 5/7 = 1.07;
    # connections: L2, L3, L6, L7 have counterparts, and the global pool takes the max pool
    # where L6 takes L5 (missing): 3 x 3/4 = 2.25; whole graph 0; settings 1.5 x 3/3 (L2, L3,
    # L7); shapes 0.25 x 5/5; parameters 84 + 40 = 124, 0.25.
    # 0 + 0.5 + 1.07 + 2.25 + 0 + 1.5 + 0.25 + 0.25 = 5.82.
    case("Sequential", (0, 0.5, 1.07, 2.25, 0, 1.5, 0.25, 0.25), 5.82, """
        def build_residual_model():
            return keras.Sequential([
                keras.Input(shape=(48, 48, 3)),
                layers.Conv2D(3, 3, padding="same", activation="relu"),
                layers.MaxPool2D(2, 2),
                layers.GlobalAveragePooling2D(),
                layers.Dense(10, activation="softmax"),
            ])
    """, says="Missing layer: L4 should be AveragePooling2D(pool 2x2)."),
    # Wrong activations on L2 (sigmoid) and L7 (relu): settings 1.5 x 2/4 = 0.75;
    # 1 + 0.5 + 1.5 + 3 + 2 + 0.75 + 0.25 + 0.25 = 9.25.
    case("sigmoid conv, relu head", (1, 0.5, 1.5, 3, 2, 0.75, 0.25, 0.25), 9.25, """
        def build_residual_model():
            inputs = keras.Input(shape=(48, 48, 3))
            x = layers.Conv2D(3, 3, padding="same", activation="sigmoid")(inputs)
            x = layers.MaxPool2D(2, 2)(x)
            shortcut = layers.AvgPool2D(2, 2)(inputs)
            x = layers.Add()([x, shortcut])
            x = layers.GlobalAveragePooling2D()(x)
            return keras.Model(inputs, layers.Dense(10, activation="relu")(x))
    """),
]


# --- practice 3 ----------------------------------------------------------------------------------

#: helpers the practice-3 answers share: the checkpoint files in epoch order, a name's epoch and
#: the val_loss it shows
P3_HELPERS = '''
def checkpoint_files(folder):
    names = [p for p in Path(folder).iterdir() if re.fullmatch(r"\\d+-.+\\.(keras|h5)", p.name)]
    return sorted(names, key=epoch)


def epoch(path):
    return int(Path(path).name.split("-", 1)[0])


def shown(path):
    name = Path(path).name.split("-", 1)[1]
    return name.removesuffix(".weights.h5").removesuffix(".keras").removesuffix(".h5")
'''

P3_CASES = [
    # Reads history.csv (epochs from 0) and returns the joined path: the exact minimum
    # everywhere, 2 + 1.5 + 1 + 1.5 + 1.5 + 1.5 + 1 = 10.
    case("reads the log", (2, 1.5, 1, 1.5, 1.5, 1.5, 1), 10, """
        def find_best_checkpoint(checkpoint_dir):
            with open(os.path.join(checkpoint_dir, "history.csv")) as handle:
                rows = list(csv.DictReader(handle))
            best = int(min(rows, key=lambda row: float(row["val_loss"]))["epoch"]) + 1
            return str(next(p for p in checkpoint_files(checkpoint_dir) if epoch(p) == best))
    """),
    # The names' val_loss as numbers, the first smallest: on the ties directory epoch 4
    # (0.4349), accepted as it shows 0.43 like the best; every line full, 10.
    case("parses the names", (2, 1.5, 1, 1.5, 1.5, 1.5, 1), 10, """
        def find_best_checkpoint(checkpoint_dir):
            return str(min(checkpoint_files(checkpoint_dir), key=lambda p: float(shown(p))))
    """, says="On the 'ties in the rounded names' directory, your choice was accepted"),
    # The names as numbers, the last smallest: epoch 7 on the ties directory, the exact minimum; 10.
    case("parses the names, last of equals", (2, 1.5, 1, 1.5, 1.5, 1.5, 1), 10, """
        def find_best_checkpoint(checkpoint_dir):
            return str(min(reversed(checkpoint_files(checkpoint_dir)), key=lambda p: float(shown(p))))
    """, says="Your function found the checkpoint with the smallest val_loss in every directory."),
    # The right file as a path relative to the working directory opens from there: 10.
    case("relative to the working directory", (2, 1.5, 1, 1.5, 1.5, 1.5, 1), 10, """
        def find_best_checkpoint(checkpoint_dir):
            best = min(reversed(checkpoint_files(checkpoint_dir)), key=lambda p: float(shown(p)))
            return os.path.relpath(best)
    """),
    # The first epoch is nowhere the best: 7 x 0 = 0.
    case("first", (0, 0, 0, 0, 0, 0, 0), 0, """
        def find_best_checkpoint(checkpoint_dir):
            return str(checkpoint_files(checkpoint_dir)[0])
    """, says="returned the first checkpoint"),
    # Nor the last: 0.
    case("last", (0, 0, 0, 0, 0, 0, 0), 0, """
        def find_best_checkpoint(checkpoint_dir):
            return str(checkpoint_files(checkpoint_dir)[-1])
    """, says="returned the last checkpoint"),
    # The newest file: epoch 6 on the newest-file directory, the last epoch elsewhere: 0.
    case("newest", (0, 0, 0, 0, 0, 0, 0), 0, """
        def find_best_checkpoint(checkpoint_dir):
            return str(max(checkpoint_files(checkpoint_dir), key=lambda p: p.stat().st_mtime))
    """, says="returned the most recently modified file"),
    # The largest val_loss: 0.
    case("largest", (0, 0, 0, 0, 0, 0, 0), 0, """
        def find_best_checkpoint(checkpoint_dir):
            return str(max(checkpoint_files(checkpoint_dir), key=lambda p: float(shown(p))))
    """, says="returned the checkpoint with the largest val_loss"),
    # The names' val_loss compared as text: on the two-digit directory "11.88" < "2.48" (epoch 2,
    # 0); elsewhere every value has one digit before the point and text order is number order
    # (epoch 4 on the ties directory, accepted). 10 - 1.5 = 8.5.
    case("compares names as text", (2, 1.5, 1, 1.5, 0, 1.5, 1), 8.5, """
        def find_best_checkpoint(checkpoint_dir):
            return str(min(checkpoint_files(checkpoint_dir), key=shown))
    """, says="compared as text"),
    # The log's best row, then the file at that position of the names sorted as text: the same
    # file while epochs have two digits; with 105 epochs, "100-" to "105-" sort after "10-", so
    # position 101 (epoch 102) holds epoch 96's file (0). 10 - 1.5 = 8.5.
    case("log position in names sorted as text", (2, 1.5, 1, 1.5, 1.5, 0, 1), 8.5, """
        def find_best_checkpoint(checkpoint_dir):
            with open(os.path.join(checkpoint_dir, "history.csv")) as handle:
                losses = [float(row["val_loss"]) for row in csv.DictReader(handle)]
            names = sorted(checkpoint_files(checkpoint_dir), key=lambda p: p.name)
            return str(names[losses.index(min(losses))])
    """, says="when the names are sorted as text"),
    # The val_loss read at name[3:7], where a two-digit epoch puts it: "100-0.40.keras" reads
    # -0.4, smaller than 102's -0.3, so epoch 100 (0.4018, shown 0.40 and not 0.39) wins on the
    # three-digit directory (0); "14.2" and "0.86" still read right elsewhere. 10 - 1.5 = 8.5.
    case("slices fixed positions", (2, 1.5, 1, 1.5, 1.5, 0, 1), 8.5, """
        def find_best_checkpoint(checkpoint_dir):
            names = sorted(checkpoint_files(checkpoint_dir), key=lambda p: p.name)
            return str(min(names, key=lambda p: float(p.name[3:7])))
    """, says="read at fixed positions of the names"),
    # A pattern for .keras and .h5 only: the weights-only names do not match, min() of nothing
    # raises there (0). 10 - 1 = 9.
    case("ignores .weights.h5", (2, 1.5, 1, 1.5, 1.5, 1.5, 0), 9, """
        def find_best_checkpoint(checkpoint_dir):
            pattern = re.compile(r"(\\d+)-([\\d.]+)\\.(keras|h5)$")
            found = {p: float(m[2]) for p in Path(checkpoint_dir).iterdir() if (m := pattern.match(p.name))}
            return str(min(found, key=found.get))
    """, says="they are checkpoints too"),
    # A glob for *.keras only: the .h5 and .weights.h5 directories look empty and min() raises
    # (0 and 0). 10 - 1 - 1 = 8.
    case("globs .keras only", (2, 1.5, 0, 1.5, 1.5, 1.5, 0), 8, """
        def find_best_checkpoint(checkpoint_dir):
            return str(min(Path(checkpoint_dir).glob("*.keras"), key=lambda p: float(shown(p))))
    """, says="raised ValueError"),
    # The right file everywhere as a bare name: half of each line, 10 / 2 = 5
    # (1 + 0.75 + 0.5 + 0.75 + 0.75 + 0.75 + 0.5).
    case("bare name", (1, 0.75, 0.5, 0.75, 0.75, 0.75, 0.5), 5, """
        def find_best_checkpoint(checkpoint_dir):
            return min(reversed(checkpoint_files(checkpoint_dir)), key=lambda p: float(shown(p))).name
    """, says="On every directory, your function returned the right checkpoint as a bare file name"),
    # A bare name for .h5 files only (the .h5 and .weights.h5 directories): 10 - 0.5 - 0.5 = 9.
    case("bare name for .h5", (2, 1.5, 0.5, 1.5, 1.5, 1.5, 0.5), 9, """
        def find_best_checkpoint(checkpoint_dir):
            best = min(reversed(checkpoint_files(checkpoint_dir)), key=lambda p: float(shown(p)))
            return best.name if best.name.endswith(".h5") else str(best)
    """, says="On the 'legacy .h5 files', 'weights-only .weights.h5 files' directories"),
    # Names compared as text and returned bare: the two-digit directory is wrong (0), the six
    # others right as bare names, (2 + 1.5 + 1 + 1.5 + 1.5 + 1) / 2 = 4.25.
    case("text and bare", (1, 0.75, 0.5, 0.75, 0, 0.75, 0.5), 4.25, """
        def find_best_checkpoint(checkpoint_dir):
            return min(checkpoint_files(checkpoint_dir), key=shown).name
    """),
    # The second smallest name: on the ties directory epoch 7 (the two 0.43 in epoch order, the
    # second is the exact minimum), 1.5; elsewhere another value: epoch 3 (1.19), the .h5's
    # "1.31", "0.83", "2.72", epoch 100's "0.40", epoch 7's "0.87", all 0. 1.5 in all.
    case("second smallest", (0, 1.5, 0, 0, 0, 0, 0), 1.5, """
        def find_best_checkpoint(checkpoint_dir):
            return str(sorted(checkpoint_files(checkpoint_dir), key=lambda p: float(shown(p)))[1])
    """),
    # The log read as if its epochs counted from 1: the epoch before the best, which never
    # ties with it (0.45 for 0.43 on the ties directory, 0.40 for 0.39 on the three-digit one): 0.
    case("log off by one", (0, 0, 0, 0, 0, 0, 0), 0, """
        def find_best_checkpoint(checkpoint_dir):
            with open(os.path.join(checkpoint_dir, "history.csv")) as handle:
                rows = list(csv.DictReader(handle))
            best = int(min(rows, key=lambda row: float(row["val_loss"]))["epoch"])
            return str(next(p for p in checkpoint_files(checkpoint_dir) if epoch(p) == best))
    """, says="not the one with the smallest recorded val_loss"),
    # The smallest val_loss as a number, not a path: 0 everywhere.
    case("returns the val_loss", (0, 0, 0, 0, 0, 0, 0), 0, """
        def find_best_checkpoint(checkpoint_dir):
            return min(float(shown(p)) for p in checkpoint_files(checkpoint_dir))
    """, says="returned a number"),
    # The log's path: not a checkpoint file, 0 everywhere.
    case("returns the log", (0, 0, 0, 0, 0, 0, 0), 0, """
        def find_best_checkpoint(checkpoint_dir):
            return os.path.join(checkpoint_dir, "history.csv")
    """, says="not one of the checkpoint files"),
]

CASES = {"practice1": P1_CASES, "practice2": P2_CASES, "practice3": P3_CASES}


def source_of(practice: str, answer: Case) -> str:
    """The answer's code as a submission holds it (practice 3's answers with their helpers)."""
    return (P3_HELPERS.strip() + "\n\n\n" if practice == "practice3" else "") + answer.source


def define(practice: str, answer: Case):
    """The answer's function, defined in a fresh namespace from its source."""
    namespace: dict = {"__name__": "submission"}
    exec(compile(PRELUDE + source_of(practice, answer), f"<{answer.id}>", "exec"), namespace)
    return namespace[FUNCTIONS[practice]]


def lookup(practice: str, id: str) -> Case:
    return next(p.values[0] for p in CASES[practice] if p.values[0].id == id)


# --- scoring in this process ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def references() -> dict:
    """The reference answers of practices 1 and 2, described as the grader describes them."""
    return {
        "practice1": describe_json(load_reference("practice1").build_sequential_model().to_json()),
        "practice2": describe_json(load_reference("practice2").build_residual_model().to_json()),
    }


@pytest.fixture(scope="module")
def directories(tmp_path_factory) -> dict:
    """Practice 3's checkpoint directories, made once (their content is fixed)."""
    return PRACTICES["practice3"].context(str(tmp_path_factory.mktemp("rubric-checkpoints")))


def _remove(folder: Path) -> None:
    """Removes the read-only copies a grading made."""
    for root, _, _ in os.walk(folder):
        os.chmod(root, 0o755)
    shutil.rmtree(folder)


def score_here(practice: str, answer: Case, references: dict, directories: dict, tmp_path_factory):
    """The answer's result, scored in this process along the grader's own path."""
    grader = PRACTICES[practice]
    function = define(practice, answer)
    if practice != "practice3":
        data = describe_json(function().to_json())
        return grader.score(data, references[practice], {})
    # as the runner does: a read-only copy per submission, the call, then the grading process's checks
    folder = tmp_path_factory.mktemp("rubric-submission")
    try:
        seen = grader.submission_context(directories, str(folder / "hidden"))
        evidence = json.loads(json.dumps(grader.collect(function, seen, {})))
        data = grader.settle(grader.validate(evidence), directories, seen)
    finally:
        _remove(folder)
    return grader.score(data, {}, directories)


def expected_lines(practice: str, answer: Case) -> dict:
    return dict(zip(RUBRICS[practice], answer.points))


def check(practice: str, answer: Case, result) -> None:
    # the comment's own arithmetic first: its lines add up to its total
    assert round(sum(answer.points), 2) == pytest.approx(answer.total), f"{answer.id}: its lines do not add up"
    got = {c.name: c.score for c in result.criteria}
    shown = "\n".join([f"  {c.name}: {c.score:g} / {c.max_score:g}" for c in result.criteria]
                      + [f"  - {line}" for line in result.feedback])
    assert result.error is None, f"{answer.id}: {result.error}"
    assert got == pytest.approx(expected_lines(practice, answer)), f"{answer.id}:\n{shown}"
    assert result.score == pytest.approx(answer.total), f"{answer.id}: {result.score}\n{shown}"
    if answer.says:
        assert any(answer.says in line for line in result.feedback), f"{answer.id}: no {answer.says!r} in\n{shown}"


def test_every_practice_has_a_dozen_cases():
    for practice, cases in CASES.items():
        assert len(cases) >= 12, f"{practice}: {len(cases)} cases"
        ids = [p.values[0].id for p in cases]
        assert len(set(ids)) == len(ids), f"{practice}: two cases of the same name"


@pytest.mark.parametrize("practice", sorted(RUBRICS))
def test_the_rubric_lines_and_their_points(practice, references, directories, tmp_path_factory):
    """The points every comment below counts with: the rubric of each practice, 10 in all."""
    first = CASES[practice][0].values[0]
    result = score_here(practice, first, references, directories, tmp_path_factory)
    assert {c.name: c.max_score for c in result.criteria} == dict(zip(RUBRICS[practice], POINTS[practice]))
    assert sum(POINTS[practice]) == PRACTICES[practice].max_score == 10


@pytest.mark.filterwarnings("ignore:Do not pass an `input_shape`:UserWarning")  # the .add form's Flatten
@pytest.mark.parametrize("answer", P1_CASES)
def test_practice1(answer, references, directories, tmp_path_factory):
    check("practice1", answer, score_here("practice1", answer, references, directories, tmp_path_factory))


@pytest.mark.parametrize("answer", P2_CASES)
def test_practice2(answer, references, directories, tmp_path_factory):
    check("practice2", answer, score_here("practice2", answer, references, directories, tmp_path_factory))


@pytest.mark.parametrize("answer", P3_CASES)
def test_practice3(answer, references, directories, tmp_path_factory):
    check("practice3", answer, score_here("practice3", answer, references, directories, tmp_path_factory))


# --- the same answers through the real pipeline --------------------------------------------------

#: submissions of one answer per practice, among those whose points depend most on the alignment
END_TO_END = [
    {"practice1": "Dropout moved", "practice2": "conv after the merge", "practice3": "compares names as text"},
    {"practice1": "use_bias False", "practice2": "Concatenate", "practice3": "bare name"},
    {"practice1": "no Input", "practice2": "missing conv", "practice3": "globs .keras only"},
]


def test_the_pipeline_gives_the_same_points(tmp_path, references, directories, tmp_path_factory):
    """Submission files graded by grade_submissions (sandboxed children, the examine child, the
    grading process's checks) score every rubric line as the in-process shortcut does."""
    from graders.grade import grade_submissions

    paths = []
    for number, chosen in enumerate(END_TO_END, 1):
        parts = [source_of(p, lookup(p, id)) for p, id in chosen.items()]
        path = tmp_path / f"student{number}.py"
        path.write_text(PRELUDE + "\n\n" + "\n\n".join(parts))
        paths.append(str(path))

    practices = [PRACTICES[name] for name in RUBRICS]
    reports = list(grade_submissions(paths, practices, timeout=120, reference_dir=ROOT / "reference"))

    assert len(reports) == len(END_TO_END)
    for report, chosen in zip(reports, END_TO_END):
        assert report["error"] is None, report["error"]
        assert sorted(report["practices"]) == sorted(RUBRICS)
        for practice, id in chosen.items():
            answer = lookup(practice, id)
            graded = report["practices"][practice]
            here = score_here(practice, answer, references, directories, tmp_path_factory)
            pipeline = {c["name"]: c["score"] for c in graded["criteria"]}
            assert pipeline == {c.name: c.score for c in here.criteria}, f"{practice} {id}: {graded['feedback']}"
            assert graded["score"] == here.score == pytest.approx(answer.total), f"{practice} {id}"
