"""Narrow multiple-choice questions to a small model, answered by likelihood.

A 270M base model asked to *write* an answer drifts ("Passage: The United
Nations has called..."); asked to *choose*, it does better when each option is
scored by the probability the model gives to its first token, read from the
completion's top log-probabilities. An option is only taken when the model
puts enough probability on it (``min_probability``); otherwise the question
stays unanswered, because a wrong speaker is worse for a reviewer than none.
Endpoints that return no log-probabilities, and the embedded server (which
runs without them because keeping every token's logits made its prefill 2.4x
slower), fall back to matching the greedy answer against the options: one
option must be named unambiguously, or there is no answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from summarizer.engine import Engine

TOP_LOGPROBS = 20
ANSWER_TOKENS = 12


@dataclass(frozen=True)
class Choice:
    """The option the model chose (or None), how sure it was, and how that was read."""

    option: str | None
    probability: float | None  # None when the endpoint gave no log-probabilities
    method: str  # "likelihood" | "greedy-text"


def ask_choice(engine: Engine, prompt: str, options: tuple[str, ...], *, min_probability: float) -> Choice:
    """Ask ``prompt`` (which ends where the answer starts) and read which option the model favours."""
    logprobs = TOP_LOGPROBS if engine.offers_logprobs else None
    response = engine.complete(prompt, max_tokens=ANSWER_TOKENS, stop=["\n"], logprobs=logprobs)
    first = response.choices[0]
    top = _first_token_logprobs(first)
    if top:
        option, probability = score_options(top, options)
        return Choice(option if probability >= min_probability else None, probability, "likelihood")
    return Choice(match_choice(first.text or "", options), None, "greedy-text")


def _first_token_logprobs(choice) -> dict[str, float]:
    logprobs = getattr(choice, "logprobs", None)
    top = getattr(logprobs, "top_logprobs", None) if logprobs is not None else None
    return dict(top[0]) if top else {}


def score_options(top: dict[str, float], options: tuple[str, ...]) -> tuple[str | None, float]:
    """The option whose first token the model finds most likely, with that token's probability.

    A token counts for an option when the answer " <option>" starts with it;
    options sharing that token ("Park", "Park Sun-hee") are the same answer
    as far as the first token can tell, and the earlier (nearer) one is kept.
    """
    best, best_probability = None, 0.0
    for option in options:
        answer = " " + option
        probability = max((math.exp(logprob) for token, logprob in top.items()
                           if token.strip() and answer.startswith(token)), default=0.0)
        if probability > best_probability:
            best, best_probability = option, probability
    return best, best_probability


def match_choice(answer: str, options: tuple[str, ...]) -> str | None:
    """The option a free-text answer names, or None: a name not on the list is never used."""
    said = answer.strip().strip(".\"'").casefold()
    if not said:
        return None
    exact = [option for option in options if option.casefold() == said]
    if exact:
        return exact[0]
    prefixed = [option for option in options if option.casefold().startswith(said) or said.startswith(option.casefold())]
    return prefixed[0] if len(prefixed) == 1 else None
