"""Property tests over every stage that reads outside text, with hostile input.

Generated text mixes control, bidi and invisible characters, look-alike and
fullwidth letters, formula starts, huge numbers, long tokens and names; feed
lines add deep JSON and values of every type. Each stage gets at least
MIN_INPUTS generated inputs, batched many to one example so hypothesis's own
cost stays small, and each call has a time budget: a call over it fails the
test (a return of the super-linear regexes would). The counts are printed in
the test summary (see conftest.py).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qe.errors import QEError
from qe.hidden import has_hidden, visible

MIN_INPUTS = 10_000
BATCH = 50
EXAMPLES = MIN_INPUTS * 21 // 20 // BATCH  # a margin: blank feed lines are skipped, not counted
# Per call, on a batch of BATCH inputs (or one alignment): generous for a loaded
# CI machine, far below the tens of seconds the super-linear cases took.
BUDGET_S = 5.0

COUNTS: dict[str, int] = {}

FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))

SPECIAL = ["\u202e", "\u202c", "\u2066", "\u200b", "\u200d", "\ufeff", "\x1b[2J", "\x1b]0;t\x07", "\x07", "\x08",
           "\r", "\x00", "\x0b", "\u0085", "\u2028", "=", "+", "-", "@", "\t", "\n", "\n\n", ". ", "? ", "kl. ",
           "Kherson", "\u041aherson", "\uff2bherson", "Bill Taylor", "Truth Social", "U.S.", "3.5", "1,000",
           "12 p.m.", "80s", "COVID-19", "½", "٣", "Москва", "東京", "\U0001f600", "<U+202E>", "<script>",
           "=HYPERLINK(\"http://x\")"]

pieces = st.one_of(
    st.text(max_size=30),
    st.sampled_from(SPECIAL),
    st.integers(min_value=-(10 ** 400), max_value=10 ** 400).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.builds(lambda ch, n: ch * n, st.sampled_from("9aK. ,-"), st.integers(100, 1500)),  # long tokens
)
texts = st.lists(pieces, max_size=12).map("".join)


def _batch(seeds: list[str], seed: int, n: int) -> list[str]:
    """n texts recombined from hypothesis's `seeds` and the hostile pieces: a
    big batch costs hypothesis one small draw, and still holds what it chose."""
    rng = np.random.default_rng(seed)
    pool = seeds + SPECIAL + [str(10 ** int(rng.integers(300, 400))), "9" * 1200, "K" + "a" * 800]
    return ["".join(pool[int(k)] for k in rng.integers(0, len(pool), int(rng.integers(1, 8)))) for _ in range(n)]


def batch_of(n: int):
    return st.builds(_batch, st.lists(texts, min_size=1, max_size=8), st.integers(0, 2 ** 32 - 1), st.just(n))


batches = batch_of(BATCH)


def _count(stage: str, n: int) -> None:
    COUNTS[stage] = COUNTS.get(stage, 0) + n


def _timed(stage: str, fn, *args, budget: float = BUDGET_S, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    seconds = time.perf_counter() - start
    assert seconds < budget, f"{stage}: {seconds:.2f} s for one call"
    return out


def _done(stage: str) -> None:
    assert COUNTS.get(stage, 0) >= MIN_INPUTS, COUNTS


# -- reading ----------------------------------------------------------------------------

_ENCODINGS = ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig")


def _raw(texts_: list[str], blobs: list[bytes]) -> list[bytes]:
    out = []
    for k, t in enumerate(texts_):
        data = t.encode(_ENCODINGS[k % len(_ENCODINGS)], "surrogatepass")
        if k % 7 == 0:
            data = data + b"x" * (k * 131) + b"\x00" + data  # a NUL past the first 8 KiB, sometimes
        out.append(data)
    return out + blobs


def test_fuzz_reading():
    from qe.io import decode_text

    @FUZZ
    @given(batches, st.lists(st.binary(max_size=200), max_size=4))
    def run(batch, blobs):
        batch = _raw(batch, blobs)

        def read_all():
            for data in batch:
                try:
                    text = decode_text(data)
                except QEError:
                    continue
                assert "\x00" not in text and "\r" not in text and text.strip()
        _timed("reading", read_all)
        _count("reading", len(batch))

    run()
    _done("reading")


def _lines(batch: list[str], drawn: list[str], seed: int) -> list[str]:
    """Feed lines: records whose fields are generated texts or values of any
    JSON type, lines nested deeper than the parser goes, 5,000-digit ids, text."""
    rng = np.random.default_rng(seed)
    values = [None, True, 3, -(10 ** 40), 1.5e308, [], {}, [["x"]], {"a": {"b": 1}}]
    out = []
    for k, t in enumerate(batch):
        pick = int(rng.integers(8))
        if pick == 0:
            depth = int(rng.integers(1, 3000))
            out.append("[" * depth + "]" * depth)
        elif pick == 1:
            out.append('{"id": ' + "7" * int(rng.integers(4000, 6000)) + ', "original": "a", "translation": "a"}')
        elif pick == 2:
            out.append(t)
        else:
            def field():
                return t if rng.random() < 0.6 else values[int(rng.integers(len(values)))]
            record = {"id": field(), "original": field(), "translation": field()}
            if rng.random() < 0.5:
                record["src_lang"] = ["en", "sv", t, 5, None][int(rng.integers(5))]
            if rng.random() < 0.3:
                record["meta"] = field()
            out.append(json.dumps(record))
    # a feed line ends at LF or CR (and nowhere else)
    return [ln.replace("\n", " ").replace("\r", " ") for ln in out + drawn]


def test_fuzz_feed_lines(tmp_path):
    from qe.feed import Feed

    @FUZZ
    @given(batches, st.integers(0, 2 ** 32 - 1))
    def run(batch, seed):
        lines = _lines(batch, [], seed)
        lines = [ln for ln in lines if ln.strip()]
        feed = tmp_path / "feed.jsonl"
        feed.write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
        got = _timed("feed", lambda: list(Feed(feed)))
        assert len(got) == len(lines)
        for r in got:
            assert r.error is not None or (isinstance(r.original, str) and isinstance(r.translation, str))
            assert not has_hidden(r.id)
        _count("feed lines", len(lines))

    run()
    _done("feed lines")


# -- segmentation, quantities, names ----------------------------------------------------------

def test_fuzz_segmentation():
    from qe.segment import split_sentences

    @FUZZ
    @given(batches, st.sampled_from(["en", "sv", "de", "fr"]), st.booleans())
    def run(batch, language, presplit):
        def split_all():
            for text in batch:
                try:
                    doc = split_sentences(visible(text), language, presplit=presplit)
                except QEError:
                    continue
                for s in doc.sentences:
                    assert not has_hidden(s.text)
                    if not presplit:
                        assert s.text == " ".join(doc.text[s.start:s.end].split())
        _timed("segmentation", split_all)
        _count("segmentation", len(batch))

    run()
    _done("segmentation")


def test_fuzz_quantities():
    from qe.names import find_quantities

    @FUZZ
    @given(batches, st.sampled_from(["en", "sv", "de"]))
    def run(batch, language):
        def find_all():
            for text in batch:
                for q in find_quantities(visible(text), language):
                    assert all(np.isfinite(v) for v in q.readings)
        _timed("quantities", find_all)
        _count("quantities", len(batch))

    run()
    _done("quantities")


def _document(sentences: list[str], language: str = "en"):
    from qe.models import Document, Sentence

    out, pos = [], 0
    for k, text in enumerate(sentences):
        out.append(Sentence(k, text, k, pos, pos + len(text)))
        pos += len(text) + 1
    return Document(text="\n".join(sentences), sentences=tuple(out), language=language, name="fuzz")


def _clean(batch: list[str]) -> list[str]:
    return [" ".join(visible(t).split()) or "x" for t in batch]


def test_fuzz_names():
    from qe.hidden import comparison_document
    from qe.models import Bead
    from qe.names import check_names

    @settings(FUZZ, max_examples=EXAMPLES // 2)
    @given(batch_of(2 * BATCH), st.integers(0, 2 ** 32 - 1))
    def run(batch, seed):
        rng = np.random.default_rng(seed)
        src_texts = _clean(batch)
        # translations: the same sentence, another generated one, or the same with a piece swapped
        tgt_texts = [s if rng.random() < 0.4 else src_texts[int(rng.integers(len(src_texts)))] for s in src_texts]
        src, tgt = _document(src_texts), _document(tgt_texts)
        beads = [Bead((k,), (k,)) for k in range(len(src_texts))]
        flags = _timed("names", check_names, comparison_document(src), comparison_document(tgt), beads)
        assert len(flags) == len(beads)
        _count("names (sentence pairs)", len(beads))

    # loading the tagger and the lexicons is not the stage's cost per call
    warm = _clean(_batch(["Kherson", "Mr Smith of Acme Corp"], 0, 2 * BATCH))
    check_names(_document(warm), _document(warm[::-1]), [Bead((k,), (k,)) for k in range(len(warm))])
    run()
    _done("names (sentence pairs)")


# -- alignment ---------------------------------------------------------------------------------

def test_fuzz_alignment():
    from qe.align import AlignSettings, align, build_runs

    settings_ = AlignSettings()

    @settings(FUZZ, max_examples=2 * EXAMPLES)
    @given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 2 ** 32 - 1), st.sampled_from(["random", "copy",
                                                                                                "reverse", "same"]))
    def run(n, m, seed, shape):
        rng = np.random.default_rng(seed)
        a = rng.normal(size=(n, 16)).astype(np.float32)
        if shape == "copy" and n:
            b = a[rng.integers(0, n, m)] if m else a[:0]
        elif shape == "reverse":
            b, m = a[::-1].copy(), n
        elif shape == "same":
            b = np.repeat(a[:1], m, axis=0) if n else rng.normal(size=(m, 16)).astype(np.float32)
        else:
            b = rng.normal(size=(m, 16)).astype(np.float32)
        src = build_runs([f"s{i}" for i in range(n)], None, max_run=settings_.max_run, sentence_vectors=a)
        tgt = build_runs([f"t{j}" for j in range(len(b))], None, max_run=settings_.max_run, sentence_vectors=b)
        alignment = _timed("alignment", align, src, tgt, settings_)
        covered_src = sorted(i for bead in alignment.beads for i in bead.src)
        covered_tgt = sorted(j for bead in alignment.beads for j in bead.tgt)
        assert covered_src == list(range(n)) and covered_tgt == list(range(len(b)))
        _count("alignment (sentences)", n + len(b))

    run()
    _done("alignment (sentences)")


# -- writers -------------------------------------------------------------------------------------

def _report_from(batch: list[str], rng: np.random.Generator):
    from qe.models import (Bead, BeadScores, CorpusScores, Flag, FlagKind, Gate, Report, ScoredBead, Severity,
                           Thresholds, Verdict)

    half = len(batch) // 2
    src, tgt = _document(_clean(batch[:half])), _document(_clean(batch[half:]))
    beads = []
    for k in range(half):
        kind = rng.integers(4)
        bead = Bead((k,), (k,), confidence=float(rng.random())) if kind else Bead((k,), ())
        flags = (Flag(FlagKind.CHANGED, Severity.MAJOR, batch[k], batch[half + k], f"{batch[k]} became {batch[k]}",
                      k, k, k),) if kind == 1 else ()
        scores = BeadScores(bleu=float(rng.random() * 100), chrf=None, similarity=float(rng.random()))
        beads.append(ScoredBead(bead, scores, flags, Verdict.WRONG if flags else Verdict.OK))
    return Report(original=src, translation=tgt, beads=tuple(beads),
                  corpus=CorpusScores(1.0, None, 0.5, "sig", None), thresholds=Thresholds(),
                  gate=Gate(False, (batch[0],)), signature={"qe": "fuzz", "note": batch[-1]},
                  notes=(batch[1],))


def test_fuzz_writers():
    from qe.reporting import RENDERERS
    from qe.reporting.cells import FORMULA_STARTS

    # big reports, few calls: the writers' cost is per text, their overhead per call
    @settings(FUZZ, max_examples=MIN_INPUTS * 21 // 20 // 250)
    @given(batch_of(250), st.integers(0, 2 ** 32 - 1))
    def run(batch, seed):
        report = _report_from(batch, np.random.default_rng(seed))
        for fmt, (_, render) in RENDERERS.items():
            out = _timed(f"writer {fmt}", render, report, budget=5 * BUDGET_S)  # 250 texts, five times a batch
            if fmt == "xlsx":
                continue  # binary; its cells are the CSV's, checked below
            assert not has_hidden(out.lstrip("\ufeff").replace("\r\n", "\n")), fmt
            if fmt == "json":
                json.loads(out)
            elif fmt == "junit":
                ET.fromstring(out)
            elif fmt == "csv":
                for row in csv.reader(io.StringIO(out.lstrip("\ufeff"))):
                    assert not any(cell.lstrip(" \u00a0").startswith(FORMULA_STARTS) for cell in row), row
            _count(f"writer {fmt} (texts)", len(batch))
        _count("writer xlsx (texts)", len(batch))

    warm = _report_from(["a", "b", "c", "d"], np.random.default_rng(0))
    for _, render in RENDERERS.values():  # imports (pandas, openpyxl) are not a call's cost
        render(warm)
    run()
    for fmt in RENDERERS:
        _done(f"writer {fmt} (texts)")


def test_fuzz_summary_writers():
    from qe.batch import DocumentRow, Status
    from qe.reporting.feed_summary import render_summary_csv, render_summary_html, render_summary_json

    @FUZZ
    @given(batches)
    def run(batch):
        rows = [DocumentRow(id=t or "x", status=Status.ERROR, error=t, where=t) for t in batch]
        out = _timed("summary", lambda: (render_summary_csv(rows), render_summary_html(rows, {"qe": "fuzz"}),
                                         render_summary_json(rows, {"qe": "fuzz"})))
        for text in out:
            assert not has_hidden(text.lstrip("\ufeff").replace("\r\n", "\n"))
        for row in list(csv.reader(io.StringIO(out[0].lstrip("\ufeff"))))[1:]:
            assert not row[0].lstrip(" \u00a0").startswith(("=", "+", "-", "@", "\t", "\r"))
        _count("summary writers (rows)", len(rows))

    run()
    _done("summary writers (rows)")
