"""The HTML review page in a real headless Chromium (Debian's /usr/bin/chromium).

Chromium is driven over the Chrome DevTools Protocol on a local websocket (the
small client below): no chromedriver, no selenium-manager, nothing downloaded.
Covers: the page renders, sorting reorders rows, the flagged-only filter and
the search box hide rows, a <script> in a document is shown as text and never
runs, and the editor's waiver flow end to end (waive in the page -> export ->
`qe check --waivers` -> exit 0). Also leaves a screenshot for a person to look at.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import COMMITTEE_TEXT

from qe.errors import ExitCode
from qe.reporting import render_html

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium); CI installs it"),
]

_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-dev-shm-usage", "--remote-debugging-port=0",
    "--hide-scrollbars", "--window-size=1440,900",
]


class CDPError(RuntimeError):
    pass


class Browser:
    """One headless Chromium with one page; close() ends the process we started."""

    def __init__(self, timeout: float = 20.0):
        import websocket  # websocket-client

        self.profile = Path(tempfile.mkdtemp(prefix="qe-chromium-"))
        self.proc = subprocess.Popen([CHROMIUM, *_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                raise CDPError("chromium did not start")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        page = None
        while page is None:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as resp:
                page = next((t for t in json.load(resp) if t.get("type") == "page"), None)
            if page is None:
                if time.monotonic() > deadline:
                    self.close()
                    raise CDPError("chromium has no page target")
                time.sleep(0.05)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=timeout, suppress_origin=True)
        self._id = 0
        self.events: list[dict] = []
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, **params) -> dict:
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise CDPError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)
            if msg.get("method") == "Page.javascriptDialogOpening":
                # Never leave the page blocked on a dialog; the test reads the event.
                self.ws.send(json.dumps({"id": 0, "method": "Page.handleJavaScriptDialog",
                                         "params": {"accept": True}}))

    def wait_for_event(self, method: str, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, ev in enumerate(self.events):
                if ev.get("method") == method:
                    return self.events.pop(i)
            self.ws.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                self.events.append(json.loads(self.ws.recv()))
            except Exception:  # timeout: loop checks the deadline
                pass
            finally:
                self.ws.settimeout(timeout)
        raise CDPError(f"no {method} within {timeout}s")

    def open(self, path: Path) -> None:
        self.events.clear()
        self.send("Page.navigate", url=Path(path).resolve().as_uri())
        self.wait_for_event("Page.loadEventFired")

    def js(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise CDPError(f"{expression[:80]}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def type_into(self, selector: str, text: str) -> None:
        self.js(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", text=text)

    def allow_downloads(self, directory: Path) -> None:
        self.send("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(directory))

    def screenshot(self, path: Path, width: int = 1440, height: int = 900) -> Path:
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def close(self) -> None:
        ws = getattr(self, "ws", None)
        if ws is not None:
            try:
                ws.close()
            except Exception:
                pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


# --- the tests ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    pytest.importorskip("websocket", reason="needs websocket-client (pip install websocket-client)")
    b = Browser()
    yield b
    b.close()


@pytest.fixture
def sample_page(tmp_path):
    from test_reporting import sample_report

    path = tmp_path / "report.html"
    path.write_text(render_html(sample_report()), encoding="utf-8")
    return path


def visible_beads(b: Browser) -> list[int]:
    return b.js("Array.from(document.querySelectorAll('#beads tr')).filter(r => !r.hidden)"
                ".map(r => +r.dataset.bead)")


def click(b: Browser, selector: str) -> None:
    b.js(f"document.querySelector({json.dumps(selector)}).click()")


def test_page_renders(browser, sample_page):
    browser.open(sample_page)
    assert browser.js("document.title") == "qe review: kherson.translation.txt"
    # riskiest first (document order between equal risks): the sentences to read first
    assert visible_beads(browser) == RISK_ORDER
    assert browser.js("document.querySelector('th[data-sort=risk]').getAttribute('aria-sort')") == "descending"
    assert browser.js("document.querySelector('.gate').textContent") == "FAILED"
    assert browser.js("document.getElementById('shown').textContent") == "showing 7 of 7 sentences"
    assert browser.js("document.getElementById('decided').textContent") == \
        "flags: 0 waived · 0 accepted · 3 undecided"
    # the original's form beside the flagged name, in the translation column
    assert "Hosen — original: Kherson" in browser.js("document.querySelector('#beads tr[data-bead=\"0\"] td:nth-child(4)').innerText")
    errors = [e for e in browser.events if e.get("method") == "Runtime.exceptionThrown"]
    assert not errors, errors


RISK_ORDER = [5, 1, 0, 4, 6, 3, 2]  # risks 0.95, 0.71, 0.65, 0.65, 0.5, 0.15, 0.08


def test_the_page_opens_riskiest_first_even_without_its_script(sample_page):
    html = sample_page.read_text(encoding="utf-8")
    order = [int(m) for m in __import__("re").findall(r'<tr class="v-\w+" data-bead="(\d+)"', html)]
    assert order == RISK_ORDER


def test_sorting_by_a_score_reorders_rows(browser, sample_page):
    browser.open(sample_page)
    click(browser, "th[data-sort=similarity] button")
    # lowest similarity first; beads with no similarity (omitted, added) always last
    assert visible_beads(browser) == [1, 0, 4, 3, 2, 5, 6]
    assert browser.js("document.querySelector('th[data-sort=similarity]').getAttribute('aria-sort')") == "ascending"
    click(browser, "th[data-sort=similarity] button")
    assert visible_beads(browser) == [2, 3, 4, 0, 1, 5, 6]
    click(browser, "th[data-sort=verdict] button")  # worst first, document order within a verdict
    assert visible_beads(browser) == [0, 1, 4, 5, 6, 2, 3]
    click(browser, "th[data-sort=bead] button")
    assert visible_beads(browser) == [0, 1, 2, 3, 4, 5, 6]
    click(browser, "th[data-sort=risk] button")
    assert visible_beads(browser) == RISK_ORDER


def test_flagged_only_and_search_filter_rows(browser, sample_page):
    browser.open(sample_page)
    click(browser, "#flagged")
    assert visible_beads(browser) == [1, 0, 4]
    assert browser.js("document.getElementById('shown').textContent") == "showing 3 of 7 sentences"
    click(browser, "#flagged")
    click(browser, "#problems")
    assert visible_beads(browser) == [5, 1, 0, 4, 6]  # check or wrong
    click(browser, "#problems")
    browser.type_into("#q", "GENERATORS")  # case-insensitive
    assert visible_beads(browser) == [1]
    browser.js("document.getElementById('q').select()")
    browser.type_into("#q", "30,000")  # the translation's side counts too
    assert visible_beads(browser) == [4]
    click(browser, "#flagged")
    browser.js("document.getElementById('q').select()")
    browser.type_into("#q", "Schools")  # unflagged: hidden while flagged-only is on
    assert visible_beads(browser) == []


def test_waive_all_flags_of_one_rule(browser, sample_page):
    """The editor waives by rule: every flag N102 raised, and no other."""
    browser.open(sample_page)
    click(browser, "button.waive-rule[data-rule=N102]")
    assert browser.js("document.getElementById('decided').textContent") == \
        "flags: 2 waived · 0 accepted · 1 undecided"
    assert browser.js("Array.from(document.querySelectorAll('li.flag.is-waived')).map(li => li.dataset.rule)") == \
        ["N102", "N102"]
    # each flag shows its rule, the explanation on hover
    assert browser.js("document.querySelector('li.flag[data-rule=Q301] abbr.rule').textContent") == "Q301"


def test_script_in_a_document_is_shown_as_text_and_not_run(browser, sample_page):
    browser.open(sample_page)
    time.sleep(0.2)  # give a smuggled script a moment to run, if it could
    dialogs = [e for e in browser.events if e.get("method") == "Page.javascriptDialogOpening"]
    assert not dialogs, "alert() ran: document text was not escaped"
    cell = browser.js("document.querySelector('#beads tr[data-bead=\"2\"] td:nth-child(3)').textContent")
    assert "<script>alert(1)</script>" in cell
    assert browser.js("document.querySelectorAll('#beads script').length") == 0


PAIR_ORIGINAL = COMMITTEE_TEXT


def test_waiver_flow_end_to_end(browser, tmp_path):
    from typer.testing import CliRunner

    from qe.cli import app

    original = tmp_path / "minutes.txt"
    translation = tmp_path / "minutes.back.txt"
    original.write_text(PAIR_ORIGINAL, encoding="utf-8")
    translation.write_text(PAIR_ORIGINAL.replace("Brussels", "Madrid"), encoding="utf-8")
    runner = CliRunner()
    base = ["check", str(original), str(translation), "--model", "hashing", "--formats", "json,html"]

    first = runner.invoke(app, [*base, "--out", str(tmp_path / "run1")])
    assert first.exit_code == ExitCode.GATE_FAILED, first.output
    flags = json.loads((tmp_path / "run1" / "report.json").read_text())["beads"]
    keys = [f["key"] for b in flags for f in b["flags"]]
    assert keys, "the changed name was not flagged"

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.allow_downloads(downloads)
    browser.open(tmp_path / "run1" / "report.html")
    n = browser.js("document.querySelectorAll('li.flag').length")
    assert n == len(keys)
    browser.js("document.querySelectorAll('li.flag input[value=waived]').forEach(i => i.click())")
    assert browser.js("document.getElementById('decided').textContent").startswith(f"flags: {n} waived")
    click(browser, "#export")
    exported = downloads / "qe-waivers.json"
    deadline = time.monotonic() + 10
    while not exported.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert exported.exists(), "the export did not download"
    waivers = json.loads(exported.read_text(encoding="utf-8"))
    assert waivers["document"] == translation.name
    assert sorted(d["key"] for d in waivers["decisions"]) == sorted(set(keys))

    second = runner.invoke(app, [*base, "--out", str(tmp_path / "run2"), "--waivers", str(exported)])
    assert second.exit_code == ExitCode.PASSED, second.output
    again = json.loads((tmp_path / "run2" / "report.json").read_text())
    waived = [f["waived"] for b in again["beads"] for f in b["flags"]]
    assert waived and all(waived)  # still in the report, marked waived

    # and the second report's page starts with those decisions made
    browser.open(tmp_path / "run2" / "report.html")
    assert browser.js("document.getElementById('decided').textContent").startswith(f"flags: {n} waived")


def test_screenshot_of_a_report(browser, sample_page):
    """Leaves /tmp/qe-report.png (or $QE_SCREENSHOT) for a person to look at."""
    browser.open(sample_page)
    target = Path(os.environ.get("QE_SCREENSHOT", str(sample_page.with_suffix(".png"))))
    browser.screenshot(target)
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
