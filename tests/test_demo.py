"""The bundled demo with the real model: the README's promise, end to end.

The expected flags here are the issue's acceptance examples; the detector
itself knows nothing of these texts (see tests/test_names.py for unseen pairs).
"""

import pytest

import qe

from conftest import CORPORA

pytestmark = pytest.mark.model

FT = CORPORA / "ft-call"


@pytest.fixture(scope="module")
def reports(real_embedder):
    return {
        name: qe.check(FT / "original.en.txt", FT / f"{name}.en.txt", embedder=real_embedder)
        for name in ("backtranslation", "spun")
    }


def pairs(report):
    return {(f.original, f.found) for f in report.flags}


@pytest.mark.parametrize(
    "translation, original, found",
    [
        ("backtranslation", "Kherson", "Hosen"),
        ("backtranslation", "Kyiv", "Kiev"),
        ("backtranslation", "James Politi", "James Politics"),
        ("backtranslation", "Truth Social", None),  # the affiliation was dropped
        ("spun", "Bill Taylor", "Invoice Taylor"),
        ("spun", "Truth Social", "Reality Social"),
        ("spun", "Stanford University", "Stanford College"),
        ("spun", "White House", "White Home"),
        ("spun", "Stimson Center", "Stimson Middle"),
    ],
)
def test_mangled_names_are_flagged_with_the_original(reports, translation, original, found):
    assert (original, found) in pairs(reports[translation])


@pytest.mark.parametrize("name", ["Zelenskyy", "Pokrovsk", "Marco Rubio", "Vladimir Putin", "JD Vance", "Rob Lee"])
@pytest.mark.parametrize("translation", ["backtranslation", "spun"])
def test_intact_names_are_not_flagged(reports, translation, name):
    assert all(name not in f.original for f in reports[translation].flags)


def test_demo_fails_the_gate_and_says_why(reports):
    for report in reports.values():
        assert not report.passed
        assert any("flag" in r for r in report.gate.reasons)


def test_original_against_itself_passes(real_embedder):
    report = qe.check(FT / "original.en.txt", FT / "original.en.txt", embedder=real_embedder)
    assert report.passed and not report.flags
    assert all(b.bead.shape == "1-1" for b in report.beads)


def test_different_article_is_called_unrelated(real_embedder):
    report = qe.check(FT / "original.en.txt", CORPORA / "politico-call" / "original.en.txt", embedder=real_embedder)
    assert not report.passed
    assert any(n.startswith("unrelated documents") for n in report.notes)


def _major_flag_beads(report):
    return [b for b in report.beads if any(f.severity.value == "major" and not f.waived for f in b.flags)]


def test_every_sentence_with_a_major_flag_has_risk_above_the_wrong_cut(reports, real_embedder):
    """The seed pairs: a mangled name makes a sentence wrong by its risk, as it did by the old verdict."""
    from qe.pipeline import CheckConfig

    dn = CORPORA / "dn-editorial"
    planted = qe.check(dn / "original.sv.txt", CORPORA.parent / "tests" / "fixtures" / "crosslang" /
                       "dn-editorial.planted.en.txt", CheckConfig(src_lang="sv", tgt_lang="en"))
    for report in (*reports.values(), planted):
        flagged = _major_flag_beads(report)
        assert flagged
        for b in flagged:
            assert b.risk.value > report.thresholds.wrong_risk and b.verdict.value == "wrong"
            assert any("→" in r or "missing" in r for r in b.risk.reasons[:1]), b.risk.reasons


def test_riskiest_sentences_are_explained_and_a_faithful_text_is_all_ok(reports, real_embedder):
    for report in reports.values():
        assert all(b.risk is not None and b.risk.reasons for b in report.beads)
    same = qe.check(FT / "original.en.txt", FT / "original.en.txt", embedder=real_embedder)
    assert {b.verdict.value for b in same.beads} == {"ok"}
