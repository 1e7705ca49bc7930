"""The lesson's three practices, declared as a course declares its own (see :mod:`graders.practices.declare`).

Their reference answers are ``reference/practice1.py`` ... in the course
folder, never in the package; the public spec data a student's self-check
compares with is in ``graders/specs/``.
"""

from pathlib import Path

from graders.i18n import N_
from graders.practices.declare import Rubric, declare

SPECS = Path(__file__).resolve().parent.parent / "specs"

PRACTICES = [
    declare(
        "practice1",
        check="chain",
        function="build_sequential_model",
        title=N_("Build a Sequential model from a spec"),
        reference="practice1",
        rubric=Rubric(
            public={"API": 1, "input shape": 1, "layers and their order": 3},
            hidden={"layer settings": 3, "output shapes": 1, "parameter count": 1},
        ),
        spec=str(SPECS / "practice1.json"),
        api="sequential",
        input_hint="keras.Input(shape=(28, 28))",
        # the settings spec 1 states, and those that change what its layers compute or learn (a frozen
        # layer, a Dropout's noise shape); use_bias shows in the parameter count, initialisers nowhere;
        # a channels-first Flatten only reorders the 784 values the next Dense weighs, so it is not one
        graded_settings={"Dense": ("units", "activation", "trainable"), "Dropout": ("rate", "noise_shape")},
        spec_title=N_("spec 1"),
        success=N_("Your Sequential model matches spec 1 layer by layer."),
    ),
    declare(
        "practice2",
        check="graph",
        function="build_residual_model",
        title=N_("Build a residual block with the Functional API"),
        reference="practice2",
        # the wiring carries most of the points: the skip connection is the point of the exercise,
        # and a wrongly wired block can keep every shape and parameter
        rubric=Rubric(
            public={"API": 1, "input shape": 0.5, "layers": 1.5, "connections": 3, "whole graph": 2},
            hidden={"layer settings": 1.5, "output shapes": 0.25, "parameter count": 0.25},
        ),
        spec=str(SPECS / "practice2.json"),
        api="functional",
        input_hint="keras.Input(shape=(48, 48, 3))",
        # the settings spec 2 states, and those left at their default that change what a layer computes
        # or learns (a dilated, strided or grouped conv keeps its parameter count; a frozen layer its
        # initial weights). A pool's padding is compared as it acts: "same" that pads nothing (pool 2,
        # strides 2 on 48x48) is "valid" (see graders.compare.layers.effective_padding).
        graded_settings={
            "Conv2D": ("filters", "kernel_size", "strides", "padding", "dilation_rate", "groups", "activation",
                       "data_format", "trainable"),
            "MaxPooling2D": ("pool_size", "strides", "padding", "data_format"),
            "AveragePooling2D": ("pool_size", "strides", "padding", "data_format"),
            "Dense": ("units", "activation", "trainable"),
        },
        spec_title=N_("spec 2"),
        success=N_("Your residual block matches spec 2, skip connection included."),
    ),
    declare(
        "practice3",
        check="best_checkpoint",
        function="find_best_checkpoint",
        title=N_("Find and load the checkpoint with the minimum val_loss"),
        reference="practice3",
        # a directory per kind: the public one; choosing by value (1.5 each); reading every format (1 each)
        rubric=Rubric(
            public={"Best checkpoint: minimum in the middle": 2},
            hidden={
                "Best checkpoint: ties in the rounded names": 1.5,
                "Best checkpoint: newest file is not the best": 1.5,
                "Best checkpoint: two-digit val_loss in the names": 1.5,
                "Best checkpoint: three-digit epochs": 1.5,
                "Best checkpoint: legacy .h5 files": 1,
                "Best checkpoint: weights-only .weights.h5 files": 1,
            },
        ),
    ),
]
