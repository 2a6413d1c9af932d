"""The CI gate: thresholds from qe.toml / [tool.qe] / options, exit codes, and
the machine outputs of `qe check` (JUnit, Markdown, $GITHUB_STEP_SUMMARY,
--quiet, --format json, --xlsx, no progress output when not a terminal)."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import COMMITTEE_TEXT
from typer.testing import CliRunner

from qe.cli import app
from qe.config import build_thresholds, find_config, load_config
from qe.errors import ConfigError, ExitCode
from qe.models import FlagKind, Thresholds

ORIGINAL = COMMITTEE_TEXT
# One place name replaced by another: a major flag for any name checker.
CHANGED = ORIGINAL.replace("Brussels", "Madrid")


# --- reading settings -------------------------------------------------------------------------------

def test_no_config_file_means_the_dataclass_defaults(tmp_path):
    assert find_config(tmp_path) is None
    assert load_config(cwd=tmp_path).thresholds == {}
    assert build_thresholds({}, {}) == Thresholds()


def test_pyproject_without_tool_qe_is_ignored(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(tmp_path) is None


def test_qe_toml_wins_over_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.qe]\ncheck_chrf = 30\n")
    assert load_config(cwd=tmp_path).thresholds == {"check_chrf": 30.0}
    (tmp_path / "qe.toml").write_text("check_chrf = 50\n")
    assert find_config(tmp_path) == tmp_path / "qe.toml"
    assert load_config(cwd=tmp_path).thresholds == {"check_chrf": 50.0}


def test_options_override_file_which_overrides_defaults(tmp_path):
    (tmp_path / "qe.toml").write_text(
        'max_omitted_fraction = 0.2\nfail_on_minor_flags = true\nignored_flag_kinds = ["spelling-variant"]\n'
        'min_chrf = 40\nwaivers = "decisions/w.json"\n')
    settings = load_config(cwd=tmp_path)
    assert settings.waivers == tmp_path / "decisions" / "w.json"
    t = build_thresholds(settings.thresholds, {"max_omitted_fraction": 0.05, "fail_on_minor_flags": None})
    assert t.max_omitted_fraction == 0.05  # option
    assert t.fail_on_minor_flags is True and t.min_chrf == 40.0  # file
    assert t.ignored_flag_kinds == ("spelling-variant",)
    assert t.max_added_fraction == Thresholds().max_added_fraction  # default


@pytest.mark.parametrize("content, message", [
    ("no_such_setting = 1\n", "unknown setting(s) no_such_setting"),
    ('check_chrf = "high"\n', "check_chrf must be a number"),
    ("fail_on_major_flags = 1\n", "must be true or false"),
    ("max_omitted_fraction = 1.5\n", "must lie in 0..1"),
    ("check_similarity = 0.3\nwrong_similarity = 0.6\n", "must not exceed"),
    ("min_bleu = 120\n", "0..100"),
    ('ignored_flag_kinds = ["typo"]\n', "unknown flag kind(s) typo"),
    ("check_chrf = [\n", "not valid TOML"),
])
def test_bad_config_is_a_config_error(tmp_path, content, message):
    (tmp_path / "qe.toml").write_text(content)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build_thresholds(load_config(cwd=tmp_path).thresholds)


def test_every_threshold_can_be_set_from_a_file(tmp_path):
    # The dataclass is the one list of settings: every field must be accepted.
    lines = []
    for f in dataclasses.fields(Thresholds):
        value = getattr(Thresholds(), f.name)
        if isinstance(value, bool):
            lines.append(f"{f.name} = {'false' if value else 'true'}")
        elif isinstance(value, tuple):
            lines.append(f'{f.name} = ["{FlagKind.VARIANT.value}"]')
        else:
            lines.append(f"{f.name} = 0.5")
    (tmp_path / "qe.toml").write_text("\n".join(lines) + "\n")
    t = build_thresholds(load_config(cwd=tmp_path).thresholds)
    assert t != Thresholds()


# --- the gate through the CLI ----------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def pair(tmp_path, monkeypatch):
    """A pair where one place name changed, in a working directory of its own."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (tmp_path / "a.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "b.txt").write_text(CHANGED, encoding="utf-8")
    return tmp_path


def qe_check(*args: str, original="a.txt", translation="b.txt"):
    return runner.invoke(app, ["check", original, translation, "--model", "hashing", "--out", "out", *args])


@pytest.mark.parametrize("setup, args, code", [
    ("identical", [], ExitCode.PASSED),
    ("", [], ExitCode.GATE_FAILED),
    ("no_such_setting = 1", [], ExitCode.USAGE),
    ("", ["--formats", "pdf"], ExitCode.USAGE),
    ("", ["--waivers", "missing.json"], ExitCode.USAGE),
    ("", ["--config", "missing.toml"], ExitCode.USAGE),
    ("missing input", [], ExitCode.COULD_NOT_RUN),
])
def test_exit_codes(pair, setup, args, code):
    kwargs = {}
    if setup == "identical":
        kwargs["translation"] = "a.txt"
    elif setup == "missing input":
        kwargs["translation"] = "nope.txt"
    elif setup:
        (pair / "qe.toml").write_text(setup + "\n")
    result = qe_check(*args, **kwargs)
    assert result.exit_code == code, result.output
    if code in (ExitCode.USAGE, ExitCode.COULD_NOT_RUN):
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("qe: error:"), result.output
        assert not (pair / "out").exists()  # refused before anything ran


def test_config_file_and_option_precedence_in_the_gate(pair):
    assert qe_check().exit_code == ExitCode.GATE_FAILED  # the changed name is a major flag
    (pair / "qe.toml").write_text("fail_on_major_flags = false\n")
    assert qe_check().exit_code == ExitCode.PASSED, "qe.toml was not applied"
    assert qe_check("--fail-on-major").exit_code == ExitCode.GATE_FAILED, "the option did not override the file"


def test_pyproject_tool_qe_and_ignored_kinds(pair):
    kinds = ", ".join(f'"{k.value}"' for k in FlagKind)
    (pair / "pyproject.toml").write_text(f"[tool.qe]\nignored_flag_kinds = [{kinds}]\n")
    result = qe_check()
    assert result.exit_code == ExitCode.PASSED, result.output
    assert "Madrid" in result.output  # ignored by the gate, still reported


def test_ignore_flag_kind_option(pair):
    args = [a for k in FlagKind for a in ("--ignore-flag-kind", k.value)]
    assert qe_check(*args).exit_code == ExitCode.PASSED


def test_document_score_gate(pair):
    assert qe_check("--min-chrf", "99.9").exit_code == ExitCode.GATE_FAILED
    result = qe_check("--min-chrf", "99.9", "--format", "json", original="a.txt", translation="a.txt")
    assert result.exit_code == ExitCode.PASSED  # identical texts: chrF 100


def test_waivers_from_the_config_file(pair):
    report = json.loads(qe_check("--format", "json").output)
    keys = [f["key"] for b in report["beads"] for f in b["flags"]]
    assert keys
    decisions = [{"key": k, "decision": "waived"} for k in keys]
    (pair / "w.json").write_text(json.dumps({"format": "qe-waivers", "version": 1, "document": "b.txt",
                                             "decisions": decisions}))
    (pair / "qe.toml").write_text('waivers = "w.json"\n')
    assert qe_check().exit_code == ExitCode.PASSED
    # a waiver made for another document does not apply
    (pair / "w.json").write_text(json.dumps({"format": "qe-waivers", "version": 1, "document": "other.txt",
                                             "decisions": decisions}))
    assert qe_check().exit_code == ExitCode.GATE_FAILED


# --- machine outputs ----------------------------------------------------------------------------------------

def test_junit_and_markdown_files(pair):
    result = qe_check("--junit", "ci/junit.xml", "--markdown", "ci/summary.md")
    assert result.exit_code == ExitCode.GATE_FAILED
    root = ET.parse(pair / "ci" / "junit.xml").getroot()
    failures = list(root.iter("failure"))
    assert failures and root.get("failures") == str(len(failures))
    assert any("Madrid" in (f.get("message") or "") for f in failures)
    summary = (pair / "ci" / "summary.md").read_text(encoding="utf-8")
    assert "failed the quality gate" in summary and "Madrid" in summary and "signature: model" in summary


def test_github_step_summary_is_appended(pair, monkeypatch):
    step = pair / "step.md"
    step.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step))
    qe_check("--quiet")
    qe_check("--quiet", translation="a.txt")
    text = step.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")
    assert text.count("### ❌ qe: b.txt") == 1 and text.count("### ✅ qe: a.txt passed") == 1


def test_quiet_and_json_and_no_progress_when_not_a_terminal(pair):
    quiet = qe_check("--quiet")
    assert quiet.exit_code == ExitCode.GATE_FAILED and quiet.output == ""
    result = qe_check("--format", "json")
    data = json.loads(result.stdout)
    assert data["passed"] is False and data["signature"]["model"] == "hashing-256"
    assert result.stderr == ""  # CliRunner's stderr is not a terminal: no spinner


def test_xlsx_option_adds_the_workbook(pair):
    openpyxl = pytest.importorskip("openpyxl")
    qe_check("--xlsx", "--formats", "csv")
    assert sorted(p.name for p in (pair / "out").iterdir()) == ["report.csv", "report.xlsx"]
    wb = openpyxl.load_workbook(pair / "out" / "report.xlsx")
    csv_rows = (pair / "out" / "report.csv").read_bytes().count(b"\r\n")
    assert wb["beads"]["A1"].value == "document" and wb["beads"].max_row == csv_rows


# --- docs and CI files cannot drift ---------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def test_docs_name_every_setting_column_and_exit_code():
    from qe.reporting.table import COLUMNS

    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for f in dataclasses.fields(Thresholds):
        assert f"`{f.name}`" in doc, f"docs/ci.md does not document the setting {f.name}"
    for column in COLUMNS:
        assert f"`{column}`" in doc, f"docs/ci.md does not document the CSV column {column}"
    for code in ExitCode:
        assert f"| {int(code)} |" in doc


def test_example_workflow_and_hooks_are_valid_yaml():
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load((ROOT / "examples" / "github-actions.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["qe"]["steps"]
    assert any("qe check" in (s.get("run") or "") and "--junit" in s["run"] for s in steps)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"qe-check", "qe-check-system"}
    assert all(h["entry"].startswith("qe check") and h["pass_filenames"] is False for h in hooks)


def test_max_risk_gates_on_the_riskiest_sentence(pair):
    report = json.loads(qe_check("--format", "json", "--no-fail-on-major").output)
    risks = [b["risk"] for b in report["beads"]]
    assert all(0.0 <= r <= 1.0 for r in risks) and all(b["explanation"] for b in report["beads"])
    highest = max(risks)
    failed = qe_check("--no-fail-on-major", "--max-risk", str(round(highest - 0.01, 2)))
    assert failed.exit_code == ExitCode.GATE_FAILED and "with risk above" in failed.output
    assert qe_check("--no-fail-on-major", "--max-risk", "1").exit_code == ExitCode.PASSED
    (pair / "qe.toml").write_text(f"max_risk = {round(highest - 0.01, 2)}\nfail_on_major_flags = false\n")
    assert qe_check().exit_code == ExitCode.GATE_FAILED, "max_risk from the file was not applied"


def test_name_flags_fail_the_gate_on_their_own_whatever_the_risk(pair):
    assert qe_check("--max-risk", "1", "--wrong-risk", "0.99", "--check-risk", "0.98").exit_code == \
        ExitCode.GATE_FAILED


def test_wrong_fraction_counts_verdicts_from_the_risk(pair):
    report = json.loads(qe_check("--format", "json", "--no-fail-on-major", "--wrong-risk", "0.01",
                                 "--check-risk", "0.01").output)
    assert {b["verdict"] for b in report["beads"]} == {"wrong"}
    assert qe_check("--no-fail-on-major", "--wrong-risk", "0.01", "--check-risk", "0.01",
                    "--max-wrong", "0.5").exit_code == ExitCode.GATE_FAILED


@pytest.mark.parametrize("args, message", [
    (["--max-risk", "1.5"], "max_risk is a risk and must lie in 0..1"),
    (["--check-risk", "0.7", "--wrong-risk", "0.5"], "check_risk (0.7) must not exceed wrong_risk (0.5)"),
])
def test_risk_settings_are_validated(pair, args, message):
    result = qe_check(*args)
    assert result.exit_code == ExitCode.USAGE and message in result.output
