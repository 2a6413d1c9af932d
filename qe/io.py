"""Reading documents safely and writing files atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from qe.errors import (
    BinaryFileError,
    ConfigError,
    EmptyDocumentError,
    EncodingError,
    MissingFileError,
    ReportError,
    TooLargeError,
)

# A news article is a few tens of kB. The limit is what this machine checks in
# minutes within a few GB (benchmarks/bench_sizes.py, README "Sizes"); past it
# the user almost certainly passed the wrong file.
DEFAULT_MAX_BYTES = 2 * 1024 * 1024

_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def size_text(n: int) -> str:
    """A byte count as people read it: 1024-based, "50 MB", "1.5 MB", "800 kB"."""
    for unit, scale in (("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value == int(value) or value >= 100 else f"{value:.1f} {unit}"
    return f"{n} bytes"


def check_max_bytes(max_bytes: int) -> None:
    if not isinstance(max_bytes, int) or max_bytes < 1:
        raise ConfigError(f"--max-bytes must be a positive number of bytes, not {max_bytes!r}")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'-be' when every other byte of a sample is NUL, as in UTF-16
    text of a Latin script written without a byte-order mark."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def decode_text(data: bytes, *, source: str = "input") -> str:
    """Bytes to text: UTF-8 (BOM tolerated) or UTF-16 (with a BOM, or Latin text
    without one), CRLF/CR folded to LF. NUL bytes anywhere mean binary."""
    encoding = next((enc for bom, enc in _UTF16_BOMS if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            at = data.index(b"\x00")
            raise BinaryFileError(f"{source}: looks like a binary file, not text (a NUL byte at offset {at})")
    if encoding is not None:
        try:
            text = data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise EncodingError(f"{source}: looks like {encoding.upper()} but is not valid {encoding.upper()} "
                                f"(byte {exc.start}); convert it to UTF-8") from exc
        if "\x00" in text:
            raise BinaryFileError(f"{source}: looks like a binary file, not text (a NUL character)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise EncodingError(
                f"{source}: not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
                "convert it, e.g. `iconv -f latin1 -t utf-8`"
            ) from exc
    return normalise_text(text, source=source)


def normalise_text(text: str, *, source: str = "input") -> str:
    """Line breaks folded to LF; refuses a text with nothing in it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyDocumentError(f"{source}: holds no text")
    return text


def read_text(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a text document, refusing what is not one with a clear error."""
    check_max_bytes(max_bytes)
    p = Path(path)
    if not p.exists():
        raise MissingFileError(f"{p}: no such file")
    if p.is_dir():
        raise MissingFileError(f"{p}: is a directory, not a file")
    size = p.stat().st_size
    if size > max_bytes:
        raise TooLargeError(f"{p}: {size_text(size)} ({size:,} bytes) is over the {size_text(max_bytes)} limit "
                            "(--max-bytes raises it)")
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
    if target.is_dir():
        raise ReportError(f"{target}: is a directory; give a file name")
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
