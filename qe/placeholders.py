"""Placeholders: the parts of a translatable string that are code, not words.

Two kinds, both compared between a unit's source and target:

* **format placeholders** written in the text: printf (``%s``, ``%d``,
  ``%1$s``, ``%(count)d``), braces (``{name}``, ``{0}``, ``{{user}}``), Apple's
  ``%@``. They stay in the text the model reads, and are masked (blanked,
  offsets kept) before the name and number stage, so ``{UserName}`` is never a
  name and ``%1$s`` never a number;
* **inline tags** of XLIFF and TMX (``<g>``, ``<x/>``, ``<ph>``, ``<bpt>``/``<ept>``,
  ``<pc>``, ``<sc>``/``<ec>``…): the bilingual reader takes them out of the
  text and hands them over as tokens (``<x id=br1/>``).

Rules, in the order they are checked (a unit gets at most one flag per token):

    P101 placeholder-missing    a source placeholder is not in the target (major: the
                                program would lose a value or a tag)
    P102 placeholder-added      a target placeholder the source does not have (major)
    P103 placeholder-reordered  unnamed printf placeholders in another order (major:
                                ``%s ... %d`` -> ``%d ... %s`` swaps the arguments)
    P104 placeholder-reordered  named placeholders or tags in another order (minor:
                                a translation may move them with the words)
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from qe.models import Document, Severity

# Conversion flags: no space flag, so "50 % of" and "100% sure" are not printf.
PRINTF = re.compile(
    r"%(?:\d+\$)?(?:\([A-Za-z_][\w.]*\))?[-+#0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?"
    r"[diouxXeEfFgGcrsaAp@]"
)
BRACE = re.compile(r"\{\{\s*[A-Za-z_][\w.]*\s*\}\}|\{[A-Za-z_][\w.]*(?:![rsa])?(?::[^{}]*)?\}|\{\d+\}")
_UNNAMED_PRINTF = re.compile(r"^%[-+#0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGcrsaAp@]$")


@dataclass(frozen=True)
class Placeholder:
    token: str  # how it is written: "%(count)d", "{name}", "<x id=br1/>"
    start: int  # where in the text it stands (tags: the offset they were cut out at)
    tag: bool = False


def find(text: str) -> list[Placeholder]:
    """The format placeholders written in `text`, in order; ``%%`` is a literal percent."""
    found: list[Placeholder] = []
    escaped = {m.start() for m in re.finditer("%%", text)} | {m.start() + 1 for m in re.finditer("%%", text)}
    for m in PRINTF.finditer(text):
        if m.start() not in escaped:
            found.append(Placeholder(m.group(), m.start()))
    for m in BRACE.finditer(text):
        found.append(Placeholder(m.group(), m.start()))
    return sorted(found, key=lambda p: p.start)


def mask(text: str) -> str:
    """`text` with its format placeholders blanked out, every offset kept."""
    chars = list(text)
    for p in find(text):
        chars[p.start:p.start + len(p.token)] = " " * len(p.token)
    return "".join(chars)


def mask_document(doc: Document) -> Document:
    """A Document whose sentences have their placeholders blanked (for the name stage)."""
    if not any(find(s.text) for s in doc.sentences):
        return doc
    sentences = tuple(replace(s, text=mask(s.text)) if find(s.text) else s for s in doc.sentences)
    return replace(doc, text=mask(doc.text), sentences=sentences)


def ordered(text: str, tags: tuple[Placeholder, ...] = ()) -> tuple[str, ...]:
    """All placeholders of a unit, format ones and tags, in reading order."""
    return tuple(p.token for p in sorted([*find(text), *tags], key=lambda p: (p.start, not p.tag)))


@dataclass(frozen=True)
class Mismatch:
    rule: str  # "placeholder-missing", "placeholder-added", "placeholder-reordered"
    token: str
    code: str  # P101..P104
    severity: Severity
    message: str


def compare(source: tuple[str, ...], target: tuple[str, ...]) -> list[Mismatch]:
    """Missing, added and reordered placeholders of a target against its source."""
    out: list[Mismatch] = []
    src_count, tgt_count = Counter(source), Counter(target)
    for token, n in (src_count - tgt_count).items():
        times = f" ({n} of {src_count[token]})" if src_count[token] > 1 else ""
        out.append(Mismatch("placeholder-missing", token, "P101", Severity.MAJOR,
                            f"placeholder {token} of the source is missing from the translation{times}"))
    for token, n in (tgt_count - src_count).items():
        out.append(Mismatch("placeholder-added", token, "P102", Severity.MAJOR,
                            f"placeholder {token} is not in the source"))
    if out:
        return out
    unnamed_src = [t for t in source if _UNNAMED_PRINTF.match(t)]
    unnamed_tgt = [t for t in target if _UNNAMED_PRINTF.match(t)]
    if unnamed_src != unnamed_tgt:
        out.append(Mismatch("placeholder-reordered", " ".join(unnamed_tgt), "P103", Severity.MAJOR,
                            f"unnamed placeholders {' '.join(unnamed_src)} come as {' '.join(unnamed_tgt)}: "
                            "the values would swap (number them, e.g. %1$s)"))
    elif source != target:
        out.append(Mismatch("placeholder-reordered", " ".join(target), "P104", Severity.MINOR,
                            f"placeholders in another order: {' '.join(source)} -> {' '.join(target)}"))
    return out


__all__ = ["Mismatch", "Placeholder", "compare", "find", "mask", "mask_document", "ordered"]
