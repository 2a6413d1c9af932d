"""`check` and `batch` take the same options: a CI job can gate a feed with
everything it can gate one file with."""

import json
import re

import pytest
import typer.main
from typer.testing import CliRunner

from qe.cli import app
from qe.errors import ExitCode

runner = CliRunner()
COMMANDS = typer.main.get_command(app).commands

# check options batch does not take, and why; anything else check takes, batch must take too
CHECK_ONLY = {
    "--format": "check prints one report as text or JSON; batch prints the feed table and writes summary.json",
    "--junit": "JUnit is one document's test suite; a feed's result is its summary files and exit code",
    "--markdown": "the Markdown summary is one document's; a feed's is summary.html",
    "--back-translation": "a feed record has no back-translation field",
    "--annotate": "it names one annotated copy of one bilingual file; a batch of files would need a directory of them",
}

ORIGINAL = ("The committee met in Geneva on Tuesday to discuss the budget. Delegates from Norway argued for "
            "deeper cuts to travel spending. The chair proposed a compromise late in the evening. A final vote "
            "is expected next month in Brussels.\n")


def option_names(command: str) -> set[str]:
    """Each option by its first name (`--back-translation` stands for `--reference` too)."""
    return {p.opts[0] for p in COMMANDS[command].params if p.param_type_name == "option"}


def aliases(command: str, option: str) -> set[str]:
    return next({*p.opts, *p.secondary_opts} for p in COMMANDS[command].params if p.opts[0] == option)


def help_options(command: str) -> set[str]:
    text = runner.invoke(app, [command, "--help"], env={"COLUMNS": "250"}).output
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text))


def test_every_check_option_has_a_batch_counterpart():
    missing = option_names("check") - option_names("batch") - set(CHECK_ONLY)
    assert not missing, f"batch lacks {sorted(missing)}: add them to an option group in qe/options.py, " \
                        "or to CHECK_ONLY with a reason"


@pytest.mark.parametrize("option", sorted(CHECK_ONLY))
def test_the_exceptions_are_still_exceptions(option):
    assert option in option_names("check") and option not in option_names("batch"), \
        f"{option} is no longer check-only: take it off CHECK_ONLY"


def test_batch_help_lists_every_threshold_check_help_lists():
    check, batch = help_options("check"), help_options("batch")
    thresholds = {o for o in check if re.match(r"--(no-)?(check|wrong|max|min|fail|ignore-flag)", o)}
    assert len(thresholds) >= 12
    assert thresholds <= batch, sorted(thresholds - batch)
    check_only = {a for o in CHECK_ONLY for a in aliases("check", o)}
    assert check - check_only <= batch, sorted(check - check_only - batch)


def _feed(tmp_path):
    feed = tmp_path / "feed.jsonl"
    records = [{"id": "renamed", "original": ORIGINAL, "translation": ORIGINAL.replace("Brussels", "Bruges")},
               {"id": "same", "original": ORIGINAL, "translation": ORIGINAL}]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return feed


def _batch(tmp_path, feed, *extra):
    return runner.invoke(app, ["batch", str(feed), "--model", "hashing", "--no-cache", "--fresh", "-q",
                               "--out", str(tmp_path / "out"), *map(str, extra)])


def _summary(tmp_path) -> dict:
    return {d["id"]: d for d in json.loads((tmp_path / "out" / "summary.json").read_text())["documents"]}


def test_batch_takes_checks_gate_options(tmp_path):
    feed = _feed(tmp_path)
    assert _batch(tmp_path, feed).exit_code == ExitCode.GATE_FAILED
    assert _batch(tmp_path, feed, "--no-fail-on-major").exit_code == ExitCode.PASSED
    assert _batch(tmp_path, feed, "--no-names").exit_code == ExitCode.PASSED
    assert _summary(tmp_path)["renamed"]["major_flags"] == 0
    res = _batch(tmp_path, feed, "--no-fail-on-major", "--min-chrf", "99.5")
    assert res.exit_code == ExitCode.GATE_FAILED
    assert "document chrF" in _summary(tmp_path)["renamed"]["reasons"]
    assert _summary(tmp_path)["same"]["status"] == "passed"


def test_batch_waivers_apply_to_the_document_they_were_made_for(tmp_path):
    feed = _feed(tmp_path)
    _batch(tmp_path, feed)
    report = json.loads((tmp_path / "out" / "docs" / "renamed" / "report.json").read_text())
    keys = [f["key"] for b in report["beads"] for f in b["flags"]]
    assert keys

    def waivers(document):
        path = tmp_path / f"waivers-{document or 'any'}.json"
        path.write_text(json.dumps({"format": "qe-waivers", "version": 1, "document": document,
                                    "decisions": [{"key": k, "decision": "waived"} for k in keys]}))
        return path

    assert _batch(tmp_path, feed, "--waivers", waivers("renamed (translation)")).exit_code == ExitCode.PASSED
    assert _batch(tmp_path, feed, "--waivers", waivers("other (translation)")).exit_code == ExitCode.GATE_FAILED
    assert _batch(tmp_path, feed, "--waivers", tmp_path / "absent.json").exit_code == ExitCode.USAGE


def test_a_batch_record_still_overrides_the_languages(tmp_path):
    from qe.batch import record_config
    from qe.feed import FeedRecord
    from qe.pipeline import CheckConfig

    base = CheckConfig(src_lang="en", tgt_lang="en")
    cfg = record_config(FeedRecord(id="x", src_lang="de", tgt_lang="fr"), base)
    assert (cfg.src_lang, cfg.tgt_lang) == ("de", "fr")
    assert record_config(FeedRecord(id="x"), base) == base
