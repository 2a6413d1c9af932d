"""Sentence alignment: sentence features in, beads out.

`align()` is a pure function. It takes, for each side, unit feature vectors of
the sentences, the norms of the summed vectors of every run of 1..max_run
consecutive sentences, and the sentences' lengths, and returns beads: groups of
consecutive original sentences paired with groups of consecutive translation
sentences, or left unpaired (1-0 omitted, 0-1 added).

A run's vector is the normalised sum of its sentences' vectors and is never
built: the cosine of two runs is the sum of their sentences' cross dot products
over the product of the runs' norms, and a run's norm comes from its members'
dot products with their neighbours. The search computes each sentence pair's
dot product once, only inside its band, kept as prefix sums along each row, so
a bead of any shape costs a few additions per cell and memory stays a few
numbers per cell; pairs far from the path (moved text, unrelated pairs) are dot
products of the sentence vectors.

How it scores (after Vecalign, with our own choices):
- cost of a bead = normalised cosine distance of its two runs × a penalty for
  bigger shapes × a length-ratio penalty. The cosine distance is divided by each
  run's mean distance to the sentences of the other side, so texts that are
  similar to everything (short, generic) do not win by default. Beads of 3+
  sentences also pay, additively, for length deviation beyond what the
  document's 1-1 pairs show: a zero distance (an exact duplicate joining a run)
  is not free.
- the cost of leaving a sentence unpaired comes from the document: a percentile
  of the costs of the 1-1 pairs found by a first pass, never below half of what
  a low percentile of unrelated (off-path) pairs costs, so a near-identical
  document cannot make every edited sentence an omission plus an addition.
- beads come out in reading order (added text where its translation index falls).
- confidence of a bead is its margin over the cheapest local alternative (another
  shape from the same start, or leaving its sentences unpaired), measured on
  the embeddings alone (without the shared-word reward below).
- search is a dynamic programme over a band. Long documents are first aligned at
  coarse resolution (neighbouring sentences averaged), and the fine search runs in
  a band around the coarse path, so time and memory grow linearly.
- after the monotonic pass, unpaired sentences on both sides are matched across
  the document; a pair comes back as a *moved* bead only if it is cheap, mutual,
  and clearly better than either sentence's second-best partner anywhere.

Feature vectors may concatenate a semantic embedding with a lexical one (hashed
character n-grams, see `lexical_features`); then one dot product mixes both.
When both sides are one language, the rare words a bead's two sides share also
take a reward off its cost (`link_features`, `_link_rewards`): a moved clause
keeps its names and numbers, which a summed embedding blurs.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from qe.models import Bead


@dataclass(frozen=True)
class AlignSettings:
    """Knobs of the aligner; defaults are what the README's figures were measured with.

    Defaults were chosen on the seed golds and the Text+Berg dev document
    (see qe.evaluate): runs of 4 and beads of 5 because human translators
    regroup sentences (a monotonic aligner limited to n + m <= 4 cannot reach
    6% of the dev gold beads); lexical_weight 0.2: chrF-like character n-grams,
    each sentence weighted equally, add ~0.5 point of strict F1 on dev with
    all-MiniLM and ~2 with multilingual-e5 (0.15-0.35 all within a point).
    link_weight 0.3: the shared-word reward, +0.7 point of strict F1 on dev and
    on the seven Text+Berg test documents (0.2-0.4 alike on both; the test
    documents were not used to choose anything else).
    The skip cost and the additive length term are measured on each document.
    """

    max_run: int = 4  # longest run of consecutive sentences on one side of a bead
    max_bead: int = 5  # n + m <= max_bead for the bead shapes searched
    skip_percentile: float = 80.0  # unpaired cost = this percentile of first-pass 1-1 costs
    skip_scale: float = 1.0
    shape_exponent: float = 1.0  # cost × (n·m)^exponent: Vecalign's guard against merging everything
    length_weight: float = 1.0  # cost × (1 + weight·|log length ratio - document's|)
    length_offset: float = 1.0  # cost + offset·(deviation beyond the document's usual), see _length_slack
    length_slack_percentile: float = 90.0
    unrelated_percentile: float = 5.0  # skip >= half this percentile of unrelated pairs' costs
    lexical_weight: float = 0.2  # share of lexical (chrF-like n-gram) similarity when both sides are one language
    link_weight: float = 0.3  # reward for rare words a bead's two sides share (same language), see _link_rewards
    band: int = 24  # half-width of the fine band around the coarse path
    full_search_cells: int = 400_000  # below this many cells, no coarse pass
    moved: bool = True  # match leftover omissions/additions as moved text
    moved_percentile: float = 50.0  # a moved pair must cost no more than this percentile of 1-1 costs
    moved_ratio: float = 0.8  # ... and no more than this fraction of either side's second-best partner

    def shapes(self) -> list[tuple[int, int]]:
        """Bead shapes (n, m) with a non-empty side, generated, not listed."""
        out = [(1, 0)]
        for n in range(1, self.max_run + 1):
            for m in range(1, self.max_run + 1):
                if n + m <= self.max_bead:
                    out.append((n, m))
        return out

    def describe(self) -> str:
        return (f"runs:{self.max_run}|bead:{self.max_bead}|skip:p{self.skip_percentile:g}"
                f"|len:{self.length_weight:g}|lex:{self.lexical_weight:g}|band:{self.band}"
                f"|moved:{'yes' if self.moved else 'no'}")


@dataclass(frozen=True)
class SideRuns:
    """One side's input to the aligner.

    vectors: (n, dim) float32 unit vectors of the sentences (zero rows allowed).
    norms: (max_run, n) float64; norms[k-1, i] is the norm of the sum of
        vectors[i..i+k-1] (1 for single sentences and for a zero sum; entries
        with i+k > n are unused). The cosine of a run with anything is its
        members' summed dot products over this norm.
    lengths: (n,) character lengths of the sentences.
    """

    vectors: np.ndarray
    norms: np.ndarray
    lengths: np.ndarray
    links: LinkFeatures | None = None

    def __len__(self) -> int:
        return int(self.lengths.shape[0])

    @property
    def max_run(self) -> int:
        return int(self.norms.shape[0])

    def first_runs(self) -> SideRuns:
        """The same side limited to runs of one sentence, without word links
        (the first pass measures the embeddings alone)."""
        return SideRuns(self.vectors, self.norms[:1], self.lengths)


@dataclass(frozen=True)
class LinkFeatures:
    """One side's word stems, sentence by sentence, as hashed ids weighted by
    their inverse sentence frequency in this side's document; rows laid end to
    end (row i is ids[indptr[i]:indptr[i+1]]), as in a sparse matrix."""

    ids: np.ndarray  # int64 hashed stem of each entry
    weights: np.ndarray  # float64 weight of each entry
    indptr: np.ndarray  # (n + 1,) where each sentence's entries start

    def rows(self) -> np.ndarray:
        """The sentence of each entry."""
        return np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))


@dataclass(frozen=True)
class Alignment:
    beads: tuple[Bead, ...]
    costs: tuple[float, ...]  # one per bead, same order
    skip_cost: float


# --------------------------------------------------------------------------- features

_WORDS = re.compile(r"\w+", re.UNICODE)


def lexical_features(texts: Sequence[str], dim: int = 1024) -> np.ndarray:
    """chrF's evidence as a vector: character 1- to 6-grams of each word
    (chrF's n-gram orders; like chrF, case is kept apart from nothing: we
    lower-case), signed-hashed into `dim` counts, so that the dot product of two
    unit rows approximates their shared n-gram mass. Unnormalised counts.

    Each distinct word is hashed once (a document repeats its words, and the
    hashing, in Python, was most of a long document's alignment time); its
    occurrences are then counted with array operations, a block of sentences
    at a time so the per-occurrence arrays stay small."""
    vocabulary: dict[str, int] = {}
    occurrences: list[int] = []  # word id of every word occurrence, in order
    per_text = np.zeros(len(texts), dtype=np.int64)
    for row, text in enumerate(texts):
        words = _WORDS.findall(text.lower())
        per_text[row] = len(words)
        occurrences.extend(vocabulary.setdefault(w, len(vocabulary)) for w in words)
    buckets, signs, starts = _hashed_ngrams(vocabulary, dim)
    word_of = np.array(occurrences, dtype=np.int64)
    text_of = np.repeat(np.arange(len(texts)), per_text)
    out = np.zeros((len(texts), dim), dtype=np.float32)
    first_word = np.concatenate([[0], np.cumsum(per_text)])
    block = 2048
    for t0 in range(0, len(texts), block):
        t1 = min(len(texts), t0 + block)
        words = word_of[first_word[t0]:first_word[t1]]
        sizes = starts[words + 1] - starts[words]
        # every n-gram entry of every occurrence in the block: its word's entries
        entry = np.repeat(starts[words] - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
        cell = np.repeat(text_of[first_word[t0]:first_word[t1]] - t0, sizes) * dim + buckets[entry]
        out[t0:t1] = np.bincount(cell, weights=signs[entry], minlength=(t1 - t0) * dim).reshape(t1 - t0, dim)
    return out


def _hashed_ngrams(vocabulary: dict[str, int], dim: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each word (in id order): its 1- to 6-grams' buckets in 0..dim-1 and
    signs (+1/-1, from the hash's top bit), laid end to end from starts[id]."""
    from zlib import crc32

    buckets: list[int] = []
    signs: list[float] = []
    starts = [0]
    for word in vocabulary:  # insertion order is id order
        for n in range(1, min(6, len(word)) + 1):
            for k in range(len(word) - n + 1):
                h = crc32(word[k:k + n].encode("utf-8"))
                buckets.append(h % dim)
                signs.append(1.0 if h & 0x80000000 else -1.0)
        starts.append(len(buckets))
    return np.array(buckets, dtype=np.int64), np.array(signs), np.array(starts, dtype=np.int64)


# A word's first five letters, accents folded: a stem that survives inflection
# and a translation's accent slips ("coûtèrent"/"coûte"). Shorter words are
# mostly function words. Whole words and 4- or 6-letter stems measured alike.
_STEM = 5
_MIN_WORD = 3


def _stems(text: str) -> set[str]:
    folded = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))
    return {w[:_STEM] for w in _WORDS.findall(folded) if len(w) >= _MIN_WORD}


def link_features(texts: Sequence[str], max_run: int) -> LinkFeatures:
    """Each sentence's distinct word stems, weighted log(sentences / times the
    stem is kept) within this document: a word in every sentence weighs 0, a
    name or number said once weighs most. The product of two sentences' rows is
    the weight of the stems they share (each side's weight multiplied).

    A stem the previous max_run - 1 sentences already had is left out, so no
    run holds a stem twice and a bead's summed products count each shared stem
    once: otherwise two neighbours that both name "DeepState" would earn four
    links as a 2-2 bead against two as 1-1 + 1-1 (the seed back-translation
    lost three 1-1 pairs that way)."""
    from zlib import crc32

    stems: list[list[int]] = []
    last_seen: dict[int, int] = {}
    for k, text in enumerate(texts):
        row = sorted({crc32(w.encode("utf-8")) for w in _stems(text)})
        stems.append([h for h in row if k - last_seen.get(h, -max_run) >= max_run])
        last_seen.update((h, k) for h in row)
    ids = np.array([h for row in stems for h in row], dtype=np.int64)
    _, at, counts = np.unique(ids, return_inverse=True, return_counts=True)
    weights = np.log(max(1, len(texts)) / counts)[at] if len(ids) else np.zeros(0)
    indptr = np.concatenate([[0], np.cumsum([len(row) for row in stems])]).astype(np.int64)
    return LinkFeatures(ids=ids, weights=weights, indptr=indptr)


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32, copy=False)


def build_runs(
    texts: Sequence[str],
    encode: Callable[[Sequence[str]], np.ndarray] | None,
    *,
    max_run: int,
    lexical_weight: float = 0.0,
    sentence_vectors: np.ndarray | None = None,
) -> SideRuns:
    """The aligner's input for one side: sentence vectors and run norms.

    Semantic part: the sentences' embeddings (`sentence_vectors`, or `encode`
    called once), a run being the normalised sum of its members (bead costs
    come from sentence-level dot products, so a run is never embedded as one
    text). Lexical part: hashed n-grams, weighted by `lexical_weight` (0 when
    the two sides are different languages).
    """
    n = len(texts)
    if sentence_vectors is None:
        sentence_vectors = encode(list(texts)) if n else np.zeros((0, 1), np.float32)
    sem = _unit(np.asarray(sentence_vectors, dtype=np.float32))
    if lexical_weight > 0:
        # each sentence a unit vector of both parts, so a run's vector weighs its
        # sentences equally on both (raw n-gram counts would let long ones dominate)
        sem = np.concatenate([math.sqrt(1.0 - lexical_weight) * sem,
                              math.sqrt(lexical_weight) * _unit(lexical_features(texts))], axis=1)
    lengths = np.array([max(1, len(t)) for t in texts], dtype=np.float64)
    links = link_features(texts, max_run) if lexical_weight > 0 else None
    return SideRuns(vectors=sem, norms=_run_norms(sem, max_run), lengths=lengths, links=links)


def _run_norms(vectors: np.ndarray, max_run: int) -> np.ndarray:
    """Norms of the summed vectors of every run of 1..max_run sentences.

    |a_i + ... + a_j|^2 is the sum of all dot products among the members, so a
    run of k is the run of k-1 plus the new member's square and twice its dot
    products with the k-1 before it: O(n * max_run) dot products of
    neighbours, no run vector. Single sentences are unit (or zero) vectors and
    keep norm 1, so their cosines are plain dot products."""
    n = vectors.shape[0]
    norms = np.ones((max_run, n), dtype=np.float64)
    if max_run < 2 or n < 2:
        return norms
    # in float64 (a norm's rounding error enters every cosine of its run), by
    # blocks of rows converted once and small enough to stay in cache
    square = np.empty(n)
    near = [np.empty(max(0, n - d)) for d in range(1, max_run)]  # near[d-1][i] = vectors[i] . vectors[i + d]
    block = 1024
    for r0 in range(0, n, block):
        r1 = min(n, r0 + block)
        x = vectors[r0:min(n, r1 + max_run - 1)].astype(np.float64)
        square[r0:r1] = np.einsum("nd,nd->n", x[:r1 - r0], x[:r1 - r0])
        for d in range(1, max_run):
            count = min(r1, n - d) - r0
            if count > 0:
                near[d - 1][r0:r0 + count] = np.einsum("nd,nd->n", x[:count], x[d:d + count])
    total = square.copy()
    for k in range(2, max_run + 1):
        count = n - k + 1
        if count <= 0:
            break
        last = k - 1  # the new member is i + k - 1
        total = total[:count] + square[last:last + count]
        for d in range(1, k):
            total += 2.0 * near[d - 1][last - d:last - d + count]
        # an all-zero run (blank sentences without lexical features) has no
        # direction: its cosines are 0 whatever the norm, 1 avoids 0/0
        norms[k - 1, :count] = np.where(total > 0, np.sqrt(np.maximum(total, 0.0)), 1.0)
    return norms


# --------------------------------------------------------------------------- search

# float32 dot products of identical unit vectors come out as 1 +- ~1e-7:
# distances below this are "the same text", not evidence of a better bead.
_SAME = 1e-6
# far below any real cost difference, far above float64 rounding of path sums
_TIE = 1e-9

@dataclass(frozen=True)
class _Band:
    """Cross dot products src[r] . tgt[q] for the cells a banded search reads,
    as prefix sums along each row: the sum of a row's products over columns
    b..c-1 is prefix[base[r] + c] - prefix[base[r] + b], for boundaries b, c in
    first[r]..last[r]. Rows are stored flat (per row an offset and a width),
    so memory is linear in the band's cells, not in n * m. Zeros pad both ends
    so that base[r] + c is a valid index for any column boundary c a chunk of
    the search reads (a meaningless value where the bead does not fit)."""

    lo: np.ndarray  # the search band and shapes' reach this was built for
    hi: np.ndarray
    reach: tuple[int, int]
    first: np.ndarray  # (n,) first column boundary stored for each src row
    last: np.ndarray  # (n,) last column boundary stored (inclusive)
    base: np.ndarray  # (n,) flat index of column boundary 0 of each row
    prefix: np.ndarray  # flat float64

    def lookup(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Prefix values at (rows[k], cols[k]), and whether each is stored (0 where not)."""
        ok = (cols >= self.first[rows]) & (cols <= self.last[rows])
        idx = np.where(ok, self.base[rows] + cols, 0)
        return np.where(ok, self.prefix[idx], 0.0), ok


@dataclass
class _Problem:
    src: SideRuns
    tgt: SideRuns
    shapes: list[tuple[int, int]]
    src_base: np.ndarray  # (max_run, n) mean distance of each run to the tgt sentences
    tgt_base: np.ndarray
    src_cumlen: np.ndarray
    tgt_cumlen: np.ndarray
    log_ratio: float
    settings: AlignSettings
    # length deviation the document's own 1-1 pairs show (inf: not measured yet)
    length_slack: float = math.inf
    # cross products of the last band searched; later lookups near the path use it
    band: _Band | None = None
    # shared-stem reward (see _link_rewards): cost off per unit of shared weight
    # (0: no reward), and prefix sums of what each sentence can share at most
    link_scale: float = 0.0
    src_link_cap: np.ndarray = field(default_factory=lambda: np.zeros(1))
    tgt_link_cap: np.ndarray = field(default_factory=lambda: np.zeros(1))
    src_links: object = None  # scipy.sparse.csr_matrix: sentences x stems both sides index alike
    tgt_links: object = None
    link_band: _Band | None = None


def _baselines(runs: SideRuns, other: SideRuns) -> np.ndarray:
    """Mean cosine distance of every run to all sentences of the other side.

    Vecalign samples random sentences for this; the mean of dot products is
    the dot product with the mean vector, so the exact mean over the whole
    document costs one matrix-vector product, with no sampling noise (a
    64-sentence sample cost 0.7 points of strict F1 on Text+Berg dev). A run's
    dot product with the mean is its members' summed over the run's norm."""
    n = len(runs)
    base = np.ones((runs.max_run, n), dtype=np.float64)
    if len(other):
        centre = other.vectors.mean(axis=0)
        single = runs.vectors @ centre
        base[0] = 1.0 - single
        total = single.astype(np.float64)
        for r in range(1, runs.max_run):
            count = n - r
            if count <= 0:
                break
            total = total[:count] + single[r:r + count]
            base[r, :count] = 1.0 - total / runs.norms[r, :count]
    return np.maximum(base, 1e-3)


def _make_problem(src: SideRuns, tgt: SideRuns, settings: AlignSettings) -> _Problem:
    shapes = [s for s in settings.shapes() if s[0] <= src.max_run and s[1] <= tgt.max_run]
    src_cum = np.concatenate([[0.0], np.cumsum(src.lengths)])
    tgt_cum = np.concatenate([[0.0], np.cumsum(tgt.lengths)])
    log_ratio = math.log(src_cum[-1] / tgt_cum[-1]) if len(src) and len(tgt) else 0.0
    p = _Problem(
        src=src, tgt=tgt, shapes=shapes,
        src_base=_baselines(src, tgt),
        tgt_base=_baselines(tgt, src),
        src_cumlen=src_cum, tgt_cumlen=tgt_cum, log_ratio=log_ratio, settings=settings,
    )
    if settings.link_weight > 0 and src.links is not None and tgt.links is not None:
        _add_links(p, src.links, tgt.links, settings.link_weight)
    return p


def _add_links(p: _Problem, src: LinkFeatures, tgt: LinkFeatures, weight: float) -> None:
    """Both sides' stems as sparse matrices over one vocabulary, each
    sentence's cap and the reward's scale (see `_link_rewards`)."""
    import scipy.sparse

    n, m = len(src.indptr) - 1, len(tgt.indptr) - 1
    own = np.concatenate([np.bincount(src.rows(), src.weights ** 2, minlength=n),
                          np.bincount(tgt.rows(), tgt.weights ** 2, minlength=m)])
    unit = float(own.mean()) if len(own) else 0.0
    if unit <= 0:  # no stem in either document, or every stem in every sentence
        return
    vocabulary, at = np.unique(np.concatenate([src.ids, tgt.ids]), return_inverse=True)
    src_at, tgt_at = at[:len(src.ids)], at[len(src.ids):]  # each entry's column in the shared vocabulary
    size = len(vocabulary)
    p.src_links = scipy.sparse.csr_matrix((src.weights, src_at, src.indptr), shape=(n, size))
    p.tgt_links = scipy.sparse.csr_matrix((tgt.weights, tgt_at, tgt.indptr), shape=(m, size))
    # a sentence's stems that the other side has anywhere, weighted on both
    # sides: more than this it cannot share with any run there
    src_weight = np.zeros(size)
    tgt_weight = np.zeros(size)
    src_weight[src_at] = src.weights
    tgt_weight[tgt_at] = tgt.weights
    p.src_link_cap = np.concatenate([[0.0], np.cumsum(p.src_links @ tgt_weight)])
    p.tgt_link_cap = np.concatenate([[0.0], np.cumsum(p.tgt_links @ src_weight)])
    p.link_scale = 2.0 * weight / unit


def _box_sums(band: _Band | None, n: int, m: int, a: np.ndarray, bs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sums of the band's products over rows a..a+n-1 and columns bs..bs+m-1,
    elementwise, and the positions the band does not hold (their sums are 0)."""
    total = np.zeros(bs.shape)
    stored = np.zeros(bs.shape, dtype=bool)
    if band is not None and bs.size:
        stored[:] = True
        for x in range(n):
            upper, ok_upper = band.lookup(a + x, bs + m)
            lower, ok_lower = band.lookup(a + x, bs)
            total += upper - lower
            stored &= ok_upper & ok_lower
    return total, np.flatnonzero(~stored)


def _run_cosines(p: _Problem, n: int, m: int, i, js: np.ndarray) -> np.ndarray:
    """Cosines of the runs src[i-n:i] and tgt[j-m:j] for each j in js (n, m >= 1);
    `i` is one end row or an array paired elementwise with `js`.

    1-1 pairs may be anywhere in the document (moved text, unrelated pairs):
    a gathered dot product of the two sentence vectors. Bigger runs are asked
    for near the path: their summed products come from the last searched band
    where it holds them, from the sentence vectors where it does not."""
    a = np.asarray(i) - n
    bs = js - m
    if n == 1 and m == 1:
        if a.ndim == 0:
            if bs.size and bs[-1] - bs[0] + 1 == bs.size:
                tgt_vecs = p.tgt.vectors[bs[0]:bs[-1] + 1]  # consecutive columns: a view, no copy
            else:
                tgt_vecs = p.tgt.vectors[bs]
            return (tgt_vecs @ p.src.vectors[a]).astype(np.float64)
        return _pair_dots(p, a, bs)
    a = np.broadcast_to(a, bs.shape)
    total, missing = _box_sums(p.band, n, m, a, bs)
    if missing.size:
        src_sum = p.src.vectors[a[missing]].astype(np.float64)
        for x in range(1, n):
            src_sum += p.src.vectors[a[missing] + x]
        tgt_sum = p.tgt.vectors[bs[missing]].astype(np.float64)
        for y in range(1, m):
            tgt_sum += p.tgt.vectors[bs[missing] + y]
        total[missing] = np.einsum("kd,kd->k", src_sum, tgt_sum)
    return total / (p.src.norms[n - 1, a] * p.tgt.norms[m - 1, bs])


# pairs whose vectors are gathered at once: a block's copies stay in cache (a
# 20k-sentence path's 1-1 pairs gathered whole were 100 MB, and the time per
# pair grew with the document)
_PAIR_BLOCK = 1024


def _pair_dots(p: _Problem, a: np.ndarray, bs: np.ndarray) -> np.ndarray:
    """Dot products of src sentence a[k] with tgt sentence bs[k], elementwise."""
    out = np.empty(bs.shape)
    for k in range(0, len(bs), _PAIR_BLOCK):
        rows, cols = a[k:k + _PAIR_BLOCK], bs[k:k + _PAIR_BLOCK]
        out[k:k + _PAIR_BLOCK] = np.einsum("kd,kd->k", p.tgt.vectors[cols], p.src.vectors[rows])
    return out


def _link_rewards(p: _Problem, n: int, m: int, i, js: np.ndarray, links: np.ndarray) -> np.ndarray:
    """What a bead's shared rare words take off its cost.

    Two sentences that say the same thing share names, numbers and content
    words, and a bead that splits a clause from the sentence it moved into
    leaves those words on different sides: counting them is evidence the
    embeddings blur. The shared weight is capped by what each side could share
    at most, so joining a neighbour that repeats a word the bead already has
    earns nothing (identical documents stay 1-1). Scaled to the document: one
    sentence's own weight, on average, earns 2 x link_weight."""
    a = np.asarray(i) - n
    bs = js - m
    cap = np.minimum(p.src_link_cap[np.asarray(i)] - p.src_link_cap[a], p.tgt_link_cap[js] - p.tgt_link_cap[bs])
    return p.link_scale * np.minimum(links, cap)


def _costs_from_cosines(p: _Problem, n: int, m: int, i, js: np.ndarray, sims: np.ndarray,
                        links: np.ndarray | None = None) -> np.ndarray:
    """Costs of beads taking src[i-n:i] and tgt[j-m:j] (n, m >= 1) whose runs
    have cosines `sims` (and summed stem links `links`, when rewarded); `i` is
    one end row or an array paired with `js`."""
    a = np.asarray(i) - n
    bs = js - m
    dist = 1.0 - sims
    dist[dist < _SAME] = 0.0
    norm = dist / (0.5 * (p.src_base[n - 1, a] + p.tgt_base[m - 1, bs]))
    s = p.settings
    extra = 0.0
    if s.length_weight or s.length_offset:
        ls = p.src_cumlen[i] - p.src_cumlen[a]
        lt = p.tgt_cumlen[js] - p.tgt_cumlen[bs]
        deviation = np.abs(np.log(ls / lt) - p.log_ratio)
        norm = norm * (1.0 + s.length_weight * deviation)
        if s.length_offset and np.isfinite(p.length_slack) and n + m > 2:
            extra = s.length_offset * np.maximum(deviation - p.length_slack, 0.0)
    # identical texts cost 0 in every shape; the tie goes to the smaller bead
    cost = (norm + extra) * (n * m) ** s.shape_exponent + _TIE * (n * m - 1)
    if links is not None and p.link_scale:
        cost = cost - _link_rewards(p, n, m, i, js, links)
    return cost


def _bead_costs(p: _Problem, n: int, m: int, i, js: np.ndarray) -> np.ndarray:
    """Costs of beads taking src[i-n:i] and tgt[j-m:j] for each j in js (n, m >= 1),
    on embeddings alone: the shared-word reward is evidence for the search's
    choice of pairs only (see `_chunk_costs`); the skip cost, moved text and
    confidences are measured without it.

    `i` is one end row or an array paired elementwise with `js`."""
    return _costs_from_cosines(p, n, m, i, js, _run_cosines(p, n, m, i, js))


def _reach(shapes: list[tuple[int, int]]) -> tuple[int, int]:
    """Longest src and tgt runs of the paired shapes: how far above and left of
    a cell the bead ending there reads."""
    paired = [(sn, sm) for sn, sm in shapes if sn and sm]
    return max((sn for sn, _ in paired), default=0), max((sm for _, sm in paired), default=0)


def _vector_products(p: _Problem, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
    # float64 products: a box sums up to max_run^2 of them and prefix
    # differences cancel, so float32's error would grow with the run sizes
    return p.src.vectors[r0:r1].astype(np.float64) @ p.tgt.vectors[c0:c1].astype(np.float64).T


def _link_products(p: _Problem, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
    return (p.src_links[r0:r1] @ p.tgt_links[c0:c1].T).toarray()


def _cross_band(p: _Problem, lo: np.ndarray, hi: np.ndarray, shapes: list[tuple[int, int]],
                products: Callable[[_Problem, int, int, int, int], np.ndarray] = _vector_products) -> _Band:
    """Every src . tgt product that beads ending in the band lo..hi read
    (of the sentence vectors, or of another pair of features via `products`).

    A bead ending at (i, j) reads rows i-n..i-1 and columns j-m..j-1, so row r
    needs the column boundaries lo[i]-max_m..hi[i] of the rows i in
    r+1..r+max_n. Products are computed by blocks of rows, as one matrix
    product over all the columns any row of the block needs, and stored so: a
    block of half the band's width spans about 1.5 widths where the path runs
    diagonally."""
    n, m = len(p.src), len(p.tgt)
    reach_n, reach_m = _reach(shapes)
    first = lo[1:].copy()
    last = hi[1:].copy()
    for x in range(1, min(reach_n, n)):
        first[:n - x] = np.minimum(first[:n - x], lo[1 + x:])
        last[:n - x] = np.maximum(last[:n - x], hi[1 + x:])
    first = np.clip(first - reach_m, 0, m)
    last = np.clip(last, 0, m)
    block = int(np.clip(np.median(last - first + 1) // 2 if n else 1, 8, 256))
    starts = np.arange(0, n, block)
    ends = np.minimum(starts + block, n)
    if n:  # each row stores its block's columns
        first = np.repeat(np.minimum.reduceat(first, starts), ends - starts)
        last = np.repeat(np.maximum.reduceat(last, starts), ends - starts)
    widths = last - first + 1
    pad = m + reach_m + 1
    offsets = pad + np.concatenate([[0], np.cumsum(widths)])
    prefix = np.zeros(int(offsets[-1]) + pad)
    for r0, r1 in zip(starts.tolist(), ends.tolist()):
        c0, c1 = int(first[r0]), int(last[r0])
        sums = prefix[offsets[r0]:offsets[r1]].reshape(r1 - r0, c1 - c0 + 1)
        np.cumsum(products(p, r0, r1, c0, c1), axis=1, out=sums[:, 1:])
    return _Band(lo=lo, hi=hi, reach=(reach_n, reach_m), first=first, last=last, base=offsets[:-1] - first,
                 prefix=prefix)


# cells of the band whose bead costs are computed at once, ahead of the DP rows
# that read them: enough to share numpy's per-call overhead among many cells,
# few enough that a chunk's arrays stay a few MB (1 << 12 to 1 << 16 timed alike)
_CHUNK_CELLS = 1 << 14


def _chunk_costs(p: _Problem, band: _Band, lo: np.ndarray, hi: np.ndarray, i0: int, i1: int,
                 shapes: list[tuple[int, int]]) -> dict[int, np.ndarray]:
    """Bead costs of every paired shape (by index in `shapes`) ending at every
    cell of rows i0..i1-1 of the band, rows laid end to end.

    Cells where a shape does not fit (it would start before row or column 0,
    or outside the band) get a meaningless finite value: the search never
    reads them. The sum over a bead's box is the sum over its rows of one
    prefix difference each, accumulated for all shapes at once."""
    widths = hi[i0:i1] - lo[i0:i1] + 1
    row_of = np.repeat(np.arange(i0, i1), widths)
    cols = np.arange(int(widths.sum())) - np.repeat(np.cumsum(widths) - widths - lo[i0:i1], widths)
    paired = [(sn, sm) for sn, sm in shapes if sn and sm]
    reach_n, _ = _reach(shapes)

    def column_sums(prefixes: _Band) -> list[dict[int, np.ndarray]]:
        # sums[x][t]: sum over rows i-x..i-1 of the prefix at column j-t,
        # for the shifts t some shape of x or more rows needs
        sums: list[dict[int, np.ndarray]] = [{}]
        for x in range(1, reach_n + 1):
            at = prefixes.base[np.maximum(row_of - x, 0)] + cols
            level = {}
            for t in sorted({0} | {sm for sn, sm in paired if sn >= x}):
                level[t] = prefixes.prefix[at - t]
                if x > 1:
                    level[t] += sums[x - 1][t]
            sums.append(level)
        return sums

    products = column_sums(band)
    links = column_sums(p.link_band) if p.link_scale and p.link_band is not None else None
    out: dict[int, np.ndarray] = {}
    n, m = len(p.src), len(p.tgt)
    for si, (sn, sm) in enumerate(shapes):
        if not (sn and sm) or sn > n or sm > m:  # (bigger than a side: never fits)
            continue
        # where the shape does not fit, clamp so every index below is valid
        ends_i, ends_j = np.maximum(row_of, sn), np.maximum(cols, sm)
        box = products[sn][0] - products[sn][sm]
        sims = box / (p.src.norms[sn - 1, ends_i - sn] * p.tgt.norms[sm - 1, ends_j - sm])
        shared = links[sn][0] - links[sn][sm] if links is not None else None
        out[si] = _costs_from_cosines(p, sn, sm, ends_i, ends_j, sims, shared)
    return out


def _search(p: _Problem, lo: np.ndarray, hi: np.ndarray, skip: float,
            shapes: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Banded DP. Row i (0..n) holds columns lo[i]..hi[i] inclusive.
    Returns the path's steps from the start: (k, 2) sentences taken on each
    side, and (k,) costs.

    Bead costs are computed a chunk of rows at a time from the band's cross
    products. A row lays each shape's candidates (previous cost + bead cost)
    side by side and takes the cheapest per column; on a tie the first shape
    wins, as the order of `shapes` (smaller beads first) intends."""
    n = len(p.src)
    inf = np.inf
    if p.band is None or p.band.lo is not lo or p.band.hi is not hi or p.band.reach != _reach(shapes):
        p.band = _cross_band(p, lo, hi, shapes)  # the second of two passes over one band reuses it
        p.link_band = _cross_band(p, lo, hi, shapes, _link_products) if p.link_scale else None
    band = p.band
    cells = np.concatenate([[0], np.cumsum(hi - lo + 1)])  # flat index of row i's first cell
    lo_, hi_ = lo.tolist(), hi.tolist()  # Python ints: the row loop reads them per shape
    max_width = int((hi - lo).max()) + 1
    stacked = np.empty((max_width, len(shapes)))  # candidates of a row, one column per shape
    columns = np.arange(max_width)
    offsets = columns * skip
    D: list[np.ndarray] = []
    back: list[np.ndarray] = []  # index into shapes, -1 = insertion (0,1); meaningless where D is inf
    chunk_start = chunk_end = 0
    costs: dict[int, np.ndarray] = {}
    for i in range(n + 1):
        if i >= chunk_end:
            chunk_start = i
            chunk_end = max(i + 1, int(np.searchsorted(cells, cells[i] + _CHUNK_CELLS, side="right")) - 1)
            chunk_end = min(chunk_end, n + 1)
            costs = _chunk_costs(p, band, lo, hi, chunk_start, chunk_end, shapes)
        lo_i, hi_i = lo_[i], hi_[i]
        width = hi_i - lo_i + 1
        row_cells = int(cells[i] - cells[chunk_start]) - lo_i  # + column = index into this chunk's costs
        if i == 0:
            best = np.full(width, inf)
            arg = np.full(width, -2, dtype=np.int16)
            if lo_i <= 0 <= hi_i:
                best[-lo_i] = 0.0
        else:
            cand = stacked[:width]
            cand.fill(inf)
            for si, (sn, sm) in enumerate(shapes):
                pi = i - sn
                if pi < 0:
                    continue
                prev_lo = lo_[pi]
                # columns j whose bead starts inside the previous row's band
                j0, j1 = max(lo_i, prev_lo + sm, sm), min(hi_i, hi_[pi] + sm)
                if j0 > j1:
                    continue
                prev = D[pi][j0 - sm - prev_lo:j1 - sm - prev_lo + 1]
                out = cand[j0 - lo_i:j1 - lo_i + 1, si]
                if sm == 0:
                    np.add(prev, skip, out=out)
                else:
                    np.add(prev, costs[si][row_cells + j0:row_cells + j1 + 1], out=out)
            arg = cand.argmin(axis=1)
            best = cand[columns[:width], arg]
            arg = arg.astype(np.int16)
        # insertions (0, 1) within the row: D[j] = min(best[j], D[j-1] + skip).
        # An exact tie goes to the insertion, so of two identical translation
        # sentences the later one is the added copy.
        if width > 1:
            offs = offsets[:width]
            # via[k]: the best path to column k+1 ending in an insertion
            via = np.minimum.accumulate(best - offs)[:-1] + offs[1:]
            ins = via <= best[1:] + _TIE * 1e-3
            np.minimum(via, best[1:], out=best[1:], where=ins)
            arg[1:][ins] = -1
        D.append(best)
        back.append(arg)
    # trace back from (n, m), into lists of ints and floats: a tuple per step
    # kept alive is what makes Python's garbage collector scan the whole heap
    # (with a model loaded, a quarter of a second each time) on long documents
    m = len(p.tgt)
    if not (lo_[n] <= m <= hi_[n]) or not np.isfinite(D[n][m - lo_[n]]):
        raise RuntimeError("alignment band does not reach the end")  # guarded by caller
    moves = [(0, 1), *shapes]  # by code + 1
    codes: list[int] = []
    totals = [float(D[n][m - lo_[n]])]  # path cost at the end of each step, from the last
    i, j = n, m
    while i > 0 or j > 0:
        code = int(back[i][j - lo_[i]])
        sn, sm = moves[code + 1]
        i, j = i - sn, j - sm
        codes.append(code + 1)
        totals.append(float(D[i][j - lo_[i]]))
    steps = np.array(moves, dtype=np.int64)[np.array(codes[::-1], dtype=np.int64)]
    return steps, np.diff(np.array(totals[::-1]))


def _full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def _band_around(points: np.ndarray, n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Band of +-width columns around a path given as (k, 2) points (i, j) (fine scale)."""
    pts = np.asarray(points, dtype=np.int64).reshape(-1, 2)
    pts = pts[np.lexsort((pts[:, 1], pts[:, 0]))]
    i0, j0, i1, j1 = pts[:-1, 0], pts[:-1, 1], pts[1:, 0], pts[1:, 1]
    # interpolate so every row has at least one path column: each segment's
    # rows i0..i1 get the floor and ceiling of the line's column there
    counts = i1 - i0 + 1
    seg = np.repeat(np.arange(len(counts)), counts)
    i = i0[seg] + np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    flat = (i1 == i0)[seg]
    t = (i - i0[seg]) / np.where(flat, 1, i1[seg] - i0[seg])
    x = j0[seg] + t * (j1[seg] - j0[seg])
    low = np.where(flat, j0[seg], np.floor(x).astype(np.int64))
    high = np.where(flat, j1[seg], np.ceil(x).astype(np.int64))
    low = np.where(i == i0[seg], np.minimum(low, j0[seg]), low)
    high = np.where(i == i1[seg], np.maximum(high, j1[seg]), high)
    lo_ = np.full(n + 1, m, dtype=np.int64)
    hi_ = np.zeros(n + 1, dtype=np.int64)
    np.minimum.at(lo_, i, low)
    np.maximum.at(hi_, i, high)
    # row by row on Python lists (each row reads the one before; list items
    # cost a fraction of numpy scalar indexing)
    lo = np.clip(lo_ - width, 0, m).tolist()
    hi = np.clip(hi_ + width, 0, m).tolist()
    # make the band connected: each row must overlap the next one's reach
    for r in range(1, n + 1):
        lo[r] = min(lo[r], hi[r - 1])
        hi[r] = max(hi[r], lo[r - 1])
        lo[r] = max(lo[r], lo[r - 1])
    for r in range(n - 1, -1, -1):
        hi[r] = min(hi[r], hi[r + 1])
    lo[0] = 0
    hi[n] = m
    return np.array(lo, dtype=np.int64), np.array(hi, dtype=np.int64)


# Sentences per unit one level up the coarse-to-fine pyramid. A level costs
# rows in proportion to 1/COARSEN + 1/COARSEN^2 + ... of the document, and a
# long document has more levels than a short one before one fits a full search:
# with pairs (2) a 20k pair searched 0.97 coarse rows per sentence against a 2k
# pair's 0.75, which alone put its time ~4 % over linear; with 4 that is 0.33
# against 0.25. The fine band (+-band/2 sentences) still holds the projected
# path: the same beads on every benchmark size, Text+Berg dev F1 equal to
# within one region when the coarse pass is forced.
COARSEN = 4


def _coarsen(runs: SideRuns, factor: int = COARSEN) -> SideRuns:
    """Shrink a side `factor` times: groups of neighbouring sentences become
    one unit (a short last group stays shorter). Written into one new array:
    on long documents the passes over the vectors are what this costs."""
    f = runs.vectors
    n = f.shape[0]
    size, whole = -(-n // factor), n // factor
    g = np.zeros((size, f.shape[1]), dtype=np.float32)
    for k in range(factor):
        np.add(g[:whole], f[k:factor * whole:factor], out=g[:whole])
    if size > whole:
        g[whole] = f[factor * whole:].sum(axis=0)
    norms = np.linalg.norm(g, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    g /= norms
    lengths = np.concatenate([runs.lengths, np.zeros(size * factor - n)]).reshape(size, factor).sum(axis=1)
    return SideRuns(vectors=g, norms=np.ones((1, size)), lengths=np.maximum(lengths, 1.0))


def _path_points(steps: np.ndarray) -> np.ndarray:
    """(k+1, 2) points (i, j) of a path given as (k, 2) steps from (0, 0)."""
    return np.concatenate([np.zeros((1, 2), dtype=np.int64), np.cumsum(steps, axis=0)])


def _one_to_one_ends(points: np.ndarray) -> np.ndarray:
    """End points of the path's 1-1 steps."""
    return points[1:][(np.diff(points, axis=0) == 1).all(axis=1)]


def _skip_from_costs(costs: Sequence[float] | np.ndarray, percentile: float, scale: float) -> float:
    if len(costs) == 0:
        return 0.5 * scale
    return float(np.percentile(costs, percentile)) * scale


def _length_slack(p: _Problem, points: np.ndarray, settings: AlignSettings) -> float:
    """How far from the document's length ratio its first-pass 1-1 pairs go
    (a percentile of |log length ratio - document's|): length deviations up to
    this are normal translation freedom, beyond it they cost additively."""
    starts = _one_to_one_ends(points) - 1
    ratios = p.src.lengths[starts[:, 0]] / p.tgt.lengths[starts[:, 1]]
    devs = [abs(math.log(r) - p.log_ratio) for r in ratios.tolist()]
    return float(np.percentile(devs, settings.length_slack_percentile)) if devs else math.inf


def _unrelated_costs(p: _Problem, points: np.ndarray, samples: int = 4096) -> np.ndarray:
    """1-1 costs of pairs far from a first-pass path: what an unrelated pair
    costs in this document (every pair for small documents, a fixed-seed
    sample for big ones). Pairs within one sentence of the path are left out:
    in 1-2 and 2-2 beads neighbours share content."""
    n, m = len(p.src), len(p.tgt)
    if n * m <= samples:
        i, j = (g.ravel() for g in np.meshgrid(np.arange(n), np.arange(m), indexing="ij"))
    else:
        rng = np.random.default_rng(0)
        i, j = rng.integers(0, n, samples), rng.integers(0, m, samples)
    path = points[np.lexsort((points[:, 1], points[:, 0]))]
    centre = np.interp(i + 0.5, path[:, 0], path[:, 1])  # sentence i spans rows i..i+1 of the path
    far = np.abs(j + 0.5 - centre) > 1.5
    if not far.any():
        return np.zeros(0)
    return _bead_costs(p, 1, 1, i[far] + 1, j[far] + 1)


def _skip_cost(p: _Problem, one_to_one: np.ndarray, points: np.ndarray, settings: AlignSettings) -> float:
    """Cost of leaving one sentence unpaired.

    Mostly a percentile of the path's 1-1 costs (Vecalign's choice: it adapts to
    how free the translation is). But when most pairs are near-identical that
    percentile collapses to ~0 and any edited sentence would become an omission
    plus an addition; so the skip cost never falls below half of what a low
    percentile of *unrelated* pairs costs here: a pair clearly cheaper than
    unrelated text (two skips are dearer) always stays a pair."""
    skip = _skip_from_costs(one_to_one, settings.skip_percentile, settings.skip_scale)
    unrelated = _unrelated_costs(p, points)
    # with too few unrelated pairs to measure, 1.0 is an unrelated pair by construction
    # of the normalised distance (a run's mean distance to the other document)
    reference = float(np.percentile(unrelated, settings.unrelated_percentile)) if len(unrelated) >= 3 else 1.0
    return max(skip, 0.5 * reference)


def _approximate_path(src: SideRuns, tgt: SideRuns, settings: AlignSettings, *,
                      coarse: bool = False) -> np.ndarray:
    """Coarse-to-fine first pass: a path of (i, j) points at full resolution.

    Coarse levels only guide the next level's band, so they search once with
    skip = 1.0 (an unrelated pair's cost); the document's own skip cost is
    measured and used at full resolution only."""
    n, m = len(src), len(tgt)
    simple = dataclasses.replace(settings, max_run=1, max_bead=2)
    p = _make_problem(src.first_runs(), tgt.first_runs(), simple)
    if (n + 1) * (m + 1) <= settings.full_search_cells or n < 4 or m < 4:
        lo, hi = _full_band(n, m)
    else:
        coarse_path = _approximate_path(_coarsen(src), _coarsen(tgt), settings, coarse=True)
        fine_points = np.minimum(COARSEN * coarse_path, [n, m])
        lo, hi = _band_around(fine_points, n, m, max(4, settings.band // 2))
    if coarse:
        return _path_points(_search(p, lo, hi, 1.0, p.shapes)[0])
    return _two_pass(p, lo, hi, settings)


def _two_pass(p: _Problem, lo: np.ndarray, hi: np.ndarray, settings: AlignSettings) -> np.ndarray:
    """1-1/1-0 search with skip=1.0 (an unrelated pair's cost), then again with
    the document's own skip cost measured on that first path."""
    steps, costs = _search(p, lo, hi, 1.0, p.shapes)
    skip = _skip_cost(p, costs[(steps > 0).all(axis=1)], _path_points(steps), settings)
    steps, _ = _search(p, lo, hi, skip, p.shapes)
    return _path_points(steps)


def _one_to_one_matrix(p: _Problem, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """1-1 bead costs of every src sentence in `rows` against every tgt sentence in `cols`.

    One matrix product per block of rows against the columns gathered once
    (gathering them again for every row cost more than the products)."""
    rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    out = np.empty((len(rows), len(cols)))
    if not len(rows) or not len(cols):
        return out
    tgt_vecs = p.tgt.vectors[cols]
    block = max(1, _PAIR_BLOCK * 8 // len(cols))
    for r0 in range(0, len(rows), block):
        part = rows[r0:r0 + block]
        sims = (p.src.vectors[part] @ tgt_vecs.T).astype(np.float64).ravel()
        ends_i = np.repeat(part + 1, len(cols))
        ends_j = np.tile(cols + 1, len(part))
        out[r0:r0 + len(part)] = _costs_from_cosines(p, 1, 1, ends_i, ends_j, sims).reshape(len(part), len(cols))
    return out


# Rivals for the ratio test are looked for in a fixed-seed sample of this many
# sentences of a long document, plus each candidate's neighbours: a generic line
# close to many sentences meets one in a sample this size, and the test costs a
# constant per candidate instead of a pass over the whole document.
_RIVAL_SAMPLE = 2048
_RIVAL_WINDOW = 5


def _rivals(p: _Problem, src_idx: np.ndarray, tgt_idx: np.ndarray, *, source_side: bool) -> np.ndarray:
    """For each candidate pair (src_idx[k], tgt_idx[k]): the cheapest 1-1 cost of
    one of its sentences (the source one if `source_side`) with any other
    sentence of the other document, searched exactly in short documents and
    in a sample plus the partner's neighbours in long ones."""
    mine, partner = (src_idx, tgt_idx) if source_side else (tgt_idx, src_idx)
    size = len(p.tgt) if source_side else len(p.src)
    if size <= _RIVAL_SAMPLE:
        pool = np.arange(size)
    else:
        pool = np.sort(np.random.default_rng(size).choice(size, _RIVAL_SAMPLE, replace=False))
    grid = _one_to_one_matrix(p, mine, pool) if source_side else _one_to_one_matrix(p, pool, mine).T
    grid[pool[None, :] == partner[:, None]] = np.inf
    best = grid.min(axis=1) if len(pool) else np.full(len(mine), np.inf)
    for shift in range(-_RIVAL_WINDOW, _RIVAL_WINDOW + 1):
        other = partner + shift
        ok = (shift != 0) & (other >= 0) & (other < size)
        if not ok.any():
            continue
        s_, t_ = (mine[ok], other[ok]) if source_side else (other[ok], mine[ok])
        best[ok] = np.minimum(best[ok], _bead_costs(p, 1, 1, s_ + 1, t_ + 1))
    return best


def _second_best(costs: np.ndarray, exclude: np.ndarray) -> np.ndarray:
    """Row-wise minimum of `costs` ignoring column exclude[r] in row r."""
    masked = costs.copy()
    masked[np.arange(len(exclude)), exclude] = np.inf
    return masked.min(axis=1) if masked.shape[1] else np.full(len(exclude), np.inf)


def _match_moved(p: _Problem, beads: list[Bead], costs: list[float], threshold: float,
                 ratio: float) -> tuple[list[Bead], list[float]]:
    """Pair leftover omitted and added sentences across the document.

    A moved claim says the translator reordered the text; a false one hides an
    omission, so it must be unambiguous: cheap (under `threshold`), mutual best
    among the leftovers, and clearly better than each sentence's second-best
    partner in the whole other document (Lowe's ratio test) - short generic
    lines such as "." or "-" are close to many sentences and fail it.
    """
    omitted = np.array([b.src[0] for b in beads if not b.tgt], dtype=np.int64)
    added = np.array([b.tgt[0] for b in beads if not b.src], dtype=np.int64)
    if not len(omitted) or not len(added):
        return beads, costs
    cost = _one_to_one_matrix(p, omitted, added)
    row_best = cost.argmin(axis=1)
    col_best = cost.argmin(axis=0)
    cand = [(r, int(c)) for r, c in enumerate(row_best)
            if col_best[c] == r and cost[r, c] <= threshold]
    if not cand:
        return beads, costs
    src_idx = omitted[[r for r, _ in cand]]
    tgt_idx = added[[c for _, c in cand]]
    rows = np.array([r for r, _ in cand])
    cols = np.array([c for _, c in cand])
    # second-best partners: among the leftovers, then anywhere in the other document
    src_second = np.minimum(_second_best(cost[rows], cols), _rivals(p, src_idx, tgt_idx, source_side=True))
    tgt_second = np.minimum(_second_best(cost[:, cols].T, rows), _rivals(p, src_idx, tgt_idx, source_side=False))
    moved: list[tuple[int, int, float, float]] = []
    for (r, c), s2, t2 in zip(cand, src_second, tgt_second):
        here = float(cost[r, c])
        rival = min(float(s2), float(t2))
        if here <= ratio * rival and here < rival:  # an exact copy elsewhere ties at 0: ambiguous
            conf = max(0.0, min(1.0, 1.0 - here / rival)) if np.isfinite(rival) and rival > 0 else 1.0
            moved.append((int(omitted[r]), int(added[c]), here, conf))
    if not moved:
        return beads, costs
    moved_src = {s for s, _, _, _ in moved}
    moved_tgt = {t for _, t, _, _ in moved}
    kept = [(b, c) for b, c in zip(beads, costs)
            if not ((not b.tgt and b.src[0] in moved_src) or (not b.src and b.tgt[0] in moved_tgt))]
    kept += [(Bead((s_,), (t_,), confidence=round(conf_, 3), moved=True), c_) for s_, t_, c_, conf_ in moved]
    return [b for b, _ in kept], [c for _, c in kept]  # put in reading order by the caller


# Reopened pairs and leftovers are compared all against all: past this many
# cells (2,000 x 2,000, 32 MB) a reordering is left to the leftovers alone.
MAX_REOPENED_CELLS = 4_000_000


def _match_moved_reopening(p: _Problem, beads: list[Bead], costs: list[float], threshold: float, ratio: float,
                           skip: float, unrelated: float,
                           gap_at: dict[tuple[bool, int], int]) -> tuple[list[Bead], list[float]]:
    """The moved-text pass, offered the in-place 1-1 pairs that cost no less
    than the cheap end of unrelated pairs (`unrelated`) as well as the
    leftovers. When a whole text is reordered (paragraphs swapped, sentences
    reversed) the monotonic search still pairs every sentence with whatever
    stands opposite it, each pair no better than unrelated text; those pairs are
    reopened so the moved pass can find each sentence's real partner. A
    reopened pair that no moved pair claims is put back as it was."""
    poor = {k for k, (b, c) in enumerate(zip(beads, costs))
            if len(b.src) == 1 and len(b.tgt) == 1 and not b.moved and c >= unrelated}
    leftovers = sum(1 for b in beads if not b.src or not b.tgt)
    if not poor or (len(poor) + leftovers) ** 2 > MAX_REOPENED_CELLS:
        return _match_moved(p, beads, costs, threshold, ratio)
    trial_beads, trial_costs = [], []
    for k, (b, c) in enumerate(zip(beads, costs)):
        if k in poor:
            trial_beads += [Bead(b.src, ()), Bead((), b.tgt)]
            trial_costs += [skip, skip]
        else:
            trial_beads.append(b)
            trial_costs.append(c)
    matched, matched_costs = _match_moved(p, trial_beads, trial_costs, threshold, ratio)
    moved_src = {b.src[0] for b in matched if b.moved}
    moved_tgt = {b.tgt[0] for b in matched if b.moved}
    pair_of = {(beads[k].src[0], beads[k].tgt[0]): k for k in poor}
    unclaimed_src = {beads[k].src[0]: k for k in poor
                     if beads[k].src[0] not in moved_src and beads[k].tgt[0] not in moved_tgt}
    unclaimed_tgt = {beads[k].tgt[0] for k in unclaimed_src.values()}
    reopened = [k for k in poor if beads[k].src[0] not in unclaimed_src]
    out, out_costs = [], []
    for b, c in zip(matched, matched_costs):
        if b.moved and (b.src[0], b.tgt[0]) in pair_of:  # found its own partner again: in place
            k = pair_of[b.src[0], b.tgt[0]]
            out.append(beads[k])
            out_costs.append(costs[k])
        elif not b.tgt and b.src[0] in unclaimed_src:  # nobody claimed either side: as it was
            k = unclaimed_src[b.src[0]]
            out.append(beads[k])
            out_costs.append(costs[k])
        elif not b.src and b.tgt[0] in unclaimed_tgt:
            continue  # put back with its original sentence
        else:
            out.append(b)
            out_costs.append(c)
    for k in reopened:  # a reopened pair's unclaimed side is now a gap where the path passed it
        gap_at.setdefault((True, beads[k].src[0]), beads[k].tgt[0])
        gap_at.setdefault((False, beads[k].tgt[0]), beads[k].src[0])
    return out, out_costs


def _reading_order(beads: list[Bead]) -> list[int]:
    """Indexes of the beads in the original's order; an added bead goes where
    its translation index falls, just before the next in-place pair that
    follows it in the translation (after any omitted or moved beads standing
    between the two).

    In-place (not moved) pairs are monotonic on both sides, so they are the
    anchors: the rest sort by original index, added text by translation index.
    Keys are arrays, not a tuple per bead: on long documents those tuples were
    most of what woke Python's garbage collector."""
    src0 = np.array([b.src[0] if b.src else -1 for b in beads], dtype=np.int64)
    tgt0 = np.array([b.tgt[0] if b.tgt else -1 for b in beads], dtype=np.int64)
    anchor = (src0 >= 0) & (tgt0 >= 0) & ~np.array([b.moved for b in beads], dtype=bool)
    by_tgt = np.lexsort((src0[anchor], tgt0[anchor]))
    anchor_tgt, anchor_src = tgt0[anchor][by_tgt], src0[anchor][by_tgt]
    n = 1 + max((b.src[-1] for b in beads if b.src), default=-1)
    # added text: with the first anchor whose translation index is past it
    after = np.full(len(beads), n, dtype=np.int64)
    if len(anchor_src):
        k = np.searchsorted(anchor_tgt, tgt0, side="right")
        after = np.where(k < len(anchor_src), anchor_src[np.minimum(k, len(anchor_src) - 1)], n)
    added = src0 < 0
    first = np.where(added, after, src0)
    second = np.where(added, 0, 1)
    third = np.where(added, tgt0, 0)
    return np.lexsort((third, second, first)).tolist()


def _margins(p: _Problem, starts: np.ndarray, shape: tuple[int, int], chosen: np.ndarray,
             skip: float) -> np.ndarray:
    """Confidence of paired beads of one shape: the margin of the chosen cost
    over the cheapest local alternative - another shape from the same start
    (what it leaves out or takes in beyond the chosen bead charged as unpaired),
    or leaving all its sentences unpaired. 0 = a tie, 1 = a free bead."""
    sn, sm = shape
    n, m = len(p.src), len(p.tgt)
    alt = np.full(len(starts), skip * (sn + sm))
    for an, am in p.shapes:
        if (an, am) == shape or not an or not am:
            continue
        a, b = starts[:, 0], starts[:, 1]
        ok = (a + an <= n) & (b + am <= m)
        if not ok.any():
            continue
        c = _bead_costs(p, an, am, a[ok] + an, b[ok] + am)
        c = c + skip * (abs(sn - an) + abs(sm - am))
        alt[ok] = np.minimum(alt[ok], c)
    return np.clip((alt - chosen) / np.maximum(alt, 1e-9), 0.0, 1.0)


def align(src: SideRuns, tgt: SideRuns, settings: AlignSettings = AlignSettings()) -> Alignment:
    """Align two documents given their sentence features. Pure: no I/O, no models.

    Every sentence index of both sides appears in exactly one bead. Without
    moved text the beads are monotonic (both sides' indexes increase).
    """
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        beads = [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        return Alignment(tuple(beads), tuple(0.0 for _ in beads), 0.0)
    p = _make_problem(src, tgt, settings)
    path = _approximate_path(src, tgt, settings)
    p.length_slack = _length_slack(p, path, settings)
    # the skip cost: from the first pass's 1-1 pairs, in the full model's cost units
    # (one vectorised call: one per pair was a tenth of a 20k-sentence alignment)
    ends = _one_to_one_ends(path)
    one_to_one = _bead_costs(p, 1, 1, ends[:, 0], ends[:, 1])
    skip = _skip_cost(p, one_to_one, path, settings)
    if (n + 1) * (m + 1) <= settings.full_search_cells:
        lo, hi = _full_band(n, m)
    else:
        lo, hi = _band_around(path, n, m, settings.band)
    steps, step_costs = _search(p, lo, hi, skip, p.shapes)
    # paired beads' confidence, one vectorised pass per shape
    starts = _path_points(steps)[:-1]
    confidence = np.zeros(len(steps))
    for sn, sm in p.shapes:
        rows = np.flatnonzero((steps[:, 0] == sn) & (steps[:, 1] == sm)) if sn and sm else []
        if len(rows):
            # on embeddings alone: the margin charges what an alternative takes
            # in beyond the bead as unpaired, and a shared-word reward on those
            # extra sentences would make a clear bead look like a near tie
            chosen = (_bead_costs(p, sn, sm, starts[rows, 0] + sn, starts[rows, 1] + sm)
                      if p.link_scale else step_costs[rows])
            confidence[rows] = _margins(p, starts[rows], (sn, sm), chosen, skip)
    beads: list[Bead] = []
    costs: list[float] = []
    # where the path stands at each unpaired sentence: the other side's index
    # its partner would have (off the diagonal when text was added or cut)
    gap_at: dict[tuple[bool, int], int] = {}
    i = j = 0
    for sn, sm, c, conf in zip(steps[:, 0].tolist(), steps[:, 1].tolist(), step_costs.tolist(),
                               confidence.tolist()):
        src_idx = tuple(range(i, i + sn))
        tgt_idx = tuple(range(j, j + sm))
        if sn and sm:
            beads.append(Bead(src_idx, tgt_idx, confidence=round(conf, 3)))
            costs.append(c)
        else:  # split multi-sentence gaps into one bead per sentence
            for s in src_idx:
                beads.append(Bead((s,), (), confidence=None))
                costs.append(skip)
                gap_at[True, s] = j
            for t in tgt_idx:
                beads.append(Bead((), (t,), confidence=None))
                costs.append(skip)
                gap_at[False, t] = i
        i, j = i + sn, j + sm
    if settings.moved:
        threshold = _skip_from_costs(one_to_one, settings.moved_percentile, 1.0)
        unrelated = _unrelated_costs(p, path)
        reference = float(np.percentile(unrelated, settings.unrelated_percentile)) if len(unrelated) >= 3 else 1.0
        beads, costs = _match_moved_reopening(p, beads, costs, threshold, settings.moved_ratio, skip, reference,
                                              gap_at)
    beads = _gap_confidence(p, beads, skip, gap_at)
    order = _reading_order(beads)
    return Alignment(tuple(beads[k] for k in order), tuple(costs[k] for k in order), skip)


def _gap_confidence(p: _Problem, beads: list[Bead], skip: float, gap_at: dict[tuple[bool, int], int],
                    window: int = 5) -> list[Bead]:
    """Confidence of an omission/addition, the same margin as for pairs: how
    much cheaper leaving the sentence unpaired is than pairing it with its best
    partner within `window` sentences of where the path passes it (`gap_at`:
    (is original, index) -> the other side's index there)."""
    n, m = len(p.src), len(p.tgt)
    out = []
    for b in beads:
        if b.confidence is not None or b.moved:
            out.append(b)
            continue
        if b.src:
            i = b.src[0]
            centre = gap_at.get((True, i), i)
            js = np.arange(max(0, centre - window), min(m, centre + window + 1))
            best = float(_bead_costs(p, 1, 1, np.full(len(js), i + 1), js + 1).min()) if len(js) else np.inf
        else:
            j = b.tgt[0]
            centre = gap_at.get((False, j), j)
            is_ = np.arange(max(0, centre - window), min(n, centre + window + 1))
            best = float(_bead_costs(p, 1, 1, is_ + 1, np.full(len(is_), j + 1)).min()) if len(is_) else np.inf
        conf = 1.0 if not np.isfinite(best) else max(0.0, min(1.0, (best - skip) / max(best, 1e-9)))
        out.append(Bead(b.src, b.tgt, confidence=round(conf, 3)))
    return out


# --------------------------------------------------------------------------- gold files

_BEAD = re.compile(r"^\s*\[([^\]]*)\]\s*:\s*\[([^\]]*)\]")


def parse_beads(text: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Read the `[0]:[0, 1]` bead format (extra columns after the bead are ignored)."""
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _BEAD.match(line)
        if not m:
            raise ValueError(f"line {lineno}: not a bead: {line.strip()[:60]!r}")
        def ints(s: str) -> tuple[int, ...]:
            return tuple(int(x) for x in s.replace(",", " ").split())
        out.append((ints(m.group(1)), ints(m.group(2))))
    return out


@dataclass(frozen=True)
class AlignmentScore:
    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score_alignment(hyp: Sequence[tuple[Sequence[int], Sequence[int]]],
                    gold: Sequence[tuple[Sequence[int], Sequence[int]]]) -> AlignmentScore:
    """Strict and lax precision/recall/F1 (Vecalign's definition): strict = exact
    bead match; lax = the bead overlaps a bead of the other set on both sides.
    Beads with an empty side are ignored."""
    hyp_b = [(tuple(s), tuple(t)) for s, t in hyp if s and t]
    gold_b = [(tuple(s), tuple(t)) for s, t in gold if s and t]
    gold_set = set(gold_b)
    hyp_set = set(hyp_b)
    sp = sum(b in gold_set for b in hyp_b) / len(hyp_b) if hyp_b else 0.0
    sr = sum(b in hyp_set for b in gold_b) / len(gold_b) if gold_b else 0.0

    def overlaps(beads):
        # src index -> target sets of the beads holding it: linear, not all-pairs
        by_src: dict[int, list[set[int]]] = {}
        for s, t in beads:
            ts = set(t)
            for i in s:
                by_src.setdefault(i, []).append(ts)
        return lambda b: any(ts.intersection(b[1]) for i in b[0] for ts in by_src.get(i, ()))

    in_gold, in_hyp = overlaps(gold_b), overlaps(hyp_b)
    lp = sum(map(in_gold, hyp_b)) / len(hyp_b) if hyp_b else 0.0
    lr = sum(map(in_hyp, gold_b)) / len(gold_b) if gold_b else 0.0
    return AlignmentScore(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr))
