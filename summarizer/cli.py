"""The command line: parse, call, print, exit. Nothing else lives here.

    summarize ARTICLE [ARTICLE ...] [-o OUT]   summarize articles (a path, or - for stdin)
    summarize schema [-o FILE]                 write the JSON Schema of the output
    summarize batch INBOX -o OUTDIR            summarize what is new in a folder (summarizer.batch)
    summarize eval GOLD_DIR SUMMARY_DIR        score summaries against gold annotations (summarizer.evaluate)

JSON goes to stdout (or files); short status lines go to stderr. Every error
the tool knows becomes one line on stderr and a non-zero exit code, never a
traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from summarizer import __version__
from summarizer.errors import ConfigError, EngineError, InputError, SummarizerError
from summarizer.output import write_json_atomic
from summarizer.settings import Settings

EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70   # sysexits' EX_SOFTWARE: a bug of ours, not the input's or the endpoint's


def status(message: str, command: str | None = None) -> None:
    """A short progress line for the person at the terminal (stderr, never stdout),
    named after the command that says it: "summarize review: ..."."""
    prefix = f"summarize {command}" if command else "summarize"
    print(f"{prefix}: {message}", file=sys.stderr, flush=True)


# -- argument parsing ---------------------------------------------------------
def _add_engine_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("model endpoint (default: the embedded model, no network)")
    group.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (env OPENAI_BASE_URL)")
    group.add_argument("--model", help="model name at the endpoint (env SUMMARIZER_MODEL; default: the endpoint's only model)")
    group.add_argument("--api-key", help="API key (prefer env OPENAI_API_KEY: flags show in process lists)")
    group.add_argument("--model-path", type=Path, help="serve this GGUF file with the embedded engine instead of the bundled model")
    group.add_argument("--strategy", choices=["auto", "single", "stepwise"],
                       help="single: one call (capable models); stepwise: code + narrow questions (small models); "
                            "auto: stepwise for the embedded model, single otherwise")
    group.add_argument("--response-mode", choices=["tools", "json_schema", "json"],
                       help="how structured answers are requested (default tools)")
    group.add_argument("--timeout", type=float, dest="timeout_s", help="seconds to wait for one response (default 120)")
    group.add_argument("--max-retries", type=int, help="transport retries per request (default 4)")
    group.add_argument("--max-tokens", type=int, dest="max_answer_tokens",
                       help="longest answer one call may produce (default 4096)")
    group.add_argument("--threads", type=int, help="CPU threads for the embedded model (default: all cores)")


def build_summarize_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summarize",
        description="Grounded, structured summaries of news articles: incidents, stakeholder positions "
                    "and quotes, each pointing back to the exact characters of the article.",
        epilog="Other commands: 'summarize batch INBOX -o OUTDIR' (only what is new), "
               "'summarize eval GOLD_DIR SUMMARY_DIR' (precision/recall/F1), "
               "'summarize schema' (the JSON Schema of the output). Each has --help.",
    )
    parser.add_argument("articles", nargs="+", metavar="ARTICLE",
                        help="a .txt, .md or .html file, or - to read standard input")
    # A string, not a Path: Path("out/") drops the slash that says "a folder".
    parser.add_argument("-o", "--output",
                        help="output .json file (one article) or folder (several, or a name ending in /); "
                             "default: standard output")
    parser.add_argument("--version", action="version", version=f"summarize {__version__}")
    _add_engine_options(parser)
    return parser


def build_schema_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="summarize schema", description="Write the JSON Schema of ArticleSummary.")
    parser.add_argument("-o", "--output", type=Path, help="file to write; default: standard output")
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    names = ("base_url", "model", "api_key", "model_path", "strategy", "response_mode", "timeout_s", "max_retries", "threads",
             "max_answer_tokens")
    return Settings.load(**{name: getattr(args, name, None) for name in names})


# -- commands -----------------------------------------------------------------
def run_schema(argv: Sequence[str]) -> int:
    from summarizer.schema_export import schema_text

    args = build_schema_parser().parse_args(argv)
    text = schema_text()
    if args.output:
        write_json_atomic(args.output, text)
        status(f"schema written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def output_path_for(article_arg: str, output: str | None, several: bool) -> Path | None:
    """Where one article's summary goes: None for stdout."""
    if output is None:
        return None
    if several or Path(output).is_dir() or output.endswith(("/", os.sep)):
        stem = "stdin" if article_arg == "-" else Path(article_arg).stem
        return Path(output) / f"{stem}.json"
    return Path(output)


def run_summarize(argv: Sequence[str]) -> int:
    args = build_summarize_parser().parse_args(argv)
    settings = settings_from(args)
    from summarizer.engine import Engine
    from summarizer.ingest import read_article
    from summarizer.pipeline import summarize_article

    several = len(args.articles) > 1
    if several and args.output is None:
        raise ConfigError("several articles need -o FOLDER (one JSON file each)")

    articles, failures = [], []
    for name in args.articles:
        try:
            articles.append((name, read_article(name)))
        except InputError as exc:
            failures.append(exc.exit_code)
            status(f"error: {exc}")
    if not articles:
        return InputError.exit_code

    if settings.embedded:
        status("starting the embedded model (no endpoint configured) ...")
    started = time.monotonic()
    with Engine(settings) as engine:
        where = f"embedded ({engine.base_url})" if settings.embedded else engine.endpoint
        status(f"model {engine.model} at {where} ready in {time.monotonic() - started:.1f} s")
        for name, article in articles:
            code = _summarize_one(name, article, engine, args, several, summarize_article)
            failures += [code] if code else []
    if failures and several:
        status(f"{len(failures)} of {len(args.articles)} articles failed")
    # One article: its own failure's code (4 for an unusable answer); several: 1 if any failed.
    return (1 if several else failures[0]) if failures else 0


def _summarize_one(name, article, engine, args, several, summarize_article) -> int:
    """Summarize and write one article; 0 on success, else the exit code of a failure that spares the others."""
    label = "standard input" if name == "-" else name
    status(f"summarizing {label} ({len(article.text.split())} words) ...")
    try:
        summary = summarize_article(article, engine, strategy=engine.settings.strategy)
    except EngineError:
        raise  # the endpoint itself is failing: the next article would fail the same way
    except SummarizerError as exc:
        status(f"error: {label}: {exc}")
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - a bug on one article must not cost the others their summaries
        status(f"error: {label}: internal error ({type(exc).__name__}: {exc}); "
               "this is a bug in summarizer: please report it with this article")
        return EXIT_INTERNAL
    text = summary.model_dump_json(indent=2) + "\n"
    target = output_path_for(name, args.output, several)
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_json_atomic(target, text)
    counts = (f"{len(summary.incidents)} incidents, {len(summary.positions)} positions, "
              f"{len(summary.quotes)} quotes, {len(summary.provenance.dropped)} dropped")
    status(f"done in {summary.provenance.duration_s:.1f} s: {counts}" + (f" -> {target}" if target else ""))
    return 0


# Subcommands other than summarizing, each `module:function(argv) -> exit code`,
# imported only when used so that `summarize ARTICLE` starts fast.
COMMANDS: dict[str, str] = {
    "schema": "summarizer.cli:run_schema",
    "batch": "summarizer.batch:run_batch_command",
    "eval": "summarizer.evaluate:run_eval_command",
    "review": "summarizer.review:run_review_command",
    "merge": "summarizer.merge:run_merge_command",
}


def load_command(name: str) -> Callable[[Sequence[str]], int]:
    module_name, function_name = COMMANDS[name].split(":")
    return getattr(importlib.import_module(module_name), function_name)


def _raise_interrupt(signum, frame):  # SIGTERM: clean up like Ctrl-C does
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if threading_is_main():
        signal.signal(signal.SIGTERM, _raise_interrupt)
    command = load_command(argv[0]) if argv and argv[0] in COMMANDS else None
    try:
        return command(argv[1:]) if command else run_summarize(argv)
    except SummarizerError as exc:
        status(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        status("interrupted; summaries already written are kept")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # stdout closed early (e.g. piped into head): not an error of ours.
        sys.stderr.close()
        return 0


def entry() -> None:
    """The ``summarize`` command (and ``python -m summarizer``): run, then exit with main's code.

    After a Ctrl-C that main handled, CPython at shutdown sometimes still ends
    the process "killed by SIGINT" (exit -2 instead of 130: seen about once in
    ten interrupted runs, when the interrupt lands inside the HTTP client). The
    cleanup has already run inside main, so an interrupted run leaves at once
    with the status this tool documents.
    """
    code = main()
    if code == EXIT_INTERRUPTED:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed pipe must not turn 130 into a traceback
                stream.flush()
        os._exit(code)
    raise SystemExit(code)


def threading_is_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


if __name__ == "__main__":
    sys.exit(main())
