"""qe calibrate: reading judged pairs, fitting, cross-validation by group, and
the command's output (model-free embedder: exact and fast)."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from qe.calibrate import (cross_validated, fit_logistic, fit_model, folds_by_group, major_targets,
                          read_judgements)
from qe.cli import app
from qe.errors import InputError
from qe.risk import load_model_file, model_for

WMT_HEADER = "lp\tsystem\tkind\tseg_id\tsrc\tmt\tref\tref_name\tmqm\n"


def test_plain_tsv_with_or_without_header(write):
    body = "The talks failed.\tThe talks collapsed.\t-1\nIt rained.\tIt rained.\t0\n"
    for text in (body, "original\ttranslation\tscore\n" + body):
        j = read_judgements(write("j.tsv", text))
        assert [(r.original, r.score, r.group) for r in j.rows] == [("The talks failed.", -1.0, "The talks failed."),
                                                                     ("It rained.", 0.0, "It rained.")]
        assert j.languages == ("en", "en") and not j.crosslingual


def test_wmt_file_reference_or_source_as_original(write):
    text = WMT_HEADER + "en-de\tsysA\tmt\t4\tHello there.\tHallo da.\tHallo.\tref-A\t-1.0\n" \
                        "en-de\tsysB\tmt\t4\tHello there.\t\tHallo.\tref-A\t-25.0\n"
    j = read_judgements(write("w.tsv", text))
    assert [(r.original, r.translation, r.group) for r in j.rows] == [("Hallo.", "Hallo da.", "4")]
    assert j.languages == ("de", "de") and j.skipped == 1  # an empty translation: nothing to measure
    s = read_judgements(write("w.tsv", text), source_side=True)
    assert s.rows[0].original == "Hello there." and s.languages == ("en", "de") and s.crosslingual


@pytest.mark.parametrize("text, message", [
    ("a\tb\n", "expected original<TAB>translation<TAB>score"),
    ("a\tb\tgood\n", "is not a number"),
    ("a\tb\tnan\n", "finite"),
    ("", "no rows"),
    (WMT_HEADER + "en-de\ts\tmt\t1\tx\ty\tz\tr\t0\nzh-en\ts\tmt\t1\tx\ty\tz\tr\t0\n", "one language pair"),
])
def test_bad_judgement_files_are_one_clear_error(write, text, message):
    with pytest.raises(InputError, match=message):
        read_judgements(write("bad.tsv", text))


def test_logistic_fit_recovers_known_coefficients():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 2))
    p = 1 / (1 + np.exp(-(0.5 + 1.5 * x[:, 0] - 1.0 * x[:, 1])))
    y = (rng.random(4000) < p).astype(float)
    intercept, weights = fit_logistic(x, y, l2=0.0)
    assert intercept == pytest.approx(0.5, abs=0.15)
    assert weights == pytest.approx([1.5, -1.0], abs=0.15)


def test_folds_keep_each_group_whole():
    groups = [f"seg{k // 8}" for k in range(80)]  # eight systems per segment
    fold = folds_by_group(groups, 5)
    for g in set(groups):
        assert len({fold[i] for i, x in enumerate(groups) if x == g}) == 1
    assert sorted(set(fold)) == [0, 1, 2, 3, 4]


def test_cross_validation_never_scores_a_row_with_a_model_fitted_on_its_group(monkeypatch):
    import qe.calibrate as calibrate

    rng = np.random.default_rng(1)
    groups = [f"g{k // 4}" for k in range(60)]
    features = [{"similarity": float(rng.random()), "chrf": float(rng.random()), "row": k} for k in range(60)]
    targets = (rng.random(60) < 0.5).astype(float)
    trained_on: list[set] = []
    real_fit = calibrate.fit_model

    def spy(rows, *args, **kwargs):
        trained_on.append({groups[f["row"]] for f in rows})
        return real_fit(rows, *args, **kwargs)

    monkeypatch.setattr(calibrate, "fit_model", spy)
    base, _ = model_for("hashing-256")
    cross_validated(features, targets, groups, base, folds=5)
    fold = folds_by_group(groups, 5)
    for k, seen in enumerate(trained_on):
        held_out = {groups[i] for i in range(60) if fold[i] == k}
        assert held_out and not (held_out & seen)


def test_a_refit_keeps_hand_set_terms_and_drops_what_the_data_cannot_show():
    base, _ = model_for("hashing-256")
    rng = np.random.default_rng(2)
    features = [{"similarity": float(rng.random()), "chrf": float(rng.random()), "foreign_script": 0.0}
                for _ in range(50)]
    fitted = fit_model(features, (rng.random(50) < 0.5).astype(float), base, fitted_on="x", target="y")
    terms = {t.feature: t for t in fitted.terms}
    assert terms["similarity"].fitted and terms["chrf"].fitted
    assert "foreign_script" not in terms  # never varies here: no term
    assert not terms["low_confidence"].fitted  # a table of pairs cannot show it: kept as set by hand
    assert major_targets(np.array([0.0, -1.0, -5.0, -25.0])).tolist() == [0, 0, 1, 1]


GOOD = [("The minister resigned on Monday after the vote.", "The minister resigned on Monday after the vote.", 0),
        ("Prices rose by three percent in March.", "Prices went up three percent in March.", -0.1),
        ("The bridge will reopen next spring.", "The bridge reopens next spring.", 0),
        ("Farmers protested outside parliament.", "Farmers protested outside the parliament.", 0)]
BAD = [("The minister resigned on Monday after the vote.", "A cat sat quietly on the old mat.", -25),
       ("Prices rose by three percent in March.", "Prices fell sharply in the autumn.", -10),
       ("The bridge will reopen next spring.", "The bridge collapsed last winter.", -10),
       ("Farmers protested outside parliament.", "Fishermen celebrated inside a church.", -5)]


def test_calibrate_command_prints_the_fit_beside_single_measures_and_writes_a_loadable_model(write, tmp_path):
    rows = GOOD + BAD + [(o + " Again.", t + " Again.", s) for o, t, s in GOOD + BAD]
    feed = write("judged.tsv", "".join(f"{o}\t{t}\t{s}\n" for o, t, s in rows))
    out = tmp_path / "model.json"
    result = CliRunner().invoke(app, ["calibrate", str(feed), "--model", "hashing", "--folds", "4",
                                      "--resamples", "20", "--no-cache", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "16 rows in 8 groups (en->en)" in lines[0]
    assert lines[1].startswith("measure\ttau_b [95% CI]\tacc_eq [95% CI]")
    measures = [ln.split("\t")[0] for ln in lines[2:] if "\t" in ln and "[" in ln]
    assert measures[0] == "risk (cross-validated)" and {"similarity", "chrF", "BLEU"} <= set(measures)
    model = load_model_file(out)
    assert model.embedding_model == "hashing-256" and model.fitted_on == "judged.tsv"
    assert json.loads(out.read_text())["figures"]["rows"] == "16"


def test_calibrate_refuses_too_few_groups(write):
    feed = write("judged.tsv", "".join(f"{o}\t{t}\t{s}\n" for o, t, s in GOOD + BAD))
    result = CliRunner().invoke(app, ["calibrate", str(feed), "--model", "hashing", "--no-cache"])
    assert result.exit_code == 3 and "cross-validation needs at least 10" in result.output
