"""`summarize batch`: only what is due, each article exactly once, failures kept apart.

Every test talks real HTTP to the loopback StubServer (strategy single), so no
model is needed; the SIGKILL tests run the command as a real subprocess.
"""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from summarizer import prompts
from summarizer.batch import BatchOptions, BatchReport, Progress, format_table, run_batch
from summarizer.cli import main
from summarizer.settings import Settings
from summarizer.store import DB_NAME, JSONL_NAME
from tests.stub_server import Reply, StubServer, chat_reply
from tests.test_cli import SHORT_ARTICLE, draft_answer

ROOT = Path(__file__).resolve().parent.parent
TEXT = SHORT_ARTICLE.read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def article(number: int) -> str:
    """The fixture article (which the stub's answer is grounded in), made distinct."""
    return f"{TEXT}\n\nThis is story number {number}.\n"


def write_inbox(inbox: Path, count: int, start: int = 0) -> list[Path]:
    inbox.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(start, start + count):
        path = inbox / f"story_{number:02d}.txt"
        path.write_text(article(number), encoding="utf-8")
        paths.append(path)
    return paths


def batch(inbox: Path, out: Path, stub: StubServer, *extra: str, model: str = "stub-model") -> int:
    return main(["batch", str(inbox), "-o", str(out), "--base-url", stub.base_url, "--model", model,
                 "--strategy", "single", *extra])


def chat_requests(stub: StubServer) -> int:
    return sum(1 for request in stub.requests if request["path"].endswith("/chat/completions"))


def rows(out: Path) -> dict[str, dict]:
    with sqlite3.connect(out / DB_NAME) as db:
        db.row_factory = sqlite3.Row
        return {row["source"]: dict(row) for row in db.execute("SELECT * FROM articles")}


def jsonl_ids(out: Path) -> list[str]:
    return [json.loads(line)["article"]["id"] for line in (out / JSONL_NAME).read_text(encoding="utf-8").splitlines()]


def output_ids(out: Path) -> set[str]:
    return {path.stem for path in out.glob("*.json")}


def assert_exactly_once(out: Path, expected: int) -> None:
    """One JSON file per article, one summaries.jsonl line per file, every row done, nothing half-written."""
    ids = jsonl_ids(out)
    assert len(ids) == len(set(ids)) == expected
    assert set(ids) == output_ids(out)
    assert all(row["status"] == "done" for row in rows(out).values())
    assert {row["article_id"] for row in rows(out).values()} == set(ids)
    assert not list(out.glob(".*.tmp"))
    for path in out.glob("*.json"):
        summary = json.loads(path.read_text(encoding="utf-8"))  # complete, valid JSON
        assert summary["article"]["id"] == path.stem


def table(captured: str) -> dict[str, str]:
    """The final table's first two columns."""
    found = {}
    for line in captured.splitlines():
        for label in ("done", "skipped", "failed", "tokens", "wall time"):
            if line.startswith(label + " "):
                found[label] = line[len(label):].split()[0]
    return found


@pytest.fixture
def stub():
    with StubServer([chat_reply(draft_answer())]) as server:
        yield server


# -- what is due ---------------------------------------------------------------------
def test_first_run_summarizes_all_and_a_second_run_does_nothing(tmp_path, stub, capsys):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox, 3)
    assert batch(inbox, out, stub) == 0
    captured = capsys.readouterr()
    assert table(captured.out) == {"done": "3", "skipped": "0", "failed": "0", "tokens": "360",
                                   "wall time": table(captured.out)["wall time"]}
    assert_exactly_once(out, 3)
    for row in rows(out).values():
        assert row["attempts"] == 1 and row["last_error"] is None
        assert row["prompt_tokens"] == 100 and row["completion_tokens"] == 20 and row["duration_s"] > 0
    summary = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert summary["article"]["source"].startswith(str(inbox))
    assert summary["quotes"]  # grounded as with the single-article command

    assert batch(inbox, out, stub) == 0
    captured = capsys.readouterr()
    assert chat_requests(stub) == 3
    assert table(captured.out)["done"] == "0" and table(captured.out)["skipped"] == "3"
    assert "nothing to do" in captured.err
    assert_exactly_once(out, 3)


def test_a_new_file_is_the_only_one_summarized(tmp_path, stub, capsys):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox, 3)
    assert batch(inbox, out, stub) == 0
    (inbox / "later").mkdir()
    (inbox / "later" / "new.txt").write_text(article(99), encoding="utf-8")
    capsys.readouterr()
    assert batch(inbox, out, stub) == 0
    assert chat_requests(stub) == 4
    assert table(capsys.readouterr().out)["done"] == "1"
    assert rows(out)["later/new.txt"]["status"] == "done"
    assert_exactly_once(out, 4)


def test_a_changed_file_is_summarized_again(tmp_path, stub):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    first, *_ = write_inbox(inbox, 2)
    assert batch(inbox, out, stub) == 0
    old_id = rows(out)["story_00.txt"]["article_id"]
    first.write_text(article(50), encoding="utf-8")
    assert batch(inbox, out, stub) == 0
    assert chat_requests(stub) == 3
    new_id = rows(out)["story_00.txt"]["article_id"]
    assert new_id != old_id and (out / f"{new_id}.json").exists()
    ids = jsonl_ids(out)
    assert len(ids) == len(set(ids)) and new_id in ids


def test_another_model_makes_every_article_due_again(tmp_path, stub):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox, 3)
    assert batch(inbox, out, stub) == 0
    keys = {source: row["due_key"] for source, row in rows(out).items()}
    assert batch(inbox, out, stub, model="another-model") == 0
    assert chat_requests(stub) == 6
    assert all(rows(out)[source]["due_key"] != key for source, key in keys.items())
    assert_exactly_once(out, 3)  # summaries.jsonl rewritten: still one line per id
    summary = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert summary["provenance"]["model"] == "another-model"
    assert batch(inbox, out, stub, model="another-model") == 0
    assert chat_requests(stub) == 6


def test_a_changed_prompt_makes_every_article_due_again(tmp_path, stub, monkeypatch):
    templates = tmp_path / "prompts"
    templates.mkdir()
    for template in prompts.PROMPTS_DIR.iterdir():
        (templates / template.name).write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(prompts, "PROMPTS_DIR", templates)
    prompts.load_template.cache_clear()
    try:
        inbox, out = tmp_path / "inbox", tmp_path / "out"
        write_inbox(inbox, 2)
        assert batch(inbox, out, stub) == 0
        assert batch(inbox, out, stub) == 0
        assert chat_requests(stub) == 2
        (templates / "single_system.txt").write_text("A reworded system prompt.\n", encoding="utf-8")
        prompts.load_template.cache_clear()
        assert batch(inbox, out, stub) == 0
        assert chat_requests(stub) == 4
        assert_exactly_once(out, 2)
    finally:
        prompts.load_template.cache_clear()


def test_force_summarizes_everything_again(tmp_path, stub, capsys):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox, 3)
    assert batch(inbox, out, stub) == 0
    capsys.readouterr()
    assert batch(inbox, out, stub, "--force") == 0
    assert chat_requests(stub) == 6
    assert table(capsys.readouterr().out)["done"] == "3"
    assert_exactly_once(out, 3)
    assert all(row["attempts"] == 2 for row in rows(out).values())


def test_a_deleted_summary_is_made_again(tmp_path, stub):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox, 2)
    assert batch(inbox, out, stub) == 0
    next(out.glob("*.json")).unlink()
    assert batch(inbox, out, stub) == 0
    assert chat_requests(stub) == 3
    assert_exactly_once(out, 2)


# -- failures ------------------------------------------------------------------------------
def test_a_broken_file_fails_alone_and_only_it_is_retried(tmp_path, stub, capsys):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox, 2)
    (inbox / "picture.txt").write_bytes(PNG)
    assert batch(inbox, out, stub) == 1
    captured = capsys.readouterr()
    assert table(captured.out)["done"] == "2" and table(captured.out)["failed"] == "1"
    assert "PNG" in captured.err and "Traceback" not in captured.err
    broken = rows(out)["picture.txt"]
    assert broken["status"] == "failed" and "PNG image" in broken["last_error"] and broken["attempts"] == 1

    assert batch(inbox, out, stub) == 1  # retried, still broken; the others are not touched
    captured = capsys.readouterr()
    assert table(captured.out)["skipped"] == "2" and table(captured.out)["failed"] == "1"
    assert rows(out)["picture.txt"]["attempts"] == 2 and chat_requests(stub) == 2

    (inbox / "picture.txt").write_text(article(7), encoding="utf-8")
    assert batch(inbox, out, stub) == 0
    assert_exactly_once(out, 3)


def test_an_endpoint_error_on_one_article_spares_the_others(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox, 3)
    failing = Reply(status=500, body={"error": {"message": "boom"}})
    with StubServer([failing, chat_reply(draft_answer())]) as stub:
        assert batch(inbox, out, stub, "--jobs", "1", "--max-retries", "0") == 1
    states = sorted(row["status"] for row in rows(out).values())
    assert states == ["done", "done", "failed"]
    failed = next(row for row in rows(out).values() if row["status"] == "failed")
    assert "HTTP 500" in failed["last_error"] and "boom" in failed["last_error"]
    assert len(jsonl_ids(out)) == 2


def test_an_unreachable_endpoint_stops_the_run_and_leaves_the_rest_due(tmp_path, capsys):
    from tests.test_cli import free_port

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox, 12)
    code = main(["batch", str(inbox), "-o", str(out), "--base-url", f"http://127.0.0.1:{free_port()}/v1",
                 "--model", "m", "--strategy", "single", "--jobs", "1", "--max-retries", "0"])
    assert code == 3
    captured = capsys.readouterr()
    assert "cannot reach" in captured.err and "run again" in captured.err
    statuses = [row["status"] for row in rows(out).values()]
    # The breaker trips on the 5th failure in a row; articles already in flight then
    # (at most two more with --jobs 1: one each and one waiting) may have failed too
    # and are recorded as they ended. Everything else stays due.
    assert 5 <= statuses.count("failed") <= 7 and statuses.count("done") == 0
    assert set(statuses) <= {"failed", "pending"} and statuses.count("pending") >= 5


# -- inputs ------------------------------------------------------------------------------------
def test_json_jsonl_and_markdown_inputs(tmp_path, stub):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "one.json").write_text(json.dumps({"text": article(1), "title": "From JSON", "url": "https://example.org/1",
                                                "published": "2024-03-14", "outlet": "Example News"}), encoding="utf-8")
    lines = [json.dumps({"text": article(2), "title": "Line one"}), "", "{not json",
             json.dumps({"title": "no text"}), json.dumps({"text": article(3)})]
    (inbox / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (inbox / "page.md").write_text("---\ntitle: From Markdown\ndate: 2024-03-14\nurl: https://example.org/md\n---\n"
                                   + article(4), encoding="utf-8")
    (inbox / "notes.docx").write_bytes(b"PK\x03\x04")  # not an article extension: ignored
    (inbox / ".hidden.txt").write_text(article(5), encoding="utf-8")
    assert batch(inbox, out, stub) == 1
    found = rows(out)
    assert set(found) == {"one.json", "feed.jsonl#line 1", "feed.jsonl#line 3", "feed.jsonl#line 4",
                          "feed.jsonl#line 5", "page.md"}
    assert "not valid JSON" in found["feed.jsonl#line 3"]["last_error"]
    assert 'no "text"' in found["feed.jsonl#line 4"]["last_error"]
    summaries = {row["source"]: json.loads((out / f"{row['article_id']}.json").read_text(encoding="utf-8"))
                 for row in found.values() if row["status"] == "done"}
    assert len(summaries) == 4
    info = summaries["one.json"]["article"]
    assert (info["title"], info["outlet"], info["published"]) == ("From JSON", "Example News", "2024-03-14")
    assert summaries["feed.jsonl#line 1"]["article"]["title"] == "Line one"
    assert summaries["feed.jsonl#line 5"]["article"]["source"].endswith("feed.jsonl#line 5")
    assert summaries["page.md"]["article"]["title"] == "From Markdown"


def test_two_files_with_the_same_text_make_one_summary(tmp_path, stub):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "a.txt").write_text(article(1), encoding="utf-8")
    (inbox / "copy.txt").write_text(article(1), encoding="utf-8")
    assert batch(inbox, out, stub, "--jobs", "1") == 0
    assert len(output_ids(out)) == 1
    assert_exactly_once(out, 1)


def test_an_output_folder_inside_the_inbox_is_not_read_as_articles(tmp_path, stub):
    inbox = tmp_path / "inbox"
    write_inbox(inbox, 2)
    out = inbox / "summaries"
    assert batch(inbox, out, stub) == 0
    assert batch(inbox, out, stub) == 0
    assert set(rows(out)) == {"story_00.txt", "story_01.txt"} and chat_requests(stub) == 2


def test_a_missing_inbox_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out"), "--base-url",
                 "http://127.0.0.1:9/v1", "--model", "m"]) == 2
    assert "no such folder" in capsys.readouterr().err


# -- worker processes ----------------------------------------------------------------------------
def test_worker_processes_give_the_same_result(tmp_path, stub, capsys):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox, 6)
    (inbox / "picture.txt").write_bytes(PNG)
    assert batch(inbox, out, stub, "--jobs", "4", "--processes", "2") == 1
    assert table(capsys.readouterr().out)["done"] == "6"
    assert rows(out)["picture.txt"]["status"] == "failed"
    ids = jsonl_ids(out)
    assert len(ids) == len(set(ids)) == 6 == len(output_ids(out))


# -- killed at any moment ----------------------------------------------------------------------------
@pytest.mark.parametrize("processes", ["1", "2"])
def test_sigkill_mid_run_then_the_same_command_finishes_each_article_exactly_once(tmp_path, processes):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    count = 12
    write_inbox(inbox, count)
    slow = chat_reply(draft_answer())
    slow.delay_s = 0.1
    with StubServer([slow]) as stub:
        args = ["batch", str(inbox), "-o", str(out), "--base-url", stub.base_url, "--model", "stub-model",
                "--strategy", "single", "--jobs", "2", "--processes", processes]
        process = subprocess.Popen([sys.executable, "-m", "summarizer", *args], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 20
            while len(output_ids(out)) < 3 and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.02)
            process.send_signal(signal.SIGKILL)
        finally:
            process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL
        finished = len(output_ids(out))
        assert 3 <= finished < count, "the kill should land mid-run"
        time.sleep(0.3)
        requests_after_kill = chat_requests(stub)
        time.sleep(0.3)
        assert chat_requests(stub) == requests_after_kill, "workers must die with the batch process"

        assert main(args) == 0
    assert_exactly_once(out, count)


def test_a_kill_between_the_summary_file_and_its_commit_is_repaired(tmp_path, stub):
    """Simulate the worst moment: JSON written, its jsonl line appended, the row not yet done."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox, 3)
    assert batch(inbox, out, stub) == 0
    victim = rows(out)["story_01.txt"]
    line = (out / JSONL_NAME).read_text(encoding="utf-8").splitlines()[0]
    with sqlite3.connect(out / DB_NAME) as db:
        db.execute("UPDATE articles SET status = 'running' WHERE source = 'story_01.txt'")
    with open(out / JSONL_NAME, "a", encoding="utf-8") as stream:
        stream.write(line + "\n" + line[:40])  # an uncommitted line and a torn one
    (out / f".{victim['article_id']}.json.abc123.tmp").write_text("{", encoding="utf-8")
    assert batch(inbox, out, stub) == 0
    assert chat_requests(stub) == 4  # the interrupted article, once more
    assert_exactly_once(out, 3)


# -- watching ------------------------------------------------------------------------------------------
def test_watch_picks_up_new_files_until_stopped(tmp_path, stub):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox, 2)
    settings = Settings.load(base_url=stub.base_url, model="stub-model", strategy="single")
    options = BatchOptions(inbox=inbox, outdir=out, settings=settings, jobs=2, watch=True, interval=0.05, settle_s=0)
    stop = threading.Event()

    def feed():
        deadline = time.monotonic() + 10
        while len(output_ids(out)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        write_inbox(inbox, 1, start=10)
        while len(output_ids(out)) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        stop.set()

    feeder = threading.Thread(target=feed)
    feeder.start()
    report = run_batch(options, stop)
    feeder.join()
    assert report.done == 3 and report.failed == 0 and report.exit_code == 0
    assert_exactly_once(out, 3)


def test_watch_leaves_a_file_alone_while_it_is_still_being_written(tmp_path, stub):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    (fresh,) = write_inbox(inbox, 1)
    settings = Settings.load(base_url=stub.base_url, model="stub-model", strategy="single")
    options = BatchOptions(inbox=inbox, outdir=out, settings=settings, jobs=1, watch=True, interval=0.05, settle_s=60)
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    assert run_batch(options, stop).done == 0
    os.utime(fresh, (time.time() - 120, time.time() - 120))
    stop.clear()
    threading.Timer(0.5, stop.set).start()
    assert run_batch(options, stop).done == 1


# -- what the user sees ------------------------------------------------------------------------------------
def test_plain_progress_lines_when_not_a_terminal(tmp_path, stub, capsys):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    write_inbox(inbox, 2)
    assert batch(inbox, out, stub) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "2/2 (2 done, 0 failed)" in err


def test_a_progress_bar_with_counts_and_eta_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    progress = Progress(4, stream=screen)
    progress.REDRAW_S = 0
    progress.advance(True)
    progress.log("failed: x.txt: broken")
    progress.advance(False)
    progress.close()
    text = screen.getvalue()
    assert "\r" in text and "[" in text and "ETA" in text and "2/4 (1 done, 1 failed)" in text
    assert "summarize: failed: x.txt: broken\n" in text


def test_the_final_table():
    report = BatchReport(done=1200, skipped=30, failed=2, prompt_tokens=12000, completion_tokens=2400, calls=1202,
                         wall_s=75.5)
    lines = format_table(report).splitlines()
    assert [line.split()[0] for line in lines] == ["done", "skipped", "failed", "tokens", "wall"]
    assert "1,200" in lines[0] and "14,400" in lines[3] and "12,000 prompt" in lines[3] and "1:16" in lines[4]
    assert report.exit_code == 1 and BatchReport(done=3).exit_code == 0
