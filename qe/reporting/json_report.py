"""Report <-> JSON, the full-detail machine format (schema in README).

Schema versions:
  1  the first.
  2  every flag names the rule that raised it ("rule": "N102"; qe rules lists them).
  3  every bead carries `risk` (0..1, higher = worse; null only for a bead built
     by hand without one) and `explanation` (the two or three things that moved
     the risk most, "; "-separated); `verdict` now comes from the risk's cut
     points (`thresholds.check_risk`, `thresholds.wrong_risk`); `signature.risk`
     names the risk model.
"""

from __future__ import annotations

import dataclasses
import json

from qe.hidden import json_visible
from qe.models import Report

SCHEMA_VERSION = 3  # the changes of each version are in the module docstring


def report_dict(report: Report) -> dict:
    def flag(f):
        return {
            "kind": f.kind.value, "severity": f.severity.value, "category": f.category,
            "original": f.original, "found": f.found, "message": f.message, "key": f.key,
            "src_sentence": f.src_sentence, "tgt_sentence": f.tgt_sentence, "waived": f.waived,
            "rule": f.rule,
        }

    def doc(d):
        return {
            "name": d.name, "language": d.language,
            "sentences": [{"index": s.index, "paragraph": s.paragraph, "text": s.text} for s in d.sentences],
        }

    counts: dict[str, int] = {}
    for f in report.flags:
        counts[f.kind.value] = counts.get(f.kind.value, 0) + 1
    return {
        "schema": SCHEMA_VERSION,
        "passed": report.passed,
        "gate": {"passed": report.gate.passed, "reasons": list(report.gate.reasons)},
        "notes": list(report.notes),
        "signature": report.signature,
        "thresholds": dataclasses.asdict(report.thresholds),
        "corpus": dataclasses.asdict(report.corpus),
        "counts": {
            "original_sentences": len(report.original),
            "translation_sentences": len(report.translation),
            "beads": len(report.beads),
            "by_type": _count(b.bead.kind.value for b in report.beads),
            "by_verdict": _count(b.verdict.value for b in report.beads),
            "flags_by_kind": counts,
            "flags_by_severity": _count(f.severity.value for f in report.flags),
            "flags_waived": sum(1 for f in report.flags if f.waived),
        },
        "beads": [
            {
                "index": k,
                "src": list(sb.bead.src), "tgt": list(sb.bead.tgt),
                "type": sb.bead.kind.value, "shape": sb.bead.shape,
                "moved": sb.bead.moved, "confidence": sb.bead.confidence,
                "bleu": sb.scores.bleu, "chrf": sb.scores.chrf, "similarity": sb.scores.similarity,
                "risk": None if sb.risk is None else sb.risk.value,
                "explanation": None if sb.risk is None else sb.risk.explanation,
                "verdict": sb.verdict.value,
                "flags": [flag(f) for f in sb.flags],
            }
            for k, sb in enumerate(report.beads)
        ],
        "original": doc(report.original),
        "translation": doc(report.translation),
    }


def _count(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def render_json(report: Report) -> str:
    return json_visible(json.dumps(report_dict(report), ensure_ascii=False, indent=2)) + "\n"
