"""Score the summarizer on real news articles whose gold points into them by offsets.

The gold in benchmarks/real/<set>/ holds no article text: every quote, evidence
sentence and date phrase is a {"start", "end"} span of the article file, which
stays outside the repository under ../shared/. This script checks that each
article is the very file the gold was written against (sha256), rebuilds
ordinary gold files (benchmarks/ANNOTATION.md format) in a temporary folder,
summarizes the articles and prints the table of `summarize eval`.

    .venv/bin/python benchmarks/real_articles.py                    # both sets
    .venv/bin/python benchmarks/real_articles.py --set seeds
    .venv/bin/python benchmarks/real_articles.py --keep /tmp/real   # keep gold and summaries

Exit code 2 if an article is missing or differs from the one annotated.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD_ROOT = ROOT / "benchmarks" / "real"
SETS = ("seeds", "dailymail")
SPAN_FIELDS = {"quotes": ("text",), "incidents": ("evidence", "date_text"), "positions": ("evidence",)}
OFFSET_ONLY_KEYS = ("source", "sha256")


class SourceError(Exception):
    """An article the gold refers to is missing or is not the annotated version."""


def article_path(gold: dict) -> Path:
    """Resolve the gold's source against the project root, where ../shared/ sits beside it."""
    return (ROOT / gold["source"]).resolve()


def checked_text(gold: dict, where: Path) -> str:
    """The article's text, refused if its bytes changed: offsets into another version would cut the wrong words."""
    path = article_path(gold)
    if not path.is_file():
        raise SourceError(f"{where.name}: article not found: {gold['source']} (is ../shared/ beside the project?)")
    if hashlib.sha256(path.read_bytes()).hexdigest() != gold["sha256"]:
        raise SourceError(f"{where.name}: {gold['source']} differs from the annotated version (sha256 mismatch)")
    return path.read_text(encoding="utf-8")  # offsets count characters as read_text gives them


def cut(text: str, span: dict | None) -> str | None:
    """The string a span stands for; None stays None (an undated incident has no date_text)."""
    return None if span is None else text[span["start"] : span["end"]]


def materialize(gold: dict, text: str) -> dict:
    """Plain gold as `summarize eval` reads it: spans filled from the text, offset-only keys dropped."""
    plain = {key: value for key, value in gold.items() if key not in OFFSET_ONLY_KEYS}
    for section, fields in SPAN_FIELDS.items():
        plain[section] = [
            {key: cut(text, value) if key in fields else value for key, value in item.items()} for item in gold[section]
        ]
    return plain


def prepare_set(name: str, work: Path) -> list[Path]:
    """Write the set's plain gold under work/<name>/gold/ and return its article paths, all checked first."""
    gold_files = sorted((GOLD_ROOT / name).glob("*.json"))
    if not gold_files:
        raise SourceError(f"no gold files in {GOLD_ROOT / name}")
    golds = [(path, json.loads(path.read_text(encoding="utf-8"))) for path in gold_files]
    texts = [checked_text(gold, path) for path, gold in golds]
    gold_dir = work / name / "gold"
    gold_dir.mkdir(parents=True)
    for (path, gold), text in zip(golds, texts):
        plain = json.dumps(materialize(gold, text), indent=2, ensure_ascii=False)
        (gold_dir / path.name).write_text(plain + "\n", encoding="utf-8")
    return [article_path(gold) for _, gold in golds]


def summarize_command() -> list[str]:
    """The project's CLI from its venv, or this interpreter's module when the entry point is absent."""
    cli = ROOT / ".venv" / "bin" / "summarize"
    return [str(cli)] if cli.is_file() else [sys.executable, "-m", "summarizer"]


def run_set(name: str, articles: list[Path], work: Path) -> int:
    """Summarize the set's articles as a user would, then score them; the eval table goes to stdout."""
    summaries = work / name / "summaries"
    print(f"== {name}: {len(articles)} articles", flush=True)
    made = subprocess.run([*summarize_command(), *map(str, articles), "-o", f"{summaries}/"], cwd=ROOT)
    if made.returncode != 0:
        print(f"{name}: summarize exited with {made.returncode}", file=sys.stderr)
    scored = subprocess.run([*summarize_command(), "eval", str(work / name / "gold"), str(summaries)], cwd=ROOT)
    return made.returncode or scored.returncode


def work_folder(keep: Path | None) -> Path:
    """A fresh temporary folder, or the --keep folder (created, and refused if it already holds files)."""
    if keep is None:
        return Path(tempfile.mkdtemp(prefix="real_articles_"))
    keep.mkdir(parents=True, exist_ok=True)
    if any(keep.iterdir()):
        raise SourceError(f"--keep folder is not empty: {keep}")
    return keep


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=(*SETS, "all"), default="all", help="which gold set to run (default all)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the plain gold and summaries in DIR")
    args = parser.parse_args()
    names = SETS if args.set == "all" else (args.set,)
    try:
        work = work_folder(args.keep)
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        prepared = {name: prepare_set(name, work) for name in names}
        status = 0
        for name, articles in prepared.items():
            status = run_set(name, articles, work) or status
        if args.keep:
            print(f"kept in {work}")
        return status
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
