"""Report -> one self-contained HTML review page for editors.

Everything is in the one file (inline CSS and JS, no fonts, no CDN) so it opens
from disk, from a mail attachment or a CI artifact with no network. The rows are
rendered here, server side, with every piece of document text escaped; the
script only sorts, filters and records the editor's decisions on flags, which it
exports as a waivers file (qe/waivers.py) for `qe check --waivers`.

A Content-Security-Policy allows only this page's own script (by hash): even a
mistake in escaping could not run a script smuggled in through a document.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from html import escape as _escape_markup
from pathlib import PurePath

from qe.hidden import json_visible, visible
from qe.models import BeadKind, Flag, Report, ScoredBead, Severity, Thresholds, Verdict
from qe.reporting.summary import setting_text



def escape(text: str, quote: bool = True) -> str:
    """Text for the page: hidden characters as code points first (a bidi
    override must not reorder what the editor reads), then markup-escaped
    (so the ``<U+202E>`` that stands for one is not read as a tag)."""
    return _escape_markup(visible(text), quote)


_VERDICT_RANK = {Verdict.OK: 0, Verdict.CHECK: 1, Verdict.WRONG: 2}
# Sentence BLEU has no threshold of ours; these bands are the usual rough
# reading of BLEU (below 20 the gist is hard to get, 40 and up is good).
_BLEU_BANDS = (20.0, 40.0)

_TYPE_TEXT = {
    BeadKind.MATCH: "one original sentence, one translation sentence",
    BeadKind.MERGED: "several original sentences became one",
    BeadKind.SPLIT: "one original sentence became several",
    BeadKind.MANY: "several sentences became several",
    BeadKind.OMITTED: "original sentence(s) missing from the translation",
    BeadKind.ADDED: "translation sentence(s) not in the original",
    BeadKind.MOVED: "matched, but out of order",
}

_CSS = """
:root{--ok:#e9f6ec;--check:#fff6dc;--wrong:#fde9e9;--line:#d9dde3;--muted:#5b6470;--ink:#1d232b}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--ink);background:#fff}
header{padding:14px 20px 8px;border-bottom:1px solid var(--line);background:#fafbfc}
h1{font-size:20px;margin:0 0 6px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
.gate{font-size:13px;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600}
.gate.pass{background:#1e7d3a}.gate.fail{background:#b3261e}
.sub{color:var(--muted);margin:0 0 8px}
.reasons{margin:4px 0 8px;padding-left:20px;color:#8a1c16}
.note{background:#fff6dc;border-left:4px solid #e0a800;padding:4px 10px;margin:6px 0}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:6px 12px;background:#fff;min-width:150px}
.card h2{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:0 0 2px}
.card .big{font-size:18px;font-weight:600}
.card table td{padding:0 8px 0 0;border:0}
details{margin:4px 0}summary{cursor:pointer;color:#2d5b9a}
.sig{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;color:#333;word-break:break-all}
.sig dt{font-weight:600;float:left;clear:left;margin-right:6px}.sig dd{margin:0 0 2px}
.legend{font-size:12px;color:var(--muted)}
.toolbar{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--line);
 padding:8px 20px;display:flex;flex-wrap:wrap;gap:14px;align-items:center}
.toolbar input[type=search]{width:18em;padding:4px 8px;font:inherit}
.toolbar .count{color:var(--muted)}
.toolbar .decisions{margin-left:auto}
button{font:inherit;cursor:pointer}
.export{background:#2d5b9a;color:#fff;border:0;border-radius:4px;padding:4px 10px}
main{padding:0 20px 30px}
table.beads{border-collapse:collapse;width:100%;table-layout:fixed}
.beads th,.beads td{border-bottom:1px solid var(--line);padding:6px;vertical-align:top;text-align:left}
.beads thead th{position:sticky;top:var(--toolbar-h,45px);background:#f1f3f6;z-index:1;font-size:12px}
.beads th button{border:0;background:none;padding:0;font-weight:700;color:#2d5b9a}
.beads th[aria-sort=ascending] button::after{content:" \\25B2"}
.beads th[aria-sort=descending] button::after{content:" \\25BC"}
tr.v-ok{background:var(--ok)}tr.v-check{background:var(--check)}tr.v-wrong{background:var(--wrong)}
td.id{font-size:12px;color:var(--muted)}td.id b{color:var(--ink);font-size:14px}
.sent{margin:0 0 4px}.sid{display:inline-block;min-width:2.2em;color:var(--muted);font-size:11px}
.gap{color:#8a1c16;font-style:italic;margin:0}
.badge{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;font-weight:600;white-space:nowrap}
.b-match{background:#e4e7eb}.b-merged,.b-split,.b-many-to-many{background:#dbe8fb;color:#1d4a8a}
.b-omitted{background:#b3261e;color:#fff}.b-added{background:#6b3fa0;color:#fff}.b-moved{background:#e07b00;color:#fff}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.sc{display:inline-block;min-width:3.4em;padding:1px 4px;border-radius:3px;text-align:right}
.why{white-space:normal;text-align:left;font-size:.8em;color:#444;margin-top:2px}
.s-good{background:#cdebd6;color:#14532d}.s-warn{background:#ffe7a3;color:#6b4500}.s-bad{background:#f7c4c1;color:#7f1d1d}
.s-na{color:var(--muted)}.s-plain{background:#e4e7eb}
.vd{font-weight:700;text-transform:uppercase;font-size:12px}
.vd-ok{color:#1e7d3a}.vd-check{color:#8a5a00}.vd-wrong{color:#b3261e}
mark{background:#ffd54f;color:inherit;border-radius:2px;padding:0 1px}
mark.hl-major{background:#ffb4ab;outline:1px solid #b3261e}
mark.hl-waived{background:#e4e7eb;outline:1px dashed #777}
.was{font-size:12px;color:#8a1c16;font-weight:600;white-space:nowrap}
ul.flags{list-style:none;margin:6px 0 0;padding:0}
.flag{border-left:3px solid #b3261e;background:rgba(255,255,255,.7);padding:3px 6px;margin-top:4px;font-size:13px}
.flag.minor{border-left-color:#e0a800}
.flag.is-waived{border-left-color:#888;opacity:.75}.flag.is-accepted{border-left-color:#1d4a8a}
.fk{font-size:11px;text-transform:uppercase;color:var(--muted);margin-right:4px}
abbr.rule{text-decoration:none;font-family:monospace;text-transform:none}
.decide{display:inline-flex;gap:8px;margin-left:6px;font-size:12px;white-space:nowrap}
tr[hidden]{display:none}
"""

_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("qe-data").textContent);
  var tbody = document.getElementById("beads");
  var rows = Array.prototype.slice.call(tbody.rows);
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
  rows.forEach(function (r, i) { r._qeText = texts[i]; });
  var state = { sort: "risk", dir: -1 };  // riskiest first: the sentences an editor should read
  var decisions = {};
  data.flags.forEach(function (f) { if (f.waived) { decisions[f.key] = "waived"; } });

  function num(row, key) {
    var v = row.getAttribute("data-" + key);
    return v === null || v === "" ? null : parseFloat(v);
  }
  function sortRows() {
    var k = state.sort, d = state.dir;
    rows.sort(function (a, b) {
      var x = num(a, k), y = num(b, k);
      if (x === null || y === null) {
        if (x !== y) { return x === null ? 1 : -1; }  // not applicable: always last
      } else if (x !== y) { return (x - y) * d; }
      return num(a, "bead") - num(b, "bead");
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
    document.querySelectorAll("th[data-sort]").forEach(function (th) {
      if (th.getAttribute("data-sort") === k) {
        th.setAttribute("aria-sort", d > 0 ? "ascending" : "descending");
      } else { th.removeAttribute("aria-sort"); }
    });
  }
  function applyFilter() {
    var q = document.getElementById("q").value.trim().toLowerCase();
    var flagged = document.getElementById("flagged").checked;
    var problems = document.getElementById("problems").checked;
    var shown = 0;
    rows.forEach(function (r) {
      var ok = !(flagged && r.getAttribute("data-flags") === "0") &&
               !(problems && r.getAttribute("data-verdict") === "0") &&
               (!q || r._qeText.indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.getElementById("shown").textContent = "showing " + shown + " of " + rows.length + " sentences";
  }
  function refreshDecisions() {
    var counts = { waived: 0, accepted: 0, undecided: 0 };
    document.querySelectorAll("li.flag").forEach(function (li) {
      var d = decisions[li.getAttribute("data-key")];
      li.classList.toggle("is-waived", d === "waived");
      li.classList.toggle("is-accepted", d === "accepted");
      li.querySelectorAll("input[type=radio]").forEach(function (inp) { inp.checked = inp.value === d; });
    });
    data.flags.forEach(function (f) { counts[decisions[f.key] || "undecided"] += 1; });
    document.getElementById("decided").textContent =
      "flags: " + counts.waived + " waived · " + counts.accepted + " accepted · " + counts.undecided + " undecided";
  }
  function exportDecisions() {
    var seen = {}, out = [];
    data.flags.forEach(function (f) {
      if (decisions[f.key] && !seen[f.key]) {
        seen[f.key] = true;
        out.push({ key: f.key, decision: decisions[f.key], kind: f.kind, severity: f.severity,
                   rule: f.rule, original: f.original, found: f.found, message: f.message });
      }
    });
    var file = { format: "qe-waivers", version: 1, document: data.document, original: data.original,
                 exported: new Date().toISOString(), signature: data.signature, decisions: out };
    var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "qe-waivers.json";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  document.querySelectorAll("th[data-sort] button").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var th = btn.parentNode, k = th.getAttribute("data-sort");
      state.dir = state.sort === k ? -state.dir : parseInt(th.getAttribute("data-dir"), 10);
      state.sort = k;
      sortRows();
    });
  });
  ["q", "flagged", "problems"].forEach(function (id) {
    document.getElementById(id).addEventListener("input", applyFilter);
    document.getElementById(id).addEventListener("change", applyFilter);
  });
  tbody.addEventListener("change", function (ev) {
    var inp = ev.target;
    if (inp.type !== "radio") { return; }
    decisions[inp.closest("li.flag").getAttribute("data-key")] = inp.value;
    refreshDecisions();
  });
  document.getElementById("export").addEventListener("click", exportDecisions);
  document.querySelectorAll("button.waive-rule").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var code = btn.getAttribute("data-rule");
      data.flags.forEach(function (f) { if (f.rule === code) { decisions[f.key] = "waived"; } });
      refreshDecisions();
    });
  });
  function stickOffset() {  // column headings stick just below the toolbar, however it wraps
    var h = document.querySelector(".toolbar").offsetHeight;
    document.documentElement.style.setProperty("--toolbar-h", h + "px");
  }
  window.addEventListener("resize", stickOffset);
  stickOffset();
  sortRows();
  applyFilter();
  refreshDecisions();
})();
"""


@dataclass(frozen=True)
class _Mark:
    needle: str
    css: str
    title: str
    label: str = ""  # shown after the match, e.g. "original: Kherson"


def _find(text: str, needle: str) -> list[tuple[int, int]]:
    """Where `needle` stands in `text` as whole words (else anywhere)."""
    if not needle.strip():
        return []
    word = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    spans = [m.span() for m in word.finditer(text)]
    return spans or [m.span() for m in re.finditer(re.escape(needle), text)]


def highlight(text: str, marks: list[_Mark]) -> str:
    """`text` escaped, with every mark's needle wrapped in <mark>.

    Matching is done on the raw text and each piece escaped on its own, so a
    needle can never match inside an entity or split a tag.
    """
    found = []
    for m in marks:
        found += [(s, e, m) for s, e in _find(text, m.needle)]
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out, pos = [], 0
    for s, e, m in found:
        if s < pos:  # overlaps a longer or earlier mark
            continue
        out.append(escape(text[pos:s]))
        out.append(f'<mark class="{m.css}" title="{escape(m.title)}">{escape(text[s:e])}</mark>')
        if m.label:
            out.append(f' <span class="was">— {escape(m.label)}</span>')
        pos = e
    out.append(escape(text[pos:]))
    return "".join(out)


def _flag_css(f: Flag) -> str:
    return "hl-waived" if f.waived else f"hl-{f.severity.value}"


def _sentences(report: Report, sb: ScoredBead, side: str) -> str:
    doc = report.original if side == "src" else report.translation
    idx = sb.bead.src if side == "src" else sb.bead.tgt
    if not idx:
        gap = ("— omitted: no counterpart in the translation —" if side == "tgt"
               else "— added: not in the original —")
        return f'<p class="gap">{gap}</p>'
    parts = []
    for i in idx:
        marks = []
        for f in sb.flags:
            where = f.src_sentence if side == "src" else f.tgt_sentence
            if where is not None and where != i:
                continue
            if side == "src" and f.original:
                marks.append(_Mark(f.original, _flag_css(f), f.message))
            elif side == "tgt" and f.found:
                label = f"original: {f.original}" if f.original else "not in the original"
                marks.append(_Mark(f.found, _flag_css(f), f.message, label))
        parts.append(f'<p class="sent"><span class="sid">{i}</span>{highlight(doc.sentences[i].text, marks)}</p>')
    return "".join(parts)


def _score_class(value: float | None, measure: str, t: Thresholds) -> str:
    if value is None:
        return "s-na"
    if measure == "similarity":
        if t.wrong_similarity is None or t.check_similarity is None:  # thresholds not resolved
            return "s-plain"
        return "s-bad" if value < t.wrong_similarity else "s-warn" if value < t.check_similarity else "s-good"
    if measure == "chrf":
        return "s-warn" if value < t.check_chrf else "s-good"
    return "s-bad" if value < _BLEU_BANDS[0] else "s-warn" if value < _BLEU_BANDS[1] else "s-good"


def _score_cell(value: float | None, measure: str, t: Thresholds, na_reason: str) -> str:
    spec = ".3f" if measure == "similarity" else ".1f"
    if value is None:
        return f'<td class="num"><span class="sc s-na" title="{escape(na_reason)}">n/a</span></td>'
    return f'<td class="num"><span class="sc {_score_class(value, measure, t)}">{format(value, spec)}</span></td>'


def _attr_num(value: float | None) -> str:
    return "" if value is None else repr(round(value, 6))


def _row(report: Report, k: int, sb: ScoredBead, flag_ids: dict[int, int], cross: bool) -> str:
    b, s, t = sb.bead, sb.scores, report.thresholds
    arrow = f"{len(b.src)}→{len(b.tgt)}"
    badge = f'<span class="badge b-{b.kind.value}" title="{escape(_TYPE_TEXT[b.kind])}">{b.kind.value}'
    badge += f" {arrow}</span>" if b.kind in (BeadKind.MERGED, BeadKind.SPLIT, BeadKind.MANY) else "</span>"
    items = []
    for f in sb.flags:
        n = flag_ids[id(f)]
        items.append(
            f'<li class="flag {f.severity.value}" data-key="{escape(f.key)}" data-flag="{n}" '
            f'data-rule="{escape(f.rule)}"><span class="fk">{f.severity.value} · {f.kind.value}'
            f'{_rule_mark(f.rule)}</span>{escape(f.message)}'
            f'<span class="decide" role="group" aria-label="decision on this flag">'
            f'<label><input type="radio" name="d{n}" value="accepted"> accept</label>'
            f'<label><input type="radio" name="d{n}" value="waived"> waive</label></span></li>')
    flags = f'<ul class="flags">{"".join(items)}</ul>' if items else ""
    na_lex = ("not applicable: the texts are in different languages" if cross
              else "not applicable: nothing to compare in this bead")
    na_sim = "not applicable: nothing to compare in this bead"
    return (
        f'<tr class="v-{sb.verdict.value}" data-bead="{k}" data-bleu="{_attr_num(s.bleu)}" '
        f'data-chrf="{_attr_num(s.chrf)}" data-similarity="{_attr_num(s.similarity)}" '
        f'data-risk="{_attr_num(sb.risk.value if sb.risk else None)}" '
        f'data-verdict="{_VERDICT_RANK[sb.verdict]}" data-flags="{len(sb.flags)}">'
        f'<td class="id"><b>{k}</b><br>{escape(b.bead_format())}</td><td>{badge}</td>'
        f"<td>{_sentences(report, sb, 'src')}</td><td>{_sentences(report, sb, 'tgt')}{flags}</td>"
        + _score_cell(s.bleu, "bleu", t, na_lex) + _score_cell(s.chrf, "chrf", t, na_lex)
        + _score_cell(s.similarity, "similarity", t, na_sim)
        + _risk_cell(sb)
        + f'<td><span class="vd vd-{sb.verdict.value}">{sb.verdict.value}</span></td></tr>'
    )


def _rule_explanation(code: str) -> str:
    from qe.names.rules import BY_CODE

    rule = BY_CODE.get(code)
    return rule.explanation if rule is not None else ""


def _rule_mark(code: str) -> str:
    """The rule's code, its explanation on hover."""
    if not code:
        return ""
    return f' · <abbr class="rule" title="{escape(_rule_explanation(code))}">{escape(code)}</abbr>'


def _rule_rows(flags: list[Flag]) -> str:
    """Flags counted by rule, each rule with a button that waives all its flags."""
    by_rule: dict[str, list[Flag]] = {}
    for f in flags:
        if f.rule:
            by_rule.setdefault(f.rule, []).append(f)
    return "".join(
        f'<tr><td><abbr class="rule" title="{escape(_rule_explanation(code))}">{escape(code)}</abbr></td>'
        f"<td><b>{len(fs)}</b></td><td>{escape(_rule_explanation(code))}</td>"
        f'<td><button type="button" class="waive-rule" data-rule="{escape(code)}" '
        f'title="Waive every flag this rule raised in this report">waive all</button></td></tr>'
        for code, fs in sorted(by_rule.items())
    )


def _risk_cell(sb: ScoredBead) -> str:
    if sb.risk is None:
        return '<td class="num"><span class="sc s-na" title="no risk: a bead built by hand">n/a</span></td>'
    css = {Verdict.OK: "s-good", Verdict.CHECK: "s-warn", Verdict.WRONG: "s-bad"}[sb.verdict]
    why = f'<div class="why">{escape(sb.risk.explanation)}</div>' if sb.risk.reasons else ""
    return f'<td class="num"><span class="sc {css}">{sb.risk.value:.2f}</span>{why}</td>'


def _by_risk(report: Report) -> list[tuple[int, ScoredBead]]:
    """Riskiest first (document order among equals; beads without a risk last),
    the order the page opens in even before its script runs."""
    return sorted(enumerate(report.beads), key=lambda kb: (kb[1].risk is None,
                                                           -(kb[1].risk.value if kb[1].risk else 0), kb[0]))


def _json_for_script(data: object) -> str:
    # Inside <script> only "</" could end the element; escaping every <, > and &
    # as \\u sequences keeps the JSON valid and the HTML parser blind to it.
    text = json_visible(json.dumps(data, ensure_ascii=False, sort_keys=True))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _name(path: str) -> str:
    return PurePath(path).name if path else ""


def _corpus_value(value: float | None, spec: str, reason: str) -> str:
    if value is None:
        return f'<span class="big">n/a</span> <span class="legend">{escape(reason)}</span>'
    return f'<span class="big">{format(value, spec)}</span>'


def render_html(report: Report) -> str:
    c, t = report.corpus, report.thresholds
    src_lang, tgt_lang = report.original.language, report.translation.language
    cross = src_lang != tgt_lang
    na = (f"not applicable: the original is '{src_lang}' and the translation '{tgt_lang}'; "
          "BLEU and chrF only compare texts in one language" if cross else "not applicable")
    flag_ids = {id(f): n for n, f in enumerate(report.flags)}
    rows = "".join(_row(report, k, sb, flag_ids, cross) for k, sb in _by_risk(report))

    kinds: dict[str, int] = {}
    for sb in report.beads:
        kinds[sb.bead.kind.value] = kinds.get(sb.bead.kind.value, 0) + 1
    verdicts = {v: sum(1 for b in report.beads if b.verdict is v) for v in Verdict}
    by_kind: dict[str, list[Flag]] = {}
    for f in report.flags:
        by_kind.setdefault(f.kind.value, []).append(f)
    flag_rows = "".join(
        f"<tr><td>{escape(k)}</td><td><b>{len(fs)}</b></td>"
        f"<td>({sum(f.severity is Severity.MAJOR for f in fs)} major, {sum(f.waived for f in fs)} waived)</td></tr>"
        for k, fs in sorted(by_kind.items())
    ) or "<tr><td>none</td></tr>"
    thresholds = "".join(
        f"<tr><td>{escape(k)}</td><td>{escape(setting_text(v))}</td></tr>"
        for k, v in dataclasses.asdict(t).items()
    )
    signature = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in report.signature.items())
    gate = ('<span class="gate pass">PASSED</span>' if report.passed
            else '<span class="gate fail">FAILED</span>')
    reasons = ("" if report.passed else
               '<ul class="reasons">' + "".join(f"<li>{escape(r)}</li>" for r in report.gate.reasons) + "</ul>")
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in report.notes)
    rule_rows = _rule_rows(list(report.flags))
    rule_card = (f'<details class="rules"><summary>Flags by rule (waive a rule\'s flags all at once)</summary>'
                 f"<table>{rule_rows}</table></details>") if rule_rows else ""
    data = {
        "document": _name(report.translation.name), "original": _name(report.original.name),
        "signature": report.signature,
        "flags": [{"id": n, "key": f.key, "kind": f.kind.value, "severity": f.severity.value, "original": f.original,
                   "found": f.found, "message": f.message, "bead": f.bead, "waived": f.waived,
                   "rule": f.rule}
                  for n, f in enumerate(report.flags)],
    }
    script_hash = base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{script_hash}'"
    title = _name(report.translation.name) or "translation"
    src_name, tgt_name = _name(report.original.name) or "original", title

    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{escape(csp)}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>qe review: {escape(title)}</title><style>{_CSS}</style></head>
<body>
<header>
<h1>qe review: {escape(title)} {gate}</h1>
<p class="sub">translation <b>{escape(tgt_name)}</b> ({escape(tgt_lang)}, {len(report.translation)} sentences)
 checked against original <b>{escape(src_name)}</b> ({escape(src_lang)}, {len(report.original)} sentences)</p>
{reasons}{notes}
<div class="cards">
<div class="card"><h2>BLEU</h2>{_corpus_value(c.bleu, '.1f', na)}</div>
<div class="card"><h2>chrF</h2>{_corpus_value(c.chrf, '.1f', na)}</div>
<div class="card"><h2>similarity</h2>{_corpus_value(c.similarity, '.3f', 'not applicable')}</div>
<div class="card"><h2>verdicts</h2><span class="vd vd-ok">ok {verdicts[Verdict.OK]}</span> ·
 <span class="vd vd-check">check {verdicts[Verdict.CHECK]}</span> ·
 <span class="vd vd-wrong">wrong {verdicts[Verdict.WRONG]}</span></div>
<div class="card"><h2>alignment</h2>{escape(", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))}</div>
<div class="card"><h2>flags by kind</h2><table>{flag_rows}</table></div>
</div>
{rule_card}
<details><summary>Thresholds used</summary><table>{thresholds}</table></details>
<details><summary>Reproducibility signature</summary><dl class="sig">{signature}</dl></details>
<p class="legend">Riskiest sentences first; click a column heading to sort. Risk: how likely the sentence is wrong
 (0–1), with what moved it most; verdict <span class="vd vd-check">check</span> from {t.check_risk}, <span class="vd vd-wrong">wrong</span> from {t.wrong_risk}. Rows: <span class="vd vd-ok">ok</span> / <span class="vd vd-check">check</span> /
 <span class="vd vd-wrong">wrong</span>. Similarity: red below {t.wrong_similarity}, amber below {t.check_similarity};
 chrF: amber below {t.check_chrf}; BLEU bands (a rough guide, no gate): below {_BLEU_BANDS[0]:g}, below {_BLEU_BANDS[1]:g}.
 Highlighted words are flagged names/numbers; the translation shows the original's form beside them.</p>
</header>
<div class="toolbar">
<input type="search" id="q" placeholder="Search both texts and flags…" aria-label="search">
<label><input type="checkbox" id="flagged"> flagged only</label>
<label><input type="checkbox" id="problems"> check/wrong only</label>
<span class="count" id="shown"></span>
<span class="decisions"><span id="decided"></span>
 <button type="button" class="export" id="export" title="Save your accept/waive decisions; run qe check --waivers FILE to apply them">Export decisions</button></span>
</div>
<main>
<table class="beads">
<colgroup><col style="width:6.5em"><col style="width:7.5em"><col><col><col style="width:4.8em"><col style="width:4.8em"><col style="width:5.4em"><col style="width:11em"><col style="width:5.6em"></colgroup>
<thead><tr><th data-sort="bead" data-dir="1"><button type="button">bead</button></th><th>type</th>
<th>original ({escape(src_lang)})</th><th>translation ({escape(tgt_lang)})</th>
<th data-sort="bleu" data-dir="1"><button type="button">BLEU</button></th>
<th data-sort="chrf" data-dir="1"><button type="button">chrF</button></th>
<th data-sort="similarity" data-dir="1"><button type="button">similarity</button></th>
<th data-sort="risk" data-dir="-1"><button type="button">risk</button></th>
<th data-sort="verdict" data-dir="-1"><button type="button">verdict</button></th></tr></thead>
<tbody id="beads">{rows}</tbody></table>
</main>
<script type="application/json" id="qe-data">{_json_for_script(data)}</script>
<script>{_JS}</script>
</body></html>
"""
