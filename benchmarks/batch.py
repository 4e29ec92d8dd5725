"""Benchmark of ``summarize batch``: concurrency, the tool's own overhead, scale, memory, embedded speed.

    .venv/bin/python benchmarks/batch.py speedup    # 200 articles, stub answering after 200 ms: --jobs 1 vs 16
    .venv/bin/python benchmarks/batch.py scale      # the 5,000-article corpus, stub answering at once; then a rerun
    .venv/bin/python benchmarks/batch.py embedded   # examples/articles through the embedded model
    .venv/bin/python benchmarks/batch.py all

A benchmark, not a test: it prints figures and checks them against the
targets (exit 1 if one is missed), but nothing runs it in CI.

The stub is a real OpenAI-compatible HTTP server on loopback, in this process
(so its CPU is not the tool's), answering every chat request after a fixed
delay with a valid forced tool call built from the article it was sent: the
first sentence as summary and incident evidence, the first quotation as a
quote. Grounding therefore does its real work (locating spans), as it would
with a real model. The tool runs as a subprocess exactly as a user runs it
(``python -m summarizer batch ...``), with ``--model`` so nothing is listed.

Articles come from ``../shared/corpora/dailymail-2020-5000.tar.gz`` (relative
to the repository root), unpacked into a temporary folder that is removed
afterwards: their text is never copied into the repository.

Figures:

- speed-up = wall(--jobs 1) / wall(--jobs 16) for the same 200 articles;
- overhead per article = (wall(--jobs 1) - articles x delay) / articles: all the
  tool's own work per article (read, ingest, request building and parsing,
  grounding, JSON and state writes) that does not overlap a request;
- throughput at scale = articles / wall with a stub that answers at once;
- memory: resident set size of the tool's whole process tree (coordinator and
  workers), sampled while it runs, against the number of articles done.

"wall" is the wall time the tool reports in its final table (from the start of
the command, after Python has imported it, to the end); the process's own
lifetime, imports included, is printed beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.stub_server import chat_reply  # noqa: E402  (the same reply shape the tests use)

CORPUS = ROOT.parent / "shared" / "corpora" / "dailymail-2020-5000.tar.gz"
EXAMPLES = ROOT / "examples" / "articles"
MODEL = "stub-model"

TARGET_SPEEDUP = 12.0
TARGET_OVERHEAD_MS = 20.0
TARGET_RATE = 50.0
TARGET_RERUN_S = 5.0


# -- the stub -------------------------------------------------------------------
def grounded_answer(article: str) -> dict:
    """A valid DraftSummary whose evidence and quote are really in the article."""
    body = article.strip()
    first = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0][:300].strip() or body[:200]
    quote = re.search(r"[\"“]([^\"“”\n]{12,300})[\"”]", body)
    return {
        "summary": first,
        "incidents": [{"type": "other", "description": first[:200], "evidence": [{"text": first}]}],
        "positions": [],
        "quotes": [{"text": quote.group(1), "speaker": None, "kind": "direct"}] if quote else [],
    }


class Stub:
    """A loopback OpenAI-compatible server that answers each request after ``delay_s``."""

    def __init__(self, delay_s: float):
        self.delay_s = delay_s
        self.requests = 0
        self.first_request = self.last_answer = None  # monotonic times, for the steady-state figure
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> Stub:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
            disable_nagle_algorithm = True

            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                arrived = time.monotonic()
                request = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)))
                with stub._lock:
                    stub.requests += 1
                    if stub.first_request is None:
                        stub.first_request = arrived
                article = request["messages"][-1]["content"].split("Article:\n", 1)[-1]
                reply = chat_reply(grounded_answer(article), model=MODEL)
                time.sleep(stub.delay_s)
                data = json.dumps(reply.body).encode("utf-8")
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                with stub._lock:
                    stub.last_answer = time.monotonic()

        return Handler

    def reset(self) -> None:
        self.requests, self.first_request, self.last_answer = 0, None, None

    @property
    def busy_s(self) -> float:
        """From the first request's arrival to the last answer: the run without its start-up."""
        return (self.last_answer or 0) - (self.first_request or 0)


# -- running the tool ---------------------------------------------------------------
class Run:
    def __init__(self, returncode: int, stdout: str, stderr: str, process_s: float, cpu_s: float,
                 samples: list[tuple[int, int]]):
        self.returncode, self.stdout, self.stderr, self.process_s = returncode, stdout, stderr, process_s
        self.cpu_s = cpu_s  # CPU time of the tool's process tree (user + system), imports included
        self.samples = samples  # (articles done, RSS bytes of the process tree)
        self.wall_s = _table_wall(stdout)
        self.done = _table_count(stdout, "done")
        self.failed = _table_count(stdout, "failed")
        self.skipped = _table_count(stdout, "skipped")

    @property
    def peak_rss(self) -> int:
        return max((rss for _, rss in self.samples), default=0)


def run_batch(inbox: Path, outdir: Path, *args: str, base_url: str | None = None, sample_dir: Path | None = None) -> Run:
    command = [sys.executable, "-m", "summarizer", "batch", str(inbox), "-o", str(outdir), *args]
    if base_url:
        command += ["--base-url", base_url, "--model", MODEL, "--strategy", "single"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT, env=env)
        samples = []
        while process.poll() is None:
            if sample_dir is not None:  # scanning /proc costs this process (and the stub in it) CPU
                samples.append((_count_json(sample_dir), _tree_rss(process.pid)))
            time.sleep(0.25)
        process_s = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the tool and its reaped workers
        cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        out.seek(0)
        err.seek(0)
        return Run(process.returncode, out.read(), err.read(), process_s, cpu_s, samples)


def _table_wall(stdout: str) -> float:
    match = re.search(r"^wall time\s+(\S+)( s)?", stdout, re.MULTILINE)
    if not match:
        return float("nan")
    value = match.group(1)
    if ":" not in value:
        return float(value)
    seconds = 0.0
    for part in value.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _table_count(stdout: str, label: str) -> int:
    match = re.search(rf"^{label}\s+([\d,]+)", stdout, re.MULTILINE)
    return int(match.group(1).replace(",", "")) if match else -1


def _count_json(folder: Path) -> int:
    try:
        return sum(1 for entry in os.scandir(folder) if entry.name.endswith(".json"))
    except OSError:
        return 0


def _tree_rss(pid: int) -> int:
    """Resident set size of a process and all its descendants (Linux /proc), in bytes."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stream:
                ppid = int(stream.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/status") as stream:
                for line in stream:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


# -- corpus -------------------------------------------------------------------------
def unpack_corpus(into: Path, count: int | None = None) -> Path:
    """The corpus's articles in ``into``/inbox (all, or the first ``count`` by name)."""
    if not CORPUS.exists():
        sys.exit(f"corpus not found: {CORPUS}")
    inbox = into / "inbox"
    inbox.mkdir(parents=True)
    with tarfile.open(CORPUS) as archive:
        members = sorted((m for m in archive.getmembers() if m.isfile()), key=lambda m: m.name)
        for member in members[:count] if count else members:
            data = archive.extractfile(member).read()
            (inbox / Path(member.name).name).write_bytes(data)
    return inbox


def machine_busy(seconds: float = 2.0) -> float:
    """Share of this machine's CPU used by other processes right now (0..1), from /proc/stat."""
    def sample():
        with open("/proc/stat") as stream:
            values = [int(v) for v in stream.readline().split()[1:9]]
        return sum(values), values[3] + values[4]  # total, idle + iowait

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except OSError:
        return float("nan")
    return 1 - (idle1 - idle0) / max(1, total1 - total0)


def note_load() -> None:
    busy = machine_busy()
    print(f"(before the run, other processes used {busy:.0%} of this machine's {os.cpu_count()} CPUs"
          + ("; figures below are slowed by them" if busy > 0.1 else "") + ")", flush=True)


def _check(ok: bool) -> str:
    return "ok" if ok else "MISSED"


# -- the benchmarks -------------------------------------------------------------------
def bench_speedup(articles: int, delay_s: float, jobs: tuple[int, int]) -> bool:
    print(f"== speed-up: {articles} articles, stub answering after {delay_s * 1000:.0f} ms, "
          f"--jobs {jobs[0]} vs --jobs {jobs[1]}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp, Stub(delay_s) as stub:
        inbox = unpack_corpus(Path(tmp), articles)
        note_load()
        runs, busy = {}, {}
        for n in jobs:
            stub.reset()
            run = run_batch(inbox, Path(tmp) / f"out-{n}", "--jobs", str(n), base_url=stub.base_url)
            if run.returncode != 0 or run.done != articles:
                print(run.stdout, run.stderr[-2000:], sep="\n")
                return False
            runs[n], busy[n] = run, stub.busy_s
            print(f"--jobs {n:>2}: wall {run.wall_s:6.2f} s (process {run.process_s:6.2f} s; first request to last "
                  f"answer {busy[n]:6.2f} s), {articles / run.wall_s:6.1f} articles/s, "
                  f"CPU {run.cpu_s / articles * 1000:.1f} ms/article")
        slow, fast = runs[jobs[0]], runs[jobs[1]]
        speedup = slow.wall_s / fast.wall_s
        overhead_ms = (slow.wall_s - articles * delay_s) / articles * 1000
        steady_ms = (busy[jobs[0]] - articles * delay_s) / articles * 1000
        print(f"speed-up {speedup:.1f}x (target >= {TARGET_SPEEDUP:g}x: {_check(speedup >= TARGET_SPEEDUP)}); "
              f"process lifetimes {slow.process_s / fast.process_s:.1f}x; "
              f"first request to last answer {busy[jobs[0]] / busy[jobs[1]]:.1f}x")
        print(f"overhead at --jobs 1: {overhead_ms:.1f} ms/article from the wall time, start-up included "
              f"(target <= {TARGET_OVERHEAD_MS:g} ms: {_check(overhead_ms <= TARGET_OVERHEAD_MS)}); "
              f"{steady_ms:.1f} ms/article once running (first request to last answer); "
              f"start-up {slow.wall_s - busy[jobs[0]]:.2f} s")
        return speedup >= TARGET_SPEEDUP and overhead_ms <= TARGET_OVERHEAD_MS


def bench_scale(jobs: int, count: int | None) -> bool:
    print(f"== scale: the corpus ({count or 'all'} articles), stub answering at once, --jobs {jobs}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp, Stub(0.0) as stub:
        inbox = unpack_corpus(Path(tmp), count)
        total = sum(1 for _ in inbox.iterdir())
        outdir = Path(tmp) / "out"
        note_load()
        run = run_batch(inbox, outdir, "--jobs", str(jobs), base_url=stub.base_url, sample_dir=outdir)
        print(run.stdout.rstrip())
        if run.returncode not in (0, 1):
            print(run.stderr[-3000:])
            return False
        rate = run.done / run.wall_s
        print(f"{total} articles: {run.done} done, {run.failed} failed; {rate:.1f} articles/s "
              f"(process {run.process_s:.1f} s: {run.done / run.process_s:.1f}/s); "
              f"target >= {TARGET_RATE:g}/s: {_check(rate >= TARGET_RATE)}")
        print(f"CPU of the tool's processes: {run.cpu_s:.1f} s, {run.cpu_s / total * 1000:.1f} ms/article "
              f"(on {os.cpu_count()} idle cores that bounds it at {os.cpu_count() * total / run.cpu_s:.0f} articles/s)")
        if run.failed:
            failed = [line for line in run.stderr.splitlines() if "failed:" in line][:5]
            print("failures (first 5):", *failed, sep="\n  ")
        memory_flat = _report_memory(run.samples, total)
        lines = sum(1 for _ in open(outdir / "summaries.jsonl", encoding="utf-8"))
        files = _count_json(outdir)
        print(f"outputs: {files} JSON files, {lines} lines in summaries.jsonl")
        rerun = run_batch(inbox, outdir, "--jobs", str(jobs), base_url=stub.base_url)
        print(f"rerun with nothing new: process {rerun.process_s:.2f} s (tool wall {rerun.wall_s:.2f} s), "
              f"{rerun.done} done, {rerun.skipped} skipped; target < {TARGET_RERUN_S:g} s: "
              f"{_check(rerun.process_s < TARGET_RERUN_S and rerun.done == 0)}")
        return (rate >= TARGET_RATE and memory_flat and rerun.process_s < TARGET_RERUN_S
                and rerun.done == 0 and lines == files)


def _report_memory(samples: list[tuple[int, int]], total: int) -> bool:
    """RSS at a few points of the run; flat means the last quarter is within 15% of the first."""
    if not samples:
        return True
    marks = []
    for fraction in (0.1, 0.25, 0.5, 0.75, 1.0):
        wanted = fraction * total
        done, rss = min(samples, key=lambda s: abs(s[0] - wanted))
        marks.append((done, rss))
    print("memory (RSS of the tool's process tree): " +
          ", ".join(f"{rss / 2**20:.0f} MiB at {done}" for done, rss in marks) +
          f"; peak {max(r for _, r in samples) / 2**20:.0f} MiB")
    early = max(rss for done, rss in samples if 0.1 * total <= done <= 0.3 * total) if any(
        0.1 * total <= d <= 0.3 * total for d, _ in samples) else marks[0][1]
    late = max(rss for done, rss in samples if done >= 0.75 * total) if any(
        d >= 0.75 * total for d, _ in samples) else marks[-1][1]
    flat = late <= early * 1.15
    print(f"memory flat (late {late / 2**20:.0f} MiB vs early {early / 2**20:.0f} MiB, within 15%): {_check(flat)}")
    return flat


def bench_embedded() -> bool:
    articles = sorted(p for p in EXAMPLES.iterdir() if p.is_file())
    print(f"== embedded model: {len(articles)} example articles (strategy auto = stepwise, --jobs 1)", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        note_load()
        run = run_batch(EXAMPLES, Path(tmp) / "out")
        print(run.stdout.rstrip())
        started = re.search(r"ready in ([\d.]+) s", run.stderr)
        start_s = float(started.group(1)) if started else 0.0
        if run.done <= 0:
            print(run.stderr[-3000:])
            return False
        per_min = run.done / run.wall_s * 60
        print(f"{per_min:.1f} articles/minute ({run.wall_s / run.done:.1f} s each), model start {start_s:.1f} s "
              f"included; {run.done / max(1e-9, run.wall_s - start_s) * 60:.1f}/minute once started")
        return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("which", choices=["speedup", "scale", "embedded", "all"], nargs="?", default="all")
    parser.add_argument("--articles", type=int, default=200, help="articles for the speed-up run (default 200)")
    parser.add_argument("--delay", type=float, default=0.2, help="stub delay for the speed-up run, seconds (default 0.2)")
    parser.add_argument("--scale-count", type=int, help="articles for the scale run (default: the whole corpus)")
    parser.add_argument("--scale-jobs", type=int, default=16, help="--jobs for the scale run (default 16)")
    args = parser.parse_args()
    ok = True
    if args.which in ("speedup", "all"):
        ok &= bench_speedup(args.articles, args.delay, (1, 16))
    if args.which in ("scale", "all"):
        ok &= bench_scale(args.scale_jobs, args.scale_count)
    if args.which in ("embedded", "all"):
        ok &= bench_embedded()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
