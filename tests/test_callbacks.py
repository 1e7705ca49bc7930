"""The keras_callbacks assignment: its two declared practices graded through the real pipeline.

One grading run (the module's ``graded`` fixture) grades, with the practices that
``exercises/keras_callbacks/practices.py`` declares and the reference answers of
``reference/keras_callbacks.py``:

- the samples of ``tests/submissions_callbacks``, each of which states in its first comment lines what it
  must score (``# expect: compile=X callbacks=Y``, with the arithmetic) and what its feedback must say
  (``# feedback: PRACTICE: text``);
- the demo class of ``demo/keras_callbacks`` (the scores below, which each file's header explains);
- the assignment's source notebook, whose solutions must earn every point.

The rest reads files or grades in this process: the public spec data is what the reference answer gives, the
notebook's cells follow the declarations and its solutions are the reference answers, and hostile evidence is
refused by ``validate`` before anything is rebuilt.
"""

from __future__ import annotations

import ast
import copy
import inspect
import json
import math
import re
import textwrap
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, load_reference
from graders import i18n
from graders.grade import grade_submissions, select_practices
from graders.practices.cells import notebook_problems
from graders.practices.discover import practices_for

ASSIGNMENT = "keras_callbacks"
FOLDER = ROOT / "exercises" / ASSIGNMENT
NOTEBOOK = FOLDER / f"{ASSIGNMENT}.ipynb"
SAMPLES = sorted((ROOT / "tests" / "submissions_callbacks").glob("*.py"))
DEMO = ROOT / "demo" / ASSIGNMENT
#: the demo class's scores: (compile, callbacks); each file's header gives the arithmetic
DEMO_SCORES = {
    "alice": (10, 10),
    "ben": (8, 7.9),
    "chen": (8.5, 6.9),
    "dana": (8.5, 6.4),
    "eli": (0, 0),
}
#: files hostile_forged_evidence.py names in its forged evidence: nothing may create them
MARKERS = (Path("/tmp/hostile-marker-callbacks"), Path("/etc/hostile-marker-callbacks.keras"))
DIRECTIVE = re.compile(r"#\s*(expect|feedback):\s*(.*?)\s*$")


def practices():
    return {p.name: p for p in practices_for(ASSIGNMENT, ROOT)}


def expectations(path: Path) -> tuple[dict, list]:
    """A sample's ``expect`` scores and ``feedback`` lines, from its leading comment lines."""
    scores, feedback = {}, []
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        match = DIRECTIVE.fullmatch(line)
        if not match:
            continue
        kind, value = match.groups()
        if kind == "expect":
            for item in value.split():
                name, _, score = item.partition("=")
                scores[name] = float(score)
        else:
            practice, _, text = value.partition(": ")
            feedback.append((practice, text))
    assert scores, f"{path.name} states no expected scores"
    return scores, feedback


@pytest.fixture(scope="module")
def graded() -> dict[str, dict]:
    """Every sample, the demo class and the source notebook, graded in one run; reports by file name."""
    for marker in MARKERS:
        if marker.exists():
            marker.unlink()
    paths = [str(p) for p in SAMPLES] + [str(p) for p in sorted(DEMO.glob("*.py"))] + [str(NOTEBOOK)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADERS_SHORT_RUN", "1")  # the notebook's training cell: one epoch on a small slice
        reports = list(grade_submissions(paths, select_practices(None, ASSIGNMENT, ROOT), parallel=2,
                                         reference_dir=ROOT / "reference"))
    return {Path(r["submission"]).name: r for r in reports}


def test_the_corpus_is_large_enough():
    kinds = {path.name.split("_")[0] for path in SAMPLES}
    assert len(SAMPLES) >= 10 and {"honest", "partial", "tricky", "hostile"} <= kinds, sorted(p.name for p in SAMPLES)


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_each_sample_scores_what_it_states(graded, sample):
    scores, feedback = expectations(sample)
    report = graded[sample.name]
    assert report["error"] is None, report["error"]
    found = {name: result["score"] for name, result in report["practices"].items()}
    assert found == pytest.approx(scores, abs=1e-9), (
        f"{sample.name}: expected {scores}, found {found}\n" + json.dumps(report["practices"], indent=1)[:3000])
    for practice, text in feedback:
        lines = report["practices"][practice]["feedback"]
        assert any(text in line for line in lines), f"{sample.name}: no {practice} feedback line has {text!r}: {lines}"


def test_the_forged_evidence_ran_nothing(graded):
    assert graded["hostile_forged_evidence.py"]["practices"]["compile"]["score"] == 4.5
    assert [m for m in MARKERS if m.exists()] == [], "a forged setting made the grader write a file"


@pytest.mark.parametrize("student", sorted(DEMO_SCORES))
def test_the_demo_class(graded, student):
    compile_score, callbacks_score = DEMO_SCORES[student]
    report = graded[f"{student}.py"]
    found = (report["practices"]["compile"]["score"], report["practices"]["callbacks"]["score"])
    assert found == pytest.approx((compile_score, callbacks_score)), f"{student}: {found}"
    assert report["max_total"] == 20
    header = (DEMO / f"{student}.py").read_text()
    total = round(compile_score + callbacks_score, 2)
    assert f"Total {total:g} / 20" in header, f"{student}.py's header does not state its total {total:g}"
    assert (DEMO / f"{student}.py").exists() and (ROOT / "demo" / "students" / f"{student}.py").exists(), (
        "the demo students of both assignments share their names, so that reports join them")


def test_the_demo_feedback_names_each_setting(graded):
    ben = graded["ben.py"]["practices"]
    assert "ReduceLROnPlateau patience: expected 5, found 3." in ben["callbacks"]["feedback"]
    assert "EarlyStopping min_delta: expected 0.001, found 0." in ben["callbacks"]["feedback"]
    assert "Learning rate: expected 0.001, found 0.01." in ben["compile"]["feedback"]
    criteria = {c["name"]: c for c in ben["callbacks"]["criteria"]}
    assert criteria["ReduceLROnPlateau settings"]["score"] == 2.4 and criteria["ReduceLROnPlateau settings"]["public"]
    assert criteria["ModelCheckpoint settings"]["public"] is False
    dana = graded["dana.py"]["practices"]["callbacks"]["feedback"]
    assert any("QuietCheckpoint is a subclass of keras.callbacks.ModelCheckpoint" in line for line in dana), dana
    chen = graded["chen.py"]["practices"]["callbacks"]["feedback"]
    assert "Item 4 (CSVLogger) is not one of the callbacks asked for." in chen
    eli = graded["eli.py"]["practices"]["compile"]
    assert eli["error"] == "compile_model is not defined; define it with `def compile_model(...)`"


def test_the_source_notebook_earns_every_point(graded):
    report = graded[NOTEBOOK.name]
    assert report["error"] is None and report["total"] == 20, json.dumps(report, indent=1)[:3000]
    assert not [n for n in report["notes"] if "stopped" in n], report["notes"]


# --- the declarations, the spec data and the notebook --------------------------------------------------


def test_the_rubrics_and_grade_cells():
    declared = practices()
    assert list(declared) == ["compile", "callbacks"]
    assert declared["compile"].rubric.criteria == {"optimizer": 3, "loss": 3, "metrics": 2, "learning rate": 1,
                                                   "other settings": 1}
    assert declared["callbacks"].rubric.criteria == {"ReduceLROnPlateau settings": 3, "EarlyStopping settings": 3,
                                                     "ModelCheckpoint settings": 3, "no extra items": 1}
    assert declared["compile"].grade_cells() == {"compile-public": 8, "compile-hidden": 2}
    assert declared["callbacks"].grade_cells() == {"callbacks-public": 6, "callbacks-hidden": 4}
    assert notebook_problems(NOTEBOOK, list(declared.values())) == []


def _reference_data(name: str) -> dict:
    """What the reference answer gives for a practice: collected, validated and examined in this process."""
    practice = practices()[name]
    answer = getattr(load_reference(practice.reference), practice.function)
    evidence = json.loads(json.dumps(practice.collect(answer, {}, {})))
    return json.loads(json.dumps(practice.examine(practice.validate(evidence))))


@pytest.mark.parametrize("name", ["compile", "callbacks"])
def test_the_public_spec_data_is_what_the_reference_gives(name):
    practice = practices()[name]
    assert practice.public_reference() == _reference_data(name), (
        f"{practice.spec} is out of date with reference/{practice.reference}.py: python tests/test_callbacks.py "
        "writes it again")


@pytest.mark.parametrize("name", ["compile", "callbacks"])
def test_the_reference_answer_earns_every_point_against_the_spec(name):
    practice = practices()[name]
    result = practice.finish(practice.score(_reference_data(name), practice.public_reference(), {}))
    assert result.score == practice.max_score == 10, result.feedback


def _solutions() -> dict:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in notebook.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


@pytest.mark.parametrize("name", ["compile", "callbacks"])
def test_the_notebooks_solution_is_the_reference_answer(name):
    practice = practices()[name]
    solution = _solutions()[practice.answer_cell]
    body = solution.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]
    notebook_statements = ast.parse(textwrap.dedent(body)).body
    function = getattr(load_reference(practice.reference), practice.function)
    reference = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0].body[1:]  # after the docstring
    assert [ast.dump(s) for s in notebook_statements] == [ast.dump(s) for s in reference], (
        f"the solution cell {practice.answer_cell} differs from reference/{practice.reference}.py")


def test_the_notebook_states_the_lessons_settings():
    text = "\n".join(c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "markdown")
    for setting in ('monitor="val_loss"', "factor=0.2", "patience=5", "min_lr=1e-7", "patience=10",
                    "min_delta=0.001", '"{epoch:02d}-{val_loss:.2f}.keras"', 'save_freq="epoch"',
                    "keras.optimizers.Adam()", "keras.losses.CategoricalCrossentropy()",
                    "keras.metrics.CategoricalAccuracy()", ".weights.h5", "subclass"):
        assert setting in text, f"the notebook's instructions do not state {setting}"


# --- hostile evidence, refused before anything is rebuilt ----------------------------------------------


def _callbacks_evidence() -> dict:
    item = {"class": "keras.callbacks.EarlyStopping", "exact": True, "callback": True, "bases": ["EarlyStopping"],
            "settings": {"monitor": "val_loss", "patience": 10, "min_delta": 0.001}, "other": {}}
    return {"checkpoint_dir": "/tmp/x", "count": 1, "items": [item]}


def _compile_evidence() -> dict:
    return {"optimizer": {"name": "adam"}, "loss": {"function": "categorical_crossentropy", "module": "keras.src"},
            "metrics": [{"class": "CategoricalAccuracy", "module": "keras.metrics", "exact": True, "settings": {},
                         "other": {}}], "metrics_count": 1}


HOSTILE_CALLBACKS = {
    "an extra key": lambda e: e.update(run="rm -rf /"),
    "a missing key": lambda e: e.pop("count"),
    "21 items": lambda e: e.update(items=e["items"] * 21),
    "a negative count": lambda e: e.update(count=-1),
    "a bool count": lambda e: e.update(count=True),
    "a NaN setting": lambda e: e["items"][0]["settings"].update(patience=math.nan),
    "an infinite setting": lambda e: e["items"][0]["settings"].update(patience=math.inf),
    "a huge integer": lambda e: e["items"][0]["settings"].update(patience=10**30),
    "a nested setting": lambda e: e["items"][0]["settings"].update(patience={"class_name": "Lambda"}),
    "a list setting": lambda e: e["items"][0]["settings"].update(patience=[5]),
    "a setting name that is no identifier": lambda e: e["items"][0]["settings"].update({"a b": 1}),
    "41 settings": lambda e: e["items"][0]["settings"].update({f"s{i}": i for i in range(41)}),
    "a control character": lambda e: e["items"][0].update({"class": "keras.callbacks.\x1b[2J"}),
    "a long class name": lambda e: e["items"][0].update({"class": "x" * 201}),
    "a string flag": lambda e: e["items"][0].update(exact="yes"),
    "too many bases": lambda e: e["items"][0].update(bases=["EarlyStopping"] * 4),
    "an item that is a list": lambda e: e.update(items=[["keras.callbacks.EarlyStopping"]]),
    "a long value": lambda e: e["items"][0]["settings"].update(monitor="v" * 4097),
    "too long in all": lambda e: e["items"][0]["settings"].update(
        {f"s{i}": "v" * 4000 for i in range(36)}) or e.update(items=e["items"] * 2),
}
HOSTILE_COMPILE = {
    "an extra key": lambda e: e.update(jit_compile=True),
    "a fifth shape of item": lambda e: e.update(optimizer={"name": "adam", "config": {}}),
    "a module that is not text": lambda e: e["loss"].update(module=["keras"]),
    "metrics not a list": lambda e: e.update(metrics={"name": "accuracy"}),
    "21 metrics": lambda e: e.update(metrics=e["metrics"] * 21),
    "a None metric": lambda e: e.update(metrics=[None]),
    "a negative count": lambda e: e.update(metrics_count=-3),
}


@pytest.mark.parametrize("change", HOSTILE_CALLBACKS, ids=list(HOSTILE_CALLBACKS))
def test_validate_refuses_malformed_callbacks_evidence(change):
    practice = practices()["callbacks"]
    practice.validate(_callbacks_evidence())  # the well-formed evidence passes
    evidence = copy.deepcopy(_callbacks_evidence())
    HOSTILE_CALLBACKS[change](evidence)
    with pytest.raises(ValueError):
        practice.validate(json.loads(json.dumps(evidence)))


@pytest.mark.parametrize("change", HOSTILE_COMPILE, ids=list(HOSTILE_COMPILE))
def test_validate_refuses_malformed_compile_evidence(change):
    practice = practices()["compile"]
    practice.validate(_compile_evidence())
    evidence = copy.deepcopy(_compile_evidence())
    HOSTILE_COMPILE[change](evidence)
    with pytest.raises(ValueError):
        practice.validate(json.loads(json.dumps(evidence)))


def test_examine_refuses_what_is_not_allow_listed():
    """Classes, functions, names and settings outside the allow-lists are refused with a reason, never built."""
    practice = practices()["compile"]
    evidence = practice.validate({
        "optimizer": {"class": "LossScaleOptimizer", "module": "keras.optimizers", "exact": True, "settings": {},
                      "other": {}},
        "loss": {"class": "CategoricalCrossentropy", "module": "keras.losses", "exact": True,
                 "settings": {"from_logits": False, "run": "os.system"}, "other": {}},
        "metrics": [{"function": "categorical_accuracy", "module": "__main__"}, {"name": "eval"},
                    {"class": "AUC", "module": "keras.metrics", "exact": True, "settings": {"num_thresholds": 10**9},
                     "other": {}}],
        "metrics_count": 3,
    })
    data = practice.examine(evidence)
    assert data["optimizer"]["reason"] == "LossScaleOptimizer is not one of the Keras classes the grader rebuilds"
    assert data["loss"]["reason"] == "CategoricalCrossentropy has no setting run that the grader rebuilds"
    reasons = [m["reason"] for m in data["metrics"]]
    assert reasons == [
        "categorical_accuracy is a function of your own, not Keras's; use the Keras metric",
        "'eval' is not a Keras metric the grader knows",
        "AUC is not one of the Keras classes the grader rebuilds",
    ]
    callbacks = practices()["callbacks"]
    evidence = _callbacks_evidence()
    evidence["items"][0]["settings"]["patience"] = "ten"
    evidence["items"].append({"class": "keras.callbacks.ReduceLROnPlateau", "exact": True, "callback": True,
                              "bases": [], "settings": {"factor": 2.0}, "other": {}})
    items = callbacks.examine(callbacks.validate(evidence))["items"]
    assert items[0] == {"class": "EarlyStopping", "settings": {
        "monitor": "val_loss", "min_delta": 0.001, "patience": "ten", "mode": "auto", "baseline": None,
        "restore_best_weights": False, "start_from_epoch": 0}}, "Keras takes any patience; it is scored as found"
    refused = "Keras could not make ReduceLROnPlateau from its settings (ValueError: "
    assert items[1]["refused"].startswith(refused), items


def test_feedback_in_korean():
    practice = practices()["callbacks"]
    data = copy.deepcopy(practice.public_reference())
    data["items"][0]["settings"]["patience"] = 3
    data["items"].pop()
    data["count"] = 2
    with i18n.language("ko"):
        result = practice.finish(practice.score(data, practice.public_reference(), {}))
    assert result.score == pytest.approx(3 * 4 / 5 + 3 + 0 + 1)
    assert "ReduceLROnPlateau patience: 5이어야 하는데 3입니다." in result.feedback, result.feedback
    assert "목록에 keras.callbacks.ModelCheckpoint이(가) 없습니다." in result.feedback, result.feedback


if __name__ == "__main__":  # writes the public spec data from the reference answers
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    for practice in practices().values():
        path = FOLDER / practice.spec
        path.write_text(json.dumps(_reference_data(practice.name), indent=1) + "\n")
        print("wrote", path.relative_to(ROOT))
