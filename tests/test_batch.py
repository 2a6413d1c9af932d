"""qe batch: feed forms, per-record errors, the summary, caching, resuming."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qe.batch import JOURNAL_NAME, BatchSettings, Status, report_dir_name, run_batch
from qe.cache import CachedEmbedder
from qe.cli import app
from qe.embed import HashingEmbedder
from qe.errors import ExitCode, FeedError
from qe.feed import Feed
from qe.pipeline import CheckConfig, document_from_text

_SENTENCES = [
    "The harbour authority reopened the northern quay on Tuesday after {n} weeks of repairs.",
    "Local fishermen said the closure had cost them most of the spring season.",
    "A spokeswoman for the council declined to comment on the final bill.",
    "Rail traffic between the two towns will be reduced over the weekend.",
    "Engineers found cracks in a bridge support during a routine inspection.",
    "The school board voted to extend the winter holiday by {n} days.",
    "Parents have complained about the short notice given for the change.",
    "Museum visitors can now see the restored tapestries for the first time since 1990.",
    "The exhibition was funded partly by a private foundation.",
    "Hospital waiting times fell slightly in the last quarter, figures show.",
    "Nurses warned that staff shortages remain a serious problem.",
    "The forest fire near the village was brought under control overnight.",
    "Around {n} residents were evacuated as a precaution and have since returned.",
    "Voters will choose a new mayor in an election next spring.",
    "Three candidates have already declared their intention to run.",
    "The library will stay open until ten in the evening during exams.",
    "Students welcomed the decision, which follows a petition with many signatures.",
    "A new tunnel under the river is expected to cut commuting times sharply.",
    "Construction costs have risen because of higher steel prices.",
    "The festival attracted more visitors than organisers had expected.",
    "Several concerts had to be moved indoors because of heavy rain.",
    "Market traders reported brisk sales in the run-up to the holidays.",
    "The garden society held its annual show in the town hall.",
    "Police said nobody was injured in the incident.",
]


def article(seed: int, n: int = 6) -> str:
    """A small made-up article of varied sentences, different for each seed."""
    picked = [_SENTENCES[(seed * 5 + i) % len(_SENTENCES)].format(n=seed + i + 2) for i in range(n)]
    half = (n + 1) // 2
    return " ".join(picked[:half]) + "\n\n" + " ".join(picked[half:]) + "\n"


def truncated(text: str) -> str:
    """The same article with half its sentences gone: fails the omission gate."""
    first = text.split("\n\n")[0]
    return first.split(". ")[0] + ".\n"


RECORDS = [
    {"id": "good", "original": article(1), "translation": article(1)},
    {"id": "cut", "original": article(2), "translation": truncated(article(2))},
    {"id": "also good", "original": article(3), "translation": article(3), "desk": "sport"},
]
EXPECTED = {"good": Status.PASSED, "cut": Status.FAILED, "also good": Status.PASSED}


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def write_csv(path: Path, records) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "original", "translation", "desk"])
        w.writeheader()
        for r in records:
            w.writerow(r)
    return path


def write_directory(path: Path, records) -> Path:
    path.mkdir()
    for r in records:
        (path / f"{r['id']}.original.txt").write_text(r["original"], encoding="utf-8")
        (path / f"{r['id']}.translation.en.txt").write_text(r["translation"], encoding="utf-8")
    return path


def write_manifest(path: Path, records) -> Path:
    texts = path.parent / "texts"
    texts.mkdir()
    lines = ["# id\toriginal\ttranslation", ""]
    for i, r in enumerate(records):
        (texts / f"{i}-o.txt").write_text(r["original"], encoding="utf-8")
        (texts / f"{i}-t.txt").write_text(r["translation"], encoding="utf-8")
        lines.append(f"{r['id']}\ttexts/{i}-o.txt\ttexts/{i}-t.txt")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


FORMS = {
    "jsonl": lambda d: write_jsonl(d / "feed.jsonl", RECORDS),
    "csv": lambda d: write_csv(d / "feed.csv", RECORDS),
    "directory": lambda d: write_directory(d / "pairs", RECORDS),
    "manifest": lambda d: write_manifest(d / "feed.tsv", RECORDS),
}


@pytest.mark.parametrize("form", list(FORMS))
def test_every_feed_form_gives_the_same_result(tmp_path, form):
    feed = FORMS[form](tmp_path)
    result = run_batch(feed, tmp_path / "out", embedder=HashingEmbedder())
    assert {r.id: r.status for r in result.rows} == EXPECTED
    assert result.exit_code is ExitCode.GATE_FAILED
    assert result.rows[0].id == "cut"  # worst first
    for row in result.rows:
        report = json.loads((tmp_path / "out" / row.report / "report.json").read_text(encoding="utf-8"))
        assert report  # a complete, parseable report per document
        assert (tmp_path / "out" / row.report / "report.html").is_file()
    assert {p.name for p in result.summary_files} == {"summary.json", "summary.csv", "summary.html"}


def test_directory_language_infix(tmp_path):
    d = tmp_path / "pairs"
    d.mkdir()
    (d / "a.original.sv.txt").write_text("Hej. Världen är stor.\n", encoding="utf-8")
    (d / "a.translation.en.txt").write_text("Hello. The world is big.\n", encoding="utf-8")
    (d / "b.original.txt").write_text("Alone.\n", encoding="utf-8")
    (d / "notes.md").write_text("not part of the feed", encoding="utf-8")
    records = list(Feed(d))
    assert [(r.id, r.src_lang, r.tgt_lang, r.error is None) for r in records] == [
        ("a", "sv", "en", True), ("b", None, None, False)]
    assert "b.translation.txt" in records[1].error


def test_csv_metadata_is_kept(tmp_path):
    (rec,) = [r for r in Feed(write_csv(tmp_path / "f.csv", RECORDS)) if r.id == "also good"]
    assert dict(rec.meta) == {"desk": "sport"}


def test_a_bad_record_is_reported_and_the_rest_complete(tmp_path):
    feed = tmp_path / "feed.jsonl"
    lines = [json.dumps(RECORDS[0]), "{not json", json.dumps({"id": "empty", "original": "", "translation": "x"}),
             json.dumps({"id": "no-text", "original": "A."}), json.dumps(RECORDS[0]), json.dumps(RECORDS[2])]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_batch(feed, tmp_path / "out", embedder=HashingEmbedder())
    by_status = {}
    for r in result.rows:
        by_status.setdefault(r.status, []).append(r.id)
    assert sorted(by_status[Status.PASSED]) == ["also good", "good"]
    assert len(by_status[Status.ERROR]) == 4  # bad JSON, empty text, missing field, duplicate id
    assert result.exit_code is ExitCode.COULD_NOT_RUN
    errors = {r.where: r.error for r in result.rows if r.status == Status.ERROR}
    assert "not valid JSON" in errors["feed.jsonl line 2"]
    assert "holds no text" in errors["feed.jsonl line 3"]
    assert "'translation'" in errors["feed.jsonl line 4"]
    assert "duplicate id" in errors["feed.jsonl line 5"]
    assert [r.status for r in result.rows[:4]] == [Status.ERROR] * 4  # worst first
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"] == {"documents": 6, "passed": 2, "failed": 0, "error": 4,
                                 "major_flags": 0, "minor_flags": 0}


def test_manifest_with_a_missing_file(tmp_path):
    feed = write_manifest(tmp_path / "feed.tsv", RECORDS[:1])
    with open(feed, "a", encoding="utf-8") as fh:
        fh.write("ghost\ttexts/nope.txt\ttexts/0-t.txt\nshort\tonly-one-path\n")
    result = run_batch(feed, tmp_path / "out", embedder=HashingEmbedder())
    assert {r.id: r.status for r in result.rows} == {"good": "passed", "ghost": "error", "short": "error"}
    assert "no such file" in next(r.error for r in result.rows if r.id == "ghost")


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "absent.jsonl", "no such feed"),
    (lambda d: (d / "feed.xml").write_text("<x/>") and d / "feed.xml", "unknown feed type"),
    (lambda d: (d / "feed.csv").write_text("name,text\na,b\n") and d / "feed.csv", "no id, original, translation"),
    (lambda d: (d / "feed.jsonl").write_text("\n\n") and d / "feed.jsonl", "holds no records"),
])
def test_unusable_feeds_are_one_clear_error(tmp_path, make, message):
    with pytest.raises(FeedError, match=message):
        run_batch(make(tmp_path), tmp_path / "out", embedder=HashingEmbedder())


@pytest.mark.parametrize("records, code", [
    (RECORDS[:1], 0), (RECORDS, 1), (RECORDS + [{"id": "x", "original": "A b c."}], 3)])
def test_cli_exit_codes_and_summary(tmp_path, records, code):
    feed = write_jsonl(tmp_path / "feed.jsonl", records)
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["batch", str(feed), "--model", "hashing", "--out", str(out),
                                   "--cache", str(tmp_path / "c.sqlite")])
    assert res.exit_code == code, res.output
    assert f"{len(records)} documents" in res.output
    rows = list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == len(records)
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert 'href="docs/good/report.html"' in html


def test_cli_no_cache_writes_no_cache_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    feed = write_jsonl(tmp_path / "feed.jsonl", RECORDS[:1])
    res = CliRunner().invoke(app, ["batch", str(feed), "--model", "hashing", "--no-cache", "--out", "o"])
    assert res.exit_code == 0, res.output
    assert not (tmp_path / ".qe-cache").exists()
    res = CliRunner().invoke(app, ["batch", str(feed), "--model", "hashing", "--fresh", "--out", "o"])
    assert (tmp_path / ".qe-cache" / "embeddings.sqlite").is_file()  # the default location


def test_check_accepts_a_cache(tmp_path):
    (tmp_path / "o.txt").write_text(article(5), encoding="utf-8")
    (tmp_path / "t.txt").write_text(article(5), encoding="utf-8")
    args = ["check", str(tmp_path / "o.txt"), str(tmp_path / "t.txt"), "--model", "hashing", "-q",
            "--out", str(tmp_path / "r"), "--cache", str(tmp_path / "c.sqlite")]
    assert CliRunner().invoke(app, args).exit_code == 0
    cached = CachedEmbedder(HashingEmbedder(), tmp_path / "c.sqlite")
    cached.encode([article(5).split(". ")[0] + "."])
    assert cached.hits == 1


def test_warm_cache_embeds_only_what_is_new(tmp_path):
    feed = write_jsonl(tmp_path / "feed.jsonl", RECORDS)
    cache = tmp_path / "c.sqlite"
    cold = run_batch(feed, tmp_path / "a", embedder=HashingEmbedder(), cache=cache)
    assert cold.cache_misses > 0 and cold.cache_hits == 0
    warm = run_batch(feed, tmp_path / "b", embedder=HashingEmbedder(), cache=cache)
    assert (warm.cache_hits, warm.cache_misses) == (cold.cache_misses, 0)
    changed = [dict(r) for r in RECORDS]
    changed[0]["translation"] += "A wholly new closing sentence about the weather.\n"
    edit = run_batch(write_jsonl(tmp_path / "feed2.jsonl", changed), tmp_path / "b",
                     embedder=HashingEmbedder(), cache=cache)
    assert (edit.checked, edit.reused, edit.cache_misses) == (1, 2, 1)


def test_a_window_is_one_model_call(tmp_path):
    calls = []

    class Counting(HashingEmbedder):
        def encode(self, texts):
            calls.append(len(texts))
            return super().encode(texts)

    feed = write_jsonl(tmp_path / "feed.jsonl", RECORDS)
    run_batch(feed, tmp_path / "out", embedder=Counting(), settings=BatchSettings(window_records=8))
    distinct = {s for r in RECORDS for side in ("original", "translation")
                for s in document_from_text(r[side]).texts()}
    assert calls == [len(distinct)]


def test_rerun_skips_only_matching_finished_records(tmp_path):
    feed = write_jsonl(tmp_path / "feed.jsonl", RECORDS)
    out = tmp_path / "out"
    first = run_batch(feed, out, embedder=HashingEmbedder())
    assert (first.checked, first.reused) == (3, 0)
    assert (run_batch(feed, out, embedder=HashingEmbedder()).reused) == 3
    (out / "docs" / "good" / "report.json").unlink()  # a report gone: redo that one
    again = run_batch(feed, out, embedder=HashingEmbedder())
    assert (again.checked, again.reused) == (1, 2)
    stricter = CheckConfig(thresholds=CheckConfig().thresholds.__class__(max_omitted_fraction=0.0))
    assert run_batch(feed, out, stricter, embedder=HashingEmbedder()).checked == 3  # config changed: redo all
    fresh = run_batch(feed, out, stricter, embedder=HashingEmbedder(), settings=BatchSettings(resume=False))
    assert fresh.checked == 3


@pytest.mark.parametrize("rid, expected", [("good", "good"), ("a/b", None), ("..", None), ("x y", None)])
def test_report_dir_names_are_safe(rid, expected):
    name = report_dir_name(rid)
    assert "/" not in name and name not in ("", ".", "..")
    if expected:
        assert name == expected
    else:
        assert name != report_dir_name(rid + "!")


def test_killed_run_resumes_without_redoing_finished_documents(tmp_path):
    records = [{"id": f"doc{i:02d}", "original": article(i, 10), "translation": article(i, 10)} for i in range(20)]
    feed = write_jsonl(tmp_path / "feed.jsonl", records)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "qe", "batch", str(feed), "--model", "hashing", "--out", str(out),
           "--cache", str(tmp_path / "c.sqlite"), "--window", "1", "--no-progress", "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    journal = out / JOURNAL_NAME
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_text().count("\n") >= 3:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    done = [json.loads(line)["id"] for line in journal.read_text().splitlines() if line.strip()]
    assert 3 <= len(done) < len(records)
    mtimes = {d: (out / "docs" / d / "report.json").stat().st_mtime_ns for d in done}
    assert not (out / "summary.json").exists()

    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert res.returncode in (0, 1), res.stderr  # passed or gate failed: every record was checked
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rows = {r["id"]: r for r in summary["documents"]}
    assert set(rows) == {r["id"] for r in records}
    assert {d for d, r in rows.items() if r["reused"]} == set(done)  # finished ones were not redone…
    assert {d: (out / "docs" / d / "report.json").stat().st_mtime_ns for d in done} == mtimes
    for r in records:  # …and every report is there and complete
        for name in ("report.json", "report.csv", "report.html"):
            assert (out / "docs" / r["id"] / name).stat().st_size > 0
        json.loads((out / "docs" / r["id"] / "report.json").read_text(encoding="utf-8"))
    assert not [p for p in out.rglob("*.tmp")]  # no half-written file left behind a good name


def test_summary_html_says_not_applicable_for_missing_scores():
    from qe.reporting.feed_summary import DocumentRow, render_summary_html

    row = DocumentRow(id="sv-en", status="passed", report="docs/sv-en", similarity=0.91, bleu=None, chrf=None)
    page = render_summary_html([row], {})
    cells = page.split('<tr class="passed">')[1].split("</tr>")[0]
    assert cells.count("n/a") == 2 and "0.910" in cells


@pytest.mark.parametrize(
    "src, tgt, multilingual",
    [("en", "en", False), ("sv", "en", True), ("sv", "sv", True), ("fr", "fr", True)],
)
def test_batch_picks_the_same_model_as_check(src, tgt, multilingual):
    from qe.batch import _Embedders
    from qe.embed import HashingEmbedder
    from qe.pipeline import CheckConfig

    calls = []

    def make(model, *, multilingual):
        calls.append(multilingual)
        return HashingEmbedder()

    config = CheckConfig(src_lang=src, tgt_lang=tgt)
    _Embedders(config, None, None, make=make).get(config)
    assert calls == [multilingual] == [config.needs_multilingual_model]


def test_batch_gate_reads_qe_toml_and_options_override_it(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from conftest import COMMITTEE_TEXT
    from qe.cli import app

    feed = write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "renamed", "original": COMMITTEE_TEXT, "translation": COMMITTEE_TEXT.replace("Brussels", "Madrid")}])
    monkeypatch.chdir(tmp_path)

    def run(*extra):
        return CliRunner().invoke(app, ["batch", str(feed), "--model", "hashing", "--no-cache", "--fresh",
                                        "--out", str(tmp_path / "out"), "-q", *extra])

    assert run().exit_code == 1  # a changed place name fails by default
    (tmp_path / "qe.toml").write_text("fail_on_major_flags = false\n")
    assert run().exit_code == 0  # the project's config says names do not gate
    (tmp_path / "qe.toml").write_text("max_omitted_fraction = 2.0\n")
    assert run().exit_code == 2  # a bad setting is a usage error, as in qe check
