"""The batch state: one SQLite file beside the summaries, safe against a killed process.

``OUTDIR/batch.sqlite`` (stdlib ``sqlite3``, WAL) holds one row per article
found in the inbox (a file, or one line of a ``.jsonl`` file):

    articles     source (path relative to INBOX, or "feed.jsonl#line 3"), path, line,
                 byte_offset, content_hash (sha256 of the raw bytes), due_key, article_id,
                 status (pending | running | done | failed), attempts, last_error,
                 duration_s, calls, prompt_tokens, completion_tokens, scan, updated_at
    jsonl_lines  article_id -> byte offset of its line in summaries.jsonl
    meta         store_version, scan counter, jsonl_size, jsonl_rebuild

An article is *done* when three things hold: ``OUTDIR/<article_id>.json``
exists (written atomically by the worker before anything else), its row says
``done`` with the current ``due_key``, and ``summaries.jsonl`` holds exactly
one line for it.

Exactly once, whatever moment the process is killed at:

- the JSON file is written first (temporary file, fsync, rename): never half a file;
- then the ``summaries.jsonl`` line is written at the *committed* end of that
  file, and in the same SQLite transaction the row is marked done and the
  committed size (``meta.jsonl_size``) advanced. Bytes past the committed size
  belong to a process killed before its commit: the next start cuts them off
  (and the row, not done, is summarized again). So a line is in the file iff
  its row is done;
- an article summarized again (``--force``, a new model or prompt, or two
  files with the same text) gets a fresh line and sets ``meta.jsonl_rebuild``
  in that transaction; at the end of the pass (or the next start, if killed)
  the file is rewritten from the articles' JSON files, one line per id. The
  rewrite goes to a temporary file that replaces the old one *before* the
  transaction that clears the flag commits, so a kill at any point leaves the
  flag set and the rewrite is simply done again;
- rows left ``running`` by a killed process are due again;
- a summaries.jsonl shorter than the committed size (deleted, or lost in a
  power cut: we flush to the OS, not to the disk, with ``synchronous=NORMAL``)
  is rebuilt from the JSON files too.

Appending keeps a large batch cheap (one write per article instead of a
rewrite), and rebuilding only when an id repeats keeps the file free of
duplicates; the JSON files stay the source of truth.

One process owns an OUTDIR at a time (``batch.lock``, an advisory lock the OS
releases when the process dies, however it dies). Within it, only the
coordinating thread writes to SQLite: workers hand their outcome back, so one
connection is enough and no writer ever waits on another.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from summarizer.errors import ConfigError

DB_NAME = "batch.sqlite"
JSONL_NAME = "summaries.jsonl"
LOCK_NAME = "batch.lock"
STORE_VERSION = 1
LOCK_WAIT_S = 5.0  # a killed run's worker processes may take a moment to die and let go

STATUSES = ("pending", "running", "done", "failed")

# Append-only: a store made by an older version is brought up to date step by step.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE articles (
        source            TEXT PRIMARY KEY,
        path              TEXT NOT NULL,
        line              INTEGER,
        byte_offset       INTEGER,
        content_hash      TEXT NOT NULL,
        due_key           TEXT,
        article_id        TEXT,
        status            TEXT NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'running', 'done', 'failed')),
        attempts          INTEGER NOT NULL DEFAULT 0,
        last_error        TEXT,
        duration_s        REAL,
        calls             INTEGER NOT NULL DEFAULT 0,
        prompt_tokens     INTEGER NOT NULL DEFAULT 0,
        completion_tokens INTEGER NOT NULL DEFAULT 0,
        scan              INTEGER NOT NULL DEFAULT 0,
        updated_at        TEXT
    );
    CREATE INDEX articles_by_status ON articles (status, scan, source);
    CREATE INDEX articles_by_article_id ON articles (article_id);
    CREATE TABLE jsonl_lines (article_id TEXT PRIMARY KEY, byte_offset INTEGER NOT NULL);
    INSERT INTO meta (key, value) VALUES ('scan', '0'), ('jsonl_size', '0'), ('jsonl_rebuild', '0');
    """,
)


@dataclass(frozen=True)
class Unit:
    """One article found in the inbox: a file, or one line of a .jsonl file."""

    source: str  # path relative to INBOX (POSIX), plus "#line N" for a .jsonl line
    path: str  # the file, relative to INBOX
    content_hash: str  # sha256 of the raw bytes (the file, or the line)
    line: int | None = None  # 1-based line number in a .jsonl file
    byte_offset: int | None = None  # where that line starts


@dataclass(frozen=True)
class Outcome:
    """What a worker reports for one article."""

    source: str
    ok: bool
    content_hash: str | None = None
    article_id: str | None = None
    duration_s: float = 0.0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    error: str | None = None
    error_kind: str | None = None  # input, config, engine, auth, extraction, internal
    line: str | None = None  # the summary as one compact JSON line, for summaries.jsonl


def row_key(content_hash: str, run_key: str) -> str:
    """The due key of one article: its content and everything that shaped its summary."""
    return hashlib.sha256(f"{content_hash}\n{run_key}".encode()).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """State and summaries.jsonl of one OUTDIR. Use as a context manager."""

    def __init__(self, outdir: Path):
        self.outdir = Path(outdir)
        self.db_path = self.outdir / DB_NAME
        self.jsonl_path = self.outdir / JSONL_NAME
        self._lock_fd: int | None = None
        self._jsonl_fd: int | None = None
        self._db: sqlite3.Connection | None = None
        self._jsonl_size = 0
        self.run_key = ""

    # -- lifecycle -----------------------------------------------------
    def __enter__(self) -> Store:
        try:
            self.open()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def open(self) -> None:
        try:
            self.outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"-o {self.outdir}: cannot create the output folder ({exc.strerror or exc})") from None
        self._lock()
        # isolation_level=None: we open transactions ourselves (BEGIN IMMEDIATE),
        # so that each one is exactly the unit of work it stands for.
        self._db = sqlite3.connect(self.db_path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # with WAL: safe against a killed process
        self._db.execute("PRAGMA busy_timeout=10000")
        self._migrate()
        self._recover()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._jsonl_fd is not None:
            os.close(self._jsonl_fd)
            self._jsonl_fd = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = None

    @property
    def lock_fd(self) -> int | None:
        """The lock's file descriptor, for forked workers to close (they must not hold the lock)."""
        return self._lock_fd

    @property
    def db(self) -> sqlite3.Connection:
        assert self._db is not None, "Store used outside its `with` block"
        return self._db

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # not POSIX: no guard against two runs on one folder
            return
        self._lock_fd = os.open(self.outdir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ConfigError(f"another 'summarize batch' is writing to {self.outdir}; "
                                      "wait for it to finish or use another -o folder") from None
                time.sleep(0.1)
        os.ftruncate(self._lock_fd, 0)
        os.write(self._lock_fd, f"{os.getpid()}\n".encode())

    def _migrate(self) -> None:
        has_meta = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
        version = int(self._meta("store_version")) if has_meta else 0
        if version > len(MIGRATIONS):
            raise ConfigError(f"{self.db_path} was written by a newer summarizer (store version {version}); "
                              "upgrade, or use another -o folder")
        for number in range(version, len(MIGRATIONS)):
            with self._transaction():
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('store_version', ?)",
                                (str(number + 1),))

    def _transaction(self):
        return _Transaction(self.db)

    def _meta(self, key: str) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else "0"

    def _set_meta(self, key: str, value: object) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(value)))

    # -- start-up recovery ---------------------------------------------
    def _recover(self) -> None:
        """Undo what a killed run left half-done."""
        with self._transaction():
            self.db.execute(
                "UPDATE articles SET status = 'pending', updated_at = ?, "
                "last_error = 'interrupted: the batch stopped before this article finished' "
                "WHERE status = 'running'", (_now(),))
        for pattern in (".*.json.*.tmp", f".{JSONL_NAME}.*.tmp"):
            for temporary in self.outdir.glob(pattern):  # a write cut short by the kill
                temporary.unlink(missing_ok=True)
        self._jsonl_fd = os.open(self.jsonl_path, os.O_RDWR | os.O_CREAT, 0o644)
        self._jsonl_size = int(self._meta("jsonl_size"))
        actual = os.fstat(self._jsonl_fd).st_size
        if self._meta("jsonl_rebuild") == "1" or actual < self._jsonl_size:
            self.rebuild_jsonl()
        else:  # bytes past the committed size: lines of articles whose rows never became done
            self._resync_jsonl()

    # -- planning --------------------------------------------------------
    def plan(self, units: Iterable[Unit], run_key: str, force: bool = False) -> tuple[int, int, int]:
        """Mark what is due in this scan; returns (scan number, due, up to date).

        Due: new, changed, made with other prompts/schema/model/strategy, not
        done (failed ones are retried), or done but its JSON file is gone.
        """
        self.run_key = run_key
        due = skipped = 0
        with self._transaction():
            scan = int(self._meta("scan")) + 1
            self._set_meta("scan", scan)
            now = _now()
            for unit in units:
                row = self.db.execute(
                    "SELECT status, content_hash, due_key, article_id FROM articles WHERE source = ?",
                    (unit.source,)).fetchone()
                if row is not None and not force and self._up_to_date(row, unit, run_key):
                    skipped += 1
                    continue
                due += 1
                self.db.execute(
                    "INSERT INTO articles (source, path, line, byte_offset, content_hash, status, scan, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, 'pending', ?, ?) "
                    "ON CONFLICT (source) DO UPDATE SET path = excluded.path, line = excluded.line, "
                    "byte_offset = excluded.byte_offset, content_hash = excluded.content_hash, "
                    "status = 'pending', scan = excluded.scan, updated_at = excluded.updated_at",
                    (unit.source, unit.path, unit.line, unit.byte_offset, unit.content_hash, scan, now))
        return scan, due, skipped

    def _up_to_date(self, row: tuple, unit: Unit, run_key: str) -> bool:
        status, content_hash, due_key, article_id = row
        return (status == "done" and content_hash == unit.content_hash
                and due_key == row_key(unit.content_hash, run_key)
                and article_id is not None and (self.outdir / f"{article_id}.json").exists())

    def pending(self, scan: int, page: int = 256) -> Iterator[Unit]:
        """The articles due in ``scan``, a page at a time (memory stays flat)."""
        after = ""
        while True:
            rows = self.db.execute(
                "SELECT source, path, content_hash, line, byte_offset FROM articles "
                "WHERE status = 'pending' AND scan = ? AND source > ? ORDER BY source LIMIT ?",
                (scan, after, page)).fetchall()
            if not rows:
                return
            for row in rows:
                yield Unit(source=row[0], path=row[1], content_hash=row[2], line=row[3], byte_offset=row[4])
            after = rows[-1][0]

    # -- recording ---------------------------------------------------------
    def update(self, outcomes: Sequence[Outcome] = (), running: Sequence[str] = ()) -> None:
        """Record finished articles and mark newly handed-out ones running, in ONE transaction.

        Done articles' lines go to summaries.jsonl in one write at the committed
        end of the file, inside the transaction that marks them done.
        """
        if not outcomes and not running:
            return
        now = _now()
        done = [outcome for outcome in outcomes if outcome.ok]
        lines = [(outcome.line or "").rstrip("\n").encode("utf-8") + b"\n" for outcome in done]
        offset = self._jsonl_size
        try:
            with self._transaction():
                if lines:
                    _pwrite_all(self._jsonl_fd, b"".join(lines), offset)
                position = offset
                for outcome, line in zip(done, lines):
                    self._mark_done(outcome, position, now)
                    position += len(line)
                for outcome in outcomes:
                    if not outcome.ok:
                        self._mark_failed(outcome, now)
                self.db.executemany("UPDATE articles SET status = 'running', attempts = attempts + 1, updated_at = ? "
                                    "WHERE source = ?", [(now, source) for source in running])
                if lines:
                    self._set_meta("jsonl_size", position)
        except BaseException:
            self._resync_jsonl()  # the commit may or may not have happened: ask the database
            raise
        self._jsonl_size = position

    def record(self, outcome: Outcome) -> None:
        """Record one finished article (see :meth:`update`)."""
        self.update([outcome])

    def mark_running(self, sources: Sequence[str]) -> None:
        self.update(running=sources)

    def _mark_done(self, outcome: Outcome, offset: int, now: str) -> None:
        assert outcome.article_id and outcome.content_hash and outcome.line is not None
        self.db.execute(
            "UPDATE articles SET status = 'done', article_id = ?, content_hash = ?, due_key = ?, "
            "last_error = NULL, duration_s = ?, calls = ?, prompt_tokens = ?, completion_tokens = ?, "
            "updated_at = ? WHERE source = ?",
            (outcome.article_id, outcome.content_hash, row_key(outcome.content_hash, self.run_key),
             outcome.duration_s, outcome.calls, outcome.prompt_tokens, outcome.completion_tokens, now,
             outcome.source))
        seen = self.db.execute("SELECT 1 FROM jsonl_lines WHERE article_id = ?", (outcome.article_id,)).fetchone()
        if seen:  # the older line of this id goes at the rebuild that ends the pass
            self._set_meta("jsonl_rebuild", 1)
        self.db.execute("INSERT OR REPLACE INTO jsonl_lines (article_id, byte_offset) VALUES (?, ?)",
                        (outcome.article_id, offset))

    def _mark_failed(self, outcome: Outcome, now: str) -> None:
        self.db.execute(
            "UPDATE articles SET status = 'failed', last_error = ?, duration_s = ?, calls = ?, "
            "prompt_tokens = ?, completion_tokens = ?, article_id = COALESCE(?, article_id), "
            "content_hash = COALESCE(?, content_hash), updated_at = ? WHERE source = ?",
            (outcome.error, outcome.duration_s, outcome.calls, outcome.prompt_tokens,
             outcome.completion_tokens, outcome.article_id, outcome.content_hash, now, outcome.source))

    def mark_pending(self, sources: Iterable[str], reason: str) -> None:
        """Give back articles that were handed out but not finished (the run is stopping)."""
        with self._transaction():
            self.db.executemany("UPDATE articles SET status = 'pending', last_error = ?, updated_at = ? "
                                "WHERE source = ? AND status = 'running'",
                                [(reason, _now(), source) for source in sources])

    def _resync_jsonl(self) -> None:
        """Cut summaries.jsonl back to its committed size (bytes past it belong to no done row)."""
        self._jsonl_size = int(self._meta("jsonl_size"))
        if self._jsonl_fd is not None and os.fstat(self._jsonl_fd).st_size > self._jsonl_size:
            os.ftruncate(self._jsonl_fd, self._jsonl_size)

    # -- summaries.jsonl -----------------------------------------------------
    def rebuild_needed(self) -> bool:
        return self._meta("jsonl_rebuild") == "1"

    def rebuild_jsonl(self) -> None:
        """Rewrite summaries.jsonl from the JSON files: one line per id, in the order their last lines were written."""
        with self._transaction():
            self._set_meta("jsonl_rebuild", 1)  # stays set until the new file is in place
        ids = [row[0] for row in self.db.execute("SELECT article_id FROM jsonl_lines ORDER BY byte_offset")]
        temporary = self.outdir / f".{JSONL_NAME}.{os.getpid()}.tmp"
        offsets, missing, size = [], [], 0
        with open(temporary, "wb") as stream:
            for article_id in ids:
                try:
                    summary = json.loads((self.outdir / f"{article_id}.json").read_bytes())
                except (OSError, ValueError):
                    missing.append((article_id,))  # its rows are due again at the next scan
                    continue
                data = (json.dumps(summary, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
                stream.write(data)
                offsets.append((size, article_id))
                size += len(data)
            stream.flush()
            os.fsync(stream.fileno())
        with self._transaction():
            self.db.executemany("UPDATE jsonl_lines SET byte_offset = ? WHERE article_id = ?", offsets)
            self.db.executemany("DELETE FROM jsonl_lines WHERE article_id = ?", missing)
            self._set_meta("jsonl_size", size)
            self._set_meta("jsonl_rebuild", 0)
            os.replace(temporary, self.jsonl_path)  # before the commit: a kill now leaves the flag set
        if self._jsonl_fd is not None:
            os.close(self._jsonl_fd)
        self._jsonl_fd = os.open(self.jsonl_path, os.O_RDWR | os.O_CREAT, 0o644)
        self._jsonl_size = size

    # -- reading back ----------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Rows per status."""
        counts = dict.fromkeys(STATUSES, 0)
        counts.update(self.db.execute("SELECT status, COUNT(*) FROM articles GROUP BY status").fetchall())
        return counts

    def row(self, source: str) -> dict | None:
        cursor = self.db.execute("SELECT * FROM articles WHERE source = ?", (source,))
        values = cursor.fetchone()
        return None if values is None else dict(zip([column[0] for column in cursor.description], values))


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")


def _pwrite_all(fd: int | None, data: bytes, offset: int) -> None:
    assert fd is not None
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written
