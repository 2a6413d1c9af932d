"""Report -> one self-contained HTML page (no external resources)."""

from __future__ import annotations

from html import escape

from qe.models import Report

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:1.2em;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 6px;vertical-align:top}
th{background:#f4f4f4;text-align:left}.ok{background:#eef9ee}.check{background:#fff7e0}.wrong{background:#fde8e8}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.flag{color:#a00;font-size:90%}
.sig{font:12px monospace;color:#555}
"""


def _num(v: float | None, spec: str = ".1f") -> str:
    return "n/a" if v is None else format(v, spec)


def render_html(report: Report) -> str:
    c = report.corpus
    rows = []
    for k, sb in enumerate(report.beads):
        b = sb.bead
        flags = "".join(f'<div class="flag">{escape(f.message)}</div>' for f in sb.flags)
        rows.append(
            f'<tr class="{sb.verdict.value}"><td class="num">{k}</td><td>{escape(b.kind.value)} {b.shape}</td>'
            f"<td>{escape(report.original.join(b.src))}</td><td>{escape(report.translation.join(b.tgt))}{flags}</td>"
            f'<td class="num">{_num(sb.scores.bleu)}</td><td class="num">{_num(sb.scores.chrf)}</td>'
            f'<td class="num">{_num(sb.scores.similarity, ".3f")}</td><td>{sb.verdict.value}</td></tr>'
        )
    sig = "<br>".join(f"{escape(k)}: {escape(v)}" for k, v in report.signature.items())
    verdict = "PASSED" if report.passed else "FAILED: " + "; ".join(report.gate.reasons)
    notes = "".join(f"<p>{escape(n)}</p>" for n in report.notes)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>qe report</title><style>{_CSS}</style></head>
<body><h1>qe: {escape(report.translation.name or 'translation')}</h1>
<p>original: {escape(report.original.name or '-')} · BLEU {_num(c.bleu)} · chrF {_num(c.chrf)} ·
similarity {_num(c.similarity, '.3f')} · <strong>{escape(verdict)}</strong></p>{notes}
<table><thead><tr><th>#</th><th>type</th><th>original</th><th>translation</th><th>BLEU</th><th>chrF</th>
<th>sim</th><th>verdict</th></tr></thead><tbody>{''.join(rows)}</tbody></table>
<p class="sig">{sig}</p></body></html>
"""
