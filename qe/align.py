"""Sentence alignment: run features in, beads out.

`align()` is a pure function. It takes, for each side, unit feature vectors of
every run of 1..max_run consecutive sentences and the sentences' lengths, and
returns beads: groups of consecutive original sentences paired with groups of
consecutive translation sentences, or left unpaired (1-0 omitted, 0-1 added).

How it scores (after Vecalign, with our own choices):
- cost of a bead = normalised cosine distance of its two runs × a penalty for
  bigger shapes × a length-ratio penalty. The cosine distance is divided by each
  run's mean distance to random sentences of the other side, so texts that are
  similar to everything (short, generic) do not win by default.
- the cost of leaving a sentence unpaired comes from the document: a percentile
  of the costs of the confident 1-1 pairs found by a first pass.
- search is a dynamic programme over a band. Long documents are first aligned at
  coarse resolution (neighbouring sentences averaged), and the fine search runs in
  a band around the coarse path, so time and memory grow linearly.
- after the monotonic pass, unpaired sentences on both sides are matched across
  the document and confident pairs come back as *moved* beads.

Feature vectors may concatenate a semantic embedding with a lexical one (hashed
character n-grams, see `lexical_features`); then one dot product mixes both.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from qe.models import Bead


@dataclass(frozen=True)
class AlignSettings:
    """Knobs of the aligner; defaults are what the README's figures were measured with."""

    max_run: int = 3  # longest run of consecutive sentences on one side of a bead
    max_bead: int = 4  # n + m <= max_bead for the bead shapes searched
    skip_percentile: float = 80.0  # unpaired cost = this percentile of first-pass 1-1 costs
    skip_scale: float = 1.0
    shape_exponent: float = 1.0  # cost × (n·m)^exponent for bigger beads
    length_weight: float = 1.0  # cost × (1 + weight·|log length ratio - document's|)
    lexical_weight: float = 0.5  # share of lexical similarity when both sides are one language
    band: int = 24  # half-width of the fine band around the coarse path
    full_search_cells: int = 400_000  # below this many cells, no coarse pass
    moved: bool = True  # match leftover omissions/additions as moved text
    moved_percentile: float = 50.0  # a moved pair must cost no more than this percentile of 1-1 costs
    samples: int = 64  # random sentences for each run's baseline distance

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

    features: (max_run, n, dim) float32; features[k-1, i] is the unit vector of
        sentences i..i+k-1 (rows with i+k > n are unused).
    lengths: (n,) character lengths of the sentences.
    """

    features: np.ndarray
    lengths: np.ndarray

    def __len__(self) -> int:
        return int(self.lengths.shape[0])

    @property
    def max_run(self) -> int:
        return int(self.features.shape[0])


@dataclass(frozen=True)
class Alignment:
    beads: tuple[Bead, ...]
    costs: tuple[float, ...]  # one per bead, same order
    skip_cost: float


# --------------------------------------------------------------------------- features

_WORDS = re.compile(r"\w+", re.UNICODE)


def lexical_features(texts: Sequence[str], dim: int = 1024) -> np.ndarray:
    """Signed feature hashing of words and character 4-grams: a chrF-like
    surface similarity as a dot product. Unnormalised counts (runs add up)."""
    from zlib import crc32

    out = np.zeros((len(texts), dim), dtype=np.float32)
    for row, text in enumerate(texts):
        counts: dict[int, float] = {}
        for word in _WORDS.findall(text.lower()):
            feats = ["w" + word]
            padded = f" {word} "
            feats.extend(padded[k:k + 4] for k in range(max(1, len(padded) - 3)))
            for f in feats:
                h = crc32(f.encode("utf-8"))
                idx = h % dim
                counts[idx] = counts.get(idx, 0.0) + (1.0 if h & 0x80000000 else -1.0)
        for idx, v in counts.items():
            out[row, idx] = v
    return out


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32)


def build_runs(
    texts: Sequence[str],
    encode: Callable[[Sequence[str]], np.ndarray] | None,
    *,
    max_run: int,
    lexical_weight: float = 0.0,
    concatenate: bool = False,
    sentence_vectors: np.ndarray | None = None,
) -> SideRuns:
    """Features of every run of 1..max_run sentences.

    Semantic part: the sentences' embeddings (`sentence_vectors`, or `encode`
    called once), a run being the normalised sum of its members; with
    `concatenate`, runs of 2+ are embedded as one text (better, but the model
    then sees each sentence max_run times). Lexical part: hashed n-grams,
    weighted by `lexical_weight` (0 when the two sides are different languages).
    """
    n = len(texts)
    if sentence_vectors is None:
        sentence_vectors = encode(list(texts)) if n else np.zeros((0, 1), np.float32)
    sem = _unit(np.asarray(sentence_vectors, dtype=np.float32))
    dim_sem = sem.shape[1]
    lex = lexical_features(texts) if lexical_weight > 0 else None
    dim = dim_sem + (lex.shape[1] if lex is not None else 0)
    feats = np.zeros((max_run, n, dim), dtype=np.float32)
    w_sem = math.sqrt(1.0 - lexical_weight)
    w_lex = math.sqrt(lexical_weight)
    concat_vectors: dict[int, np.ndarray] = {}
    if concatenate and encode is not None:
        for k in range(2, max_run + 1):
            if n - k + 1 > 0:
                joined = [" ".join(texts[i:i + k]) for i in range(n - k + 1)]
                concat_vectors[k] = _unit(np.asarray(encode(joined), dtype=np.float32))
    cum_sem = np.concatenate([np.zeros((1, dim_sem), np.float32), np.cumsum(sem, axis=0)])
    cum_lex = None
    if lex is not None:
        cum_lex = np.concatenate([np.zeros((1, lex.shape[1]), np.float32), np.cumsum(lex, axis=0)])
    for k in range(1, max_run + 1):
        count = n - k + 1
        if count <= 0:
            continue
        if k in concat_vectors:
            run_sem = concat_vectors[k]
        else:
            run_sem = _unit(cum_sem[k:k + count] - cum_sem[:count])
        feats[k - 1, :count, :dim_sem] = w_sem * run_sem
        if cum_lex is not None:
            feats[k - 1, :count, dim_sem:] = w_lex * _unit(cum_lex[k:k + count] - cum_lex[:count])
    lengths = np.array([max(1, len(t)) for t in texts], dtype=np.float64)
    return SideRuns(features=feats, lengths=lengths)


# --------------------------------------------------------------------------- search

@dataclass
class _Problem:
    src: SideRuns
    tgt: SideRuns
    shapes: list[tuple[int, int]]
    src_base: np.ndarray  # (max_run, n) mean distance of each run to random tgt sentences
    tgt_base: np.ndarray
    src_cumlen: np.ndarray
    tgt_cumlen: np.ndarray
    log_ratio: float
    settings: AlignSettings


def _baselines(runs: SideRuns, other: SideRuns, samples: int, rng: np.random.Generator) -> np.ndarray:
    n_other = len(other)
    k = min(samples, n_other)
    idx = np.sort(rng.choice(n_other, size=k, replace=False)) if k else np.zeros(0, int)
    sample = other.features[0, idx]  # (k, dim)
    base = np.ones((runs.max_run, len(runs)), dtype=np.float64)
    if k:
        for r in range(runs.max_run):
            base[r] = 1.0 - (runs.features[r] @ sample.T).mean(axis=1)
    return np.maximum(base, 1e-3)


def _make_problem(src: SideRuns, tgt: SideRuns, settings: AlignSettings) -> _Problem:
    rng = np.random.default_rng(0)
    shapes = [s for s in settings.shapes() if s[0] <= src.max_run and s[1] <= tgt.max_run]
    src_cum = np.concatenate([[0.0], np.cumsum(src.lengths)])
    tgt_cum = np.concatenate([[0.0], np.cumsum(tgt.lengths)])
    log_ratio = math.log(src_cum[-1] / tgt_cum[-1]) if len(src) and len(tgt) else 0.0
    return _Problem(
        src=src, tgt=tgt, shapes=shapes,
        src_base=_baselines(src, tgt, settings.samples, rng),
        tgt_base=_baselines(tgt, src, settings.samples, rng),
        src_cumlen=src_cum, tgt_cumlen=tgt_cum, log_ratio=log_ratio, settings=settings,
    )


def _bead_costs(p: _Problem, n: int, m: int, i: int, js: np.ndarray) -> np.ndarray:
    """Costs of beads taking src[i-n:i] and tgt[j-m:j] for each j in js (n, m >= 1)."""
    a = i - n
    bs = js - m
    sims = p.tgt.features[m - 1, bs] @ p.src.features[n - 1, a]
    dist = 1.0 - sims.astype(np.float64)
    norm = dist / (0.5 * (p.src_base[n - 1, a] + p.tgt_base[m - 1, bs]))
    s = p.settings
    if s.length_weight:
        ls = p.src_cumlen[i] - p.src_cumlen[a]
        lt = p.tgt_cumlen[js] - p.tgt_cumlen[bs]
        norm = norm * (1.0 + s.length_weight * np.abs(np.log(ls / lt) - p.log_ratio))
    import os
    mode = os.environ.get('SHAPE', 'prod')
    if mode == 'prod':
        return norm * (n * m) ** s.shape_exponent
    if mode == 'sum1':
        return norm * (n + m - 1) ** s.shape_exponent
    if mode == 'half':
        return norm * ((n + m) / 2) ** s.shape_exponent
    if mode == 'halfpen':
        return norm * ((n + m) / 2) + float(os.environ.get('PEN', '0.2')) * (n + m - 2)
    raise ValueError(mode)


def _search(p: _Problem, lo: np.ndarray, hi: np.ndarray, skip: float,
            shapes: list[tuple[int, int]]) -> list[tuple[int, int, float]]:
    """Banded DP. Row i (0..n) holds columns lo[i]..hi[i] inclusive.
    Returns the path as (n_src, n_tgt, cost) steps from the start."""
    n = len(p.src)
    inf = np.inf
    D: list[np.ndarray] = []
    back: list[np.ndarray] = []  # index into shapes, -1 = insertion (0,1)
    for i in range(n + 1):
        width = hi[i] - lo[i] + 1
        js = np.arange(lo[i], hi[i] + 1)
        best = np.full(width, inf)
        arg = np.full(width, -2, dtype=np.int16)
        if i == 0:
            best[js == 0] = 0.0
        for si, (sn, sm) in enumerate(shapes):
            pi = i - sn
            if pi < 0:
                continue
            prev_lo, prev_hi = lo[pi], hi[pi]
            pj = js - sm
            ok = (pj >= prev_lo) & (pj <= prev_hi) & (pj >= 0)
            if not ok.any():
                continue
            cand = np.full(width, inf)
            prev = D[pi][pj[ok] - prev_lo]
            if sm == 0:
                cost = np.full(prev.shape, skip)
            else:
                cost = _bead_costs(p, sn, sm, i, js[ok])
            cand[ok] = prev + cost
            better = cand < best
            best[better] = cand[better]
            arg[better] = si
        # insertions (0, 1) within the row: D[j] = min(best[j], D[j-1] + skip)
        if width > 1:
            offs = np.arange(width) * skip
            scan = np.minimum.accumulate(best - offs) + offs
            ins = scan < best - 1e-12
            best = np.where(ins, scan, best)
            arg[ins] = -1
        D.append(best)
        back.append(arg)
    # trace back from (n, m)
    m = len(p.tgt)
    steps: list[tuple[int, int, float]] = []
    i, j = n, m
    if not (lo[n] <= m <= hi[n]) or not np.isfinite(D[n][m - lo[n]]):
        raise RuntimeError("alignment band does not reach the end")  # guarded by caller
    while i > 0 or j > 0:
        code = int(back[i][j - lo[i]])
        here = D[i][j - lo[i]]
        if code == -1:
            sn, sm = 0, 1
        else:
            sn, sm = shapes[code]
        pi, pj = i - sn, j - sm
        steps.append((sn, sm, float(here - D[pi][pj - lo[pi]])))
        i, j = pi, pj
    steps.reverse()
    return steps


def _full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def _band_around(points: list[tuple[int, int]], n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Band of +-width columns around a path given as (i, j) points (fine scale)."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    pts = sorted(points)
    # interpolate so every row has at least one path column
    for (i0, j0), (i1, j1) in zip(pts, pts[1:]):
        for i in range(i0, i1 + 1):
            if i1 == i0:
                js = (j0, j1)
            else:
                t = (i - i0) / (i1 - i0)
                js = (int(math.floor(j0 + t * (j1 - j0))), int(math.ceil(j0 + t * (j1 - j0))))
            lo[i] = min(lo[i], min(js[0], j0 if i == i0 else js[0]))
            hi[i] = max(hi[i], max(js[1], j1 if i == i1 else js[1]))
    lo = np.clip(lo - width, 0, m)
    hi = np.clip(hi + width, 0, m)
    # make the band connected: each row must overlap the next one's reach
    for i in range(1, n + 1):
        lo[i] = min(lo[i], hi[i - 1])
        hi[i] = max(hi[i], lo[i - 1])
        lo[i] = max(lo[i], lo[i - 1])
    for i in range(n - 1, -1, -1):
        hi[i] = min(hi[i], hi[i + 1])
    lo[0] = 0
    hi[n] = m
    return lo, hi


def _coarsen(runs: SideRuns) -> SideRuns:
    """Halve a side: pairs of neighbouring sentences become one unit."""
    f = runs.features[0]
    n = f.shape[0]
    half = (n + 1) // 2
    pad = np.zeros((half * 2 - n, f.shape[1]), np.float32)
    g = np.concatenate([f, pad]).reshape(half, 2, -1).sum(axis=1)
    lengths = np.concatenate([runs.lengths, np.zeros(half * 2 - n)]).reshape(half, 2).sum(axis=1)
    return SideRuns(features=_unit(g)[None, :, :], lengths=np.maximum(lengths, 1.0))


def _path_points(steps: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    pts = [(0, 0)]
    i = j = 0
    for sn, sm, _ in steps:
        i, j = i + sn, j + sm
        pts.append((i, j))
    return pts


def _skip_from_costs(costs: list[float], percentile: float, scale: float) -> float:
    if not costs:
        return 0.5 * scale
    return float(np.percentile(costs, percentile)) * scale


def _approximate_path(src: SideRuns, tgt: SideRuns, settings: AlignSettings) -> list[tuple[int, int]]:
    """Coarse-to-fine first pass: a path of (i, j) points at full resolution."""
    n, m = len(src), len(tgt)
    if (n + 1) * (m + 1) <= settings.full_search_cells or n < 4 or m < 4:
        simple = AlignSettings(max_run=1, max_bead=2, length_weight=settings.length_weight,
                               shape_exponent=settings.shape_exponent, samples=settings.samples)
        p = _make_problem(SideRuns(src.features[:1], src.lengths), SideRuns(tgt.features[:1], tgt.lengths), simple)
        lo, hi = _full_band(n, m)
        steps = _search(p, lo, hi, 1.0, p.shapes)  # skip=1.0: a random pair's cost
        costs = [c for sn, sm, c in steps if sn and sm]
        skip = _skip_from_costs(costs, settings.skip_percentile, settings.skip_scale)
        steps = _search(p, lo, hi, skip, p.shapes)
        return _path_points(steps)
    coarse_path = _approximate_path(_coarsen(src), _coarsen(tgt), settings)
    fine_points = [(min(2 * i, n), min(2 * j, m)) for i, j in coarse_path]
    lo, hi = _band_around(fine_points, n, m, max(4, settings.band // 2))
    simple = AlignSettings(max_run=1, max_bead=2, length_weight=settings.length_weight,
                           shape_exponent=settings.shape_exponent, samples=settings.samples)
    p = _make_problem(SideRuns(src.features[:1], src.lengths), SideRuns(tgt.features[:1], tgt.lengths), simple)
    steps = _search(p, lo, hi, 1.0, p.shapes)
    costs = [c for sn, sm, c in steps if sn and sm]
    skip = _skip_from_costs(costs, settings.skip_percentile, settings.skip_scale)
    steps = _search(p, lo, hi, skip, p.shapes)
    return _path_points(steps)


def _match_moved(p: _Problem, beads: list[Bead], costs: list[float], threshold: float) -> tuple[list[Bead], list[float]]:
    """Pair leftover omitted and added sentences across the document."""
    omitted = [b.src[0] for b in beads if not b.tgt]
    added = [b.tgt[0] for b in beads if not b.src]
    if not omitted or not added:
        return beads, costs
    cost = np.empty((len(omitted), len(added)))
    for r, i in enumerate(omitted):
        cost[r] = _bead_costs(p, 1, 1, i + 1, np.array(added) + 1)
    pairs: list[tuple[int, int, float]] = []
    used_r: set[int] = set()
    used_c: set[int] = set()
    for flat in np.argsort(cost, axis=None):
        r, c = divmod(int(flat), len(added))
        if cost[r, c] > threshold:
            break
        if r in used_r or c in used_c:
            continue
        # mutual best only: a moved claim must be unambiguous
        if cost[r, c] > cost[r].min() + 1e-9 or cost[r, c] > cost[:, c].min() + 1e-9:
            continue
        used_r.add(r)
        used_c.add(c)
        pairs.append((omitted[r], added[c], float(cost[r, c])))
    if not pairs:
        return beads, costs
    moved_src = {s for s, _, _ in pairs}
    moved_tgt = {t for _, t, _ in pairs}
    out_b: list[Bead] = []
    out_c: list[float] = []
    for b, c in zip(beads, costs):
        if (not b.tgt and b.src[0] in moved_src) or (not b.src and b.tgt[0] in moved_tgt):
            continue
        out_b.append(b)
        out_c.append(c)
    for s, t, c in pairs:
        conf = max(0.0, min(1.0, 1.0 - c / max(threshold * 2, 1e-9)))
        # insert by original position
        pos = next((k for k, b in enumerate(out_b) if b.src and b.src[0] > s), len(out_b))
        out_b.insert(pos, Bead((s,), (t,), confidence=round(conf, 3), moved=True))
        out_c.insert(pos, c)
    return out_b, out_c


def align(src: SideRuns, tgt: SideRuns, settings: AlignSettings = AlignSettings()) -> Alignment:
    """Align two documents given their run features. Pure: no I/O, no models.

    Every sentence index of both sides appears in exactly one bead. Without
    moved text the beads are monotonic (both sides' indexes increase).
    """
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        beads = [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        return Alignment(tuple(beads), tuple(0.0 for _ in beads), 0.0)
    p = _make_problem(src, tgt, settings)
    path = _approximate_path(src, tgt, settings)
    # the skip cost: from the first pass's 1-1 pairs, in the full model's cost units
    pts = path
    one_to_one = []
    for (i0, j0), (i1, j1) in zip(pts, pts[1:]):
        if i1 - i0 == 1 and j1 - j0 == 1:
            one_to_one.append(float(_bead_costs(p, 1, 1, i1, np.array([j1]))[0]))
    skip = _skip_from_costs(one_to_one, settings.skip_percentile, settings.skip_scale)
    if (n + 1) * (m + 1) <= settings.full_search_cells:
        lo, hi = _full_band(n, m)
    else:
        lo, hi = _band_around(path, n, m, settings.band)
    steps = _search(p, lo, hi, skip, p.shapes)
    beads: list[Bead] = []
    costs: list[float] = []
    i = j = 0
    for sn, sm, c in steps:
        src_idx = tuple(range(i, i + sn))
        tgt_idx = tuple(range(j, j + sm))
        if sn and sm:
            conf = max(0.0, min(1.0, 1.0 - c / (skip * (sn + sm))))
            beads.append(Bead(src_idx, tgt_idx, confidence=round(conf, 3)))
            costs.append(c)
        else:  # split multi-sentence gaps into one bead per sentence
            for s in src_idx:
                beads.append(Bead((s,), (), confidence=None))
                costs.append(skip)
            for t in tgt_idx:
                beads.append(Bead((), (t,), confidence=None))
                costs.append(skip)
        i, j = i + sn, j + sm
    if settings.moved:
        threshold = _skip_from_costs(one_to_one, settings.moved_percentile, 1.0)
        beads, costs = _match_moved(p, beads, costs, threshold)
    beads = _gap_confidence(p, beads, skip)
    return Alignment(tuple(beads), tuple(costs), skip)


def _gap_confidence(p: _Problem, beads: list[Bead], skip: float) -> list[Bead]:
    """Confidence of an omission/addition: how far its best possible partner
    nearby is from being worth pairing."""
    out = []
    n, m = len(p.src), len(p.tgt)
    for b in beads:
        if b.confidence is not None or b.moved:
            out.append(b)
            continue
        if b.src:
            i = b.src[0]
            js = np.arange(max(1, i - 5), min(m, i + 6) + 1)
            best = float(_bead_costs(p, 1, 1, i + 1, js).min()) if len(js) else np.inf
        else:
            j = b.tgt[0]
            best = np.inf
            for i in range(max(1, j - 5), min(n, j + 6) + 1):
                best = min(best, float(_bead_costs(p, 1, 1, i, np.array([j + 1]))[0]))
        conf = 1.0 if not np.isfinite(best) else max(0.0, min(1.0, (best - 2 * skip) / max(best, 1e-9) + 0.5))
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

    def overlaps(a, others) -> bool:
        sa, ta = set(a[0]), set(a[1])
        return any(sa & set(s) and ta & set(t) for s, t in others)

    lp = sum(overlaps(b, gold_b) for b in hyp_b) / len(hyp_b) if hyp_b else 0.0
    lr = sum(overlaps(b, hyp_b) for b in gold_b) / len(gold_b) if gold_b else 0.0
    return AlignmentScore(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr))
