"""Report -> a Markdown summary for a pull-request comment or $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import dataclasses
import re
from pathlib import PurePath

from qe.hidden import visible
from qe.models import Report, Verdict
from qe.reporting.summary import score_text, setting_text

# Characters that Markdown (or the HTML GitHub lets through) would interpret.
_SPECIAL = re.compile(r"([\\`*_\[\]|#<>&~])")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "|": "&#124;"}


def md(text: str) -> str:
    """Document text as inert Markdown: one line, nothing interpreted."""
    text = " ".join(str(text).split())
    return _SPECIAL.sub(lambda m: _ENTITIES.get(m.group(1), "\\" + m.group(1)), text)


def _name(path: str) -> str:
    return PurePath(path).name if path else "-"


def render_markdown(report: Report, *, max_flags: int = 30) -> str:
    c = report.corpus
    ok = report.passed
    title = "passed" if ok else "failed the quality gate"
    lines = [
        f"### {'✅' if ok else '❌'} qe: {md(_name(report.translation.name))} {title}",
        "",
        f"Translation **{md(_name(report.translation.name))}** checked against **{md(_name(report.original.name))}** "
        f"({len(report.original)} original, {len(report.translation)} translation sentences).",
        "",
    ]
    if not ok:
        lines += ["**Why it failed:**", ""] + [f"- {md(r)}" for r in report.gate.reasons] + [""]
    for note in report.notes:
        lines.append(f"> {md(note)}")
    if report.notes:
        lines.append("")
    lines += [
        "| | BLEU | chrF | similarity |",
        "|---|---:|---:|---:|",
        f"| document | {score_text(c.bleu)} | {score_text(c.chrf)} | {score_text(c.similarity, '.3f')} |",
        "",
    ]
    verdicts = {v: sum(1 for b in report.beads if b.verdict is v) for v in Verdict}
    kinds: dict[str, int] = {}
    for b in report.beads:
        kinds[b.bead.kind.value] = kinds.get(b.bead.kind.value, 0) + 1
    lines.append("**Sentences:** " + " · ".join(f"{v.value} {n}" for v, n in verdicts.items())
                 + " — alignment: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    flags = report.flags
    if flags:
        by_kind: dict[str, int] = {}
        for f in flags:
            by_kind[f.kind.value] = by_kind.get(f.kind.value, 0) + 1
        waived = sum(1 for f in flags if f.waived)
        lines.append("")
        lines.append(f"**Flags:** {len(flags)} (" + ", ".join(f"{k} {n}" for k, n in sorted(by_kind.items()))
                     + (f"; {waived} waived" if waived else "") + ")")
        lines += ["", "| bead | severity | kind | original | translation | |", "|---:|---|---|---|---|---|"]
        for f in flags[:max_flags]:
            lines.append(f"| {f.bead} | {f.severity.value} | {f.kind.value} | {md(f.original) or '—'} | "
                         f"{md(f.found) if f.found else '—'} | {'waived' if f.waived else ''} |")
        if len(flags) > max_flags:
            lines.append(f"\n… and {len(flags) - max_flags} more in the HTML/CSV reports.")
    lines += ["", "<details><summary>Thresholds and signature</summary>", "", "| setting | value |", "|---|---|"]
    for k, v in dataclasses.asdict(report.thresholds).items():
        lines.append(f"| {k} | {md(setting_text(v))} |")
    for k, v in report.signature.items():
        lines.append(f"| signature: {md(k)} | {md(v)} |")
    lines += ["", "</details>", ""]
    return visible("\n".join(lines))  # a step summary is read in a browser: nothing hidden
