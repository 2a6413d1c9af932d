"""Report(s) -> JUnit XML, the test-report format CI systems display.

One <testsuite> per document with one <testcase> for the document's gate and
one per sentence that counts against it: a bead judged 'wrong', or one holding
a flag the thresholds count (not waived, kind not ignored, severity that
fails). When the gate failed those carry <failure>; when it passed they are
<skipped> with the reason, so a passing run never shows red.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePath
from typing import Sequence

from qe.gate import failing_beads
from qe.hidden import visible
from qe.models import Report, Verdict

# XML 1.0 cannot hold most control characters, even escaped; a document may.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: object) -> str:
    return _NOT_XML.sub("\ufffd", visible(str(text)))


def _suite(report: Report) -> ET.Element:
    name = PurePath(report.translation.name).name if report.translation.name else "translation"
    classname = "qe." + re.sub(r"\W+", "_", name)
    failing = failing_beads(report)
    suite = ET.Element("testsuite", name=_x(f"qe {name}"))
    props = ET.SubElement(suite, "properties")
    for k, v in report.signature.items():
        ET.SubElement(props, "property", name=_x(f"signature.{k}"), value=_x(v))

    doc_case = ET.SubElement(suite, "testcase", classname=classname,
                             name=_x(f"document {name} against {PurePath(report.original.name).name or 'original'}"))
    if not report.passed:
        failure = ET.SubElement(doc_case, "failure", type="gate", message=_x("; ".join(report.gate.reasons)))
        failure.text = _x("\n".join(report.gate.reasons + report.notes))
    failures, skipped = (0 if report.passed else 1), 0
    for k, sb, flags in failing:
        b = sb.bead
        case = ET.SubElement(suite, "testcase", classname=classname,
                             name=_x(f"bead {k} {b.bead_format()} {b.kind.value}"))
        why = [f"{f.severity.value} {f.kind.value}: {f.message}" for f in flags]
        if sb.verdict is Verdict.WRONG and not flags:
            why.append(f"judged wrong ({b.kind.value}, similarity "
                       f"{'n/a' if sb.scores.similarity is None else format(sb.scores.similarity, '.3f')})")
        detail = "\n".join([*why, f"original: {report.original.join(b.src) or '—'}",
                            f"translation: {report.translation.join(b.tgt) or '—'}"])
        if report.passed:
            el = ET.SubElement(case, "skipped", message=_x("not enough to fail the gate: " + "; ".join(why)))
            skipped += 1
        else:
            el = ET.SubElement(case, "failure", type=sb.verdict.value, message=_x("; ".join(why)))
            failures += 1
        el.text = _x(detail)
    suite.set("tests", str(1 + len(failing)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    return suite


def render_junit(reports: Report | Sequence[Report]) -> str:
    """JUnit XML for one report or several (a batch): one testsuite each."""
    if isinstance(reports, Report):
        reports = [reports]
    root = ET.Element("testsuites", name="qe")
    for r in reports:
        root.append(_suite(r))
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
