"""XLIFF 1.2 / 2.x, TMX and PO files -> BilingualDocument (units with states),
through translate-toolkit's storage classes.

translate-toolkit parses; this module decides what qe checks: a unit's plain
text (inline tags cut out and kept as placeholder tokens, the text inside
``<g>``/``<pc>``/``<mrk>`` kept), its status (translated, untranslated, empty,
fuzzy) from the format's own attributes, and the file's languages.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from qe.errors import BilingualFileError, MissingFileError, TooLargeError
from qe.io import DEFAULT_MAX_BYTES
from qe.langid import base_language
from qe.placeholders import Placeholder, ordered

SUFFIXES = {".xlf": "xliff", ".xliff": "xliff", ".sdlxliff": "xliff", ".mqxliff": "xliff",
            ".tmx": "tmx", ".po": "po", ".pot": "po"}

# Elements whose content is code (a tag of the document format), not words.
_CODE = {"x", "bx", "ex", "ph", "bpt", "ept", "it", "sc", "ec", "cp", "ut", "hi"}
# Elements that wrap words: their text is kept, the wrapping becomes a pair of tokens.
_PAIRED = {"g", "pc"}
# Elements that annotate words (terms, comments, segment marks): text kept, no token.
_TRANSPARENT = {"mrk", "sub", "sm", "em"}
# XLIFF 1.2 target states (and state-qualifiers) that mean "not a finished translation".
_UNTRANSLATED_STATES = {"new", "needs-translation", "needs-adaptation", "needs-l10n"}
_FUZZY_STATES = {"needs-review-translation", "needs-review-adaptation", "needs-review-l10n"}
_FUZZY_QUALIFIERS = {"fuzzy-match", "leveraged-tm", "leveraged-inherited", "mt-suggestion"}


class UnitStatus(str, enum.Enum):
    """Whether a unit is checked: only TRANSLATED ones are."""

    TRANSLATED = "translated"
    UNTRANSLATED = "untranslated"  # no target, or a state that says it still needs translating
    EMPTY = "empty"  # a target element with no text (or a source with none)
    FUZZY = "fuzzy"  # a draft: PO's fuzzy flag, XLIFF needs-review / initial states


@dataclass(frozen=True)
class Side:
    """One side of a unit: the words (tags cut out) and its placeholders in order."""

    text: str
    placeholders: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    id: str
    position: int  # the unit's index among the file's units (the annotator finds it by this)
    source: Side
    target: Side | None
    status: UnitStatus


@dataclass(frozen=True)
class BilingualDocument:
    """The units of one file for one language pair."""

    path: str
    format: str  # "xliff-1.2", "xliff-2.0", "tmx", "po"
    src_lang: str | None  # from the file's attributes (ISO 639-1), None when it has none
    tgt_lang: str | None
    units: tuple[Unit, ...]
    tgt_tag: str = ""  # the TMX language tag of the target (a TMX holds several)

    def counts(self) -> Counter:
        return Counter(u.status.value for u in self.units)

    def checked(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.status is UnitStatus.TRANSLATED)


def is_bilingual(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _element_side(element) -> Side:
    """Text and placeholder tokens of a <source>/<target>/<seg> element."""
    parts: list[str] = []
    tags: list[Placeholder] = []
    pos = 0

    def add(text: str | None) -> None:
        nonlocal pos
        if text:
            parts.append(text)
            pos += len(text)

    def token(name: str, child, closing: str = "") -> str:
        ident = child.get("id") or child.get("x") or child.get("i") or child.get("rid") or ""
        return f"<{closing}{name}{' id=' + ident if ident else ''}{'/' if name in _CODE else ''}>"

    def walk(node) -> None:
        add(node.text)
        for child in node:
            name = _local(child.tag)
            if name in _PAIRED:
                tags.append(Placeholder(token(name, child), pos, tag=True))
                walk(child)
                tags.append(Placeholder(token(name, child, "/"), pos, tag=True))
            elif name in _TRANSPARENT:
                walk(child)
            elif name:  # code (x, ph, bpt …) and anything unknown: a tag, content skipped
                tags.append(Placeholder(token(name, child), pos, tag=True))
            add(child.tail)

    walk(element)
    text = "".join(parts)
    return Side(text, ordered(text, tuple(tags)))


def _xml_error(path: Path, what: str, exc: Exception) -> BilingualFileError:
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return BilingualFileError(f"{path}: not valid {what} ({detail})")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    if not path.is_file():
        raise MissingFileError(f"{path}: no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise TooLargeError(f"{path}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit "
                            "(--max-bytes raises it)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise MissingFileError(f"{path}: cannot be read ({exc.strerror})") from exc


_XLIFF_VERSION = re.compile(rb"<xliff\b[^>]*\bversion\s*=\s*[\"']([0-9.]+)", re.S)


def load_store(path: Path, data: bytes):
    """The translate-toolkit store for a file, and qe's name for its format."""
    kind = SUFFIXES.get(path.suffix.lower())
    try:
        if kind == "xliff":
            m = _XLIFF_VERSION.search(data[:4096])
            if m and m.group(1).startswith(b"2"):
                from translate.storage.xliff2 import Xliff2File

                return Xliff2File.parsestring(data), "xliff-2.0"
            from translate.storage.xliff import xlifffile

            return xlifffile.parsestring(data), "xliff-1.2"
        if kind == "tmx":
            from translate.storage.tmx import tmxfile

            return tmxfile.parsestring(data), "tmx"
        if kind == "po":
            from translate.storage.pypo import pofile

            return pofile.parsestring(data), "po"
    except Exception as exc:  # lxml.etree.XMLSyntaxError, ValueError …: the file is broken
        raise _xml_error(path, {"xliff": "XLIFF", "tmx": "TMX", "po": "PO"}[kind], exc) from exc
    raise BilingualFileError(f"{path}: not a bilingual file (expected {', '.join(sorted(SUFFIXES))})")


def read_bilingual(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[BilingualDocument]:
    """The file's units, one BilingualDocument per language pair (a TMX may hold
    several target languages; XLIFF and PO hold one)."""
    path = Path(path)
    data = _read_bytes(path, max_bytes)
    store, fmt = load_store(path, data)
    if fmt == "tmx":
        return _tmx_documents(path, store)
    if fmt == "po":
        return [_po_document(path, store, data)]
    return [_xliff_document(path, store, fmt)]


def _xliff_status(unit, fmt: str, target: Side | None, target_el) -> UnitStatus:
    if target_el is None:
        return UnitStatus.UNTRANSLATED
    if fmt == "xliff-2.0":
        state = unit.xmlelement.get("state")
        if not target.text.strip():
            return UnitStatus.EMPTY
        # XLIFF 2 calls a segment without a state "initial", but tools that
        # write no state at all mean a plain translation: only an explicit
        # initial is a draft
        return UnitStatus.FUZZY if state == "initial" else UnitStatus.TRANSLATED
    state = target_el.get("state")
    if state in _UNTRANSLATED_STATES:
        return UnitStatus.UNTRANSLATED
    if not target.text.strip() and not target.placeholders:
        return UnitStatus.EMPTY
    if state in _FUZZY_STATES or target_el.get("state-qualifier") in _FUZZY_QUALIFIERS:
        return UnitStatus.FUZZY
    return UnitStatus.TRANSLATED


def _xliff_document(path: Path, store, fmt: str) -> BilingualDocument:
    units = []
    for position, unit in enumerate(store.units):
        if unit.isheader() or not unit.istranslatable():
            continue
        src_el = unit.getlanguageNode(lang=None, index=0)
        tgt_el = unit.getlanguageNode(lang=None, index=1)
        source = _element_side(src_el) if src_el is not None else Side("")
        target = _element_side(tgt_el) if tgt_el is not None else None
        status = UnitStatus.EMPTY if not source.text.strip() else _xliff_status(unit, fmt, target, tgt_el)
        units.append(Unit(str(unit.getid() or position).replace("\x04", "/"), position, source, target, status))
    if not units:
        raise BilingualFileError(f"{path}: holds no translation units")
    return BilingualDocument(str(path), fmt, base_language(store.getsourcelanguage()),
                             base_language(store.gettargetlanguage()), tuple(units))


def _po_document(path: Path, store, data: bytes) -> BilingualDocument:
    units = []
    for position, unit in enumerate(store.units):
        if unit.isheader() or unit.isobsolete():
            continue
        source = Side(str(unit.source), ordered(str(unit.source)))
        text = str(unit.target or "")
        target = Side(text, ordered(text)) if text else None
        if not source.text.strip():
            status = UnitStatus.EMPTY
        elif unit.isfuzzy():
            status = UnitStatus.FUZZY
        elif target is None:
            status = UnitStatus.UNTRANSLATED
        else:
            status = UnitStatus.TRANSLATED
        units.append(Unit(str(unit.getid() or position).replace("\x04", "|"), position, source, target, status))
    if not units:
        raise BilingualFileError(f"{path}: holds no messages (a PO syntax error?)")
    header = store.parseheader() if hasattr(store, "parseheader") else {}
    # gettext has no source-language field: msgids are written in the
    # programmer's language, which detection tells
    return BilingualDocument(str(path), "po", None, base_language(header.get("Language")), tuple(units))


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _tuv_lang(tuv) -> str:
    return tuv.get(_XML_LANG) or tuv.get("lang") or ""


def _tmx_documents(path: Path, store) -> list[BilingualDocument]:
    header = store.document.getroot().find("header")
    declared = header.get("srclang") if header is not None else None
    tus = [u for u in store.units]
    langs: Counter = Counter()
    firsts: Counter = Counter()
    for tu in tus:
        tuv_langs = [_tuv_lang(t) for t in tu.xmlelement if _local(t.tag) == "tuv"]
        langs.update(set(tuv_langs))
        if tuv_langs:
            firsts[tuv_langs[0]] += 1
    if not tus:
        raise BilingualFileError(f"{path}: holds no translation units")
    if declared in (None, "", "*all*"):
        declared = firsts.most_common(1)[0][0] if firsts else None
    src_tag = next((t for t in langs if t.lower() == (declared or "").lower()), declared)
    targets = sorted(t for t in langs if t and t.lower() != (src_tag or "").lower())
    if not src_tag or not targets:
        raise BilingualFileError(f"{path}: a TMX with no target language (its units hold only "
                                 f"{', '.join(sorted(t for t in langs if t)) or 'no language'})")
    docs = []
    for tgt_tag in targets:
        units = []
        for position, tu in enumerate(tus):
            sides = {_tuv_lang(t).lower(): t for t in tu.xmlelement if _local(t.tag) == "tuv"}
            src_tuv, tgt_tuv = sides.get(src_tag.lower()), sides.get(tgt_tag.lower())
            seg = _tmx_seg(src_tuv)
            source = _element_side(seg) if seg is not None else Side("")
            tseg = _tmx_seg(tgt_tuv)
            target = _element_side(tseg) if tseg is not None else None
            if not source.text.strip():
                status = UnitStatus.EMPTY
            elif target is None:
                status = UnitStatus.UNTRANSLATED
            elif not target.text.strip():
                status = UnitStatus.EMPTY
            else:
                status = UnitStatus.TRANSLATED
            uid = tu.xmlelement.get("tuid") or str(position + 1)
            units.append(Unit(uid, position, source, target, status))
        docs.append(BilingualDocument(str(path), "tmx", base_language(src_tag), base_language(tgt_tag),
                                      tuple(units), tgt_tag=tgt_tag))
    return docs


def _tmx_seg(tuv):
    if tuv is None:
        return None
    return next((c for c in tuv if _local(c.tag) == "seg"), None)
