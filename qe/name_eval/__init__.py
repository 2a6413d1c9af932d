"""How well the name and number checks work, on data written outside qe and
on minimal pairs of our own; `qe eval-names` prints these figures.

- demetr: DEMETR's minimal pairs (a name removed, a number replaced);
- mqm: MQM20, real MT name errors marked by professional raters;
- seed: the hand-made gold of corpora/ft-call, through the whole pipeline;
- pairs: corpora/name-pairs, English and Swedish minimal pairs written for qe;
- common: reading the sets, and the name stage's flags on one sentence pair.

Nothing here prints; qe.cli formats the figures.
"""

from qe.name_eval.common import pair_flags, read_tsv
from qe.name_eval.demetr import (DEFAULT_DEMETR, DEFAULT_REVIEW, DEMETR_FILES, DemetrScore, _flag_key,
                                 demetr_available, demetr_failures, demetr_rows, demetr_score,
                                 demetr_split_scores, read_review, review_key, reviewed_real_flags)
from qe.name_eval.mqm import DEFAULT_MQM, MqmRow, MqmScore, mqm_failures, mqm_score, mqm_scored
from qe.name_eval.mqm import summarise as mqm_summary
from qe.name_eval.seed import DEFAULT_SEED, Overhead, SeedScore, names_overhead, score_seed, seed_scores


__all__ = [
    "DEFAULT_DEMETR", "DEFAULT_MQM", "DEFAULT_REVIEW", "DEFAULT_SEED", "DEMETR_FILES", "DemetrScore", "MqmRow",
    "MqmScore", "Overhead", "SeedScore", "demetr_available", "demetr_failures", "demetr_rows", "demetr_score",
    "demetr_split_scores", "mqm_failures", "mqm_score", "mqm_scored", "mqm_summary", "names_overhead", "pair_flags", "read_review",
    "read_tsv", "review_key", "reviewed_real_flags", "score_seed", "seed_scores",
]
