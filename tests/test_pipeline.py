"""The pipeline through the Python API, with the deterministic embedder."""

import pytest

import qe
from qe.models import BeadKind, Verdict
from qe.pipeline import CheckConfig, document_from_text

PARAGRAPH = (
    "The committee met in Geneva on Tuesday to discuss the budget. "
    "Delegates from Norway argued for deeper cuts to travel spending. "
    "The chair, Maria Lindqvist, proposed a compromise late in the evening. "
    "Most members accepted it after a short debate. "
    "A final vote is expected next month in Brussels. "
    "Observers called the meeting unusually calm."
)


def sentences(text=PARAGRAPH):
    return document_from_text(text).texts()


def doc(sents):
    return document_from_text(" ".join(sents))


def test_identical_documents_pass_with_one_to_one_beads(hashing):
    report = qe.check(doc(sentences()), doc(sentences()), embedder=hashing)
    assert [b.bead.shape for b in report.beads] == ["1-1"] * 6
    assert [b.bead.src for b in report.beads] == [(i,) for i in range(6)]
    assert report.passed and not report.flags
    assert all(b.verdict is Verdict.OK for b in report.beads)
    assert report.corpus.bleu == pytest.approx(100.0)


def test_dropped_sentence_is_an_omitted_bead(hashing):
    s = sentences()
    report = qe.check(doc(s), doc(s[:2] + s[3:]), embedder=hashing)
    omitted = [b.bead for b in report.beads if b.bead.kind is BeadKind.OMITTED]
    assert [b.src for b in omitted] == [(2,)]
    # 1 of 6 dropped is over the default 10% limit: the gate fails and says why
    assert not report.passed
    assert any("omitted" in r for r in report.gate.reasons)


def test_changed_name_is_flagged_with_original_form(hashing):
    s = sentences()
    changed = list(s)
    changed[4] = changed[4].replace("Brussels", "Bruges")
    report = qe.check(doc(s), doc(changed), embedder=hashing)
    flags = report.flags
    assert [(f.original, f.found) for f in flags] == [("Brussels", "Bruges")]
    assert flags[0].src_sentence == 4
    assert not report.passed


def test_unrelated_document_is_reported_not_forced(hashing):
    other = sentences(
        "Heavy rain flooded the harbour district overnight. "
        "Firefighters pumped water from basements until dawn. "
        "Schools stayed closed on Thursday. "
        "The mayor promised new drainage pipes. "
        "Insurance claims are still being counted. "
        "Forecasters expect a dry weekend."
    )
    report = qe.check(doc(sentences()), doc(other), embedder=hashing)
    assert not report.passed
    assert any(n.startswith("unrelated documents") for n in report.notes)
    assert report.flags == ()  # every name would be "missing": noise, so the checks are skipped


def test_report_table_has_one_row_per_bead(hashing):
    report = qe.check(doc(sentences()), doc(sentences()), embedder=hashing)
    table = report.to_dataframe()
    assert len(table) == len(report.beads)
    assert {"bead", "src_indexes", "tgt_indexes", "original", "translation", "bleu", "chrf",
            "similarity", "verdict", "flags"} <= set(table.columns)


def test_cross_language_marks_bleu_chrf_not_applicable(hashing):
    config = CheckConfig(src_lang="sv", tgt_lang="en", check_names=False)
    report = qe.check(document_from_text("Hej. Hur mår du?", "sv"), document_from_text("Hi. How are you?", "en"),
                      config, embedder=hashing)
    assert all(b.scores.bleu is None and b.scores.chrf is None for b in report.beads)
    assert report.corpus.bleu is None
    assert any("not applicable" in n for n in report.notes)


def test_public_api_is_what_all_says():
    for name in qe.__all__:
        assert hasattr(qe, name), name
    assert callable(qe.check)
