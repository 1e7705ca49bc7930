# expect: compile=0 callbacks=0
# feedback: compile: compile_model() raised SystemExit: 3
# feedback: callbacks: make_callbacks() raised KeyboardInterrupt
# Breakage: compile_model calls sys.exit and make_callbacks raises KeyboardInterrupt (neither is an
# Exception). Each is caught where the function is called and costs that practice only, with its reason.
# compile: 0. callbacks: 0.
import sys


def compile_model(model):
    sys.exit(3)


def make_callbacks(checkpoint_dir):
    raise KeyboardInterrupt
