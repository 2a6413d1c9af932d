"""The embedding cache: hits and misses, keys, sharing between processes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from qe.cache import CachedEmbedder, EmbeddingStore
from qe.embed import HashingEmbedder
from qe.errors import ConfigError


class CountingEmbedder:
    """Wraps an embedder and records every text it was asked to embed."""

    def __init__(self, inner=None):
        self.inner = inner or HashingEmbedder()
        self.name = self.inner.name
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        return self.inner.encode(texts)


def test_vectors_are_the_inner_embedders(tmp_path):
    texts = ["Anna Lind visited Oslo.", "Prices rose 4%.", "Anna Lind visited Oslo."]
    cached = CachedEmbedder(HashingEmbedder(), tmp_path / "c.sqlite")
    got = cached.encode(texts)
    assert got.dtype == np.float32 and got.shape == (3, 256)
    np.testing.assert_array_equal(got, HashingEmbedder().encode(texts))
    # and again, now from disk, through a new process-like instance
    again = CachedEmbedder(HashingEmbedder(), tmp_path / "c.sqlite").encode(texts)
    np.testing.assert_array_equal(again, got)


@pytest.mark.parametrize(
    "first, second, hits, misses, asked",
    [
        (["a b", "c d"], ["a b", "c d"], 2, 0, []),  # unchanged: nothing embedded
        (["a b", "c d"], ["a b", "e f"], 1, 1, [["e f"]]),  # one new sentence
        (["a b"], ["x y", "x y", "z"], 0, 2, [["x y", "z"]]),  # duplicates embedded once
        ([], ["a b"], 0, 1, [["a b"]]),
    ],
)
def test_hits_and_misses(tmp_path, first, second, hits, misses, asked):
    path = tmp_path / "c.sqlite"
    if first:
        CachedEmbedder(HashingEmbedder(), path).encode(first)
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, path)
    cached.encode(second)
    assert (cached.hits, cached.misses) == (hits, misses)
    assert inner.calls == asked


def test_model_name_is_part_of_the_key(tmp_path):
    path = tmp_path / "c.sqlite"
    CachedEmbedder(HashingEmbedder(256), path).encode(["same text"])
    other = CachedEmbedder(HashingEmbedder(64), path)
    vec = other.encode(["same text"])
    assert (other.hits, other.misses) == (0, 1)
    assert vec.shape == (1, 64)
    store = EmbeddingStore(path)
    assert store.count("hashing-256") == 1 and store.count("hashing-64") == 1


def test_prefix_is_part_of_the_key(tmp_path):
    path = tmp_path / "c.sqlite"
    plain, prefixed = HashingEmbedder(), HashingEmbedder()
    prefixed.prefix = "query: "
    CachedEmbedder(plain, path).encode(["t"])
    c = CachedEmbedder(prefixed, path)
    c.encode(["t"])
    assert c.misses == 1


def test_prefetch_makes_one_model_call_without_a_file():
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, None)
    cached.prefetch(["a", "b", "c"])
    cached.encode(["a", "b"])
    cached.encode(["c"])
    assert inner.calls == [["a", "b", "c"]]
    cached.release()
    cached.encode(["a"])
    assert inner.calls[-1] == ["a"]  # released: no file behind it, so embedded again


def test_empty_input(tmp_path):
    assert CachedEmbedder(HashingEmbedder(), tmp_path / "c.sqlite").encode([]).shape[0] == 0


def test_a_file_that_is_not_a_cache_is_a_clear_error(tmp_path):
    bad = tmp_path / "c.sqlite"
    bad.write_bytes(b"this is not a database, just some bytes " * 50)
    with pytest.raises(ConfigError, match="cannot be used as an embedding cache"):
        CachedEmbedder(HashingEmbedder(), bad).encode(["x"])


WRITER = textwrap.dedent("""
    import sys
    from qe.cache import CachedEmbedder
    from qe.embed import HashingEmbedder
    path, start = sys.argv[1], int(sys.argv[2])
    cached = CachedEmbedder(HashingEmbedder(64), path)
    # many small transactions, overlapping the other writer's sentences
    for i in range(start, start + 1200, 40):
        cached.encode([f"sentence number {j}" for j in range(i, i + 40)])
    print(cached.misses)
""")


def test_two_processes_writing_at_once_do_not_corrupt_it(tmp_path):
    path = tmp_path / "shared.sqlite"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(start)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for start in (0, 600)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    texts = [f"sentence number {j}" for j in range(1800)]
    reader = CachedEmbedder(CountingEmbedder(HashingEmbedder(64)), path)
    np.testing.assert_array_equal(reader.encode(texts), HashingEmbedder(64).encode(texts))
    assert (reader.hits, reader.misses) == (1800, 0)
