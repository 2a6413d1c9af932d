"""How well a score orders sentences the way human judges do.

Two statistics, both over pairs of judged items (higher score = better on
both sides; negate a risk before passing it):

- Kendall's tau_b over all items pooled (ties corrected; scipy's).
- Pairwise accuracy with tie calibration, acc_eq (Deutsch, Foster and Freitag
  2023, "Ties Matter"; the WMT23 metrics task's segment-level statistic). A
  pair counts as agreeing when the metric orders it as the humans did, or when
  both call it a tie; the metric's ties are all pairs whose scores differ by at
  most epsilon, and epsilon is the one that gives the highest accuracy. A coarse
  score cannot gain by producing ties, as it can under tau_b, and a continuous
  score is not punished for never tying.

  `groups` restricts the pairs to items of one group (WMT23: the translations
  of one source segment, "group by item"); each group's accuracy weighs the
  same and one epsilon serves all groups. Without groups all pairs are pooled.

A bootstrap over groups (whole groups resampled with replacement) gives the
interval, so the eight translations of one segment are never split.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np


@dataclass(frozen=True)
class TieCalibrated:
    accuracy: float
    epsilon: float  # metric differences up to this count as ties


def _pairs(n: int, groups: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index pairs i < j (within a group when grouped) and each pair's weight."""
    if groups is None:
        i, j = np.triu_indices(n, k=1)
        return i, j, np.ones(len(i))
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    ends = np.r_[starts[1:], n]
    ii, jj, ww = [], [], []
    for s, e in zip(starts, ends):
        size = e - s
        if size < 2:
            continue
        a, b = np.triu_indices(size, k=1)
        ii.append(order[s + a])
        jj.append(order[s + b])
        ww.append(np.full(len(a), 1.0 / len(a)))
    if not ii:
        return np.zeros(0, int), np.zeros(0, int), np.zeros(0)
    return np.concatenate(ii), np.concatenate(jj), np.concatenate(ww)


def pairwise_accuracy(human: Sequence[float], metric: Sequence[float],
                      groups: Sequence | None = None) -> TieCalibrated:
    """acc_eq at the epsilon that maximises it (see the module docstring)."""
    h = np.asarray(human, dtype=float)
    m = np.asarray(metric, dtype=float)
    if h.shape != m.shape:
        raise ValueError("human and metric scores differ in length")
    g = None if groups is None else np.unique(np.asarray(groups), return_inverse=True)[1]
    i, j, w = _pairs(len(h), g)
    if len(i) == 0:
        raise ValueError("no pairs to compare")
    dh = h[i] - h[j]
    dm = m[i] - m[j]
    human_tie = dh == 0
    agree = ~human_tie & (np.sign(dh) == np.sign(dm))
    d = np.abs(dm)
    order = np.argsort(d, kind="stable")
    d, tie_w, agree_w = d[order], (w * human_tie)[order], (w * agree)[order]
    # Tying the first K pairs (smallest differences) gains their human ties and
    # loses their agreements; only K at the end of a run of equal d is an epsilon.
    gained = np.r_[0.0, np.cumsum(tie_w)]
    lost = np.r_[0.0, np.cumsum(agree_w)]
    total_agree = agree_w.sum()
    run_end = np.r_[d[1:] != d[:-1], True]
    candidates = np.r_[0, np.flatnonzero(run_end) + 1]
    if d[0] == 0:  # exact metric ties are ties at any epsilon >= 0
        candidates = candidates[candidates > 0]
    scores = gained[candidates] + total_agree - lost[candidates]
    best = int(np.argmax(scores))
    k = int(candidates[best])
    n_groups = 1.0 if groups is None else float(len(np.unique(g[i])))
    denominator = w.sum() if groups is None else n_groups
    return TieCalibrated(accuracy=float(scores[best] / denominator), epsilon=float(d[k - 1]) if k else 0.0)


def accuracy_at(human: Sequence[float], metric: Sequence[float], epsilon: float) -> float:
    """Pooled acc_eq with the metric's ties fixed at `epsilon` (no search): the
    bootstrap's statistic, at the epsilon chosen on all rows."""
    h = np.asarray(human, dtype=float)
    m = np.asarray(metric, dtype=float)
    i, j = np.triu_indices(len(h), k=1)
    dh = h[i] - h[j]
    dm = m[i] - m[j]
    metric_tie = np.abs(dm) <= epsilon
    agree = np.where(dh == 0, metric_tie, ~metric_tie & (np.sign(dh) == np.sign(dm)))
    return float(agree.mean())


def kendall_tau_b(human: Sequence[float], metric: Sequence[float]) -> float:
    from scipy.stats import kendalltau

    tau = kendalltau(np.asarray(human, dtype=float), np.asarray(metric, dtype=float), variant="b").statistic
    return 0.0 if tau is None or np.isnan(tau) else float(tau)


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float  # 2.5th percentile of the bootstrap
    high: float  # 97.5th

    def __str__(self) -> str:
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"


def bootstrap(statistic: Callable[[np.ndarray, np.ndarray], float], groups: Sequence, *, resamples: int = 200,
              seed: int = 0) -> Estimate:
    """`statistic(rows, row_groups)` on all rows, and its 95% interval over
    resampled groups. A group drawn twice is two groups (its own label per
    draw), so a grouped statistic never pairs an item with its copy."""
    g = np.asarray(groups)
    uniq, inverse = np.unique(g, return_inverse=True)
    members = [np.flatnonzero(inverse == k) for k in range(len(uniq))]
    value = statistic(np.arange(len(g)), inverse)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        picked = rng.integers(0, len(uniq), len(uniq))
        rows = np.concatenate([members[k] for k in picked])
        labels = np.concatenate([np.full(len(members[k]), draw) for draw, k in enumerate(picked)])
        values.append(statistic(rows, labels))
    low, high = np.percentile(values, [2.5, 97.5]) if values else (value, value)
    return Estimate(float(value), float(low), float(high))


__all__ = ["Estimate", "TieCalibrated", "accuracy_at", "bootstrap", "kendall_tau_b", "pairwise_accuracy"]
