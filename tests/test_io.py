import pytest

from qe.errors import BinaryFileError, EmptyDocumentError, EncodingError, MissingFileError, TooLargeError
from qe.io import atomic_writer, decode_text, read_text, write_atomic


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"Hello.\n", "Hello.\n"),
        (b"\xef\xbb\xbfHello.\r\nWorld.\r\n", "Hello.\nWorld.\n"),  # BOM and CRLF
        (b"Old Mac\rline", "Old Mac\nline"),  # lone CR
        ("Göteborg ”citat”".encode("utf-8"), "Göteborg ”citat”"),
    ],
)
def test_decode_text_accepts_utf8_variants(data, expected):
    assert decode_text(data) == expected


@pytest.mark.parametrize(
    "data, error, words",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", BinaryFileError, "binary"),
        ("Göteborg".encode("latin-1"), EncodingError, "not valid UTF-8"),
        (b"   \n\n\t", EmptyDocumentError, "no text"),
    ],
)
def test_decode_text_refuses_non_text(data, error, words):
    with pytest.raises(error, match=words):
        decode_text(data, source="x.txt")


def test_read_text_errors(tmp_path):
    with pytest.raises(MissingFileError, match="no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(MissingFileError, match="directory"):
        read_text(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(EmptyDocumentError, match="empty"):
        read_text(empty)
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    with pytest.raises(TooLargeError, match="limit"):
        read_text(big, max_bytes=100)


def test_atomic_writer_keeps_old_file_on_failure(tmp_path):
    target = write_atomic(tmp_path / "report.json", "old")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as fh:
            fh.write("half a rep")
            raise RuntimeError("crash mid-write")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temp file left


def test_atomic_writer_replaces_on_success(tmp_path):
    target = write_atomic(tmp_path / "sub" / "r.csv", "a")
    write_atomic(target, "b")
    assert target.read_text() == "b"


def test_atomic_writer_files_get_ordinary_permissions(tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        target = write_atomic(tmp_path / "r.html", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
