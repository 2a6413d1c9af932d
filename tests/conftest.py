"""Shared fixtures: a fast deterministic embedder for most tests, the real
bundled model (session-scoped: loaded once) for tests marked `model`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # tests never reach a hub
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
SHARED_EVAL = ROOT.parent / "shared" / "eval"

# A small two-paragraph news text with names and a number, for CLI-level tests.
COMMITTEE_TEXT = (
    "The committee met in Geneva on Tuesday to discuss the budget. "
    "Delegates from Norway argued for deeper cuts to travel spending. "
    "The chair proposed a compromise late in the evening.\n"
    "Several members asked for more time to read the proposal. "
    "The secretariat promised a revised draft by Friday. "
    "A final vote is expected next month in Brussels.\n"
)


@pytest.fixture
def hashing():
    from qe.embed import HashingEmbedder

    return HashingEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    from qe.embed import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    embedder.encode(["warm-up"])  # a load failure shows here, not mid-test
    return embedder


@pytest.fixture
def write(tmp_path):
    """write('name.txt', text) -> Path in a fresh temp dir."""

    def _write(name: str, content: str | bytes) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        return p

    return _write


def pytest_terminal_summary(terminalreporter):
    """The fuzz tests' input counts, so a CI log shows how much was generated."""
    import sys

    fuzz = sys.modules.get("test_fuzz") or sys.modules.get("tests.test_fuzz")
    counts = getattr(fuzz, "COUNTS", None)
    if counts:
        terminalreporter.write_sep("-", "fuzzed inputs per stage")
        for stage, n in sorted(counts.items()):
            terminalreporter.write_line(f"{stage:28} {n:>8,}")
