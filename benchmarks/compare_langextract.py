"""This project and langextract side by side: same model and engine, same articles, same scoring.

    .venv/bin/pip install langextract
    .venv/bin/python benchmarks/compare_langextract.py [--articles GLOB] [--gold DIR]
                                                       [--time-limit SECONDS] [--json FILE]

The tool's embedded llama.cpp server (EmbeddedServer, bundled Gemma 3 270M)
serves both, one after the other. Ours runs as the CLI runs the embedded
model (``--strategy stepwise``); langextract runs ``lx.extract`` through its
OpenAI provider against the server's base URL, with a prompt describing the
same three kinds of item and two few-shot examples written for this
benchmark. Each langextract article runs in a child process under a time
limit; a run cut off there is scored on the answers received by then. Both
outputs become ArticleSummary files, scored by
``summarizer.evaluate.evaluate_dirs`` against the same gold files.
Results and commentary: benchmarks/LANGEXTRACT.md.
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from summarizer.embedded import EmbeddedServer, bundled_model_path
from summarizer.evaluate import Counts, Report, evaluate_dirs
from summarizer.ingest import IngestedArticle, read_article
from summarizer.models import (INCIDENT_TYPES, STANCES, ArticleInfo, ArticleSummary, Incident, Location, People,
                               Provenance, Quote, Span, StakeholderPosition)
from summarizer.normalize import parse_count, resolve_date
from summarizer.settings import EMBEDDED_MODEL_ALIAS, Settings

ROOT = Path(__file__).resolve().parents[1]
INSTALL_HINT = "langextract is not installed: .venv/bin/pip install langextract"
STARTUP_LIMIT_S = 120.0  # importing langextract in the child; not part of the timed run

PROMPT = """\
Extract from the news article, in order of appearance, using the article's exact words:
- quote: words a person or organisation is quoted as saying, as written between quotation marks \
(without the marks). Attributes: speaker (who said it, the name as written in the article), \
kind ("direct" for a whole sentence or more, "partial" for a phrase inside the writer's own sentence).
- incident: something that happened to people: arrest, detention, repatriation, release, escape, \
transfer, trial, death or other. The text is the words that report it. Attributes: type (one of \
those words), count (how many people, in digits), location (the place as written), date (as written, \
e.g. "on Tuesday").
- stakeholder_position: where a party stands on the article's central issue. The text is the words \
that show it. Attributes: stakeholder (the party's name as written), stance (supports, opposes, \
neutral, mixed or unclear).
Do not paraphrase and do not extract the same words twice."""

# Two short made-up stories, on other countries than the seed articles, so the
# examples teach the format and the attributes without leaking any answer.
EXAMPLES = [
    ("Police in Bangkok detained 23 Cambodian migrant workers on Monday at a construction site in the Bang Na "
     "district, a labour rights group said. “They were paid nothing for three months and now they face "
     "deportation,” said Somchai Rattana, coordinator of the Migrant Workers Aid Group, which called on the "
     "authorities to let the workers stay. Thailand's Labour Ministry said the workers had entered the country "
     "“without valid documents” and would be deported in accordance with immigration law.",
     [("incident", "detained 23 Cambodian migrant workers",
       {"type": "detention", "count": "23", "location": "Bang Na district", "date": "on Monday"}),
      ("quote", "They were paid nothing for three months and now they face deportation",
       {"speaker": "Somchai Rattana", "kind": "direct"}),
      ("stakeholder_position", "called on the authorities to let the workers stay",
       {"stakeholder": "Migrant Workers Aid Group", "stance": "opposes"}),
      ("quote", "without valid documents", {"speaker": "Thailand's Labour Ministry", "kind": "partial"}),
      ("stakeholder_position", "would be deported in accordance with immigration law",
       {"stakeholder": "Thailand's Labour Ministry", "stance": "supports"})]),
    ("A court in Almaty on Thursday freed five Uzbek asylum seekers who had been held since March, their lawyer "
     "Dana Akhmetova said. About 40 others remain in custody, she said. “The court has finally recognised that "
     "they cannot be sent back to face torture,” Akhmetova told reporters. She has urged Kazakhstan to grant all "
     "of them asylum. The UN refugee agency said it was “following the case closely” and did not comment further.",
     [("incident", "freed five Uzbek asylum seekers",
       {"type": "release", "count": "5", "location": "Almaty", "date": "on Thursday"}),
      ("incident", "About 40 others remain in custody",
       {"type": "detention", "count": "40", "location": "Almaty", "date": ""}),
      ("quote", "The court has finally recognised that they cannot be sent back to face torture",
       {"speaker": "Dana Akhmetova", "kind": "direct"}),
      ("stakeholder_position", "urged Kazakhstan to grant all of them asylum",
       {"stakeholder": "Dana Akhmetova", "stance": "opposes"}),
      ("quote", "following the case closely", {"speaker": "UN refugee agency", "kind": "partial"}),
      ("stakeholder_position", "did not comment further", {"stakeholder": "UN refugee agency", "stance": "neutral"})]),
]


class BenchServer(EmbeddedServer):
    """The tool's embedded server, plus Gemma's chat template.

    The bundled base-model GGUF carries no chat template, so llama_cpp.server
    would wrap chat requests in Llama 2's ``[INST] <<SYS>>`` markup. langextract
    speaks only chat; our stepwise strategy only uses /v1/completions, which
    no template touches. Gemma's own turn format is the fair choice for it.
    """

    def _command(self) -> list[str]:
        return [*super()._command(), "--chat_format", "gemma"]


# -- langextract, in a child process ---------------------------------------------
def _langextract_child(conn, text: str, base_url: str) -> None:
    """Run lx.extract on one article; report every raw answer, then the result, through ``conn``."""
    try:
        import threading

        import langextract as lx
        import tqdm
        from langextract.providers.openai import OpenAILanguageModel

        # langextract builds a (disabled) tqdm bar, whose default lock is a
        # multiprocessing semaphore; a child stopped at the time limit would
        # leave it behind and the resource tracker would complain on exit.
        tqdm.tqdm.set_lock(threading.RLock())

        class Reporting(OpenAILanguageModel):
            # Answers reach the parent as they arrive, so a run stopped by the
            # time limit still shows what the model had said.
            def infer(self, batch_prompts, **kwargs):
                for outputs in super().infer(batch_prompts, **kwargs):
                    conn.send(("answer", outputs[0].output if outputs else ""))
                    yield outputs

        # One request at a time: the server serves one anyway, and parallel
        # requests would only queue (and spoil llama.cpp's prompt-prefix reuse).
        model = Reporting(model_id=EMBEDDED_MODEL_ALIAS, base_url=base_url, api_key="unused",
                          temperature=0.0, max_workers=1)
        examples = [lx.data.ExampleData(text=example_text, extractions=[
            lx.data.Extraction(cls, words, attributes=attrs) for cls, words, attrs in items])
            for example_text, items in EXAMPLES]
        conn.send(("ready",))
        started = time.monotonic()
        # llama_cpp.server rejects OpenAI's json_schema response format, so no
        # schema constraints: the provider asks for JSON mode (json_object),
        # which the server enforces with its generic JSON grammar.
        result = lx.extract(text_or_documents=text, prompt_description=PROMPT, examples=examples, model=model,
                            fence_output=False, use_schema_constraints=False, show_progress=False)
        conn.send(("done", [_plain(e) for e in result.extractions], time.monotonic() - started))
    except Exception as exc:  # noqa: BLE001 - whatever it is, the parent reports it
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _plain(extraction) -> dict:
    """An lx Extraction as picklable plain data; start/end None when langextract could not ground it."""
    interval = extraction.char_interval
    return {"class": extraction.extraction_class, "text": extraction.extraction_text,
            "start": interval.start_pos if interval else None, "end": interval.end_pos if interval else None,
            "attributes": extraction.attributes or {}}


def _resolve_partial(answers: list[str], text: str) -> list[dict]:
    """Parse and ground raw answers with langextract's own resolver (used when the run was cut off)."""
    from langextract import resolver
    from langextract.core import format_handler

    # The same output format lx.extract expected above: raw JSON, {"extractions": [...]}.
    parse = resolver.Resolver(format_handler=format_handler.FormatHandler(use_fences=False))
    found = []
    for answer in answers:
        extractions = parse.resolve(answer, suppress_parse_errors=True)
        # The chunk an answer belongs to is not known here; grounding against
        # the whole article finds the same words.
        found += [_plain(e) for e in parse.align(extractions, text, token_offset=0, char_offset=0)]
    return found


def run_langextract(text: str, base_url: str, limit_s: float) -> dict:
    """One article through langextract under a time limit: status, seconds, raw answers, extractions."""
    context = multiprocessing.get_context("spawn")  # a clean child: no inherited sockets or threads
    parent_end, child_end = context.Pipe(duplex=False)
    child = context.Process(target=_langextract_child, args=(child_end, text, base_url), daemon=True)
    child.start()
    child_end.close()
    run = {"status": "error", "seconds": None, "answers": [], "extractions": [], "error": None}
    deadline, started = time.monotonic() + STARTUP_LIMIT_S, None
    try:
        while (remaining := deadline - time.monotonic()) > 0:
            if not parent_end.poll(remaining):
                continue
            message = parent_end.recv()
            if message[0] == "ready":
                started = time.monotonic()
                deadline = started + limit_s
            elif message[0] == "answer":
                run["answers"].append(message[1])
            elif message[0] == "done":
                run.update(status="ok", extractions=message[1], seconds=message[2])
                return run
            else:
                run["error"] = message[1]
                break
        else:  # out of time
            if started is None:
                run["error"] = f"langextract did not start within {STARTUP_LIMIT_S:.0f} s"
            else:
                run["status"] = "timeout"
    except EOFError:  # the child died without a word
        run["error"] = f"langextract exited with code {child.exitcode}"
    finally:
        if child.is_alive():
            child.terminate()
        child.join(10)
        if child.is_alive():
            child.kill()
    run["seconds"] = time.monotonic() - started if started is not None else None
    run["extractions"] = _resolve_partial(run["answers"], text)
    return run


# -- langextract extractions -> ArticleSummary --------------------------------------
def _attribute(attributes: dict, name: str) -> str | None:
    value = attributes.get(name)
    if isinstance(value, list):  # langextract allows list-valued attributes
        value = value[0] if value else None
    if value is None:
        return None
    return str(value).strip() or None


def _choice(value: str | None, allowed: tuple[str, ...], fallback: str) -> str:
    value = (value or "").strip().lower()
    return value if value in allowed else fallback


def to_summary(article: IngestedArticle, run: dict, endpoint: str) -> ArticleSummary:
    """langextract's grounded extractions in our contract, so evaluate_dirs scores them like ours."""
    text, quotes, incidents, positions = article.text, [], [], []
    for item in run["extractions"]:
        if item["start"] is None:  # langextract could not find it in the article: ungrounded, as ours drops
            continue
        span = Span(text=text[item["start"]:item["end"]], start=item["start"], end=item["end"])
        attrs = item["attributes"]
        if item["class"] == "quote":
            quotes.append(Quote(text=span.text, span=span, speaker=_attribute(attrs, "speaker"),
                                kind=_choice(_attribute(attrs, "kind"), ("direct", "partial"), "direct")))
        elif item["class"] == "incident":
            # Our count and date parsers turn the model's "11" / "on Tuesday" into values.
            count_text = _attribute(attrs, "count")
            count, approximate = parse_count(count_text) if count_text else (None, False)
            incidents.append(Incident(
                type=_choice(_attribute(attrs, "type"), INCIDENT_TYPES, "other"), description=span.text,
                date=resolve_date(_attribute(attrs, "date"), article.published),
                location=Location(text=_attribute(attrs, "location")),
                people=People(count=count, approximate=approximate, text=count_text), evidence=[span]))
        elif item["class"] == "stakeholder_position":
            positions.append(StakeholderPosition(
                stakeholder=_attribute(attrs, "stakeholder") or span.text, kind="other",
                issue="the article's central issue", stance=_choice(_attribute(attrs, "stance"), STANCES, "unclear"),
                position=span.text, evidence=[span]))
    warnings = [] if run["status"] == "ok" else [": ".join(filter(None, [f"langextract {run['status']}", run["error"]]))]
    return ArticleSummary(
        article=ArticleInfo(id=article.id, source=article.source, title=article.title, outlet=article.outlet,
                            published=article.published, language=article.language, text=text),
        summary="", incidents=incidents, positions=positions, quotes=quotes,
        provenance=Provenance(model=EMBEDDED_MODEL_ALIAS, endpoint=endpoint, strategy="langextract",
                              created_at=datetime.now(timezone.utc), duration_s=round(run["seconds"] or 0.0, 3),
                              warnings=warnings))


# -- the comparison -------------------------------------------------------------------
ROWS = (("quotes F1", "quotes"), ("speaker accuracy", "speaker"), ("incidents F1", "incidents"),
        ("count accuracy", "count"), ("positions F1", "positions"), ("stance accuracy", "stance"))


def _only(report: Report, stems: set[str]) -> Report:
    """The report restricted to the articles that were run (gold may hold more)."""
    return Report([scores for scores in report.articles if Path(scores.article).stem in stems])


def _figures(report: Report, seconds: list[float], timeouts: int) -> dict:
    total = report.total
    figures = {}
    for _, name in ROWS:
        metric = getattr(total, name)
        if isinstance(metric, Counts):
            # 2·matched / (predicted + gold): the same F1 as evaluate's where that
            # is defined, and 0 (not "undefined") for a tool that predicted nothing.
            seen = metric.predicted + metric.gold
            figures[name] = 2 * metric.matched / seen if seen else None
        else:
            figures[name] = metric.value
    figures["median_s"] = statistics.median(seconds) if seconds else None
    figures["mean_s"] = statistics.mean(seconds) if seconds else None
    figures["timeouts"] = timeouts
    return figures


def format_comparison(ours: dict, theirs: dict, articles: int, limit_s: float) -> str:
    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    lines = [f"{'':<22}{'summarizer':>12}{'langextract':>13}"]
    lines += [f"{label:<22}{cell(ours[name]):>12}{cell(theirs[name]):>13}" for label, name in ROWS]
    lines.append(f"{'median s / article':<22}{ours['median_s']:>12.2f}{theirs['median_s']:>13.2f}")
    lines.append(f"{'mean s / article':<22}{ours['mean_s']:>12.2f}{theirs['mean_s']:>13.2f}")
    lines.append(f"{'timeouts':<22}{ours['timeouts']:>10}/{articles}{theirs['timeouts']:>11}/{articles}")
    lines.append(f"(micro-averaged over {articles} articles; a timed-out article counts {limit_s:.0f} s "
                 "and is scored on the answers received by then)")
    return "\n".join(lines)


def run_ours(articles: list[str], base_url: str, out_dir: Path) -> None:
    summarize = Path(sys.executable).with_name("summarize")
    command = [str(summarize), *articles, "-o", f"{out_dir}/", "--base-url", base_url,
               "--model", EMBEDDED_MODEL_ALIAS, "--strategy", "stepwise"]
    finished = subprocess.run(command, check=False)
    if finished.returncode != 0:
        print(f"warning: summarize exited with {finished.returncode}; articles without a summary count as missed",
              file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default=str(ROOT / "examples" / "articles" / "*"), metavar="GLOB",
                        help="articles to run (default: examples/articles/*)")
    parser.add_argument("--gold", type=Path, default=ROOT / "examples" / "gold", metavar="DIR",
                        help="gold annotations (default: examples/gold)")
    parser.add_argument("--time-limit", type=float, default=120.0, metavar="SECONDS",
                        help="per-article limit for langextract (default 120)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write figures, scores and raw answers as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if importlib.util.find_spec("langextract") is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    articles = sorted(glob.glob(args.articles))
    if not articles:
        print(f"no articles match {args.articles}", file=sys.stderr)
        return 2
    stems = {Path(a).stem for a in articles}
    settings = Settings()

    def server(logprobs: bool) -> BenchServer:
        return BenchServer(bundled_model_path(), threads=settings.threads, context_tokens=settings.context_tokens,
                           logprobs=logprobs)

    with tempfile.TemporaryDirectory(prefix="compare-langextract-") as tmp:
        ours_dir, lx_dir = Path(tmp, "ours"), Path(tmp, "langextract")
        ours_dir.mkdir()
        lx_dir.mkdir()
        runs = {}
        # Ours, given --base-url, asks for log-probabilities (llama.cpp serves
        # them only with --logits_all, which slows prefill); langextract never
        # asks, so it gets the faster server. Same model and flags otherwise.
        ours_server = server(logprobs=True)
        try:
            base_url = ours_server.start()
            print(f"server for summarizer: {base_url} ({EMBEDDED_MODEL_ALIAS}, logits kept)", file=sys.stderr)
            run_ours(articles, base_url, ours_dir)
        finally:
            ours_server.stop()
        lx_server = server(logprobs=False)
        try:
            base_url = lx_server.start()
            print(f"server for langextract: {base_url} ({EMBEDDED_MODEL_ALIAS})", file=sys.stderr)
            for path in articles:
                article = read_article(path)
                print(f"langextract: {Path(path).name} ...", file=sys.stderr, flush=True)
                run = runs[Path(path).name] = run_langextract(article.text, base_url, args.time_limit)
                summary = to_summary(article, run, base_url.rsplit("/v1", 1)[0])
                (lx_dir / f"{Path(path).stem}.json").write_text(summary.model_dump_json(indent=2), encoding="utf-8")
                grounded = sum(e["start"] is not None for e in run["extractions"])
                print(f"  {run['status']} in {run['seconds'] or 0:.1f} s: {len(run['answers'])} answers, "
                      f"{grounded}/{len(run['extractions'])} extractions grounded"
                      + (f" ({run['error']})" if run["error"] else ""), file=sys.stderr, flush=True)
                if run["status"] != "ok":
                    # A cut-off request keeps llama.cpp busy until it ends on
                    # its own; a fresh server gives the next article a fair start.
                    lx_server.stop()
                    base_url = lx_server.start()
        finally:
            lx_server.stop()
        ours_report = _only(evaluate_dirs(args.gold, ours_dir), stems)
        lx_report = _only(evaluate_dirs(args.gold, lx_dir), stems)
    ours = _figures(ours_report, [s.duration_s for s in ours_report.articles if s.duration_s is not None], 0)
    theirs = _figures(lx_report, [r["seconds"] or 0.0 for r in runs.values()],
                      sum(r["status"] == "timeout" for r in runs.values()))
    print(format_comparison(ours, theirs, len(articles), args.time_limit))
    if args.json:
        args.json.write_text(json.dumps({
            "articles": [Path(a).name for a in articles], "time_limit_s": args.time_limit,
            "summarizer": {**ours, "report": ours_report.as_dict()},
            "langextract": {**theirs, "report": lx_report.as_dict(), "runs": runs},
        }, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the finally blocks have stopped the servers and the child
        sys.exit(130)
