"""Docs cannot drift: every command has help and a README entry, and CI runs
exactly the README's test command."""

import re

import pytest
import typer.main

from qe.cli import app

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(typer.main.get_command(app).commands)


def readme_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)\n```", README, flags=re.S)
    return [b.strip() for b in blocks[:2]]


def test_readme_starts_with_install_and_test_commands():
    install, test = readme_commands()
    assert install.startswith("python3 -m venv .venv") and "qe batch corpora/" in install
    assert test.startswith("python3 -m venv .venv") and "pytest" in test
    # the first thing in the README after the title is those two commands
    assert README.index(install) < README.index("## ")


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_a_readme_entry(name):
    command = typer.main.get_command(app).commands[name]
    assert (command.help or "").strip(), f"qe {name} has no help"
    assert f"`qe {name}" in README, f"qe {name} is not in the README"
    for param in command.params:
        if param.param_type_name == "option":
            assert (getattr(param, "help", "") or "").strip(), f"qe {name} {param.opts[0]} has no help"


def test_demo_manifest_paths_exist():
    manifest = ROOT / "corpora" / "demo.tsv"
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            _, original, translation, *_ = line.split("\t")
            assert (manifest.parent / original).is_file() and (manifest.parent / translation).is_file()
