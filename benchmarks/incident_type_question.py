"""Can the embedded model type an incident where the trigger lexicons are silent?

The issue's design asks the model, few-shot, which type an event is when no
trigger verb matched. This measures that question on labelled sentences
written for this benchmark (none is matched by the lexicons' phrasing on
purpose: "trucked across", "let go", "given prison terms"), with the prompt in
incident_type_prompt.txt. Prints accuracy against the majority answer and
against chance, the greedy answer and, where the endpoint returns
log-probabilities, the likelihood choice, and seconds per question (the
prompt's fixed few-shot prefix is cached by llama.cpp across questions).

    .venv/bin/python benchmarks/incident_type_question.py                 # embedded model (greedy)
    .venv/bin/python benchmarks/incident_type_question.py --base-url URL  # e.g. a server with logits on
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.assist import ANSWER_TOKENS, TOP_LOGPROBS, match_choice, score_options  # noqa: E402
from summarizer.engine import Engine  # noqa: E402
from summarizer.settings import Settings  # noqa: E402

PROMPT = Template((Path(__file__).parent / "incident_type_prompt.txt").read_text(encoding="utf-8").removesuffix("\n"))
TYPES = ("arrest", "detention", "repatriation", "release", "escape", "transfer", "trial", "death", "none")

# Sentences written for this benchmark; the label is what an analyst would say.
SENTENCES: tuple[tuple[str, str], ...] = (
    ("Returns in the first seven months of the year totalled 521, against 318 a year earlier.", "repatriation"),
    ("Some 600 North Koreans were trucked across the Yalu River bridge at Dandong in late September.", "repatriation"),
    ("The 40 women were put on buses and taken back over the border on Saturday.", "repatriation"),
    ("Nineteen of them, five children among them, were picked off a bus at a checkpoint in Tonghua.", "arrest"),
    ("Police burst into the flat at dawn and led the six away in handcuffs.", "arrest"),
    ("They were kept for nearly two weeks in a holding centre in Tonghua.", "detention"),
    ("Thirty more are still behind the walls of the border defence compound in Tumen.", "detention"),
    ("Three of the workers were later let go after their employer vouched for them.", "release"),
    ("The pastor walked out of the centre on Monday after eight months inside.", "release"),
    ("Two of the men slipped out of the factory dormitory at night and headed for the river.", "escape"),
    ("A soldier waded across the shallow stretch near Hyesan before dawn.", "escape"),
    ("The group was put on a train to a larger facility in Shenyang.", "transfer"),
    ("Two brokers were given prison terms of five years each by a court in Yanji.", "trial"),
    ("The teenager's body was found on the riverbank two days later.", "death"),
    ("A 63-year-old woman passed away in custody after guards refused her medicine.", "death"),
    ("About 34,000 defectors have settled in South Korea since the 1990s.", "none"),
    ("Eleven people remain unaccounted for, the group said.", "none"),
    ("The ministry said it was monitoring the situation closely.", "none"),
    ("Activists will hold a vigil outside the embassy on Friday.", "none"),
    ("The number of arrivals in the South fell to 67 last year.", "none"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    args = parser.parse_args()
    settings = Settings.load(base_url=args.base_url, model=args.model)
    greedy_right = likely_right = 0
    seconds, answers = [], Counter()
    with Engine(settings) as engine:
        for sentence, label in SENTENCES:
            started = time.monotonic()
            logprobs = TOP_LOGPROBS if engine.offers_logprobs else None
            response = engine.complete(PROMPT.substitute(sentence=sentence), max_tokens=ANSWER_TOKENS,
                                       stop=["\n"], logprobs=logprobs)
            seconds.append(time.monotonic() - started)
            first = response.choices[0]
            greedy = match_choice(first.text or "", TYPES)
            top = dict(first.logprobs.top_logprobs[0]) if first.logprobs and first.logprobs.top_logprobs else {}
            likely = score_options(top, TYPES)[0] if top else None
            greedy_right += greedy == label
            likely_right += likely == label
            answers[greedy] += 1
            print(f"{label:13} greedy={greedy!s:13} likelihood={likely!s:13} {sentence[:60]}", file=sys.stderr)
    total = len(SENTENCES)
    majority = Counter(label for _, label in SENTENCES).most_common(1)[0]
    print(f"model {engine.model}: {total} sentences, median {statistics.median(seconds):.2f} s per question "
          f"(first {seconds[0]:.2f} s: the few-shot prefix is then cached)")
    print(f"chance {1 / len(TYPES):.2f}; always '{majority[0]}' {majority[1] / total:.2f}")
    print(f"greedy answer right: {greedy_right}/{total} = {greedy_right / total:.2f}; answers given: {dict(answers)}")
    if engine.offers_logprobs:
        print(f"likelihood choice right: {likely_right}/{total} = {likely_right / total:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
