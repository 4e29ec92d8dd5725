"""The real embedded model, started by the tool itself, on a short sample article."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from summarizer.cli import main
from summarizer.models import ArticleSummary
from tests.grounding_checks import assert_contract

SHORT_ARTICLE = Path(__file__).parent / "fixtures" / "articles" / "short_detention.txt"

pytestmark = [
    pytest.mark.embedded,
    pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None,
                       reason="llama-cpp-python is not installed (pip install -e '.[local]')"),
]


def test_summarize_starts_the_embedded_model_and_writes_a_grounded_summary(tmp_path, capsys):
    out = tmp_path / "summary.json"
    assert main([str(SHORT_ARTICLE), "-o", str(out)]) == 0
    summary = ArticleSummary.model_validate_json(out.read_text(encoding="utf-8"))
    assert_contract(summary)
    assert summary.provenance.endpoint == "embedded"
    assert summary.provenance.model == "gemma-3-270m"
    assert summary.article.published is not None
    assert "Like Us on Facebook" not in summary.article.text
    stderr = capsys.readouterr().err
    assert "starting the embedded model" in stderr and "done in" in stderr


def test_stdin_summary_goes_to_stdout_as_json_alone(monkeypatch, capsys):
    class Stdin:
        buffer = __import__("io").BytesIO(SHORT_ARTICLE.read_bytes())

    monkeypatch.setattr("sys.stdin", Stdin())
    assert main(["-", "--strategy", "stepwise"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["article"]["source"] is None
    assert "summarize:" not in captured.out
