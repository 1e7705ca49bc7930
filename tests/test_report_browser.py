"""The report as an instructor sees it: the dashboard and the student pages in headless Chromium.

Chromium is driven through its DevTools protocol over a pipe
(``--remote-debugging-pipe``: JSON messages ending in a NUL byte on file
descriptors 3 and 4), so the test needs no WebDriver, no open port and no
package beyond the standard library. Screenshots go to ``tests/artifacts/``.
Besides loading cleanly, the pages are checked for what a screen reader or a
colour-blind reader needs (a language, alt texts, header scopes, marks that are
not only a colour) and the students table for sorting by a click, and for
reading in its written order with JavaScript off. The demo class graded and
reported in Korean (``graders --lang ko``) gives a Korean dashboard, checked the
same way, with its screenshot ``report-dashboard-ko.png``.
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from graders import i18n
from graders.report import write_report
from graders.report.plots import bundled_korean_font
from graders.report.text import tr

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
#: headless, offline and quiet: no GPU, no QUIC, no first-run, update, sync or background requests
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)
TIMEOUT = 30.0

#: what PAGE_FACTS reads; MARKS is replaced by the pattern of the words that mark a row (:func:`row_marks`)
PAGE_FACTS = """(() => ({
  students: Array.from(document.querySelectorAll("table.students tbody th a")).map(a => a.textContent),
  images: Array.from(document.images).map(i => ({src: i.getAttribute("src"), complete: i.complete,
                                                  width: i.naturalWidth, alt: i.getAttribute("alt")})),
  lang: document.documentElement.getAttribute("lang"),
  unscoped: Array.from(document.querySelectorAll("th")).filter(th => !["col", "row"].includes(th.getAttribute("scope")))
                 .map(th => th.textContent.trim()),
  // every row that loses points or is at risk must say so in text, not only by its background
  marked: Array.from(document.querySelectorAll("tr.lost, table.students tbody tr")).filter(
      tr => tr.matches("tr.lost") || getComputedStyle(tr.cells[1]).backgroundColor !== getComputedStyle(tr.cells[0].closest("table")).backgroundColor
    ).map(tr => ({
    text: tr.textContent.replace(/\\s+/g, " ").trim(),
    mark: new RegExp(MARKS).test(tr.textContent)})),
}))()"""
#: the students table's rows as the page shows them now: the name and each cell's text
TABLE_ROWS = """Array.from(document.querySelectorAll("table.students tbody tr")).map(
  tr => Array.from(tr.cells).map(cell => cell.textContent.replace(/\\s+/g, " ").trim()))"""
HEADINGS = """Array.from(document.querySelectorAll("table.students thead th")).map(th => th.textContent.trim())"""
SECTION_HEADINGS = """Array.from(document.querySelectorAll("h1, h2")).map(h => h.textContent.replace(/\\s+/g, " ").trim())"""
HANGUL = re.compile(r"[가-힣]")


def fonts_with_hangul(scratch: Path) -> dict:
    """Chromium's environment, with the Korean font the report's figures use added to the system's fonts.

    A Korean instructor's machine has a font with Hangul; a test machine may
    not, and its screenshots would show empty boxes.
    """
    font = bundled_korean_font()
    if font is None:
        return dict(os.environ)
    config = scratch / "fonts.conf"
    config.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{font.parent}</dir>
  <cachedir>{scratch / "fontconfig"}</cachedir>
</fontconfig>
""", encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


def row_marks(language: str) -> str:
    """A pattern of the words that say a row lost points or is at risk, in ``language``: ``✗ lost 3``, ``⚠ at risk``."""
    with i18n.language(language):
        lost = re.escape(tr("lost %(points)s")).replace(re.escape("%(points)s"), r"[\d.]+")
        return "|".join([f"✗ {lost}", f"⚠ {re.escape(tr('at risk'))}", f"⚠ {re.escape(tr('not attempted'))}"])


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


class DevTools:
    """A headless Chromium and one page in it, spoken to over the DevTools pipe."""

    def __init__(self, chromium: str, profile: Path, log: Path, env: dict | None = None):
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()
        # the shell gives Chromium our pipes as the descriptors 3 and 4 it reads and writes
        self.process = subprocess.Popen(
            ["sh", "-c", 'exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null', chromium, *CHROMIUM_FLAGS,
             f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=commands_read, stdout=replies_write, stderr=open(log, "wb"), env=env,
        )
        os.close(commands_read)
        os.close(replies_write)
        self._buffer = b""
        self._last_id = 0
        self.events: list[dict] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=self.session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=self.session)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Sends one command; returns its result. Events read meanwhile are kept in ``events``."""
        self._last_id += 1
        message = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def open(self, url: str) -> list[dict]:
        """Loads ``url`` in the page and waits for its load event; returns the events it caused."""
        self.events.clear()
        self.send("Page.navigate", {"url": url}, session=self.session)
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._receive())
        # messages of one session arrive in order: once this returns, every earlier event is in
        self.send("Runtime.evaluate", {"expression": "1"}, session=self.session)
        return list(self.events)

    def click(self, selector: str) -> None:
        """Clicks the middle of the first element ``selector`` finds with the mouse, as a person would."""
        box = self.evaluate(f"""(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();
                                 return {{x: r.x + r.width / 2, y: r.y + r.height / 2}}; }})()""")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"], "button": "left",
                                                   "clickCount": 1}, session=self.session)

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                           session=self.session)
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        """Saves the whole page, not only the viewport, as PNG."""
        size = self.send("Page.getLayoutMetrics", session=self.session)["cssContentSize"]
        shot = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        }, session=self.session)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._replies)

    def _receive(self) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._replies], [], [], left)[0]:
                raise TimeoutError(f"Chromium sent nothing for {TIMEOUT:.0f} s")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium closed the DevTools pipe (exit code {self.process.poll()})")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)


def problems(events: list[dict]) -> list[str]:
    """Console errors, uncaught exceptions, failed loads and requests that leave the local files."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            found.append(f"exception: {details.get('exception', {}).get('description') or details.get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(f"console.{params['type']}: {[a.get('value') for a in params.get('args', [])]}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
        elif method == "Network.loadingFailed":
            found.append(f"failed to load: {params.get('errorText')}")
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(("file:", "data:")):
                found.append(f"network request: {url}")
    return found


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = find_chromium()
    if chromium is None and os.environ.get("CI") == "true":
        pytest.fail("Chromium not found (looked for chromium and chromium-browser on PATH): CI must run the "
                    "browser tests; install it with `apt-get install chromium`")
    if chromium is None:
        pytest.skip("Chromium not found (looked for chromium and chromium-browser on PATH); "
                    "install it with `apt-get install chromium` (`make test` does when it can)")
    scratch = tmp_path_factory.mktemp("chromium")
    devtools = DevTools(chromium, scratch / "profile", scratch / "chromium.log", env=fonts_with_hangul(scratch))
    yield devtools
    devtools.close()


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory, demo_class_reports) -> Path:
    outdir = tmp_path_factory.mktemp("browser-report") / "report"
    write_report(outdir, list(demo_class_reports))
    ARTIFACTS.mkdir(exist_ok=True)
    return outdir


@pytest.fixture(scope="module")
def korean_report_dir(tmp_path_factory, run_cli) -> Path:
    """The demo class graded and reported in Korean by the command line, as ``GRADERS_LANG=ko make demo`` does."""
    folder = tmp_path_factory.mktemp("browser-report-ko")
    students = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "demo" / "students").glob("*.py"))
    graded = run_cli("--lang", "ko", "grade", "--json", "--jobs", "2", *students)
    assert graded.returncode == 0, f"graders --lang ko grade failed: {graded.stderr[-2000:]}"
    (folder / "class.jsonl").write_text(graded.stdout, encoding="utf-8")
    done = run_cli("--lang", "ko", "report", str(folder / "report"), "--jsonl", str(folder / "class.jsonl"))
    assert done.returncode == 0, f"graders --lang ko report failed: {done.stderr[-2000:]}"
    ARTIFACTS.mkdir(exist_ok=True)
    return folder / "report"


def check_page(browser: DevTools, page: Path, screenshot: str, language: str = "en") -> dict:
    """Opens ``page``, saves its screenshot as an artefact; fails on errors or broken images."""
    events = browser.open(page.as_uri())
    facts = browser.evaluate(PAGE_FACTS.replace("MARKS", json.dumps(row_marks(language))))
    browser.screenshot(ARTIFACTS / screenshot)
    assert not problems(events), f"{page.name}: {problems(events)}"
    broken = [i["src"] for i in facts["images"] if not i["complete"] or i["width"] == 0]
    assert not broken, f"{page.name}: images that did not render: {broken}"
    assert facts["lang"] == language, f"{page.name}: <html lang> is {facts['lang']!r}, expected {language!r}"
    alts = [(i["alt"] or "").strip() for i in facts["images"]]
    assert all(alts), f"{page.name}: images without alt text: {[i['src'] for i in facts['images'] if not i['alt']]}"
    assert len(set(alts)) == len(alts), f"{page.name}: two images share an alt text: {sorted(alts)}"
    assert not facts["unscoped"], f"{page.name}: header cells without scope: {facts['unscoped']}"
    unmarked = [row["text"][:80] for row in facts["marked"] if not row["mark"]]
    assert not unmarked, f"{page.name}: rows marked only by colour: {unmarked}"
    return facts


def test_dashboard_loads_cleanly_lists_every_student_and_renders_its_images(browser, report_dir, demo_class_reports):
    facts = check_page(browser, report_dir / "index.html", "report-dashboard.png")
    expected = sorted(Path(r["submission"]).stem for r in demo_class_reports)
    assert sorted(facts["students"]) == expected, f"students listed: {facts['students']}, expected {expected}"
    # eli's blank submission heads the table, alice's full marks are not at risk
    assert facts["students"][0] == "eli" and "alice" in facts["students"][-2:], f"row order {facts['students']}"
    assert len(facts["marked"]) >= 2, "ben, dana and eli are at risk: their rows should be marked"
    # a histogram per practice, one of the totals, the pass-rate chart
    assert len(facts["images"]) >= 5, f"the dashboard shows {len(facts['images'])} images"
    assert (ARTIFACTS / "report-dashboard.png").stat().st_size > 10_000, "the screenshot looks empty"


def test_every_student_page_loads_cleanly_with_its_figures(browser, report_dir):
    shown = {}
    for page in sorted((report_dir / "students").glob("*.html")):
        shown[page.stem] = len(check_page(browser, page, f"report-student-{page.stem}.png")["images"])
    # ben lost points in practices 1 and 2 (two diagrams each) and practice 3 (a curve per directory)
    assert shown.get("ben", 0) >= 5, f"images per student page: {shown}"


def test_clicking_a_column_heading_sorts_the_students_table(browser, report_dir, demo_class_reports):
    browser.open((report_dir / "index.html").as_uri())
    headings = browser.evaluate(HEADINGS)
    total = headings.index("total")
    # a click on "total" sorts by it from the lowest; a second click reverses the order
    browser.click(f"table.students thead th:nth-child({total + 1}) button")
    shown = [float(row[total]) for row in browser.evaluate(TABLE_ROWS)]
    assert shown == sorted(r["total"] for r in demo_class_reports), f"totals after one click: {shown}"
    assert browser.evaluate(f'document.querySelectorAll("table.students thead th")[{total}].getAttribute("aria-sort")') == "ascending"
    browser.click(f"table.students thead th:nth-child({total + 1}) button")
    shown = [float(row[total]) for row in browser.evaluate(TABLE_ROWS)]
    assert shown == sorted((r["total"] for r in demo_class_reports), reverse=True), f"totals after two clicks: {shown}"
    browser.click("table.students thead th:nth-child(1) button")
    names = [row[0] for row in browser.evaluate(TABLE_ROWS)]
    assert names == sorted(names), f"sorted by student: {names}"
    browser.screenshot(ARTIFACTS / "report-dashboard-sorted.png")


def test_without_javascript_the_table_reads_in_its_written_order(browser, report_dir):
    browser.send("Emulation.setScriptExecutionDisabled", {"value": True}, session=browser.session)
    try:
        browser.open((report_dir / "index.html").as_uri())
        rows = browser.evaluate(TABLE_ROWS)
        hint = browser.evaluate('document.querySelector(".sort-hint").hidden')
        buttons = browser.evaluate('document.querySelectorAll("table.students button").length')
    finally:
        browser.send("Emulation.setScriptExecutionDisabled", {"value": False}, session=browser.session)
    # evaluate still runs with page scripts off: only the page's own script is stopped
    assert hint is True and buttons == 0, "no sort hint and no dead buttons without JavaScript"
    at_risk = [row[0] for row in rows if "at risk" in row[1] or "not attempted" in row[1]]
    assert at_risk and [row[0] for row in rows[: len(at_risk)]] == at_risk, f"at-risk students first: {rows}"
    assert all(row[-1] for row in rows[: len(at_risk)]), "each at-risk student's reasons are written out"


def test_the_korean_dashboard_reads_in_korean_and_sorts_by_a_click(browser, korean_report_dir):
    facts = check_page(browser, korean_report_dir / "index.html", "report-dashboard-ko.png", language="ko")
    sections = browser.evaluate(SECTION_HEADINGS)
    assert sections and all(HANGUL.search(h) for h in sections), f"dashboard headings not in Korean: {sections}"
    headings = browser.evaluate(HEADINGS)
    with i18n.language("ko"):
        total_heading, student_heading = tr("total"), tr("student")
    assert HANGUL.search(total_heading) and total_heading in headings, f"students table headings: {headings}"
    # eli's blank submission is marked in Korean; ben, dana and eli are at risk
    assert facts["students"][0] == "eli" and len(facts["marked"]) >= 3, f"rows: {facts['students']}, {facts['marked']}"
    assert (ARTIFACTS / "report-dashboard-ko.png").stat().st_size > 10_000, "the screenshot looks empty"
    total = headings.index(total_heading)
    browser.click(f"table.students thead th:nth-child({total + 1}) button")
    shown = [float(row[total]) for row in browser.evaluate(TABLE_ROWS)]
    assert shown == sorted(shown) and len(shown) == 5, f"totals after one click on {total_heading}: {shown}"
    browser.click(f"table.students thead th:nth-child({headings.index(student_heading) + 1}) button")
    names = [row[0] for row in browser.evaluate(TABLE_ROWS)]
    assert names == sorted(names), f"sorted by {student_heading}: {names}"


def test_a_korean_student_page_reads_in_korean(browser, korean_report_dir):
    facts = check_page(browser, korean_report_dir / "students" / "ben.html", "report-student-ben-ko.png", language="ko")
    sections = browser.evaluate(SECTION_HEADINGS)
    # ben lost points in every practice: each practice heading says so in Korean; every figure has a Korean alt text
    assert len(sections) == 4 and all(HANGUL.search(h) for h in sections[1:]), f"headings: {sections}"
    assert facts["images"] and all(HANGUL.search(i["alt"] or "") for i in facts["images"]), (
        f"alt texts not in Korean: {[i['alt'] for i in facts['images'] if not HANGUL.search(i['alt'] or '')]}")
