"""Kendall tau_b and tie-calibrated pairwise accuracy on tables small enough
to count by hand (the counts are in the comments)."""

import math

import numpy as np
import pytest

from qe.agreement import accuracy_at, bootstrap, kendall_tau_b, pairwise_accuracy

# Five items. Human scores (higher = better) and a metric's.
HUMAN = [0, 0, -1, -5, -1]
METRIC = [0.90, 0.88, 0.85, 0.10, 0.95]
# The ten pairs, by |metric difference|:
#   (0,1) 0.02 human tie      (1,2) 0.03 concordant     (0,2) 0.05 concordant
#   (0,4) 0.05 discordant     (1,4) 0.07 discordant     (2,4) 0.10 human tie
#   (2,3) 0.75 concordant     (1,3) 0.78 concordant     (0,3) 0.80 concordant
#   (3,4) 0.85 concordant
# epsilon 0:    6 concordant agree                       -> 6/10
# epsilon 0.02: + the human tie (0,1)                    -> 7/10  (the best)
# epsilon 0.03: - concordant (1,2)                       -> 6/10
# epsilon 0.05: - concordant (0,2); (0,4) was wrong      -> 5/10
# epsilon 0.10: + the human tie (2,4)                    -> 6/10 ... larger only loses


def test_tie_calibrated_accuracy_counted_by_hand():
    result = pairwise_accuracy(HUMAN, METRIC)
    assert result.accuracy == pytest.approx(0.7)
    assert result.epsilon == pytest.approx(0.02)


@pytest.mark.parametrize("epsilon, expected", [(0.0, 0.6), (0.02, 0.7), (0.03, 0.6), (0.05, 0.5), (0.10, 0.6),
                                                (1.0, 0.2)])
def test_accuracy_at_a_fixed_epsilon(epsilon, expected):
    # 1.0 ties every pair: only the two human ties agree
    assert accuracy_at(HUMAN, METRIC, epsilon + 1e-12) == pytest.approx(expected)


def test_grouped_accuracy_weighs_each_group_the_same():
    # group a = items 0, 1, 2: (0,1) tie 0.02, (1,2) conc 0.03, (0,2) conc 0.05
    # group b = items 3, 4: (3,4) conc 0.85
    # epsilon 0: a 2/3, b 1 -> 5/6; epsilon 0.02: a 3/3, b 1 -> 1.0
    result = pairwise_accuracy(HUMAN, METRIC, ["a", "a", "a", "b", "b"])
    assert result.accuracy == pytest.approx(1.0)
    assert result.epsilon == pytest.approx(0.02)


def test_exact_metric_ties_are_ties_at_every_epsilon():
    # a constant metric ties every pair: it agrees on the human ties only (1 of 3)
    result = pairwise_accuracy([1, 1, 0], [0.5, 0.5, 0.5])
    assert result.accuracy == pytest.approx(1 / 3) and result.epsilon == 0.0


def test_a_coarse_score_gains_nothing_from_ties():
    """tau_b rewards a score that ties what it cannot order; acc_eq does not
    when the humans do not tie those pairs."""
    human = [3, 2, 1, 0]
    coarse = [1, 1, 0, 0]  # orders 4 of 6 pairs right, ties 2
    assert pairwise_accuracy(human, coarse).accuracy == pytest.approx(4 / 6)
    assert pairwise_accuracy(human, [4, 3, 2, 1]).accuracy == pytest.approx(1.0)


def test_tau_b_counted_by_hand():
    # 6 concordant, 2 discordant, 2 tied in the human scores only, none in the metric:
    # (6 - 2) / sqrt((10 - 2) * (10 - 0))
    assert kendall_tau_b(HUMAN, METRIC) == pytest.approx(4 / math.sqrt(80))


def test_bootstrap_interval_holds_the_value_and_is_reproducible():
    rng = np.random.default_rng(1)
    human = rng.normal(size=60)
    metric = human + rng.normal(size=60)
    groups = np.repeat(np.arange(20), 3)
    stat = lambda rows, _: kendall_tau_b(human[rows], metric[rows])  # noqa: E731
    a = bootstrap(stat, groups, resamples=50, seed=3)
    assert a.low <= a.value <= a.high and a.low < a.high
    assert a == bootstrap(stat, groups, resamples=50, seed=3)


def test_bootstrap_never_pairs_an_item_with_its_copy():
    """A group drawn twice is two groups: the grouped statistic sees no pair of
    an item with itself (which would be a human tie the metric always 'gets')."""
    seen = []

    def stat(rows, labels):
        for g in set(labels.tolist()):
            members = rows[labels == g]
            seen.append(len(members) == len(set(members.tolist())))
        return 0.0

    bootstrap(stat, ["a", "a", "b", "b", "c"], resamples=30, seed=0)
    assert all(seen)


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        pairwise_accuracy([1, 2], [1, 2, 3])
