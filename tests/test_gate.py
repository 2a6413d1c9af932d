"""One gate: the exit code and the JUnit report count the same findings."""

import dataclasses

import pytest

from qe.gate import counts_against_gate, decide, failing_beads
from qe.models import Bead, BeadScores, Flag, FlagKind, ScoredBead, Severity, Thresholds, Verdict


def flag(kind=FlagKind.CHANGED, severity=Severity.MAJOR, waived=False):
    return Flag(kind, severity, "Kherson", "Hosen", "changed", 0, 0, 0, waived=waived)


T = Thresholds(check_similarity=0.5, wrong_similarity=0.3)


@pytest.mark.parametrize("f, t, counts", [
    (flag(), T, True),
    (flag(waived=True), T, False),
    (flag(), dataclasses.replace(T, fail_on_major_flags=False), False),
    (flag(severity=Severity.MINOR), T, False),
    (flag(severity=Severity.MINOR), dataclasses.replace(T, fail_on_minor_flags=True), True),
    (flag(kind=FlagKind.VARIANT), dataclasses.replace(T, ignored_flag_kinds=("spelling-variant",)), False),
])
def test_which_flags_count(f, t, counts):
    assert counts_against_gate(f, t) is counts


def scored(src, tgt, flags=(), verdict=Verdict.OK):
    return ScoredBead(Bead(src, tgt), BeadScores(similarity=0.9), tuple(flags), verdict)


@pytest.mark.parametrize("beads, t, reasons", [
    ([scored((0,), (0,))], T, []),
    ([scored((0,), (0,), [flag()], Verdict.WRONG)], T, ["1 major name/number flag(s)"]),
    ([scored((0,), (0,), [flag(waived=True)])], T, []),
    ([scored((0,), (0,)), scored((1,), ())], T, ["1 of 2 original sentences omitted (limit 10%)"]),
    ([scored((0,), (0,)), scored((), (1,))], dataclasses.replace(T, max_added_fraction=0.5), []),
    ([scored((0,), (0,), verdict=Verdict.WRONG)], dataclasses.replace(T, max_wrong_fraction=0.5),
     ["1 of 1 sentences judged wrong (limit 50%)"]),
])
def test_gate_reasons(beads, t, reasons):
    n_src = len({i for b in beads for i in b.bead.src})
    n_tgt = len({j for b in beads for j in b.bead.tgt})
    gate = decide(beads, n_src, n_tgt, t)
    assert list(gate.reasons) == reasons and gate.passed is (not reasons)


def test_a_blocking_note_fails_the_gate():
    assert decide([scored((0,), (0,))], 1, 1, T, blocking=["unrelated documents"]).reasons == ("unrelated documents",)


def test_junit_lists_exactly_the_flags_the_gate_counted(write):
    from qe.embed import HashingEmbedder
    from qe.pipeline import CheckConfig, check

    text = "The envoy met Bill Taylor in Kherson on Monday. Talks went on late into the night.\n"
    a = write("a.txt", text)
    b = write("b.txt", text.replace("Kherson", "Hosen"))
    report = check(a, b, CheckConfig(), embedder=HashingEmbedder())
    counted = [f for _, _, fs in failing_beads(report) for f in fs]
    assert counted and f"{len(counted)} major name/number flag(s)" in report.gate.reasons
