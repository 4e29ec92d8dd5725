"""The one path to a model: retries, re-asks, errors, against real HTTP on loopback."""

from __future__ import annotations

import socket

import pytest
from pydantic import BaseModel

from summarizer.engine import Engine, endpoint_label
from summarizer.errors import AuthError, ConfigError, EndpointError, ExtractionError
from summarizer.settings import Settings
from tests.stub_server import Reply, StubServer, chat_reply, completion_reply

FAKE_KEY = "sk-test-PLANTED-0123456789abcdef"


class Answer(BaseModel):
    count: int


def answer_reply(count: int) -> Reply:
    reply = chat_reply({"count": count})
    reply.body["choices"][0]["message"]["tool_calls"][0]["function"]["name"] = "Answer"
    return reply


def settings_for(url: str, **overrides) -> Settings:
    values = {"base_url": url, "model": "stub-model", "api_key": FAKE_KEY, "max_retries": 3, "timeout_s": 5}
    values.update(overrides)
    return Settings.load({}, **values)


def ask(settings: Settings) -> tuple[Answer, Engine]:
    with Engine(settings) as engine:
        return engine.ask(Answer, [{"role": "user", "content": "How many?"}], max_tokens=20), engine


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch):
    # Backoff length is policy, not behaviour under test: keep the suite fast.
    monkeypatch.setattr("summarizer.engine.BACKOFF_BASE_S", 0.01)


def test_endpoint_label_drops_path_and_credentials():
    assert endpoint_label("https://user:secret@api.example.com:8443/v1?token=abc") == "https://api.example.com:8443"
    assert endpoint_label("http://localhost:11434/v1") == "http://localhost:11434"


def test_server_errors_are_retried_then_succeed():
    with StubServer([Reply(500, {"error": {"message": "boom"}}), Reply(502), Reply(503), answer_reply(7)]) as stub:
        answer, engine = ask(settings_for(stub.base_url))
    assert answer.count == 7
    assert engine.usage.retries == 3
    assert engine.usage.calls == 4
    assert engine.usage.prompt_tokens == 100


def test_retry_after_is_honoured(monkeypatch):
    waits = []
    monkeypatch.setattr("tenacity.nap.time.sleep", waits.append)
    with StubServer([Reply(429, {"error": {"message": "slow down"}}, {"retry-after": "2"}), answer_reply(3)]) as stub:
        answer, _ = ask(settings_for(stub.base_url))
    assert answer.count == 3
    assert [seconds for seconds in waits if seconds] == [2.0]  # the stub sleeps 0 s per request too


def test_retries_are_bounded_and_reported_in_one_line():
    with StubServer([Reply(503, {"error": {"message": "overloaded"}})]) as stub:
        with pytest.raises(EndpointError) as caught:
            ask(settings_for(stub.base_url, max_retries=2))
        assert len(stub.requests) == 3
    message = str(caught.value)
    assert "HTTP 503" in message and "3 attempts" in message and "\n" not in message


def test_unauthorized_is_not_retried_and_names_the_setting():
    body = {"error": {"message": f"Incorrect API key provided: {FAKE_KEY}"}}
    with StubServer([Reply(401, body)]) as stub:
        with pytest.raises(AuthError) as caught:
            ask(settings_for(stub.base_url))
        assert len(stub.requests) == 1
    assert "OPENAI_API_KEY" in str(caught.value)
    assert FAKE_KEY not in str(caught.value)


def test_invalid_answer_is_reasked_with_the_error_then_accepted():
    with StubServer([answer_reply("many"), answer_reply(4)]) as stub:  # type: ignore[arg-type]
        answer, engine = ask(settings_for(stub.base_url))
    assert answer.count == 4
    assert engine.usage.reasks == 1
    assert "count" in stub.requests[1]["body"]  # the validation error went back to the model


def test_reasks_are_bounded():
    with StubServer([answer_reply("many")]) as stub:  # type: ignore[arg-type]
        with pytest.raises(ExtractionError):
            ask(settings_for(stub.base_url, max_reasks=1))
        assert len(stub.requests) == 2


def test_connection_refused_is_one_clear_line():
    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(EndpointError) as caught:
        ask(settings_for(f"http://127.0.0.1:{port}/v1", max_retries=1))
    message = str(caught.value)
    assert "cannot reach" in message and "connection refused" in message and "--base-url" in message


def test_timeout_is_retried_then_reported():
    with StubServer([Reply(delay_s=1.5, body={})]) as stub:
        with pytest.raises(EndpointError) as caught:
            ask(settings_for(stub.base_url, timeout_s=0.3, max_retries=1))
    assert "did not answer within 0.3 s" in str(caught.value)


def test_truncated_answer_is_reported_as_cut_off():
    reply = answer_reply(1)
    reply.body["choices"][0]["finish_reason"] = "length"
    with StubServer([reply]) as stub:
        with pytest.raises(ExtractionError, match="cut off"):
            ask(settings_for(stub.base_url, max_reasks=0))


def test_model_defaults_to_the_endpoints_only_model():
    models = Reply(body={"object": "list", "data": [{"id": "llama3:8b", "object": "model"}]})
    with StubServer([models]) as stub:
        with Engine(settings_for(stub.base_url, model=None)) as engine:
            assert engine.model == "llama3:8b"


def test_several_models_need_a_choice():
    models = Reply(body={"object": "list", "data": [{"id": "a", "object": "model"}, {"id": "b", "object": "model"}]})
    with StubServer([models]) as stub:
        with pytest.raises(ConfigError, match="--model"):
            Engine(settings_for(stub.base_url, model=None)).__enter__()


def test_completion_usage_is_metered_per_block():
    with StubServer([completion_reply(" Seoul")]) as stub:
        with Engine(settings_for(stub.base_url)) as engine:
            with engine.metered() as meter:
                text = engine.complete("Where?", max_tokens=4).choices[0].text
            engine.complete("Again?", max_tokens=4)
    assert text == " Seoul"
    assert meter.calls == 1 and engine.usage.calls == 2
