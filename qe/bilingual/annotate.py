"""Findings written back into a copy of the bilingual file, where CAT tools show them.

    XLIFF 1.2  a <note from="qe"> on the unit; a failing unit's target gets
               state="needs-review-translation"
    XLIFF 2.x  a <note category="qe"> on the unit; a failing segment gets
               state="initial" and subState="qe:needs-review" (2.0 has no
               needs-review state; initial is what tools show as a draft)
    PO         a translator comment ("# qe: ..."); a failing message gets the fuzzy flag
    TMX        a <note> on the translation unit

The input is parsed again (the checked copy is never edited in place) and
the result written atomically; units are found by their position in the file.
Notes qe wrote on an earlier run are replaced, not piled up.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from qe.bilingual.check import UnitReport
from qe.bilingual.read import load_store
from qe.errors import ConfigError
from qe.io import write_atomic

NOTE_ORIGIN = "qe"
PREFIX = "qe: "


def annotate(path: str | os.PathLike, results: Iterable[UnitReport], out: str | os.PathLike) -> Path:
    """Write a copy of `path` with every result's findings on its units to `out`."""
    src, dst = Path(path), Path(out)
    if dst.exists() and dst.resolve() == src.resolve():
        raise ConfigError(f"--annotate {dst}: is the input file; qe never modifies its input, name another file")
    data = src.read_bytes()
    store, fmt = load_store(src, data)
    units = list(store.units)
    notes: dict[int, list[str]] = {}
    failing: set[int] = set()
    for result in results:
        tag = f"[{result.document.tgt_tag}] " if result.document.tgt_tag else ""
        for index, lines in result.findings().items():
            notes.setdefault(result.document.units[index].position, []).extend(tag + line for line in lines)
        failing |= {result.document.units[i].position for i in result.failing()}
    for unit in units:  # all first: segments of one XLIFF 2 unit share its notes
        _clear(unit, fmt)
    for position, unit in enumerate(units):
        lines = notes.get(position)
        if not lines:
            continue
        _note(unit, fmt, lines)
        if position in failing:
            _mark(unit, fmt)
    return write_atomic(dst, bytes(store))


def _clear(unit, fmt: str) -> None:
    """Drop notes an earlier qe run wrote, so re-annotating does not stack them."""
    if fmt == "po":
        kept = [line for line in (unit.getnotes("translator") or "").split("\n") if not line.startswith(PREFIX)]
        unit.removenotes("translator")
        if any(kept):
            unit.addnote("\n".join(kept), origin="translator")
        return
    for note in list(_note_elements(unit, fmt)):
        if note.get("from") == NOTE_ORIGIN or note.get("category") == NOTE_ORIGIN or \
                (note.text or "").startswith(PREFIX):
            container = note.getparent()
            container.remove(note)
            if fmt == "xliff-2.0" and len(container) == 0:
                container.getparent().remove(container)


def _note_elements(unit, fmt: str):
    if fmt == "xliff-2.0":
        container = unit.getunitelement().find(unit.namespaced("notes"))
        return [] if container is None else list(container)
    if fmt == "tmx":
        return [n for n in unit.xmlelement if n.tag == "note"]
    return list(unit.xmlelement.iterchildren(unit.namespaced("note")))


def _note(unit, fmt: str, lines: list[str]) -> None:
    text = "\n".join(PREFIX + line for line in lines)
    if fmt == "po":
        unit.addnote(text, origin="translator")
    elif fmt == "xliff-2.0":
        from lxml import etree

        # notes belong to the <unit>, before its segments (translate-toolkit's
        # addnote puts them in the segment, which the 2.0 schema does not allow)
        element = unit.getunitelement()
        container = element.find(unit.namespaced("notes"))
        if container is None:
            container = etree.Element(unit.namespaced("notes"))
            after_meta = sum(1 for c in element if isinstance(c.tag, str) and not c.tag.endswith("}segment")
                             and not c.tag.endswith("}ignorable") and not c.tag.endswith("}originalData"))
            element.insert(after_meta, container)
        note = etree.SubElement(container, unit.namespaced("note"), category=NOTE_ORIGIN)
        segment = unit.xmlelement.get("id")
        if segment and len(element.findall(unit.namespaced("segment"))) > 1:
            note.text = text.replace(PREFIX, f"{PREFIX}[segment {segment}] ")
        else:
            note.text = text
    elif fmt == "tmx":
        from lxml import etree

        note = etree.Element("note")
        note.text = text
        # TMX puts notes before the first <tuv>
        first_tuv = next((i for i, c in enumerate(unit.xmlelement) if c.tag == "tuv"), 0)
        unit.xmlelement.insert(first_tuv, note)
    else:
        unit.addnote(text, origin=NOTE_ORIGIN)


def _mark(unit, fmt: str) -> None:
    if fmt == "po":
        unit.markfuzzy(True)
    elif fmt == "xliff-2.0":
        unit.xmlelement.set("state", "initial")
        unit.xmlelement.set("subState", "qe:needs-review")
    elif fmt == "xliff-1.2":
        target = unit.getlanguageNode(lang=None, index=1)
        if target is not None:
            target.set("state", "needs-review-translation")
