"""Bead -> name and number flags.

For every aligned pair, find the proper names and the numbers in the original
sentence(s), look for each in the translation, and say what happened to the
ones that did not come through:

- missing      the name is gone and nothing stands in its place;
- changed      another name (or word) stands where it stood;
- common-word  a name part became a dictionary word ("Bill Taylor" -> "Invoice Taylor");
- spelling-variant (minor)  the same name spelled another way (Kyiv/Kiev);
- added (minor)  a name in the translation the original does not account for;
- number-changed / number-missing  values compared, not strings ("three years" = "3 years").

Legitimate equivalents are not flagged: inflected and possessive forms
(Putin's, Rysslands, USA:s), derived adjectives (Ukraine/Ukrainian), equivalent
country forms (US/United States), acronyms of the name, clipped names,
exonyms that are other words for a city (Naples/Napoli), a name's foreign
words put into the language (Krasnodar Krai/Krasnodar Territory), and, across
languages, exonyms and transliterations (Moskva/Moscow).

The package, one module per question it answers:

- settings     the named cut-offs, each with the data it was measured on;
- lexicon      word lists and word frequencies (a Lexicon, read once);
- gazetteer    which forms name one country, body or city (a Gazetteer);
- text         tokens and spelling keys;
- evidence, tagger, extraction   finding the names of a sentence;
- counterpart  locating a name's rendering in the aligned sentence;
- equivalence  whether two forms may name one thing;
- change, silence   the rules: what kind of change, and what is no error;
- quantities   numbers and dates, compared by value;
- flags        the flags the rules raise;
- bead, check  the drivers: one bead, and a document pair.
"""

from qe.names.bead import check_bead_names
from qe.names.check import check_names, clear_caches, iter_flags
from qe.names.equivalence import exonym, is_respelling, legit_equivalent, same_entity, transliterated
from qe.names.evidence import capitalised_elsewhere, capitalised_in, lower_case_words
from qe.names.extraction import Name, find_names
from qe.names.gazetteer import build_place_index, is_known_place, write_place_index
from qe.names.lexicon import zipf
from qe.names.quantities import Quantity, check_numbers, find_quantities
from qe.names.settings import SETTINGS, Settings
from qe.names.tagger import _tagger, prepare_tags
from qe.names.text import CONNECTORS, Token, fold_accents, normalise, skeleton, spelling_key, tokenize

__all__ = [
    "CONNECTORS", "SETTINGS", "Name", "Quantity", "Settings", "Token", "build_place_index", "capitalised_elsewhere",
    "capitalised_in", "check_bead_names", "check_names", "check_numbers", "clear_caches", "exonym", "find_names",
    "find_quantities", "fold_accents", "is_known_place", "is_respelling", "iter_flags", "legit_equivalent",
    "lower_case_words", "normalise", "prepare_tags", "same_entity", "skeleton", "spelling_key", "tokenize",
    "transliterated", "write_place_index", "zipf", "_tagger",
]
