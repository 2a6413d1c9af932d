"""The DEMETR figures `qe eval-names` prints, on small files of our own in
DEMETR's layout: what counts as a caught break and as a false flag."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qe import name_eval
from qe.errors import InputError, MissingFileError

COLUMNS = ["id", "ref", "mt_good", "mt_bad"]

# (id, reference, correct translation, broken translation)
ROWS = [
    # the break removes a name the correct translation keeps: caught
    ("0", "The talks in Geneva were led by Antony Blinken.",
     "The talks in Geneva were led by Antony Blinken.",
     "The talks were led by Antony Blinken."),
    # the correct translation already mangles a name and the broken one only
    # repeats that flag: a false flag on mt_good, and no evidence of the break
    ("1", "Donald Trump met the king in Copenhagen on Tuesday.",
     "Donald Trump met the king in Helsinki on Tuesday.",
     "Donald Trump met the king in Helsinki on Tuesday."),
    # the break swaps a name; the correct translation is clean: caught
    ("2", "Officials in Kherson said the bridge was closed.",
     "Officials in Kherson said the bridge was closed.",
     "Officials in Hosen said the bridge was closed."),
    # a broken translation the check does not notice: a miss, quiet mt_good
    ("3", "The meeting lasted two hours.",
     "The meeting lasted two hours.",
     "The meeting lasted two hours."),
]


def write_tsv(directory: Path, name: str, rows, columns=COLUMNS) -> None:
    with (directory / f"{name}.tsv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
        writer.writerow(columns)
        writer.writerows(rows)


def test_scores_count_breaks_the_check_caught_and_flags_on_correct_translations(tmp_path):
    write_tsv(tmp_path, "ne_removed", ROWS)
    scores = name_eval.demetr_split_scores(tmp_path, "ne_removed", review=None)
    whole = scores["all"]
    assert whole.rows == 4
    assert whole.recall == pytest.approx(2 / 4)  # rows 0 and 2; row 1's only flag is mt_good's too
    assert whole.flagged_rate == pytest.approx(1 / 4)
    assert whole.major_flagged_rate == pytest.approx(1 / 4)
    assert whole.false_flag_rate == pytest.approx(1 / 4)  # unreviewed: every flag counts as false
    assert (scores["even"].rows, scores["even"].recall) == (2, 1.0)  # ids 0 and 2
    assert (scores["odd"].rows, scores["odd"].recall, scores["odd"].flagged_rate) == (2, 0.0, 0.5)


def test_failures_list_misses_and_false_flags_by_row(tmp_path):
    write_tsv(tmp_path, "ne_removed", ROWS)
    found = [(kind, row["id"]) for kind, row, _ in name_eval.demetr_failures(tmp_path, "ne_removed")]
    assert found == [("miss", "1"), ("false", "1"), ("miss", "3")]


@pytest.mark.parametrize("case, columns, error", [
    ("no such file", None, MissingFileError),
    ("no mt_bad column", ["id", "ref", "mt_good"], InputError),
])
def test_unreadable_eval_data_is_a_clear_error(tmp_path, case, columns, error):
    if columns is not None:
        write_tsv(tmp_path, "ne_removed", [row[:len(columns)] for row in ROWS], columns)
    with pytest.raises(error):
        name_eval.demetr_split_scores(tmp_path, "ne_removed", review=None)


REVIEW_COLUMNS = ["id", "kind", "original", "found", "verdict", "why"]


@pytest.mark.parametrize("case, review_rows, false_rate", [
    ("flag read as a real difference", [("1", "changed", "Copenhagen", "Helsinki", "real", "another city")], 0.0),
    ("flag read as false", [("1", "changed", "Copenhagen", "Helsinki", "false", "")], 1 / 4),
    # a verdict holds for the flag it was given on: another counterpart is unreviewed
    ("review of another counterpart", [("1", "changed", "Copenhagen", "Oslo", "real", "")], 1 / 4),
    ("review of another row", [("2", "changed", "Copenhagen", "Helsinki", "real", "")], 1 / 4),
])
def test_reviewed_flags_are_not_false_flags(tmp_path, case, review_rows, false_rate):
    write_tsv(tmp_path, "ne_removed", ROWS)
    review = tmp_path / "review"
    review.mkdir()
    write_tsv(review, "ne_removed", review_rows, REVIEW_COLUMNS)
    whole = name_eval.demetr_split_scores(tmp_path, "ne_removed", review=review)["all"]
    assert whole.flagged_rate == pytest.approx(1 / 4)
    assert whole.false_flag_rate == pytest.approx(false_rate)


def test_a_review_without_verdicts_is_a_clear_error(tmp_path):
    write_tsv(tmp_path, "ne_removed", ROWS)
    review = tmp_path / "review"
    review.mkdir()
    write_tsv(review, "ne_removed", [("1", "changed", "Copenhagen")], ["id", "kind", "original"])
    with pytest.raises(InputError):
        name_eval.demetr_split_scores(tmp_path, "ne_removed", review=review)


@pytest.mark.parametrize("name", sorted(name_eval.DEMETR_FILES))
def test_bundled_reviews_give_every_flag_a_verdict_and_a_reason(name):
    rows = name_eval.read_review(name_eval.DEFAULT_REVIEW / f"{name}.tsv")
    assert rows
    for r in rows:
        assert r["verdict"] in ("real", "false"), r
        assert r["why"].strip(), r
        assert r["original"] or r["found"], r
    assert len({name_eval.review_key(r) for r in rows}) == len(rows)


@pytest.mark.skipif(not name_eval.demetr_available(), reason="DEMETR data is not beside this checkout")
@pytest.mark.parametrize("name", sorted(name_eval.DEMETR_FILES))
def test_bundled_reviews_cover_the_flags_qe_gives_now(name):
    """A rule change that alters mt_good flags leaves the review stale: the
    unreviewed flags count as false, and this says which to read."""
    category, _ = name_eval.DEMETR_FILES[name]
    given = {name_eval._flag_key(r["id"], f) for r in name_eval.demetr_rows(name_eval.DEFAULT_DEMETR, name)
             for f in name_eval._pair_flags(r["ref"], r["mt_good"]) if f.category == category}
    reviewed = {name_eval.review_key(r) for r in name_eval.read_review(name_eval.DEFAULT_REVIEW / f"{name}.tsv")}
    assert given - reviewed == set(), "flags nobody has read"
    assert reviewed - given == set(), "reviewed flags qe no longer gives"
