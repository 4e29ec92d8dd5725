"""The batch store alone: what is due, and repair after a kill at the worst moments."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from summarizer import store as store_module
from summarizer.errors import ConfigError
from summarizer.store import DB_NAME, JSONL_NAME, Outcome, Store, Unit, row_key

KEY = "run-key-1"


def unit(name: str, content: str = "v1") -> Unit:
    return Unit(source=name, path=name, content_hash=f"hash-{content}")


def finish(store: Store, outdir, source: str, article_id: str, content: str = "v1", text: str | None = None) -> None:
    """What a worker does (write the JSON file) and then what the coordinator records."""
    summary = {"article": {"id": article_id, "text": text or source}, "summary": "s"}
    (outdir / f"{article_id}.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    store.update([Outcome(source=source, ok=True, content_hash=f"hash-{content}", article_id=article_id,
                          duration_s=0.1, calls=1, prompt_tokens=10, completion_tokens=2,
                          line=json.dumps(summary, separators=(",", ":")))])


def jsonl_ids(outdir) -> list[str]:
    return [json.loads(line)["article"]["id"] for line in (outdir / JSONL_NAME).read_text(encoding="utf-8").splitlines()]


def status_of(outdir, source: str) -> str:
    with sqlite3.connect(outdir / DB_NAME) as db:
        return db.execute("SELECT status FROM articles WHERE source = ?", (source,)).fetchone()[0]


def test_due_until_done_then_due_again_when_content_key_or_file_change(tmp_path):
    with Store(tmp_path) as store:
        scan, due, skipped = store.plan([unit("a"), unit("b")], KEY)
        assert (due, skipped) == (2, 0)
        assert [u.source for u in store.pending(scan)] == ["a", "b"]
        store.update(running=["a", "b"])
        finish(store, tmp_path, "a", "id-a")
        store.update([Outcome(source="b", ok=False, error="broken", error_kind="input")])

        assert store.plan([unit("a"), unit("b")], KEY)[1:] == (1, 1)  # failed b is retried
        assert store.plan([unit("a", "v2")], KEY)[1:] == (1, 0)  # changed content
        finish(store, tmp_path, "a", "id-a2", content="v2")
        assert store.plan([unit("a", "v2")], KEY)[1:] == (0, 1)
        assert store.plan([unit("a", "v2")], "another-key")[1:] == (1, 0)  # prompts/model/schema changed
        assert store.plan([unit("a", "v2")], KEY, force=True)[1:] == (1, 0)
        (tmp_path / "id-a2.json").unlink()
        assert store.plan([unit("a", "v2")], KEY)[1:] == (1, 0)  # its summary file is gone
        row = store.row("a")
        assert row["attempts"] == 1 and row["prompt_tokens"] == 10 and row["due_key"] == row_key("hash-v2", KEY)


def test_only_articles_seen_in_this_scan_are_handed_out(tmp_path):
    with Store(tmp_path) as store:
        store.plan([unit("gone"), unit("kept")], KEY)
        scan, due, _ = store.plan([unit("kept")], KEY)
        assert due == 1 and [u.source for u in store.pending(scan)] == ["kept"]


def test_pending_pages_through_many_rows(tmp_path):
    with Store(tmp_path) as store:
        scan, due, _ = store.plan([unit(f"n{i:04d}") for i in range(600)], KEY)
        handed = []
        for found in store.pending(scan, page=100):
            handed.append(found.source)
            store.update(running=[found.source])  # marking rows while paging must not skip or repeat any
        assert handed == [f"n{i:04d}" for i in range(600)]


def test_rows_left_running_by_a_killed_run_are_due_again(tmp_path):
    with Store(tmp_path) as store:
        store.plan([unit("a")], KEY)
        store.update(running=["a"])
    with Store(tmp_path) as store:
        assert store.row("a")["status"] == "pending" and "interrupted" in store.row("a")["last_error"]
        assert store.plan([unit("a")], KEY)[1] == 1


def test_uncommitted_and_torn_jsonl_lines_are_cut_off_at_start(tmp_path):
    with Store(tmp_path) as store:
        store.plan([unit("a"), unit("b")], KEY)
        finish(store, tmp_path, "a", "id-a")
    committed = (tmp_path / JSONL_NAME).read_bytes()
    with open(tmp_path / JSONL_NAME, "ab") as stream:
        stream.write(b'{"article":{"id":"id-b"}}\n{"article":{"id":"id-')  # killed before the commit
    (tmp_path / ".id-b.json.x1y2.tmp").write_text("{", encoding="utf-8")
    with Store(tmp_path):
        assert (tmp_path / JSONL_NAME).read_bytes() == committed
        assert not list(tmp_path.glob(".*.tmp"))
        assert status_of(tmp_path, "b") == "pending"


def test_an_id_summarized_again_keeps_one_line_after_the_rebuild(tmp_path):
    with Store(tmp_path) as store:
        store.plan([unit("a"), unit("copy-of-a"), unit("c")], KEY)
        finish(store, tmp_path, "a", "id-a")
        finish(store, tmp_path, "c", "id-c")
        finish(store, tmp_path, "copy-of-a", "id-a")
        assert jsonl_ids(tmp_path) == ["id-a", "id-c", "id-a"] and store.rebuild_needed()
        store.rebuild_jsonl()
        assert jsonl_ids(tmp_path) == ["id-c", "id-a"] and not store.rebuild_needed()
        store.plan([unit("d")], KEY)
        finish(store, tmp_path, "d", "id-d")  # appends continue at the new end
        assert jsonl_ids(tmp_path) == ["id-c", "id-a", "id-d"]


def test_a_rebuild_cut_short_by_a_kill_is_done_again_at_start(tmp_path):
    with Store(tmp_path) as store:
        store.plan([unit("a"), unit("b")], KEY)
        finish(store, tmp_path, "a", "id-a")
        finish(store, tmp_path, "b", "id-b")
        finish(store, tmp_path, "b", "id-b")
    with open(tmp_path / f".{JSONL_NAME}.999.tmp", "w", encoding="utf-8") as stream:
        stream.write('{"article":')  # the rewrite had begun
    with Store(tmp_path):
        assert jsonl_ids(tmp_path) == ["id-a", "id-b"]
        assert not list(tmp_path.glob(".*.tmp"))


def test_a_deleted_summaries_jsonl_is_rebuilt_from_the_json_files(tmp_path):
    with Store(tmp_path) as store:
        store.plan([unit("a"), unit("b")], KEY)
        finish(store, tmp_path, "a", "id-a")
        finish(store, tmp_path, "b", "id-b", text="naïve ünïcode")
    os.remove(tmp_path / JSONL_NAME)
    with Store(tmp_path) as store:
        assert jsonl_ids(tmp_path) == ["id-a", "id-b"]
        assert "naïve ünïcode" in (tmp_path / JSONL_NAME).read_text(encoding="utf-8")
        store.plan([unit("c")], KEY)
        finish(store, tmp_path, "c", "id-c")
        assert jsonl_ids(tmp_path) == ["id-a", "id-b", "id-c"]


def test_a_failed_commit_takes_its_jsonl_line_back(tmp_path, monkeypatch):
    with Store(tmp_path) as store:
        store.plan([unit("a"), unit("b")], KEY)
        finish(store, tmp_path, "a", "id-a")
        before = (tmp_path / JSONL_NAME).read_bytes()

        def broken(*args, **kwargs):
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(store, "_mark_done", broken)
        with pytest.raises(sqlite3.OperationalError):
            finish(store, tmp_path, "b", "id-b")
        assert (tmp_path / JSONL_NAME).read_bytes() == before
        assert store.row("b")["status"] == "pending"


def test_one_process_at_a_time_per_output_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "LOCK_WAIT_S", 0.2)
    with Store(tmp_path):
        with pytest.raises(ConfigError, match="another 'summarize batch'"):
            Store(tmp_path).open()
    with Store(tmp_path):  # released when the first one closed
        pass


def test_wal_mode_and_a_store_from_a_newer_version_is_refused(tmp_path):
    with Store(tmp_path) as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        store.db.execute("UPDATE meta SET value = '99' WHERE key = 'store_version'")
    with pytest.raises(ConfigError, match="newer summarizer"):
        with Store(tmp_path):
            pass
