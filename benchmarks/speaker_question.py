"""How well does the embedded model answer "who said this quotation?" when code is silent?

For every quotation in examples/articles/ whose gold speaker (examples/gold/)
is among the names code offers as candidates, the reported-speech patterns
are set aside and the model is asked to choose, exactly as the stepwise
strategy asks it. Prints accuracy and coverage at several probability
thresholds, and the greedy free-text answer's accuracy for comparison.

    .venv/bin/python benchmarks/speaker_question.py            # embedded model
    .venv/bin/python benchmarks/speaker_question.py --base-url http://localhost:11434/v1 --model llama3.1:8b
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.assist import ANSWER_TOKENS, TOP_LOGPROBS, match_choice, score_options  # noqa: E402
from summarizer.engine import Engine  # noqa: E402
from summarizer.ingest import read_article  # noqa: E402
from summarizer.prompts import PromptRecorder  # noqa: E402
from summarizer.quotes import find_quotes  # noqa: E402
from summarizer.segment import SegmentedText  # noqa: E402
from summarizer.settings import Settings  # noqa: E402
from summarizer.strategies.stepwise import passage_around  # noqa: E402

THRESHOLDS = (0.0, 0.3, 0.5, 0.7, 0.9)


def same_speaker(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = a.casefold().removeprefix("the "), b.casefold().removeprefix("the ")
    return a == b or a.endswith(" " + b) or b.endswith(" " + a) or a.startswith(b + " ") or b.startswith(a + " ")


def questions(articles: Path, gold_dir: Path):
    """(article, segmented text, quote candidate, gold speaker) for every answerable question."""
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        article = read_article(str(articles / gold["article"]))
        gold_speakers = {quote["text"].rstrip(",. "): quote["speaker"] for quote in gold["quotes"]}
        segmented = SegmentedText(article.text)
        for candidate in find_quotes(article.text):
            speaker = gold_speakers.get(candidate.text.rstrip(",. "))
            if speaker and any(same_speaker(name, speaker) for name in candidate.candidates):
                yield article, segmented, candidate, speaker


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=ROOT / "examples" / "articles")
    parser.add_argument("--gold", type=Path, default=ROOT / "examples" / "gold")
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    args = parser.parse_args()
    settings = Settings.load(base_url=args.base_url, model=args.model)
    results, seconds = [], []
    with Engine(settings) as engine:
        for _, segmented, candidate, speaker in questions(args.articles, args.gold):
            prompt = PromptRecorder().render("stepwise_speaker.txt", passage=passage_around(segmented, candidate.start),
                                             quote=candidate.text, names="; ".join(candidate.candidates))
            started = time.monotonic()
            logprobs = TOP_LOGPROBS if engine.offers_logprobs else None
            response = engine.complete(prompt, max_tokens=ANSWER_TOKENS, stop=["\n"], logprobs=logprobs)
            seconds.append(time.monotonic() - started)
            first = response.choices[0]
            # One request serves both readings: its top log-probabilities (when
            # the endpoint gives them) and its greedy text.
            top = dict(first.logprobs.top_logprobs[0]) if first.logprobs and first.logprobs.top_logprobs else {}
            option, probability = score_options(top, candidate.candidates) if top else (None, 0.0)
            greedy = match_choice(first.text or "", candidate.candidates)
            results.append((probability, same_speaker(option, speaker), same_speaker(greedy, speaker),
                            len(candidate.candidates)))
            print(f"{len(results):3d} {speaker!r:28} -> {option!r:28} p={probability:.2f} greedy={greedy!r}",
                  file=sys.stderr, flush=True)
    report(results, seconds, engine.model)
    return 0


def report(results, seconds, model: str) -> None:
    total = len(results)
    print(f"model {model}: {total} speaker questions, median {statistics.median(seconds):.2f} s per question")
    chance = statistics.mean(1 / n for *_, n in results)
    print(f"chance (uniform among candidates): {chance:.2f}")
    print(f"greedy free text, matched to a candidate: accuracy {sum(r[2] for r in results) / total:.2f}")
    print("likelihood choice:  threshold  answered  accuracy-of-answered  right-overall")
    for threshold in THRESHOLDS:
        answered = [r for r in results if r[0] > 0 and r[0] >= threshold]
        right = sum(r[1] for r in answered)
        accuracy = right / len(answered) if answered else float("nan")
        print(f"                    {threshold:9.1f}  {len(answered):4d}/{total:<4d} {accuracy:20.2f}  {right / total:13.2f}")


if __name__ == "__main__":
    sys.exit(main())
