"""Bead -> scores: sentence BLEU, chrF (sacrebleu's object API) and cosine similarity.

The sacrebleu metric objects are built once per Scorer and reused: building
them is the expensive part of a sentence score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from qe.models import BeadScores, CorpusScores


@dataclass(frozen=True)
class PairText:
    """The two sides of a bead as text ('' for an empty side)."""

    original: str
    translation: str


class Scorer:
    """Scores aligned text pairs. `lexical=False` when the two texts are in
    different languages: BLEU and chrF are then not applicable (None)."""

    def __init__(self, *, lexical: bool = True):
        self.lexical = lexical
        self._bleu = self._chrf = None
        if lexical:
            from sacrebleu.metrics import BLEU, CHRF

            self._bleu = BLEU(effective_order=True)
            self._chrf = CHRF()
            self._corpus_bleu = BLEU()
            self._corpus_chrf = CHRF()
            # sacrebleu learns the reference count from the first scoring; prime
            # every metric so signatures exist even when no pair gets scored
            for metric in (self._bleu, self._chrf):
                metric.sentence_score("qe", ["qe"])
            for metric in (self._corpus_bleu, self._corpus_chrf):
                metric.corpus_score(["qe"], [["qe"]])

    def sentence(self, pair: PairText) -> tuple[float | None, float | None]:
        if not self.lexical or not pair.original or not pair.translation:
            return None, None
        refs = [pair.original]
        bleu = self._bleu.sentence_score(pair.translation, refs).score
        chrf = self._chrf.sentence_score(pair.translation, refs).score
        return round(bleu, 2), round(chrf, 2)

    def score(self, pairs: Sequence[PairText], similarities: Sequence[float | None]) -> list[BeadScores]:
        out = []
        for pair, sim in zip(pairs, similarities):
            bleu, chrf = self.sentence(pair)
            out.append(BeadScores(bleu=bleu, chrf=chrf, similarity=None if sim is None else round(float(sim), 4)))
        return out

    def corpus(self, pairs: Sequence[PairText], similarities: Sequence[float | None]) -> CorpusScores:
        """Document scores. Omitted sentences count against the translation (empty
        hypothesis); added sentences are not scored (no reference)."""
        sims = [s for s in similarities if s is not None]
        mean_sim = round(float(np.mean(sims)), 4) if sims else None
        if not self.lexical:
            return CorpusScores(None, None, mean_sim, None, None)
        scored = [p for p in pairs if p.original]
        if not scored:
            return CorpusScores(None, None, mean_sim, str(self._corpus_bleu.get_signature()),
                                str(self._corpus_chrf.get_signature()))
        hyps = [p.translation for p in scored]
        refs = [[p.original for p in scored]]
        bleu = self._corpus_bleu.corpus_score(hyps, refs)
        chrf = self._corpus_chrf.corpus_score(hyps, refs)
        return CorpusScores(
            bleu=round(bleu.score, 2), chrf=round(chrf.score, 2), similarity=mean_sim,
            bleu_signature=str(self._corpus_bleu.get_signature()),
            chrf_signature=str(self._corpus_chrf.get_signature()),
        )

    def signatures(self) -> dict[str, str]:
        if not self.lexical:
            return {"bleu": "not applicable (different languages)", "chrf": "not applicable (different languages)"}
        return {"bleu": str(self._bleu.get_signature()), "chrf": str(self._chrf.get_signature())}
