"""The real embedded model, started by the tool itself, on a short sample article."""

from __future__ import annotations

import importlib.util
import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
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


def _run_until_ready(args: list[str]) -> tuple[subprocess.Popen, str]:
    """Start `summarize` as a real process; return it and its model server's URL once ready."""
    process = subprocess.Popen([sys.executable, "-m", "summarizer", *args], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    for line in process.stderr:
        found = re.search(r"\((http://127\.0\.0\.1:\d+/v1)\) ready", line)
        if found:
            return process, found.group(1)
    raise AssertionError("the embedded model never became ready")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/models", timeout=2):
            return True
    except OSError:
        return False


def _gone_within(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _answers(url):
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_the_embedded_server_stops_with_the_command(stop_signal):
    # `single` on the 270M model runs long enough to be interrupted mid-answer.
    process, url = _run_until_ready([str(SHORT_ARTICLE), "--strategy", "single"])
    assert _answers(url)
    process.send_signal(stop_signal)
    code = process.wait(timeout=30)
    assert _gone_within(url, 15), f"model server still answering after {stop_signal.name}"
    if stop_signal != signal.SIGKILL:
        assert code == 130
        assert "Traceback" not in process.stderr.read()
