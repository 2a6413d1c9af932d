"""`qe check FILE.xlf`: the command-line side of bilingual files (the
library side is qe.bilingual.check; this module only writes and prints)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, ContextManager, Sequence

import typer

from qe.errors import ExitCode


def _out_dir(path: Path, out: Path | None, tag: str, several: bool) -> Path:
    base = out or Path("reports") / path.name.replace(".", "-")
    return base / tag if several and tag else base


def check_bilingual(path: Path, config, *, embedder_for: Callable, out: Path | None, formats: Sequence[str],
                    annotate: Path | None, quiet: bool, output_format: str, junit: Path | None,
                    markdown: Path | None, spinner: ContextManager,
                    append_summary: Callable[[str, str], None]) -> ExitCode:
    """Check every language pair of `path`, write the reports (and the
    annotated copy), print the summaries; the exit code of the worst pair.
    `spinner` and `append_summary` are qe.cli's (passed in: qe.cli imports this module)."""
    from qe.bilingual.annotate import annotate as write_annotated
    from qe.bilingual.check import check_file
    from qe.reporting import render_json, render_markdown, render_summary, write_report, write_reports

    with spinner:
        results = check_file(path, config, embedder_for=embedder_for)
    several = len(results) > 1
    written: list[Path] = []
    for result in results:
        report, tag = result.report, result.document.tgt_tag
        written += write_reports(report, _out_dir(path, out, tag, several), list(formats))
        suffix = f".{tag}" if several and tag else ""
        if junit is not None:
            written.append(write_report(report, junit.with_name(junit.stem + suffix + junit.suffix), "junit"))
        if markdown is not None:
            written.append(write_report(report, markdown.with_name(markdown.stem + suffix + markdown.suffix),
                                        "markdown"))
        step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if step_summary:
            append_summary(step_summary, render_markdown(report))
        if not quiet:
            if output_format == "json":
                typer.echo(render_json(report), nl=False)
            else:
                if several:
                    typer.echo(f"== {path.name}: {result.document.src_lang or '?'} -> {tag}")
                typer.echo(render_summary(report))
    if annotate is not None:
        written.append(write_annotated(path, results, annotate))
    if not quiet and output_format != "json":
        typer.echo("reports: " + ", ".join(str(p) for p in written))
    return ExitCode.PASSED if all(r.report.passed for r in results) else ExitCode.GATE_FAILED
