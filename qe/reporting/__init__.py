"""Report writers: each turns a Report into one file, written atomically.

    json      report.json   everything, for machines (qe.reporting.json_report)
    csv       report.csv    one row per bead, UTF-8 with BOM for Excel (table)
    xlsx      report.xlsx   the same table as an Excel sheet (xlsx)
    html      report.html   the self-contained review page for editors (html)
    markdown  report.md     a summary for a PR comment / $GITHUB_STEP_SUMMARY
    junit     junit.xml     JUnit XML for CI test views

Every format carries the report's reproducibility signature.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from qe.errors import ConfigError
from qe.io import write_atomic
from qe.models import Report
from qe.reporting.html import render_html
from qe.reporting.json_report import render_json
from qe.reporting.junit import render_junit
from qe.reporting.markdown import render_markdown
from qe.reporting.summary import render_summary
from qe.reporting.table import render_csv


def _render_xlsx(report: Report) -> bytes:
    from qe.reporting.xlsx import render_xlsx  # openpyxl is imported only when asked for

    return render_xlsx(report)


RENDERERS: dict[str, tuple[str, Callable[[Report], str | bytes]]] = {
    "json": ("report.json", render_json),
    "csv": ("report.csv", render_csv),
    "xlsx": ("report.xlsx", _render_xlsx),
    "html": ("report.html", render_html),
    "markdown": ("report.md", render_markdown),
    "junit": ("junit.xml", render_junit),
}


def check_formats(formats: Sequence[str]) -> None:
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown:
        raise ConfigError(f"unknown report format(s): {', '.join(unknown)} (known: {', '.join(RENDERERS)})")


def write_reports(report: Report, out_dir: str | Path, formats: Sequence[str] = ("json", "csv", "html")) -> list[Path]:
    """Write the chosen formats into `out_dir`; returns the paths written."""
    check_formats(formats)
    out = Path(out_dir)
    written = []
    for fmt in formats:
        filename, render = RENDERERS[fmt]
        written.append(write_atomic(out / filename, render(report)))
    return written


def write_report(report: Report, path: str | Path, fmt: str) -> Path:
    """One format to an explicit path (e.g. --junit FILE)."""
    check_formats([fmt])
    return write_atomic(path, RENDERERS[fmt][1](report))


__all__ = ["RENDERERS", "check_formats", "render_csv", "render_html", "render_json", "render_junit",
           "render_markdown", "render_summary", "write_report", "write_reports"]
