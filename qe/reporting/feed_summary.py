"""A feed's summary: one row per document, worst first, for the terminal and as
summary.json, summary.csv and summary.html (written by qe.batch)."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from qe.hidden import json_visible, visible
from qe.io import write_atomic
from qe.reporting.cells import spreadsheet_row


class Status:
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"  # could not be checked

    RANK = {ERROR: 0, FAILED: 1, PASSED: 2}


@dataclass(frozen=True)
class DocumentRow:
    """One line of the feed summary."""

    id: str
    status: str
    report: str = ""  # the document's report directory, relative to the output directory
    original_sentences: int | None = None
    translation_sentences: int | None = None
    bleu: float | None = None
    chrf: float | None = None
    similarity: float | None = None
    major_flags: int = 0
    minor_flags: int = 0
    wrong: int = 0
    check: int = 0
    omitted: int = 0
    added: int = 0
    reasons: str = ""
    error: str = ""
    where: str = ""
    reused: bool = False  # taken from a previous run's journal

    def sort_key(self) -> tuple:
        """Worst first: could not run, failed, passed; then most major flags,
        most wrong sentences, lowest similarity."""
        sim = self.similarity if self.similarity is not None else 2.0
        return (Status.RANK[self.status], -self.major_flags, -self.wrong, sim, -self.minor_flags, self.id)


SUMMARY_COLUMNS = [f.name for f in dataclasses.fields(DocumentRow)]


def _totals(rows: Sequence[DocumentRow]) -> dict[str, int]:
    return {
        "documents": len(rows),
        Status.PASSED: sum(r.status == Status.PASSED for r in rows),
        Status.FAILED: sum(r.status == Status.FAILED for r in rows),
        Status.ERROR: sum(r.status == Status.ERROR for r in rows),
        "major_flags": sum(r.major_flags for r in rows),
        "minor_flags": sum(r.minor_flags for r in rows),
    }


def render_summary_text(rows: Sequence[DocumentRow], *, limit: int = 20) -> str:
    """The feed summary for a terminal: worst documents first, one line each."""
    def num(v: float | None, spec: str) -> str:
        return "n/a" if v is None else format(v, spec)

    ordered = sorted(rows, key=DocumentRow.sort_key)
    width = max([len(r.id) for r in ordered[:limit]] + [8])
    lines = [f"{'document':{width}}  {'status':8} {'BLEU':>5} {'chrF':>5} {'sim':>5} {'major':>5} {'minor':>5} "
             f"{'wrong':>5}  reason"]
    for r in ordered[:limit]:
        reason = r.error or r.reasons
        lines.append(f"{r.id:{width}}  {r.status:8} {num(r.bleu, '.1f'):>5} {num(r.chrf, '.1f'):>5} "
                     f"{num(r.similarity, '.3f'):>5} {r.major_flags:>5} {r.minor_flags:>5} {r.wrong:>5}  "
                     f"{reason[:70]}")
    if len(ordered) > limit:
        lines.append(f"… {len(ordered) - limit} more in the summary files")
    return "\n".join(lines)


def render_summary_json(rows: Sequence[DocumentRow], signature: dict[str, str]) -> str:
    doc = {"totals": _totals(rows), "signature": signature, "documents": [dataclasses.asdict(r) for r in rows]}
    return json_visible(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"


def render_summary_csv(rows: Sequence[DocumentRow]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(SUMMARY_COLUMNS)
    for r in rows:
        writer.writerow(spreadsheet_row("" if v is None else v for v in dataclasses.astuple(r)))
    return "\ufeff" + buf.getvalue()  # the BOM makes Excel read UTF-8


_CSS = """body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}th,td{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.error td:first-child{border-left:4px solid #7a1f9c}tr.failed td:first-child{border-left:4px solid #c62828}
tr.passed td:first-child{border-left:4px solid #2e7d32}.muted{color:#777}"""


def render_summary_html(rows: Sequence[DocumentRow], signature: dict[str, str]) -> str:
    t = _totals(rows)

    def e(text: str) -> str:
        return html.escape(visible(text))

    def num(v, spec=".1f"):
        # None is "not applicable" (BLEU/chrF across languages), never a blank that reads as missing data
        return '<span title="not applicable">n/a</span>' if v is None else format(v, spec)

    body = []
    for r in rows:
        name = e(r.id)
        if r.report and r.status != Status.ERROR:
            # the folder name holds %XX escapes: quote them again so the browser finds the folder
            name = f'<a href="{e(urllib.parse.quote(r.report))}/report.html">{name}</a>'
        detail = e(r.error or r.reasons)
        body.append(
            f'<tr class="{r.status}"><td>{name}</td><td>{r.status}</td>'
            f'<td class="n">{num(r.similarity, ".3f")}</td><td class="n">{num(r.chrf)}</td>'
            f'<td class="n">{num(r.bleu)}</td><td class="n">{r.major_flags}</td><td class="n">{r.minor_flags}</td>'
            f'<td class="n">{r.wrong}</td><td class="n">{r.check}</td><td class="n">{r.omitted}</td>'
            f'<td class="n">{r.added}</td><td>{detail}</td></tr>')
    sig = " · ".join(f"{e(k)}: {e(v)}" for k, v in signature.items() if k != "config")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>qe feed summary</title><style>{_CSS}</style></head>
<body><h1>Feed summary</h1>
<p>{t['documents']} documents: {t['passed']} passed, {t['failed']} failed the gate, {t['error']} could not be
checked; {t['major_flags']} major and {t['minor_flags']} minor name/number flags. Worst first.</p>
<table><thead><tr><th>document</th><th>status</th><th>similarity</th><th>chrF</th><th>BLEU</th>
<th>major</th><th>minor</th><th>wrong</th><th>check</th><th>omitted</th><th>added</th><th>why</th></tr></thead>
<tbody>
{chr(10).join(body)}
</tbody></table>
<p class="muted">{sig}</p>
</body></html>
"""


def write_summary(rows: Sequence[DocumentRow], out_dir: Path, signature: dict[str, str]) -> list[Path]:
    return [
        write_atomic(out_dir / "summary.json", render_summary_json(rows, signature)),
        write_atomic(out_dir / "summary.csv", render_summary_csv(rows)),
        write_atomic(out_dir / "summary.html", render_summary_html(rows, signature)),
    ]
