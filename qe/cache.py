"""An on-disk embedding cache, and an Embedder wrapper that uses it.

Embedding is the slow stage (the model runs at tens of sentences a second on a
laptop CPU); sentences repeat across re-runs of a feed, across revisions of an
article, and across articles (boilerplate, datelines). `CachedEmbedder(inner,
path)` looks every sentence up by (model key, sentence text) in a SQLite file
and asks `inner` only for the ones it has never seen, in one call.

The store is safe to share between qe processes: WAL journal (readers never
block the writer), a busy timeout instead of "database is locked", and
`INSERT OR IGNORE` so two processes that embedded the same sentence both
succeed. Vectors are float32 bytes; the key is a 128-bit BLAKE2b of the text
(so keys are small whatever the sentence length; collisions are negligible).
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from qe.embed import Embedder
from qe.errors import ConfigError

DEFAULT_CACHE_PATH = Path(".qe-cache") / "embeddings.sqlite"

# SQLite refuses more than 32766 host parameters in one statement (999 in old
# builds); 500 keys a query is well inside both.
_CHUNK = 500
_BUSY_TIMEOUT_MS = 60_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    key   BLOB NOT NULL,
    dim   INTEGER NOT NULL,
    vec   BLOB NOT NULL,
    PRIMARY KEY (model, key)
) WITHOUT ROWID
"""


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def model_key(embedder: Embedder) -> str:
    """What identifies an embedder's vectors: its name, and the text prefix
    some models put before each sentence (same model, other vectors)."""
    prefix = getattr(embedder, "prefix", "")
    return f"{embedder.name}|prefix={prefix}" if prefix else embedder.name


class EmbeddingStore:
    """The SQLite table: (model, text) -> float32 vector."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=_BUSY_TIMEOUT_MS / 1000,
                                       isolation_level=None, check_same_thread=False)
            self._db.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            self._set_wal()
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable enough for a cache
            self._db.execute(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"{self.path}: cannot be used as an embedding cache ({exc}); "
                              "delete it or pass another --cache") from exc
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot create the embedding cache ({exc.strerror})") from exc

    def _set_wal(self) -> None:
        # Switching the journal mode needs an exclusive lock, and SQLite does not
        # apply the busy handler to it: two processes opening a new cache at the
        # same moment can see SQLITE_BUSY here, so retry for a while.
        deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def get_many(self, model: str, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        for i in range(0, len(keys), _CHUNK):
            chunk = list(keys[i:i + _CHUNK])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, dim, vec FROM embeddings WHERE model = ? AND key IN ({marks})", [model, *chunk])
            for key, dim, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape[0] == dim:  # a short blob is damage, not a vector: re-embed it
                    found[bytes(key)] = vec
        return found

    def put_many(self, model: str, items: Iterable[tuple[bytes, np.ndarray]]) -> None:
        rows = [(model, key, int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes())
                for key, v in items]
        if not rows:
            return
        # One transaction per batch: one fsync, and a reader never sees half of it.
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR IGNORE INTO embeddings (model, key, dim, vec) VALUES (?, ?, ?, ?)",
                                 rows)

    def count(self, model: str | None = None) -> int:
        if model is None:
            return self._db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
        return self._db.execute("SELECT COUNT(*) FROM embeddings WHERE model = ?", [model]).fetchone()[0]

    def close(self) -> None:
        self._db.close()


class CachedEmbedder:
    """An Embedder that remembers: same `name` and `encode` as the one it wraps.

    `path=None` keeps no file, only the in-memory memo that `prefetch` fills,
    which still lets a batch run encode many documents' sentences in one call.
    `hits` counts distinct sentences of a call found on disk, `misses` those the
    model had to embed; sentences served from the prefetch memo count as neither.
    """

    def __init__(self, inner: Embedder, path: str | Path | None = DEFAULT_CACHE_PATH):
        self.inner = inner
        self.name = inner.name
        self.prefix = getattr(inner, "prefix", "")
        self._model = model_key(inner)
        self.store = EmbeddingStore(path) if path is not None else None
        self._memo: dict[bytes, np.ndarray] = {}
        self.hits = 0
        self.misses = 0

    def _lookup(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found = {k: self._memo[k] for k in keys if k in self._memo}
        rest = [k for k in keys if k not in found]
        if rest and self.store is not None:
            on_disk = self.store.get_many(self._model, rest)
            self.hits += len(on_disk)
            found.update(on_disk)
        return found

    def _fill(self, texts: Sequence[str], *, remember: bool) -> dict[bytes, np.ndarray]:
        unique: dict[bytes, str] = {}
        for t in texts:
            unique.setdefault(text_key(t), t)
        keys = list(unique)
        found = self._lookup(keys)
        missing = [k for k in keys if k not in found]
        self.misses += len(missing)
        if missing:
            vectors = np.asarray(self.inner.encode([unique[k] for k in missing]), dtype=np.float32)
            new = dict(zip(missing, vectors))
            if self.store is not None:
                self.store.put_many(self._model, new.items())
            found.update(new)
        if remember:
            self._memo.update(found)
        return found

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return self.inner.encode([])
        found = self._fill(texts, remember=False)
        return np.stack([found[text_key(t)] for t in texts]).astype(np.float32, copy=False)

    def prefetch(self, texts: Sequence[str]) -> None:
        """Make sure `texts` are embedded, in one call to the model, and keep
        their vectors in memory until `release()`: a batch runner calls this
        for the next few documents, then checks them one by one."""
        self._fill(texts, remember=True)

    def release(self) -> None:
        """Forget the prefetched vectors (they stay on disk)."""
        self._memo.clear()

    def close(self) -> None:
        self.release()
        if self.store is not None:
            self.store.close()
