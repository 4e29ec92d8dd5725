"""The command line, in-process: exit codes, one-line errors, JSON alone on stdout."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from summarizer import __version__
from summarizer.cli import main
from tests.stub_server import StubServer, chat_reply

SHORT_ARTICLE = Path(__file__).parent / "fixtures" / "articles" / "short_detention.txt"

REAL_QUOTE = "They are terrified of being sent back,"
INVENTED_QUOTE = "We will free every prisoner tomorrow"


def draft_answer() -> dict:
    evidence = "Chinese police detained nine North Korean defectors in Yanji on Tuesday, according to a Seoul-based aid group."
    return {
        "summary": "Chinese police detained nine North Korean defectors in Yanji.",
        "incidents": [{"type": "detention", "description": "Nine defectors were detained.", "date_text": "on Tuesday",
                       "location_text": "Yanji", "city": "Yanji", "country": "China", "people_text": "nine North Korean defectors",
                       "count": 9, "actors": ["Chinese police"], "subjects": "North Korean defectors",
                       "evidence": [{"text": evidence}]}],
        "positions": [{"stakeholder": "Crossing Bridges", "kind": "ngo", "issue": "repatriation", "stance": "opposes",
                       "position": "The group asks Beijing not to send them back.",
                       "evidence": [{"text": "We are asking Beijing to let them travel to the South."}]}],
        "quotes": [{"text": REAL_QUOTE, "speaker": "Park Sun-hee", "kind": "direct"},
                   {"text": INVENTED_QUOTE, "speaker": "Park Sun-hee", "kind": "direct"}],
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0 and __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "--base-url" in capsys.readouterr().out


def test_a_missing_file_is_one_line_and_exit_2(capsys):
    assert main(["/nonexistent/article.txt"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "article.txt" in err[0] and "Traceback" not in err[0]


def test_an_empty_file_is_refused_before_any_model_starts(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    assert main([str(empty)]) == 2
    err = capsys.readouterr().err
    assert "no text" in err and "starting" not in err


def test_a_wrong_base_url_fails_with_one_clear_line(capsys):
    code = main([str(SHORT_ARTICLE), "--base-url", f"http://127.0.0.1:{free_port()}/v1", "--model", "m", "--max-retries", "1"])
    assert code == 3
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("summarize: error")]
    assert len(errors) == 1 and "cannot reach" in errors[0] and "--base-url" in errors[0]
    assert captured.out == ""


def test_a_malformed_base_url_names_the_setting(capsys):
    assert main([str(SHORT_ARTICLE), "--base-url", "localhost:11434"]) == 2
    assert "--base-url / OPENAI_BASE_URL" in capsys.readouterr().err


def test_several_articles_need_an_output_folder(capsys):
    assert main([str(SHORT_ARTICLE), str(SHORT_ARTICLE)]) == 2
    assert "-o FOLDER" in capsys.readouterr().err


def test_summary_from_an_endpoint_is_grounded_and_invented_quotes_are_dropped(capsys):
    with StubServer([chat_reply(draft_answer())]) as stub:
        code = main([str(SHORT_ARTICLE), "--base-url", stub.base_url, "--model", "stub-model"])
    assert code == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)  # stdout holds the JSON and nothing else
    text = summary["article"]["text"]
    assert [quote["text"] for quote in summary["quotes"]] == [REAL_QUOTE.rstrip(",")] or \
        [quote["text"] for quote in summary["quotes"]] == [REAL_QUOTE]
    for quote in summary["quotes"]:
        span = quote["span"]
        assert text[span["start"]:span["end"]] == quote["text"]
    dropped = summary["provenance"]["dropped"]
    assert any(item["kind"] == "quote" and INVENTED_QUOTE in item["text"] for item in dropped)
    incident = summary["incidents"][0]
    assert incident["people"]["count"] == 9 and incident["date"]["start"] == "2024-03-12"
    assert summary["provenance"]["strategy"] == "single"
    assert summary["provenance"]["endpoint"].startswith("http://127.0.0.1:")


def test_several_articles_go_to_one_file_each(tmp_path):
    second = tmp_path / "second.txt"
    second.write_text(SHORT_ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    with StubServer([chat_reply(draft_answer())]) as stub:
        code = main([str(SHORT_ARTICLE), str(second), "--base-url", stub.base_url, "--model", "m", "-o", str(tmp_path / "out")])
    assert code == 0
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["second.json", "short_detention.json"]


def test_one_bad_article_does_not_stop_the_others(tmp_path, capsys):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n...")
    with StubServer([chat_reply(draft_answer())]) as stub:
        code = main([str(broken), str(SHORT_ARTICLE), "--base-url", stub.base_url, "--model", "m", "-o", str(tmp_path / "out")])
    assert code == 1
    assert (tmp_path / "out" / "short_detention.json").exists()
    assert "PDF" in capsys.readouterr().err


def test_an_output_name_ending_in_a_slash_is_a_new_folder(tmp_path):
    folder = tmp_path / "new-folder"
    with StubServer([chat_reply(draft_answer())]) as stub:
        code = main([str(SHORT_ARTICLE), "--base-url", stub.base_url, "--model", "m", "-o", f"{folder}/"])
    assert code == 0
    assert folder.is_dir() and json.loads((folder / "short_detention.json").read_text())["quotes"]
