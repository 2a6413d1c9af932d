"""Report writers: each turns a Report into one file, written atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from qe.errors import ConfigError
from qe.io import write_atomic
from qe.models import Report
from qe.reporting.html import render_html
from qe.reporting.json_report import render_json
from qe.reporting.summary import render_summary


def _render_csv(report: Report) -> str:
    # utf-8-sig: the BOM makes Excel read the file as UTF-8
    return "\ufeff" + report.to_dataframe().to_csv(index=False, lineterminator="\r\n")


RENDERERS: dict[str, tuple[str, Callable[[Report], str | bytes]]] = {
    "json": ("report.json", render_json),
    "csv": ("report.csv", _render_csv),
    "html": ("report.html", render_html),
}


def write_reports(report: Report, out_dir: str | Path, formats: Sequence[str] = ("json", "csv", "html")) -> list[Path]:
    """Write the chosen formats into `out_dir`; returns the paths written."""
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown:
        raise ConfigError(f"unknown report format(s): {', '.join(unknown)} (known: {', '.join(RENDERERS)})")
    out = Path(out_dir)
    written = []
    for fmt in formats:
        filename, render = RENDERERS[fmt]
        written.append(write_atomic(out / filename, render(report)))
    return written


__all__ = ["RENDERERS", "render_html", "render_json", "render_summary", "write_reports"]
