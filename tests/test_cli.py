"""The CLI: every exit code, and the exact one-line errors a user sees."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from qe.cli import app
from qe.errors import ExitCode

runner = CliRunner()

ORIGINAL = (
    "The committee met in Geneva on Tuesday to discuss the budget. "
    "Delegates from Norway argued for deeper cuts to travel spending. "
    "The chair proposed a compromise late in the evening. "
    "A final vote is expected next month in Brussels.\n"
)


def run(*args):
    return runner.invoke(app, [*map(str, args)])


def check_args(original, translation, tmp_path, *extra):
    return ["check", original, translation, "--model", "hashing", "--out", tmp_path / "out", *extra]


def test_exit_passed(write, tmp_path):
    a = write("a.txt", ORIGINAL)
    result = run(*check_args(a, a, tmp_path))
    assert result.exit_code == ExitCode.PASSED, result.output
    assert "PASSED" in result.output
    assert (tmp_path / "out" / "report.json").exists()


def test_exit_gate_failed(write, tmp_path):
    a = write("a.txt", ORIGINAL)
    b = write("b.txt", ORIGINAL.replace("Brussels", "Bruges"))
    result = run(*check_args(a, b, tmp_path))
    assert result.exit_code == ExitCode.GATE_FAILED
    assert "Bruges" in result.output and "Brussels" in result.output


def test_no_names_skips_the_name_check_and_says_so(write, tmp_path):
    a = write("a.txt", ORIGINAL)
    b = write("b.txt", ORIGINAL.replace("Brussels", "Bruges"))
    result = run(*check_args(a, b, tmp_path, "--no-names", "--format", "json"))
    assert result.exit_code == ExitCode.PASSED, result.output
    report = json.loads(result.output)
    assert "names and numbers were not checked" in report["notes"]
    assert [b["flags"] for b in report["beads"]] == [[]] * len(report["beads"])


def test_exit_usage_for_unknown_option(write, tmp_path):
    a = write("a.txt", ORIGINAL)
    result = run(*check_args(a, a, tmp_path, "--no-such-option"))
    assert result.exit_code == ExitCode.USAGE


def test_exit_usage_for_bad_format(write, tmp_path):
    a = write("a.txt", ORIGINAL)
    result = run(*check_args(a, a, tmp_path, "--format", "yaml"))
    assert result.exit_code == ExitCode.USAGE
    assert "--format must be text or json" in result.output


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"", "is empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        ("Caf\u00e9 cr\u00e8me.".encode("latin-1"), "not valid UTF-8"),
        (b"   \n\n", "holds no text"),
    ],
)
def test_exit_could_not_run_on_bad_input(write, tmp_path, content, message):
    good = write("good.txt", ORIGINAL)
    bad = tmp_path / "bad.txt" if content is None else write("bad.txt", content)
    result = run(*check_args(good, bad, tmp_path))
    assert result.exit_code == ExitCode.COULD_NOT_RUN
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qe: error:") and message in lines[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()  # no report from a run that could not happen


def test_bad_model_is_one_line(write, tmp_path):
    a = write("a.txt", ORIGINAL)
    result = run("check", a, a, "--model", str(tmp_path / "no-model-here"), "--out", tmp_path / "o")
    assert result.exit_code == ExitCode.COULD_NOT_RUN
    assert "cannot load embedding model" in result.output
    assert "Traceback" not in result.output


def test_json_output_is_machine_readable(write, tmp_path):
    a = write("a.txt", ORIGINAL)
    result = run(*check_args(a, a, tmp_path, "--format", "json"))
    data = json.loads(result.output)
    assert data["passed"] is True and data["schema"] == 3
    assert len(data["beads"]) == 4


def test_quiet_prints_nothing(write, tmp_path):
    a = write("a.txt", ORIGINAL)
    result = run(*check_args(a, a, tmp_path, "--quiet"))
    assert result.exit_code == 0 and result.output == ""


def test_align_presplit_prints_bead_format(write, tmp_path):
    a = write("a.txt", "One sentence here.\nTwo sentences here.\nThree here now.\n")
    b = write("b.txt", "One sentence here.\nThree here now.\n")
    gold = write("gold.txt", "[0]:[0]\n[1]:[]\n[2]:[1]\n")
    result = run("align", a, b, "--presplit", "--model", "hashing", "--gold", gold)
    assert result.exit_code == 0, result.output
    beads = [line.split("\t")[0] for line in result.stdout.strip().splitlines()]
    assert beads == ["[0]:[0]", "[1]:[]", "[2]:[1]"]


def test_python_dash_m_works():
    proc = subprocess.run([sys.executable, "-m", "qe", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "check" in proc.stdout


def test_ignore_rule_switches_a_rule_off_and_the_json_names_rules(write, tmp_path):
    a = write("a.txt", ORIGINAL)
    b = write("b.txt", ORIGINAL.replace("Brussels", "Bruges"))
    result = run(*check_args(a, b, tmp_path, "--format", "json"))
    flags = [f for bead in json.loads(result.output)["beads"] for f in bead["flags"]]
    assert [f["rule"] for f in flags] == ["N105"]  # another place
    result = run(*check_args(a, b, tmp_path, "--format", "json", "--ignore-rule", "N1xx"))
    assert result.exit_code == ExitCode.PASSED, result.output
    report = json.loads(result.output)
    assert [b["flags"] for b in report["beads"]] == [[]] * len(report["beads"])
    assert report["signature"]["ignored rules"].startswith("N101,N102")


def test_ignore_rules_in_the_config_file(write, tmp_path):
    a = write("a.txt", ORIGINAL)
    b = write("b.txt", ORIGINAL.replace("Brussels", "Bruges"))
    config = write("qe.toml", 'ignore_rules = ["N105"]\n')
    result = run(*check_args(a, b, tmp_path, "--format", "json", "--config", config))
    flags = [f for bead in json.loads(result.output)["beads"] for f in bead["flags"]]
    assert [f["rule"] for f in flags] == ["N114"]  # the ladder's next rule decides: a respelling


@pytest.mark.parametrize("where", ["option", "config"])
def test_unknown_rule_is_a_usage_error(write, tmp_path, where):
    a = write("a.txt", ORIGINAL)
    if where == "option":
        result = run(*check_args(a, a, tmp_path, "--ignore-rule", "N999"))
    else:
        result = run(*check_args(a, a, tmp_path, "--config", write("qe.toml", 'ignore_rules = ["X1"]\n')))
    assert result.exit_code == ExitCode.USAGE
    assert "no rule has that code" in result.output or "not a rule code" in result.output


def test_rules_command_lists_every_rule():
    from qe.names.rules import RULES

    result = run("rules")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "code\tkind\tseverity\texplanation"
    assert [line.split("\t")[0] for line in lines[1:]] == [r.code for r in RULES]
