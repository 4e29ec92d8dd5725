"""Analysts' decisions on summaries, kept in ``OUTDIR/batch.sqlite`` beside the batch state.

    reviews   id (order of decisions), article_id, decision (approved | rejected),
              note, reviewer, decided_at (UTC ISO 8601)

Why this shape:

- **History, not just the latest word.** Every decision is a new row; the
  current state of an article is its newest row. A reviewer who rejects and
  later approves leaves both on record, with who and when: for reviewed
  news summaries that audit trail is the point of recording decisions at all.
- **Its own table, created IF NOT EXISTS, outside ``store.MIGRATIONS``.** The
  batch store owns its schema and versions it; reviews only add a table the
  batch never reads, so neither can break the other, and ``summarize review``
  works on an OUTDIR that ``batch`` never touched (it creates the file).
- **No ``batch.lock``.** A ``summarize batch --watch`` may hold the lock for
  days; an analyst must be able to approve meanwhile. SQLite's WAL mode lets
  a second connection write between the batch's short transactions, and a
  busy timeout waits out the moment one is open.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from summarizer.errors import ConfigError
from summarizer.store import DB_NAME

DECISIONS = ("approved", "rejected")
BUSY_TIMEOUT_MS = 10_000  # a batch transaction lasts milliseconds; ten seconds is ample

_CREATE = """
CREATE TABLE IF NOT EXISTS reviews (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id  TEXT NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
    note        TEXT,
    reviewer    TEXT,
    decided_at  TEXT NOT NULL
)
"""
_INDEX = "CREATE INDEX IF NOT EXISTS reviews_by_article ON reviews (article_id, id)"


@dataclass(frozen=True)
class Decision:
    """One analyst's word on one summary."""

    article_id: str
    decision: str  # approved | rejected
    note: str | None
    reviewer: str | None
    decided_at: str

    def as_dict(self) -> dict:
        return {"decision": self.decision, "note": self.note, "reviewer": self.reviewer,
                "decided_at": self.decided_at}


def default_reviewer() -> str | None:
    """Who is reviewing, when --reviewer is not given: the login name."""
    return os.environ.get("USER") or os.environ.get("USERNAME") or None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class ReviewLog:
    """The ``reviews`` table of one OUTDIR. Use as a context manager."""

    def __init__(self, outdir: Path):
        self.db_path = Path(outdir) / DB_NAME
        self._db: sqlite3.Connection | None = None

    def __enter__(self) -> ReviewLog:
        try:
            # isolation_level=None: each statement commits on its own; one INSERT is one decision.
            self._db = sqlite3.connect(self.db_path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            self._db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode=WAL")  # same mode as the batch store: readers never block it
            self._db.execute(_CREATE)
            self._db.execute(_INDEX)
        except sqlite3.Error as exc:
            self.close()
            raise ConfigError(f"{self.db_path}: cannot open the review state ({exc})") from None
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def db(self) -> sqlite3.Connection:
        assert self._db is not None, "ReviewLog used outside its `with` block"
        return self._db

    def record(self, article_id: str, decision: str, note: str | None = None,
               reviewer: str | None = None) -> Decision:
        """Append one decision and return it as stored."""
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
        entry = Decision(article_id, decision, note or None, reviewer or None, _now())
        try:
            self.db.execute("INSERT INTO reviews (article_id, decision, note, reviewer, decided_at) "
                            "VALUES (?, ?, ?, ?, ?)",
                            (entry.article_id, entry.decision, entry.note, entry.reviewer, entry.decided_at))
        except sqlite3.Error as exc:
            raise ConfigError(f"{self.db_path}: cannot record the decision ({exc})") from None
        return entry

    def latest(self, article_ids: Iterable[str] | None = None) -> dict[str, Decision]:
        """The newest decision of each article (of those given, or all)."""
        rows = self.db.execute(
            "SELECT article_id, decision, note, reviewer, decided_at FROM reviews "
            "WHERE id IN (SELECT MAX(id) FROM reviews GROUP BY article_id)").fetchall()
        wanted = None if article_ids is None else set(article_ids)
        return {row[0]: Decision(*row) for row in rows if wanted is None or row[0] in wanted}

    def history(self, article_id: str) -> list[Decision]:
        """Every decision on one article, oldest first."""
        rows = self.db.execute("SELECT article_id, decision, note, reviewer, decided_at FROM reviews "
                               "WHERE article_id = ? ORDER BY id", (article_id,)).fetchall()
        return [Decision(*row) for row in rows]


def read_decisions(outdir: Path) -> dict[str, Decision]:
    """Latest decisions of an OUTDIR, without creating anything when it has no state yet."""
    if not (Path(outdir) / DB_NAME).exists():
        return {}
    with ReviewLog(outdir) as log:
        return log.latest()
