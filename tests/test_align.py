"""The aligner: table-driven edits, properties, gold-file scoring.

Most tests use the deterministic HashingEmbedder (texts sharing words are
similar, unrelated texts near-orthogonal), so bead decisions are exact and fast.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from qe.align import AlignSettings, align, build_runs, parse_beads, score_alignment
from qe.embed import HashingEmbedder

EMBEDDER = HashingEmbedder()


def _sentences(count: int, seed: int = 0) -> list[str]:
    """Distinct sentences with disjoint vocabularies: unambiguous partners."""
    rng = random.Random(seed)
    letters = "bcdfghjklmnpqrstvwxz"
    vowels = "aeiou"
    out = []
    for _ in range(count):
        words = ["".join(rng.choice(letters) + rng.choice(vowels) for _ in range(3)) for _ in range(9)]
        out.append(" ".join(words).capitalize() + ".")
    return out


POOL = _sentences(60)


def _align(src: list[str], tgt: list[str], *, same_language: bool = False, **kw):
    """`same_language`: as qe aligns a back-translation, with lexical features and word links."""
    s = AlignSettings(**kw)
    lexical = s.lexical_weight if same_language else 0.0
    a = build_runs(src, EMBEDDER.encode, max_run=s.max_run, lexical_weight=lexical)
    b = build_runs(tgt, EMBEDDER.encode, max_run=s.max_run, lexical_weight=lexical)
    return align(a, b, s)


def _pairs(alignment):
    return [(b.src, b.tgt) for b in alignment.beads]


# --------------------------------------------------------------------------- edits

S = POOL[:8]
CASES = [
    # (name, translation built from S, beads expected among the result)
    ("identity", S, [((k,), (k,)) for k in range(8)]),
    ("merge", S[:3] + [S[3] + " " + S[4]] + S[5:], [((3, 4), (3,)), ((5,), (4,))]),
    ("split", S[:3] + [S[3][: len(S[3]) // 2], S[3][len(S[3]) // 2:]] + S[4:], [((3,), (3, 4)), ((4,), (5,))]),
    ("omission", S[:4] + S[5:], [((4,), ()), ((5,), (4,))]),
    ("addition", S[:4] + [POOL[40]] + S[4:], [((), (4,)), ((4,), (5,))]),
    ("duplicate", S[:4] + [S[3]] + S[4:], [((4,), (5,))]),
]


def test_exact_duplicate_is_an_addition():
    """A copy has distance 0 to the run it would join; only its length tells it
    is extra, so the length term must be able to make a zero distance costly.
    Of two identical sentences the later one is the added copy."""
    beads = _pairs(_align(S, S[:4] + [S[3]] + S[4:]))
    assert ((3,), (3,)) in beads and ((), (4,)) in beads and ((4,), (5,)) in beads


NEWS = [
    "The committee met in Geneva on Tuesday to discuss the budget.",
    "Delegates from Norway argued for deeper cuts to travel spending.",
    "The chair proposed a compromise late in the evening.",
    "A final vote is expected next month in Brussels.",
]


@pytest.mark.parametrize("k", range(len(NEWS)))
def test_one_word_change_in_a_tiny_document_stays_a_pair(k):
    """When every other pair is identical, the 1-1 costs give a skip cost of ~0;
    the floor from unrelated pairs must keep an edited sentence paired."""
    words = NEWS[k].rstrip(".").split()
    words[-1] = "Bruges" if words[-1] != "Bruges" else "Ghent"
    tgt = NEWS[:k] + [" ".join(words) + "."] + NEWS[k + 1:]
    assert _pairs(_align(NEWS, tgt)) == [((i,), (i,)) for i in range(len(NEWS))]


def test_one_word_change_through_the_pipeline():
    from qe.pipeline import check, document_from_text

    original = " ".join(NEWS)
    report = check(document_from_text(original), document_from_text(original.replace("Brussels", "Bruges")),
                   embedder=EMBEDDER)
    assert [(b.bead.src, b.bead.tgt) for b in report.beads] == [((i,), (i,)) for i in range(len(NEWS))]


def test_added_sentence_keeps_its_place_in_a_tiny_document():
    beads = _pairs(_align(NEWS, NEWS[:2] + [POOL[7]] + NEWS[2:]))
    assert beads == [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,)), ((3,), (4,))]


def test_empty_sentences_are_harmless():
    """Blank lines of a presplit file are empty sentences: they pair with
    nothing (or sit inside a bead) and the other beads stay right."""
    src = POOL[:6]
    tgt = POOL[:2] + [""] + POOL[2:4] + ["", ""] + POOL[4:6]
    result = _align(src, tgt)
    assert _covered_once(result, len(src), len(tgt))
    pairs = _pairs(result)
    for k, j in zip(range(6), (0, 1, 3, 4, 7, 8)):
        assert any(k in s and j in t for s, t in pairs), (k, j, pairs)
    assert not any(s and t and all(tgt[x] == "" for x in t) for s, t in pairs)


@pytest.mark.parametrize("name,tgt,expected", CASES, ids=[c[0] for c in CASES])
def test_edit_is_recovered(name, tgt, expected):
    beads = _pairs(_align(S, tgt))
    for bead in expected:
        assert bead in beads, f"{name}: {bead} not in {beads}"


def test_moved_sentence_comes_back_as_moved_bead():
    src = POOL[:20]
    tgt = src[:3] + src[4:16] + [src[3]] + src[16:]  # sentence 3 moved 12 places down
    result = _align(src, tgt)
    moved = [b for b in result.beads if b.moved]
    assert [(b.src, b.tgt) for b in moved] == [((3,), (15,))]
    assert 0.0 <= moved[0].confidence <= 1.0


def test_no_moved_bead_for_a_plain_omission_and_addition():
    src = POOL[:20]
    tgt = src[:5] + src[6:12] + [POOL[50]] + src[12:]
    result = _align(src, tgt)
    assert not any(b.moved for b in result.beads)


LONG = _sentences(2600, seed=7)  # beyond the moved-text rival sample (qe.align._RIVAL_SAMPLE)


def test_moved_sentence_found_in_a_long_document():
    src = LONG
    tgt = src[:100] + src[101:2400] + [src[100]] + src[2400:]  # moved 2300 places down
    moved = [(b.src, b.tgt) for b in _align(src, tgt).beads if b.moved]
    assert moved == [((100,), (2399,))]


def test_generic_line_is_not_called_moved_in_a_long_document():
    # "Yes." stands in 40 places; dropping one and adding one elsewhere is an
    # omission plus an addition: no copy is a better partner than the others
    src = list(LONG)
    for k in range(40):
        src[30 + 60 * k] = "Yes."
    tgt = src[:30] + src[31:2000] + ["Yes."] + src[2000:]
    assert not any(b.moved for b in _align(src, tgt).beads)


@pytest.mark.parametrize("same_language", [False, True])
def test_confidence_in_unit_interval_and_lower_for_a_weak_pair(same_language):
    src = POOL[:10]
    weak = " ".join(src[5].split()[:3] + POOL[45].split()[3:])  # a third of the words survive
    tgt = src[:5] + [weak] + src[6:]
    beads = _align(src, tgt, same_language=same_language).beads
    assert all(b.confidence is not None and 0.0 <= b.confidence <= 1.0 for b in beads)
    by_src = {b.src: b for b in beads if b.src}
    if (5,) in by_src and by_src[(5,)].tgt:
        assert by_src[(5,)].confidence < min(by_src[(k,)].confidence for k in (1, 2, 3))


@pytest.mark.parametrize("added", [0, 12])
def test_gap_confidence_looks_where_the_path_passes(added):
    # the omitted sentence shares five of nine words with the next one: a
    # near partner next to where the path passes it makes the omission
    # uncertain, however much text was added before it (the same index on the
    # other side is unrelated added text when the path runs off the diagonal)
    src = list(POOL[:20])
    src[10] = " ".join(src[11].split()[:5] + POOL[30].split()[5:])
    tgt = list(POOL[40:40 + added]) + src[:10] + src[11:]
    gaps = [b for b in _align(src, tgt).beads if b.src == (10,) and not b.tgt]
    assert len(gaps) == 1
    assert gaps[0].confidence < 0.25


def test_empty_sides():
    assert _pairs(_align([], POOL[:2])) == [((), (0,)), ((), (1,))]
    assert _pairs(_align(POOL[:2], [])) == [((0,), ()), ((1,), ())]


def test_long_documents_use_the_band_and_stay_exact():
    """Past full_search_cells the coarse-to-fine search runs; on clean input it
    must still find the diagonal."""
    src = _sentences(400, seed=3)
    tgt = src[:200] + src[201:]
    result = _align(src, tgt, full_search_cells=10_000)
    pairs = _pairs(result)
    assert ((200,), ()) in pairs
    assert sum(1 for s, t in pairs if s and t) == 399


@pytest.mark.parametrize("shape", [(3, 2500), (700, 40)])
def test_cost_matrix_of_many_pairs_matches_each_pair_alone(shape):
    from qe.align import _bead_costs, _make_problem, _one_to_one_matrix

    rng = np.random.default_rng(0)
    src = build_runs(_sentences(800, seed=1), EMBEDDER.encode, max_run=1)
    tgt = build_runs(_sentences(2600, seed=2), EMBEDDER.encode, max_run=1)
    p = _make_problem(src, tgt, AlignSettings(max_run=1, max_bead=2))
    rows = rng.choice(len(src), shape[0], replace=False)
    cols = rng.choice(len(tgt), shape[1], replace=False)
    matrix = _one_to_one_matrix(p, rows, cols)  # by blocks of rows, the columns gathered once
    r, c = np.meshgrid(np.arange(len(rows)), np.arange(len(cols)), indexing="ij")
    alone = _bead_costs(p, 1, 1, rows[r.ravel()] + 1, cols[c.ravel()] + 1).reshape(matrix.shape)
    assert np.allclose(matrix, alone, rtol=0, atol=1e-5)


def test_link_features_keep_a_stem_once_per_run_and_weigh_rare_ones_most():
    from zlib import crc32

    from qe.align import link_features

    texts = ["Kherson bridge", "Kherson markets", "the Bridge", "a b", "of", "Kherson", "Chérson"]
    links = link_features(texts, max_run=4)
    by_row: dict[int, dict[int, float]] = {}
    for row, stem, weight in zip(links.rows().tolist(), links.ids.tolist(), links.weights.tolist()):
        by_row.setdefault(row, {})[stem] = weight
    h = {w: crc32(w.encode()) for w in ("khers", "bridg", "marke", "the", "chers")}
    # within three sentences of its last use a stem is left out; words under
    # three letters never count; accents fold, stems are five letters
    assert {r: set(v) for r, v in by_row.items()} == {
        0: {h["khers"], h["bridg"]}, 1: {h["marke"]}, 2: {h["the"]}, 5: {h["khers"]}, 6: {h["chers"]}}
    assert by_row[1][h["marke"]] == pytest.approx(math.log(7 / 1))  # once in seven sentences
    assert by_row[0][h["khers"]] == pytest.approx(math.log(7 / 2))  # kept twice


def test_lexical_features_count_each_words_signed_ngrams():
    from zlib import crc32

    from qe.align import lexical_features

    def bucket(gram: str) -> tuple[int, float]:
        h = crc32(gram.encode("utf-8"))
        return h % 1024, (1.0 if h & 0x80000000 else -1.0)

    expected = np.zeros(1024, dtype=np.float32)
    for gram in ("é", "t", "ét", "t"):  # "Ét, t": lower-cased, words apart, a repeat counts twice
        k, sign = bucket(gram)
        expected[k] += sign
    assert np.array_equal(lexical_features(["Ét, t"])[0], expected)


@hsettings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["Kherson", "bridge", "a", "été", "1956", "Taylor's", "x"]), max_size=6),
                min_size=1, max_size=12), st.integers(0, 3000))
def test_lexical_features_of_a_sentence_do_not_depend_on_its_neighbours(sentences, filler):
    from qe.align import lexical_features

    texts = [" ".join(words) for words in sentences]
    # after `filler` other sentences, past the blocks the counting works in
    together = lexical_features(["bridge over the river"] * filler + texts)[filler:]
    alone = np.stack([lexical_features([t])[0] for t in texts])
    assert np.array_equal(together, alone)
    doubled = lexical_features([t + " " + t for t in texts])
    assert np.array_equal(doubled, 2 * alone)


# --------------------------------------------------------------------------- properties

docs = st.lists(st.integers(0, len(POOL) - 1), min_size=1, max_size=25, unique=True)


def _covered_once(alignment, n: int, m: int) -> bool:
    src = sorted(i for b in alignment.beads for i in b.src)
    tgt = sorted(j for b in alignment.beads for j in b.tgt)
    return src == list(range(n)) and tgt == list(range(m))


@pytest.mark.parametrize("same_language", [False, True])
@hsettings(max_examples=40, deadline=None)
@given(docs, docs)
def test_every_index_covered_once_and_monotonic(same_language, a, b):
    src, tgt = [POOL[k] for k in a], [POOL[k] for k in b]
    result = _align(src, tgt, moved=False, same_language=same_language)
    assert _covered_once(result, len(src), len(tgt))
    flat_src = [i for bead in result.beads for i in bead.src]
    flat_tgt = [j for bead in result.beads for j in bead.tgt]
    assert flat_src == sorted(flat_src) and flat_tgt == sorted(flat_tgt)
    assert len(result.costs) == len(result.beads)


@pytest.mark.parametrize("same_language", [False, True])
@hsettings(max_examples=40, deadline=None)
@given(docs, docs)
def test_moved_beads_keep_coverage(same_language, a, b):
    src, tgt = [POOL[k] for k in a], [POOL[k] for k in b]
    assert _covered_once(_align(src, tgt, same_language=same_language), len(src), len(tgt))


def _in_reading_order(alignment) -> bool:
    """Beads with original text in original order; in-place pairs monotonic;
    an added bead between the in-place pairs its translation index falls between."""
    beads = alignment.beads
    src_starts = [b.src[0] for b in beads if b.src]
    anchors = [(k, b) for k, b in enumerate(beads) if b.src and b.tgt and not b.moved]
    if src_starts != sorted(src_starts) or [b.tgt[0] for _, b in anchors] != sorted(b.tgt[0] for _, b in anchors):
        return False
    for k, b in enumerate(beads):
        if b.src:
            continue
        before = [a.tgt[-1] for pos, a in anchors if pos < k]
        after = [a.tgt[0] for pos, a in anchors if pos > k]
        if (before and before[-1] > b.tgt[0]) or (after and after[0] < b.tgt[0]):
            return False
    return True


@pytest.mark.parametrize("same_language", [False, True])
@hsettings(max_examples=40, deadline=None)
@given(docs, docs)
def test_beads_come_out_in_reading_order(same_language, a, b):
    src, tgt = [POOL[k] for k in a], [POOL[k] for k in b]
    assert _in_reading_order(_align(src, tgt, same_language=same_language))


@pytest.mark.parametrize("same_language", [False, True])
@hsettings(max_examples=30, deadline=None)
@given(docs)
def test_identical_documents_align_on_the_diagonal(same_language, a):
    src = [POOL[k] for k in a]
    assert _pairs(_align(src, src, same_language=same_language)) == [((k,), (k,)) for k in range(len(src))]


@hsettings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, len(POOL) - 1), min_size=4, max_size=25, unique=True), st.integers(0, 1000),
       st.data())
def test_a_name_two_neighbours_share_does_not_pay_for_merging_them(a, seed, data):
    """A rare word in two neighbouring sentences links each to both partners.
    Counted once per bead, it earns the 2-2 bead no more than the two 1-1
    beads (the seed back-translation lost three 1-1 pairs to 2-2 beads over
    two sentences naming DeepState). The translation keeps five of each
    sentence's nine words and says the other four elsewhere, as a free
    translation does, so no sentence shares all it could with its partner."""
    from qe.align import _link_rewards, _make_problem

    names = _sentences(1, seed=seed + 1)[0].rstrip(".").split() * len(a)
    words = [POOL[k].rstrip(".").split() for k in a]
    half = len(a) // 2
    src = [" ".join(w + [names[pos // 2]]) + "." for pos, w in enumerate(words)]
    tgt = [" ".join(w[:5] + [names[pos // 2]] + words[(pos + half) % len(a)][5:]) + "."
           for pos, w in enumerate(words)]
    s = AlignSettings()
    p = _make_problem(*(build_runs(t, EMBEDDER.encode, max_run=s.max_run, lexical_weight=s.lexical_weight)
                        for t in (src, tgt)), s)
    assert p.link_scale > 0
    k = 2 * data.draw(st.integers(0, len(a) // 2 - 1))  # sentences k, k+1 share a name

    def reward(n: int, m: int, end: int) -> float:
        shared = (p.src_links[end - n:end] @ p.tgt_links[end - m:end].T).sum()
        return float(_link_rewards(p, n, m, end, np.array([end]), np.array([shared]))[0])

    assert reward(2, 2, k + 2) <= reward(1, 1, k + 1) + reward(1, 1, k + 2) + 1e-9


@pytest.mark.parametrize("same_language", [False, True])
@hsettings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, len(POOL) - 1), min_size=2, max_size=25, unique=True), st.data())
def test_one_deleted_sentence_is_one_omission(same_language, a, data):
    src = [POOL[k] for k in a]
    gone = data.draw(st.integers(0, len(src) - 1))
    beads = _pairs(_align(src, src[:gone] + src[gone + 1:], same_language=same_language))
    assert [bd for bd in beads if not bd[1]] == [((gone,), ())]
    assert all(len(s) == 1 and len(t) == 1 for s, t in beads if s and t)


# --------------------------------------------------------------------------- gold files

def test_parse_beads():
    text = "# comment\n[0]:[0]\n[1, 2]:[1]\n[]:[2]\n[3]:[]\n\n[4]:[3, 4]  0.93\n"
    assert parse_beads(text) == [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), ()), ((4,), (3, 4))]
    with pytest.raises(ValueError, match="line 2"):
        parse_beads("[0]:[0]\nnot a bead\n")


SCORE_CASES = [
    # (hypothesis, gold, strict P, strict R, lax P, lax R)
    ([((0,), (0,)), ((1,), (1,))], [((0,), (0,)), ((1,), (1,))], 1.0, 1.0, 1.0, 1.0),
    ([((0,), (0,)), ((1,), (1,))], [((0,), (0,)), ((1,), (1, 2))], 0.5, 0.5, 1.0, 1.0),
    ([((0, 1), (0,))], [((0,), (0,)), ((1,), (1,))], 0.0, 0.0, 1.0, 0.5),
    ([((0,), (1,)), ((1,), (0,))], [((0,), (0,)), ((1,), (1,))], 0.0, 0.0, 0.0, 0.0),
    # beads with an empty side are ignored on both sides
    ([((0,), (0,)), ((1,), ())], [((0,), (0,)), ((), (1,))], 1.0, 1.0, 1.0, 1.0),
    ([], [((0,), (0,))], 0.0, 0.0, 0.0, 0.0),
]


@pytest.mark.parametrize("hyp,gold,sp,sr,lp,lr", SCORE_CASES)
def test_score_alignment(hyp, gold, sp, sr, lp, lr):
    s = score_alignment(hyp, gold)
    assert (s.strict_precision, s.strict_recall, s.lax_precision, s.lax_recall) == pytest.approx((sp, sr, lp, lr))
    assert s.strict_f1 == pytest.approx(0.0 if sp + sr == 0 else 2 * sp * sr / (sp + sr))


def test_gold_lines_keep_blank_lines(tmp_path):
    from qe.evaluate import read_lines

    path = tmp_path / "doc.txt"
    path.write_text("One.\n\nThree.\n", encoding="utf-8")
    assert read_lines(path) == ["One.", "", "Three."]


def test_eval_align_command_prints_the_gold_table():
    from typer.testing import CliRunner

    from qe.cli import app
    from qe.evaluate import bundled_gold_sets

    result = CliRunner().invoke(app, ["eval-align", "--model", "hashing"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("gold set") and "strict P" in lines[0]
    for g in bundled_gold_sets():
        row = next(line for line in lines if line.startswith(g.name))
        strict_f1 = float(row.split()[-5])
        assert 0.0 <= strict_f1 <= 1.0 and row.endswith("hashing-256")


# --------------------------------------------------------------------------- real model

# What the defaults reach with all-MiniLM-L6-v2 (see the README); a drop below
# these floors is a regression. Text+Berg dev's 0.90 goal is not reached yet.
SEED_FLOOR = 0.95
TEXTBERG_FLOOR = 0.85


@pytest.mark.model
def test_real_model_on_gold_sets(real_embedder):
    from qe.evaluate import evaluate_bundled

    rows = {r.gold_set.name: r.score for r in evaluate_bundled(embedder=real_embedder)}
    for name in ("ft-call backtranslation", "ft-call spun"):
        assert rows[name].strict_f1 >= SEED_FLOOR, (name, rows[name])
    textberg = [name for name in rows if name.startswith("textberg")]
    if not textberg:
        pytest.skip("Text+Berg dev not found at ../shared/eval/textberg-dev relative to the repository")
    assert rows[textberg[0]].strict_f1 >= TEXTBERG_FLOOR, rows[textberg[0]]
