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
             for f in name_eval.pair_flags(r["ref"], r["mt_good"]) if f.category == category}
    reviewed = {name_eval.review_key(r) for r in name_eval.read_review(name_eval.DEFAULT_REVIEW / f"{name}.tsv")}
    assert given - reviewed == set(), "flags nobody has read"
    assert reviewed - given == set(), "reviewed flags qe no longer gives"


# ------------------------------------------------------------------ MQM20 and minimal pairs

from qe.models import Flag, FlagKind, Severity  # noqa: E402
from qe.name_eval import mqm as mqm_eval  # noqa: E402
from qe.name_eval import pairs as pair_eval  # noqa: E402


def flag(original, found, severity="major", kind=FlagKind.CHANGED, category="name"):
    return Flag(kind=kind, severity=Severity(severity), original=original, found=found, message="", bead=0,
                src_sentence=0, tgt_sentence=0, category=category)


@pytest.mark.parametrize("found, span, text, expected", [
    ("Casella", "Casella", "Kasaila became Casella.", True),
    ("Nguyen Thi gold", "gold silver", "Nguyen Thi gold silver spoke.", True),  # shares "gold" in place
    ("the Party", "gold silver", "the Party met gold silver.", False),  # elsewhere in the sentence
    ("Shaw", "Shaw Hospital", "Shaw Shaw Hospital", True),  # any occurrence of each may meet
    (None, "Casella", "Casella", False),  # a missing name has no translation side
    ("casella", "Casella", "Casella", True),  # case aside
    ("Motley Crew", "Motley", "Lord Motley said", True),  # not verbatim: by shared words
])
def test_a_flag_reaches_a_marked_span_where_its_translation_side_overlaps_it(found, span, text, expected):
    assert mqm_eval.overlaps(found, span, text) is expected


def mqm_row(rid, kind, seg, spans, mt):
    return {"id": rid, "kind": kind, "doc": "d", "seg_id": seg, "spans": spans, "mt": mt}


def test_mqm_figures_count_spans_rows_and_source_sentences():
    rows = [
        # sentence 1, two systems: 2 of 3 marked spans reached
        mqm_eval.score_row(mqm_row("a", "name_error", "1", "Maomu ||| Xindi", "Maomu met Xindi."),
                           [flag("Motegi", "Maomu")]),
        mqm_eval.score_row(mqm_row("b", "name_error", "1", "Maomu", "Maomu left."), [flag("Motegi", "Maomu")]),
        # sentence 2: one clean row with a minor flag, one with none; one missed mark
        mqm_eval.score_row(mqm_row("c", "clean", "2", "", "Kyiv said."), [flag("Kiev", "Kyiv", "minor")]),
        mqm_eval.score_row(mqm_row("d", "clean", "2", "", "Kyiv said."), []),
        mqm_eval.score_row(mqm_row("e", "name_error", "2", "Motley", "Motley said."), []),
        # sentence 3: a clean row with a major flag, and a number flag that is not a name flag
        mqm_eval.score_row(mqm_row("f", "clean", "3", "", "Paris, 3."), [flag("Lyon", "Paris")]),
        mqm_eval.score_row(mqm_row("g", "clean", "3", "", "Oslo, 3."),
                           [flag("4", "3", kind=FlagKind.NUMBER_CHANGED, category="number")]),
    ]
    s = mqm_eval.summarise(rows)
    assert (s.spans, s.recall) == (4, pytest.approx(2 / 4))
    assert (s.error_rows, s.row_recall) == (3, pytest.approx(2 / 3))
    assert (s.clean_rows, s.clean_major, s.clean_any) == (4, pytest.approx(1 / 4), pytest.approx(2 / 4))
    # per sentence: recall 2/3 (sentence 1) and 0 (sentence 2); clean shares 0 and 1/2 (2), 1/2 and 1/2 (3)
    assert (s.sentences, s.sentence_recall) == (2, pytest.approx((2 / 3 + 0) / 2))
    assert (s.clean_sentences, s.sentence_clean_major, s.sentence_clean_any) == (
        2, pytest.approx((0 + 1 / 2) / 2), pytest.approx((1 / 2 + 1 / 2) / 2))
    assert [(why, r.id) for why, r in mqm_eval.mqm_failures(rows)] == [
        ("miss", "a"), ("noise", "c"), ("miss", "e"), ("noise", "f")]


def test_mqm_figures_read_a_file_in_the_shared_layout(tmp_path):
    columns = ["id", "split", "kind", "doc", "seg_id", "system", "ref_system", "spans", "src", "ref", "mt"]
    rows = [["1", "dev", "name_error", "d", "1", "s", "h", "Hosen", "x", "Officials in Kherson spoke.",
             "Officials in Hosen spoke."],
            ["2", "dev", "clean", "d", "1", "t", "h", "", "x", "Officials in Kherson spoke.",
             "Officials in Kherson spoke."]]
    write_tsv(tmp_path, "dev", rows, columns)
    s = mqm_eval.mqm_score(tmp_path / "dev.tsv")
    assert (s.spans, s.clean_rows) == (1, 1)
    assert 0.0 <= s.recall <= 1.0 and 0.0 <= s.clean_any <= 1.0
    with pytest.raises(InputError):
        write_tsv(tmp_path, "bad", [r[:8] for r in rows], columns[:8])
        mqm_eval.mqm_score(tmp_path / "bad.tsv")


def pair(expect, form="", severity="", category="name", lang="en", rid="p"):
    return {"id": rid, "lang": lang, "case": "c", "expect": expect, "category": category, "severity": severity,
            "form": form}


@pytest.mark.parametrize("row, flags, caught, graded, stray", [
    (pair("flag", "Peter Hultqvist", "major"), [flag("Peter", "Pierre")], True, True, 0),
    (pair("flag", "Sarah Mottram", "minor"), [flag("Sarah Mottram", "Sarah Motram")], True, False, 0),
    (pair("flag", "Linda Okafor"), [flag("", "Linda Okafor", "minor", FlagKind.ADDED)], True, True, 0),
    (pair("flag", "40", "major", "number"), [flag("40", "14", kind=FlagKind.NUMBER_CHANGED, category="number")],
     True, True, 0),
    (pair("flag", "40", "major", "number"), [flag("40", "14")], False, False, 1),  # a name flag is not a number flag
    (pair("flag", "Doha", "major"), [flag("Qatar", None, kind=FlagKind.MISSING)], False, False, 1),
    (pair("quiet"), [flag("If", None, kind=FlagKind.MISSING)], False, False, 1),
])
def test_a_pair_is_caught_by_a_flag_about_its_form(row, flags, caught, graded, stray):
    o = pair_eval.score_pair(row, flags)
    assert (o.caught, o.graded, len(o.stray)) == (caught, graded, stray)


def test_pair_figures_split_recall_grade_and_noise_by_language():
    outcomes = [pair_eval.score_pair(pair("flag", "Doha", "major", rid="1"), [flag("Doha", None)]),
                pair_eval.score_pair(pair("flag", "Kyiv", "minor", rid="2"), [flag("Kyiv", "Kiev")]),
                pair_eval.score_pair(pair("flag", "Umeå", "major", lang="sv", rid="3"), []),
                pair_eval.score_pair(pair("quiet", lang="sv", rid="4"), [flag("Om", None, "minor")]),
                pair_eval.score_pair(pair("quiet", rid="5"), [])]
    everything, en, sv = pair_eval.pair_scores(outcomes)
    assert (everything.flag_rows, everything.recall, everything.graded_recall) == (
        3, pytest.approx(2 / 3), pytest.approx(1 / 3))
    assert (everything.quiet_rows, everything.quiet_any, everything.quiet_major) == (2, 0.5, 0.0)
    assert (en.set, en.recall, en.quiet_any) == ("en", 1.0, 0.0)
    assert (sv.set, sv.recall, sv.quiet_any) == ("sv", 0.0, 1.0)
    assert [(why, o.id) for why, o in pair_eval.pair_failures(outcomes)] == [
        ("grade", "2"), ("miss", "3"), ("noise", "4")]


def test_a_pair_must_say_flag_or_quiet():
    with pytest.raises(InputError):
        pair_eval.score_pair(pair("maybe"), [])


# every kind of miss the issue lists, and the kinds that must stay quiet
KINDS_TO_FLAG = {"org-words-translated", "brand-caps-phrase", "first-name-foreign", "surname-respelled",
                 "added-sentence-name", "name-words-translated", "different-name", "name-dropped", "known-variant",
                 "number-changed", "number-dropped"}
KINDS_TO_KEEP_QUIET = {"possessive", "genitive", "exonym", "acronym-expansion", "capitalised-emphasis",
                       "sentence-start-word", "number-written"}


def test_bundled_minimal_pairs_cover_every_kind_in_both_languages():
    rows = pair_eval.pair_rows()
    assert len(rows) >= 100
    assert len({r["id"] for r in rows}) == len(rows)
    for lang in ("en", "sv"):
        flagged = {r["case"] for r in rows if r["lang"] == lang and r["expect"] == "flag"}
        quiet = {r["case"] for r in rows if r["lang"] == lang and r["expect"] == "quiet"}
        assert KINDS_TO_FLAG <= flagged, lang
        assert len(KINDS_TO_KEEP_QUIET & quiet) >= 5, lang
    for r in rows:
        assert r["expect"] in ("flag", "quiet") and r["original"] and r["translation"] and r["why"], r
        assert r["original"] != r["translation"], r
        if r["expect"] == "flag":
            assert r["category"] in ("name", "number") and r["form"] and r["severity"] in ("", "major", "minor"), r
            if r["case"] != "added-sentence-name":
                assert r["form"] in r["original"], r  # the form is the original's own


def test_the_bundled_minimal_pairs_give_figures():
    """The figures are computed over every pair (whatever they are today)."""
    outcomes = pair_eval.pair_outcomes()
    scores = pair_eval.pair_scores(outcomes)
    assert [s.set for s in scores] == ["all", "en", "sv"]
    assert scores[0].flag_rows + scores[0].quiet_rows == len(pair_eval.pair_rows())
    for s in scores:
        for share in (s.recall, s.graded_recall, s.stray, s.quiet_any, s.quiet_major):
            assert 0.0 <= share <= 1.0
        assert s.graded_recall <= s.recall and s.quiet_major <= s.quiet_any


def test_eval_names_prints_every_set(tmp_path):
    from typer.testing import CliRunner

    from qe.cli import app

    write_tsv(tmp_path, "ne_removed", ROWS)
    write_tsv(tmp_path, "numbers_replaced", [("0", "It took 3 days.", "It took 3 days.", "It took 4 days.")])
    write_tsv(tmp_path, "mqm", [["1", "name_error", "d", "1", "Hosen", "Officials in Kherson spoke.",
                                 "Officials in Hosen spoke."]],
              ["id", "kind", "doc", "seg_id", "spans", "ref", "mt"])
    columns = ["id", "lang", "case", "expect", "category", "severity", "form", "original", "translation", "why"]
    write_tsv(tmp_path, "pairs", [["1", "sv", "different-name", "flag", "name", "major", "Malmö",
                                   "Tåget till Malmö var sent.", "Tåget till Lund var sent.", "another city"]], columns)
    result = CliRunner().invoke(app, ["eval-names", "--demetr", str(tmp_path), "--mqm", str(tmp_path / "mqm.tsv"),
                                      "--pairs", str(tmp_path / "pairs.tsv"), "--skip-seed", "--show"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "demetr:ne_removed\t4\t0.500\t0.250\t0.250\t0.250" in lines
    assert any(line.startswith("rows\t1\t") for line in lines)  # MQM20 row figures
    assert any(line.startswith("per-sentence\t1\t") for line in lines)
    assert any(line.startswith("sv\t1\t") for line in lines)  # the Swedish pairs


# ------------------------------------------------------------------ by rule

from qe.name_eval import by_rule as rule_eval  # noqa: E402


@pytest.mark.parametrize("base, off, verdict", [
    ({"mqm.recall": 0.8, "mqm.clean_any": 0.1}, {"mqm.recall": 0.7, "mqm.clean_any": 0.1}, "helps"),
    ({"mqm.recall": 0.8, "mqm.clean_any": 0.1}, {"mqm.recall": 0.8, "mqm.clean_any": 0.05}, "costs"),
    ({"mqm.recall": 0.8, "mqm.clean_any": 0.1}, {"mqm.recall": 0.7, "mqm.clean_any": 0.05}, "mixed"),
    # an equivalence: off, more noise on one set, more recall on another
    ({"pairs.quiet_any": 0.2, "ne_removed.recall": 0.9}, {"pairs.quiet_any": 0.3, "ne_removed.recall": 0.95},
     "mixed"),
    ({"seed.precision": 1.0}, {"seed.precision": 1.0}, "idle"),
])
def test_a_rules_marginal_effect_is_off_minus_on_judged_by_each_figures_direction(base, off, verdict):
    delta = rule_eval.marginal(base, off)
    assert delta == {k: pytest.approx(off[k] - base[k]) for k in base}
    assert rule_eval.verdict(delta) == verdict


def test_eval_names_by_rule_prints_a_row_per_rule(tmp_path):
    from typer.testing import CliRunner

    from qe.cli import app

    write_tsv(tmp_path, "ne_removed", ROWS)
    write_tsv(tmp_path, "numbers_replaced", [("0", "It took 3 days.", "It took 3 days.", "It took 4 days.")])
    write_tsv(tmp_path, "mqm", [["1", "clean", "d", "1", "", "Talks in Doha ended.", "Talks ended."]],
              ["id", "kind", "doc", "seg_id", "spans", "ref", "mt"])
    columns = ["id", "lang", "case", "expect", "category", "severity", "form", "original", "translation", "why"]
    write_tsv(tmp_path, "pairs", [["1", "en", "name-dropped", "flag", "name", "major", "Doha",
                                   "Talks in Doha ended.", "Talks ended.", "the place left out"]], columns)
    result = CliRunner().invoke(app, ["eval-names", "--demetr", str(tmp_path), "--mqm", str(tmp_path / "mqm.tsv"),
                                      "--pairs", str(tmp_path / "pairs.tsv"), "--skip-seed", "--by-rule",
                                      "--rules", "N101", "--rules", "Q301"])
    assert result.exit_code == 0, result.output
    rows = {line.split("\t")[0]: line.split("\t") for line in result.output.splitlines() if "\t" in line}
    header = rows["rule"]
    # N101 (a name gone missing) off: the dropped Doha is no longer caught, the clean row no longer flagged
    n101 = dict(zip(header, rows["N101"]))
    assert (n101["pairs.recall"], n101["mqm.clean_any"], n101["verdict"]) == ("-1.000", "-1.000", "mixed")
    q301 = dict(zip(header, rows["Q301"]))
    assert q301["numbers.recall"] == "-1.000" and q301["mqm.recall"] == "."
    assert dict(zip(header, rows["all-on"]))["pairs.recall"] == "1.000"
