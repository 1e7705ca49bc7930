"""The practices of the keras_callbacks assignment: compile a model, and make the lesson's callbacks.

Both come from the lesson's "compile & fit" and "using callbacks" sections:

``compile`` — ``compile_model(model)`` compiles the model it is given with
``optimizer=Adam(), loss=CategoricalCrossentropy(), metrics=[CategoricalAccuracy()]``.
The practice builds a small softmax classifier itself (8 inputs, 10 classes)
and passes it in; nothing of the student's notebook is used.

================  ======  =================================================================
criterion         points  full points / partial credit
================  ======  =================================================================
optimizer         3       Adam, however spelled: ``Adam()``, ``"adam"``, ``keras.optimizers.Adam(...)``
                          (its learning rate is the next criterion). Another optimizer: 0.
loss              3       CategoricalCrossentropy: ``CategoricalCrossentropy()``, the class itself,
                          ``"categorical_crossentropy"``, ``keras.losses.categorical_crossentropy``.
                          Half: ``from_logits=True`` (the model ends with a softmax), or the sparse
                          loss (it expects integer labels; the lesson's are one-hot). Another loss, or
                          ``loss_weights`` with a weight that is not a positive finite number: 0.
metrics           2       CategoricalAccuracy in the list: ``CategoricalAccuracy()``, the class,
                          ``"categorical_accuracy"``, ``keras.metrics.categorical_accuracy``; other
                          metrics beside it are not graded. Half: ``"accuracy"``/``"acc"`` alone
                          (Keras guesses the kind and logs it as ``accuracy``). ``Accuracy()`` (exact
                          equality), the sparse accuracy, no metric: 0.
learning rate     1       (hidden) 0.001, Adam's default, within a relative 1e-6 (it is a float32).
                          A schedule: 0.
other settings    1       (hidden) half for the optimizer's other settings at their defaults
                          (beta_1, beta_2, epsilon, amsgrad, weight_decay, clipnorm, ...), half
                          for the loss's (label_smoothing, reduction, axis; a positive ``loss_weights``
                          other than 1 only rescales the loss, and costs this half).
================  ======  =================================================================

``callbacks`` — ``make_callbacks(checkpoint_dir)`` returns
``[ReduceLROnPlateau, EarlyStopping, ModelCheckpoint]`` with the lesson's
settings. Each callback's criterion is split evenly between its checks; a
check is all or nothing (``mode`` counts as it acts: ``"auto"`` and ``"min"``
both minimise ``val_loss``; ``verbose`` is not graded):

==========================  ======  =========================================================
criterion                   points  checks
==========================  ======  =========================================================
ReduceLROnPlateau settings  3       monitor 'val_loss' | factor 0.2 | patience 5 | min_lr 1e-7 |
                                    the rest at their defaults (mode, min_delta, cooldown): 0.6 each
EarlyStopping settings      3       monitor 'val_loss' | patience 10 | min_delta 0.001 | the rest
                                    at their defaults (mode, baseline, restore_best_weights,
                                    start_from_epoch): 0.75 each
ModelCheckpoint settings    3       (hidden) filepath | monitor 'val_loss' | save_freq 'epoch' | the
                                    rest at their defaults (mode, save_best_only,
                                    initial_value_threshold): 0.75 each
no extra items              1       (hidden) nothing else in the list (0 when none of the three is)
==========================  ======  =========================================================

The checkpoint file name is ``os.path.join(checkpoint_dir, "{epoch:02d}-{val_loss:.2f}.keras")``:
the lesson's own name with Keras 3's ``.keras`` suffix (Keras 3 saves a whole
model only as ``.keras`` or the older ``.h5``, and weights only as
``.weights.h5``); practice 3 of the lesson reads such names. The same name in
``.h5``, or weights only in ``.weights.h5`` with ``save_weights_only=True``,
earns half of the filepath check. A callback's subclass (``class
MyCheckpoint(ModelCheckpoint)``) earns none of its class's points: it may
change what the callback does.

Trust: the student's code runs in a sandboxed child whose output is never
believed. ``collect`` turns what came back into plain JSON (class names and
settings); ``validate`` checks its shape and sizes; ``examine`` runs in a fresh
child that never ran student code and *rebuilds* each object with the real
Keras class, from an allow-list of classes and of setting names, passing only
JSON values. What is scored is what Keras built there. Evidence a student
forges can claim no more than code they could have written; anything outside
the allow-lists is refused with a one-line reason.

What ``collect`` reads is what Keras would use, not what an object says of
itself: the compiled model's optimizer and Keras's wrappers of its loss, loss
weights and metrics (not the record of the ``compile`` call); only Python's and
NumPy's own scalar types (an ``int`` or ``str`` subclass can compare or hash
otherwise than it reads); only a list or a tuple itself; a loss or metric
function only when it is Keras's very function. An object of a Keras class that
was changed after Keras made it (a method replaced on it or on its class, its
state set by hand: compared with the same class made again from the settings
read) counts like a subclass: a callback earns none of its points, a compile
part is refused; a model whose training was changed besides (``train_step``
replaced, say) scores 0. The classes are compared with what they were when this
file was loaded, before any submission ran.

The public spec data of the self-check (``compile.json``, ``callbacks.json``)
is what the reference answer gives (``tests/test_callbacks.py`` checks it).
"""

from __future__ import annotations

import functools
import inspect
import json
import math
import os
import shutil
import sys
import tempfile
import types
import warnings

from graders.i18n import N_, _
from graders.practices.base import AnswerError, Practice
from graders.practices.declare import Rubric, declare
from graders.rubric import PracticeResult

# --- what may be rebuilt ----------------------------------------------------------------------------

#: per Keras module, the classes the examining child may construct (others are refused)
CLASSES = {
    "optimizers": ("Adam", "AdamW", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "Lion",
                   "Lamb", "Adafactor"),
    "losses": ("CategoricalCrossentropy", "SparseCategoricalCrossentropy", "BinaryCrossentropy",
               "CategoricalFocalCrossentropy", "BinaryFocalCrossentropy", "MeanSquaredError", "MeanAbsoluteError",
               "MeanSquaredLogarithmicError", "MeanAbsolutePercentageError", "KLDivergence", "Poisson", "Huber",
               "LogCosh", "Hinge", "SquaredHinge", "CategoricalHinge", "CosineSimilarity"),
    # no metric that allocates per-threshold state (AUC, Precision, ...): only these are ever scored
    "metrics": ("CategoricalAccuracy", "SparseCategoricalAccuracy", "Accuracy", "BinaryAccuracy",
                "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy"),
}
#: the names Keras accepts for them (as a string, or as the name of its function), lower-cased
NAMES = {
    "optimizers": {name.lower(): name for name in CLASSES["optimizers"]},
    "losses": {
        "categorical_crossentropy": "CategoricalCrossentropy",
        "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
        "binary_crossentropy": "BinaryCrossentropy",
        "categorical_focal_crossentropy": "CategoricalFocalCrossentropy",
        "binary_focal_crossentropy": "BinaryFocalCrossentropy",
        "mean_squared_error": "MeanSquaredError", "mse": "MeanSquaredError",
        "mean_absolute_error": "MeanAbsoluteError", "mae": "MeanAbsoluteError",
        "mean_squared_logarithmic_error": "MeanSquaredLogarithmicError", "msle": "MeanSquaredLogarithmicError",
        "mean_absolute_percentage_error": "MeanAbsolutePercentageError", "mape": "MeanAbsolutePercentageError",
        "kl_divergence": "KLDivergence", "kld": "KLDivergence", "poisson": "Poisson", "huber": "Huber",
        "log_cosh": "LogCosh", "logcosh": "LogCosh", "hinge": "Hinge", "squared_hinge": "SquaredHinge",
        "categorical_hinge": "CategoricalHinge", "cosine_similarity": "CosineSimilarity",
    },
    "metrics": {
        "categorical_accuracy": "CategoricalAccuracy",
        "sparse_categorical_accuracy": "SparseCategoricalAccuracy",
        "binary_accuracy": "BinaryAccuracy",
        "top_k_categorical_accuracy": "TopKCategoricalAccuracy",
        "sparse_top_k_categorical_accuracy": "SparseTopKCategoricalAccuracy",
    },
}
#: metric names Keras resolves itself, from the loss and the labels' shape
GUESSED_ACCURACY = ("accuracy", "acc")
#: settings neither rebuilt nor graded: names, number types, how much a callback prints
IGNORED = frozenset({"name", "dtype", "verbose"})
#: the callbacks that may be rebuilt, with the constructor settings read from them and passed back
#: (``verbose`` only says how much a callback prints: it is neither read nor graded)
CALLBACKS = {
    "ReduceLROnPlateau": ("monitor", "factor", "patience", "mode", "min_delta", "cooldown", "min_lr"),
    "EarlyStopping": ("monitor", "min_delta", "patience", "mode", "baseline", "restore_best_weights",
                      "start_from_epoch"),
    "ModelCheckpoint": ("filepath", "monitor", "save_best_only", "save_weights_only", "mode", "save_freq",
                        "initial_value_threshold"),
}
#: the attribute a Keras callback keeps a constructor setting in, where it is not the setting's name
ATTRIBUTES = {"initial_value_threshold": "best"}
#: per callback, its checks: each is worth an equal share of the callback's points, all or nothing
CHECKS = {
    "ReduceLROnPlateau": (("monitor",), ("factor",), ("patience",), ("min_lr",), ("mode", "min_delta", "cooldown")),
    "EarlyStopping": (("monitor",), ("patience",), ("min_delta",),
                      ("mode", "baseline", "restore_best_weights", "start_from_epoch")),
    "ModelCheckpoint": (("filepath", "save_weights_only"), ("monitor",), ("save_freq",),
                        ("mode", "save_best_only", "initial_value_threshold")),
}
#: how a checkpoint path inside the checkpoint_dir argument is shown (and compared)
CHECKPOINT_DIR = "<checkpoint_dir>"
#: the checkpoint formats Keras 3 writes; another one of them earns half of the filepath check
FORMATS = (".weights.h5", ".keras", ".h5")
PARTIAL_FILEPATH = 0.5
#: how a number JSON cannot hold is written in evidence
NON_FINITE = ("nan", "inf", "-inf")

# --- what evidence may hold -------------------------------------------------------------------------

MAX_EVIDENCE_CHARS = 200_000
MAX_ITEMS = 20
MAX_SETTINGS = 40
MAX_NAME = 200
MAX_VALUE = 4096
MAX_INT = 2**53

_WORDS = {"optimizers": N_("optimizer"), "losses": N_("loss"), "metrics": N_("metric")}


def _keras():
    from graders.data import import_keras

    return import_keras()


#: the families of Keras objects the practices describe
FAMILIES = ("optimizers", "losses", "metrics", "callbacks")


def _keras_classes() -> dict | None:
    """Keras as it is when this file is loaded, if it is imported: per family its classes by name, and
    under ``"functions"`` its loss and metric functions; under ``"internal"`` the classes and operations
    compile and the callbacks use; under ``"class dicts"`` a copy of the attributes of each of these
    classes and their bases; under ``"numpy scalars"`` NumPy's scalar types."""
    keras = sys.modules.get("keras")
    if keras is None:
        return None
    try:
        from keras.src import ops
        from keras.src.trainers.compile_utils import CompileLoss, CompileMetrics

        public = {family: {name: getattr(getattr(keras, family), name) for name in dir(getattr(keras, family))}
                  for family in FAMILIES}
        real = {family: {name: value for name, value in public[family].items() if name[:1].isupper()}
                for family in FAMILIES}
        real["functions"] = {family: {id(value): value for name, value in public[family].items()
                                      if name[:1].islower() and callable(value)}
                             for family in ("losses", "metrics")}
        real["internal"] = {"Model": keras.Model, "Sequential": keras.Sequential, "Input": keras.Input,
                            "Dense": keras.layers.Dense, "CompileLoss": CompileLoss, "CompileMetrics": CompileMetrics,
                            "Optimizer": keras.optimizers.Optimizer, "less": ops.less, "greater": ops.greater}
        kinds = [kind for family in FAMILIES for kind in real[family].values() if isinstance(kind, type)]
        kinds += [keras.Sequential, CompileLoss, CompileMetrics]
        real["class dicts"] = {cls: dict(vars(cls)) for kind in kinds for cls in kind.__mro__ if cls is not object}
        numpy = sys.modules.get("numpy")
        real["numpy scalars"] = frozenset(numpy.sctypeDict.values()) if numpy is not None else frozenset()
        return real
    except Exception:  # a Keras too broken to describe: taken again when first needed
        return None


#: Keras's own classes, taken when this file is loaded: the grader's children are forked from a process
#: that imported Keras first, so a submission cannot have replaced ``keras.callbacks.ModelCheckpoint``
#: (say) with a subclass of its own by then, nor changed what these classes do
_REAL = _keras_classes()


def _loaded() -> dict:
    global _REAL
    if _REAL is None:
        _REAL = _keras_classes() or {}
    return _REAL


def _real(family: str, name: str):
    """Keras's class ``name`` of ``family`` ("callbacks", ...), as it was before any submission ran."""
    return _loaded().get(family, {}).get(name)


def _internal(name: str):
    """A class or operation of Keras's that compile or the callbacks use, as it was before any submission ran."""
    return _loaded().get("internal", {}).get(name)


class CompilePractice(Practice):
    """``compile_model(model)``: the optimizer, loss and metrics of the lesson's ``compile`` call."""

    examines_in_child = True

    def criterion_names(self) -> tuple:
        return (N_("optimizer"), N_("loss"), N_("metrics"), N_("learning rate"), N_("other settings"))

    def collect(self, answer, context: dict, namespace: dict) -> dict:
        """Compiles a small model of the practice's own with ``answer``; describes what it was compiled with.

        Reads what training uses: ``model.optimizer``, and the loss, its weights
        and the metrics as Keras's wrappers of them hold them
        (``model._compile_loss``, ``model._compile_metrics``), not a record of the
        call that could say otherwise; a model whose training was changed besides
        (``train_step`` replaced, say) is refused.
        """
        _keras()
        sequential, tensor, dense = (_internal(name) for name in ("Sequential", "Input", "Dense"))
        model = sequential([tensor(shape=(8,)), dense(10, activation="softmax")])
        returned = answer(model)
        if not _compiled(model):
            if isinstance(returned, _internal("Model")) and returned is not model and _compiled(returned):
                raise AnswerError(_("{function}(model) compiled another model, not the one it was given: call "
                                    "model.compile(...) on its argument.").format(function=self.function))
            raise AnswerError(_("{function}(model) did not compile the model it was given: call "
                                "model.compile(optimizer=..., loss=..., metrics=[...]) inside it.").format(
                function=self.function))
        changed = _model_changes(model)
        if changed:
            raise AnswerError(_("{function}(model) changed how the model trains besides compiling it ({names}), "
                                "so training would not run as compile set it up; only call model.compile(...) "
                                "on it.").format(function=self.function, names=", ".join(_names(changed))))
        state = vars(model)
        loss_state, metrics_state = state.get("_compile_loss"), state.get("_compile_metrics")
        loss = weights = metrics = None
        if loss_state is not None:
            loss, weights = vars(loss_state).get("_user_loss"), vars(loss_state).get("_user_loss_weights")
        if metrics_state is not None:
            metrics = vars(metrics_state).get("_user_metrics")
        if type(metrics) in (list, tuple):
            described = [_describe(m, "metrics") for m in list(metrics)[:MAX_ITEMS]]
            count = len(metrics)
        else:
            described, count = (None, 0) if metrics is None else ([_describe(metrics, "metrics")], 1)
        evidence = {"optimizer": _describe(state["optimizer"], "optimizers"), "loss": _describe(loss, "losses"),
                    "metrics": described, "metrics_count": count}
        if weights is not None:
            evidence["loss_weights"] = _loss_weights(weights)
        return evidence

    def validate(self, evidence) -> dict:
        _size(evidence)
        _keys(evidence, {"optimizer", "loss", "metrics", "metrics_count"}, "evidence", {"loss_weights"})
        metrics = evidence["metrics"]
        if metrics is not None:
            if not isinstance(metrics, list) or len(metrics) > MAX_ITEMS:
                raise _bad("metrics")
            metrics = [_item(m, f"metrics[{i}]") for i, m in enumerate(metrics)]
        checked = {"optimizer": _item(evidence["optimizer"], "optimizer", optional=True),
                   "loss": _item(evidence["loss"], "loss", optional=True),
                   "metrics": metrics, "metrics_count": _count(evidence["metrics_count"], "metrics_count")}
        if "loss_weights" in evidence:
            weights = evidence["loss_weights"]
            if not isinstance(weights, list) or not 0 < len(weights) <= MAX_ITEMS:
                raise _bad("loss_weights")
            checked["loss_weights"] = [_scalar(w, f"loss_weights[{i}]") for i, w in enumerate(weights)]
        return checked

    def examine(self, evidence: dict) -> dict:
        """Each part rebuilt with its real Keras class and described by that object's ``get_config()``."""
        keras = _keras()
        metrics = evidence["metrics"]
        return {
            "optimizer": _rebuild(evidence["optimizer"], "optimizers", keras),
            "loss": _rebuild(evidence["loss"], "losses", keras),
            "metrics": None if metrics is None else [_rebuild(m, "metrics", keras) for m in metrics],
            "metrics_count": evidence["metrics_count"],
            **({"loss_weights": evidence["loss_weights"]} if "loss_weights" in evidence else {}),
        }

    def score(self, data: dict, reference: dict, context: dict) -> PracticeResult:
        optimizer, loss = data.get("optimizer"), data.get("loss")
        want_optimizer, want_loss = reference["optimizer"], reference["loss"]
        notes = []
        criteria = [
            self.criterion(N_("optimizer"), *_optimizer_check(optimizer, want_optimizer)),
            self.criterion(N_("loss"), *_loss_check(loss, want_loss, data.get("loss_weights"))),
            self.criterion(N_("metrics"), *_metrics_check(data.get("metrics"), reference["metrics"], notes)),
            self.criterion(N_("learning rate"), *_learning_rate_check(optimizer, want_optimizer)),
            self.criterion(N_("other settings"), *_defaults_check(optimizer, loss, data.get("loss_weights"))),
        ]
        if data.get("metrics_count", 0) > len(data.get("metrics") or []):
            notes.append(_("Only the first {shown} of your {count} metrics were looked at.").format(
                shown=len(data.get("metrics") or []), count=data["metrics_count"]))
        messages = [m for c in criteria if c.name in self.rubric.criteria for m in c.messages]
        success = [] if messages else [_("{function} compiles the model as the lesson does.").format(
            function=self.function)]
        return PracticeResult(self.name, self.max_score, criteria, messages + notes + success)


class CallbacksPractice(Practice):
    """``make_callbacks(checkpoint_dir)``: the lesson's ReduceLROnPlateau, EarlyStopping and ModelCheckpoint."""

    examines_in_child = True

    def criterion_names(self) -> tuple:
        return tuple(_criterion(name) for name in CALLBACKS) + (N_("no extra items"),)

    def collect(self, answer, context: dict, namespace: dict) -> dict:
        """Calls ``answer`` with a fresh folder; describes each returned object: its class and its settings."""
        _keras()
        folder = tempfile.mkdtemp(prefix="checkpoints-")
        try:
            returned = answer(folder)
            if type(returned) not in (list, tuple):  # a subclass can hold other callbacks than it shows
                raise AnswerError(_("{function}(checkpoint_dir) returned {kind}, not a list of callbacks; end it "
                                    "with `return [reduce_lr, early_stopping, checkpoint]`.").format(
                    function=self.function, kind=_kind(returned)))
            items = [_describe_callback(item) for item in list(returned)[:MAX_ITEMS]]
            return {"checkpoint_dir": folder, "count": len(returned), "items": items}
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def validate(self, evidence) -> dict:
        _size(evidence)
        _keys(evidence, {"checkpoint_dir", "count", "items"}, "evidence")
        items = evidence["items"]
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise _bad("items")
        checked = []
        for i, item in enumerate(items):
            where = f"items[{i}]"
            _keys(item, {"class", "exact", "callback", "bases", "settings", "other"}, where, {"changed"})
            bases = item["bases"]
            if not isinstance(bases, list) or len(bases) > len(CALLBACKS):
                raise _bad(f"{where}.bases")
            checked.append({
                "class": _text(item["class"], MAX_NAME, f"{where}.class"),
                "exact": _flag(item["exact"], f"{where}.exact"),
                "callback": _flag(item["callback"], f"{where}.callback"),
                "bases": [_text(b, MAX_NAME, f"{where}.bases") for b in bases],
                "settings": _settings(item["settings"], f"{where}.settings"),
                "other": _other(item["other"], f"{where}.other"),
                **_changed(item, where),
            })
        return {"checkpoint_dir": _text(evidence["checkpoint_dir"], MAX_VALUE, "checkpoint_dir"),
                "count": _count(evidence["count"], "count"), "items": checked}

    def examine(self, evidence: dict) -> dict:
        """Each allow-listed callback rebuilt with the real Keras class; its settings read back from that object."""
        keras = _keras()
        return {"count": evidence["count"],
                "items": [_rebuild_callback(item, evidence["checkpoint_dir"], keras) for item in evidence["items"]]}

    def score(self, data: dict, reference: dict, context: dict) -> PracticeResult:
        items = data.get("items", [])
        slots = _slots(items)
        criteria = []
        for expected in reference["items"]:
            name = expected["class"]
            index = slots.get(name)
            fraction, messages = _callback_check(name, None if index is None else items[index], expected)
            criteria.append(self.criterion(_criterion(name), fraction, messages))
        criteria.append(self.criterion(N_("no extra items"), *_extras_check(items, slots, data.get("count", 0))))
        messages = [m for c in criteria if c.name in self.rubric.criteria for m in c.messages]
        success = [] if messages else [_("{function} returns the lesson's three callbacks with the lesson's "
                                         "settings.").format(function=self.function)]
        return PracticeResult(self.name, self.max_score, criteria, messages + success)


def _criterion(callback: str) -> str:
    return f"{callback} settings"


# the criteria's names, marked for translation where they are shown
N_("ReduceLROnPlateau settings"), N_("EarlyStopping settings"), N_("ModelCheckpoint settings")


# --- collect: in the student's process ---------------------------------------------------------------


#: what a model does in training, which compile_model has no reason to set on the model itself
MODEL_HOOKS = ("call", "compute_loss", "compute_metrics", "train_step", "test_step", "make_train_function",
               "make_test_function", "fit", "evaluate")
#: the functions compile leaves unset until training makes them
MODEL_FUNCTIONS = ("train_function", "test_function")
#: what a callback changes as it works (``fit`` sets or resets it), so that a used callback is not "changed"
CALLBACK_STATE = frozenset({"params", "_model", "verbose", "wait", "cooldown_counter", "stopped_epoch", "best_weights",
                            "best_epoch", "_batches_seen_since_last_saving", "_last_batch_seen", "_current_epoch",
                            "monitor_op", "min_delta"})
#: what an optimizer changes as it is built and used (besides TensorFlow's bookkeeping, ``_self_...``)
OPTIMIZER_STATE = frozenset({"built", "_lock", "_trainable_variables_indices"})
#: a loss's or metric's number type, which is not graded (see IGNORED) and get_config may leave out
DTYPE_STATE = frozenset({"_dtype", "_dtype_policy"})
#: the prefix of TensorFlow's bookkeeping of what an object holds, which says nothing of what it computes
BOOKKEEPING = "_self_"
#: the types of functions, compared as the same function or not
FUNCTIONS = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, functools.partial)
#: at most this many changed attributes are named
MAX_CHANGED = 5


def _compiled(model) -> bool:
    """Whether compile ran on ``model``: its optimizer is a Keras optimizer, its loss and metrics (where given)
    Keras's own wrappers of them, as training will use them."""
    optimizer_class, loss_class, metrics_class = (_internal(name) for name in ("Optimizer", "CompileLoss",
                                                                                 "CompileMetrics"))
    state = vars(model)
    return (state.get("compiled") is True and optimizer_class is not None
            and issubclass(type(state.get("optimizer")), optimizer_class)
            and type(state.get("_compile_loss")) in (type(None), loss_class)
            and type(state.get("_compile_metrics")) in (type(None), metrics_class))


def _model_changes(model) -> list:
    """What ``compile_model`` changed on the model besides compiling it: how it trains, or what it has used."""
    state = vars(model)
    changed = _class_changes(type(model))
    changed += [name for name in MODEL_HOOKS if name in state]
    changed += [name for name in MODEL_FUNCTIONS if state.get(name) is not None]
    for name in ("_compile_loss", "_compile_metrics"):
        part = state.get(name)
        if part is not None and (_class_changes(type(part)) or _instance_changes(part) or vars(part).get("built")):
            changed.append(name)
    return changed


def _loss_weights(weights) -> list:
    """``compile``'s loss_weights as a list of JSON scalars (a weight that is no number, or a container of
    another type than dict, list or tuple, as its type's name: no weight Keras would read otherwise)."""
    if type(weights) is dict:
        weights = list(dict.values(weights))
    elif type(weights) not in (list, tuple):
        weights = [weights]
    shown = []
    for weight in list(weights)[:MAX_ITEMS]:
        plain, ok = _plain(weight)
        shown.append(plain if ok else f"<{type(weight).__name__}>"[:100])
    return shown


def _kind(value) -> str:
    return "None" if value is None else _("a {type}").format(type=type(value).__name__)


def _plain(value):
    """``value`` as a JSON scalar, or None with False when it is not one.

    Only Python's own scalar types and NumPy's count: a subclass of ``int`` or
    ``str`` can compare or hash otherwise than the number or text it shows (so
    Keras would not use it as what it reads as), and a path object is text only
    once Keras has turned it into text (as ModelCheckpoint does with its filepath).
    """
    if type(value) in _loaded().get("numpy scalars", ()):
        value = value.item()
    kind = type(value)
    if value is None or kind in (bool, str):
        return value, True
    if kind is int:
        if abs(value) <= MAX_INT:
            return value, True
        try:
            return float(value), True
        except OverflowError:  # more digits than a float holds (or than Python prints)
            return repr(math.inf if value > 0 else -math.inf), True
    if kind is float:
        return (value, True) if math.isfinite(value) else (repr(value), True)
    return None, False


def _split(config: dict) -> tuple[dict, dict]:
    """A config's JSON scalar settings, and the kind of each other value."""
    settings, other = {}, {}
    for key, value in list(config.items())[:MAX_SETTINGS]:
        if not isinstance(key, str):
            continue
        plain, ok = _plain(value)
        if ok:
            settings[key] = plain
        else:
            kind = value.get("class_name") if isinstance(value, dict) else type(value).__name__
            other[key] = str(kind)[:100]
    return settings, other


def _class_changes(kind: type) -> list:
    """The attributes of ``kind`` and its bases that differ from when this file was loaded (a method replaced)."""
    loaded, changed = _loaded().get("class dicts", {}), []
    for cls in kind.__mro__:
        before = loaded.get(cls)
        if before is None:
            continue
        now = vars(cls)
        changed += [f"{cls.__name__}.{name}" for name in sorted(set(before) | set(now)) if name != "__annotations__"
                    and (name not in before or name not in now or before[name] is not now[name])]
    return changed


def _instance_changes(value, fresh=None, state: frozenset = frozenset()) -> list:
    """The attributes of ``value`` that hide one of its class's (a method replaced on the object), and, given
    ``fresh`` (the same class made with the same settings), those that differ from it (``state`` aside)."""
    mine = vars(value)
    changed = [name for name in mine if isinstance(name, str) and name not in state
               and (fresh is None or name not in vars(fresh)) and hasattr(type(value), name)]
    if fresh is not None:
        theirs = vars(fresh)
        changed += [name for name in theirs if name not in state and not name.startswith(BOOKKEEPING)
                    and (name not in mine or not _alike(mine[name], theirs[name]))]
    return sorted(set(changed))


def _alike(mine, theirs, depth: int = 0) -> bool:
    """Whether two attribute values act alike: equal scalars, the same function, equal containers of them;
    other objects by their type."""
    if depth > 4:
        return True
    plain_mine, plain_theirs = _plain(mine), _plain(theirs)
    if plain_mine[1] or plain_theirs[1]:
        return plain_mine[1] and plain_theirs[1] and _same(plain_mine[0], plain_theirs[0])
    if type(mine) in FUNCTIONS or type(theirs) in FUNCTIONS:
        return mine is theirs
    if type(mine) is not type(theirs):
        return False
    if issubclass(type(mine), dict):
        return (list(mine) == list(theirs)
                and all(_alike(mine[key], theirs[key], depth + 1) for key in mine))
    if type(mine) in (list, tuple):
        return len(mine) == len(theirs) and all(_alike(a, b, depth + 1) for a, b in zip(mine, theirs))
    return True


def _fresh(make):
    """``make()``, or None when Keras refuses (the grader's rebuild refuses it too)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return make()
    except Exception:
        return None


def _describe(value, family: str) -> dict | None:
    """What ``compile`` was given for one part: a name, a function, a class or an object of it."""
    if value is None:
        return None
    if type(value) is str:
        return {"name": value[:MAX_NAME]}
    if inspect.isclass(value):
        exact = value is _real(family, value.__name__)
        return {"class": value.__name__ if exact else _qualified(value), "module": f"keras.{family}",
                "exact": exact, "settings": {}, "other": {}}
    if inspect.isfunction(value) or inspect.isbuiltin(value):
        keras_own = _loaded().get("functions", {}).get(family, {}).get(id(value)) is value
        module = f"keras.{family}" if keras_own else f"(own) {value.__module__}"
        return {"function": str(value.__name__)[:MAX_NAME], "module": module[:MAX_NAME]}
    kind = type(value)
    if kind is not _real(family, kind.__name__):
        return {"class": _qualified(kind), "module": str(kind.__module__)[:MAX_NAME], "exact": False,
                "settings": {}, "other": {}}
    entry = {"class": kind.__name__, "module": f"keras.{family}", "exact": True, "settings": {}, "other": {}}
    changed = _class_changes(kind) or _instance_changes(value)
    if not changed:  # the class's own get_config: what its settings are, and a fresh object made from them
        config = value.get_config()
        entry["settings"], entry["other"] = _split(config)
        fresh = _fresh(lambda: kind.from_config(dict(config)))
        state = OPTIMIZER_STATE if family == "optimizers" else DTYPE_STATE
        changed = ["get_config"] if fresh is None else _instance_changes(value, fresh, state)
    if changed:
        entry["changed"] = _names(changed)
    return entry


def _names(changed: list) -> list:
    """At most :data:`MAX_CHANGED` attribute names as evidence may hold them (printable, not too long)."""
    return [(name if name.isprintable() else repr(name))[:MAX_NAME] for name in changed[:MAX_CHANGED]]


def _qualified(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"[:MAX_NAME]


def _describe_callback(value) -> dict:
    """One returned object: its class, whether it is exactly a Keras callback class, and its settings."""
    kind = type(value)
    exact = kind is _real("callbacks", kind.__name__)
    bases = [name for name in CALLBACKS if isinstance(value, _real("callbacks", name))]
    entry = {"class": f"keras.callbacks.{kind.__name__}" if exact else _qualified(kind), "exact": exact,
             "callback": isinstance(value, _real("callbacks", "Callback")), "bases": bases, "settings": {},
             "other": {}}
    for base in bases[:1]:
        for setting in CALLBACKS[base]:
            try:
                found = getattr(value, ATTRIBUTES.get(setting, setting))
            except Exception:
                continue
            plain, ok = _plain(found)
            if ok:
                entry["settings"][setting] = plain
            else:
                entry["other"][setting] = type(found).__name__[:100]
    if exact and kind.__name__ in CALLBACKS:
        changed = _callback_changes(value, kind, entry)
        if changed:
            entry["changed"] = _names(changed)
    return entry


def _callback_changes(value, kind: type, entry: dict) -> list:
    """What of a Keras callback differs from the same class made with the settings read from it."""
    changed = _class_changes(kind)
    if changed or entry["other"]:  # a setting that is no plain value: the grader refuses it anyway
        return changed
    fresh = _fresh(lambda: kind(**_numbers(kind, entry["settings"])))
    if fresh is None:
        return []  # Keras refuses these settings: so does the grader's rebuild
    state = CALLBACK_STATE if kind.__name__ == "ModelCheckpoint" else CALLBACK_STATE | {"best"}
    changed = _instance_changes(value, fresh, state)
    # how it compares (set by its first epoch): none yet, or what its mode and monitor choose, with
    # min_delta's sign to match
    mine, theirs = vars(value), vars(fresh)
    less, greater = _internal("less"), _internal("greater")
    operation = mine.get("monitor_op")
    loss = str(mine.get("monitor")).removeprefix("val_") == "loss"
    acts = {None: True, less: mine.get("mode") == "min" or mine.get("mode") == "auto",
            greater: mine.get("mode") == "max" or mine.get("mode") == "auto" and not loss}
    if "monitor_op" not in mine or not any(operation is op and fits for op, fits in acts.items()):
        changed.append("monitor_op")
    delta = theirs.get("min_delta")
    if not _alike(mine.get("min_delta"), -delta if operation is less and _plain(delta)[1] else delta):
        changed.append("min_delta")
    return changed


# --- validate: in the grading process ---------------------------------------------------------------


def _bad(where: str) -> ValueError:
    return ValueError(_("unexpected evidence at {where}").format(where=where))


def _size(evidence) -> None:
    try:
        size = len(json.dumps(evidence))
    except (TypeError, ValueError, RecursionError):
        raise _bad("evidence") from None
    if size > MAX_EVIDENCE_CHARS:
        raise ValueError(_("the evidence is longer than {size} characters").format(size=f"{MAX_EVIDENCE_CHARS:,}"))


def _keys(value, keys: set, where: str, optional: set = frozenset()) -> None:
    if not isinstance(value, dict) or not keys <= set(value) <= keys | optional:
        raise _bad(where)


def _changed(item: dict, where: str) -> dict:
    """An item's ``changed`` attribute names, where it has them (validated), as a dict to merge."""
    if "changed" not in item:
        return {}
    changed = item["changed"]
    if not isinstance(changed, list) or not 0 < len(changed) <= MAX_CHANGED:
        raise _bad(f"{where}.changed")
    return {"changed": [_text(name, MAX_NAME, f"{where}.changed") for name in changed]}


def _text(value, limit: int, where: str) -> str:
    if not isinstance(value, str) or len(value) > limit or not value.isprintable():
        raise _bad(where)
    return value


def _flag(value, where: str) -> bool:
    if not isinstance(value, bool):
        raise _bad(where)
    return value


def _count(value, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_INT:
        raise _bad(where)
    return value


def _scalar(value, where: str):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > MAX_INT:
            raise _bad(where)
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _bad(where)
        return value
    return _text(value, MAX_VALUE, where)


def _settings(value, where: str) -> dict:
    if not isinstance(value, dict) or len(value) > MAX_SETTINGS:
        raise _bad(where)
    for key in value:
        if not key.isidentifier() or len(key) > 60:
            raise _bad(where)
    return {key: _scalar(v, f"{where}.{key}") for key, v in value.items()}


def _other(value, where: str) -> dict:
    if not isinstance(value, dict) or len(value) > MAX_SETTINGS:
        raise _bad(where)
    for key in value:
        if not key.isidentifier() or len(key) > 60:
            raise _bad(where)
    return {key: _text(v, 100, f"{where}.{key}") for key, v in value.items()}


def _item(value, where: str, optional: bool = False):
    """One part of a compile call, in one of the four shapes ``_describe`` writes."""
    if value is None and optional:
        return None
    if not isinstance(value, dict):
        raise _bad(where)
    shape = set(value)
    if shape == {"name"}:
        return {"name": _text(value["name"], MAX_NAME, f"{where}.name")}
    if shape == {"function", "module"}:
        return {"function": _text(value["function"], MAX_NAME, f"{where}.function"),
                "module": _text(value["module"], MAX_NAME, f"{where}.module")}
    if shape - {"changed"} == {"class", "module", "exact", "settings", "other"}:
        return {"class": _text(value["class"], MAX_NAME, f"{where}.class"),
                "module": _text(value["module"], MAX_NAME, f"{where}.module"),
                "exact": _flag(value["exact"], f"{where}.exact"),
                "settings": _settings(value["settings"], f"{where}.settings"),
                "other": _other(value["other"], f"{where}.other"),
                **_changed(value, where)}
    raise _bad(where)


# --- examine: in a fresh child that never ran student code -------------------------------------------


def _refused(label: str, reason: str) -> dict:
    return {"refused": label, "reason": reason}


def _parameters(cls) -> set:
    """The named parameters of a Keras class's constructor (no ``*args``/``**kwargs``)."""
    return {name for name, p in inspect.signature(cls.__init__).parameters.items()
            if name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _config(obj) -> dict:
    settings, other = _split(obj.get_config())
    settings.update({key: f"<{kind}>" for key, kind in other.items()})
    return {key: value for key, value in settings.items() if key not in IGNORED}


def _numbers(cls, settings: dict) -> dict:
    """``settings`` with the text that stands for a number JSON cannot hold ('nan', 'inf', '-inf': see
    :func:`_plain`) made that number again, where the constructor's default is a number."""
    parameters = inspect.signature(cls.__init__).parameters
    numbers = {}
    for key, value in settings.items():
        default = parameters[key].default if key in parameters else None
        numeric = type(default) in (int, float)
        numbers[key] = float(value) if numeric and type(value) is str and value in NON_FINITE else value
    return numbers


def _first_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    text = text[:150].rstrip(".")
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _rebuild(item: dict | None, family: str, keras) -> dict | None:
    """The real Keras object an item names, built from allow-listed settings, as plain data."""
    if item is None:
        return None
    kind = _(_WORDS[family])
    if "name" in item:
        name = item["name"]
        if family == "metrics" and name in GUESSED_ACCURACY:
            return {"name": "accuracy"}
        known = NAMES[family].get(name.lower() if family == "optimizers" else name)
        if known is None:
            return _refused(repr(name), _("{name} is not a Keras {kind} the grader knows").format(
                name=repr(name), kind=kind))
        return _build(known, {}, {}, family, keras)
    if "function" in item:
        name = item["function"]
        if not item["module"].startswith("keras.") or name not in NAMES[family]:
            return _refused(name, _("{name} is a function of your own, not Keras's; use the Keras {kind}").format(
                name=name, kind=kind))
        return _build(NAMES[family][name], {}, {}, family, keras)
    name = item["class"]
    if not item["exact"] or item["module"] != f"keras.{family}":
        return _refused(name, _("{name} is not one of Keras's own {kind} classes (the grader rebuilds no class of "
                                "your own and no subclass); use the Keras class itself").format(name=name, kind=kind))
    if name not in CLASSES[family] or not hasattr(getattr(keras, family), name):
        return _refused(name, _("{name} is not one of the Keras classes the grader rebuilds").format(name=name))
    if item.get("changed"):
        return _refused(name, _("{name} was changed after Keras made it ({attributes}), so it may not act as its "
                                "settings say; use it as Keras makes it").format(
            name=name, attributes=", ".join(item["changed"])))
    return _build(name, item["settings"], item["other"], family, keras)


def _build(name: str, settings: dict, other: dict, family: str, keras) -> dict:
    cls = getattr(getattr(keras, family), name)
    allowed = _parameters(cls) - IGNORED
    unknown = sorted(set(settings) - allowed - IGNORED) + sorted(set(other) - allowed - IGNORED)
    if unknown:
        return _refused(name, _("{name} has no setting {setting} that the grader rebuilds").format(
            name=name, setting=unknown[0]))
    try:
        built = cls(**_numbers(cls, {key: value for key, value in settings.items() if key in allowed}))
        defaults = cls()
    except Exception as error:  # the settings Keras refuses (a negative rate, a wrong type)
        return _refused(name, _("Keras could not make {name} from its settings ({error})").format(
            name=name, error=_first_line(error)))
    return {"class": name, "settings": _config(built), "defaults": _config(defaults),
            "other": {key: kind for key, kind in other.items() if key not in IGNORED}}


def _rebuild_callback(item: dict, checkpoint_dir: str, keras) -> dict:
    name = item["class"].rpartition(".")[2]
    if not item["exact"] or item["class"] != f"keras.callbacks.{name}" or name not in CALLBACKS:
        bases = [b for b in item["bases"] if b in CALLBACKS]
        if bases and not item["exact"]:
            return {"subclass": item["class"], "of": bases[0]}
        shown = name if item["exact"] else item["class"].removeprefix("builtins.")
        return {"extra": shown, "callback": item["callback"]}
    allowed = CALLBACKS[name]
    if item.get("changed"):
        return {"class": name, "changed": item["changed"]}
    unknown = sorted(set(item["settings"]) - set(allowed)) + sorted(set(item["other"]))
    if unknown:
        reason = (_("{name} has no setting {setting} that the grader rebuilds") if unknown[0] not in allowed else
                  _("{name}'s {setting} is not a number, text, True, False or None")).format(
            name=name, setting=unknown[0])
        return {"class": name, "refused": reason}
    try:
        cls = getattr(keras.callbacks, name)
        built = cls(**_numbers(cls, item["settings"]))
    except Exception as error:  # what Keras refuses: a factor >= 1, a file name without a Keras suffix
        return {"class": name, "refused": _("Keras could not make {name} from its settings ({error})").format(
            name=name, error=_first_line(error))}
    settings = {}
    for setting in allowed:
        settings[setting], _ok = _plain(getattr(built, ATTRIBUTES.get(setting, setting)))
    if "filepath" in settings:
        settings["filepath"] = _shown_path(str(settings["filepath"]), checkpoint_dir)
    return {"class": name, "settings": settings}


def _shown_path(path: str, folder: str) -> str:
    """``path`` with the checkpoint_dir argument written as ``<checkpoint_dir>`` when it lies inside it."""
    normal, base = os.path.normpath(path), os.path.normpath(folder)
    if normal.startswith(base.rstrip(os.sep) + os.sep):
        return f"{CHECKPOINT_DIR}/" + os.path.relpath(normal, base).replace(os.sep, "/")
    if path.startswith(CHECKPOINT_DIR):  # a folder of that very name, not the checkpoint_dir argument
        return os.path.join(os.curdir, path)
    return path


# --- score: in the grading process, from plain data ---------------------------------------------------


def _shown(value) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _same(found, expected) -> bool:
    if isinstance(found, bool) or isinstance(expected, bool):
        return type(found) is type(expected) and found == expected
    if isinstance(found, (int, float)) and isinstance(expected, (int, float)):
        return math.isclose(found, expected, rel_tol=1e-6, abs_tol=1e-12)
    return found == expected


def _call(name: str) -> str:
    return f"{name}()"


def _label(part: dict | None) -> str:
    """How a rebuilt part is named in feedback: ``CategoricalCrossentropy()``, ``'accuracy'``."""
    if part is None:
        return "None"
    if "class" in part:
        return _call(part["class"])
    if "name" in part:
        return repr(part["name"])
    return part.get("refused", "?")


def _optimizer_check(found: dict | None, expected: dict) -> tuple[float, list]:
    where = _("Optimizer")
    if found is None or "refused" in found:
        reason = found["reason"] if found else _("compile was given no optimizer")
        return 0.0, [_("{where}: {reason}.").format(where=where, reason=reason)]
    if found["class"] == expected["class"]:
        return 1.0, []
    return 0.0, [_("{where}: expected {expected}, found {found}.").format(
        where=where, expected=_call(expected["class"]), found=_call(found["class"]))]


#: loss classes that are the expected one for other labels: half the points, with a reason
_RELATED_LOSSES = {
    ("CategoricalCrossentropy", "SparseCategoricalCrossentropy"): N_(
        "Loss: SparseCategoricalCrossentropy expects integer class labels, but the lesson's labels are one-hot "
        "vectors (keras.utils.to_categorical), so fit would fail on them; use {expected}: half the points."),
    ("SparseCategoricalCrossentropy", "CategoricalCrossentropy"): N_(
        "Loss: CategoricalCrossentropy expects one-hot labels, but these labels are class numbers; use "
        "{expected}: half the points."),
}


def _weighted(weights: list | None) -> str:
    """What compile's loss_weights do: "none" (none, or all 1), "rescale" (all positive) or "break"."""
    if weights is None or all(_same(w, 1.0) for w in weights):
        return "none"
    numbers = all(isinstance(w, (int, float)) and not isinstance(w, bool) for w in weights)
    return "rescale" if numbers and all(w > 0 for w in weights) else "break"


def _loss_check(found: dict | None, expected: dict, weights: list | None = None) -> tuple[float, list]:
    where = _("Loss")
    wanted = _call(expected["class"])
    if _weighted(weights) == "break":
        return 0.0, [_("Loss: loss_weights={weights} multiplies the loss by a weight that is not a positive "
                       "finite number, so training would not minimise {expected}; leave loss_weights out.").format(
            weights=_shown(weights), expected=wanted)]
    if found is None:
        return 0.0, [_("{where}: compile was given no loss; expected {expected}.").format(where=where,
                                                                                        expected=wanted)]
    if "refused" in found:
        return 0.0, [_("{where}: {reason}.").format(where=where, reason=found["reason"])]
    if found["class"] == expected["class"]:
        logits, want_logits = found["settings"].get("from_logits"), expected["settings"].get("from_logits")
        if _same(logits, want_logits):
            return 1.0, []
        if logits is True:
            return 0.5, [_("Loss: from_logits=True treats the model's outputs as raw scores, but the model ends "
                           "with a softmax, so its probabilities would go through a softmax again; leave "
                           "from_logits at False: half the points.")]
        return 0.5, [_("{where}: expected from_logits={expected}, found {found}: half the points.").format(
            where=where, expected=want_logits, found=logits)]
    related = _RELATED_LOSSES.get((expected["class"], found["class"]))
    if related:
        return 0.5, [_(related).format(expected=wanted)]
    return 0.0, [_("{where}: expected {expected}, found {found}.").format(
        where=where, expected=wanted, found=_call(found["class"]))]


def _metrics_check(found: list | None, expected: list, notes: list) -> tuple[float, list]:
    """Each expected metric: present (1), only as Keras's guessed 'accuracy' (1/2), or missing (0)."""
    where = _("Metrics")
    found = found or []
    used, total, messages = set(), 0.0, []
    for want in expected:
        wanted = _call(want["class"])
        match = next((i for i, m in enumerate(found) if m.get("class") == want["class"] and i not in used), None)
        if match is not None:
            used.add(match)
            total += 1.0
            continue
        guessed = next((i for i, m in enumerate(found) if m.get("name") == "accuracy" and i not in used), None)
        if guessed is not None and want["class"].endswith("Accuracy"):
            used.add(guessed)
            total += 0.5
            messages.append(_("Metrics: 'accuracy' leaves Keras to guess which accuracy you mean (from the loss "
                              "and the labels) and logs it as 'accuracy'; the lesson names {expected}, logged as "
                              "'categorical_accuracy': half the points.").format(expected=wanted))
        elif not found:
            messages.append(_("{where}: expected {expected}, found no metrics.").format(where=where,
                                                                                     expected=wanted))
        elif any(m.get("class") == "Accuracy" for m in found):
            messages.append(_("Metrics: keras.metrics.Accuracy counts predictions exactly equal to the labels, "
                              "which softmax probabilities almost never are; expected {expected}.").format(
                expected=wanted))
        elif any(m.get("class") == "SparseCategoricalAccuracy" for m in found):
            messages.append(_("Metrics: SparseCategoricalAccuracy expects integer class labels, but the lesson's "
                              "labels are one-hot vectors; expected {expected}.").format(expected=wanted))
        elif not all("refused" in m for m in found):  # (a refused metric's reason is given below)
            messages.append(_("{where}: expected {expected}, found {found}.").format(
                where=where, expected=wanted, found=", ".join(_label(m) for m in found)))
    if total < len(expected):  # why what was given instead could not count
        messages += [_("{where}: {reason}.").format(where=where, reason=m["reason"]) for m in found if "refused" in m]
    extra = [_label(m) for i, m in enumerate(found) if i not in used]
    if extra and total:
        notes.append(_("Other metrics are shown in training but not graded: {metrics}.").format(
            metrics=", ".join(extra)))
    return (total / len(expected) if expected else 1.0), messages


def _learning_rate_check(found: dict | None, expected: dict) -> tuple[float, list]:
    where = _("Learning rate")
    wanted = expected["settings"]["learning_rate"]
    if found is None or "refused" in found:
        return 0.0, [_("{where}: cannot be checked without an optimizer that Keras could rebuild.").format(
            where=where)]
    if "learning_rate" in found["other"]:
        return 0.0, [_("{where}: a schedule ({schedule}) where the lesson uses a fixed learning rate of "
                       "{expected}; ReduceLROnPlateau lowers it when training stalls.").format(
            where=where, schedule=found["other"]["learning_rate"], expected=_shown(wanted))]
    rate = found["settings"].get("learning_rate")
    if _same(rate, wanted):
        return 1.0, []
    return 0.0, [_("{where}: expected {expected}, found {found}.").format(
        where=where, expected=_shown(wanted), found=_shown(rate))]


def _defaults_check(optimizer: dict | None, loss: dict | None, weights: list | None = None) -> tuple[float, list]:
    """Half for the optimizer's settings other than its learning rate at their defaults, half for the loss's
    settings other than from_logits (each graded in its own criterion) and compile's loss_weights."""
    total, messages = 0.0, []
    for part, graded_elsewhere, whose in ((optimizer, "learning_rate", _("The optimizer's other settings")),
                                          (loss, "from_logits", _("The loss's other settings"))):
        if part is None or "refused" in part:
            reason = part["reason"] if part else _("compile was given none")
            messages.append(_("{where} cannot be checked: {reason}.").format(where=whose, reason=reason))
            continue
        wrong = []
        for key, default in part["defaults"].items():
            if key == graded_elsewhere:
                continue
            if key in part["other"]:
                wrong.append(_("{where}: expected the default {expected}, found {found}.").format(
                    where=f"{part['class']} {key}", expected=_shown(default),
                    found=_("a {type}").format(type=part["other"][key])))
            elif not _same(part["settings"].get(key), default):
                wrong.append(_("{where}: expected the default {expected}, found {found}.").format(
                    where=f"{part['class']} {key}", expected=_shown(default), found=_shown(part["settings"].get(key))))
        if part is loss and _weighted(weights) == "rescale":  # the loss counted otherwise than once
            wrong.append(_("{where}: expected the default {expected}, found {found}.").format(
                where="compile loss_weights", expected="None", found=_shown(weights)))
        total += 0.0 if wrong else 0.5
        messages += wrong
    return total, messages


def _slots(items: list) -> dict:
    """For each callback class, the index of the item graded as it: the first exact one, else a subclass."""
    slots = {}
    for index, item in enumerate(items):
        if item.get("class") in CALLBACKS and item["class"] not in slots:
            slots[item["class"]] = index
    for index, item in enumerate(items):
        if "subclass" in item and item["of"] not in slots:
            slots[item["of"]] = index
    return slots


def _acting_mode(mode, monitor) -> str:
    """What a callback's mode does: "auto" minimises a loss and maximises anything else."""
    if mode in ("min", "max"):
        return mode
    return "min" if str(monitor).endswith("loss") else "max"


def _callback_check(name: str, item: dict | None, expected: dict) -> tuple[float, list]:
    if item is None:
        return 0.0, [_("No keras.callbacks.{name} in the list.").format(name=name)]
    if "subclass" in item:
        return 0.0, [_("{found} is a subclass of keras.callbacks.{name}: a subclass can change what the callback "
                       "does, so it earns none of the {name} points; return keras.callbacks.{name} itself.").format(
            found=item["subclass"], name=name)]
    if "refused" in item:
        return 0.0, [_("{where}: {reason}.").format(where=name, reason=item["refused"])]
    if "changed" in item:
        return 0.0, [_("keras.callbacks.{name} was changed after Keras made it ({attributes}): a changed callback "
                       "can act otherwise than its settings say, so it earns none of the {name} points; return "
                       "keras.callbacks.{name}(...) as Keras makes it.").format(
            name=name, attributes=", ".join(item["changed"]))]
    checks = CHECKS[name]
    total, messages = 0.0, []
    for group in checks:
        fraction, wrong = _group_check(name, group, item["settings"], expected["settings"])
        total += fraction
        messages += wrong
    return total / len(checks), messages


def _group_check(name: str, group: tuple, found: dict, expected: dict) -> tuple[float, list]:
    if group[0] == "filepath":
        return _filepath_check(name, found, expected)
    wrong = []
    for setting in group:
        got, want = found.get(setting), expected.get(setting)
        where = f"{name} {setting}"
        if setting == "mode":
            monitor = expected.get("monitor")
            if _acting_mode(got, monitor) != _acting_mode(want, monitor):
                wrong.append(_("{where}: expected {expected} (or {same}, which acts the same on {monitor}), "
                               "found {found}.").format(where=where, expected=_shown(want),
                                                        same=_shown(_acting_mode(want, monitor)),
                                                        monitor=_shown(monitor), found=_shown(got)))
        elif not _same(got, want):
            wrong.append(_("{where}: expected {expected}, found {found}.").format(
                where=where, expected=_shown(want), found=_shown(got)))
    return (0.0 if wrong else 1.0), wrong


def _split_format(path: str) -> tuple[str, str]:
    for suffix in FORMATS:
        if path.endswith(suffix):
            return path[: -len(suffix)], suffix
    return path, ""


def _filepath_check(name: str, found: dict, expected: dict) -> tuple[float, list]:
    got, want = str(found.get("filepath")), str(expected.get("filepath"))
    where = f"{name} filepath"
    weights_only, want_weights_only = found.get("save_weights_only"), expected.get("save_weights_only")
    if got == want and _same(weights_only, want_weights_only):
        return 1.0, []
    stem, suffix = _split_format(got)
    want_stem, _want_suffix = _split_format(want)
    if stem == want_stem and suffix:
        if weights_only is True:
            return PARTIAL_FILEPATH, [_(
                "{where}: expected {expected}, found {found} with save_weights_only=True: a weights-only file "
                "cannot be opened with keras.models.load_model: half of this check.").format(
                where=where, expected=_shown(want), found=_shown(got))]
        return PARTIAL_FILEPATH, [_(
            "{where}: expected {expected}, found {found}: the older HDF5 format still works, but Keras 3 saves "
            "whole models as .keras: half of this check.").format(where=where, expected=_shown(want),
                                                                   found=_shown(got))]
    if not got.startswith(CHECKPOINT_DIR + "/"):
        return 0.0, [_("{where}: expected {expected}, found {found}: build the path with "
                       "os.path.join(checkpoint_dir, ...), so that the files go where the caller asks.").format(
            where=where, expected=_shown(want), found=_shown(got))]
    return 0.0, [_("{where}: expected {expected}, found {found}.").format(where=where, expected=_shown(want),
                                                                        found=_shown(got))]


def _extras_check(items: list, slots: dict, count: int) -> tuple[float, list]:
    """Nothing in the list but the callbacks asked for (none of them at all earns nothing either)."""
    if not slots:
        return 0.0, [_("None of the callbacks asked for is in the list.")]
    graded = set(slots.values())
    messages = []
    for index, item in enumerate(items):
        if index in graded:
            continue
        number = index + 1
        if item.get("class") in CALLBACKS or "subclass" in item:
            kind = item.get("class") or item.get("of")
            messages.append(_("Item {number} is a second {name}; only the first one was graded.").format(
                number=number, name=kind))
        elif item.get("callback") is False:
            messages.append(_("Item {number} ({type}) is not a Keras callback.").format(
                number=number, type=item.get("extra")))
        else:
            messages.append(_("Item {number} ({name}) is not one of the callbacks asked for.").format(
                number=number, name=item.get("extra") or item.get("class")))
    if count > len(items):
        messages.append(_("The list has {count} items; only the first {shown} were looked at.").format(
            count=count, shown=len(items)))
    return (0.0 if messages else 1.0), messages


# --- the declarations ----------------------------------------------------------------------------------

PRACTICES = [
    declare(
        "compile",
        check=CompilePractice,
        function="compile_model",
        reference="keras_callbacks",
        title=N_("Compile a model with the lesson's optimizer, loss and metric"),
        rubric=Rubric(public={"optimizer": 3, "loss": 3, "metrics": 2},
                      hidden={"learning rate": 1, "other settings": 1}),
        spec="compile.json",
    ),
    declare(
        "callbacks",
        check=CallbacksPractice,
        function="make_callbacks",
        reference="keras_callbacks",
        title=N_("Make the lesson's three callbacks"),
        rubric=Rubric(public={"ReduceLROnPlateau settings": 3, "EarlyStopping settings": 3},
                      hidden={"ModelCheckpoint settings": 3, "no extra items": 1}),
        spec="callbacks.json",
    ),
]
