"""What kind of change a name underwent, given the form that stands for it.

A `Change` is an original name and the translation's form standing for it.
Two ordered tables of rules decide it:

- CHANGE_RULES, a ladder walked in order, the first rule that holds names the
  flag: a look-alike dictionary word (Lyon -> Lion), another place, another
  word, a respelling, an abbreviation... down to N102, another name;
- CHANGE_EQUIVALENCES, which keep the change quiet: a part put in its table
  equivalent, an unknown respelling, reworded descriptive words, foreign words
  put into the language, an acronym beside its expansion, a clipped name.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass

from qe.models import FlagKind, Severity
from qe.names.counterpart import _word_renders
from qe.names.equivalence import (
    _abbreviates, _clipped_name, _short_expansion, _unknown_respelling, distinct_places, distinct_words,
    ordinary_word_alternate, same_entity,
)
from qe.names.extraction import Name
from qe.names.flags import ALL_ON, Rule, RuleSet, quiets, raises
from qe.names.gazetteer import _entity_ids, _main_place_name, _place_index, is_known_place
from qe.names.lexicon import _word_set, zipf
from qe.names.settings import SETTINGS
from qe.names.text import CONNECTORS, Token, _is_acronym, _key, _transposed, skeleton, spelling_key, tokenize


@dataclass(frozen=True)
class Change:
    """An original name and the form the translation has in its place."""

    name: Name
    found: str
    language: str
    cross: bool = False

    @functools.cached_property
    def new_words(self) -> list[Token]:
        """The found form's words that spell none of the name's (connectors aside)."""
        orig = {spelling_key(w) for w in self.name.core}
        return [t for t in tokenize(self.found, self.language) if spelling_key(t.norm) not in orig
                and t.text.casefold() not in CONNECTORS]

    @functools.cached_property
    def lost(self) -> list[str]:
        """The name's core words the found form does not spell."""
        kept = {spelling_key(t.norm) for t in tokenize(self.found, self.language)}
        return [w for w in self.name.core if spelling_key(w) not in kept]

    @functools.cached_property
    def one_for_one(self) -> bool:
        return len(self.new_words) == 1 and len(self.lost) == 1

    @functools.cached_property
    def diff(self) -> tuple[list[str], list[str], list[str], bool]:
        """The word diff (same language only): the name's words, those lost and
        those added once table equivalents are dropped, and whether dropping
        them left no difference at all."""
        if self.cross:
            return [], [], [], False
        old, lost_words, added_words = _word_diff(self.name, self.found, self.language)
        lost, added = _drop_equivalent_runs(lost_words, added_words)
        return old, lost, added, bool(lost_words or added_words) and not (lost or added)


# ------------------------------------------------------------------ the ladder


@raises("N104", FlagKind.COMMON_WORD)
def _look_alike_word(c: Change) -> bool:
    """A spelling of the name that is an ordinary word of the language stands for it (Lyon -> Lion)."""
    return any(ordinary_word_alternate(w, c.found, c.language) and (
        _entity_ids(w, places=True) & _entity_ids(c.found, places=True) or skeleton(w) == skeleton(c.found))
        for w in [c.name.text, *c.name.core])


@raises("N107", FlagKind.CHANGED)
def _other_form_across_languages(c: Change) -> bool:
    """Across languages another form is a change: word frequencies of two languages do not compare."""
    return c.cross


@raises("N111", FlagKind.VARIANT, Severity.MINOR)
def _known_variant(c: Change) -> bool:
    """Another known form of the same name (a table variant, a transliteration, an acronym)."""
    return same_entity(c.name.text, c.found, language=c.language) \
        or same_entity(" ".join(c.name.core), c.found, language=c.language)


@raises("N112", FlagKind.VARIANT, Severity.MINOR)
def _abbreviation(c: Change) -> bool:
    """An abbreviation of the name, or the name of an abbreviation (ISIS / Islamic State, Rz / Rzeczpospolita)."""
    return _abbreviates(c.name.text, c.found) or _abbreviates(c.found, c.name.text)


@raises("N105", FlagKind.CHANGED)
def _other_place(c: Change) -> bool:
    """Another place that looks alike: two known places, not the same one (Brussels / Bruges)."""
    return distinct_places(" ".join(c.name.core), c.found)


@raises("N113", FlagKind.VARIANT, Severity.MINOR)
def _letters_swapped(c: Change) -> bool:
    """Two neighbouring letters swapped, a slip of the keys (Greta / Great)."""
    return c.one_for_one and _transposed(c.lost[0], c.new_words[0].norm)


@raises("N106", FlagKind.CHANGED)
def _other_word(c: Change) -> bool:
    """Another established word, however alike the letters: not a respelling (Taylor -> Tailor)."""
    return c.one_for_one and distinct_words(c.lost[0], c.new_words[0].norm, c.language) \
        and not _main_place_name(c.new_words[0].text)


@raises("N114", FlagKind.VARIANT, Severity.MINOR)
def _words_respelled(c: Change) -> bool:
    """Every new word respells a lost word of the name (Dauden -> Dowden)."""
    lost, language = c.lost, c.language
    return bool(c.new_words) and bool(lost) and all(
        max(difflib.SequenceMatcher(a=spelling_key(t.norm), b=spelling_key(w)).ratio() for w in lost)
        >= SETTINGS.respelled_word_ratio
        and not (zipf(t.norm, language) >= SETTINGS.dictionary_word_zipf > max(zipf(w, language) for w in lost))
        for t in c.new_words)


@raises("N115", FlagKind.VARIANT, Severity.MINOR)
def _rare_words_in_dictionary_words(c: Change) -> bool:
    """The name's rare words said in dictionary words, the rest kept: a translation or respelling of them."""
    lost, language = c.lost, c.language
    return bool(c.new_words) and bool(lost) and len(lost) < len(c.name.core) \
        and all(zipf(w, language) < SETTINGS.rare_word_zipf and not is_known_place(w) for w in lost) \
        and all(zipf(t.norm, language) >= SETTINGS.dictionary_word_zipf for t in c.new_words)


@raises("N116", FlagKind.VARIANT, Severity.MINOR)
def _word_respelled(c: Change) -> bool:
    """One word of the name respelled, not into a dictionary word (Gonzales / Gonzalez; N114 comes first)."""
    if not c.one_for_one:
        return False
    new, old = c.new_words[0].norm, c.lost[0]
    common_new = zipf(new, c.language) >= SETTINGS.dictionary_word_zipf > zipf(old, c.language)
    return not common_new and difflib.SequenceMatcher(a=old, b=new).ratio() >= SETTINGS.respelled_name_ratio


@raises("N103", FlagKind.COMMON_WORD)
def _word_for_word(c: Change) -> bool:
    """A name part that is a word swapped for another dictionary word (Bill -> Invoice, House -> Home)."""
    language = c.language
    return bool(c.new_words) and bool(c.lost) and len(c.new_words) <= len(c.lost) + 1 \
        and all(zipf(t.norm, language) >= SETTINGS.established_zipf and not _is_acronym(t.text)
                and not is_known_place(t.text) and _key(t.text) not in _place_index() for t in c.new_words) \
        and any(zipf(w, language) >= SETTINGS.established_zipf for w in c.lost)


@raises("N102", FlagKind.CHANGED)
def _other_name(c: Change) -> bool:
    """Another name, or other words, stand where the name stood."""
    return True


# The order decides: the first rule that holds names the flag.
CHANGE_RULES: tuple[Rule, ...] = (
    _look_alike_word, _other_form_across_languages, _known_variant, _abbreviation, _other_place,
    _letters_swapped, _other_word, _words_respelled, _rare_words_in_dictionary_words, _word_respelled,
    _word_for_word, _other_name,
)


# ------------------------------------------------------------------ equivalences


@quiets("N201")
def _table_equivalent_part(c: Change, rule: Rule) -> bool:
    """The same name once a part is read as its table equivalent (U.S. / United States Geological Survey)."""
    return c.diff[3]


@quiets("N202")
def _unknown_respelling_rule(c: Change, rule: Rule) -> bool:
    """Another transliteration of the name, word for word, that no table knows of: two renderings of one name."""
    return rule.kind is not FlagKind.COMMON_WORD and _unknown_respelling(c.name.text, c.found, c.language)


@quiets("N203")
def _description_reworded_rule(c: Change, rule: Rule) -> bool:
    """Only the name's descriptive words said otherwise, in another number of words (Police / Security Bureau)."""
    old, lost, added, _ = c.diff
    return not c.cross and rule.kind is not FlagKind.VARIANT and _description_reworded(old, lost, added, c.language)


@quiets("N204")
def _foreign_words_translated(c: Change, rule: Rule) -> bool:
    """The name's foreign words put into the language, the rest kept (Krasnodar Krai / Krasnodar Territory)."""
    old, lost, added, _ = c.diff
    return not c.cross and rule.kind is not FlagKind.COMMON_WORD and _words_translated(old, lost, added, c.language)


@quiets("N205")
def _acronym_beside_expansion(c: Change, rule: Rule) -> bool:
    """An acronym for the first or last words of the name it stands for (ISIS / Islamic State)."""
    return not c.cross and rule.kind is not FlagKind.COMMON_WORD and (
        _short_expansion(c.name.text, c.found) or _short_expansion(c.found, c.name.text))


@quiets("N206")
def _clipped(c: Change, rule: Rule) -> bool:
    """A name written in full in one text and cut to its first letters in the other (Rz / Rzeczpospolita)."""
    return not c.cross and rule.kind is not FlagKind.COMMON_WORD and (
        _clipped_name(c.name.text, c.found) or _clipped_name(c.found, c.name.text))


CHANGE_EQUIVALENCES: tuple[Rule, ...] = (
    _unknown_respelling_rule, _description_reworded_rule, _foreign_words_translated, _acronym_beside_expansion,
    _clipped,
)


def _change_rule(name: Name, counterpart: str, language: str, cross: bool = False,
                 rules: RuleSet = ALL_ON) -> Rule | None:
    """The rule that names the flag for a name rendered as `counterpart`, or
    None when no rule raises one or an equivalence keeps it quiet."""
    change = Change(name, counterpart, language, cross)
    if rules.on(_table_equivalent_part) and _table_equivalent_part.test(change, _table_equivalent_part):
        return None
    rule = rules.first(CHANGE_RULES, change)
    if rule is None or rules.any(CHANGE_EQUIVALENCES, change, rule):
        return None
    return rule


def _word_diff(name: Name, counterpart: str, language: str) -> tuple[list[str], list[str], list[str]]:
    """The name's words (titles, function words aside), those of them the
    counterpart lacks, and the counterpart's words the name lacks; an
    inflected or derived form, a respelling, counts as the same word (table
    equivalents of several words, US/United States, are _drop_equivalent_runs')."""
    minor = _word_set("title", language) | _word_set("function", language) | CONNECTORS
    old = [w for w in name.core_parts if w not in minor]
    new = [t.norm for t in tokenize(counterpart, language) if t.norm not in minor]
    lost = [w for w in old if not any(_word_renders(w, n, n, language, False) for n in new)]
    added = [n for n in new if not any(_word_renders(w, n, n, language, False) for w in old)]
    return old, lost, added


def _drop_equivalent_runs(lost: list[str], added: list[str]) -> tuple[list[str], list[str]]:
    """Take out a run of lost words and a run of added ones that name one
    entity in the tables ("United States" / "U.S." in "U.S. Geological
    Survey"): the part was put in its standard short form, not changed."""
    for n in range(min(len(lost), 3), 0, -1):
        for i in range(len(lost) - n + 1):
            ids = _entity_ids(" ".join(lost[i:i + n]))
            if not ids:
                continue
            for m in range(min(len(added), 3), 0, -1):
                for j in range(len(added) - m + 1):
                    if ids & _entity_ids(" ".join(added[j:j + m])):
                        return _drop_equivalent_runs(lost[:i] + lost[i + n:], added[:j] + added[j + m:])
    return lost, added


def _words_translated(old: list[str], lost: list[str], added: list[str], language: str) -> bool:
    """The foreign words of a name put into the language, the rest kept
    (Krasnodar Krai / Krasnodar Territory, Rádio Svobodná Evropa / Radio Free
    Europe, Asociación Argentina de Polo / Argentine Polo Association): the
    name as readers of the language know it, not a respelling. A dictionary
    word that looks like the lost word (Pifer -> Pipe, Ushakov -> Usher) is
    the name misread as a word, not translated. `old`, `lost`, `added`: the
    name's words and the word diff with its counterpart (_word_diff, table
    equivalents dropped)."""
    return bool(added) and bool(lost) and len(lost) < len(old) \
        and all(zipf(w, language) < SETTINGS.established_zipf and not is_known_place(w) for w in lost) \
        and all(zipf(w, language) >= SETTINGS.dictionary_word_zipf for w in added) \
        and not any(_looks_like(w, n) and not is_known_place(n) for w in lost for n in added)


def _looks_like(a: str, b: str) -> bool:
    """Two words a reader could take for one another: the same first two
    letters, or half their letters in common order."""
    ka, kb = _key(a), _key(b)
    return ka[:2] == kb[:2] or difflib.SequenceMatcher(a=ka, b=kb).ratio() >= SETTINGS.look_alike_ratio


def _description_reworded(old: list[str], lost: list[str], added: list[str], language: str) -> bool:
    """The words that make the name this name came through, and only its
    descriptive words were said another way, in a different number of words
    ("Arun Banner Police" / "Arun Banner Public Security Bureau"): two
    translations of one body. A word swapped for one other word ("Stanford
    University" / "Stanford College", "White House" / "White Home") is the
    mark of a word-for-word substitution and stays a change. Arguments as
    for _words_translated."""
    distinctive = [w for w in old if zipf(w, language) < SETTINGS.dictionary_word_zipf]
    return bool(lost) and bool(added) and len(lost) != len(added) and bool(distinctive) \
        and not any(w in lost for w in distinctive) \
        and all(zipf(w, language) >= SETTINGS.dictionary_word_zipf for w in lost + added)
