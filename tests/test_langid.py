"""Language detection: every bundled document and fixture, the choice of a
run's languages, wrong-language and copied (untranslated) sentences."""

import re

import pytest

from qe import langid
from qe.bilingual.read import read_bilingual
from qe.models import Bead, FlagKind
from qe.pipeline import CheckConfig, document_from_text, resolve_languages

from conftest import CORPORA, ROOT

FIXTURES = ROOT / "tests" / "fixtures"
_LANG_IN_NAME = re.compile(r"\.(en|sv|fr|de)\.txt$")


def _bundled_documents():
    for path in sorted([*CORPORA.rglob("*.txt"), *FIXTURES.rglob("*.txt")]):
        m = _LANG_IN_NAME.search(path.name)
        if m:
            yield path, m.group(1)
        elif path.parent.name == "gold":  # gold lines: the language of their corpus side
            yield path, "sv" if (path.parents[1].name == "dn-editorial" and path.name.startswith("original")) else "en"


DOCUMENTS = list(_bundled_documents())


def test_every_bundled_document_is_found():
    assert len(DOCUMENTS) >= 14


@pytest.mark.parametrize("path,language", DOCUMENTS, ids=[str(p.relative_to(ROOT)) for p, _ in DOCUMENTS])
def test_detection_is_right_on_every_bundled_document(path, language):
    d = langid.detect(path.read_text(encoding="utf-8"))
    assert d.language == language and d.reliable


BILINGUAL = sorted((FIXTURES / "bilingual").glob("news*"))


@pytest.mark.parametrize("path", BILINGUAL, ids=[p.name for p in BILINGUAL])
def test_detection_is_right_on_every_bilingual_fixture(path):
    for doc in read_bilingual(path):
        units = doc.checked()
        src = langid.detect(" ".join(u.source.text for u in units))
        tgt = langid.detect(" ".join(u.target.text for u in units))
        # a PO file names no source language; the fixtures' msgids are English
        assert (src.language, tgt.language) == (doc.src_lang or "en", doc.tgt_lang)


def test_a_swedish_english_pair_needs_no_language_option():
    dn = CORPORA / "dn-editorial"
    config = resolve_languages(dn / "original.sv.txt", dn / "translation.en.txt",
                               CheckConfig(src_lang="auto", tgt_lang="auto"))
    assert (config.src_lang, config.tgt_lang) == ("sv", "en")
    assert config.needs_multilingual_model
    assert [c.how for c in config.language_choices] == ["detected", "detected"]


def test_a_french_pair_needs_the_multilingual_model_with_no_option():
    fr = "Le gouvernement a annoncé mardi une réforme des retraites qui sera votée au printemps."
    en = "The government announced on Tuesday a pension reform that will be voted on in the spring."
    config = resolve_languages(fr, en, CheckConfig(src_lang="auto", tgt_lang="auto"), texts=True)
    assert (config.src_lang, config.tgt_lang) == ("fr", "en")
    assert config.needs_multilingual_model


def test_an_explicit_option_wins_and_text_too_short_falls_back_and_says_so():
    chosen = langid.choose("original", "Hej", "auto")
    assert (chosen.language, chosen.how) == ("en", "fallback")
    assert "too short" in chosen.note()
    assert langid.choose("original", "Hej", "sv").how == "option"
    from_file = langid.choose("translation", "OK", "auto", "fr-FR")
    assert (from_file.language, from_file.how, from_file.note()) == ("fr", "file", None)


def test_a_file_attribute_the_text_contradicts_is_noted():
    text = "Regeringen meddelade på tisdagen att den kommer att lägga fram ett nytt förslag om skatter."
    note = langid.choose("translation", text, "auto", "de").note()
    assert "declared 'de'" in note and "'sv'" in note


@pytest.mark.parametrize("source,target,copied", [
    ("Putin vet visst hur han kan ta sig ut.", "Putin vet visst hur han kan ta sig ut.", True),
    ("Putin vet visst hur han kan ta sig ut.", "putin  vet visst hur han kan ta sig ut.", True),
    ("Bill Taylor", "Bill Taylor", False),  # names stay the same in every language
    ("COVID-19 in 2020", "COVID-19 in 2020", False),
    ("Putin vet visst.", "Putin knows full well.", False),
])
def test_is_copied(source, target, copied):
    assert langid.is_copied(source, target) is copied


@pytest.mark.parametrize("text,expected,wrong", [
    ("Le gouvernement a annoncé mardi une réforme des retraites.", "en", "fr"),
    ("Regeringen meddelade på tisdagen att den kommer att lägga fram ett förslag.", "en", "sv"),
    ("The government announced on Tuesday that it will present a proposal.", "en", None),
    # names say nothing about a language: a name-heavy English sentence stays English
    ("The Kremlin said Vladimir Putin met Sergei Lavrov in Moskva.", "en", None),
    # a sibling language is not called wrong on one sentence
    ("Regjeringen kunngjorde tirsdag at den vil legge fram et forslag om skatt.", "sv", None),
    ("OK", "en", None),  # too short to tell
])
def test_wrong_language(text, expected, wrong):
    d = langid.wrong_language(text, expected)
    assert (d.language if d else None) == wrong


def test_language_flags_per_sentence_of_a_mixed_translation():
    src = document_from_text("Det regnar i dag. Solen skiner i morgon över hela landet.", "sv")
    tgt = document_from_text("It is raining today. Le soleil brillera demain sur tout le pays.", "en")
    flags = langid.language_flags(src, tgt, [Bead((0,), (0,)), Bead((1,), (1,))])
    assert flags[0] == []
    assert [f.kind for f in flags[1]] == [FlagKind.WRONG_LANGUAGE]
    assert flags[1][0].found == "fr" and flags[1][0].tgt_sentence == 1


def test_copied_source_is_untranslated_only_across_languages():
    text = "Putin vet visst hur han kan ta sig ut ur Ukraina."
    sv, en = document_from_text(text, "sv"), document_from_text(text, "en")
    bead = [Bead((0,), (0,))]
    assert [f.kind for f in langid.language_flags(sv, en, bead)[0]] == [FlagKind.UNTRANSLATED]
    same = document_from_text(text, "sv")
    assert langid.language_flags(sv, same, bead) == [[]]


def test_base_language():
    assert [langid.base_language(c) for c in ("en-US", "pt_BR", "zh-Hans", "", None, "SV")] == \
        ["en", "pt", "zh", None, None, "sv"]


def test_name_flags_of_a_sentence_in_the_wrong_language_are_superseded():
    from qe.models import Flag, Severity

    name = Flag(FlagKind.CHANGED, Severity.MAJOR, "Att Putin", "L'idée", "m", 0, 0, 0, category="name")
    number = Flag(FlagKind.NUMBER_CHANGED, Severity.MAJOR, "2", "3", "m", 0, 0, 0, category="number")
    foreign = Flag(FlagKind.WRONG_LANGUAGE, Severity.MAJOR, "en", "fr", "m", 0, 0, 0, category="language")
    assert langid.supersede([name, number, foreign], Bead((0,), (0,))) == [number, foreign]
    # one sentence of two in another language: the names of the other still count
    assert langid.supersede([name, foreign], Bead((0,), (0, 1))) == [name, foreign]


def test_a_mixed_language_original_is_reported_per_sentence():
    doc = document_from_text("Regeringen meddelade på tisdagen att den kommer att lägga fram ett förslag. "
                             "The government said on Tuesday that it would present a new proposal soon. "
                             "Förslaget gäller skatterna på bensin och diesel i hela landet.", "sv")
    note = langid.mixed_note(doc, "original")
    assert note == "the original mixes languages: 1 of 3 sentences read as 'en', not 'sv' (s2)"
    assert langid.mixed_note(document_from_text("Det regnar i dag över hela landet och i morgon.", "sv"),
                             "original") is None
