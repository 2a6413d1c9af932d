"""The `qe` command: options -> config -> pipeline -> writers -> exit code.

Each command is a thin layer over the Python API; library errors become one
line on stderr and the exit code their class defines (qe.errors.ExitCode).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import sys
from pathlib import Path
from typing import Callable, Iterator, List, Optional

import typer

from qe.align import AlignSettings
from qe.errors import ConfigError, ExitCode, QEError
from qe.options import GateChoices, Inputs, Output, gate, ignore_rule_option, inputs, output, uses

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,  # document text must not spill into CI logs
    help="Sentence-by-sentence quality check of a translation against its original.",
)

# align and names gate nothing: the config file still applies, no option overrides it
_NO_GATE = GateChoices(config_file=None, thresholds={}, waivers=None, check_names=True, ignore_rules=())


def _echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """What qe prints from documents and feeds (ids, file names, texts, flag
    messages) goes through here: it may hold escape sequences, and a terminal
    must not run them."""
    from qe.hidden import terminal_text

    typer.echo(terminal_text(text), err=err, nl=nl)


def _fail(message: str, code: ExitCode) -> typer.Exit:
    _echo(f"qe: error: {message}", err=True)
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


def _check_config(inputs: Inputs, gate: GateChoices):
    """The pipeline's settings from defaults < config file < options (one path
    for every command), and the waivers file that applies (option, else file)."""
    from qe.config import build_thresholds, load_config
    from qe.names.rules import rule_codes
    from qe.io import check_max_bytes
    from qe.pipeline import CheckConfig

    check_max_bytes(inputs.max_bytes)
    settings = load_config(gate.config_file)
    config = CheckConfig(src_lang=inputs.src_lang, tgt_lang=inputs.tgt_lang, model=inputs.model,
                         presplit=inputs.presplit, max_bytes=inputs.max_bytes,
                         thresholds=build_thresholds(settings.thresholds, gate.thresholds),
                         align=AlignSettings(max_bead=inputs.max_bead), check_names=gate.check_names,
                         ignore_rules=tuple(sorted(rule_codes([*settings.ignore_rules, *gate.ignore_rules]))))
    return config, gate.waivers or settings.waivers


@contextlib.contextmanager
def _progress(show: bool, message: str) -> Iterator[None]:
    """A spinner on stderr while the pipeline runs; nothing when not a terminal."""
    if not show:
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message + " (loading model, aligning, scoring)…"):
        yield


def append_text(path: str, text: str) -> None:
    """Append to a file others write to as well ($GITHUB_STEP_SUMMARY): no atomic rename."""
    from qe.errors import ReportError

    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text + "\n")
    except OSError as exc:
        raise ReportError(f"{path}: cannot append the summary ({exc.strerror})") from exc


MODEL = typer.Option(None, "--model", help="sentence-transformers model directory or cached name "
                     "(default: the bundled all-MiniLM-L6-v2); 'hashing' for a model-free dry run.")


@app.command()
@guarded
@uses(inputs, gate, output)
def check(
    original: Path = typer.Argument(..., help="The original document (UTF-8 text), or one XLIFF, TMX or PO file."),
    translation: Optional[Path] = typer.Argument(None, help="The translation, back in the original's language "
                                                 "(omitted for a bilingual file)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Report directory (default: reports/<name>)."),
    annotate: Optional[Path] = typer.Option(None, "--annotate", help="Bilingual file: write a copy of it with "
                                            "the findings on each unit (XLIFF notes and needs-review state, PO "
                                            "translator comments and fuzzy flag); the input is never modified."),
    output_format: str = typer.Option("text", "--format", help="What to print: text (summary) or json."),
    junit: Optional[Path] = typer.Option(None, "--junit", help="Also write JUnit XML to this file."),
    markdown: Optional[Path] = typer.Option(None, "--markdown", help="Also write a Markdown summary to this file "
                                            "(appended to $GITHUB_STEP_SUMMARY when that is set)."),
    back_translation: Optional[Path] = typer.Option(
        None, "--back-translation", "--reference",
        help="When the translation is in another language: a back-translation or reference in the "
             "original's language, for BLEU/chrF bead by bead."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Embedding cache file (SQLite), shared with "
                                         "`qe batch`; default: no cache."),
    *,
    inputs: Inputs,
    gate: GateChoices,
    output: Output,
) -> None:
    """Check a translation against its original; exit 0 passed, 1 gate failed, 2 usage, 3 could not run."""
    from qe.pipeline import check as run_check
    from qe.reporting import render_json, render_markdown, render_summary, write_report, write_reports
    from qe.waivers import load_waivers, waived_keys

    if output_format not in ("text", "json"):
        raise ConfigError(f"--format must be text or json, not {output_format!r}")
    for option, path in (("--junit", junit), ("--markdown", markdown)):
        if path is not None and path.is_dir():
            raise ConfigError(f"{option} {path}: is a directory; give a file name")
    bilingual = translation is None
    if bilingual:
        from qe.bilingual.read import is_bilingual

        if not is_bilingual(original):
            raise ConfigError("qe check needs ORIGINAL and TRANSLATION, or one XLIFF (.xlf), TMX or PO file")
    elif annotate is not None:
        raise ConfigError("--annotate needs a bilingual file (XLIFF, TMX or PO) as the only argument")
    config, waiver_file = _check_config(inputs, gate)
    if waiver_file:
        config = dataclasses.replace(config, waivers=waived_keys(load_waivers(waiver_file),
                                                                 str(translation or original)))

    def embedder_for(cfg):
        if cache is None:
            return None
        from qe.cache import CachedEmbedder
        from qe.embed import make_embedder

        # the pipeline's own rule: the same model with or without a cache
        return CachedEmbedder(make_embedder(cfg.model, multilingual=cfg.needs_multilingual_model), cache)

    show_progress = (sys.stderr.isatty() if output.progress is None else output.progress) and not output.quiet
    if bilingual:
        from qe.bilingual.cli import check_bilingual

        raise typer.Exit(int(check_bilingual(original, config, embedder_for=embedder_for, out=out,
                                             formats=output.formats, annotate=annotate, quiet=output.quiet,
                                             output_format=output_format, junit=junit, markdown=markdown,
                                             spinner=_progress(show_progress, f"checking {original.name}"),
                                             append_summary=append_text)))
    from qe.pipeline import resolve_languages

    config = resolve_languages(original, translation, config)
    with _progress(show_progress, f"checking {translation.name}"):
        report = run_check(original, translation, config, back_translation=back_translation,
                           embedder=embedder_for(config))
    written = write_reports(report, out or _default_out_dir(translation), output.formats)
    if junit is not None:
        written.append(write_report(report, junit, "junit"))
    if markdown is not None:
        written.append(write_report(report, markdown, "markdown"))
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        append_text(step_summary, render_markdown(report))
    if not output.quiet:
        if output_format == "json":
            _echo(render_json(report), nl=False)
        else:
            _echo(render_summary(report))
            _echo("reports: " + ", ".join(str(p) for p in written))
    raise typer.Exit(int(ExitCode.PASSED if report.passed else ExitCode.GATE_FAILED))


@app.command()
@guarded
@uses(inputs)
def align(
    original: Path = typer.Argument(..., help="The original document."),
    translation: Path = typer.Argument(..., help="The translation."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Score against a gold file in the [0]:[0, 1] format."),
    *,
    inputs: Inputs,
) -> None:
    """Print the alignment, one bead a line, as `[0]:[0, 1]` (`[]:[5]` for an added sentence)."""
    from qe.align import parse_beads, score_alignment
    from qe.io import read_text
    from qe.pipeline import aligned_documents

    config, _ = _check_config(inputs, _NO_GATE)
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


@app.command("eval-align")
@guarded
def eval_align(
    model: Optional[str] = typer.Option(None, "--model", help="Embedding model for every gold set (a --model "
                                        "value: directory, 'multilingual', 'hashing'); default: the model qe "
                                        "picks for each set's languages."),
    root: Optional[Path] = typer.Option(None, "--root", help="Project directory holding corpora/ (default: "
                                        "this installation's)."),
) -> None:
    """Print strict/lax alignment P/R/F1 on every bundled gold set (and Text+Berg dev if present)."""
    from qe.evaluate import evaluate_bundled, format_table

    rows = evaluate_bundled(model=model, root=root)
    if not rows:
        raise ConfigError("no gold set found (expected corpora/*/gold beside the project)")
    typer.echo(format_table(rows))


@app.command()
@guarded
@uses(inputs)
def names(
    original: Path = typer.Argument(..., help="The original document."),
    translation: Path = typer.Argument(..., help="The translation."),
    *,
    inputs: Inputs,
) -> None:
    """Print the name and number table: original form, translation form, kind, severity, sentence."""
    from qe.models import Severity
    from qe.pipeline import check as run_check

    config, _ = _check_config(inputs, _NO_GATE)
    report = run_check(original, translation, config)
    typer.echo("sentence\toriginal\ttranslation\tkind\tseverity\trule\texplanation")
    for f in report.flags:
        where = "" if f.src_sentence is None else str(f.src_sentence + 1)
        _echo(f"{where}\t{f.original or '—'}\t{f.found or '—'}\t{f.kind.value}\t{f.severity.value}\t{f.rule}"
                   f"\t{f.message}")
    major = sum(1 for f in report.flags if f.severity is Severity.MAJOR)
    typer.echo(f"{len(report.flags)} flag(s), {major} major", err=True)
    raise typer.Exit(int(ExitCode.PASSED if not major else ExitCode.GATE_FAILED))


@app.command()
@guarded
def rules() -> None:
    """Print the name and number rules: code, kind, severity, explanation (switch off with --ignore-rule)."""
    from qe.names.rules import rule_table

    typer.echo("code\tkind\tseverity\texplanation")
    for row in rule_table():
        typer.echo("\t".join(row))


@app.command("eval-names")
@guarded
def eval_names(
    demetr: Path = typer.Option(None, "--demetr", help="DEMETR directory (ne_removed.tsv, numbers_replaced.tsv); "
                                "default: ../shared/eval/demetr beside the project."),
    mqm: Path = typer.Option(None, "--mqm", help="MQM20 names TSV (default: ../shared/eval/mqm20-names/dev.tsv)."),
    pairs: Path = typer.Option(None, "--pairs", help="Minimal pairs TSV (default: corpora/name-pairs/pairs.tsv)."),
    seed: Path = typer.Option(None, "--seed", help="Seed corpus with gold/names.tsv (default: corpora/ft-call)."),
    model: Optional[str] = MODEL,
    limit: Optional[int] = typer.Option(None, "--limit", help="Use only the first N DEMETR and MQM20 rows."),
    skip_seed: bool = typer.Option(False, "--skip-seed", help="No seed gold (the seed runs the full pipeline)."),
    show: bool = typer.Option(False, "--show", help="Also list the MQM20 and minimal-pair rows missed or flagged "
                              "in error."),
    ignore_rule: Optional[List[str]] = ignore_rule_option(),
    by_rule: bool = typer.Option(False, "--by-rule", help="Also switch each rule off in turn and print what that "
                                 "changes in every set's figures (slow: one pass over every set per rule)."),
    rules: Optional[List[str]] = typer.Option(None, "--rules", help="With --by-rule: only these codes or patterns "
                                              "(N1xx, Q3; repeatable)."),
    timing: bool = typer.Option(False, "--timing", help="Also time the name check inside `check` on the seed."),
) -> None:
    """Print name/number check figures on every development set: DEMETR, MQM20, minimal pairs, seed gold."""
    from qe.name_eval import report
    from qe.names.rules import RULES, rule_codes

    req = report.EvalRequest(
        demetr or report.DEFAULT_DEMETR, mqm or report.DEFAULT_MQM, pairs or report.DEFAULT_PAIRS,
        None if skip_seed else seed or report.DEFAULT_SEED, model, limit,
        tuple(sorted(rule_codes(ignore_rule))) if ignore_rule else (), show)
    for line in report.evaluation_lines(req):
        typer.echo(line)
    if timing:
        for line in report.timing_lines(seed or report.DEFAULT_SEED, model):
            typer.echo(line)
    if by_rule:
        wanted = rule_codes(rules) if rules else None
        codes = [r.code for r in RULES if (wanted is None or r.code in wanted) and r.code not in req.ignore_rules]
        for line in report.by_rule_lines(req, codes):
            typer.echo(line)


@app.command()
@guarded
@uses(inputs, gate, output)
def batch(
    feed: Path = typer.Argument(..., help="A .jsonl or .csv file of records (id, original, translation[, src_lang, "
                                "tgt_lang]), an XLIFF, TMX or PO file or a directory of them, a directory of "
                                "NAME.original[.LANG].txt / NAME.translation[.LANG].txt pairs, or a .tsv/.txt manifest: id<TAB>original_path<TAB>translation_path."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output directory (default: reports/batch-<feed>)."),
    cache: Path = typer.Option(Path(".qe-cache/embeddings.sqlite"), "--cache", help="Embedding cache file (SQLite)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Keep no embedding cache on disk."),
    fresh: bool = typer.Option(False, "--fresh", help="Re-check every record, even those a previous run finished."),
    window: int = typer.Option(32, "--window", help="Records whose new sentences go to the model in one call."),
    engine: str = typer.Option("local", "--engine", help="local: this process; dask: a Dask cluster (a local one, "
                               "or the one at --scheduler), --window records a task. Same reports either way."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="With --engine dask: the scheduler's address "
                                            "(tcp://HOST:PORT) or scheduler file; default: a cluster on this machine."),
    allow_outside_paths: bool = typer.Option(False, "--allow-outside-paths", help="Let a manifest or folder feed "
                                             "name files outside the feed's folder (absolute paths, .., symlinks)."),
    *,
    inputs: Inputs,
    gate: GateChoices,
    output: Output,
) -> None:
    """Check every pair of a feed: a report directory each, a summary (worst first); exit 0 all passed,
    1 any failed the gate, 3 any record could not be checked. Re-running resumes."""
    from qe.batch import BatchSettings, Status, run_batch
    from qe.feed import Feed

    if window < 1:
        raise ConfigError("--window must be at least 1")
    if engine not in ("local", "dask"):
        raise ConfigError(f"--engine must be local or dask, not {engine!r}")
    if scheduler and engine != "dask":
        raise ConfigError("--scheduler needs --engine dask")
    config, waiver_file = _check_config(inputs, gate)
    from qe.waivers import load_waivers

    settings = BatchSettings(formats=output.formats, window_records=window, resume=not fresh,
                             waivers=load_waivers(waiver_file) if waiver_file else ())
    source = Feed(feed, max_bytes=config.max_bytes, allow_outside_paths=allow_outside_paths)
    out_dir = out or Path("reports") / f"batch-{feed.resolve().name.split('.')[0] or 'feed'}"
    if out_dir.exists() and not out_dir.is_dir():
        raise ConfigError(f"--out {out_dir}: is a file, not a directory")
    show_bar = sys.stderr.isatty() if output.progress is None else output.progress
    bar = None
    quiet = output.quiet
    if show_bar and not quiet:
        from tqdm import tqdm

        bar = tqdm(total=source.count(), unit="doc", file=sys.stderr, dynamic_ncols=True,
                   bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}]")

    def on_row(row) -> None:
        if bar is not None:
            bar.update(1)
        if row.status == Status.ERROR and not quiet:
            line = f"qe: {row.where or row.id}: {row.error}"
            if bar is not None:
                from qe.hidden import terminal_text

                bar.write(terminal_text(line))
            else:
                _echo(line, err=True)

    try:
        if engine == "dask":
            from qe.distributed import run_batch_dask

            result = run_batch_dask(source, out_dir, config, scheduler=scheduler, cache=None if no_cache else cache,
                                    settings=settings, on_row=on_row)
        else:
            result = run_batch(source, out_dir, config, cache=None if no_cache else cache, settings=settings,
                               on_row=on_row)
    finally:
        if bar is not None:
            bar.close()
    if not quiet:
        from qe.reporting.feed_summary import render_summary_text

        _echo(render_summary_text(result.rows))
        typer.echo(f"{len(result.rows)} documents: {result.count(Status.PASSED)} passed, "
                   f"{result.count(Status.FAILED)} failed the gate, {result.count(Status.ERROR)} could not be "
                   f"checked ({result.checked} checked now, {result.reused} from a previous run; "
                   f"embeddings: {result.cache_hits} cached, {result.cache_misses} new)")
        _echo("summary: " + ", ".join(str(p) for p in result.summary_files))
    raise typer.Exit(int(result.exit_code))


@app.command()
@guarded
def calibrate(
    feed: Path = typer.Argument(..., help="Judged sentence pairs: a TSV of original<TAB>translation<TAB>score "
                                "(higher = better; header optional), or a WMT MQM file with the header "
                                "lp system kind seg_id src mt ref ref_name mqm (ref = original, mt = translation)."),
    lang: str = typer.Option("en", "--lang", help="Language of the originals of a plain TSV (a WMT file names its own)."),
    tgt_lang: Optional[str] = typer.Option(None, "--tgt-lang", help="Language of the translations of a plain TSV "
                                           "(default: --lang); another language fits the cross-language model."),
    source_side: bool = typer.Option(False, "--source", help="WMT file: the source (src) is the original, "
                                     "not the reference: fits the cross-language model."),
    model: Optional[str] = MODEL,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the fitted risk model here (JSON); "
                                       "qe/data/risk/ holds the shipped ones."),
    bad_at: float = typer.Option(-5.0, "--bad-at", help="A score at or below this counts as a major error "
                                 "(MQM: -5 for a major error); the risk is its probability."),
    folds: int = typer.Option(10, "--folds", help="Cross-validation folds, whole groups (same original / seg_id) each."),
    resamples: int = typer.Option(200, "--resamples", help="Bootstrap resamples (of groups) for the intervals."),
    seed: int = typer.Option(0, "--seed", help="Seed of the folds and the bootstrap."),
    cache: Path = typer.Option(Path(".qe-cache/embeddings.sqlite"), "--cache", help="Embedding cache file (SQLite)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Keep no embedding cache on disk."),
) -> None:
    """Refit the risk model from human scores: print its cross-validated Kendall tau_b and tie-calibrated
    pairwise accuracy (with bootstrap intervals) beside each single measure's, and its coefficients."""
    from qe.cache import CachedEmbedder
    from qe.calibrate import calibrate as fit, format_agreement, format_coefficients, measure, model_for_embedder
    from qe.calibrate import read_judgements
    from qe.embed import make_embedder
    from qe.io import write_atomic
    import json

    if folds < 2:
        raise ConfigError("--folds must be at least 2")
    if resamples < 0:
        raise ConfigError("--resamples must not be negative")
    judged = read_judgements(feed, lang, tgt_lang, source_side=source_side)
    embedder = CachedEmbedder(make_embedder(model, multilingual=judged.languages != ("en", "en")),
                              None if no_cache else cache)
    base = model_for_embedder(embedder.name, judged.crosslingual)
    features = measure(judged, embedder, names=base.reads_flags(*judged.languages))
    result = fit(judged, features, base, folds=folds, resamples=resamples, seed=seed, bad_at=bad_at)
    typer.echo(f"{feed.name}: {result.rows} rows in {result.groups} groups ({'->'.join(judged.languages)}), "
               f"embedding model "
               f"{embedder.name}; {folds}-fold cross-validation by group"
               + (f"; {judged.skipped} row(s) with an empty side skipped" if judged.skipped else "")
               + ("" if base.reads_flags(*judged.languages) else
                  f"; name/number flags not read (the risk model reads them in {', '.join(base.flag_languages)})"))
    typer.echo(format_agreement(result))
    typer.echo("")
    typer.echo(format_coefficients(result.model), nl=False)
    if out is not None:
        write_atomic(out, json.dumps(result.model.to_dict(), ensure_ascii=False, indent=2) + "\n")
        typer.echo(f"model: {out}")


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
