"""Score every gold set of the project in one go: one TOTAL line per set.

    .venv/bin/python benchmarks/score_sets.py                 # examples/ and every benchmarks/heldout*/
    .venv/bin/python benchmarks/score_sets.py heldout9 heldout10 --keep /tmp/sets

Each set is summarized by the CLI exactly as a user runs it (embedded model,
default strategy) into a temporary folder, then scored by `summarize eval`.
The point is to see at once whether a change to the rules helps one set and
hurts another; the per-article tables come from `summarize eval --verbose`.
Real articles (gold by offsets) have their own script: real_articles.py.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = "quotes P R F1 Spk | incidents P R F1 Cnt Plc Date | positions P R F1 Stn"


def gold_sets() -> dict[str, tuple[Path, Path]]:
    """Set name -> (articles folder, gold folder), in a stable order."""
    sets = {"examples": (ROOT / "examples" / "articles", ROOT / "examples" / "gold")}
    held = sorted(ROOT.glob("benchmarks/heldout*/"), key=lambda p: int(p.name[7:] or 1))
    sets.update({p.name: (p / "articles", p / "gold") for p in held})
    return sets


def summarize_cli() -> list[str]:
    local = ROOT / ".venv" / "bin" / "summarize"
    return [str(local)] if local.exists() else [sys.executable, "-m", "summarizer"]


def total_line(name: str, articles: Path, gold: Path, out: Path) -> str:
    """Summarize one set into ``out`` and return eval's TOTAL line (or the error)."""
    out.mkdir(parents=True, exist_ok=True)
    files = sorted(str(p) for p in articles.iterdir() if p.is_file())
    run = subprocess.run([*summarize_cli(), *files, "-o", f"{out}/"], capture_output=True, text=True, cwd=ROOT)
    if run.returncode not in (0, 1):
        return f"summarize failed ({run.returncode}): {run.stderr.strip().splitlines()[-1:]}"
    scored = subprocess.run([*summarize_cli(), "eval", str(gold), str(out)], capture_output=True, text=True, cwd=ROOT)
    total = [line for line in scored.stdout.splitlines() if line.startswith("TOTAL")]
    return " ".join(total[0].split()[1:]) if total else f"eval failed: {scored.stderr.strip()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help="set names (default: all)")
    parser.add_argument("--keep", metavar="DIR", help="write the summaries under DIR/<set>/ and keep them")
    args = parser.parse_args(argv)
    sets = gold_sets()
    unknown = [name for name in args.sets if name not in sets]
    if unknown:
        print(f"score_sets: unknown set(s) {', '.join(unknown)}; known: {', '.join(sets)}", file=sys.stderr)
        return 2
    chosen = args.sets or list(sets)
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(args.keep) if args.keep else Path(scratch)
        print(f"{'set':10} {COLUMNS}")
        for name in chosen:
            articles, gold = sets[name]
            print(f"{name:10} {total_line(name, articles, gold, base / name)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
