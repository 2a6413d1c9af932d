"""Originals in another language than the translation (issue: Swedish original,
English translation), with the converted multilingual model.

Planted errors are listed in tests/fixtures/crosslang/*.planted.md; the
detector knows nothing of them.
"""

import pytest

import qe
from qe.align import parse_beads, score_alignment
from qe.models import BeadKind
from qe.pipeline import CheckConfig, aligned_documents

from conftest import CORPORA, ROOT

pytestmark = pytest.mark.model

DN = CORPORA / "dn-editorial"
FIX = ROOT / "tests" / "fixtures" / "crosslang"
SV_EN = CheckConfig(src_lang="sv", tgt_lang="en")
EN_SV = CheckConfig(src_lang="en", tgt_lang="sv")


@pytest.fixture(scope="module")
def multilingual():
    from qe.embed import multilingual_embedder

    return multilingual_embedder()


def flag_pairs(report):
    return {(f.original, f.found) for f in report.flags}


def test_faithful_swedish_to_english_passes_quietly(multilingual):
    report = qe.check(DN / "original.sv.txt", DN / "translation.en.txt", SV_EN, embedder=multilingual)
    assert report.passed, report.gate.reasons
    assert report.flags == ()
    assert all(b.scores.bleu is None and b.scores.chrf is None for b in report.beads)
    assert report.corpus.bleu is None and report.corpus.chrf is None
    assert "not applicable" in report.signature["bleu"]


def test_planted_errors_in_english_translation_are_all_found(multilingual):
    report = qe.check(DN / "original.sv.txt", FIX / "dn-editorial.planted.en.txt", SV_EN, embedder=multilingual)
    pairs = flag_pairs(report)
    assert ("Vance", "Rubio") in pairs  # a person changed
    assert ("Moskva", "Minsk") in pairs  # a place changed
    assert ("Nato", "EU") in pairs  # an organisation changed in one of five mentions
    assert any(f.category == "number" and "three" in (f.found or "") for f in report.flags)  # två -> three
    kinds = [b.bead.kind for b in report.beads]
    assert kinds.count(BeadKind.OMITTED) == 1  # the dropped sentence
    assert kinds.count(BeadKind.MERGED) == 1  # the two merged sentences
    assert not report.passed


def test_planted_errors_in_swedish_translation_of_english(multilingual):
    clean = qe.check(FIX / "politico.en.txt", FIX / "politico.sv.txt", EN_SV, embedder=multilingual)
    assert clean.passed and clean.flags == ()
    report = qe.check(FIX / "politico.en.txt", FIX / "politico.planted.sv.txt", EN_SV, embedder=multilingual)
    pairs = flag_pairs(report)
    assert ("Zelenskyy", "Porosjenko") in pairs
    assert ("Kyiv", "Odessa") in pairs
    assert any(f.category == "number" and f.found and "60" in f.found for f in report.flags)
    assert [b.bead.src for b in report.beads if b.bead.kind is BeadKind.OMITTED] == [(4,)]


@pytest.mark.parametrize("translation", ["translation", "planted"])
def test_alignment_matches_gold(multilingual, translation):
    gold_dir = DN / "gold"
    config = CheckConfig(src_lang="sv", tgt_lang="en", presplit=True)
    _, _, beads = aligned_documents(gold_dir / "original.lines.txt", gold_dir / f"{translation}.lines.txt",
                                    config, embedder=multilingual)
    score = score_alignment([(b.src, b.tgt) for b in beads], parse_beads((gold_dir / f"{translation}.align").read_text()))
    assert score.strict_f1 >= 0.95


def test_back_translation_gives_bleu_and_chrf_bead_by_bead(multilingual, write):
    original = (DN / "original.sv.txt").read_text(encoding="utf-8")
    sentences = original.split("\n")
    # a back-translation that is the original except for one reworded line
    sentences[2] = "Men fred kan komma först när de ryska trupperna lämnar landet. " + sentences[2].split(". ", 1)[1]
    back = write("back.sv.txt", "\n".join(sentences))
    report = qe.check(DN / "original.sv.txt", DN / "translation.en.txt", SV_EN, embedder=multilingual,
                      back_translation=back)
    scored = [b for b in report.beads if b.bead.src and b.bead.tgt]
    assert all(b.scores.bleu is not None and b.scores.chrf is not None for b in scored)
    assert all(b.scores.similarity is not None for b in scored)
    changed = [b for b in scored if 3 in b.bead.src]  # sentence 3 is the reworded one
    untouched = [b for b in scored if 0 in b.bead.src]
    assert changed[0].scores.bleu < 60 and untouched[0].scores.bleu == pytest.approx(100.0)
    assert report.corpus.bleu is not None and "back-translation" in " ".join(report.notes)
