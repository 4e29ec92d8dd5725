"""Shared test set-up.

Tiers: pure unit tests; cassette tests at the model boundary (vcrpy replays
HTTP recorded from a real OpenAI-compatible server, record mode "none");
stub-server tests for failures (real HTTP on loopback); a few end-to-end runs
of the real embedded model (marked ``embedded``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
CASSETTES = ROOT / "cassettes"

# Cassettes are recorded from the embedded llama.cpp server started on this
# fixed loopback address (tests/record_cassettes.py); replay needs no server.
CASSETTE_BASE_URL = "http://127.0.0.1:8765/v1"
CASSETTE_MODEL = "gemma-3-270m"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No test reads the developer's endpoint, key or caches."""
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "SUMMARIZER_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(Path.home() / ".cache" / "summarizer"))


@pytest.fixture(scope="module")
def vcr_cassette_dir(request) -> str:
    return str(CASSETTES / Path(request.node.fspath).stem)


@pytest.fixture(scope="module")
def vcr_config() -> dict:
    # Record mode stays pytest-recording's default, "none" (replay only);
    # tests/record_cassettes.py passes --record-mode=rewrite.
    return {
        "filter_headers": ["authorization", "api-key", "x-api-key", "openai-organization", "openai-project", "cookie", "set-cookie"],
        "match_on": ["method", "scheme", "host", "port", "path", "query", "body"],
        "decode_compressed_response": True,
    }


@pytest.fixture
def cassette_key() -> str:
    """The key cassette tests send: a real one only while recording, a dummy on replay."""
    return os.environ.get("PYTEST_OPENAI_API_KEY") or "badkey"


@pytest.fixture
def outdir(tmp_path) -> Path:
    """A summaries folder holding two outlets' reports of the same event (tests/summary_factory.py)."""
    from tests import summary_factory as factory

    folder = tmp_path / "out"
    factory.write(folder, factory.harbor_summary())
    factory.write(folder, factory.coastal_summary())
    return folder
