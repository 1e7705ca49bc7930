"""Korean and English: the language choice, the catalog, the Korean notebook, and a class graded in Korean.

Only ``test_the_demo_class_graded_in_korean_*`` grades (one CLI run of the five demo students),
``test_the_runners_messages_are_korean`` grades four corpus samples (one CLI run with a short
``--timeout``) and ``test_the_self_check_speaks_korean`` builds one model; the rest reads files.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from graders import i18n, lesson_ko
from graders.cli import choose_language

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "graders" / "locale" / "ko" / "LC_MESSAGES"
HANGUL = re.compile("[가-힣]")

# --- what counts as an English sentence in Korean feedback ----------------------------------------
#
# Keras identifiers (val_loss, keras.Input, Dense), layer names and paths may stay as they are; a run
# of three or more plain lowercase words with at least one common English word among them may not.

STOP_WORDS = frozenset(
    "a an the is are was were be been has have had it its this that these those of to in on at by for from "
    "with and or but not no should must expected found your you returned return function layer layers "
    "model input output directory file checkpoint which when than there could cannot does did".split()
)
#: code and names the feedback quotes: `...`, '...', "..."
_QUOTED = re.compile(r"`[^`]*`|'[^'\n]*'|\"[^\"\n]*\"")
#: a student's exception as Python words it ("ValueError: could not convert string to float"),
#: up to the Korean text around it (or up to an untranslated "(line 3 of your code)", which counts)
_EXCEPTION = re.compile(r"\b[A-Z]\w*(?:Error|Exception)\b:.*?(?= \(line \d+ of |[가-힣]|$)")
_WORD_RUN = re.compile(r"(?<![\w.\-/])[a-z]+(?:[ ,;:]+[a-z]+){2,}(?![\w.\-/(])")


def english_sentences(text: str) -> list[str]:
    """The runs of plain English words in ``text`` once quoted names, code and exceptions are left out."""
    text = re.sub(r"\s*\n\s*", " ", text)  # a wrapped line is one sentence
    text = _EXCEPTION.sub(" ", text)
    text = _QUOTED.sub(" ", text)
    return [run for run in _WORD_RUN.findall(text) if STOP_WORDS & set(re.split(r"[ ,;:]+", run))]


def test_the_english_sentence_detector_catches_english_feedback():
    english = [
        "layer 2 (Dense): expected activation 'relu', found 'sigmoid'.",
        "Taken as a whole, your graph is not the one in spec 2: check which layer feeds which.",
        "find_best_checkpoint is not defined; define it with `def find_best_checkpoint(...)`",
        "No value.",
    ]
    flagged = [line for line in english if english_sentences(line)]
    assert flagged == english[:3], f"the detector missed English sentences: {set(english[:3]) - set(flagged)}"
    korean = ("'가중치만 저장한 .weights.h5 파일' 디렉터리에서 find_best_checkpoint이(가) 예외를 일으켰습니다: "
              "ValueError: could not convert string to float: '0.91.weights' (작성한 코드의 32번째 줄). 이 디렉터리에는")
    assert english_sentences(korean) == [], "a student's exception text counted as our English"
    untranslated_place = korean.replace("(작성한 코드의 32번째 줄)", "(line 32 of your code)")
    assert english_sentences(untranslated_place) == ["of your code"], "an English place after an exception was missed"


# --- choosing the language --------------------------------------------------------------------------


@pytest.fixture
def no_language(monkeypatch):
    for name in (i18n.LANG_ENV, *i18n.LOCALE_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_english_by_default_then_the_locale_then_graders_lang(no_language):
    assert i18n.current_language() == "en", "with nothing set, messages should be English"
    no_language.setenv("LANG", "ko_KR.UTF-8")
    assert i18n.current_language() == "ko", "a Korean LANG should choose Korean"
    no_language.setenv("LC_ALL", "C.UTF-8")
    assert i18n.current_language() == "en", "LC_ALL comes before LANG, as in gettext"
    no_language.setenv("LANGUAGE", "ko:en")
    assert i18n.current_language() == "ko", "LANGUAGE comes first of the locale variables"
    no_language.setenv(i18n.LANG_ENV, "en")
    assert i18n.current_language() == "en", "GRADERS_LANG should win over the locale"
    no_language.setenv(i18n.LANG_ENV, "ko")
    assert i18n.current_language() == "ko"


def test_the_lang_flag_wins_and_reaches_child_processes(no_language):
    no_language.setenv(i18n.LANG_ENV, "en")
    rest = choose_language(["grade", "--json", "--lang", "ko", "alice.py"])
    assert rest == ["grade", "--json", "alice.py"], f"--lang was not taken out of the command line: {rest}"
    assert os.environ[i18n.LANG_ENV] == "ko", "--lang ko should set GRADERS_LANG for the grader's children"
    child = subprocess.run([sys.executable, "-c", "from graders.i18n import current_language as c; print(c())"],
                           capture_output=True, text=True, check=True)
    assert child.stdout.strip() == "ko", "a child process does not inherit the language"
    assert choose_language(["--lang=en", "grade", "--", "--lang"]) == ["grade", "--", "--lang"]
    assert os.environ[i18n.LANG_ENV] == "en"


def test_a_message_is_shown_in_the_chosen_language():
    from graders.rubric import criterion_title

    with i18n.language("ko"):
        title = criterion_title("Best checkpoint: three-digit epochs")
        assert HANGUL.search(title) and "epoch" in title, f"not translated part by part: {title!r}"
        assert HANGUL.search(i18n._("layer settings"))
    with i18n.language("en"):
        assert criterion_title("Best checkpoint: three-digit epochs") == "Best checkpoint: three-digit epochs"


# --- the catalog ------------------------------------------------------------------------------------


def _source_messages() -> set:
    """Every message marked in the package, extracted by Babel as ``pybabel extract -F babel.cfg`` does."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    return {message for _file, _line, message, _comments, _context in
            extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)}


def _catalog():
    with open(CATALOG / "graders.po", "rb") as handle:
        return read_po(handle, locale="ko", domain="graders")


def test_every_message_in_the_source_is_in_the_korean_catalog():
    marked = _source_messages()
    catalog = _catalog()
    known = {message.id for message in catalog if message.id}
    assert len(marked) > 150, f"only {len(marked)} marked messages: is babel.cfg reading graders/?"
    missing = sorted(map(str, marked - known))
    assert not missing, f"{len(missing)} messages are not in graders.po (pybabel update, then translate): {missing[:5]}"
    obsolete = sorted(map(str, known - marked))
    assert not obsolete, f"graders.po has messages the source no longer uses: {obsolete[:5]}"


def test_every_korean_message_is_translated_with_the_same_placeholders():
    for message in _catalog():
        if not message.id:
            continue
        assert not message.fuzzy, f"fuzzy translation: {message.id!r}"
        source = " ".join(message.id) if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            words = re.search("[a-z]{3}", re.sub(r"\{\w+\}", "", source))
            assert string and (string != source or not words), f"untranslated: {message.id!r}"
            assert set(re.findall(r"\{(\w*)\}", string)) == set(re.findall(r"\{(\w*)\}", source)), (
                f"the placeholders differ in {message.id!r}: {string!r}")


def test_the_committed_mo_is_the_compiled_po():
    compiled = io.BytesIO()
    write_mo(compiled, _catalog())
    committed = (CATALOG / "graders.mo").read_bytes()
    assert compiled.getvalue() == committed, (
        "graders.mo is out of date: pybabel compile -d graders/locale -D graders")


# --- the Korean notebook ---------------------------------------------------------------------------


def _notebooks():
    english = nbformat.read(ROOT / lesson_ko.ENGLISH, as_version=4)
    translations = lesson_ko.read_translations(ROOT / lesson_ko.TRANSLATIONS)
    committed = nbformat.read(ROOT / lesson_ko.KOREAN, as_version=4)
    return english, translations, committed


def test_every_english_markdown_cell_has_an_up_to_date_translation():
    english, translations, _ = _notebooks()
    assert lesson_ko.untranslated(english, translations) == [], "markdown cells without an up-to-date translation"
    changed = copy.deepcopy(english)
    cell = next(c for c in changed.cells if c.cell_type == "markdown")
    cell.source += "\n\nA new English sentence."
    assert lesson_ko.untranslated(changed, translations) == [cell.id], "a changed English cell was not noticed"
    with pytest.raises(lesson_ko.UntranslatedError, match=cell.id):
        lesson_ko.korean_notebook(changed, translations)


def test_the_committed_korean_notebook_is_the_generated_one():
    english, translations, committed = _notebooks()
    assert lesson_ko.korean_notebook(english, translations) == committed, (
        "exercises/keras_lesson_ko is out of date: run python -m graders.lesson_ko")


def test_the_korean_notebook_has_the_english_code_cells_and_korean_text():
    english, _, korean = _notebooks()
    assert len(korean.cells) == len(english.cells)
    for en, ko in zip(english.cells, korean.cells):
        assert (ko.cell_type, ko.id, ko.metadata) == (en.cell_type, en.id, en.metadata), f"cell {en.id} differs"
        if en.cell_type == "code":
            assert ko.source == en.source, f"code cell {en.id} differs"
        else:
            assert HANGUL.search(ko.source) and ko.get("attachments") == en.get("attachments"), (
                f"markdown cell {en.id} is not Korean or lost its pictures")
    grade_cells = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"] for c in korean.cells
                   if c.metadata.get("nbgrader", {}).get("grade")}
    assert grade_cells == {"practice1-public": 5, "practice1-hidden": 5, "practice2-public": 8,
                           "practice2-hidden": 2, "practice3-public": 2, "practice3-hidden": 8}, grade_cells


# --- a class graded in Korean -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def korean_reports(run_cli) -> tuple[dict, ...]:
    """``graders grade --json --lang ko`` on the demo class: one CLI run."""
    students = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "demo" / "students").glob("*.py"))
    done = run_cli("grade", "--json", "--lang", "ko", "--jobs", "2", *students)
    assert done.returncode == 0, f"graders grade --lang ko failed: {done.stderr[-2000:]}"
    return tuple(json.loads(line) for line in done.stdout.splitlines() if line.strip())


def _scores(report: dict) -> dict:
    return {name: (practice["score"], [(c["name"], c["score"]) for c in practice["criteria"]])
            for name, practice in report["practices"].items()} | {"total": report["total"]}


def test_the_demo_class_graded_in_korean_scores_as_in_english(korean_reports, demo_class_reports):
    assert [r["submission"] for r in korean_reports] == [r["submission"] for r in demo_class_reports]
    for korean, english in zip(korean_reports, demo_class_reports):
        # 16.75 for ben and the rest: the same numbers and the same (English) criterion ids in both languages
        assert _scores(korean) == _scores(english), f"{korean['submission']}: other scores in Korean"


def test_the_demo_class_graded_in_korean_has_no_english_sentence(korean_reports):
    from graders.autograde import cell_score
    from graders.practices import PRACTICES

    lines = 0
    for report in korean_reports:
        for name, practice in report["practices"].items():
            texts = list(practice["feedback"]) + [c["message"] for c in practice["criteria"] if c["message"]]
            public = PRACTICES[name].public_criteria
            with i18n.language("ko"):  # the grade cells' texts, as nbgrader's feedback pages show them
                for hidden in (False, True):
                    points = sum(c["max_score"] for c in practice["criteria"] if (c["name"] in public) != hidden)
                    texts.append(cell_score(name, hidden, practice, points)[1])
            for text in texts:
                lines += 1
                assert HANGUL.search(text), f"{report['submission']} {name}: not Korean: {text!r}"
                assert not english_sentences(text), (
                    f"{report['submission']} {name}: English in the Korean feedback {english_sentences(text)}: {text!r}")
    assert lines > 30, f"only {lines} feedback texts were checked"


def test_the_self_check_speaks_korean():
    script = textwrap.dedent("""
        import keras
        from keras import layers
        import graders

        def build_sequential_model():
            return keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(),
                                     layers.Dense(128, activation="sigmoid"), layers.Dropout(0.2),
                                     layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")])

        graders.check("practice1")
    """)
    env = {**os.environ, i18n.LANG_ENV: "ko", "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    # layer settings are 3 points over the 4 layers with settings (3 Dense, Dropout), 3 right: 2.25;
    # everything else is right: 10 - 0.75 = 9.25
    assert "practice1, 자가 점검: 9.25 / 10" in out, out
    assert "층 설정: 2.25 / 3" in out and "'relu'" in out and "'sigmoid'" in out, out
    assert not english_sentences(out), f"English in the Korean self-check: {english_sentences(out)}\n{out}"


# --- the runner's own messages in Korean --------------------------------------------------------------

#: corpus samples whose feedback the runner writes: a syntax error, an answer that raises, a practice
#: that hangs until --timeout, a notebook with refused shell lines (`!pip install`, %%bash, `!ls`)
RUNNER_SAMPLES = ("broken_syntax_error.py", "broken_raises.py", "broken_hangs_p1.py",
                  "ipython_display_and_magics.ipynb")
#: short, so that the hanging sample costs little; the others need about two seconds each
RUNNER_TIMEOUT = 8


@pytest.fixture(scope="module")
def korean_runner_reports(run_cli) -> dict:
    """``graders grade --json --lang ko`` on :data:`RUNNER_SAMPLES` (practices 1 and 2): one CLI run."""
    paths = [f"tests/submissions/{name}" for name in RUNNER_SAMPLES]
    done = run_cli("grade", "--json", "--lang", "ko", "--jobs", "2", "--timeout", str(RUNNER_TIMEOUT),
                   "--practice", "practice1", "--practice", "practice2", *paths)
    assert done.returncode == 0, f"graders grade --lang ko failed: {done.stderr[-2000:]}"
    reports = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {Path(report["submission"]).name: report for report in reports}


def test_the_runners_messages_are_korean(korean_runner_reports):
    reports = korean_runner_reports
    assert sorted(reports) == sorted(RUNNER_SAMPLES), sorted(reports)
    # the line the sample's header names: "# error: syntax error on line N"
    header = (ROOT / "tests" / "submissions" / "broken_syntax_error.py").read_text()
    line = re.search(r"^# error: syntax error on line (\d+)$", header, re.M).group(1)
    error = reports["broken_syntax_error.py"]["error"]
    assert error.startswith(f"작성한 코드의 {line}번째 줄에 문법 오류가 있습니다(SyntaxError: "), error
    # "build_residual_model() raised ValueError ... (line 24 of your code)"
    raised = reports["broken_raises.py"]["practices"]["practice2"]["error"]
    assert raised.startswith("build_residual_model()이(가) 예외를 일으켰습니다: ValueError: "), raised
    assert raised.endswith("(작성한 코드의 24번째 줄)"), raised
    stopped = reports["broken_hangs_p1.py"]["practices"]["practice1"]["error"]
    assert stopped == f"build_sequential_model()이(가) 중단되었습니다: {RUNNER_TIMEOUT}초 안에 끝나지 않았습니다", stopped
    notes = reports["ipython_display_and_magics.ipynb"]["notes"]
    refused = "`!pip install -q keras`은(는) 실행하지 않았습니다. 채점기는 셸 명령 없이 Python 코드만 실행합니다"
    assert f"코드 셀 1: {refused}" in notes, notes
    for name, report in reports.items():
        texts = [report["error"] or "", *report["notes"]]
        for practice in report["practices"].values():
            texts += [*practice["feedback"], practice["error"] or ""]
            texts += [c["message"] for c in practice["criteria"] if c["message"]]
        for text in filter(None, texts):
            assert HANGUL.search(text), f"{name}: not Korean: {text!r}"
            assert not english_sentences(text), f"{name}: English in Korean {english_sentences(text)}: {text!r}"
