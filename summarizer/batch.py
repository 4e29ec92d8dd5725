"""``summarize batch INBOX -o OUTDIR``: summarize what is new in a folder, each article exactly once.

    summarize batch INBOX -o OUTDIR [--jobs N] [--force] [--watch [--interval S]] [engine options]

What happens, in order:

1. **find**: INBOX is walked recursively (hidden files and folders, and OUTDIR
   if it lies inside INBOX, are left out) for ``.txt``, ``.md``/``.markdown``
   (YAML front matter gives title, date, url), ``.html``/``.htm``/``.xhtml``,
   ``.json`` (one object with ``text`` and optional ``title``, ``url``,
   ``published``, ``outlet``) and ``.jsonl`` (one such object per line; each
   line is an article named ``path#line N``);
2. **plan** (:mod:`summarizer.store`): an article is due unless its row is
   done with the same *due key* and its JSON file exists. The due key is the
   sha256 of the article's raw bytes together with the schema version, the
   model, the strategy and the sha256 of every template in ``prompts/``: change
   any of them and the article is summarized again. Failed articles are always
   due (the retry is implied); ``--force`` makes everything due. Hashing raw
   bytes (rather than the cleaned text) lets a rerun decide without ingesting
   anything, so a rerun with nothing new takes a second for thousands of files;
3. **summarize**: workers read, ingest and summarize each article
   (:func:`summarizer.pipeline.summarize_article`) and write
   ``OUTDIR/<article id>.json`` atomically. A broken file fails only itself,
   with the reason stored as its ``last_error``. At most ``--jobs`` requests
   are in flight; reading, ingesting, grounding and writing happen outside
   those slots, so the next article is ready when a slot frees up. For an
   endpoint with enough work, the workers run in one process per CPU core (the
   tool's own work is CPU-bound Python; threads alone would share one core);
   the embedded model is served to threads of this process;
4. **record**: only this process's coordinating thread writes state: it marks
   the article done in one SQLite transaction together with its line in
   ``summaries.jsonl`` (see :mod:`summarizer.store` for why a kill at any
   moment loses nothing and duplicates nothing).

On a terminal a progress bar (counts, rate, ETA) is drawn on stderr; otherwise
a plain line every few seconds. A final table (done, skipped, failed, tokens,
wall time) goes to stdout. The exit code is non-zero when any article failed
(1), when the endpoint refused the key or kept failing (3, the rest stay due),
or on Ctrl-C (130; ``--watch`` stops there normally, with 0).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import queue
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.cli import _add_engine_options, settings_from, status
from summarizer.errors import (
    AuthError,
    ConfigError,
    EngineError,
    ExtractionError,
    InputError,
    SummarizerError,
)
from summarizer.settings import EMBEDDED_MODEL_ALIAS, Settings
from summarizer.store import DB_NAME, Outcome, Store, Unit

# Extension -> format handed to ingest (None: sniffed, as for the single-article command).
SUFFIXES: dict[str, str | None] = {
    ".txt": None, ".text": None,
    ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl",
}
JSON_FIELDS = ("title", "url", "published", "outlet")

DEFAULT_JOBS_ENDPOINT = 4
DEFAULT_JOBS_EMBEDDED = 1  # one llama.cpp server: parallel articles only queue, and lose its prompt cache
MAX_JOBS = 256
PROCESS_MIN_DUE = 24  # below this a worker process costs more than it saves
WATCH_SETTLE_S = 1.0  # --watch leaves a file alone until it has not changed for this long
MAX_FAILURES_SHOWN = 20


# -- options and report -------------------------------------------------------
@dataclass(frozen=True)
class BatchOptions:
    inbox: Path
    outdir: Path
    settings: Settings
    jobs: int
    processes: int | None = None  # None: decided per pass
    force: bool = False
    watch: bool = False
    interval: float = 5.0
    settle_s: float = WATCH_SETTLE_S


@dataclass
class BatchReport:
    done: int = 0
    skipped: int = 0
    failed: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    wall_s: float = 0.0
    failures: list[str] = field(default_factory=list)  # the first few, "source: reason"
    error: SummarizerError | None = None  # what stopped the run early
    interrupted: bool = False

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return self.error.exit_code
        return 1 if self.failed else 0

    def add(self, outcome: Outcome) -> None:
        self.calls += outcome.calls
        self.prompt_tokens += outcome.prompt_tokens
        self.completion_tokens += outcome.completion_tokens
        if outcome.ok:
            self.done += 1
        else:
            self.failed += 1
            if len(self.failures) < MAX_FAILURES_SHOWN:
                self.failures.append(f"{outcome.source}: {outcome.error}")


# -- the command ---------------------------------------------------------------
def build_batch_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summarize batch",
        description="Summarize every article in INBOX that is new or changed since the last run, "
                    "one JSON file each in OUTDIR plus OUTDIR/summaries.jsonl. Safe to stop at any "
                    "moment (even kill -9): the same command finishes the work, each article exactly once.",
        epilog="State lives in OUTDIR/batch.sqlite: one row per article with its status, attempts, last error, "
               "duration and tokens. Failed articles are retried on the next run.",
    )
    parser.add_argument("inbox", type=Path, metavar="INBOX",
                        help="folder searched recursively for .txt, .md, .html, .json and .jsonl articles")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUTDIR",
                        help="folder for <article id>.json, summaries.jsonl and the batch state")
    parser.add_argument("-j", "--jobs", type=int, metavar="N",
                        help=f"requests in flight at once (default {DEFAULT_JOBS_ENDPOINT} for an endpoint, "
                             f"{DEFAULT_JOBS_EMBEDDED} for the embedded model)")
    parser.add_argument("--processes", type=int, metavar="N",
                        help="worker processes for the tool's own work (default: one per CPU core for an endpoint "
                             f"when at least {PROCESS_MIN_DUE} articles are due; the embedded model always uses 1)")
    parser.add_argument("--force", action="store_true", help="summarize every article again, even those already done")
    parser.add_argument("--watch", action="store_true",
                        help="after the first pass, keep polling INBOX for new or changed files until stopped (Ctrl-C)")
    parser.add_argument("--interval", type=float, default=5.0, metavar="SECONDS",
                        help="seconds between polls with --watch (default 5)")
    parser.add_argument("--version", action="version", version=f"summarize {_version()}")
    _add_engine_options(parser)
    return parser


def _version() -> str:
    from summarizer import __version__

    return __version__


def options_from(args: argparse.Namespace) -> BatchOptions:
    settings = settings_from(args)
    jobs = args.jobs if args.jobs is not None else (DEFAULT_JOBS_EMBEDDED if settings.embedded else DEFAULT_JOBS_ENDPOINT)
    if not 1 <= jobs <= MAX_JOBS:
        raise ConfigError(f"--jobs: must be between 1 and {MAX_JOBS}")
    if args.processes is not None and args.processes < 1:
        raise ConfigError("--processes: must be at least 1")
    if not args.interval > 0:
        raise ConfigError("--interval: must be more than 0 seconds")
    return BatchOptions(inbox=args.inbox, outdir=args.output, settings=settings, jobs=jobs,
                        processes=args.processes, force=args.force, watch=args.watch, interval=args.interval)


def run_batch_command(argv: Sequence[str]) -> int:
    options = options_from(build_batch_parser().parse_args(argv))
    report = run_batch(options)
    sys.stdout.write(format_table(report))
    sys.stdout.flush()
    if report.failed:
        status(f"{report.failed} failed; reasons are in {options.outdir / DB_NAME} "
               "(status 'failed', last_error); they are retried on the next run")
    if report.interrupted and not options.watch:
        raise KeyboardInterrupt
    if report.error is not None:
        raise report.error
    return report.exit_code


def format_table(report: BatchReport) -> str:
    rate = f"  ({report.done / report.wall_s:.1f} articles/s)" if report.done and report.wall_s > 0 else ""
    rows = [
        ("done", f"{report.done:,}", ""),
        ("skipped", f"{report.skipped:,}", "  (up to date)" if report.skipped else ""),
        ("failed", f"{report.failed:,}", ""),
        ("tokens", f"{report.tokens:,}",
         f"  ({report.prompt_tokens:,} prompt + {report.completion_tokens:,} completion, {report.calls:,} requests)"),
        ("wall time", _duration(report.wall_s), rate),
    ]
    width = max(len(value) for _, value, _ in rows)
    return "".join(f"{label:<10} {value:>{width}}{note}\n" for label, value, note in rows)


def _articles(count: int) -> str:
    return f"{count:,} article" + ("" if count == 1 else "s")


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# -- what makes an article due -------------------------------------------------
def resolve_strategy(settings: Settings) -> str:
    if settings.strategy != "auto":
        return settings.strategy
    return "stepwise" if settings.embedded else "single"


def resolve_model(settings: Settings) -> tuple[Settings, str]:
    """Settings with the model named, and the model's identity for the due key.

    Without --model an endpoint is asked once which model it serves, here,
    rather than once per worker.
    """
    if settings.embedded:
        served = settings.model_path.name if settings.model_path else "bundled"
        return settings, f"{EMBEDDED_MODEL_ALIAS} ({served})"
    if settings.model:
        return settings, settings.model
    from summarizer.engine import Engine

    with Engine(settings) as engine:
        return settings.model_copy(update={"model": engine.model}), engine.model


def prompt_hashes() -> dict[str, str]:
    """sha256 of every template in prompts/, read once per run."""
    from summarizer.prompts import PROMPTS_DIR, template_sha256

    try:
        names = sorted(p.name for p in PROMPTS_DIR.iterdir() if p.is_file() and not p.name.startswith("."))
    except OSError as exc:
        raise ConfigError(f"prompt templates folder {PROMPTS_DIR} cannot be read: {exc.strerror or exc}") from None
    return {name: template_sha256(name) for name in names}


def run_key(model: str, strategy: str, prompts: dict[str, str]) -> str:
    """Everything besides the article itself that shapes a summary, as one hash."""
    from summarizer.models import SCHEMA_VERSION

    parts = {"schema_version": SCHEMA_VERSION, "model": model, "strategy": strategy, "prompts": prompts}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


# -- finding articles ----------------------------------------------------------
def inbox_root(inbox: Path) -> Path:
    """The folder sources are relative to (INBOX itself, or the folder of a single INBOX file)."""
    if inbox.is_dir():
        return inbox
    if inbox.is_file():
        return inbox.parent
    raise InputError(f"{inbox}: no such folder")


def discover(inbox: Path, outdir: Path | None = None, settle_s: float = 0.0) -> Iterator[Unit]:
    """Every article under ``inbox``, in a stable order, with the hash of its raw bytes."""
    root = inbox_root(inbox)
    skip = outdir.resolve() if outdir is not None else None
    newest = time.time() - settle_s
    for path in _article_files(inbox, root, skip):
        rel = path.relative_to(root).as_posix()
        try:
            if settle_s and path.stat().st_mtime > newest:
                continue  # still being written, perhaps: next poll
            data = path.read_bytes()
        except OSError:
            yield Unit(source=rel, path=rel, content_hash="unreadable")  # the worker says why
            continue
        if path.suffix.lower() == ".jsonl":
            yield from _jsonl_units(rel, data)
        else:
            yield Unit(source=rel, path=rel, content_hash=_sha256(data))


def _article_files(inbox: Path, root: Path, skip: Path | None) -> Iterator[Path]:
    if inbox.is_file():
        yield inbox
        return
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and (skip is None or Path(folder, d).resolve() != skip))
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                yield Path(folder, name)


def _jsonl_units(rel: str, data: bytes) -> Iterator[Unit]:
    offset = 0
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        line = raw.rstrip(b"\r\n")
        if line.strip():
            yield Unit(source=f"{rel}#line {number}", path=rel, content_hash=_sha256(line),
                       line=number, byte_offset=offset)
        offset += len(raw)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- one article -----------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    """What every worker needs besides the engine (picklable, for worker processes)."""

    root: Path  # sources are relative to this folder
    outdir: Path
    strategy: str

    def name(self, unit: Unit) -> str:
        """How the article is named in messages and in its summary's article.source."""
        name = str(self.root / unit.path)
        return f"{name}#line {unit.line}" if unit.line is not None else name


# Worker threads ingest one at a time. Ingesting is pure Python, so under the
# GIL sixteen threads ingesting together take as long as one after the other,
# but each finishes sixteen times later: with turns, the first request goes
# out after one article's ingest instead of after sixteen.
_CPU_TURN = threading.Lock()


def summarize_unit(unit: Unit, engine: Any, job: Job) -> Outcome:
    """Read, ingest, summarize and write one article; every failure becomes an Outcome."""
    from summarizer.output import write_json_atomic
    from summarizer.pipeline import summarize_article

    started = time.monotonic()
    content_hash = article_id = None
    try:
        with _CPU_TURN:
            data = read_unit(unit, job)
            content_hash = _sha256(data)
            article = ingest_unit(unit, data, job.name(unit))
        article_id = article.id
        summary = summarize_article(article, engine, strategy=job.strategy)
        write_json_atomic(job.outdir / f"{article.id}.json", summary.model_dump_json(indent=2) + "\n")
        usage = summary.provenance.usage
        return Outcome(source=unit.source, ok=True, content_hash=content_hash, article_id=article_id,
                       duration_s=round(time.monotonic() - started, 3), calls=usage.calls,
                       prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
                       line=summary.model_dump_json())
    except SummarizerError as exc:
        error, kind = str(exc), _error_kind(exc)
    except Exception as exc:  # noqa: BLE001 - a bug on one article must not stop the others
        error, kind = f"internal error: {type(exc).__name__}: {exc}", "internal"
    return Outcome(source=unit.source, ok=False, content_hash=content_hash, article_id=article_id,
                   duration_s=round(time.monotonic() - started, 3), error=error, error_kind=kind)


def _error_kind(exc: SummarizerError) -> str:
    for kind, cls in (("auth", AuthError), ("engine", EngineError), ("input", InputError),
                      ("config", ConfigError), ("extraction", ExtractionError)):
        if isinstance(exc, cls):
            return kind
    return "error"


def read_unit(unit: Unit, job: Job) -> bytes:
    from summarizer.ingest import reading_errors

    name = job.name(unit)
    with reading_errors(name, missing="no such file (removed since the scan?)"):
        if unit.line is None:
            return (job.root / unit.path).read_bytes()
        with open(job.root / unit.path, "rb") as stream:
            stream.seek(unit.byte_offset or 0)
            data = stream.readline().rstrip(b"\r\n")
    if _sha256(data) != unit.content_hash:
        raise InputError(f"{name}: the file changed during the batch; it is due again at the next run")
    return data


def ingest_unit(unit: Unit, data: bytes, name: str):
    from summarizer.ingest import ingest_bytes

    fmt = SUFFIXES.get(Path(unit.path).suffix.lower())
    if fmt in ("json", "jsonl"):
        return ingest_record(data, name)
    return ingest_bytes(data, source=name, fmt=fmt)


def ingest_record(data: bytes, name: str):
    """One JSON object: ``text`` and optional ``title``, ``url``, ``published``, ``outlet``."""
    from summarizer.ingest import ingest_text

    try:
        record = json.loads(data)
    except UnicodeDecodeError:
        raise InputError(f"{name}: this is not JSON text (not UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(record, dict):
        hint = "; put several articles in a .jsonl file, one object per line" if isinstance(record, list) else ""
        raise InputError(f'{name}: a JSON article must be an object with a "text" field{hint}')
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f'{name}: no "text" string in this JSON article')
    meta: dict[str, str] = {}
    for key in JSON_FIELDS:
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise InputError(f'{name}: "{key}" must be a string')
        meta[key] = str(value)
    return ingest_text(text, source=name, **meta)


# -- workers ------------------------------------------------------------------------
class Throttled:
    """The engine as worker threads see it: at most ``slots`` requests in flight at once.

    Only the requests take a slot: reading, ingesting, grounding and writing
    happen outside, so with --jobs 1 the next article is ingested while the
    current request waits for its answer.
    """

    def __init__(self, engine: Any, slots: threading.Semaphore):
        self._engine, self._slots = engine, slots
        # Once the endpoint refuses the key, no thread sends another request:
        # the articles already handed out fail with the same error instead.
        self._refusal: AuthError | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    def ask(self, *args: Any, **kwargs: Any) -> Any:
        return self._send(self._engine.ask, *args, **kwargs)

    def complete(self, *args: Any, **kwargs: Any) -> Any:
        return self._send(self._engine.complete, *args, **kwargs)

    def _send(self, request: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with self._slots:
            if self._refusal is not None:
                raise self._refusal
            try:
                return request(*args, **kwargs)
            except AuthError as exc:
                self._refusal = exc
                raise


def _work(get: Callable[[], Unit | None], put: Callable[[Outcome], None], engine: Any, job: Job,
          stop: threading.Event) -> None:
    """One worker thread: take an article, summarize it, hand the outcome back; None ends it."""
    while True:
        unit = get()
        if unit is None or stop.is_set():
            return
        put(summarize_unit(unit, engine, job))


def _start_threads(count: int, get, put, engine: Any, job: Job, stop: threading.Event) -> list[threading.Thread]:
    # Daemon threads: on Ctrl-C the command ends without waiting for answers
    # in flight; what they would have recorded is simply due again.
    threads = [threading.Thread(target=_work, args=(get, put, engine, job, stop), daemon=True,
                                name=f"summarize-batch-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    return threads


class ThreadWorkers:
    """Worker threads in this process, sharing one started engine."""

    def __init__(self, engine: Any, job: Job, jobs: int, threads: int):
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        self._results: queue.SimpleQueue = queue.SimpleQueue()
        self._stop = threading.Event()
        throttled = Throttled(engine, threading.BoundedSemaphore(jobs))
        self._threads = _start_threads(threads, self._tasks.get, self._results.put, throttled, job, self._stop)
        self.capacity = threads + 2  # articles handed out at once: one each, and one waiting

    def put(self, unit: Unit) -> None:
        self._tasks.put(unit)

    def get(self, timeout: float) -> Outcome:
        return self._results.get(timeout=timeout) if timeout else self._results.get(block=False)

    def lost(self) -> str | None:
        return None if any(t.is_alive() for t in self._threads) else "the worker threads stopped"

    def finish(self) -> None:
        for _ in self._threads:
            self._tasks.put(None)

    def join(self) -> None:
        for thread in self._threads:
            thread.join()

    def abort(self) -> None:
        self._stop.set()
        self.finish()


class ProcessWorkers:
    """Worker processes, each with its own engine client and a few threads.

    The --jobs slots are one semaphore shared by all of them, so an article
    ingested in one process takes the slot the moment another process's
    answer arrives, while that process grounds and writes on the other core.
    Forked, so each starts in milliseconds with everything already imported;
    each dies with this process (PR_SET_PDEATHSIG), even under kill -9. A
    worker that dies alone stops the run (its slot would be lost with it).
    """

    def __init__(self, settings: Settings, job: Job, jobs: int, processes: int, lock_fd: int | None):
        context = multiprocessing.get_context("fork")
        self._tasks = context.Queue()
        self._results = context.Queue()
        slots = context.BoundedSemaphore(jobs)
        threads = -(-jobs // processes) + 1  # its share of the slots, and one article ready
        sys.stdout.flush()
        sys.stderr.flush()  # a fork copies unwritten buffers
        self._processes = [
            context.Process(target=_process_main, name=f"summarize-batch-{i}", daemon=True,
                            args=(settings, job, slots, threads, self._tasks, self._results, os.getpid(), lock_fd))
            for i in range(processes)
        ]
        for process in self._processes:
            process.start()
        self._threads = threads * processes
        self.capacity = self._threads + processes

    def put(self, unit: Unit) -> None:
        self._tasks.put(unit)

    def get(self, timeout: float) -> Outcome:
        outcome = self._results.get(timeout=timeout) if timeout else self._results.get(block=False)
        if not outcome.source:  # a worker could not start
            raise EngineError(f"a worker process could not start: {outcome.error}")
        return outcome

    def lost(self) -> str | None:
        for process in self._processes:
            if process.exitcode not in (None, 0):
                how = f"signal {-process.exitcode}" if process.exitcode < 0 else f"exit code {process.exitcode}"
                return f"a worker process died ({how})"
        return None

    def finish(self) -> None:
        for _ in range(self._threads):
            self._tasks.put(None)

    def join(self) -> None:
        for process in self._processes:
            process.join()
        self._close_queues()

    def abort(self) -> None:
        for process in self._processes:
            if process.is_alive():
                process.kill()
        for process in self._processes:
            process.join(timeout=5)
        self._close_queues()

    def _close_queues(self) -> None:
        for q in (self._tasks, self._results):
            q.cancel_join_thread()
            q.close()


def _process_main(settings: Settings, job: Job, slots, threads: int, tasks, results,
                  parent_pid: int, lock_fd: int | None) -> None:
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the coordinator decides when to stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if lock_fd is not None:
        try:
            os.close(lock_fd)  # the coordinator alone holds OUTDIR's lock
        except OSError:
            pass
    try:
        from summarizer.engine import Engine

        with Engine(settings) as engine:
            throttled = Throttled(engine, slots)
            for thread in _start_threads(threads, tasks.get, results.put, throttled, job, threading.Event()):
                thread.join()
    except BaseException as exc:  # noqa: BLE001 - reported to the coordinator, which stops the run
        results.put(Outcome(source="", ok=False, error=str(exc) or type(exc).__name__, error_kind="fatal"))


def _die_with_parent(parent_pid: int) -> None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    if os.getppid() != parent_pid:  # it died before prctl took effect
        os._exit(1)


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os._exit(1)


def _fork_is_safe() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _prewarm(strategy: str) -> None:
    """Load once, here, what each worker would otherwise load for itself.

    Forked workers inherit it. The language identifier is not among it:
    English articles never need it, and the first other one loads it.
    """
    import summarizer.engine  # noqa: F401
    import summarizer.output  # noqa: F401
    import summarizer.pipeline  # noqa: F401
    from summarizer.ingest import ingest_text

    if strategy == "single":
        import summarizer.strategies.single  # noqa: F401
    else:
        import summarizer.strategies.stepwise  # noqa: F401
    ingest_text(_WARM_UP_ARTICLE, source="warm-up")


# Long enough to read as English, so the warm-up does not load the language identifier.
_WARM_UP_ARTICLE = (
    "Police said on Tuesday that ten people were detained near the border. The group had been hiding in a "
    "farmhouse for a week, and a local official said they would be moved to a centre in the city, where "
    "they are waiting for a decision on their case. Their relatives have asked the authorities for news."
)


# -- progress ----------------------------------------------------------------------
class Progress:
    """A bar with counts and ETA on a terminal; a plain line every few seconds otherwise."""

    REDRAW_S = 0.1
    LOG_EVERY_S = 5.0

    def __init__(self, total: int, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.total, self.done, self.failed = total, 0, 0
        self.started = self._last = time.monotonic()
        self._drawn = False

    def advance(self, ok: bool) -> None:
        if ok:
            self.done += 1
        else:
            self.failed += 1
        self.refresh()

    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.tty and (force or now - self._last >= self.REDRAW_S):
            self._draw()
            self._last = now
        elif not self.tty and (force or now - self._last >= self.LOG_EVERY_S):
            self._write(f"summarize: {self._counts()}\n")
            self._last = now

    def log(self, message: str) -> None:
        """A line of its own (a failure, a note), kept above the bar."""
        self._write(("\r\x1b[K" if self._drawn else "") + f"summarize: {message}\n")
        if self._drawn:
            self._draw()

    def close(self) -> None:
        if self.tty:
            self._draw()
            self._write("\n")
            self._drawn = False
        else:
            self.refresh(force=True)

    def _counts(self) -> str:
        finished = self.done + self.failed
        elapsed = time.monotonic() - self.started
        rate = finished / elapsed if elapsed > 0 else 0.0
        eta = _duration((self.total - finished) / rate) if rate > 0 else "--"
        return (f"{finished}/{self.total} ({self.done} done, {self.failed} failed), "
                f"{rate:.1f} articles/s, ETA {eta}")

    def _draw(self) -> None:
        width = shutil.get_terminal_size((80, 24)).columns - 1
        counts = self._counts()
        room = 20 if width >= len(counts) + 34 else max(5, width - len(counts) - 14)
        filled = room * (self.done + self.failed) // max(1, self.total)
        line = f"summarize: [{'#' * filled}{'.' * (room - filled)}] {counts}"
        self._write("\r\x1b[K" + line[:width])
        self._drawn = True

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed terminal must not stop the batch


# -- the run ---------------------------------------------------------------------------
def run_batch(options: BatchOptions, stop: threading.Event | None = None) -> BatchReport:
    """Summarize what is due in INBOX (and, with --watch, what arrives) until done or stopped."""
    stop = stop or threading.Event()
    report = BatchReport()
    started = time.monotonic()
    root = inbox_root(options.inbox)
    settings, model = resolve_model(options.settings)
    strategy = resolve_strategy(settings)
    key = run_key(model, strategy, prompt_hashes())
    with Store(options.outdir) as store, _Runner(options, settings, strategy, key, store, report) as runner:
        job = Job(root=root, outdir=options.outdir, strategy=strategy)
        force, first = options.force, True
        try:
            while True:
                runner.run_pass(job, force=force, first=first)
                force = first = False
                if not options.watch or report.error is not None or stop.wait(options.interval):
                    break
        except KeyboardInterrupt:
            report.interrupted = True
    report.wall_s = time.monotonic() - started
    return report


class _Runner:
    """One command's passes over INBOX, with the engine started once, when first needed."""

    def __init__(self, options: BatchOptions, settings: Settings, strategy: str, key: str, store: Store,
                 report: BatchReport):
        self.options, self.settings, self.strategy, self.key = options, settings, strategy, key
        self.store, self.report = store, report
        self._stack = ExitStack()
        self._engine: Any = None
        self._warm = False

    def __enter__(self) -> _Runner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.close()

    def run_pass(self, job: Job, force: bool, first: bool) -> None:
        settle = self.options.settle_s if self.options.watch else 0.0
        units = discover(self.options.inbox, self.options.outdir, settle)
        scan, due, skipped = self.store.plan(units, self.key, force=force)
        if first:
            self.report.skipped = skipped
        if self.store.rebuild_needed():
            self.store.rebuild_jsonl()
        if not due:
            if first:
                status(f"nothing to do: {_articles(skipped)} up to date in {self.options.outdir}")
            return
        workers = self._workers(job, due)
        status(f"{_articles(due)} to summarize ({skipped} up to date), {self.options.jobs} requests at a time")
        progress = Progress(due)
        try:
            self._drive(workers, self.store.pending(scan), progress)
        finally:
            progress.close()
        if self.store.rebuild_needed():  # some ids were summarized again: one line each
            self.store.rebuild_jsonl()

    # -- workers ---------------------------------------------------------
    def _processes(self, due: int) -> int:
        wanted = self.options.processes
        if self.settings.embedded:
            if wanted and wanted > 1:
                status("the embedded model is served to threads of this process; --processes ignored")
            return 1
        if wanted is None:
            if due < PROCESS_MIN_DUE:
                return 1
            wanted = os.cpu_count() or 1
        if wanted > 1 and not _fork_is_safe():
            return 1
        return max(1, min(wanted, self.options.jobs + 1))  # even --jobs 1 gains a second process

    def _workers(self, job: Job, due: int):
        processes = self._processes(due)
        if not self._warm:  # before any worker: threads would each load the language model at once
            _prewarm(self.strategy)
            self._warm = True
        if processes > 1:
            from summarizer.engine import Engine

            with Engine(self.settings):  # its first start imports and builds lazily; forks then start at once
                pass
            return ProcessWorkers(self.settings, job, self.options.jobs, processes, self.store.lock_fd)
        extra = 0 if self.settings.embedded else 1  # one article ready while the others wait for answers
        return ThreadWorkers(self._started_engine(), job, self.options.jobs, self.options.jobs + extra)

    def _started_engine(self) -> Any:
        if self._engine is None:
            from summarizer.engine import Engine

            if self.settings.embedded:
                status("starting the embedded model (no endpoint configured) ...")
            began = time.monotonic()
            self._engine = self._stack.enter_context(Engine(self.settings))
            where = f"embedded ({self._engine.base_url})" if self.settings.embedded else self._engine.endpoint
            status(f"model {self._engine.model} at {where} ready in {time.monotonic() - began:.1f} s")
        return self._engine

    # -- the loop ----------------------------------------------------------
    def _drive(self, workers, units: Iterator[Unit], progress: Progress) -> None:
        """Hand out articles, record outcomes as they come, stop early if the endpoint is gone.

        Outcomes that arrived together are recorded in one transaction, with
        the articles handed out to replace them: under load the coordinator
        commits once per handful of articles, not twice per article.
        """
        in_flight: set[str] = set()
        exhausted = False
        breaker = _Breaker(self.options.jobs)

        def hand_out() -> list[str]:
            nonlocal exhausted
            handed = []
            while not exhausted and len(in_flight) < workers.capacity:
                unit = next(units, None)
                if unit is None:
                    exhausted = True
                    workers.finish()
                    break
                workers.put(unit)
                in_flight.add(unit.source)
                handed.append(unit.source)
            return handed

        try:
            self.store.update(running=hand_out())
            while in_flight:
                outcomes = self._collect(workers, progress)
                in_flight.difference_update(outcome.source for outcome in outcomes)
                self.store.update(outcomes, running=hand_out())
                for outcome in outcomes:
                    self._report(outcome, progress)
                    stop = breaker.check(outcome)
                    if stop is not None:
                        raise stop
        except SummarizerError as exc:
            self._give_back(workers, in_flight, "not finished: the run stopped early")
            self.report.error = exc
            return
        except BaseException:
            self._give_back(workers, in_flight, "interrupted: the batch stopped before this article finished")
            raise
        workers.join()

    def _collect(self, workers, progress: Progress, most: int = 64) -> list[Outcome]:
        """The outcomes ready now: waits for the first, then takes what else has arrived."""
        outcomes: list[Outcome] = []
        while not outcomes:
            try:
                outcomes.append(workers.get(timeout=0.25))
            except queue.Empty:
                lost = workers.lost()
                if lost:
                    raise SummarizerError(f"{lost}; run the same command again to finish") from None
                progress.refresh()
        while len(outcomes) < most:
            try:
                outcomes.append(workers.get(timeout=0))
            except queue.Empty:
                break
        return outcomes

    def _report(self, outcome: Outcome, progress: Progress) -> None:
        self.report.add(outcome)
        progress.advance(outcome.ok)
        if not outcome.ok:
            named = outcome.source in (outcome.error or "")  # ingest errors name the file already
            progress.log(f"failed: {outcome.error}" if named else f"failed: {outcome.source}: {outcome.error}")

    def _give_back(self, workers, in_flight: set[str], reason: str) -> None:
        workers.abort()
        self.store.mark_pending(in_flight, reason)


class _Breaker:
    """Stop the run when the endpoint is clearly gone, instead of failing every article slowly."""

    def __init__(self, jobs: int):
        self.limit = max(5, 2 * jobs)
        self.streak = 0

    def check(self, outcome: Outcome) -> SummarizerError | None:
        if outcome.ok or outcome.error_kind not in ("engine", "auth", "config"):
            self.streak = 0
            return None
        if outcome.error_kind == "auth":
            return AuthError(outcome.error or "the endpoint refused the credentials")
        if outcome.error_kind == "config":
            return ConfigError(outcome.error or "invalid setting")
        self.streak += 1
        if self.streak < self.limit:
            return None
        return EngineError(f"stopped after {self.streak} articles in a row could not get an answer "
                           f"(last: {outcome.error}); the rest stay due: run again when the endpoint is back")
