"""The name and number rules one by one: each has case-table rows that fail
without it (the flags change when the rule is switched off), and the rule
machinery (codes, patterns, config, CLI) holds together.

Rows: (code, original, translation, original language, translation language)
and, for rules about the neighbouring sentences, the neighbours' translation
and original. A flag rule's row must carry a flag of that rule; an
equivalence's row must gain a flag when the equivalence is off.
"""

from __future__ import annotations

import pytest

from qe.errors import ConfigError
from qe.models import Bead, Document, Sentence
from qe.names import check_bead_names, check_names, find_names
from qe.names.change import _change_rule
from qe.names.flags import EQUIVALENCE, RuleSet, ignored_codes
from qe.names.rules import BY_CODE, RULES, rule_codes, rule_table

RULE_CASES = [
    ("N101", 'Air accidents are common in Iran, which has an old fleet.',
     'Air accidents are common, which has an old fleet.', "en", "en"),
    ("N101", 'US President Donald Trump said the talks failed.',
     'President Donald Trump said the talks failed.', "en", "en"),
    ("N102", 'A dog crossed a road in Krasnodar Krai.',
     'A dog crossed a road in the Krasnoyarsk Territory.', "en", "en"),
    ("N102", 'According to Rádio Svobodná Evropa/Rádio Svoboda, the protest was smaller.',
     'According to Radio Free Europe/Radio Svetlana, the protest was smaller.', "en", "en"),
    ("N103", 'He works at the Center for International Security and Cooperation in California.',
     'He works at the Middle for Worldwide Safety and Cooperation in California.', "en", "en"),
    ("N103", 'Norwich was the worst team of the EPL.',
     'Norwich was the worst team of the Football League.', "en", "en"),
    ("N104", 'He met Marc in Paris.',
     'He met March in Paris.', "en", "en"),
    ("N104", 'Mayor Anne Hidalgo met officials from Lyon and Marseille on Friday.',
     'Mayor Anne Hidalgo met officials from Lion and Marseille on Friday.', "en", "en"),
    ("N105", 'Donald Trump met the king in Copenhagen on Tuesday.',
     'Donald Trump met the king in Helsinki on Tuesday.', "en", "en"),
    ("N105", 'A final vote is expected in Brussels.',
     'A final vote is expected in Bruges.', "en", "en"),
    ("N106", 'Bill Taylor, a former ambassador, spoke to reporters.',
     'Invoice Taylor, a former ambassador, spoke to reporters.', "en", "en"),
    ("N106", 'Reporters asked Margaret Hollis about the plan.',
     'Reporters asked Susan Hollis about the plan.', "en", "en"),
    ("N107", 'Men i Moskva är de tydliga.',
     'But in Minsk they are clear.', "sv", "en"),
    ("N107", 'Nato behövs som säkerhetsgaranti.',
     'The EU is needed as a security guarantee.', "sv", "en"),
    ("N108", 'Fighting continued in eastern Ukraine all week.',
     'Fighting continued in japanese Ukraine all week.', "en", "en"),
    ("N109", 'Troops advanced towards Kyiv overnight.',
     'Troops advanced towards Kiev overnight.', "en", "en"),
    ("N109", 'Analysts at DeepState mapped the front.',
     'Analysts at Deepstate mapped the front.', "en", "en"),
    ("N118", 'Harriet Pellow opened the debate.',
     'Harriet Pelow opened the debate.', "en", "en"),
    ("N118", 'Lena Hallengren svarade på frågan.',
     'Lena Halengren svarade på frågan.', "sv", "sv"),
    ("N226", 'Prices on the exchange are quoted in EUR.',
     'Prices on the exchange are quoted in euros.', "en", "en"),
    ("N110", 'The minister said the plan would work.',
     'The minister said in Brussels the plan would work.', "en", "en"),
    ("N110", 'The bill is being debated by the deputies.',
     'The bill is being debated in the Chamber of Deputies.', "en", "en"),
    ("N112", 'UNESCO listed the site in 1990.',
     'The United Nations listed the site in 1990.', "en", "en"),
    ("N112", 'He met Ed in Paris.',
     'He met Edinburgh in Paris.', "en", "en"),
    ("N113", 'Greta Britain is another very popular country.',
     'Great Britain is another very popular country.', "en", "en"),
    ("N113", 'He heads the Czech Dental Chambre in Prague.',
     'He heads the Czech Dental Chamber in Prague.', "en", "en"),
    ("N114", 'Tickets are sold by the Asociación Argentina de Polo.',
     'Tickets are sold by the Argentine Polo Association.', "en", "en"),
    ("N115", 'He met Steven Pifer in Washington.',
     'He met Steven Pipe in Washington.', "en", "en"),
    ("N115", 'He met Peter Slezkine in Washington.',
     'He met Peter Sleeping in Washington.', "en", "en"),
    ("N117", 'Mötet hölls i Lyon.',
     'Mötet hölls i Lion.', "sv", "sv"),
    ("N201", 'Reports reached the United States Geological Survey at noon.',
     'Reports reached the U.S. Geological Survey at noon.', "en", "en"),
    ("N201", 'Hon arbetar på United States Geological Survey i dag.',
     'Hon arbetar på US Geological Survey i dag.', "sv", "sv"),
    ("N202", 'He has been mayor since Novembre 2014.',
     'He has been mayor since November 2014.', "en", "en"),
    ("N202", 'Police arrested Artjom Suvorov in Runnels.',
     'Police arrested Artem Suvorov in Runalls.', "en", "en"),
    ("N203", 'Arun Banner Police received a call at noon.',
     'Arun Banner Public Security Bureau received a call at noon.', "en", "en"),
    ("N203", 'Hon arbetar på Arun Banner Skola sedan i fjol.',
     'Hon arbetar på Arun Banner Tekniska Högskola sedan i fjol.', "sv", "sv"),
    ("N204", 'A dog crossed a road in Krasnodar Krai.',
     'A dog crossed a road in the Krasnodar Territory.', "en", "en"),
    ("N204", 'Fighting in Kherson Oblast continued.',
     'Fighting in Kherson Region continued.', "en", "en"),
    ("N205", 'Turkey will guard captured ISIS fighters.',
     'Turkey will guard captured Islamic State fighters.', "en", "en"),
    ("N205", 'Norwich was the worst team of the EPL.',
     'Norwich was the worst team of the Premier League.', "en", "en"),
    ("N206", 'As noted by Rz, the budget is virtual.',
     'As Rzeczpospolita notes, the budget is virtual.', "en", "en"),
    ("N206", 'Enligt Rz är budgeten virtuell.',
     'Enligt Rzeczpospolita är budgeten virtuell.', "sv", "sv"),
    ("N207", 'The team flew to Nizza on Monday.',
     'The team flew to Nice on Monday.', "en", "en"),
    ("N207", 'He lives in Naples now.',
     'He lives in Napoli now.', "en", "en"),
    ("N210", 'Donald Trump spoke first.',
     'Trump spoke first.', "en", "en"),
    ("N210", 'In his interview for Rz Schetyna also said that Kaczynski is afraid.',
     'In an interview for Rzeczpospolita, Schetyna also said that Kaczynski is afraid.', "en", "en"),
    ("N211", 'Argentine First Lady Cristina Fernandez announced her candidacy.',
     'Cristina Fernandez, first lady of Argentina, announced her candidacy.', "en", "en"),
    ("N211", 'She has led the Kherson Oblast Military Administration since last year.',
     'She has led the Kherson Military Administration since last year.', "en", "en"),
    ("N222", 'The Vietnam News Agency (VNA) reports that talks went well.',
     'According to the Vietnam News Agency, talks went well.', "en", "en"),
    ("N222", 'Dr. Tony Moll discovered the Extremely Drug Resistant Tuberculosis (XDR-TB) in the region.',
     'Dr. Tony Moll discovered highly drug-resistant tuberculosis in the region.', "en", "en"),
    ("N223", 'Taxis go to Paro (Nu 150) and Punakha (Nu 200).',
     'Taxis go to Paro (150 ngultrums) and Punakha (200 ngultrums).', "en", "en"),
    ("N223", 'Taxis go to Paro (Nu 150) and Punakha.',
     'Taxis go to Paro (150 ngultrums) and Thimphu.', "en", "en"),
    ("N224", 'No state required voters to show a photo ID card.',
     'No state required voters to present photo identification.', "en", "en"),
    ("N224", 'City would then be waiting in the next KO round.',
     'In the next knockout round, City would be waiting.', "en", "en"),
    ("N225", 'Dr. Tony Moll discovered the Extremely Drug Resistant Tuberculosis (XDR-TB) in the region.',
     'Dr. Tony Moll discovered highly drug-resistant tuberculosis (XDR-TB) in the region.', "en", "en"),
    ("N225", 'Läkare upptäckte Extremt Resistent Tuberkulos (XDR-TB) i regionen.',
     'Läkare upptäckte mycket resistent tuberkulos (XDR-TB) i regionen.', "sv", "sv"),
    ("N230", 'The marines have protected Russia for 300 years, Putin said.',
     'The Navy has protected Russia for 300 years, Putin said.', "en", "en"),
    ("N230", 'Feral children may have been abandoned.',
     'Wolf children may have been abandoned.', "en", "en"),
    ("N233", 'In his interview for Rz Schetyna also said that Kaczynski is afraid.',
     'In an interview for Rzeczpospolita, Schetyna also said that Kaczynski is afraid.', "en", "en"),
    ("N233", 'I sin intervju för Rz Schetyna sa också att Kaczynski är rädd.',
     'I en intervju för Rzeczpospolita sa Schetyna också att Kaczynski är rädd.', "sv", "sv"),
    ("Q301", 'Taxis go to Paro (Nu 150) and Punakha.',
     'Taxis go to Paro (250 ngultrums) and Punakha.', "en", "en"),
    ("Q301", 'En taxi till Paro (Nu 150) är billig.',
     'En taxi till Paro (250 ngultrum) är billig.', "sv", "sv"),
    ("Q303", 'Cases of Covid-19 rose.',
     'Cases of Covid-22 rose.', "en", "en"),
    ("Q303", 'He led Bulgaria through the Covid-19 pandemic.',
     'He led Bulgaria through the covid-93 pandemic.', "en", "en"),
    ("Q304", 'She was ambassador from 2006-09.',
     'She was ambassador from 2006.', "en", "en"),
    ("Q304", 'The programme started at 8:30 p.m. local time.',
     'The programme started at 21:30 local time.', "en", "en"),
    ("Q401", 'The two sides must talk.',
     'Both sides must talk.', "en", "en"),

    ("N212", "They called for an END to this War.", "De krävde ett slut på detta krig.", "en", "sv"),
    ("N213", "Kherson was shelled, and Kherson lost power.", "Kherson was shelled and lost power.", "en", "en"),
    ("N221", "Talks with the Russians resumed in the spring.", "Talks resumed in the spring.", "en", "en"),
    ("N221", "The talks resumed on Monday in Geneva.", "The talks resumed in Geneva.", "en", "en"),
    ("N232", "Bill Taylor spoke in Kyiv.", "Bill Taylor spoke in Kyiv with Taylor Industries.", "en", "en"),
    ("N234", "Dit reste han igår.", "Paris is where he went yesterday.", "sv", "en"),
    ("Q302", "The storm destroyed 14 houses overnight.", "The storm destroyed houses overnight.", "en", "en"),
]

# rules about the neighbouring sentences: (code, original, translation,
# neighbours' translation, neighbours' original)
CONTEXT_CASES = [
    ("N220", "The minister met Angela Merkel in the capital.", "The minister met the chancellor in the capital.",
     "Angela Merkel spoke afterwards. She was pleased.", "She spoke afterwards."),
    ("N231", "She spoke afterwards.", "Angela Merkel spoke afterwards.",
     "The minister met the chancellor.", "The minister met Angela Merkel."),
    ("Q402", "The ministry said 40 people were hurt.", "The ministry said people were hurt.",
     "Another 40 people were hurt in the north.", "Others were hurt in the north."),
]

# The change ladder on its own: (code, the original's sentence, the name in it,
# the form standing for it, rules switched off first). A rule that an earlier
# rule shadows on every pair is reached with that rule off.
LADDER_CASES = [
    ("N111", "Officials in Kyiv said so.", "Kyiv", "Kiev", ()),
    ("N116", "Officials said Gonzales agreed.", "Gonzales", "Gonzalez", ("N114", "N202")),
]


def _key(flags):
    return sorted((f.kind.value, f.original, f.found or "", f.rule) for f in flags)


def _check(code_off: frozenset[str], original, translation, src, tgt, context="", src_context=""):
    return _key(check_bead_names(original, translation, language=src, tgt_language=tgt, context_text=context,
                                 src_context_text=src_context, rules=RuleSet(code_off)))


def _assert_rule_decides(code, on, off):
    assert on != off, f"{code} changes nothing on its row"
    if BY_CODE[code].kind == EQUIVALENCE:
        assert set(off) - set(on), f"switching {code} off should let a flag through"
    else:
        assert any(f[3] == code for f in on), f"no flag of {code}: {on}"


@pytest.mark.parametrize("code,original,translation,src,tgt", RULE_CASES,
                         ids=[f"{c[0]}-{k}" for k, c in enumerate(RULE_CASES)])
def test_rule_row_fails_without_its_rule(code, original, translation, src, tgt):
    on = _check(frozenset(), original, translation, src, tgt)
    off = _check(frozenset({code}), original, translation, src, tgt)
    _assert_rule_decides(code, on, off)


@pytest.mark.parametrize("code,original,translation,context,src_context", CONTEXT_CASES,
                         ids=[c[0] for c in CONTEXT_CASES])
def test_neighbour_rule_row_fails_without_its_rule(code, original, translation, context, src_context):
    on = _check(frozenset(), original, translation, "en", "en", context, src_context)
    off = _check(frozenset({code}), original, translation, "en", "en", context, src_context)
    _assert_rule_decides(code, on, off)


@pytest.mark.parametrize("code,sentence,name,found,first_off", LADDER_CASES, ids=[c[0] for c in LADDER_CASES])
def test_ladder_rule_decides_its_row(code, sentence, name, found, first_off):
    (located,) = [n for n in find_names(sentence, "en") if n.text == name]
    before = RuleSet(frozenset(first_off))
    without = RuleSet(frozenset({*first_off, code}))
    decided = _change_rule(located, found, "en", rules=before)
    assert decided is not None and decided.code == code
    other = _change_rule(located, found, "en", rules=without)
    assert other is None or other.code != code


def test_every_rule_has_rows():
    covered = {c[0] for c in RULE_CASES} | {c[0] for c in CONTEXT_CASES} | {c[0] for c in LADDER_CASES}
    assert covered == set(BY_CODE), sorted(set(BY_CODE) - covered)


def test_rules_have_unique_codes_kinds_and_explanations():
    assert len({r.code for r in RULES}) == len(RULES)
    for r in RULES:
        assert r.code[0] in "NQ" and r.code[1:].isdigit() and len(r.code) == 4, r.code
        assert r.explanation and r.explanation.endswith(")") or r.explanation.endswith("."), r.code
        is_quiet = r.kind == EQUIVALENCE
        assert is_quiet == (r.severity is None), r.code
        assert is_quiet == (r.code[1] in "24"), r.code  # N2xx, Q4xx keep quiet; N1xx, Q3xx flag
    assert [row[0] for row in rule_table()] == sorted(BY_CODE)


@pytest.mark.parametrize("patterns,expected", [
    (["N101"], {"N101"}),
    (["n101"], {"N101"}),
    (["N22x"], {c for c in BY_CODE if c.startswith("N22")}),
    (["N2xx"], {c for c in BY_CODE if c.startswith("N2")}),
    (["N2"], {c for c in BY_CODE if c.startswith("N2")}),
    (["Q"], {c for c in BY_CODE if c.startswith("Q")}),
    (["N101", "Q4xx"], {"N101", *(c for c in BY_CODE if c.startswith("Q4"))}),
    ([], set()),
])
def test_ignore_patterns(patterns, expected):
    assert rule_codes(patterns) == expected


@pytest.mark.parametrize("pattern", ["N999", "Z1xx", "N1x1", "101", "", "N2xxx"])
def test_ignore_pattern_that_names_no_rule_is_an_error(pattern):
    with pytest.raises(ConfigError):
        ignored_codes([pattern], BY_CODE)


def _doc(text: str) -> Document:
    return Document(text, (Sentence(0, text, 0, 0, len(text)),), "en")


def test_check_names_switches_rules_off_by_pattern():
    src, tgt = _doc("Donald Trump met the king in Copenhagen."), _doc("Donald Trump met the king in Helsinki.")
    (flags,) = check_names(src, tgt, [Bead((0,), (0,))])
    assert [f.rule for f in flags] == ["N105"]
    assert check_names(src, tgt, [Bead((0,), (0,))], ignore_rules=["N1xx"]) == [[]]
    # another place switched off: the ladder's next rule says what changed
    (flags,) = check_names(src, tgt, [Bead((0,), (0,))], ignore_rules=["N105"])
    assert [f.rule for f in flags] == ["N102"]


def test_every_flag_of_the_seed_names_its_rule():
    from conftest import ROOT

    folder = ROOT / "corpora" / "ft-call"
    from qe.pipeline import document_from_text

    src = document_from_text((folder / "original.en.txt").read_text(encoding="utf-8"), "en")
    tgt = document_from_text((folder / "backtranslation.en.txt").read_text(encoding="utf-8"), "en")
    n = min(len(src.sentences), len(tgt.sentences))
    flags = [f for fl in check_names(src, tgt, [Bead((k,), (k,)) for k in range(n)]) for f in fl]
    assert flags and all(f.rule in BY_CODE for f in flags)
