"""An API key never appears in outputs, logs, errors, the batch store or cassettes.

A recognizable fake key is planted (by environment and by --api-key), the
failure paths are run against a loopback stub that echoes the key back in its
error bodies, as some servers do, with every logger (openai, httpx, httpcore
included) at DEBUG into a file; then every file written and every line printed
is scanned for the key and for its distinctive tail.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from summarizer.cli import main
from tests.conftest import CASSETTES
from tests.hardening_stub import user_message
from tests.stub_server import Reply, StubServer, chat_reply
from tests.test_cli import SHORT_ARTICLE, draft_answer

KEY = "sk-test-PLANTED-7f3a9c2e51d04b88e6"
TAIL = KEY[-12:]  # what a partial echo ("...04b88e6") would still show
MARKER = "MARKER-FAIL"


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch):
    monkeypatch.setattr("summarizer.engine.BACKOFF_BASE_S", 0.01)


@pytest.fixture
def debug_log(tmp_path):
    """Every logger at DEBUG, into a file under tmp_path (scanned with the rest)."""
    path = tmp_path / "logs" / "debug.log"
    path.parent.mkdir()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    named = [logging.getLogger(name) for name in ("openai", "httpx", "httpcore", "instructor", "summarizer")]
    saved = [(logger, logger.level) for logger in [root, *named]]
    root.addHandler(handler)
    for logger, _ in saved:
        logger.setLevel(logging.DEBUG)
    yield path
    root.removeHandler(handler)
    handler.close()
    for logger, level in saved:
        logger.setLevel(level)


def echoing(request: dict) -> Reply | None:
    """Error bodies that repeat the Authorization header, for the marked article only."""
    authorization = next((v for k, v in request["headers"].items() if k.lower() == "authorization"), "")
    if MARKER in user_message(request) or not user_message(request):
        return Reply(503, {"error": {"message": f"overloaded; you sent {authorization}"}})
    return None


def assert_no_key(where: str, data: bytes | str) -> None:
    blob = data.encode("utf-8", "replace") if isinstance(data, str) else data
    for secret in (KEY, TAIL):
        assert secret.encode() not in blob, f"the key ({secret}) leaked into {where}"


def scan_tree(root: Path) -> int:
    scanned = 0
    for path in root.rglob("*"):
        if path.is_file():
            assert_no_key(str(path), path.read_bytes())
            scanned += 1
    return scanned


def test_planted_key_never_leaks_through_failure_paths(tmp_path, monkeypatch, capsys, debug_log):
    article = tmp_path / "in" / "article.txt"
    article.parent.mkdir()
    text = SHORT_ARTICLE.read_text(encoding="utf-8")
    article.write_text(text + f"\n{MARKER}\n", encoding="utf-8")
    out = tmp_path / "out"
    printed = []

    def run(argv: list[str]) -> int:
        code = main(argv)
        captured = capsys.readouterr()
        printed.append(captured.out + captured.err)
        return code

    # 401 whose body echoes the key; key from the environment.
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with StubServer([Reply(401, {"error": {"message": f"Incorrect API key provided: {KEY}"}})]) as stub:
        assert run([str(article), "--base-url", stub.base_url, "--model", "m"]) == 3
    # 5xx echoing the Authorization header, until the retries run out; key by flag.
    monkeypatch.delenv("OPENAI_API_KEY")
    with StubServer(responder=echoing) as stub:
        assert run([str(article), "--base-url", stub.base_url, "--model", "m", "--api-key", KEY,
                    "--max-retries", "2", "-o", str(out / "one.json")]) == 3
        assert all(f"Bearer {KEY}" in request["headers"].values() for request in stub.requests)  # it was sent
    # A server that hangs; a body that is not JSON but repeats the key.
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with StubServer([Reply(delay_s=1.0, body={})]) as stub:
        assert run([str(article), "--base-url", stub.base_url, "--model", "m", "--timeout", "0.3",
                    "--max-retries", "1"]) == 3
    with StubServer([Reply(200, f"<html>proxy: bad token {KEY}</html>")]) as stub:
        assert run([str(article), "--base-url", stub.base_url, "--model", "m", "--max-retries", "1"]) == 3
    # Model listing refused with the key echoed (no --model given).
    with StubServer([Reply(403, {"error": {"message": f"key {KEY} may not list models"}})]) as stub:
        assert run([str(article), "--base-url", stub.base_url]) == 3
    # A batch where one article's requests fail with the key echoed, the others succeed.
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(3):
        extra = f"\n{MARKER}\n" if number == 1 else ""
        (inbox / f"story_{number}.txt").write_text(f"{text}\nStory {number}.\n{extra}", encoding="utf-8")
    with StubServer([chat_reply(draft_answer())], responder=echoing) as stub:
        assert run(["batch", str(inbox), "-o", str(out / "batch"), "--base-url", stub.base_url, "--model", "m",
                    "--strategy", "single", "--jobs", "1", "--max-retries", "1", "--api-key", KEY]) == 1
    # A healthy run writes its summary too.
    with StubServer([chat_reply(draft_answer())]) as stub:
        assert run([str(SHORT_ARTICLE), "--base-url", stub.base_url, "--model", "m", "-o", str(out / "ok.json")]) == 0

    for number, lines in enumerate(printed):
        assert_no_key(f"printed output of run {number}", lines)
    assert "refused the credentials" in printed[0] and "OPENAI_API_KEY" in printed[0]
    assert "HTTP 503" in printed[1] and "not JSON" in printed[3]
    assert debug_log.stat().st_size > 0  # the loggers did write
    assert (out / "ok.json").exists() and list((out / "batch").glob("*.sqlite*"))
    assert scan_tree(tmp_path) >= 8


KEY_SHAPES = re.compile(rb"sk-[A-Za-z0-9_-]{16,}|Bearer\s+[A-Za-z0-9._-]{8,}|api[_-]?key['\"]?\s*[:=]\s*['\"]?[A-Za-z0-9_-]{12,}",
                        re.IGNORECASE)


def test_cassettes_hold_nothing_that_looks_like_a_key():
    files = [path for path in CASSETTES.rglob("*") if path.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        assert not KEY_SHAPES.search(data), f"{path} holds something shaped like a key"
        assert b"authorization" not in data.lower(), f"{path} keeps an Authorization header"
