"""Reaching a model: one path for every endpoint.

Every model is reached the same way, instructor over the ``openai`` SDK
speaking HTTP to an OpenAI-compatible endpoint. With no endpoint configured
the tool starts llama-cpp-python's server on a free loopback port with the
bundled GGUF (:class:`EmbeddedServer`) and talks to it like to any other.

Two kinds of failure are handled apart, each bounded and counted in
``provenance.usage``:

- transport: connection errors, timeouts, 429 (honouring Retry-After) and 5xx
  are retried with exponential backoff (tenacity);
- validation: an answer that does not fit the schema is re-asked through
  instructor with the validation error attached.

Both share one tenacity ``Retrying`` per request (:class:`_AttemptBudget`),
so instructor's re-ask loop and our transport retries cannot multiply.
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

import instructor
import openai
from pydantic import BaseModel, ValidationError
from tenacity import RetryCallState, Retrying

from summarizer.embedded import EmbeddedServer
from summarizer.errors import (
    AuthError,
    ConfigError,
    EndpointError,
    ExtractionError,
    SummarizerError,
)
from summarizer.models import Usage
from summarizer.settings import EMBEDDED_MODEL_ALIAS, Settings

T = TypeVar("T", bound=BaseModel)

# instructor logs every failed attempt at ERROR; we report a failure once, in
# our own words, so its log lines would only repeat it on the user's terminal.
logging.getLogger("instructor").setLevel(logging.CRITICAL)

MAX_RETRY_AFTER_S = 60.0  # a server asking for longer is treated as down
BACKOFF_BASE_S = 0.5
BACKOFF_MAX_S = 20.0
OPENAI_DEFAULT_MODEL = "gpt-4o-mini"

_RESPONSE_MODES = {
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
}


def endpoint_label(base_url: str) -> str:
    """scheme://host[:port] of an endpoint: never a path, query or user info (they can hold tokens)."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def is_transient(exc: BaseException) -> bool:
    """Failures that a later attempt can cure."""
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if is_unreadable_body(exc):  # a proxy's error page, a body cut off mid-way
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def is_unreadable_body(exc: BaseException) -> bool:
    """The HTTP response itself was not JSON: the server's fault, not the model's answer.

    The SDK lets the decoder's error through as it is; it is told apart from a
    model's malformed JSON (which instructor reports as a validation error) by
    where it was raised: in the SDK's reading of the response.
    """
    if not isinstance(exc, json.JSONDecodeError):
        return False
    frame = exc.__traceback__
    while frame is not None:
        code = frame.tb_frame.f_code
        if code.co_filename.endswith(("_response.py", "_base_client.py")) and "openai" in code.co_filename:
            return True
        frame = frame.tb_next
    return False


def is_invalid_answer(exc: BaseException) -> bool:
    """Failures that a re-ask (the error shown to the model) can cure."""
    if is_unreadable_body(exc):
        return False
    if isinstance(exc, (ValidationError, json.JSONDecodeError)):
        return True
    # instructor wraps some parse failures in its own types; match them by name
    # so a change of module path inside instructor does not break the policy.
    return type(exc).__name__ in {"ResponseParsingError", "AsyncValidationError"}


def retry_after_s(exc: BaseException) -> float | None:
    """Seconds a 429/503 response asked us to wait, if it said."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP date: rare for APIs; fall back to backoff


class _AttemptBudget:
    """One tenacity policy for a request: transport retries and re-asks, each bounded."""

    def __init__(self, max_retries: int, max_reasks: int, meters: list[Usage], lock: threading.Lock):
        self.max_retries, self.max_reasks = max_retries, max_reasks
        self.retries = self.reasks = 0
        self.meters, self.lock = meters, lock

    def retrying(self) -> Retrying:
        return Retrying(retry=self._should_retry, stop=self._exhausted, wait=self._wait,
                        before_sleep=self._count, reraise=True)

    @staticmethod
    def _error(state: RetryCallState) -> BaseException | None:
        return state.outcome.exception() if state.outcome else None

    def _should_retry(self, state: RetryCallState) -> bool:
        exc = self._error(state)
        return exc is not None and (is_transient(exc) or is_invalid_answer(exc))

    def _exhausted(self, state: RetryCallState) -> bool:
        exc = self._error(state)
        if exc is not None and is_transient(exc):
            return self.retries >= self.max_retries
        return self.reasks >= self.max_reasks

    def _wait(self, state: RetryCallState) -> float:
        exc = self._error(state)
        if exc is None or not is_transient(exc):
            return 0.0  # a re-ask needs no pause
        asked = retry_after_s(exc)
        if asked is not None:
            return min(asked, MAX_RETRY_AFTER_S)
        backoff = BACKOFF_BASE_S * (2 ** self.retries)
        return min(backoff, BACKOFF_MAX_S) + random.uniform(0, BACKOFF_BASE_S / 2)

    def _count(self, state: RetryCallState) -> None:
        exc = self._error(state)
        with self.lock:
            transient = exc is not None and is_transient(exc)
            if transient:
                self.retries += 1
            else:
                self.reasks += 1
            for meter in self.meters:
                if transient:
                    meter.retries += 1
                else:
                    meter.reasks += 1


_RESPONSE_SCHEMAS: dict[type, type] = {}
_RESPONSE_SCHEMAS_LOCK = threading.Lock()


def _as_response_schema(response_model: type[T]) -> type[T]:
    """``response_model`` wrapped once for instructor, which would otherwise wrap it on every call.

    instructor builds a subclass of a plain Pydantic model per request (a new
    class each time, so its cached tool schema never hits): 4-5 ms of every
    request on this machine. Its answers are instances of a subclass of ours.
    Under a lock, so that sixteen batch threads starting together build it once.
    """
    wrapped = _RESPONSE_SCHEMAS.get(response_model)
    if wrapped is None:
        with _RESPONSE_SCHEMAS_LOCK:
            wrapped = _RESPONSE_SCHEMAS.get(response_model)
            if wrapped is None:
                wrapped = instructor.openai_schema(response_model)
                wrapped.openai_schema  # noqa: B018 - builds and caches the tool schema now, once
                _RESPONSE_SCHEMAS[response_model] = wrapped
    return wrapped


class Engine:
    """A connection to one model: embedded or remote, used as a context manager.

    >>> with Engine(settings) as engine:
    ...     answer = engine.ask(MyModel, [{"role": "user", "content": "..."}])
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.usage = Usage()
        self._lock = threading.Lock()
        self._local = threading.local()  # per-thread meter of the article in hand
        self._logprobs_refused = False
        self._server: EmbeddedServer | None = None
        self._client: openai.OpenAI | None = None
        self._structured: instructor.Instructor | None = None
        self.model: str = settings.model or ""
        self.base_url: str = settings.base_url or ""

    # -- lifecycle -----------------------------------------------------
    def __enter__(self) -> Engine:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        if self.settings.embedded:
            self._server = EmbeddedServer.for_settings(self.settings)
            self.base_url = self._server.start()
            self.model = EMBEDDED_MODEL_ALIAS
        key = self.settings.api_key.get_secret_value() if self.settings.api_key else "not-needed"
        keep_key_out_of_logs(key if self.settings.api_key else "")
        self._client = openai.OpenAI(base_url=self.base_url, api_key=key,
                                     timeout=self.settings.timeout_s, max_retries=0)
        self._structured = instructor.from_openai(self._client, mode=_RESPONSE_MODES[self.settings.response_mode])
        self._structured.on("completion:response", self._count_response)
        self._structured.on("completion:error", self._count_failed_call)
        if not self.model:
            self.model = self._default_model()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._server is not None:
            self._server.stop()
            self._server = None

    # -- what the rest of the tool sees --------------------------------
    @property
    def endpoint(self) -> str:
        """For provenance: "embedded", or scheme://host[:port]."""
        return "embedded" if self.settings.embedded else endpoint_label(self.base_url)

    @property
    def is_embedded(self) -> bool:
        return self.settings.embedded

    @property
    def offers_logprobs(self) -> bool:
        """Whether to ask for log-probabilities: the embedded server runs without them, for speed."""
        return not self.settings.embedded and not self._logprobs_refused

    @contextmanager
    def metered(self) -> Iterator[Usage]:
        """Count what the calls made inside the block cost, apart from the engine's total.

        Thread-local, so articles summarized on parallel threads are billed
        to the right summary.
        """
        meter = Usage()
        self._local.meter = meter
        try:
            yield meter
        finally:
            self._local.meter = None

    def _meters(self) -> list[Usage]:
        meter = getattr(self._local, "meter", None)
        return [self.usage] if meter is None else [self.usage, meter]

    def ask(self, response_model: type[T], messages: Sequence[dict[str, str]], *,
            max_tokens: int = 1024, temperature: float = 0.0) -> T:
        """A validated ``response_model`` instance for a chat request."""
        assert self._structured is not None, "Engine used outside its `with` block"
        budget = self._budget()
        try:
            return self._structured.chat.completions.create(
                model=self.model, response_model=_as_response_schema(response_model), messages=list(messages),
                max_tokens=max_tokens, temperature=temperature, max_retries=budget.retrying(),
            )
        except Exception as exc:  # noqa: BLE001 - every failure becomes one of ours
            raise self.translate(exc, budget) from None

    def complete(self, prompt: str, *, max_tokens: int = 16, stop: Sequence[str] | None = None,
                 logprobs: int | None = None, temperature: float = 0.0) -> Any:
        """A plain text completion (``/v1/completions``), for narrow questions to base models."""
        assert self._client is not None, "Engine used outside its `with` block"
        budget = self._budget()
        try:
            for attempt in budget.retrying():
                with attempt:
                    response = self._send_completion(prompt, max_tokens, stop, logprobs, temperature)
            return response
        except Exception as exc:  # noqa: BLE001
            raise self.translate(exc, budget) from None

    # -- internals -----------------------------------------------------
    def _budget(self) -> _AttemptBudget:
        return _AttemptBudget(self.settings.max_retries, self.settings.max_reasks, self._meters(), self._lock)

    def _send_completion(self, prompt, max_tokens, stop, logprobs, temperature):
        assert self._client is not None
        try:
            response = self._client.completions.create(
                model=self.model, prompt=prompt, max_tokens=max_tokens, temperature=temperature,
                stop=list(stop) if stop else None, logprobs=logprobs,
            )
        except openai.APIStatusError as exc:
            self._count_failed_call()
            if logprobs is None or "logprob" not in str(exc).lower():
                raise
            # The endpoint cannot give log-probabilities (llama.cpp's server
            # without per-token logits answers 500): ask without them from now on.
            self._logprobs_refused = True
            return self._send_completion(prompt, max_tokens, stop, None, temperature)
        except Exception:
            self._count_failed_call()
            raise
        self._count_response(response)
        return response

    def _count_response(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        with self._lock:
            for meter in self._meters():
                meter.calls += 1
                if usage is not None:
                    meter.prompt_tokens += getattr(usage, "prompt_tokens", 0) or 0
                    meter.completion_tokens += getattr(usage, "completion_tokens", 0) or 0

    def _count_failed_call(self, *args: object, **kwargs: object) -> None:
        with self._lock:
            for meter in self._meters():
                meter.calls += 1

    def _default_model(self) -> str:
        """The model to use when none was named: the endpoint's only one, if it has one."""
        if urlsplit(self.base_url).hostname == "api.openai.com":
            return OPENAI_DEFAULT_MODEL
        assert self._client is not None
        budget = self._budget()
        try:
            for attempt in budget.retrying():
                with attempt:
                    served = [model.id for model in self._client.models.list()]
        except Exception as exc:  # noqa: BLE001
            raise self.translate(exc, budget) from None
        if len(served) == 1:
            return served[0]
        names = ", ".join(served[:8]) + (" ..." if len(served) > 8 else "")
        raise ConfigError(f"{self.endpoint} serves {len(served)} models ({names or 'none listed'}): "
                          "choose one with --model or SUMMARIZER_MODEL")

    # -- errors --------------------------------------------------------
    def translate(self, exc: BaseException, budget: _AttemptBudget | None = None) -> SummarizerError:
        """One clear, key-free line for any failure of a request."""
        if isinstance(exc, SummarizerError):
            return exc
        cause = _root_cause(exc)
        attempts = f" after {budget.retries + 1} attempts" if budget and budget.retries else ""
        where = self.endpoint if not self.settings.embedded else f"the embedded model ({self.base_url})"
        message = self._describe(cause, where, attempts)
        return message if isinstance(message, SummarizerError) else EndpointError(self.redact(message))

    def _describe(self, cause: BaseException, where: str, attempts: str) -> SummarizerError | str:
        if isinstance(cause, (openai.AuthenticationError, openai.PermissionDeniedError)):
            return AuthError(f"{where} refused the credentials (HTTP {cause.status_code}): "
                             "set OPENAI_API_KEY (or --api-key) to a valid key for this endpoint")
        if isinstance(cause, openai.NotFoundError):
            return (f"{where} answered 404 Not Found for model '{self.model}': check --base-url "
                    "(OpenAI-compatible endpoints usually end in /v1) and --model")
        if isinstance(cause, openai.APITimeoutError):
            return f"{where} did not answer within {self.settings.timeout_s:g} s{attempts}; raise --timeout or check the server"
        if isinstance(cause, openai.APIConnectionError):
            reason = _connection_reason(cause)
            return f"cannot reach {where}{attempts}: {reason}; check --base-url / OPENAI_BASE_URL"
        if isinstance(cause, openai.BadRequestError) and _is_context_overflow(cause):
            return (f"{where} says the request is longer than the model's context ({_server_message(cause)}): "
                    "set SUMMARIZER_CONTEXT to the model's context window in tokens, so that long articles are split")
        if isinstance(cause, openai.APIStatusError):
            return f"{where} answered HTTP {cause.status_code}{attempts}: {_server_message(cause)}"
        if is_unreadable_body(cause):
            excerpt = " ".join(str(getattr(cause, "doc", "")).split())[:80]
            return (f"{where} answered with a body that is not JSON{attempts} (it begins {excerpt!r}): "
                    "check that --base-url / OPENAI_BASE_URL is an OpenAI-compatible API (usually ending in /v1)")
        if type(cause).__name__ == "IncompleteOutputException":
            return ExtractionError("the model's answer was cut off by the token limit before it was complete")
        if is_invalid_answer(cause) or isinstance(cause, openai.APIResponseValidationError):
            return ExtractionError(self.redact(f"the model's answer did not fit the schema{attempts or ''}: {_first_line(cause)}"))
        return f"request to {where} failed: {type(cause).__name__}: {_first_line(cause)}"

    def redact(self, text: str) -> str:
        """Remove the API key (and any echo of a part of it) from a message."""
        key = self.settings.api_key.get_secret_value() if self.settings.api_key else ""
        return redact_key(text, key)


def redact_key(text: str, key: str) -> str:
    """``text`` without ``key``, nor its head or tail (some servers echo a part of a key)."""
    if not key:
        return text
    text = text.replace(key, "***")
    if len(key) > 12:
        text = text.replace(key[:8], "***").replace(key[-6:], "***")
    return text


_LOGGED_KEYS: set[str] = set()
_LOG_LOCK = threading.Lock()


def keep_key_out_of_logs(key: str) -> None:
    """Redact ``key`` from every log record made from now on, whichever library makes it.

    instructor logs each failed attempt with the server's answer, which may
    echo the key; the openai SDK and httpx log requests at DEBUG. A user who
    turns logging on must not find the key there, so records are cleaned as
    they are made (a record factory sees them all, a logger filter only its own).
    """
    if not key:
        return
    with _LOG_LOCK:
        if not _LOGGED_KEYS:
            _install_redacting_record_factory()
        _LOGGED_KEYS.add(key)


def _install_redacting_record_factory() -> None:
    make_record = logging.getLogRecordFactory()

    def redacted_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is the logger's to report, as before
            return record
        cleaned = message
        for key in tuple(_LOGGED_KEYS):
            cleaned = redact_key(cleaned, key)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return record

    logging.setLogRecordFactory(redacted_record)


def _root_cause(exc: BaseException) -> BaseException:
    """The underlying error beneath instructor's and tenacity's wrappers.

    Stops at the SDK's own error: beneath it lie httpx details we describe ourselves.
    """
    seen = set()
    while id(exc) not in seen and not isinstance(exc, openai.OpenAIError):
        seen.add(id(exc))
        inner = exc.__cause__ or getattr(exc, "last_exception", None)
        if inner is None or not isinstance(inner, BaseException):
            break
        exc = inner
    return exc


def _connection_reason(exc: openai.APIConnectionError) -> str:
    text = str(exc.__cause__ or exc).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service" in text or "nodename" in text or "resolve" in text:
        return "host name not found"
    return _first_line(exc.__cause__ or exc) or "connection failed"


def _is_context_overflow(exc: openai.BadRequestError) -> bool:
    """A 400 saying the prompt does not fit (OpenAI, vLLM and llama.cpp each word it a little differently)."""
    text = f"{exc.code or ''} {_server_message(exc)}".lower()
    return "context_length" in text or "context length" in text or "exceeds the context" in text \
        or "maximum context" in text or "context window" in text


def _server_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return _first_line(str(message))
    return _first_line(exc.message)


def _first_line(value: object, limit: int = 200) -> str:
    text = str(value).strip().splitlines()[0] if str(value).strip() else ""
    return text[:limit]
