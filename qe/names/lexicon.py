"""Word lists and word frequencies: what the name check knows of a language.

A `Lexicon` reads qe/data/name_lexicon.tsv (function words, titles, number
words, months... per language) and wordfreq's frequency lists once, and
keeps what it has looked up; `LEXICON` is the one the checks share
(`clear_caches` empties it for cold-start timings).
"""

from __future__ import annotations

import math
import re
import unicodedata
from importlib import resources


class Lexicon:
    """The closed word classes of qe/data/name_lexicon.tsv and wordfreq's
    word frequencies, read on first use and memoised."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._table: dict[tuple[str, str], dict[str, str]] | None = None
        self._sets: dict[tuple[str, str], frozenset[str]] = {}
        self._zipf_tables: dict[str, dict[str, float] | None] = {}
        self._zipf: dict[tuple[str, str], float] = {}

    def table(self) -> dict[tuple[str, str], dict[str, str]]:
        """(kind, language) -> {word: value} from qe/data/name_lexicon.tsv."""
        if self._table is None:
            table: dict[tuple[str, str], dict[str, str]] = {}
            text = resources.files("qe").joinpath("data/name_lexicon.tsv").read_text(encoding="utf-8")
            for line in text.splitlines():
                if not line or line.startswith("#"):
                    continue
                kind, lang, word, value = (line.split("\t") + [""] * 4)[:4]
                table.setdefault((kind, lang), {})[word] = value
            self._table = table
        return self._table

    def words(self, kind: str, language: str) -> dict[str, str]:
        """A closed word class of a language; English stands in for a language the
        table does not cover (function words and titles are often shared loans)."""
        lex = self.table()
        return lex.get((kind, language)) or lex.get((kind, "en"), {})

    def word_set(self, kind: str, language: str) -> frozenset[str]:
        hit = self._sets.get((kind, language))
        if hit is None:
            hit = self._sets[(kind, language)] = frozenset(self.words(kind, language))
        return hit

    def zipf_table(self, language: str) -> dict[str, float] | None:
        if language not in self._zipf_tables:
            self._zipf_tables[language] = _read_zipf_table(language)
        return self._zipf_tables[language]

    def zipf(self, word: str, language: str) -> float:
        """How common a word is as a lower-case word (0 unknown … 7+ very common)."""
        hit = self._zipf.get((word, language))
        if hit is None:
            hit = self._zipf[(word, language)] = self._lookup_zipf(word, language)
        return hit

    def _lookup_zipf(self, word: str, language: str) -> float:
        folded = unicodedata.normalize("NFC", word.casefold())
        table = self.zipf_table(language)
        if table is not None:
            listed = _listed_zipf(folded, table)
            if listed is not None:
                return listed
        from wordfreq import zipf_frequency

        try:
            return zipf_frequency(folded, language)
        except LookupError:
            return zipf_frequency(folded, "en")


LEXICON = Lexicon()


def _words(kind: str, language: str) -> dict[str, str]:
    return LEXICON.words(kind, language)


def _word_set(kind: str, language: str) -> frozenset[str]:
    return LEXICON.word_set(kind, language)


def zipf(word: str, language: str) -> float:
    """How common a word is as a lower-case word (0 unknown … 7+ very common)."""
    return LEXICON.zipf(word, language)


def _listed_zipf(folded: str, table: dict[str, float]) -> float | None:
    """wordfreq's value for words and phrases its tokenizer would split at
    spaces and hyphens only, computed as wordfreq does (1/f = 1/f1 + 1/f2 …,
    three significant digits); None for anything else (digits, other
    scripts, an apostrophe form the list lacks), which wordfreq must tokenize."""
    freqs = []
    for part in re.split(r"[\s-]+", folded.replace("\u2019", "'").strip(" -")):
        part = part.strip(".")  # a full stop outside a word is not part of it (U.S. -> u.s)
        if part.isalpha() and _latin(part):
            freqs.append(table.get(part, 0.0))
        elif part in table and re.sub(r"['.]", "", part).isalpha() and _latin(part):
            freqs.append(table[part])  # we're, o'brien, u.s: one token when the list has it
        else:
            return None
    if not freqs or min(freqs) == 0.0:
        return 0.0 if freqs else None
    freq = 1.0 / sum(1.0 / f for f in freqs)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)


def _read_zipf_table(language: str) -> dict[str, float] | None:
    """wordfreq's word list for the language (word -> frequency), read straight
    from its data file: importing wordfreq and its tokenizers to look up plain
    words would cost a one-shot check ~0.6 s. None (ask wordfreq) when the
    file is not where expected."""
    import gzip
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    data_dir = Path(list(spec.submodule_search_locations)[0]) / "data"
    for size in ("large", "small"):  # wordfreq's "best"
        path = data_dir / f"{size}_{language}.msgpack.gz"
        if path.is_file():
            break
    else:
        return None
    try:
        import msgpack

        header, *buckets = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
    except (ImportError, OSError, ValueError):
        return None
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        return None
    # bucket i holds the words at -i centibels: frequency 10^(-i/100)
    return {w: 10 ** (-i / 100) for i, bucket in enumerate(buckets) for w in bucket}


def _latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)
