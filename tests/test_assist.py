"""Reading a small model's multiple-choice answer from its log-probabilities."""

from __future__ import annotations

import json
import math

import pytest

from summarizer.assist import ask_choice, match_choice, score_options
from summarizer.engine import Engine
from summarizer.settings import Settings
from tests.stub_server import Reply, StubServer

OPTIONS = ("Park Sun-hee", "Crossing Bridges", "China")


def log(p: float) -> float:
    return math.log(p)


def test_the_likeliest_options_first_token_wins():
    top = {" Crossing": log(0.6), " Park": log(0.3), " the": log(0.1)}
    assert score_options(top, OPTIONS) == ("Crossing Bridges", pytest.approx(0.6))


def test_tokens_that_start_no_option_are_ignored():
    top = {" Passage": log(0.8), " China": log(0.15)}
    assert score_options(top, OPTIONS) == ("China", pytest.approx(0.15))


def test_options_sharing_a_first_token_keep_the_nearer_one():
    assert score_options({" Park": log(0.9)}, ("Park", "Park Sun-hee"))[0] == "Park"


def test_no_option_among_the_top_tokens_means_no_answer():
    assert score_options({" Passage": log(0.9)}, OPTIONS) == (None, 0.0)


@pytest.mark.parametrize("answer, expected", [
    (" Park Sun-hee", "Park Sun-hee"),
    (" china.", "China"),
    (" Crossing", "Crossing Bridges"),
    (" Passage: The United Nations", None),
    ("", None),
])
def test_free_text_answers_only_name_listed_options(answer, expected):
    assert match_choice(answer, OPTIONS) == expected


def completion_with_top(top: dict[str, float] | None, text: str) -> Reply:
    logprobs = None if top is None else {"tokens": [next(iter(top))], "token_logprobs": [max(top.values())],
                                         "top_logprobs": [top], "text_offset": [0]}
    return Reply(body={"id": "c", "object": "text_completion", "created": 0, "model": "m",
                       "choices": [{"index": 0, "text": text, "finish_reason": "stop", "logprobs": logprobs}],
                       "usage": {"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12}})


def ask(reply: Reply, min_probability: float):
    with StubServer([reply]) as stub:
        with Engine(Settings.load({}, base_url=stub.base_url, model="m")) as engine:
            return ask_choice(engine, "Speaker:", OPTIONS, min_probability=min_probability)


def test_an_unsure_model_answers_nothing():
    choice = ask(completion_with_top({" China": log(0.4), " Park": log(0.35)}, " China"), min_probability=0.5)
    assert choice.option is None and choice.probability == pytest.approx(0.4) and choice.method == "likelihood"


def test_a_sure_model_is_taken_at_its_word():
    choice = ask(completion_with_top({" Park": log(0.8)}, " Park Sun-hee"), min_probability=0.5)
    assert choice.option == "Park Sun-hee"


def test_endpoints_without_logprobs_fall_back_to_the_greedy_answer():
    choice = ask(completion_with_top(None, " Crossing Bridges"), min_probability=0.5)
    assert choice.option == "Crossing Bridges" and choice.method == "greedy-text" and choice.probability is None


def test_an_endpoint_that_refuses_logprobs_is_asked_again_without_them():
    refusal = Reply(500, {"error": {"message": "logprobs is not supported for models created with logits_all=False"}})
    with StubServer([refusal, completion_with_top(None, " China")]) as stub:
        with Engine(Settings.load({}, base_url=stub.base_url, model="m")) as engine:
            choice = ask_choice(engine, "Speaker:", OPTIONS, min_probability=0.5)
            assert not engine.offers_logprobs
        assert len(stub.requests) == 2
        assert json.loads(stub.requests[1]["body"]).get("logprobs") is None
    assert choice.option == "China" and choice.method == "greedy-text"
