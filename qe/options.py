"""Command-line options that several commands take, each declared once.

An option group is a function whose parameters are typer options and whose
body turns their values into one object. ``@uses(group, ...)`` adds the
group's options to a command and hands the command that object as the
keyword argument named like the group:

    @app.command()
    @guarded
    @uses(inputs, gate)
    def check(original: Path = typer.Argument(...), *, inputs: Inputs, gate: GateChoices): ...

To add an option to both `check` and `batch`: add a parameter to the group
function below (`inputs`, `gate` or `output`) and a field to the dataclass it
returns; nothing else in the commands has to be typed twice. An option only
one command can honour is declared on that command; if it is `check`'s,
tests/test_options.py asks for it on its list of exceptions, with a reason.
Errors found while building a group's value are QEErrors, so they reach the
user as one line and exit 2 like any other usage error.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer

from qe.align import AlignSettings
from qe.io import DEFAULT_MAX_BYTES
from qe.models import Thresholds

_T = Thresholds()
_A = AlignSettings()


@dataclass(frozen=True)
class OptionGroup:
    """A named set of options and the function that builds their value."""

    name: str
    parameters: tuple[inspect.Parameter, ...]
    build: Callable[..., Any]


def option_group(panel: str) -> Callable[[Callable[..., Any]], OptionGroup]:
    """Declare the options of the decorated function's signature once, for
    every command that uses them; `--help` shows them under `panel`."""

    def declare(func: Callable[..., Any]) -> OptionGroup:
        params = []
        for p in inspect.signature(func, eval_str=True).parameters.values():
            p.default.rich_help_panel = panel
            params.append(p.replace(kind=inspect.Parameter.KEYWORD_ONLY))
        return OptionGroup(func.__name__, tuple(params), func)

    return declare


def uses(*groups: OptionGroup) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add the groups' options to a command; the command receives each group's
    built value under the group's name."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        sig = inspect.signature(command, eval_str=True)
        names = {g.name for g in groups}
        missing = names - set(sig.parameters)
        if missing:
            raise TypeError(f"{command.__name__} takes no parameter for option group(s) {sorted(missing)}")
        own = [p for p in sig.parameters.values() if p.name not in names]
        added = [p for g in groups for p in g.parameters]
        clash = {p.name for p in own} & {p.name for p in added}
        if clash or len({p.name for p in added}) != len(added):
            raise TypeError(f"{command.__name__}: option name(s) declared twice: {sorted(clash) or added}")

        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            for g in groups:
                values = {p.name: kwargs.pop(p.name) for p in g.parameters}
                kwargs[g.name] = g.build(**values)
            return command(*args, **kwargs)

        # typer reads the options from the signature and the annotations
        wrapper.__signature__ = sig.replace(parameters=[
            *[p for p in own if p.kind is not inspect.Parameter.KEYWORD_ONLY],
            *[p for p in own if p.kind is inspect.Parameter.KEYWORD_ONLY], *added])
        wrapper.__annotations__ = {p.name: p.annotation for p in (*own, *added)}
        return wrapper

    return decorate


# -- what is read and how it is aligned ------------------------------------------

@dataclass(frozen=True)
class Inputs:
    src_lang: str
    tgt_lang: str | None
    model: str | None
    presplit: bool
    max_bead: int
    max_bytes: int


@option_group("Input and alignment")
def inputs(
    src_lang: str = typer.Option("auto", "--src-lang", help="Language of the original (ISO 639-1); auto: a "
                                 "bilingual file's attribute, else detected from the text (en when too short to "
                                 "tell). In a batch, a record's own src_lang wins."),
    tgt_lang: Optional[str] = typer.Option("auto", "--tgt-lang", help="Language of the translation (ISO 639-1); "
                                           "auto: as --src-lang. In a batch, a record's own tgt_lang wins."),
    model: Optional[str] = typer.Option(None, "--model", help="sentence-transformers model directory or cached "
                                        "name (default: the bundled all-MiniLM-L6-v2 for English, the "
                                        "multilingual model otherwise); 'hashing' for a model-free dry run."),
    presplit: bool = typer.Option(False, "--presplit", help="One sentence per line: do not re-split."),
    max_bead: int = typer.Option(_A.max_bead, "--max-bead", help="Largest bead (original + translation "
                                 "sentences)."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Refuse input files larger than this "
                                  "(the default is what one machine checks in minutes; README, Sizes)."),
) -> Inputs:
    return Inputs(src_lang, tgt_lang, model, presplit, max_bead, max_bytes)


# -- what fails the gate ---------------------------------------------------------

def ignore_rule_option():
    """--ignore-rule, for the gate group and for commands outside it (eval-names)."""
    return typer.Option(None, "--ignore-rule", help="Switch off a name/number rule by code or pattern "
                        "(repeatable): N206, N2xx, Q4. `qe rules` lists them.")


@dataclass(frozen=True)
class GateChoices:
    config_file: Path | None
    thresholds: dict[str, Any]  # Thresholds field -> value; None = not given on the command line
    waivers: Path | None
    check_names: bool
    ignore_rules: tuple[str, ...]


@option_group("Verdicts and gate")
def gate(
    config_file: Optional[Path] = typer.Option(None, "--config", help="Settings file (default: ./qe.toml, else "
                                               "the tool.qe table of ./pyproject.toml); options override it."),
    check_risk: Optional[float] = typer.Option(None, help="Sentence verdict 'check' at or above this risk "
                                               "(default: the risk model's cut point)."),
    wrong_risk: Optional[float] = typer.Option(None, help="Sentence verdict 'wrong' at or above this risk "
                                               "(default: the risk model's cut point)."),
    max_risk: Optional[float] = typer.Option(None, help="Gate: any sentence with a risk above this fails "
                                             "(0..1; default: off)."),
    check_similarity: Optional[float] = typer.Option(None, help="HTML: similarity shown as low below this "
                                                     "(default: the model's calibration)."),
    wrong_similarity: Optional[float] = typer.Option(None, help="Similarity shown as very low below this; "
                                                     "documents whose median is below it are unrelated "
                                                     "(default: the model's calibration)."),
    check_chrf: Optional[float] = typer.Option(None, help=f"HTML: chrF shown as low below this "
                                               f"(default {_T.check_chrf})."),
    max_omitted: Optional[float] = typer.Option(None, help=f"Gate: largest share of original sentences omitted "
                                                f"(default {_T.max_omitted_fraction})."),
    max_added: Optional[float] = typer.Option(None, help=f"Gate: largest share of translation sentences added "
                                              f"(default {_T.max_added_fraction})."),
    max_wrong: Optional[float] = typer.Option(None, help=f"Gate: largest share of sentences judged wrong, by "
                                              f"their risk (default {_T.max_wrong_fraction}: off)."),
    min_bleu: Optional[float] = typer.Option(None, help="Gate: lowest document BLEU (default: off)."),
    min_chrf: Optional[float] = typer.Option(None, help="Gate: lowest document chrF (default: off)."),
    min_similarity: Optional[float] = typer.Option(None, help="Gate: lowest document similarity (default: off)."),
    fail_on_major: Optional[bool] = typer.Option(None, "--fail-on-major/--no-fail-on-major",
                                                 help=f"Gate: major name/number flags fail "
                                                 f"(default {_T.fail_on_major_flags})."),
    fail_on_minor: Optional[bool] = typer.Option(None, "--fail-on-minor/--no-fail-on-minor",
                                                 help=f"Gate: minor flags (spelling variants) fail too "
                                                 f"(default {_T.fail_on_minor_flags})."),
    ignore_flag_kind: Optional[List[str]] = typer.Option(None, "--ignore-flag-kind", help="Gate: a flag kind "
                                                         "that never fails (repeatable), e.g. spelling-variant."),
    waivers: Optional[Path] = typer.Option(None, "--waivers", help="Decisions exported from the HTML review "
                                           "page: waived flags no longer fail the gate (in a batch, each "
                                           "document gets the decisions made for it)."),
    names: bool = typer.Option(True, "--names/--no-names", help="Check names and numbers (--no-names: scores "
                               "only, and the report says so)."),
    ignore_rule: Optional[List[str]] = ignore_rule_option(),
) -> GateChoices:
    thresholds = {
        "check_risk": check_risk, "wrong_risk": wrong_risk, "max_risk": max_risk,
        "check_similarity": check_similarity, "wrong_similarity": wrong_similarity, "check_chrf": check_chrf,
        "max_omitted_fraction": max_omitted, "max_added_fraction": max_added, "max_wrong_fraction": max_wrong,
        "min_bleu": min_bleu, "min_chrf": min_chrf, "min_similarity": min_similarity,
        "fail_on_major_flags": fail_on_major, "fail_on_minor_flags": fail_on_minor,
        "ignored_flag_kinds": ignore_flag_kind or None,
    }
    return GateChoices(config_file, thresholds, waivers, names, tuple(ignore_rule or ()))


# -- what is written ---------------------------------------------------------------

@dataclass(frozen=True)
class Output:
    formats: tuple[str, ...]
    quiet: bool
    progress: bool | None  # None: when stderr is a terminal


@option_group("Output")
def output(
    formats: str = typer.Option("json,csv,html", "--formats", help="Comma-separated report formats (in a batch: "
                                "each document's)."),
    xlsx: bool = typer.Option(False, "--xlsx", help="Also write report.xlsx, the CSV table as an Excel sheet."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing; the exit code tells."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Show progress (default: on when stderr is a terminal)."),
) -> Output:
    from qe.reporting import check_formats

    fmts = [f.strip() for f in formats.split(",") if f.strip()]
    if xlsx and "xlsx" not in fmts:
        fmts.append("xlsx")
    check_formats(fmts)
    return Output(tuple(fmts), quiet, progress)


__all__ = ["GateChoices", "Inputs", "OptionGroup", "Output", "gate", "ignore_rule_option", "inputs", "option_group", "output", "uses"]
