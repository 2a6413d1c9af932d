"""The cut-offs the name and number checks decide by, named in one place.

Most are word frequencies on wordfreq's Zipf scale (0 unknown ... 7+ very
common: "the" 7.7, "navy" 4.6, "tailor" 3.6, "meiji" 2.7, "zelenskyy" 0).
wordfreq folds case, so names score too (Rome 4.5, Lyon 3.8). Each value
was set on the development data named in its comment: the seed corpora's
gold lists (corpora/ft-call), the project's own minimal pairs
(tests/test_names.py) and DEMETR's ne_removed / numbers_replaced rows
(../shared/eval/demetr). None was tuned on held-out data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    # A form a reader takes for a dictionary word (lion, nice, reading, bath):
    # above most city names, below everyday nouns. Seed gold (Lyon -> Lion,
    # Kherson -> Hosen) and the minimal pairs.
    ordinary_word_zipf: float = 4.0
    # Above this a lower-cased form is an established word or name of the
    # language (tailor 3.6, ball 5.0, sergei 3.5), below it a rare spelling
    # (artjom 0, zelenskyy 0, runalls 0). Minimal pairs (Taylor/Tailor,
    # Sergey/Sergei) and DEMETR ne_removed mt_good rows.
    established_zipf: float = 3.0
    # A single capitalised word more common than this as a lower-case word
    # (navy 4.6, wolf 4.4, risk 5.1) reads as a dictionary word written with a
    # capital; rarer ones (meiji 2.7, ngo 3.4) as names. DEMETR ne_removed
    # mt_good rows (added-name noise) and the minimal pairs.
    dictionary_word_zipf: float = 3.5
    # A name's word this rare is no dictionary word at all (the rare words of
    # a name said in dictionary words: a translation of them). Seed gold.
    rare_word_zipf: float = 2.0
    # A capitalised first word rarer than this is taken for a name without
    # further evidence ("Kherson said", not "Fertility rates"); minimal pairs.
    sentence_start_name_zipf: float = 3.7
    # ... unless it ends like a derived English word (-tion, -ness) and is
    # not vanishingly rare (minimal pairs).
    derived_word_min_zipf: float = 1.5
    # A first word that is a city's name counts below this ("Paris hopes");
    # an alternate city name only below the second (geonames lists "Due").
    city_start_max_zipf: float = 5.5
    city_alternate_max_zipf: float = 4.5
    # A possessive first word ("Kherson's") counts below this; a single word
    # more common than it is a word capitalised for emphasis (the East, War).
    possessive_name_max_zipf: float = 5.0
    emphasis_word_zipf: float = 5.0
    # A very common word (hope, called) stays a common word whatever the
    # tagger says. Minimal pairs of the sentence-start vote.
    tagged_name_max_zipf: float = 5.3
    # Two one-word forms whose lengths differ by more than this ratio are not
    # respellings of each other (Kyiv/Kiev, Odesa/Odessa are). Minimal pairs.
    respelling_min_length_ratio: float = 0.6
    respelling_max_length_ratio: float = 1.6
    # difflib ratio above which a new word respells a lost one (Dauden/Dowden,
    # Sergej/Sergei); the higher bar when one word pair decides alone, and for
    # a leftover pair of names. Seed gold and the minimal pairs.
    respelled_word_ratio: float = 0.7
    respelled_name_ratio: float = 0.75
    # Two words a reader could take for one another: this share of their
    # letters in common order (Pifer/Pipe, Ushakov/Usher). Seed gold.
    look_alike_ratio: float = 0.5
    # A sentence of four words or more with this share capitalised, and only
    # function words in lower case, is a headline: capitals say nothing there.
    headline_capitals_share: float = 0.7
    # Two dictionary words sharing a stem this long, differing by at most
    # `derived_max_extra` letters, are one word derived (Culture/Cultural).
    derived_min_stem: int = 5
    derived_max_extra: int = 5
    # Leftover names of the two sides are paired when their relative places in
    # the sentences differ by at most this (seed gold, minimal pairs).
    name_position_tolerance: float = 0.15
    # ... and a number written in words with a leftover number (DEMETR
    # numbers_replaced, minimal pairs).
    number_position_tolerance: float = 0.25
    # Cities of at least this population make the shipped place index
    # (qe/data/place_variants.tsv.gz; regenerate with write_place_index).
    place_min_population: int = 100_000
    # Words of a currency's name that say which currency it is (dollar, euro,
    # dong); shorter ones (US in "US Dollar") name a country. ISO 4217 names.
    currency_word_min_length: int = 4


SETTINGS = Settings()
