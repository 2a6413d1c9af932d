"""Reading documents safely and writing files atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from qe.errors import (
    BinaryFileError,
    EmptyDocumentError,
    EncodingError,
    MissingFileError,
    ReportError,
    TooLargeError,
)

# A news article is a few tens of kB; 50 MB of text is a book shelf. Past this
# the user almost certainly passed the wrong file, and alignment memory grows.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def decode_text(data: bytes, *, source: str = "input") -> str:
    """Bytes to text: UTF-8 (BOM tolerated), CRLF/CR folded to LF."""
    if b"\x00" in data[:8192]:
        raise BinaryFileError(f"{source}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"{source}: not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
            "convert it, e.g. `iconv -f latin1 -t utf-8`"
        ) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyDocumentError(f"{source}: holds no text")
    return text


def read_text(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a text document, refusing what is not one with a clear error."""
    p = Path(path)
    if not p.exists():
        raise MissingFileError(f"{p}: no such file")
    if p.is_dir():
        raise MissingFileError(f"{p}: is a directory, not a file")
    size = p.stat().st_size
    if size > max_bytes:
        raise TooLargeError(
            f"{p}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit (--max-bytes raises it)"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise MissingFileError(f"{p}: cannot be read ({exc.strerror})") from exc
    if not data:
        raise EmptyDocumentError(f"{p}: is empty")
    return decode_text(data, source=str(p))


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], mode: str = "w", **kwargs) -> Iterator[IO]:
    """Write to a temporary file beside `path`, rename over it only on success.

    A crash or an exception leaves whatever was at `path` untouched and no
    half-written file behind a good name.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ReportError(f"{target}: cannot write ({exc.strerror})") from exc
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("newline", "")
    try:
        # mkstemp creates 0600; a report is an ordinary file, so honour the umask
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: str | os.PathLike[str], content: str | bytes) -> Path:
    """Write a whole file atomically; returns the path."""
    mode = "wb" if isinstance(content, bytes) else "w"
    with atomic_writer(path, mode) as fh:
        fh.write(content)
    return Path(path)
