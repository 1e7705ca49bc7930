"""The instructor report in Korean: its catalog (domain ``report``), and a Korean report as a reader sees it.

The catalog is checked against the code: Babel extracts the marked messages
(``tr``/``ntr`` in graders/report/*.py, ``_``/``ngettext``/``{% trans %}`` in
the templates, as graders/report/babel.cfg says) and each must have a Korean
translation; the committed ``report.mo`` must be what ``report.po`` compiles
to. A Korean report is built from small synthetic reports (no grading run),
through the command as an instructor runs it, and its visible text is searched
for English sentences once the data (names, messages, code, numbers) is taken out.
"""

from __future__ import annotations

import gettext
import html.parser
import io
import json
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from graders import i18n
from graders.practices import PRACTICES
from graders.practices.base import answer_problem
from graders.report import write_report
from graders.report.plots import figure_fonts, korean_font, score_histogram
from graders.report.risk import not_attempted
from graders.report.roster import build_roster
from graders.report.stats import cause_key
from graders.report.text import tr

ROOT = Path(__file__).resolve().parent.parent
BABEL_CFG = ROOT / "graders" / "report" / "babel.cfg"
PO = ROOT / "graders" / "locale" / "ko" / "LC_MESSAGES" / "report.po"
MO = PO.with_suffix(".mo")
HANGUL = re.compile(r"[가-힣]")

#: words common in English sentences; three of them in a row in the page's own words is an English sentence
COMMON_ENGLISH = frozenset("""
a about after all also an and any are as at be been before below between but by can cannot could did do does
each either every for found from full had has have he her his how if in into is it its known least less more
most much must no not of on one only or other others our out own per reason reasons report same scored should
so some such than that the their them then there these they this those to too under up was were what when where
which while who whose will with without would you your student students points point score scores total
practice practices criterion criteria mistake mistakes grade graded grader gradebook shown shows page pages
number chosen best epoch directory model layer layers risk attempted lost failed share rate class example times
""".split())

FUNCTIONS = {name: practice.function for name, practice in PRACTICES.items()}


# --- the catalog ---------------------------------------------------------------------------------

def extracted_messages() -> dict:
    """Every message Babel finds in the report's code and templates, keyed as a catalog keys them."""
    with open(BABEL_CFG) as handle:
        method_map, options_map = parse_mapping_cfg(handle, filename=str(BABEL_CFG))
    found = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS):
        found[message if isinstance(message, str) else message[0]] = (filename, message)
    return found


def test_babel_finds_the_report_messages_in_code_and_templates():
    found = extracted_messages()
    files = {filename for filename, _message in found.values()}
    # a Python message, a template message and a plural form of a {% trans %} block
    assert "total {total} of {top} is below {threshold} % ({needed})" in found, "risk.py's tr() not extracted"
    assert "Most common mistakes" in found, "index.html's _() not extracted"
    assert found.get("%(count)s student;", (None, None))[1] == ("%(count)s student;", "%(count)s students;"), (
        "index.html's {% trans %}...{% pluralize %} not extracted with its plural")
    assert any(f.endswith(".html") for f in files) and any(f.endswith(".py") for f in files), files
    assert not any("graders/report" not in f.replace(os.sep, "/") for f in files), (
        f"the report's catalog took messages from outside graders/report: {sorted(files)}")


def test_every_report_message_has_a_korean_translation_and_the_catalog_has_no_stale_one():
    with open(PO, "rb") as handle:
        catalog = read_po(handle, locale="ko")
    found = extracted_messages()
    untranslated = [key for key in found
                    if key not in catalog or not all(catalog[key].string if isinstance(catalog[key].string, tuple)
                                                     else [catalog[key].string])]
    assert not untranslated, (f"{len(untranslated)} report messages without Korean in {PO.name} (run the "
                              f"commands in graders/report/text.py): {untranslated[:8]}")
    stale = [m.id for m in catalog if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in found]
    assert not stale, f"{PO.name} translates messages the report no longer has: {stale[:8]}"
    assert catalog.plural_forms == "nplurals=1; plural=0;", f"Korean has one plural form: {catalog.plural_forms}"


def test_the_committed_mo_is_report_po_compiled():
    with open(PO, "rb") as handle:
        catalog = read_po(handle, locale="ko")
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)._catalog
    committed = gettext.GNUTranslations(io.BytesIO(MO.read_bytes()))._catalog
    changed = sorted(str(k) for k in fresh.keys() ^ committed.keys()) + sorted(
        str(k) for k in fresh.keys() & committed.keys() if fresh[k] != committed[k])
    assert not changed, (f"{MO.name} is not {PO.name} compiled; run `pybabel compile -d graders/locale -D report`: "
                         f"{changed[:5]}")


def test_placeholders_survive_translation():
    with open(PO, "rb") as handle:
        catalog = read_po(handle, locale="ko")
    placeholder = re.compile(r"\{\w+\}|%\(\w+\)s")
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(set(placeholder.findall(ids[-1])))
        wrong += [(ids[0], s) for s in strings if sorted(set(placeholder.findall(s))) != wanted]
        # a template's message is always %-formatted (new-style gettext), and so is argparse's help:
        # a % the English has not would break the page or the help
        if message.python_format or "%" not in ids[0]:
            wrong += [(ids[0], s) for s in strings if "%" in re.sub(r"%\(\w+\)s|%%", "", s)]
    assert not wrong, f"translations whose placeholders differ from the English: {wrong[:5]}"


# --- a Korean report -----------------------------------------------------------------------------

def korean(function) -> str:
    with i18n.language("ko"):
        return function()


def practice(score: float, criteria=(), error: str | None = None, details: dict | None = None) -> dict:
    """One practice of a report; ``criteria`` are ``(name, score, max_score, message)``."""
    rows = [{"name": n, "score": s, "max_score": m, "message": text} for n, s, m, text in criteria]
    return {"score": score, "max_score": 10.0, "feedback": [c[3] for c in criteria if c[3]], "criteria": rows,
            "error": error, "details": details or {}}


def layer(name: str, kind: str, shape: list, params: int, inbound: list[str], **config) -> dict:
    return {"name": name, "kind": kind, "config": config, "output_shape": shape, "params": params,
            "inbound": inbound}


def model(dropout: bool) -> dict:
    layers = [layer("flatten", "Flatten", [None, 784], 0, ["input_layer"]),
              layer("dense", "Dense", [None, 128], 100480, ["flatten"], units=128, activation="relu")]
    if dropout:
        layers.append(layer("dropout", "Dropout", [None, 128], 0, ["dense"], rate=0.2))
    layers.append(layer("dense_1", "Dense", [None, 10], 1290, [layers[-1]["name"]], units=10, activation="softmax"))
    return {"name": "m", "api": "sequential", "layers": layers, "inputs": [{"name": "input_layer", "shape": [None, 28, 28]}],
            "total_params": sum(entry["params"] for entry in layers)}


def class_reports() -> list[dict]:
    """Four students graded in Korean: full marks, lost points in each practice, a crash, a blank submission."""
    missing_layer = "빠진 층: 3번째 층은(는) Dropout(비율 0.2)이어야 합니다."
    last_file = "'중간에 있는 최솟값' 디렉터리에서 함수가 반환한 파일은 마지막 체크포인트입니다."
    runs = [{"kind": "minimum in the middle", "epochs": [1, 2, 3, 4], "val_loss": [0.9, 0.5, 0.7, 0.8],
             "best_epoch": 2, "chosen_epoch": 4},
            {"kind": "legacy .h5 files", "epochs": [1, 2, 3], "val_loss": [0.6, 0.4, 0.5],
             "best_epoch": 2, "chosen_epoch": None}]
    full = practice(10, [("API", 1, 1, ""), ("layer settings", 3, 3, "")])
    reports = [
        {"submission": "class/alice.py", "practices": {"practice1": full, "practice2": full, "practice3": full}},
        {"submission": "class/ben.py", "practices": {
            "practice1": practice(7, [("API", 1, 1, ""), ("layers and their order", 0, 3, missing_layer)],
                                  details={"reference": model(True), "submitted": model(False)}),
            "practice2": practice(0, error="build_residual_model()이(가) 예외를 일으켰습니다: ValueError: 잘못된 입력"),
            "practice3": practice(8, [("Best checkpoint: minimum in the middle", 0, 2, last_file),
                                      ("Best checkpoint: legacy .h5 files", 1, 1, "")], details={"runs": runs})}},
        {"submission": "class/chen.py", "practices": {
            "practice1": practice(7, [("layers and their order", 0, 3, missing_layer)]),
            "practice2": full, "practice3": full}},
        {"submission": "class/eli.py", "practices": {
            name: practice(0, error=korean(lambda f=function: answer_problem(f, None)))
            for name, function in FUNCTIONS.items()}},
    ]
    for report in reports:
        report["total"] = sum(p["score"] for p in report["practices"].values())
        report["max_total"] = 30.0
        report["error"] = None
        # as the grader reports them: each practice's title and contract function (``full`` is shared)
        report["practices"] = {name: {**data, "title": PRACTICES[name].title, "function": FUNCTIONS[name]}
                               for name, data in report["practices"].items()}
    return reports


class VisibleText(html.parser.HTMLParser):
    """The text a reader sees (and a screen reader reads: alt, title, aria-label), without code and scripts."""

    HIDDEN = {"script", "style", "code", "title"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.headings: list[str] = []
        self._hidden = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.parts.extend(value for key, value in attrs.items() if key in ("alt", "title", "aria-label") and value)
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag in ("h1", "h2", "h3", "h4") or (tag == "th" and attrs.get("scope") == "col"):
            self._heading = []

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden -= 1
        if (tag in ("h1", "h2", "h3", "h4", "th")) and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)
            if self._heading is not None:
                self._heading.append(data)


def read_page(path: Path) -> VisibleText:
    parser = VisibleText()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def data_strings(reports: list[dict]) -> list[str]:
    """What the page shows from the data: names, paths, ids, messages and errors, longest first."""
    strings = set()
    for report in reports:
        strings |= {report["submission"], Path(report["submission"]).stem}
        for name, data in report["practices"].items():
            strings |= {name, *(data["feedback"]), *([data["error"]] if data["error"] else [])}
            for criterion in data["criteria"]:
                strings |= {criterion["name"], criterion["message"]}
                strings |= set(criterion["name"].split(": "))
            for run in data["details"].get("runs", []):
                strings.add(run["kind"])
    return sorted((s for s in strings if s), key=len, reverse=True)


def english_runs(text: str, data: list[str]) -> list[str]:
    """Runs of 3+ common English words in ``text`` once data, quotes, code-like words and numbers are taken out."""
    for item in data:
        text = text.replace(item, " | ")
    text = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|‘[^’]*’|“[^”]*”", " | ", text)
    # identifiers and code: snake_case, dotted names, CamelCase, words with digits, file names
    text = re.sub(r"\S*(?:[_./\\]|\d|[a-z][A-Z])\S*", " | ", text)
    runs, current = [], []
    for token in re.findall(r"[A-Za-z]+|[^\sA-Za-z]+", text):
        if token.lower() in COMMON_ENGLISH:
            current.append(token)
            continue
        if len(current) >= 3:
            runs.append(" ".join(current))
        current = []
    if len(current) >= 3:
        runs.append(" ".join(current))
    return runs


@pytest.fixture(scope="module")
def reports() -> list[dict]:
    return class_reports()


@pytest.fixture(scope="module")
def korean_report(reports, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The report of the synthetic class, written by ``graders report`` with GRADERS_LANG=ko."""
    folder = tmp_path_factory.mktemp("report-ko")
    jsonl = folder / "class.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reports), encoding="utf-8")
    env = {**os.environ, "GRADERS_LANG": "ko", "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-m", "graders", "report", str(folder / "out"), "--jsonl", str(jsonl)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 0, f"graders report failed: {done.stderr[-2000:]}"
    return folder / "out", done


def pages(outdir: Path) -> list[Path]:
    return [outdir / "index.html", *sorted((outdir / "students").glob("*.html"))]


def test_the_korean_report_is_marked_korean_and_headed_in_korean(korean_report):
    outdir, done = korean_report
    assert HANGUL.search(done.stdout) and "index.html" in done.stdout, f"summary line: {done.stdout!r}"
    assert "Glyph" not in done.stderr, f"a figure lacks Hangul glyphs: {done.stderr[-500:]}"
    for page in pages(outdir):
        text = page.read_text(encoding="utf-8")
        assert '<html lang="ko">' in text, f"{page.name}: {text[:80]!r}"
        headings = read_page(page).headings
        ids = {"#", "API", *FUNCTIONS}
        english = [h for h in headings if not HANGUL.search(h) and h not in ids and not h.startswith("practice")
                   and h not in {"alice", "ben", "chen", "eli"}]
        assert not english, f"{page.name}: headings not in Korean: {english}"
    dashboard = read_page(outdir / "index.html")
    with i18n.language("ko"):
        expected = [tr("Class report"), tr("Students"), tr("Score distribution"), tr("Most common mistakes")]
    assert all(HANGUL.search(h) for h in expected), f"the catalog gives no Korean headings: {expected}"
    assert all(h in dashboard.headings for h in expected), f"dashboard headings: {dashboard.headings}"


def test_the_korean_report_has_no_english_sentence_outside_its_data(korean_report, reports, tmp_path):
    outdir, _done = korean_report
    data = data_strings(reports)
    found = {page.name: english_runs(" ".join(read_page(page).parts), data) for page in pages(outdir)}
    found = {name: runs for name, runs in found.items() if runs}
    assert not found, f"English sentences in the Korean report: {found}"
    # the same check finds the English report's own words (so it can fail)
    write_report(tmp_path / "en", reports)
    english = english_runs(" ".join(read_page(tmp_path / "en" / "index.html").parts), data)
    assert len(english) >= 5, f"the check should find English in the English report: {english}"


def test_gradebook_notes_and_disagreeing_notebooks_are_reported_in_korean(reports, tmp_path):
    # ben's practice 1 is 8 in the gradebook, 7 in the report: a note and a reason; zoe is in the gradebook
    # only; chen's notebook showed other scores than the trusted grader
    gradebook = {"ben": {"practice1": 8.0, "practice2": 0.0, "practice3": 8.0, "total": 16.0},
                 "zoe": {"practice1": 5.0, "total": 5.0}}
    differed = [{"student": "chen", "assignment": "keras_lesson", "notebook": "keras_lesson", "comments": [],
                 "cells": [{"grade_id": "practice1-hidden", "kernel": "10", "trusted": 7.0}]}]
    with i18n.language("ko"):
        write_report(tmp_path, reports, gradebook, differed)
        expected = [tr("Notebooks whose own grade cells disagreed with the trusted grader")]
        note = tr("{practice}: the gradebook has {gradebook} points, the graders report {graders}; "
                  "the gradebook's score is shown.").format(practice="practice1", gradebook="8", graders="7")
    assert all(h in read_page(tmp_path / "index.html").headings for h in expected), "no Korean section of differences"
    data = data_strings(reports) + ["keras_lesson", "practice1-hidden", "zoe"]
    found = {page.name: english_runs(" ".join(read_page(page).parts), data) for page in pages(tmp_path)}
    found = {name: runs for name, runs in found.items() if runs}
    assert not found, f"English sentences in the Korean report with a gradebook: {found}"
    ben = " ".join(" ".join(read_page(tmp_path / "students" / "ben.html").parts).split())
    assert HANGUL.search(note) and note in ben, f"ben's page lacks the Korean gradebook note {note!r}"


def test_the_korean_report_marks_the_blank_submission_and_the_failures_in_korean(korean_report, reports):
    outdir, _done = korean_report
    error = reports[1]["practices"]["practice2"]["error"]
    with i18n.language("ko"):
        not_tried = tr("not attempted")
        failed = tr("{practice} failed: {error}").format(practice="practice2", error=error)
    assert HANGUL.search(not_tried) and HANGUL.search(failed.replace(error, "")), (not_tried, failed)
    text = " ".join(" ".join(read_page(outdir / "index.html").parts).split())
    assert f"⚠ {not_tried}" in text, "eli's blank submission, graded in Korean, is not marked not attempted"
    assert failed in text, f"ben's failed practice 2 lacks its Korean reason {failed!r}"


def test_the_command_speaks_korean(tmp_path):
    env = {**os.environ, "GRADERS_LANG": "ko"}
    done = subprocess.run([sys.executable, "-m", "graders", "report", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 2 and done.stderr.startswith("graders report: "), done.stderr
    assert HANGUL.search(done.stderr) and "--jsonl" in done.stderr, f"usage error in Korean: {done.stderr!r}"
    shown = subprocess.run([sys.executable, "-m", "graders", "report", "--help"],
                           capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert HANGUL.search(shown.stdout.split("--at-risk PERCENT", 1)[-1]), f"help in Korean: {shown.stdout[-600:]}"


def test_the_korean_dashboard_counts_and_sorts_as_the_english_one(korean_report, reports, tmp_path):
    outdir, _done = korean_report
    write_report(tmp_path / "en", reports)
    row_order = re.compile(r'<th scope="row" data-sort="([^"]+)"')
    korean_rows = row_order.findall((outdir / "index.html").read_text(encoding="utf-8"))
    english_rows = row_order.findall((tmp_path / "en" / "index.html").read_text(encoding="utf-8"))
    # eli (blank, 0), ben (7 + 0 + 8 = 15 < 18), chen (7 + 10 + 10 = 27, practice 1 lost points), alice (30)
    assert korean_rows == english_rows == ["eli", "ben", "alice", "chen"], (korean_rows, english_rows)
    with open(outdir / "class.csv", encoding="utf-8") as handle:
        header = handle.readline().strip()
    assert header == "student_id,first_name,last_name,email,practice1,practice2,practice3,total", (
        f"class.csv's columns are ids for an LMS, in English whatever the language: {header}")


def test_korean_figures_have_a_font_with_hangul():
    assert korean_font(), ("no font with Hangul for the figures: install the package dependencies "
                           "(koreanize-matplotlib ships NanumGothic)")
    with i18n.language("ko"):
        settings = figure_fonts()
        from matplotlib import rc_context

        with warnings.catch_warnings(record=True) as caught, rc_context(settings):
            warnings.simplefilter("always")
            score_histogram([1.0, 9.5], 10, "practice1 (만점 10)").savefig(io.BytesIO(), format="png")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, f"Hangul drawn without glyphs: {missing[:2]}"
    with i18n.language("en"):
        assert figure_fonts() == {}, "English figures keep matplotlib's defaults"


# --- reports graded in one language, read in the other ---------------------------------------------

@pytest.mark.parametrize("graded, shown", [("ko", "en"), ("en", "ko")])
def test_a_blank_submission_is_not_attempted_whatever_language_it_was_graded_in(graded, shown):
    with i18n.language(graded):
        report = {"submission": "class/eve.py", "total": 0, "max_total": 30, "error": None,
                  "practices": {name: {**practice(0, error=answer_problem(function, None)), "function": function}
                                for name, function in FUNCTIONS.items()}}
    with i18n.language(shown):
        student, = build_roster([report])
        assert not_attempted(student), f"graded in {graded}, read in {shown}: {report['practices']['practice1']}"


def test_korean_feedback_lines_group_by_their_korean_words():
    last = "'중간에 있는 최솟값' 디렉터리에서 함수가 반환한 파일은 마지막 체크포인트입니다."
    first = "'세 자리 epoch' 디렉터리에서 함수가 반환한 파일은 첫 번째 체크포인트입니다."
    also_last = "'예전 형식의 .h5 파일' 디렉터리에서 함수가 반환한 파일은 마지막 체크포인트입니다."
    assert cause_key(last) == cause_key(also_last), "one cause in two directories is one row"
    assert cause_key(last) != cause_key(first), "the last and the first checkpoint are two causes"


def test_korean_lines_with_the_students_own_numbers_group_as_one():
    """The same mistake in another cell or on another line is one cause, in Korean as in English."""
    from graders.report.stats import cause_key

    first = "코드 셀 3에서 실행이 멈췄습니다: NameError: name 'x' is not defined (코드 셀 3의 24번째 줄)"
    second = "코드 셀 7에서 실행이 멈췄습니다: NameError: name 'x' is not defined (코드 셀 7의 2번째 줄)"
    assert cause_key(first) == cause_key(second)
    assert cause_key(first) != cause_key("제출한 모델의 2번째 층 Dense: 활성화 함수가 다릅니다")
