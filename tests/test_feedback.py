"""Feedback that explains every lost point, says what really differs, and reads whole.

The invariant tests read the shared grading runs of the corpus (``corpus_run``)
and of the demo class (``demo_class_reports``); they make no grading run of
their own. The others grade single models in this process, as a notebook does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from conftest import QUIET_TENSORFLOW, ROOT, CorpusRun

WIRING_HINT = "check which layer feeds which"


def unexplained(reports) -> list[str]:
    """``submission practice criterion score/max`` for each criterion below its points with no message."""
    found = []
    for report in reports:
        for name, practice in report["practices"].items():
            for criterion in practice.get("criteria", []):
                if criterion["score"] < criterion["max_score"] and not (criterion.get("message") or "").strip():
                    found.append(f"{report['submission']} {name} {criterion['name']} "
                                 f"{criterion['score']:g}/{criterion['max_score']:g}")
    return found


def test_every_lost_point_of_the_corpus_has_a_message(corpus_run: CorpusRun):
    assert corpus_run.reports, f"the corpus run produced no report; stderr:\n{corpus_run.stderr[-2000:]}"
    silent = unexplained(corpus_run.reports.values())
    assert not silent, "criteria below their points without a message:\n" + "\n".join(silent)


def test_every_lost_point_of_the_demo_class_has_a_message(demo_class_reports):
    assert demo_class_reports, "the demo class produced no report"
    silent = unexplained(demo_class_reports)
    assert not silent, "criteria below their points without a message:\n" + "\n".join(silent)


def _criterion(run: CorpusRun, sample: str, practice: str, name: str) -> dict:
    report = run.reports.get(f"tests/submissions/{sample}")
    assert report is not None, f"{sample}: not in the corpus run"
    criteria = {c["name"]: c for c in report["practices"][practice]["criteria"]}
    assert name in criteria, f"{sample}: {practice} has no criterion {name!r}: {sorted(criteria)}"
    return criteria[name]


@pytest.mark.parametrize("sample", ["near_pools_swapped.py", "feedback_kinds_differ_wiring_right.py",
                                    "miss_concatenate.py"])
def test_right_wiring_with_other_kinds_is_not_called_a_wiring_mistake(corpus_run: CorpusRun, sample):
    whole = _criterion(corpus_run, sample, "practice2", "whole graph")
    assert whole["score"] == 0, f"{sample}: the whole graph should be lost: {whole}"
    assert WIRING_HINT not in whole["message"], f"{sample}: its wiring is spec 2's, yet: {whole['message']}"
    assert "connected as in spec 2" in whole["message"] and "should be" in whole["message"], whole["message"]


@pytest.mark.parametrize("sample", ["near_skip_from_conv.py", "near_zero_padding_valid.py"])
def test_a_wiring_mistake_is_called_one(corpus_run: CorpusRun, sample):
    whole = _criterion(corpus_run, sample, "practice2", "whole graph")
    assert WIRING_HINT in whole["message"], f"{sample}: the wiring differs, yet: {whole['message']}"


def test_a_missing_layer_costs_under_layers_only(corpus_run: CorpusRun):
    # Dense(64) is left out of spec 1: the three other layers with settings are right
    settings = _criterion(corpus_run, "feedback_missing_layer.py", "practice1", "layer settings")
    layers = _criterion(corpus_run, "feedback_missing_layer.py", "practice1", "layers and their order")
    assert settings["score"] == settings["max_score"], f"the missing layer is charged again: {settings}"
    assert "Missing layer: layer 4" in layers["message"], layers


# --- graded in this process, as a notebook's self-check does ---------------------------------------

keras = pytest.importorskip("keras")
layers = keras.layers

from graders import notebook  # noqa: E402
from graders.describe import describe_model  # noqa: E402
from graders.practices import PRACTICES  # noqa: E402


def score_model(practice: str, model) -> dict:
    """``{criterion: (score, message)}`` of ``model`` against the public spec data."""
    result = PRACTICES[practice].score(describe_model(model), notebook.public_reference(practice), {})
    return {c.name: (c.score, c.message) for c in result.criteria}


def spec1(hidden=None, head=None):
    return keras.Sequential([
        keras.Input((28, 28)), layers.Flatten(), hidden or layers.Dense(128, activation="relu"),
        layers.Dropout(0.2), layers.Dense(64, activation="relu"), head or layers.Dense(10, activation="softmax"),
    ])


@pytest.mark.parametrize("make, found", [
    (lambda: [layers.Dense(128), layers.ReLU(max_value=6)], "'relu6'"),
    (lambda: [layers.Dense(128), layers.ReLU(max_value=3)], "'relu (max_value 3)'"),
    (lambda: [layers.Dense(128), layers.ReLU(threshold=1.0)], "'relu (threshold 1)'"),
    (lambda: [layers.Dense(128), layers.LeakyReLU(negative_slope=0.2)], "'leaky_relu (negative_slope 0.2)'"),
    (lambda: [layers.Dense(128), layers.ELU(alpha=0.5)], "'elu (alpha 0.5)'"),
    (lambda: [layers.Dense(128, activation="leaky_relu")], "'leaky_relu'"),
], ids=["relu6", "capped", "threshold", "leaky", "elu", "leaky by name"])
def test_relu_variants_are_not_plain_relu(make, found):
    model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), *make(), layers.Dropout(0.2),
                              layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")])
    score, message = score_model("practice1", model)["layer settings"]
    assert score == 2.25, f"3 x 3/4 expected for one wrong activation, got {score}: {message}"
    assert f"layer 2 (Dense): expected activation 'relu', found {found}" in message, message


def test_a_plain_relu_layer_and_a_last_axis_softmax_cost_nothing():
    model = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(128), layers.ReLU(),
                              layers.Dropout(0.2), layers.Dense(64), layers.LeakyReLU(negative_slope=0.0),
                              layers.Dense(10), layers.Softmax(axis=1)])
    criteria = score_model("practice1", model)
    assert sum(score for score, _ in criteria.values()) == 10, criteria


def test_conv_strides_and_pool_padding_that_pads_are_settings():
    inputs = keras.Input((48, 48, 3))
    x = layers.Conv2D(3, 3, strides=2, padding="same", activation="relu")(inputs)  # 24x24
    x = layers.MaxPool2D(2, strides=1, padding="same")(x)  # pads one row and column: 24x24
    x = layers.Add()([x, layers.AvgPool2D(2)(inputs)])
    x = layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    score, message = score_model("practice2", model)["layer settings"]
    assert "L2 (Conv2D): expected strides (1, 1), found (2, 2)" in message, message
    assert "L3 (MaxPooling2D): expected strides (2, 2), found (1, 1)" in message, message
    assert "L3 (MaxPooling2D): expected padding 'valid', found 'same'" in message, message
    assert score == 0.75, f"L2 and L3 wrong of four: 1.5 x 2/4 = 0.75, got {score}"


def test_check_covers_every_criterion_of_a_visible_spec(capsys):
    notebook.check("practice1", lambda: spec1(hidden=layers.Dense(128, activation="sigmoid")))
    out = capsys.readouterr().out
    assert "[--] layer settings: 2.25 / 3" in out, f"the self-check must show the wrong activation:\n{out}"
    assert "expected activation 'relu', found 'sigmoid'" in out, out
    assert "9.25 / 10" in out, f"the self-check's total is the whole rubric's:\n{out}"


def test_grade_cells_keep_their_split_of_points(capsys):
    answer = lambda: spec1(hidden=layers.Dense(128, activation="sigmoid"))  # noqa: E731
    assert notebook.score("practice1", answer, points=5) == 5
    assert notebook.score("practice1", answer, points=5, hidden=True) == 4.25
    out = capsys.readouterr().out
    public, hidden = out.split("practice1 (hidden checks)")
    assert "layer settings" not in public and "layer settings" in hidden, out


@pytest.fixture
def own_run(tmp_path, monkeypatch):
    """A student's own training run in ``CHECKPOINT_DIR`` of the notebook's namespace (``__main__``)."""
    directory = PRACTICES["practice3"].context(str(tmp_path), public=True)["directories"][0]["path"]
    monkeypatch.setattr(sys.modules["__main__"], "CHECKPOINT_DIR", directory, raising=False)
    return directory


def _first_file(checkpoint_dir):
    return os.path.join(checkpoint_dir, sorted(os.listdir(checkpoint_dir))[0])


def test_practice3_self_check_and_grade_cells_show_the_own_run(own_run, capsys):
    notebook.check("practice3", _first_file)
    checked = capsys.readouterr().out
    assert "[--] Best checkpoint: minimum in the middle" in checked, checked
    assert "On your own training run (CHECKPOINT_DIR)" in checked, f"the own run's feedback is missing:\n{checked}"
    notebook.score("practice3", _first_file, points=2)
    scored = capsys.readouterr().out
    assert "On your own training run (CHECKPOINT_DIR)" in scored, f"the grade cell drops the own run:\n{scored}"


def test_feedback_lines_wrap_and_keep_every_word():
    from graders.present.text import format_report

    message = ("L4 (AveragePooling2D(pool 2x2)) should take L1 (the input); your AveragePooling2D "
               "'average_pooling2d_with_a_long_name' takes 'conv2d' (Conv2D, which plays L2). ") * 2
    criteria = [{"name": "connections", "score": 2.5, "max_score": 3, "message": message.strip()}]
    cell = notebook.format_scores("practice2 (public checks)", criteria, notes=["/a/" + "very_long_folder/" * 12])
    report = format_report({"submission": "x.py", "error": None, "notes": [], "total": 2.5, "max_total": 3,
                            "practices": {"practice2": {"score": 2.5, "max_score": 3,
                                                        "feedback": [message.strip()], "error": None}}})
    for text in (cell, report):
        widest = max(len(line) for line in text.splitlines())
        assert widest <= notebook.WIDTH, f"a line of {widest} columns:\n{text}"
        words = " ".join(line.strip() for line in text.splitlines())
        assert "'average_pooling2d_with_a_long_name' takes 'conv2d'" in words, f"words were lost:\n{text}"
    assert "very_long_folder/very_long_folder" in cell.replace("\n    ", ""), f"the path is cut:\n{cell}"


def test_self_checks_leave_nothing_in_the_temporary_folder(tmp_path):
    script = textwrap.dedent("""
        import __main__
        import graders

        def find_best_checkpoint(checkpoint_dir):
            import os
            return os.path.join(checkpoint_dir, sorted(os.listdir(checkpoint_dir))[0])

        __main__.find_best_checkpoint = find_best_checkpoint
        graders.check("practice3")
        graders.notebook.score("practice3", find_best_checkpoint, points=2)
    """)
    env = {**os.environ, **QUIET_TENSORFLOW, "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "practice3, self-check" in done.stdout, done.stdout
    left = sorted(p.name for p in tmp_path.iterdir())
    assert not left, f"the self-check left {left} in its temporary folder"


def test_korean_lines_wrap_by_the_columns_they_take():
    """Hangul takes two columns: a Korean feedback line wraps at about WIDTH columns, not WIDTH letters."""
    from graders.notebook import WIDTH
    from graders.present.text import display_width, wrap

    sentence = "레이어 2 (Dense): 활성화 함수는 relu여야 하는데 sigmoid입니다. 스펙 1의 표를 확인하세요. " * 4
    lines = wrap(sentence, WIDTH, "  - ", "    ")
    assert len(lines) >= 3 and "".join(lines).replace(" ", "") == "-" + sentence.replace(" ", "")
    # words are not broken, so a line may end a word short of WIDTH: at most a word (10 columns) over
    assert max(display_width(line) for line in lines) <= WIDTH + 10, [display_width(line) for line in lines]
    english = "layer 2 (Dense): expected activation 'relu', found 'sigmoid'. " * 4
    assert max(len(line) for line in wrap(english, WIDTH)) <= WIDTH
