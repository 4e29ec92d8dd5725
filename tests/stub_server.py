"""A real OpenAI-compatible HTTP server on loopback that fails on purpose.

Tests script it with a list of responses; each request takes the next one
(the last repeats). Used for failure paths: status codes, Retry-After,
malformed bodies, hangs. No mocks of the client: the SDK talks real HTTP.

For answers that depend on the request (a piece of a long article, a marker
word that makes only some articles fail), pass ``responder``: a function from
the request (method, path, headers, body, and ``json`` when the body parses)
to a Reply; it is asked first and the scripted list is used when it returns None.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: object = None  # dict -> JSON; str -> sent as is
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    drop: bool = False  # close the connection without answering


def chat_reply(arguments: dict, model: str = "stub-model", finish_reason: str = "tool_calls") -> Reply:
    """A chat completion whose forced tool call carries ``arguments``."""
    call = {"id": "call_1", "type": "function", "function": {"name": "DraftSummary", "arguments": json.dumps(arguments)}}
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    return Reply(body={
        "id": "chatcmpl-stub", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    })


def completion_reply(text: str, model: str = "stub-model") -> Reply:
    return Reply(body={
        "id": "cmpl-stub", "object": "text_completion", "created": 0, "model": model,
        "choices": [{"index": 0, "text": text, "finish_reason": "stop", "logprobs": None}],
        "usage": {"prompt_tokens": 50, "completion_tokens": 3, "total_tokens": 53},
    })


class StubServer:
    def __init__(self, replies: list[Reply] | None = None,
                 responder: Callable[[dict], Reply | None] | None = None):
        if not replies and responder is None:
            raise ValueError("a StubServer needs replies or a responder")
        self.replies = list(replies or [])
        self.responder = responder
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> StubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_reply(self, request: dict) -> Reply:
        if self.responder is not None:
            reply = self.responder(request)
            if reply is not None:
                return reply
        with self._lock:  # the server is threaded: one request takes one scripted reply
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                request = {"method": self.command, "path": self.path,
                           "headers": dict(self.headers), "body": body.decode("utf-8", "replace")}
                stub.requests.append(request)
                reply = stub._next_reply(_with_json(request))
                time.sleep(reply.delay_s)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)  # socket.SHUT_RDWR: the client sees the connection end
                    return
                payload = reply.body if isinstance(reply.body, str) else json.dumps(reply.body or {})
                data = payload.encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            do_GET = do_POST = _serve

        return Handler


def _with_json(request: dict) -> dict:
    """The request as a responder sees it: its body parsed too, when it is JSON."""
    try:
        parsed = json.loads(request["body"]) if request["body"] else None
    except ValueError:
        parsed = None
    return {**request, "json": parsed}
