# expect: practice1=9.25 practice2=0 practice3=0
# feedback: practice1: layer 2 (Dense): expected activation 'relu', found 'sigmoid'
# feedback: practice2: Lambda
# feedback: practice3: the last checkpoint
# Attack: monkeypatching the grader from inside the submission's process. It replaces
# graders.describe.describe_model, the practices' score/examine/validate methods, the rebuild
# allow-list and check_model_json (to let a Lambda layer through), CheckpointRun.acceptable/best
# and fingerprint, and graders.answers.describe_exception and answer_problem, all to say
# "correct". None of those run in the submission's process: scoring happens in the grading
# process and rebuilding in a fresh child that never ran this code.
# practice 1: the sigmoid near-miss really returned: 1 of 4 configured layers wrong x 3 = -0.75 -> 9.25.
# practice 2: the model holds a Lambda layer, refused by the untouched rebuild: 0.
# practice 3: returns the last checkpoint of each directory, never the best one: 5 x 2 x 0 = 0.
from pathlib import Path

import keras
from keras import layers

import graders.checkpoints
import graders.describe
import graders.answers
import graders.practices.base
import graders.practices.chain
import graders.practices.checkpoint
import graders.practices.graph
import graders.run.child
import graders.run.rebuild
from graders.rubric import PracticeResult

FULL = lambda self, *args, **kwargs: PracticeResult(self.name, self.max_score, [], ["Perfect!"])  # noqa: E731

for cls in (graders.practices.chain.SequentialPractice, graders.practices.graph.ResidualPractice,
            graders.practices.checkpoint.BestCheckpointPractice):
    cls.score = FULL
    cls.validate = lambda self, evidence: evidence
    cls.examine = lambda self, evidence: evidence
graders.describe.describe_model = lambda model, *a, **k: {"api": "sequential", "layers": [], "verdict": "correct"}
graders.run.rebuild.check_model_json = lambda text: __import__("json").loads(text)
for module in list(graders.run.rebuild.ALLOWED):
    graders.run.rebuild.ALLOWED[module] = frozenset({"Lambda", *graders.run.rebuild.ALLOWED[module]})
graders.checkpoints.CheckpointRun.acceptable = lambda self, *a, **k: graders.checkpoints.Verdict(True, True, self.best)
graders.checkpoints.fingerprint = lambda directory: "unchanged"
graders.practices.checkpoint.fingerprint = graders.checkpoints.fingerprint
graders.practices.base.answer_problem = lambda *args, **kwargs: None
graders.answers.answer_problem = lambda *args, **kwargs: None
graders.run.child.answer_problem = lambda *args, **kwargs: None
graders.answers.describe_exception = lambda exc: "no error"
graders.run.child.describe_exception = lambda exc: "no error"


def build_sequential_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="sigmoid"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def build_residual_model():
    inputs = keras.Input(shape=(48, 48, 3))
    x = layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPool2D(2, 2)(x)
    x = layers.Add()([x, layers.AvgPool2D(2, 2)(inputs)])
    x = layers.Lambda(lambda t: keras.ops.mean(t, axis=(1, 2)))(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x))


def find_best_checkpoint(checkpoint_dir):
    files = sorted(p for p in Path(checkpoint_dir).iterdir() if p.suffix in (".keras", ".h5"))
    return str(files[-1])
