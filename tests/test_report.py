"""Instructor reports (graders.report): the grades CSV, the dashboard, the student pages and their figures.

Most tests read the demo's five students, graded once by the real command line
(``graders grade --json``), so the reports carry what real grading writes. The
at-risk rules, the grouping of mistakes by cause and the CSV's arithmetic are
tested on small synthetic reports (:func:`synthetic`), each built for one rule.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from graders.report import write_report
from graders.report.command import main as report_main
from graders.report.diagrams import layer_graph
from graders.report.inputs import InputError, read_gradebook
from graders.practices import PRACTICES
from graders.practices.base import answer_problem
from graders.report.pages import curve_alt, diagram_alt
from graders.report.risk import (
    FAILED_PRACTICE, GRADER_ERROR, LOW_TOTAL, NOT_ATTEMPTED, SCORES_DIFFER, at_risk_reasons, not_attempted,
)
from graders.report.roster import build_roster, student_name, unique_names
from graders.report.stats import cause_key, common_mistakes, criterion_family, grade_rows, mistake_pattern, pass_rates
from graders.report.write import OutdirError, histogram_alt

ROOT = Path(__file__).resolve().parent.parent
DEMO = sorted((ROOT / "demo" / "students").glob("*.py"))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def reports(demo_class_reports) -> list[dict]:
    return copy.deepcopy(list(demo_class_reports))


@pytest.fixture(scope="module")
def report_dir(reports, tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("report") / "out"
    dashboard = write_report(outdir, reports)
    assert dashboard == outdir / "index.html"
    return outdir


def by_student(reports: list[dict]) -> dict[str, dict]:
    return {Path(r["submission"]).stem: r for r in reports}


def image_sources(html: str) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', html)


def test_csv_has_a_header_and_one_row_of_plain_numbers_per_student(report_dir, reports):
    with open(report_dir / "class.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["student_id", "first_name", "last_name", "email", "practice1", "practice2", "practice3",
                       "total"], f"header: {rows[0]}"
    expected = by_student(reports)
    assert [row[0] for row in rows[1:]] == sorted(expected), "one row per student, sorted by name"
    for name, first, last, email, *scores, total in rows[1:]:
        assert first == last == email == "", f"{name}: no gradebook, so no names: {first!r} {last!r} {email!r}"
        report = expected[name]
        want = [report["practices"][p]["score"] for p in ("practice1", "practice2", "practice3")]
        assert [float(s) for s in scores] == want, f"{name}: CSV scores {scores}, report {want}"
        assert float(total) == report["total"], f"{name}: CSV total {total}, report {report['total']}"


def test_every_student_has_a_page_linked_from_the_dashboard(report_dir, reports):
    dashboard = (report_dir / "index.html").read_text()
    for name in by_student(reports):
        page = report_dir / "students" / f"{name}.html"
        assert page.is_file(), f"no page for {name}"
        assert f'href="students/{name}.html"' in dashboard, f"the dashboard does not link {name}'s page"
        assert f"<h1 class=\"student-name\">{name}</h1>" in page.read_text(), f"{name}'s page is not headed by the name"


def test_every_image_exists_and_is_a_valid_png(report_dir):
    pages = [report_dir / "index.html", *sorted((report_dir / "students").glob("*.html"))]
    seen = 0
    for page in pages:
        for source in image_sources(page.read_text()):
            path = (page.parent / source).resolve()
            assert path.is_file(), f"{page.name} shows {source}, which does not exist"
            assert path.read_bytes()[:8] == PNG_SIGNATURE, f"{source} is not a PNG file"
            with Image.open(path) as image:
                image.verify()
            with Image.open(path) as image:
                assert image.width > 50 and image.height > 50, f"{source} is {image.size}, too small to show anything"
            seen += 1
    # 4 histograms and the pass-rate chart on the dashboard at the least
    assert seen >= 5, f"only {seen} images in the report"


def test_dashboard_shows_a_histogram_per_practice_and_the_pass_rates(report_dir):
    dashboard = (report_dir / "index.html").read_text()
    for name in ("practice1", "practice2", "practice3", "total"):
        assert f'alt="Histogram of {name} scores out of ' in dashboard, f"no histogram of {name}"
    assert 'alt="Bar chart of the share of students with full points per criterion: practice1 API ' in dashboard
    assert "<td>practice2</td><td>whole graph</td>" in dashboard, "the pass-rate table lacks practice2's whole graph"


def test_pass_rate_is_the_share_of_students_with_full_points(reports):
    rates = {(r.practice, r.criterion): r for r in pass_rates(build_roster(reports))}
    # eli's blank submission is not attempted and not counted: 5 students - 1 = 4 counted;
    # alice alone has practice 2's whole graph (ben, chen and dana lost it): 1 of 4
    whole = rates[("practice2", "whole graph")]
    assert (whole.passed, whole.counted) == (1, 4), f"whole graph: {whole.passed}/{whole.counted}"
    # every attempted practice 1 is a keras.Sequential: 4 of 4
    api = rates[("practice1", "API")]
    assert (api.passed, api.counted) == (4, 4), f"practice1 API: {api.passed}/{api.counted}"


def test_mistake_pattern_blanks_what_differs_between_students_only():
    assert mistake_pattern("layer 2 (Dense): expected activation 'relu', found 'sigmoid'.") == (
        "layer 2 (Dense): expected activation 'relu', found 'sigmoid'."
    ), "a setting's expected and found values must stay"
    assert mistake_pattern("L3: expected MaxPooling2D(pool 2x2), found AveragePooling2D 'average_pooling2d_4'.") == (
        "L3: expected MaxPooling2D(pool 2x2), found AveragePooling2D '…'."
    ), "a layer's name must be blanked, its kind kept"
    assert mistake_pattern("Total parameters: expected 109,386, found 104,938.") == (
        "Total parameters: expected 109,386, found #."
    )
    assert mistake_pattern("Extra layer: your layer 5 (Dense 'dense_7') is not in the spec.") == (
        "Extra layer: your layer # (Dense '…') is not in the spec."
    )
    assert mistake_pattern("x.py: not UTF-8 text (invalid byte at byte 125)", "x.py") == (
        "<submission>: not UTF-8 text (invalid byte at byte #)"
    )


def test_common_mistakes_group_the_same_mistake_across_students(reports):
    ben = by_student(reports)["ben"]
    # another student with ben's answer, whose layers Keras happened to name differently
    twin = json.loads(json.dumps(ben).replace("average_pooling2d", "average_pooling2d_3").replace("'conv2d'", "'conv2d_9'"))
    twin["submission"] = "demo/students/zoe.py"
    mistakes = common_mistakes(build_roster([*reports, twin]))
    by_pattern = {(m.practice, m.pattern): m for m in mistakes}

    whole = by_pattern[("practice2", "Taken as a whole, your graph is not the one in spec 2: check which layer feeds which.")]
    # chen's pools are swapped on spec 2's wiring: his whole-graph message names the kinds instead
    assert sorted(whole.students) == ["ben", "dana", "zoe"], f"whole graph mistake: {whole.students}"
    assert mistakes[0] is whole, f"the most common mistake should come first, got {mistakes[0].pattern!r}"

    skip = [m for m in mistakes if m.practice == "practice2" and m.pattern.startswith("L4 (AveragePooling2D")]
    assert len(skip) == 1 and sorted(skip[0].students) == ["ben", "zoe"], (
        f"ben's and zoe's skip-connection mistake should be one group: {[(m.pattern, m.students) for m in skip]}"
    )
    assert "'average_pooling2d'" in skip[0].example, "the example is a real feedback line, names included"

    activation = by_pattern[("practice1", "layer 2 (Dense): expected activation 'relu', found 'sigmoid'.")]
    assert activation.students == ["ben", "zoe"] and activation.criteria == ["layer settings"]


def test_dashboard_lists_common_mistakes_with_counts_and_an_example(report_dir):
    dashboard = (report_dir / "index.html").read_text()
    mistakes = dashboard.split('id="mistakes"')[1]
    row = re.search(r"<td class=\"num\">(\d+)</td><td class=\"num\">\d+</td>\s*<td>practice2</td><td>whole graph</td>", mistakes)
    assert row and row.group(1) == "2", "the whole-graph mistake of ben and dana should show 2 students"
    assert "expected activation &#39;relu&#39;, found &#39;sigmoid&#39;" in mistakes, "ben's activation mistake is missing"
    assert 'href="students/ben.html">(ben)</a>' in mistakes, "an example should link to its student's page"


def test_structure_mistake_shows_both_layer_tables_and_diagrams(report_dir):
    ben = (report_dir / "students" / "ben.html").read_text()
    for heading in ("practice1: reference", "practice1: submitted", "practice2: reference", "practice2: submitted"):
        assert f"<h4>{heading} (" in ben, f"ben's page lacks the layer table {heading!r}"
        assert f'alt="Diagram of the {heading} model, ' in ben, f"ben's page lacks the diagram {heading!r}"
    assert "<td>units 128, activation sigmoid</td>" in ben, "the submitted table should show ben's sigmoid"
    alice = (report_dir / "students" / "alice.html").read_text()
    assert "diagram of the" not in alice, "full marks need no model comparison"


def test_practice3_shows_a_val_loss_curve_per_checkpoint_directory(report_dir, reports):
    ben = (report_dir / "students" / "ben.html").read_text()
    runs = by_student(reports)["ben"]["practices"]["practice3"]["details"]["runs"]
    curves = [s for s in image_sources(ben) if "val-loss" in s]
    assert len(curves) == len(runs), f"{len(curves)} curves for {len(runs)} checkpoint directories"


def test_page_of_an_ungraded_submission_gives_the_reason(report_dir):
    eli = (report_dir / "students" / "eli.html").read_text()
    assert "Not graded: build_sequential_model is not defined" in eli


def test_a_student_name_with_markup_is_escaped_everywhere(reports, tmp_path):
    hostile = copy.deepcopy(by_student(reports)["ben"])
    hostile["submission"] = 'course/submitted/<script>alert("x")/keras_lesson/keras_lesson.ipynb'
    gradebook = {"</script><script>alert(2)</script>": {"practice1": 1.0, "total": 1.0}}
    write_report(tmp_path, [hostile], gradebook)
    pages = sorted((tmp_path / "students").glob("*.html"))
    assert [p.name for p in pages] == ["script_alert_x.html", "script_script_alert_2_script.html"], (
        f"page file names must be safe: {[p.name for p in pages]}"
    )
    for path in [tmp_path / "index.html", *pages]:
        html = path.read_text()
        # the dashboard's one script is the table sorter; an unescaped name would add another
        scripts = re.findall(r"<script\b.*?</script>", html, re.S)
        assert len(scripts) == (path.name == "index.html"), f"{path.name} has {len(scripts)} scripts: a name unescaped"
        assert not any("alert" in script for script in scripts), f"{path.name}: a student's text inside a script"
        assert "&lt;script&gt;" in html, f"{path.name} should show the escaped name"
    with open(tmp_path / "class.csv", newline="") as handle:
        names = [row[0] for row in csv.reader(handle)][1:]
    assert sorted(names) == sorted(['<script>alert("x")', "</script><script>alert(2)</script>"]), (
        f"the CSV keeps names as they are: {names}"
    )


def test_a_layer_named_like_math_or_a_file_name_not_in_utf8_cannot_stop_the_report(reports, tmp_path):
    ben = copy.deepcopy(by_student(reports)["ben"])
    submitted = ben["practices"]["practice2"]["details"]["submitted"]
    for layer in submitted["layers"]:  # matplotlib would read $...$ as a formula and raise on this one
        layer["name"] = "flat$\\frac{$" + layer["name"]
    ben["submission"] = "class/ans\udcff.py"  # a name from a zip, not UTF-8
    write_report(tmp_path, [ben])
    page, = (tmp_path / "students").glob("*.html")
    assert "flat$\\frac{$" in page.read_text(encoding="utf-8")
    assert "ans\\udcff" in (tmp_path / "class.csv").read_text(encoding="utf-8")
    for image in (tmp_path / "img").glob("*.png"):
        assert image.read_bytes().startswith(b"\x89PNG"), image


def test_bad_jsonl_lines_are_skipped_with_one_warning_each(reports, tmp_path, capsys):
    good = [json.dumps(r) for r in reports]
    lines = [good[0], "{not json", "[1, 2]", '{"submission": "x.py"}', "", *good[1:]]
    jsonl = tmp_path / "class.jsonl"
    jsonl.write_text("\n".join(lines) + "\n")

    assert report_main([str(tmp_path / "out"), "--jsonl", str(jsonl)]) == 0
    out, err = capsys.readouterr()
    warnings = err.strip().splitlines()
    assert len(warnings) == 3, f"one warning per bad line, got: {warnings}"
    for line_number, warning in zip((2, 3, 4), warnings):
        assert warning.startswith(f"graders report: {jsonl}:{line_number}: skipped"), f"warning {warning!r}"
    mean = sum(r["total"] for r in reports) / len(reports)
    assert out.startswith(f"{len(reports)} students, mean total {mean:.2f} / 30; dashboard: "), f"summary line: {out!r}"
    assert out.strip().endswith(str(tmp_path / "out" / "index.html")), f"summary should say where the dashboard is: {out!r}"
    assert len(list((tmp_path / "out" / "students").glob("*.html"))) == len(reports)


def test_several_jsonl_files_are_read_and_repeated_names_made_unique(reports, tmp_path, capsys):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("\n".join(json.dumps(r) for r in reports[:3]) + "\n")
    second.write_text(json.dumps(reports[0]) + "\n")
    assert report_main([str(tmp_path / "out"), "--jsonl", str(first), "--jsonl", str(second)]) == 0
    with open(tmp_path / "out" / "class.csv", newline="") as handle:
        names = [row[0] for row in csv.reader(handle)][1:]
    first_name = Path(reports[0]["submission"]).stem
    assert f"{first_name}-2" in names and len(names) == 4, f"names: {names}"


def test_missing_input_is_a_usage_error(tmp_path, capsys):
    assert report_main([str(tmp_path / "out")]) == 2
    assert report_main([str(tmp_path / "out"), "--jsonl", str(tmp_path / "nope.jsonl")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "nope.jsonl: cannot be read" in err[1], f"stderr: {err}"


def test_gradebook_scores_alone_give_pages_with_what_is_known(tmp_path):
    gradebook = {"ada": {"practice1": 10.0, "practice2": 4.5, "practice3": 0.0, "total": 14.5},
                 "bo": {"practice1": 7.0, "practice2": 10.0, "practice3": 10.0, "total": 27.0}}
    write_report(tmp_path, [], gradebook)
    with open(tmp_path / "class.csv", newline="") as handle:
        assert list(csv.reader(handle))[1:] == [["ada", "", "", "", "10", "4.5", "0", "14.5"],
                                                ["bo", "", "", "", "7", "10", "10", "27"]]
    ada = (tmp_path / "students" / "ada.html").read_text()
    # no report says what a practice is worth: the score stands alone
    assert "Only the score is known" in ada and "practice2  — 4.5</h2>" in ada and "4.5 / " not in ada
    assert "No criteria are known" in (tmp_path / "index.html").read_text()
    # a report of another student says practice2 is worth 10 and titles it: ada's page shows both
    write_report(tmp_path, [synthetic("cleo")], gradebook)
    ada = (tmp_path / "students" / "ada.html").read_text()
    assert "4.5 / 10" in ada and f"practice2: {PRACTICES['practice2'].title}" in ada


def test_gradebook_scores_win_over_reports_with_a_note(reports, tmp_path):
    ben = by_student(reports)["ben"]
    gradebook = {"ben": {"practice1": 9.25, "practice2": 8.0, "practice3": 0.0, "total": 17.25}}
    write_report(tmp_path, [ben], gradebook)
    with open(tmp_path / "class.csv", newline="") as handle:
        assert list(csv.reader(handle))[1] == ["ben", "", "", "", "9.25", "8", "0", "17.25"]
    page = (tmp_path / "students" / "ben.html").read_text()
    assert "practice2: the gradebook has 8 points, the graders report 7.5" in page
    assert "Diagram of the practice1: submitted model" in page, "the report's details stay"
    assert "practice2: the gradebook&#39;s score differs from graders grade" in page, "a difference puts ben at risk"


# nbgrader's own add_submission trips SQLAlchemy's autoflush warnings
@pytest.mark.filterwarnings("ignore:Object of type")
def test_gradebook_is_read_through_nbgrader(tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    # nbgrader runs `alembic` from PATH when it creates a gradebook
    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        gradebook.add_assignment("keras_lesson")
        gradebook.add_notebook("keras_lesson", "keras_lesson")
        for cell, points in (("practice1-public", 4), ("practice1-hidden", 6), ("practice2-public", 10)):
            gradebook.add_grade_cell(cell, "keras_lesson", "keras_lesson", max_score=points, cell_type="code")
        gradebook.add_student("ada", first_name="Ada", last_name="Lovelace", email="ada@example.org")
        gradebook.add_student("bo")  # enrolled, nothing handed in
        gradebook.add_submission("keras_lesson", "ada")
        for cell, points in (("practice1-public", 3.5), ("practice1-hidden", 6), ("practice2-public", 2)):
            gradebook.find_grade(cell, "keras_lesson", "keras_lesson", "ada").auto_score = points
        gradebook.db.commit()
    read = read_gradebook(tmp_path)
    # practice1 = 3.5 + 6 = 9.5; practice2 = 2; total 9.5 + 2 = 11.5
    assert read.scores == {"ada": {"practice1": 9.5, "practice2": 2.0, "total": 11.5}}, read.scores
    assert read.people == {"ada": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"},
                           "bo": {"first_name": "", "last_name": "", "email": ""}}, read.people


def test_a_folder_without_gradebook_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no nbgrader gradebook"):
        read_gradebook(tmp_path)
    assert not (tmp_path / "gradebook.db").exists(), "reading must not create a gradebook"


def test_outdir_is_refused_when_it_holds_other_files_and_replaced_when_a_report(reports, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutdirError, match="not empty"):
        write_report(tmp_path, reports[:1])
    outdir = tmp_path / "report"
    write_report(outdir, reports)
    write_report(outdir, reports[:1])
    assert len(list((outdir / "students").glob("*.html"))) == 1, "a second run replaces the first run's pages"


def test_the_command_parser_loads_no_plotting_library():
    # `graders` builds every subcommand's parser at start-up; matplotlib would slow them all
    probe = "import sys, graders.report; print(sorted(m for m in ('matplotlib', 'networkx', 'jinja2') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", f"importing graders.report loaded {done.stdout.strip()}"


def test_student_names_come_from_nbgrader_folders_or_file_names():
    assert student_name("course/submitted/ada/keras_lesson/keras_lesson.ipynb") == "ada"
    assert student_name("course/autograded/bo/keras_lesson/keras_lesson.ipynb") == "bo"
    assert student_name("demo/students/ben.py") == "ben"
    assert unique_names(["ben", "ada", "Ben", "ben"]) == ["ben", "ada", "Ben-2", "ben-3"]


def test_diagram_graph_adds_the_input_of_a_sequential_model(reports):
    reference = by_student(reports)["alice"]["practices"]["practice1"]["details"]["reference"]
    graph = layer_graph(reference)
    first = reference["layers"][0]["name"]
    assert list(graph.predecessors(first)) == [reference["inputs"][0]["name"]], "the input feeds the first layer"
    assert graph.number_of_nodes() == len(reference["layers"]) + 1


def test_csv_cells_never_start_a_spreadsheet_formula(reports, tmp_path):
    sneaky = copy.deepcopy(reports[0])
    sneaky["submission"] = "=HYPERLINK(1).py"
    write_report(tmp_path / "out", [sneaky])
    with open(tmp_path / "out" / "class.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][0] == "'=HYPERLINK(1)", rows[1]


# --- synthetic classes: one small report per rule ---------------------------------------------------------

MISSING = {name: answer_problem(practice.function, None) for name, practice in PRACTICES.items()}


def practice(score: float, *lost: tuple[str, float, float, str], error: str | None = None,
             graded: bool = True, details: dict | None = None) -> dict:
    """One practice of a ``graders grade --json`` report; ``lost`` are (criterion, score, max, message)."""
    criteria = [{"name": name, "score": got, "max_score": top, "message": message} for name, got, top, message in lost]
    out = {"score": score, "max_score": 10.0, "feedback": [m for *_, m in lost] + ([error] if error else []),
           "criteria": criteria, "error": error}
    if not graded:
        out["graded"] = False
    if details:
        out["details"] = details
    return out


def synthetic(name: str, p1=None, p2=None, p3=None, error: str | None = None) -> dict:
    """A report of ``graders grade --json`` for ``name``: each practice full marks unless given.

    Each practice carries its title and contract function, as the grader reports them.
    """
    practices = {"practice1": p1 or practice(10), "practice2": p2 or practice(10), "practice3": p3 or practice(10)}
    practices = {key: {**data, "title": PRACTICES[key].title, "function": PRACTICES[key].function}
                 for key, data in practices.items()}
    return {"submission": f"class/{name}.py", "practices": practices,
            "total": round(sum(p["score"] for p in practices.values()), 2),
            "max_total": sum(10.0 for p in practices.values() if p.get("graded", True)),
            "error": error, "notes": []}


def blank(name: str) -> dict:
    """A blank submission: no practice's function defined, in the grader's own words."""
    return synthetic(name, *(practice(0, error=MISSING[p]) for p in ("practice1", "practice2", "practice3")))


def rules(report: dict, threshold: float = 60, gradebook: dict | None = None, differed: bool = False) -> set[str]:
    student, = build_roster([report], gradebook)
    return {reason.rule for reason in at_risk_reasons(student, threshold, 30.0, differed)}


def test_csv_carries_the_gradebook_names_and_rounds_scores_to_hundredths(tmp_path):
    # 10 + 4.69 is 14.690000000000001 in floating point; with no total given it is summed
    gradebook = {"dana": {"practice1": 10.0, "practice2": 4.69}}
    people = {"dana": {"first_name": "Dana", "last_name": "Lee", "email": "dana@example.org"}}
    # 10/3 = 3.3333…, shown 3.33; 3.3333… + 10 + 10 = 23.3333…, shown 23.33
    third = synthetic("cleo", p1=practice(10 / 3))
    third["total"] = 10 / 3 + 20
    write_report(tmp_path, [third], gradebook, people=people)
    with open(tmp_path / "class.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["student_id", "first_name", "last_name", "email", "practice1", "practice2", "practice3",
                       "total"], rows[0]
    assert rows[1] == ["cleo", "", "", "", "3.33", "10", "10", "23.33"], rows[1]
    assert rows[2] == ["dana", "Dana", "Lee", "dana@example.org", "10", "4.69", "", "14.69"], rows[2]


def test_csv_names_that_look_like_formulas_are_kept_as_text():
    student, = build_roster([synthetic("ann")], people={"ann": {"first_name": "=1+1", "last_name": "\t=1+1",
                                                               "email": "\r@x"}})
    assert grade_rows([student], ["practice1"])[1][:4] == ["ann", "'=1+1", "'\t=1+1", "'\r@x"]


def test_a_total_below_the_threshold_alone_puts_a_student_at_risk():
    # 6 + 6 + 5.9 = 17.9 < 60 % of 30 = 18, and no practice failed
    low = synthetic("lou", practice(6), practice(6), practice(5.9))
    assert rules(low) == {LOW_TOTAL}
    # 50 % of 30 = 15 <= 17.9
    assert rules(low, threshold=50) == set(), "17.9 of 30 is not below 50 %"
    # 6 + 6 + 6 = 18 = 60 % of 30: not below
    assert rules(synthetic("liv", practice(6), practice(6), practice(6))) == set()


def test_a_practice_that_scored_zero_or_failed_alone_puts_a_student_at_risk():
    # 10 + 10 + 0 = 20 >= 18
    zero = synthetic("zed", p3=practice(0, ("Best checkpoint: minimum in the middle", 0, 2, "wrong file")))
    assert rules(zero) == {FAILED_PRACTICE}
    raised = synthetic("ray", p3=practice(0, error="find_best_checkpoint() raised ValueError: no files"))
    assert rules(raised) == {FAILED_PRACTICE}
    student, = build_roster([raised])
    assert [r.text for r in at_risk_reasons(student)] == ["practice3 failed: find_best_checkpoint() raised ValueError: no files"]


def test_a_grader_error_alone_puts_a_student_at_risk():
    # practice3 not graded: the maximum is 20, the total 20
    not_graded = synthetic("nat", p3=practice(0, error=None, graded=False))
    assert rules(not_graded) == {GRADER_ERROR}
    crashed = synthetic("cal", p2=practice(0, error="the grader could not score this answer (KeyError: 'x')"))
    # 10 + 0 + 10 = 20 >= 18; a grader's fault is not the student's failed practice
    assert rules(crashed) == {GRADER_ERROR}


def test_scores_that_differ_alone_put_a_student_at_risk():
    report = synthetic("dee")
    assert rules(report) == set()
    assert rules(report, gradebook={"dee": {"practice2": 9.0, "total": 29.0}}) == {SCORES_DIFFER}
    assert rules(report, differed=True) == {SCORES_DIFFER}


def test_a_blank_submission_is_not_attempted_and_no_mistake(tmp_path):
    students = build_roster([blank("eve"), synthetic("ann")])
    eve = students[1]
    assert not_attempted(eve) and not not_attempted(students[0])
    assert NOT_ATTEMPTED in {r.rule for r in at_risk_reasons(eve, 60, 30)}
    assert FAILED_PRACTICE not in {r.rule for r in at_risk_reasons(eve, 60, 30)}, "a blank is not three failures"
    assert common_mistakes(students) == [], "a blank submission must not count as a mistake"
    assert all(rate.counted == 1 for rate in pass_rates(students)), "only ann counts in the pass rates"
    # a missing function in one practice, the others answered, is an attempt with a mistake
    partial = synthetic("pia", p1=practice(0, error=MISSING["practice1"]))
    stopped = blank("sam")
    stopped["practices"]["practice2"] = {**practice(0, error="build_residual_model is not defined because cell 3 stopped"),
                                         "function": "build_residual_model"}
    roster = build_roster([partial, stopped])
    assert not any(not_attempted(s) for s in roster), "a partial or a broken submission is attempted"
    assert [m.students for m in common_mistakes(roster) if m.practice == "practice1"] == [["pia", "sam"]]

    write_report(tmp_path, [blank("eve"), synthetic("ann")])
    dashboard = (tmp_path / "index.html").read_text()
    row = dashboard.split('href="students/eve.html">eve</a>')[1].split("</tr>")[0]
    assert "not attempted" in row, "eve's row should say not attempted"
    assert "No mistakes recorded." in dashboard
    assert "Not attempted:" in (tmp_path / "students" / "eve.html").read_text()


LAST = ("On the '{kind}' directory, your function returned the last checkpoint{aside}, not the checkpoint with "
        "the smallest recorded val_loss. {tip}")


def checkpoint_report(name: str, kinds_and_wordings: list[tuple[str, str, str]]) -> dict:
    lost = [(f"Best checkpoint: {kind}", 0, 2, LAST.format(kind=kind, aside=aside, tip=tip))
            for kind, aside, tip in kinds_and_wordings]
    runs = [{"kind": kind, "epochs": [1, 2, 3], "val_loss": [0.5, 0.4, 0.6], "best_epoch": 2, "chosen_epoch": 3}
            for kind, *_ in kinds_and_wordings]
    return synthetic(name, p3=practice(10 - 2 * len(lost), *lost, details={"runs": runs}))


def test_one_cause_in_two_wordings_and_directories_is_one_row():
    ben = checkpoint_report("ben", [("minimum in the middle", " (also the most recently modified file)",
                                     "Training goes on after the best epoch.")])
    kim = checkpoint_report("kim", [("legacy .h5 files", "", "EarlyStopping waited 3 epochs.")])
    first = synthetic("fay", p3=practice(8, ("Best checkpoint: ties", 0, 2,
                                             "On the 'ties' directory, your function returned the first checkpoint, "
                                             "not the checkpoint with the smallest recorded val_loss.")))
    mistakes = common_mistakes(build_roster([ben, kim, first]))
    last = [m for m in mistakes if "last checkpoint" in m.pattern]
    assert len(last) == 1, f"one row for 'returned the last checkpoint': {[(m.cause, m.students) for m in mistakes]}"
    assert last[0].students == ["ben", "kim"] and last[0].criterion == "Best checkpoint"
    assert last[0].instances == ["minimum in the middle", "legacy .h5 files"]
    assert len(last[0].wordings) == 2, "both wordings are kept to be shown"
    assert [m.students for m in mistakes if "first checkpoint" in m.pattern] == [["fay"]], "another cause, another row"


def test_numbers_paths_and_names_do_not_split_a_cause():
    assert cause_key("layer 2 (Dense): expected activation 'relu', found 'sigmoid'.") == cause_key(
        "layer 4 (Dense): expected activation 'softmax', found 'relu'.")
    assert cause_key("returned /tmp/a1/07-0.52.keras, which is not in the directory.") == cause_key(
        "returned ../b/12-0.40.h5, which is not in the directory.")
    assert cause_key("Total parameters: expected 109,386, found 104,938.") == cause_key(
        "Total parameters: expected 109,386, found 99.")
    # an apostrophe inside a word opens no quote, so the layer names after it are still taken out
    kinds = "Your layers are connected as in spec 2, but not all of them are of the spec's kind: your {} is in its place."
    assert cause_key(kinds.format("MaxPooling2D 'max_pooling2d'")) == cause_key(kinds.format("MaxPooling2D 'pool_a'"))
    assert "max_pooling2d" not in cause_key(kinds.format("MaxPooling2D 'max_pooling2d'"))
    # what the spec names stays: L4 and L6 taking the wrong input are two causes
    assert cause_key("L4 (AveragePooling2D) should take L1 (the input).") != cause_key(
        "L6 (GlobalAveragePooling2D) should take L5 (Add).")
    assert cause_key("Missing layer: layer 3 should be Dropout(rate 0.2).") != cause_key(
        "Extra layer: your layer 5 (Dense 'dense_7') is not in the spec.")
    assert criterion_family("Best checkpoint: two-digit val_loss in the names") == "Best checkpoint"
    assert criterion_family("Best checkpoint (legacy .h5 files)") == "Best checkpoint"
    assert criterion_family("layers and their order") == "layers and their order"


def test_a_cause_id_on_the_criterion_wins_over_the_wording():
    one = synthetic("one", p1=practice(8, ("layer settings", 1, 3, "Layer 2 is sigmoid; the spec says relu.")))
    two = synthetic("two", p1=practice(8, ("layer settings", 1, 3, "Wrong activation on the first Dense layer.")))
    for report in (one, two):
        report["practices"]["practice1"]["criteria"][0]["cause"] = "activation"
    mistakes = common_mistakes(build_roster([one, two]))
    assert [(m.cause, m.students) for m in mistakes] == [("activation", ["one", "two"])]


def test_dashboard_puts_students_at_risk_first_with_their_reasons(tmp_path):
    reports = [synthetic("amy"), synthetic("bob", practice(6), practice(6), practice(5.9)), blank("cat")]
    assert report_main([str(tmp_path / "out"), "--jsonl", str(_jsonl(tmp_path, reports)), "--at-risk", "50%"]) == 0
    dashboard = (tmp_path / "out" / "index.html").read_text()
    table = dashboard.split('<table class="students sortable">')[1].split("</table>")[0]
    order = re.findall(r'<th scope="row"[^>]*><a href="students/(\w+)\.html"', table)
    # at 50 %: bob's 17.9 >= 15 is not at risk; cat (blank, 0) is; then the others by name
    assert order == ["cat", "amy", "bob"], f"row order {order}"
    assert "total 0 of 30 is below 50 % (15)" in table
    assert table.count("⚠") == 1, "one student at risk at 50 %"

    assert report_main([str(tmp_path / "out"), "--jsonl", str(_jsonl(tmp_path, reports))]) == 0
    table = (tmp_path / "out" / "index.html").read_text().split('<table class="students sortable">')[1]
    # at the default 60 %: 17.9 < 18, bob joins cat; the lowest total first
    assert re.findall(r'<th scope="row"[^>]*><a href="students/(\w+)\.html"', table)[:3] == ["cat", "bob", "amy"]
    assert "total 17.9 of 30 is below 60 % (18)" in table


def test_at_risk_must_be_a_percentage(tmp_path, capsys):
    jsonl = _jsonl(tmp_path, [synthetic("amy")])
    for bad in ("abc", "150", "-1"):
        with pytest.raises(SystemExit) as stopped:
            report_main([str(tmp_path / "out"), "--jsonl", str(jsonl), "--at-risk", bad])
        assert stopped.value.code == 2, f"--at-risk {bad} should be a usage error"
        assert "--at-risk" in capsys.readouterr().err


def _jsonl(folder: Path, reports: list[dict]) -> Path:
    path = folder / "class.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in reports))
    return path


def test_alt_texts_say_what_each_figure_shows():
    assert histogram_alt("practice1", [10, 9.25, 0], 10) == (
        "Histogram of practice1 scores out of 10, 3 students: 1 from 0 to 1, 2 from 9 to 10.")
    run = {"kind": "legacy .h5 files", "epochs": [1, 2, 3], "val_loss": [0.5, 0.4, 0.6], "best_epoch": 2,
           "chosen_epoch": 3}
    assert curve_alt(run) == "val_loss per epoch for directory legacy .h5 files, chosen epoch 3, best epoch 2"
    assert curve_alt({**run, "chosen_epoch": None}).endswith("no checkpoint chosen, best epoch 2")
    chain = {"inputs": [{"name": "in", "shape": [None, 4]}], "layers": [
        {"name": "d1", "kind": "Dense", "inbound": ["in"]}, {"name": "d2", "kind": "Dense", "inbound": ["d1"]}]}
    assert diagram_alt(chain, "practice1: submitted") == (
        "Diagram of the practice1: submitted model, 2 layers: in (InputLayer) → d1 (Dense) → d2 (Dense).")
    branched = {"inputs": [{"name": "in", "shape": [None, 4]}], "layers": [
        {"name": "a", "kind": "Dense", "inbound": ["in"]}, {"name": "b", "kind": "Dense", "inbound": ["in"]},
        {"name": "add", "kind": "Add", "inbound": ["a", "b"]}]}
    assert diagram_alt(branched, "x") == (
        "Diagram of the x model, 3 layers: in (InputLayer) is an input; a (Dense) takes in; b (Dense) takes in; "
        "add (Add) takes a, b.")


@pytest.mark.filterwarnings("ignore:Object of type")
def test_nbgrader_export_through_the_plugin_rounds_scores_to_hundredths(tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    from graders.report.export import RoundedCsvExportPlugin

    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    cells = (("practice1-public", 5.0), ("practice1-hidden", 5.0), ("practice2-public", 3.07), ("practice2-hidden", 1.62))
    grades = tmp_path / "grades.csv"
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        gradebook.add_assignment("keras_lesson")
        gradebook.add_notebook("keras_lesson", "keras_lesson")
        for cell, _ in cells:
            gradebook.add_grade_cell(cell, "keras_lesson", "keras_lesson", max_score=10, cell_type="code")
        gradebook.add_student("dana", first_name="Dana", email="dana@example.org")
        gradebook.add_submission("keras_lesson", "dana")
        for cell, points in cells:
            gradebook.find_grade(cell, "keras_lesson", "keras_lesson", "dana").auto_score = points
        gradebook.db.commit()
        # 5 + 5 + 3.07 + 1.62 is 14.690000000000001 in floating point, as nbgrader's own export writes it
        assert gradebook.find_submission("keras_lesson", "dana").score != 14.69
        RoundedCsvExportPlugin(to=str(grades)).export(gradebook)
    with open(grades, newline="") as handle:
        row = next(csv.DictReader(handle))
    assert (row["student_id"], row["first_name"], row["email"]) == ("dana", "Dana", "dana@example.org")
    # 4 cells of 10 points: max 40
    assert (row["raw_score"], row["score"], row["max_score"]) == ("14.69", "14.69", "40"), row


def test_a_notebook_that_disagreed_with_the_trusted_grader_heads_the_students(tmp_path):
    # tamperer's 30 is full marks, yet the notebook's own cells showed other scores: at risk, and first,
    # before low (1 + 1 + 1 = 3) and eve (blank, 0) whose totals are lower
    reports = [blank("eve"), synthetic("tamperer"), synthetic("low", practice(1), practice(1), practice(1))]
    differed = [{"student": "tamperer", "assignment": "keras_lesson", "notebook": "keras_lesson",
                 "cells": [{"grade_id": "practice1-public", "kernel": "5", "trusted": 5.0}], "comments": []}]
    write_report(tmp_path, reports, None, differed)
    html = (tmp_path / "index.html").read_text()
    table = html.split('<table class="students sortable">')[1].split("</table>")[0]
    order = re.findall(r'<th scope="row"[^>]*><a href="students/(\w+)\.html"', table)
    assert order == ["tamperer", "eve", "low"], f"row order {order}"
    assert table.count("(differed)") == 1 and "disagreed with the trusted grader" in table
