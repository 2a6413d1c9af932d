"""The `qe` command: options -> config -> pipeline -> writers -> exit code.

Each command is a thin layer over the Python API; library errors become one
line on stderr and the exit code their class defines (qe.errors.ExitCode).
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Callable, List, Optional

import typer

from qe.align import AlignSettings
from qe.errors import ConfigError, ExitCode, QEError
from qe.models import Thresholds

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,  # document text must not spill into CI logs
    help="Sentence-by-sentence quality check of a translation against its original.",
)

_T = Thresholds()
_A = AlignSettings()


def _fail(message: str, code: ExitCode) -> typer.Exit:
    typer.echo(f"qe: error: {message}", err=True)
    return typer.Exit(int(code))


def guarded(func: Callable) -> Callable:
    """Turn library errors into one line and an exit code: never a traceback
    (set QE_DEBUG=1 to see one)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except QEError as exc:
            raise _fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise _fail("interrupted", ExitCode.COULD_NOT_RUN) from None
        except Exception as exc:  # a bug of ours: still one line, still exit 3
            if os.environ.get("QE_DEBUG"):
                raise
            raise _fail(f"internal error: {type(exc).__name__}: {exc} (QE_DEBUG=1 shows a traceback)",
                        ExitCode.COULD_NOT_RUN) from None

    return wrapper


def _default_out_dir(translation: Path) -> Path:
    stem = translation.name.split(".")[0]
    parent = translation.resolve().parent.name
    return Path("reports") / (f"{parent}-{stem}" if parent else stem)


def _config(src_lang: str, tgt_lang: Optional[str], model: Optional[str], presplit: bool,
            thresholds: Thresholds, max_bytes: int, max_bead: int = _A.max_bead):
    from qe.pipeline import CheckConfig

    return CheckConfig(src_lang=src_lang, tgt_lang=tgt_lang, model=model, presplit=presplit,
                       thresholds=thresholds, max_bytes=max_bytes,
                       align=AlignSettings(max_bead=max_bead))


SRC_LANG = typer.Option("en", "--src-lang", help="Language of the original (ISO 639-1).")
TGT_LANG = typer.Option(None, "--tgt-lang", help="Language of the translation; default: same as --src-lang.")
MODEL = typer.Option(None, "--model", help="sentence-transformers model directory or cached name "
                     "(default: the bundled all-MiniLM-L6-v2); 'hashing' for a model-free dry run.")
PRESPLIT = typer.Option(False, "--presplit", help="One sentence per line: do not re-split.")
MAX_BYTES = typer.Option(50 * 1024 * 1024, "--max-bytes", help="Refuse input files larger than this.")


@app.command()
@guarded
def check(
    original: Path = typer.Argument(..., help="The original document (UTF-8 text)."),
    translation: Path = typer.Argument(..., help="The translation, back in the original's language."),
    src_lang: str = SRC_LANG,
    tgt_lang: Optional[str] = TGT_LANG,
    model: Optional[str] = MODEL,
    presplit: bool = PRESPLIT,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Report directory (default: reports/<name>)."),
    formats: str = typer.Option("json,csv,html", "--formats", help="Comma-separated report formats."),
    output_format: str = typer.Option("text", "--format", help="What to print: text (summary) or json."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing; the exit code tells."),
    check_similarity: float = typer.Option(_T.check_similarity, help="Sentence verdict 'check' below this similarity."),
    wrong_similarity: float = typer.Option(_T.wrong_similarity, help="Sentence verdict 'wrong' below this similarity."),
    max_omitted: float = typer.Option(_T.max_omitted_fraction, help="Gate: largest share of original sentences omitted."),
    max_added: float = typer.Option(_T.max_added_fraction, help="Gate: largest share of translation sentences added."),
    fail_on_minor: bool = typer.Option(_T.fail_on_minor_flags, help="Gate: minor flags (spelling variants) fail too."),
    max_bead: int = typer.Option(_A.max_bead, help="Largest bead (original + translation sentences)."),
    max_bytes: int = MAX_BYTES,
) -> None:
    """Check a translation against its original; exit 0 passed, 1 gate failed, 2 usage, 3 could not run."""
    from qe.pipeline import check as run_check
    from qe.reporting import render_json, render_summary, write_reports

    if output_format not in ("text", "json"):
        raise ConfigError(f"--format must be text or json, not {output_format!r}")
    thresholds = Thresholds(check_similarity=check_similarity, wrong_similarity=wrong_similarity,
                            max_omitted_fraction=max_omitted, max_added_fraction=max_added,
                            fail_on_minor_flags=fail_on_minor)
    config = _config(src_lang, tgt_lang, model, presplit, thresholds, max_bytes, max_bead)
    report = run_check(original, translation, config)
    fmts = [f.strip() for f in formats.split(",") if f.strip()]
    written = write_reports(report, out or _default_out_dir(translation), fmts)
    if not quiet:
        if output_format == "json":
            typer.echo(render_json(report), nl=False)
        else:
            typer.echo(render_summary(report))
            typer.echo("reports: " + ", ".join(str(p) for p in written))
    raise typer.Exit(int(ExitCode.PASSED if report.passed else ExitCode.GATE_FAILED))


@app.command()
@guarded
def align(
    original: Path = typer.Argument(..., help="The original document."),
    translation: Path = typer.Argument(..., help="The translation."),
    src_lang: str = SRC_LANG,
    tgt_lang: Optional[str] = TGT_LANG,
    model: Optional[str] = MODEL,
    presplit: bool = PRESPLIT,
    gold: Optional[Path] = typer.Option(None, "--gold", help="Score against a gold file in the [0]:[0, 1] format."),
    max_bead: int = typer.Option(_A.max_bead, help="Largest bead (original + translation sentences)."),
    max_bytes: int = MAX_BYTES,
) -> None:
    """Print the alignment, one bead a line, as `[0]:[0, 1]` (`[]:[5]` for an added sentence)."""
    from qe.align import parse_beads, score_alignment
    from qe.io import read_text
    from qe.pipeline import aligned_documents

    config = _config(src_lang, tgt_lang, model, presplit, _T, max_bytes, max_bead)
    _, _, beads = aligned_documents(original, translation, config)
    for b in beads:
        extra = f"\t{b.confidence:.3f}" if b.confidence is not None else "\t"
        typer.echo(b.bead_format() + extra + ("\tmoved" if b.moved else ""))
    if gold is not None:
        try:
            gold_beads = parse_beads(read_text(gold))
        except ValueError as exc:
            raise ConfigError(f"{gold}: {exc}") from exc
        s = score_alignment([(b.src, b.tgt) for b in beads], gold_beads)
        typer.echo(f"strict P {s.strict_precision:.3f} R {s.strict_recall:.3f} F1 {s.strict_f1:.3f} | "
                   f"lax P {s.lax_precision:.3f} R {s.lax_recall:.3f} F1 {s.lax_f1:.3f}", err=True)


@app.command()
@guarded
def names(
    original: Path = typer.Argument(..., help="The original document."),
    translation: Path = typer.Argument(..., help="The translation."),
    src_lang: str = SRC_LANG,
    tgt_lang: Optional[str] = TGT_LANG,
    model: Optional[str] = MODEL,
    presplit: bool = PRESPLIT,
    max_bytes: int = MAX_BYTES,
) -> None:
    """Print the name and number table: original form, translation form, kind, severity, sentence."""
    from qe.pipeline import check as run_check

    report = run_check(original, translation, _config(src_lang, tgt_lang, model, presplit, _T, max_bytes))
    typer.echo("sentence\toriginal\ttranslation\tkind\tseverity")
    for f in report.flags:
        where = "" if f.src_sentence is None else str(f.src_sentence + 1)
        typer.echo(f"{where}\t{f.original}\t{f.found or '—'}\t{f.kind.value}\t{f.severity.value}")
    raise typer.Exit(int(ExitCode.PASSED if not report.flags else ExitCode.GATE_FAILED))


def main(argv: Optional[List[str]] = None) -> int:
    """Console entry point."""
    try:
        app(args=argv, prog_name="qe", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else int(ExitCode.USAGE))
        return code
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
