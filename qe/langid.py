"""Which language a text is in: the original's and the translation's, and
sentences of the translation written in another language or copied unchanged.

    text -> Detection(language, confidence)      (lingua, offline, bundled n-gram models)
    option / file attribute / detection -> LanguageChoice   (what the run uses, and why)
    Document pair + beads -> wrong-language / untranslated flags

lingua-language-detector was chosen over py3langid on this machine
(benchmarks/bench_langid.py prints the figures): restricted to `LANGUAGES` and in
its low-accuracy mode (trigrams only) it loads in ~0.35 s and ~40 MB, where
py3langid needs ~1.5 s to load its model and all-language lingua ~0.6 s;
sentence accuracy on the bundled corpora and Text+Berg was alike (0.90-0.92,
the misses being OCR debris and one-word headings). High-accuracy lingua loads
for 9 s and ~400 MB: far over the 5 % of a check it may cost.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from qe.models import Bead, Document, Flag, FlagKind, Severity

if TYPE_CHECKING:  # lingua is imported on first detection
    from lingua import LanguageDetector

AUTO = "auto"
FALLBACK = "en"

# The languages qe tells apart: the EU's, the Nordic ones, and the widest-spoken
# others. Fewer models load faster and take less memory; a text in a language
# outside the set is still told apart from the expected one, only named after
# its nearest neighbour in the set.
LANGUAGES = (
    "ar bg bs ca cs cy da de el en es et eu fa fi fr ga he hi hr hu id is it ja ko lt lv mk ms nb nl nn pl pt "
    "ro ru sk sl sq sr sv th tr uk ur vi zh".split()
)

# Below this many letters a detection is a guess (one-word headings, names,
# "OK"): measured on the bundled corpora and Text+Berg, misses concentrate under
# 25 letters ("Literatur :", "Mit 3 Bildern", "Sherpa-Liste Nr.212").
MIN_LETTERS = 25
# A detection counts when lingua gives its language at least this share of the
# probability mass; close languages (sv/nb/da, hr/sr/bs) split it below this.
MIN_CONFIDENCE = 0.70
# A single sentence is called "in another language" only at this confidence:
# on ~4,500 sentences of the bundled corpora, DEMETR, MQM and Text+Berg, the
# false calls fell from 3 to 1 between 0.70 and 0.90 while 77-97 % of sentences
# put under the wrong language were still caught (benchmarks/bench_langid.py).
SENTENCE_CONFIDENCE = 0.90
# A sentence is called "in another language" only when the expected language
# gets less than this share: a correct sentence with a few foreign names keeps more.
MAX_EXPECTED_SHARE = 0.05
# Related languages a detector confuses on a single sentence: a sentence detected
# as a sibling of the expected language is never flagged as wrong-language.
_SIBLINGS = (frozenset({"sv", "nb", "nn", "da"}), frozenset({"hr", "sr", "bs", "sl", "mk"}),
             frozenset({"ms", "id"}), frozenset({"cs", "sk"}), frozenset({"es", "ca", "pt"}))
# How much of a long document detection reads: enough to be sure, bounded cost.
DOCUMENT_SAMPLE_CHARS = 4000
# A copied sentence is only "untranslated" when it has at least this many
# words, some of them lower-case: names, codes and numbers stay the same in
# every language ("Bill Taylor", "COVID-19", "iPhone 15").
UNTRANSLATED_MIN_WORDS = 3

# Rule codes, in the manner of qe.names.rules (L: language)
RULE_WRONG_LANGUAGE = "L101"  # a translation sentence reads as another language
RULE_UNTRANSLATED = "L102"  # the translation repeats the original unchanged

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


@dataclass(frozen=True)
class Detection:
    """What the detector says about one text. `language` is None when it cannot tell."""

    language: str | None
    confidence: float
    letters: int

    @property
    def reliable(self) -> bool:
        return self.language is not None and self.letters >= MIN_LETTERS and self.confidence >= MIN_CONFIDENCE


@dataclass(frozen=True)
class LanguageChoice:
    """The language a run uses for one side, and where it came from."""

    side: str  # "original" or "translation"
    language: str
    how: str  # "option", "file", "detected" or "fallback"
    detection: Detection | None = None

    def describe(self) -> str:
        """For the report signature: ``sv (detected 0.98)``, ``fr (file; detected fr 1.00)``."""
        d = self.detection
        if self.how == "detected" and d is not None:
            return f"{self.language} (detected {d.confidence:.2f})"
        if d is None:
            return f"{self.language} ({self.how})"
        heard = f"detected {d.language} {d.confidence:.2f}" if d.language else "undetected"
        return f"{self.language} ({self.how}; {heard})"

    def note(self) -> str | None:
        """A line the reader must see: a fallback, or a file or option the text contradicts."""
        d = self.detection
        if self.how == "fallback":
            return (f"the {self.side}'s text is too short or too mixed to tell its language; "
                    f"assuming '{self.language}' (set --{'src' if self.side == 'original' else 'tgt'}-lang)")
        if d is not None and d.reliable and d.language != self.language and not _siblings(d.language, self.language):
            return (f"the {self.side} is declared '{self.language}' ({self.how}) but reads as "
                    f"'{d.language}' (confidence {d.confidence:.2f})")
        return None


def _siblings(a: str | None, b: str | None) -> bool:
    return a == b or any(a in group and b in group for group in _SIBLINGS)


def base_language(code: str | None) -> str | None:
    """'en-US', 'pt_BR', 'zh-Hans' -> 'en', 'pt', 'zh'; None and '' stay None."""
    if not code:
        return None
    return re.split(r"[-_@.]", code.strip(), maxsplit=1)[0].lower() or None


@functools.lru_cache(maxsize=1)
def _detector() -> "LanguageDetector":
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, c.upper()) for c in LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def _letters(text: str) -> int:
    return len(_LETTER.findall(text))


def detect(text: str, *, sample: int = DOCUMENT_SAMPLE_CHARS) -> Detection:
    """The language of `text` (its first `sample` characters) and the detector's confidence."""
    text = text[:sample]
    letters = _letters(text)
    if not letters:
        return Detection(None, 0.0, 0)
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value <= 0.0:
        return Detection(None, 0.0, letters)
    top = values[0]
    return Detection(top.language.iso_code_639_1.name.lower(), float(top.value), letters)


def share_of(text: str, language: str) -> float:
    """The detector's probability that `text` is in `language` (0 when not in LANGUAGES)."""
    from lingua import IsoCode639_1

    code = getattr(IsoCode639_1, language.upper(), None)
    if code is None or language not in LANGUAGES:
        return 0.0
    from lingua import Language

    return float(_detector().compute_language_confidence(text, Language.from_iso_code_639_1(code)))


def choose(side: str, text: str, option: str | None, attribute: str | None = None) -> LanguageChoice:
    """The language for one side: the option when given, else the file's
    attribute, else what the text reads as, else `FALLBACK` (and say so)."""
    option = None if option in (None, "", AUTO) else option
    if option is not None:
        return LanguageChoice(side, option, "option")
    detection = detect(text)
    attribute = base_language(attribute)
    if attribute is not None:
        return LanguageChoice(side, attribute, "file", detection)
    if detection.reliable:
        return LanguageChoice(side, detection.language, "detected", detection)
    return LanguageChoice(side, FALLBACK, "fallback", detection)


# -- per-sentence flags ---------------------------------------------------------

def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def is_copied(source: str, target: str) -> bool:
    """The target is the source unchanged (case, spacing and Unicode forms aside),
    and long enough, with ordinary words, that a translation would have changed it."""
    if _normal(source) != _normal(target):
        return False
    words = _WORD.findall(target)
    return len(words) >= UNTRANSLATED_MIN_WORDS and any(w[0].islower() for w in words)


def common_words(text: str) -> str:
    """The sentence without its names: capitalised words after the first and
    words with digits say nothing about its language ("Sergei Lavrov in Moskva"
    reads as Lithuanian to a trigram model)."""
    words = _WORD.findall(text)
    return " ".join(w for i, w in enumerate(words) if i == 0 or not w[0].isupper())


def wrong_language(text: str, expected: str) -> Detection | None:
    """The detection when `text`'s ordinary words are confidently in a language
    other than `expected` (and not a close sibling of it), else None."""
    text = common_words(text)
    if _letters(text) < MIN_LETTERS:  # too short to tell: no need to ask the detector
        return None
    d = detect(text)
    if not d.reliable or d.confidence < SENTENCE_CONFIDENCE or _siblings(d.language, expected):
        return None
    if expected in LANGUAGES and share_of(text, expected) >= MAX_EXPECTED_SHARE:
        return None
    return d


def language_flags(src: Document, tgt: Document, beads: Sequence[Bead]) -> list[list[Flag]]:
    """For each bead: `untranslated` when its translation repeats its original
    (only across languages), `wrong-language` for each of its translation
    sentences written in another language than the translation's."""
    cross = src.language != tgt.language
    out: list[list[Flag]] = []
    for k, bead in enumerate(beads):
        flags: list[Flag] = []
        if not bead.tgt:
            out.append(flags)
            continue
        src_text, tgt_text = src.join(bead.src), tgt.join(bead.tgt)
        first_src = bead.src[0] if bead.src else None
        if cross and bead.src and is_copied(src_text, tgt_text):
            flags.append(Flag(
                kind=FlagKind.UNTRANSLATED, severity=Severity.MAJOR, rule=RULE_UNTRANSLATED, original=_clip(src_text),
                found=_clip(tgt_text), category="language", bead=k, src_sentence=first_src,
                tgt_sentence=bead.tgt[0],
                message=f"the translation repeats the original unchanged (still '{src.language}', "
                        f"expected '{tgt.language}')"))
            out.append(flags)
            continue
        for j in bead.tgt:
            text = tgt.sentences[j].text
            d = wrong_language(text, tgt.language)
            if d is not None:
                flags.append(Flag(
                    kind=FlagKind.WRONG_LANGUAGE, severity=Severity.MAJOR, rule=RULE_WRONG_LANGUAGE, original=tgt.language,
                    found=d.language, category="language", bead=k, src_sentence=first_src, tgt_sentence=j,
                    message=f"this sentence reads as '{d.language}' (confidence {d.confidence:.2f}), "
                            f"the translation should be '{tgt.language}'"))
        out.append(flags)
    return out


def supersede(flags: list[Flag], bead: Bead) -> list[Flag]:
    """A bead whose every translation sentence is in the wrong language keeps
    its language flags and loses its name flags: names compared across a
    language nobody declared ("L'idée" for "Att Putin") only repeat the finding."""
    foreign = {f.tgt_sentence for f in flags if f.kind is FlagKind.WRONG_LANGUAGE}
    if not bead.tgt or not foreign.issuperset(bead.tgt):
        return flags
    return [f for f in flags if f.category != "name"]


def mixed_note(doc: Document, side: str) -> str | None:
    """A note when sentences of `doc` read as another language than its own
    (a mixed-language original; the translation's get wrong-language flags)."""
    other = [(s.index, d.language) for s in doc.sentences if (d := wrong_language(s.text, doc.language))]
    if not other:
        return None
    languages = ", ".join(f"'{lang}'" for lang in sorted({lang for _, lang in other}))
    where = ", ".join(f"s{i + 1}" for i, _ in other[:10]) + (" …" if len(other) > 10 else "")
    return (f"the {side} mixes languages: {len(other)} of {len(doc)} sentences read as {languages}, "
            f"not '{doc.language}' ({where})")


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def resolved(config, choices: Sequence[LanguageChoice]):
    """`config` (a CheckConfig) with the chosen languages and the record of how."""
    by_side = {c.side: c for c in choices}
    src = by_side["original"].language
    tgt = by_side["translation"].language
    return dataclasses.replace(config, src_lang=src, tgt_lang=tgt, language_choices=tuple(choices))


__all__ = ["AUTO", "Detection", "LanguageChoice", "LANGUAGES", "base_language", "choose", "detect",
           "is_copied", "language_flags", "mixed_note", "resolved", "supersede", "wrong_language"]
