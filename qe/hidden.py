"""Text cleaning: characters an editor cannot see are made visible.

A translation can hide a change from the person reviewing it: a right-to-left
override (U+202E) shows "Kherson" reversed in a browser while every word
comparison still reads "Kherson"; a zero-width space splits a name without a
visible trace; a Cyrillic "К" or a fullwidth "Ｋ" looks like a Latin K. This
stage decides, for every character, whether a reader can see what it is:

* ``visible(text)`` writes every control, bidi and invisible character as its
  code point, ``<U+202E>``, so reports, terminals and spreadsheets show it and
  no byte of it reaches them raw. Line breaks and tabs stay as they are.
* ``comparison_form(text)`` is what names are compared on: the visible text
  with invisible characters removed, fullwidth forms folded (NFKC) and Latin
  look-alikes from other scripts folded inside otherwise Latin words, so a
  disguised name compares equal to the name it imitates.
* ``hidden_findings(text)`` lists what was found, for the `hidden-characters`
  flag: the reader learns *that* a sentence holds something they cannot see,
  and which code points.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that change nothing visible, or change how the text around them is
# shown: controls (Unicode Cc, except line break and tab), format characters (Cf:
# bidi controls, zero-width characters, soft hyphen, BOM, tags), line/paragraph
# separators, surrogates left over from broken JSON, private-use characters (a
# font decides what they look like) and the Hangul fillers that render as nothing.
# Written as ranges so one regular expression finds them in linear time;
# tests/test_hidden.py checks the Cf list against this Python's Unicode tables.
_HIDDEN_RANGES = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"                 # Cc
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"               # Cf
    "\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff"  # Cs, Co
    "\u115f\u1160\u3164\uffa0"                      # fillers
)
# ZWNJ/ZWJ shape Persian, Indic and emoji text; they hide something only
# between letters that never join (Latin, Greek, Cyrillic, digits, spaces).
_JOINING = "\u0590-\U0010ffff"
_HIDDEN = re.compile(f"[{_HIDDEN_RANGES}]|(?<![{_JOINING}])[\u200c\u200d](?![{_JOINING}])")
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ESCAPE = re.compile(r"<U\+([0-9A-F]{4,6})>")


def _code(ch: str) -> str:
    return f"<U+{ord(ch):04X}>"


def is_hidden(ch: str) -> bool:
    """True for a character a reader cannot see or that reorders its neighbours
    (ZWNJ/ZWJ on their own, without neighbours that join)."""
    return bool(_HIDDEN.fullmatch(ch))


def visible(text: str) -> str:
    """`text` with every hidden character written as ``<U+XXXX>``."""
    out = _HIDDEN.sub(_escape_match, text)
    # a ZWJ/ZWNJ kept beside a character that was then escaped now stands
    # beside "<" or ">": a second pass escapes it too
    return _HIDDEN.sub(_escape_match, out) if out is not text else out


def _escape_match(m: re.Match) -> str:
    return _code(m.group())


def terminal_text(text: str) -> str:
    """Text safe to print: escape sequences, BEL, backspace, carriage returns and
    bidi controls become visible code points; line breaks and tabs stay."""
    return visible(text)


def _unescaped(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if _valid(m.group(1)) else m.group(), text)


def _valid(hexdigits: str) -> bool:
    return int(hexdigits, 16) <= 0x10FFFF


# Latin look-alikes in Cyrillic and Greek. Folded only inside a word that also
# holds Latin letters, so Russian or Greek text is compared as it is written.
_LOOKALIKES = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v",
})
_LOOKALIKE_CHARS = frozenset(chr(k) for k in _LOOKALIKES)
_ANY_LOOKALIKE = re.compile("[" + "".join(sorted(_LOOKALIKE_CHARS)) + "]")
_WORD = re.compile(r"\w+")


def _latin_letter(ch: str) -> bool:
    return ch.isalpha() and ord(ch) < 0x250


def _mixed_script(word: str) -> bool:
    return bool(_ANY_LOOKALIKE.search(word)) and any(_latin_letter(c) for c in word)


def comparison_form(text: str) -> str:
    """What a reader sees, as plain text: hidden characters (raw or already
    escaped by `visible`) removed, compatibility forms (fullwidth, ligatures)
    folded, and look-alike letters folded to Latin in mixed-script words."""
    text = _HIDDEN.sub("", _unescaped(text))
    text = unicodedata.normalize("NFKC", text)
    return _WORD.sub(lambda m: m.group().translate(_LOOKALIKES) if _mixed_script(m.group()) else m.group(), text)


@dataclass(frozen=True)
class HiddenFinding:
    """Characters in one text a reader cannot see, or that imitate others."""

    kind: str  # "bidi", "control", "invisible", "look-alike", "compatibility"
    code_points: tuple[str, ...]  # "U+202E", in order of first appearance
    word: str = ""  # the word they sit in, for look-alikes and compatibility forms

    def describe(self) -> str:
        what = {"bidi": "bidirectional control(s) that reorder the text on screen",
                "control": "control character(s)",
                "invisible": "invisible character(s)",
                "look-alike": "letter(s) from another script that look like Latin ones",
                "compatibility": "fullwidth or compatibility form(s) of ordinary letters"}[self.kind]
        where = f" in {self.word!r}" if self.word else ""
        return f"{what}{where}: {' '.join(self.code_points)}"


def _unique(chars) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f"U+{ord(c):04X}" for c in chars))


def hidden_findings(text: str) -> list[HiddenFinding]:
    """What in `text` (raw, or escaped by `visible`) a reader cannot see as it is."""
    raw = _unescaped(text)
    found: list[HiddenFinding] = []
    hidden = [m.group() for m in _HIDDEN.finditer(raw)]
    for kind, test in (("bidi", lambda c: c in BIDI_CONTROLS),
                       ("control", lambda c: unicodedata.category(c) == "Cc"),
                       ("invisible", lambda c: c not in BIDI_CONTROLS and unicodedata.category(c) != "Cc")):
        chars = [c for c in hidden if test(c)]
        if chars:
            found.append(HiddenFinding(kind, _unique(chars)))
    if raw.isascii() or not (_ANY_LOOKALIKE.search(raw) or unicodedata.normalize("NFKC", raw) != raw):
        return found
    for m in _WORD.finditer(raw):
        word = m.group()
        if _mixed_script(word):
            found.append(HiddenFinding("look-alike", _unique(c for c in word if c in _LOOKALIKE_CHARS), word))
        folded = unicodedata.normalize("NFKC", word)
        if folded != word and folded.isascii():
            found.append(HiddenFinding("compatibility", _unique(c for c in word if not c.isascii()), word))
    return found


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code > 0xFFFF:  # JSON escapes an astral character as its UTF-16 pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_visible(json_text: str) -> str:
    """JSON text (as json.dumps writes it) with every hidden character inside
    its strings written as a \\uXXXX escape: the same values, read back, and
    nothing a viewer of the file cannot see. Structure holds no such characters."""
    out = _HIDDEN.sub(_json_escape_match, json_text)
    # as in `visible`: a ZWJ/ZWNJ whose neighbour was escaped (here or by json.dumps)
    return _HIDDEN.sub(_json_escape_match, out)


def _json_escape_match(m: re.Match) -> str:
    return _json_escape(m.group())


# Length caps of the name stage. No name or number is 100 characters long
# without a space (the longest German compounds have ~65), and a 2,000-character
# "sentence" is not prose but a table, a log or padding; the name rules are
# tuned on news sentences and cost more than linear time on such input
# (a 200,000-character line took 110 s). Over-long tokens and runs of blanks are
# shortened in the comparison form, so padding cannot hide a changed name; a
# sentence still over the cap is left out of the name check, and the report says so.
MAX_TOKEN_CHARS = 100
MAX_NAME_SENTENCE_CHARS = 2000
_LONG_TOKEN = re.compile(r"\S{%d,}" % (MAX_TOKEN_CHARS + 1))
_LONG_BLANK = re.compile(r"\s{%d,}" % (MAX_TOKEN_CHARS + 1))


def _name_stage_text(text: str) -> str:
    text = _LONG_BLANK.sub(" ", comparison_form(text))
    text = _LONG_TOKEN.sub(lambda m: "\u2026", text)
    return text if len(text) <= MAX_NAME_SENTENCE_CHARS else ""


def comparison_document(doc):
    """`doc` as names are compared: every sentence in its comparison form,
    within the name stage's length caps (an over-long sentence becomes empty)."""
    import dataclasses

    from qe.models import Document

    sentences = tuple(dataclasses.replace(s, text=_name_stage_text(s.text)) for s in doc.sentences)
    return Document(text="\n".join(s.text for s in sentences), language=doc.language, name=doc.name,
                    sentences=sentences)


def over_name_cap(doc) -> int:
    """How many of `doc`'s sentences the name stage leaves out for their length."""
    return sum(1 for s in doc.sentences if s.text and not _name_stage_text(s.text))


# Bidi controls, controls, look-alikes and fullwidth letters change what an editor reads; an
# invisible character alone (a stray zero-width space) rarely changes meaning.
_MAJOR_KINDS = frozenset({"bidi", "control", "look-alike", "compatibility"})


def hidden_flags(src, tgt, beads) -> list[list]:
    """Per bead, a `hidden-characters` flag for each sentence holding characters
    a reader cannot see as they are. A translation's finding is major when the
    original's side of the bead has no such finding (it came with the
    translation), minor when the original has it too; the original's own
    findings are minor (the editor should still know they are there)."""
    from qe.models import Flag, FlagKind, Severity

    out: list[list] = []
    for k, bead in enumerate(beads):
        flags = []
        src_found = {(f.kind, f.code_points) for i in bead.src for f in hidden_findings(src.sentences[i].text)}
        for side, indexes, doc in (("translation", bead.tgt, tgt), ("original", bead.src, src)):
            for i in indexes:
                for f in hidden_findings(doc.sentences[i].text):
                    inherited = side == "original" or (f.kind, f.code_points) in src_found
                    severity = Severity.MAJOR if f.kind in _MAJOR_KINDS and not inherited else Severity.MINOR
                    flags.append(Flag(
                        kind=FlagKind.HIDDEN, severity=severity, original=" ".join(f.code_points) if side == "original" else "",
                        found=" ".join(f.code_points) if side == "translation" else None,
                        message=f"the {side} holds {f.describe()}", bead=k,
                        src_sentence=i if side == "original" else (bead.src[0] if bead.src else None),
                        tgt_sentence=i if side == "translation" else (bead.tgt[0] if bead.tgt else None),
                        category="hidden"))
        out.append(flags)
    return out


def has_hidden(text: str) -> bool:
    """True when `text` holds a character `visible` would escape."""
    return _HIDDEN.search(text) is not None
