import pytest

from qe.metrics import PairText, Scorer


@pytest.mark.parametrize(
    "original, translation, bleu, chrf",
    [
        ("The cat sat on the mat.", "The cat sat on the mat.", 100.0, 100.0),
        ("The cat sat on the mat.", "A dog lay under a table!", 0.0, None),
        ("", "An added sentence.", None, None),  # nothing to compare with
        ("An omitted sentence.", "", None, None),
    ],
)
def test_sentence_scores(original, translation, bleu, chrf):
    got_bleu, got_chrf = Scorer().sentence(PairText(original, translation))
    if bleu is None:
        assert got_bleu is None
    else:
        assert got_bleu == pytest.approx(bleu, abs=0.01)
    if chrf is not None:
        assert got_chrf == pytest.approx(chrf, abs=0.01)
    elif bleu is None:
        assert got_chrf is None


def test_cross_language_scorer_says_not_applicable():
    scorer = Scorer(lexical=False)
    assert scorer.sentence(PairText("Hej.", "Hi.")) == (None, None)
    corpus = scorer.corpus([PairText("Hej.", "Hi.")], [0.9])
    assert corpus.bleu is None and corpus.chrf is None and corpus.similarity == pytest.approx(0.9)


def test_signatures_exist_before_any_scoring_and_without_scored_pairs():
    scorer = Scorer()
    assert scorer.signatures()["bleu"].startswith("nrefs:1")
    corpus = scorer.corpus([PairText("", "only added")], [None])
    assert corpus.bleu is None and corpus.bleu_signature.startswith("nrefs:1")


def test_omitted_sentences_count_against_corpus_bleu():
    scorer = Scorer()
    full = scorer.corpus([PairText("One two three four.", "One two three four."),
                          PairText("Five six seven eight.", "Five six seven eight.")], [1.0, 1.0])
    dropped = scorer.corpus([PairText("One two three four.", "One two three four."),
                             PairText("Five six seven eight.", "")], [1.0, None])
    assert dropped.bleu < full.bleu
