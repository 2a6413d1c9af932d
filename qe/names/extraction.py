"""Finding the proper names of a sentence.

Maximal runs of capitalised words, with connectors ("of", "for") and
particles ("von der") inside; split before a titled person ("US | President
Donald Trump") and after a body joined by connectors; trimmed of what is
capitalised only because it opens a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from qe.names.lexicon import _word_set, _words, zipf
from qe.names.text import (
    CONNECTORS, Token, _LIST_JOINERS, _is_acronym, _is_initials, _is_namey, _key, _possessive, tokenize,
)
from qe.names.gazetteer import _place_index, is_known_place
from qe.names.evidence import _evidence, _headline, lower_case_words
from qe.names.tagger import _tagged_name
from qe.names.settings import SETTINGS


@dataclass(frozen=True)
class Name:
    """A proper name as written in one sentence."""

    text: str
    tokens: tuple[Token, ...]
    core: tuple[str, ...]  # normalised words that carry the name (no connectors, titles)
    modifier: str | None = None  # compass direction written before a place ("eastern Ukraine")

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    @property
    def core_parts(self) -> list[str]:
        """Core words with hyphenated compounds split (Russia-US -> russia, us)."""
        return [p for c in self.core for p in (c.split("-") if "-" in c and not c[0].isdigit() else [c]) if p]


def find_names(text: str, language: str, known: frozenset[str] = frozenset(),
               lower: frozenset[str] = frozenset()) -> list[Name]:
    """Proper names in a sentence: maximal runs of capitalised words, with
    connectors and particles inside; sentence-initial words need evidence
    (`known` words count as names there, `lower` ones as common words)."""
    tokens = tokenize(text, language)
    lower = lower | lower_case_words(text, language)
    titlecase = _headline(text, language)
    at = {t.start: n for n, t in enumerate(tokens)}  # token -> its index (starts are unique)
    titles = _word_set("title", language)
    compass = _words("compass", language)
    names: list[Name] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if not _is_namey(t.text):
            i += 1
            continue
        run = [t]
        j = i + 1
        while j < len(tokens):
            nxt = tokens[j]
            gap = text[run[-1].end:nxt.start]
            if gap.strip() == "." and _is_initials(run[-1].text) and _is_namey(nxt.text):
                pass  # "J. D. Vance"
            elif gap.strip() not in ("",):
                break
            if _possessive(run[-1].text):
                break  # "Singapore's Deputy Prime Minister": the possessive closes a name
            if _is_namey(nxt.text) and not (titlecase and not _evidence(nxt, language, known, lower)) \
                    and not nxt.sentence_start:
                run.append(nxt)
                j += 1
                continue
            # connectors ("for", "von der") inside a name, followed by a capitalised word
            k = j
            # a person is not joined to an organisation ("Peter Slezkine of the Stimson Center"):
            # connectors follow a word that heads a name of its own ("Center for", "Bank of")
            if len(run) > 1 and zipf(run[-1].norm, language) < SETTINGS.dictionary_word_zipf \
                    and not _is_acronym(run[-1].text):
                break
            while k < len(tokens) and k - j < 2 and tokens[k].text.casefold() in CONNECTORS \
                    and not text[tokens[k - 1].end:tokens[k].start].strip():
                k += 1
            if k > j and k < len(tokens) and _is_namey(tokens[k].text) \
                    and not text[tokens[k - 1].end:tokens[k].start].strip() \
                    and (tokens[j].text.casefold() not in _LIST_JOINERS
                         or any(r.text.casefold() in CONNECTORS for r in run[1:])):
                run.extend(tokens[j:k + 1])
                j = k + 1
                continue
            break
        i = j
        cut = _title_split(run, titles, language) or _person_split(run, titles, language)
        if cut:
            # "US President Donald Trump": a place or body, then a titled person
            run, i = run[:cut], at[run[cut].start]
        run = _trim(run, language, known, lower, titlecase, text)
        if not run:
            continue
        core = tuple(r.norm for r in run if r.text.casefold() not in CONNECTORS and not _is_title(r.norm, titles))
        if not core and not run[0].sentence_start and not titlecase and max(len(r.text) for r in run) > 3:
            core = tuple(r.norm for r in run if r.text.casefold() not in CONNECTORS)  # "the new Pope"
        if not core or (len(run) == 1 and re.fullmatch(r"I(?:['’](?:m|ve|d|ll))?", run[0].text)) \
                or re.fullmatch(r"No\.?\d*", run[0].text):
            continue
        modifier = None
        k = at[run[0].start]
        if k > 0 and tokens[k - 1].text.casefold() in compass and not text[tokens[k - 1].end:run[0].start].strip():
            modifier = compass[tokens[k - 1].text.casefold()]
            run = [tokens[k - 1], *run]
        names.append(Name(text[run[0].start:run[-1].end], tuple(run), _join_initials(core), modifier))
    return names


def _is_title(norm: str, titles: frozenset[str]) -> bool:
    """A title, or a compound whose last part is one (Commander-in-Chief,
    Vice-President, Secretary-General); Saint-Denis ends in a name."""
    return norm in titles or ("-" in norm and norm.rsplit("-", 1)[-1] in titles)


def _title_split(run: Sequence[Token], titles: frozenset[str], language: str) -> int:
    """Where a title starts a second name inside a run of capitals ("California
    | Governor Arnold Schwarzenegger", "Russian | Foreign Minister Lavrov",
    "Culture | Secretary Oliver Dowden"): the index of the title, or 0. Only
    a title after an acronym, a known place or the dictionary word of an
    office's field, followed by a person's name (a capitalised non-title
    word) and not joined by a connector, counts."""
    for p in range(1, len(run) - 1):
        prev, here = run[p - 1], run[p]
        if _is_title(here.norm, titles) and not _is_title(prev.norm, titles) \
                and prev.text.casefold() not in CONNECTORS \
                and (_is_acronym(prev.text) or is_known_place(prev.text) or _key(prev.text) in _place_index()
                     or _field_of_office(prev, run[-1], language)) \
                and not _possessive(prev.text) and any(not _is_title(t.norm, titles)
                                                       and t.text.casefold() not in CONNECTORS
                                                       for t in run[p + 1:]) \
                and not any(t.text.casefold() in CONNECTORS for t in run[p:]):
            return p
    return 0


def _field_of_office(word: Token, last: Token, language: str) -> bool:
    """A dictionary word before a title (Culture Secretary, Health Minister)
    names the office's field, not part of the person, when the run ends in a
    word no dictionary has (the surname): "Burger King Corporation" is one name.
    An ordinal ranks the office instead (First Lady, Second Secretary)."""
    return zipf(word.norm, language) >= SETTINGS.dictionary_word_zipf > zipf(last.norm, language) \
        and word.norm not in _word_set("ordinal", language) \
        and not _is_acronym(last.text)


def _person_split(run: Sequence[Token], titles: frozenset[str], language: str) -> int:
    """Where a person's name follows a body's name joined by connectors
    ("Ministry of Internal Affairs and Administration | Kornel Morawiecki",
    "Commander-in-Chief of the Navy | Nikolai Evmenov"): the index of the
    first of two or more closing words no dictionary has, after a dictionary
    word that ends the body's name; or 0. A body ends in its head noun or
    a place, so rare words there are a person's."""
    joints = [k for k, t in enumerate(run) if t.text.casefold() in CONNECTORS]
    if not joints:
        return 0
    p = len(run)
    while p - 1 > joints[-1] and _personal(run[p - 1], titles, language):
        p -= 1
    if len(run) - p < 2 or p - 1 <= joints[-1]:
        return 0
    head = run[p - 1]
    return p if _body_zipf(head, language) >= SETTINGS.dictionary_word_zipf and not is_known_place(head.text) else 0


def _body_zipf(tok: Token, language: str) -> float:
    # bodies are often quoted in English in other languages' text ("Ministry of Defence")
    return max(zipf(tok.norm, language), zipf(tok.norm, "en"))


def _personal(tok: Token, titles: frozenset[str], language: str) -> bool:
    """A word that may be part of a person's name: no dictionary word, title,
    acronym or place."""
    return _body_zipf(tok, language) < SETTINGS.dictionary_word_zipf and not _is_title(tok.norm, titles) \
        and not _is_acronym(tok.text) and not is_known_place(tok.text) and _key(tok.text) not in _place_index()


def _join_initials(core: tuple[str, ...]) -> tuple[str, ...]:
    """"D K Arya" and "D.K. Arya" name alike: initials run together ("dk")."""
    out: list[str] = []
    prev_initials = False
    for w in core:
        bare = w.replace(".", "")
        initials = bool(re.fullmatch(r"[^\W\d_](?:\.[^\W\d_])*\.?", w))
        if initials and prev_initials:
            out[-1] += bare
        else:
            out.append(bare if initials else w)
        prev_initials = initials
    return tuple(out)


def _trim(run: list[Token], language: str, known: frozenset[str], lower: frozenset[str],
          titlecase: bool, text: str = "") -> list[Token]:
    """Drop what is capitalised only because it opens a sentence."""
    if titlecase:
        run = [t for t in run if _evidence(t, language, known, lower) or t.text.casefold() in CONNECTORS]
    elif run and run[0].sentence_start:
        functional = _word_set("function", language)
        while run and run[0].norm in functional and run[0].norm not in known and not _is_acronym(run[0].text):
            run = run[1:]
        if len(run) == 1 and run[0].sentence_start and not _evidence(run[0], language, known, lower) \
                and not _tagged_name(run[0], text, language, lower):
            run = []
        elif len(run) > 1 and run[0].sentence_start and len(run) == 2 and run[1].text.casefold() in CONNECTORS:
            run = []
    while run and run[0].text.casefold() in CONNECTORS:
        run = run[1:]
    while run and run[-1].text.casefold() in CONNECTORS:
        run = run[:-1]
    return run


