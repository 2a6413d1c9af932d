"""Bilingual files as feed records for `qe batch`: one record per file and
language pair (a TMX with three target languages gives three). A file that
cannot be read becomes an error record; the other files are still checked.

Records are yielded as FeedRecord keyword arguments; qe.feed makes them
FeedRecords (so this module need not import qe.feed, which dispatches here)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from qe.bilingual.read import is_bilingual, read_bilingual
from qe.errors import FeedError, QEError


def bilingual_files(path: Path) -> list[Path]:
    """The bilingual files of a directory (not recursive), in name order."""
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError as exc:
        raise FeedError(f"{path}: cannot be listed ({exc.strerror})") from exc
    return [Path(e.path) for e in entries if e.is_file() and is_bilingual(Path(e.name))]


def records(path: Path, *, max_bytes: int) -> Iterator[dict]:
    files = bilingual_files(path) if path.is_dir() else [path]
    if not files:
        raise FeedError(f"{path}: holds no XLIFF, TMX or PO file")
    for file in files:
        where = file.name
        try:
            documents = read_bilingual(file, max_bytes=max_bytes)
        except QEError as exc:
            yield dict(id=file.name, where=where, error=str(exc))
            continue
        for doc in documents:
            rid = file.name + (f" {doc.tgt_tag}" if len(documents) > 1 else "")
            units = doc.checked()
            if not units:
                from qe.bilingual.check import status_note

                yield dict(id=rid, where=where, error=f"no translated unit to check ({status_note(doc)})")
                continue
            yield dict(id=rid, original="\n\n".join(u.source.text for u in units),
                             translation="\n\n".join(u.target.text for u in units),
                             src_lang=doc.src_lang, tgt_lang=doc.tgt_lang, where=where, bilingual=doc)


def count(path: Path) -> int:
    return len(bilingual_files(path)) if path.is_dir() else 1
