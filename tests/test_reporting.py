"""Report writers: golden files, the CSV/Excel table, JUnit, Markdown, HTML
escaping and highlighting, waiver files.

Most tests use a small report built by hand (`sample_report`), so they test the
writers and nothing else: a change in the aligner or the name checker cannot
move these files. tests/golden/ is regenerated with QE_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from qe import __version__
from qe.errors import ConfigError
from qe.models import (
    Bead,
    BeadScores,
    CorpusScores,
    Document,
    Flag,
    FlagKind,
    Gate,
    Report,
    Risk,
    ScoredBead,
    Sentence,
    Severity,
    Thresholds,
    Verdict,
)
from qe.reporting import (
    RENDERERS,
    render_csv,
    render_html,
    render_json,
    render_junit,
    render_markdown,
    render_summary,
    write_reports,
)
from qe.reporting.html import _Mark, highlight
from qe.reporting.markdown import md
from qe.reporting.table import COLUMNS
from qe.waivers import load_waivers, parse_waivers, render_waivers, waived_keys

GOLDEN = Path(__file__).parent / "golden"
XSS = "<script>alert(1)</script>"

ORIGINAL = [
    "Shelling near Kherson damaged 14 houses overnight.",
    "The mayor of Kherson asked for generators.",
    "Officials said repairs would start next week.",
    f"A reader wrote {XSS} & left.",
    "Power returned to 3,000 homes.",
    "The regional governor thanked the volunteers.",
    "Schools reopen on Monday.",
]
TRANSLATION = [
    "Shelling near Hosen damaged 14 houses overnight.",
    "The mayor of Hosen asked for generators, and officials said repairs would start next week.",
    f"A reader wrote {XSS} & left.",
    "Schools reopen on Monday.",
    "Power returned to 30,000 homes.",
    "Rain is forecast for the weekend.",
]


def make_document(sentences: list[str], name: str, language: str = "en") -> Document:
    parts, pos = [], 0
    for i, text in enumerate(sentences):
        parts.append(Sentence(index=i, text=text, paragraph=0, start=pos, end=pos + len(text)))
        pos += len(text) + 1
    return Document(text=" ".join(sentences), sentences=tuple(parts), language=language, name=name)


def _flag(kind, severity, original, found, bead, src, tgt, category="name", waived=False, rule="") -> Flag:
    if found is None:
        message = f"“{original}” is missing from the translation"
    else:
        message = f"“{found}” — original: “{original}”"
    return Flag(kind=kind, severity=severity, original=original, found=found, message=message, bead=bead,
                src_sentence=src, tgt_sentence=tgt, category=category, waived=waived, rule=rule)


def sample_report(*, cross_language: bool = False, waived: bool = False) -> Report:
    """A fixed report with every bead type, a name changed twice, a number
    changed, an omission, an addition, a moved sentence and markup in the text."""
    src = make_document(ORIGINAL, "texts/kherson.original.txt")
    tgt = make_document(TRANSLATION, "texts/kherson.translation.txt", "sv" if cross_language else "en")
    kherson = dict(kind=FlagKind.CHANGED, severity=Severity.MAJOR, original="Kherson", found="Hosen", waived=waived,
                   rule="N102")
    lex = (lambda b, c: (None, None)) if cross_language else (lambda b, c: (b, c))
    named = Verdict.OK if waived else Verdict.WRONG  # as the pipeline judges: a waived flag does not count
    rows = [
        (Bead((0,), (0,), 0.93), (*lex(78.3, 86.12), 0.9123), [_flag(**kherson, bead=0, src=0, tgt=0)], named),
        (Bead((1, 2), (1,), 0.71), (*lex(52.5, 70.4), 0.8411), [_flag(**kherson, bead=1, src=1, tgt=1)], named),
        (Bead((3,), (2,), 0.99), (*lex(100.0, 100.0), 1.0), [], Verdict.OK),
        (Bead((6,), (3,), 0.88, moved=True), (*lex(100.0, 100.0), 0.9987), [], Verdict.OK),
        (Bead((4,), (4,), 0.9), (*lex(59.46, 88.9), 0.9502),
         [_flag(FlagKind.NUMBER_CHANGED, Severity.MAJOR, "3,000", "30,000", 4, 4, 4, category="number", rule="Q301")], Verdict.WRONG),
        (Bead((5,), ()), (None, None, None), [], Verdict.WRONG),
        (Bead((), (5,)), (None, None, None), [], Verdict.CHECK),
    ]
    # risks as the pipeline would give them (fixed here: the report's layout is under test, not the model)
    risks = [
        Risk(0.12 if waived else 0.65, ("similarity high (0.91)",) if waived else
             ("name changed: Kherson → Hosen", "similarity high (0.91)"), "test"),
        Risk(0.2 if waived else 0.71, ("2 sentences merged or split",) if waived else
             ("name changed: Kherson → Hosen", "2 sentences merged or split"), "test"),
        Risk(0.08, ("similarity high (1.00)", "chrF high (100)"), "test"),
        Risk(0.15, ("similarity high (1.00)", "moved out of order"), "test"),
        Risk(0.65, ("number changed: 3,000 → 30,000",), "test"),
        Risk(0.95, ("omitted: no counterpart in the translation",), "test"),
        Risk(0.5, ("added: not in the original",), "test"),
    ]
    beads = tuple(ScoredBead(b, BeadScores(bleu, chrf, sim), tuple(flags), verdict, risk)
                  for (b, (bleu, chrf, sim), flags, verdict), risk in zip(rows, risks))
    thresholds = Thresholds(check_similarity=0.8, wrong_similarity=0.55, check_risk=0.4, wrong_risk=0.6, min_chrf=None,
                            ignored_flag_kinds=("spelling-variant",))
    reasons = [] if waived else ["2 major name/number flag(s)"]
    reasons.append("1 of 7 original sentences omitted (limit 10%)")
    signature = {
        "qe": __version__,
        "model": "hashing-256",
        "segmenter": "syntok:en/" + ("sv" if cross_language else "en"),
        "alignment": "runs:4|bead:5",
        "thresholds": "check_similarity:0.8|wrong_similarity:0.55",
    }
    notes: tuple[str, ...] = ()
    if cross_language:
        notes = ("BLEU and chrF are not applicable: the original is 'en' and the translation 'sv'",)
    else:
        signature["bleu"] = "nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0"
        signature["chrf"] = "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0"
    corpus = CorpusScores(bleu=None if cross_language else 61.27, chrf=None if cross_language else 79.5,
                          similarity=0.8812, bleu_signature=signature.get("bleu"), chrf_signature=signature.get("chrf"))
    return Report(original=src, translation=tgt, beads=beads, corpus=corpus, thresholds=thresholds,
                  gate=Gate(passed=False, reasons=tuple(reasons)), signature=signature, notes=notes)


# --- golden files -------------------------------------------------------------------------------

def _normalise(text: str) -> str:
    """Remove the volatile field: the qe version, wherever the signature shows it."""
    v = re.escape(__version__)
    text = re.sub(rf'"qe": "{v}"', '"qe": "<version>"', text)  # JSON and the HTML's embedded data
    text = re.sub(rf"qe={v}\b", "qe=<version>", text)  # CSV signature column
    text = re.sub(rf"<dt>qe</dt><dd>{v}</dd>", "<dt>qe</dt><dd>&lt;version&gt;</dd>", text)  # HTML header
    return text


@pytest.mark.parametrize("fmt, filename", [("json", "report.json"), ("csv", "report.csv"), ("html", "report.html")])
def test_golden(fmt, filename):
    rendered = _normalise(RENDERERS[fmt][1](sample_report()))
    assert "<version>" in rendered, "the version was not found where the signature should show it"
    path = GOLDEN / filename
    if os.environ.get("QE_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(rendered.encode("utf-8"))
    expected = path.read_bytes().decode("utf-8")
    assert rendered == expected, f"{filename} differs from tests/golden (QE_UPDATE_GOLDEN=1 rewrites it)"


# --- CSV / Excel / DataFrame ----------------------------------------------------------------------

def test_csv_has_bom_crlf_and_round_trips_through_pandas():
    report = sample_report()
    text = render_csv(report)
    assert text.startswith("\ufeff") and "\r\n" in text
    table = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), keep_default_na=False, dtype=str)
    assert tuple(table.columns) == COLUMNS
    assert len(table) == len(report.beads)
    row = table.iloc[1]
    assert (row["bead"], row["type"], row["shape"], row["src_indexes"], row["tgt_indexes"]) == \
        ("1", "merged", "2-1", "1 2", "1")
    assert row["original"] == ORIGINAL[1] + " " + ORIGINAL[2]
    assert "Hosen" in row["flags"] and "Kherson" in row["flags"] and row["verdict"] == "wrong"
    assert table.iloc[2]["original"] == ORIGINAL[3]  # markup and & survive as plain text
    omitted, added = table.iloc[5], table.iloc[6]
    assert (omitted["type"], omitted["tgt_indexes"], omitted["translation"], omitted["similarity"]) == \
        ("omitted", "", "", "")
    assert (added["type"], added["src_indexes"]) == ("added", "")
    assert table.iloc[3]["type"] == "moved"
    assert f"qe={__version__}" in table.iloc[0]["signature"] and "model=hashing-256" in table.iloc[0]["signature"]


def test_dataframe_is_the_csv_table():
    report = sample_report()
    frame = report.to_dataframe()
    from_csv = pd.read_csv(io.StringIO(render_csv(report).lstrip("\ufeff")))
    assert list(frame.columns) == list(from_csv.columns)
    assert frame["bleu"].tolist()[:5] == from_csv["bleu"].tolist()[:5]
    assert frame.attrs["signature"]["model"] == "hashing-256"


def test_xlsx_holds_the_same_table_and_the_signature(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    report = sample_report()
    (path,) = write_reports(report, tmp_path, ["xlsx"])
    wb = openpyxl.load_workbook(path)
    rows = list(wb["beads"].iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + len(report.beads)
    assert rows[1][COLUMNS.index("translation")] == TRANSLATION[0]
    assert rows[5][COLUMNS.index("bleu")] == pytest.approx(59.46)
    meta = dict(wb["report"].iter_rows(values_only=True))
    assert meta["signature qe"] == __version__ and meta["gate"] == "failed"
    assert meta["threshold min_bleu"] == "off"


# --- JSON ---------------------------------------------------------------------------------------------

def test_json_marks_waived_flags_and_counts_them():
    data = json.loads(render_json(sample_report(waived=True)))
    flags = [f for b in data["beads"] for f in b["flags"]]
    assert [f["waived"] for f in flags] == [True, True, False]
    assert data["counts"]["flags_waived"] == 2
    assert data["signature"]["qe"] == __version__


# --- JUnit ----------------------------------------------------------------------------------------------

def test_junit_is_valid_xml_with_the_failing_cases():
    report = sample_report()
    root = ET.fromstring(render_junit(report))
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    names = [c.get("name") for c in cases]
    assert names[0].startswith("document kherson.translation.txt")
    assert cases[0].find("failure") is not None
    # beads 0, 1 (name flags), 4 (number flag) and 5 (omitted, verdict wrong) count against the gate
    assert [n.split()[1] for n in names[1:]] == ["0", "1", "4", "5"]
    assert all(c.find("failure") is not None for c in cases)
    assert "Hosen" in cases[1].find("failure").get("message")
    assert suite.get("tests") == "5" and suite.get("failures") == "5" and root.get("failures") == "5"
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["signature.qe"] == __version__


def test_junit_passing_gate_shows_no_failure():
    report = dataclasses.replace(sample_report(), gate=Gate(passed=True, reasons=()))
    root = ET.fromstring(render_junit(report))
    assert root.get("failures") == "0"
    assert not list(root.iter("failure"))
    assert len(list(root.iter("skipped"))) == 4  # still listed, not red


def test_junit_drops_characters_xml_cannot_hold():
    report = sample_report()
    bad = dataclasses.replace(report.translation.sentences[0], text="Shelling near Hosen\x0b\x01 damaged.")
    translation = dataclasses.replace(report.translation, sentences=(bad, *report.translation.sentences[1:]))
    ET.fromstring(render_junit(dataclasses.replace(report, translation=translation)))  # parses


def test_junit_waived_flags_do_not_fail():
    report = dataclasses.replace(sample_report(waived=True), gate=Gate(False, ("1 of 7 original sentences omitted",)))
    suite = ET.fromstring(render_junit(report)).find("testsuite")
    assert [c.get("name").split()[1] for c in suite.findall("testcase")[1:]] == ["4", "5"]


# --- Markdown ---------------------------------------------------------------------------------------------

def test_markdown_summary_has_verdict_reasons_flags_and_signature():
    text = render_markdown(sample_report())
    assert text.startswith("### ❌ qe: kherson.translation.txt failed")
    assert "2 major name/number flag(s)" in text
    assert "| 0 | major | changed | Kherson | Hosen |" in text
    assert f"| signature: qe | {__version__} |" in text
    assert "<script>" not in text


def test_markdown_cross_language_says_not_applicable():
    text = render_markdown(sample_report(cross_language=True))
    assert "| document | n/a | n/a | 0.881 |" in text and "not applicable" in text


@pytest.mark.parametrize("raw, shown", [
    ("a|b", "a&#124;b"), ("<img src=x>", "&lt;img src=x&gt;"), ("*bold* _it_", "\\*bold\\* \\_it\\_"),
    ("line\nbreak", "line break"), ("[link](http://x)", "\\[link\\](http://x)"),
])
def test_markdown_escapes_document_text(raw, shown):
    assert md(raw) == shown


# --- HTML ---------------------------------------------------------------------------------------------------

def test_html_is_self_contained_and_escapes_document_text():
    page = render_html(sample_report())
    assert XSS not in page  # never raw, neither in the rows nor in the embedded JSON
    assert "A reader wrote &lt;script&gt;alert(1)&lt;/script&gt; &amp; left." in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the page must not load anything"
    assert "Content-Security-Policy" in page
    data = re.search(r'<script type="application/json" id="qe-data">(.*?)</script>', page, re.DOTALL).group(1)
    assert "</" not in data
    parsed = json.loads(data)
    assert [f["key"] for f in parsed["flags"]] == [f.key for f in sample_report().flags]


def test_html_shows_bead_types_flags_and_the_original_form():
    page = render_html(sample_report())
    for kind in ("merged 2→1", "omitted", "added", "moved"):
        assert kind in page
    assert '<mark class="hl-major" title="“Hosen” — original: “Kherson”">Hosen</mark>' in page
    assert '<span class="was">— original: Kherson</span>' in page
    assert "— omitted: no counterpart in the translation —" in page
    assert "<dt>model</dt><dd>hashing-256</dd>" in page
    assert "check_similarity" in page  # thresholds used


def test_html_cross_language_scores_are_not_applicable():
    page = render_html(sample_report(cross_language=True))
    assert "not applicable: the original is &#x27;en&#x27; and the translation &#x27;sv&#x27;" in page
    assert page.count(">n/a</span>") >= 2 * 7  # BLEU and chrF of every bead


@pytest.mark.parametrize("text, needles, expected", [
    ("near Kherson.", ["Kherson"], 'near <mark class="m" title="t">Kherson</mark>.'),
    # whole words first: "Home" must not mark the start of "Homeland"
    ("Homeland and Home", ["Home"], 'Homeland and <mark class="m" title="t">Home</mark>'),
    # the match is found in raw text, then each piece escaped: no broken entities
    ("a < b & amp", ["amp"], 'a &lt; b &amp; <mark class="m" title="t">amp</mark>'),
    ("<b>x</b>", ["<b>"], '<mark class="m" title="t">&lt;b&gt;</mark>x&lt;/b&gt;'),
    # overlapping needles: the longer, earlier one wins
    ("White House", ["White House", "House"], '<mark class="m" title="t">White House</mark>'),
    ("no match", ["Kherson"], "no match"),
])
def test_highlight(text, needles, expected):
    assert highlight(text, [_Mark(n, "m", "t") for n in needles]) == expected


def test_every_writer_carries_the_signature():
    report = sample_report()
    for fmt, (_, render) in RENDERERS.items():
        if fmt == "xlsx":
            continue  # checked in its own test, it is binary
        assert "hashing-256" in render(report), fmt
    assert "model=hashing-256" in render_summary(report)  # the terminal summary too


# --- waivers ----------------------------------------------------------------------------------------------

def test_waivers_round_trip_and_scope():
    report = sample_report()
    key = report.flags[0].key
    text = render_waivers(report, {key: "waived", report.flags[2].key: "accepted"})
    decisions = parse_waivers(json.loads(text))
    assert [(d.key, d.decision) for d in decisions] == [(key, "waived"), (report.flags[2].key, "accepted")]
    assert waived_keys(decisions, "elsewhere/kherson.translation.txt") == {key}
    assert waived_keys(decisions, "other.txt") == frozenset()  # made for another document


@pytest.mark.parametrize("content, message", [
    ("not json", "not valid JSON"),
    ('{"format": "other"}', "not a qe waivers file"),
    ('{"format": "qe-waivers", "version": 9, "decisions": []}', "version 9"),
    ('{"format": "qe-waivers", "version": 1, "decisions": [{"key": "k", "decision": "maybe"}]}', "must be one of"),
    ('{"format": "qe-waivers", "version": 1, "decisions": [{"decision": "waived"}]}', "has no \"key\""),
])
def test_bad_waivers_file_is_a_config_error(tmp_path, content, message):
    path = tmp_path / "w.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_waivers(path)


def test_missing_waivers_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no such waivers file"):
        load_waivers(tmp_path / "nope.json")
