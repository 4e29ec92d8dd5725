"""A stub model that reads the article it is sent, for the hardening tests.

It answers the ``single`` strategy's call from the text in the request, as a
careful model would: every passage in quotation marks becomes a quote, every
sentence with an incident word becomes an incident. So a test can check that
what comes back is grounded at the right place in the whole article, whatever
piece of it the stub was sent.
"""

from __future__ import annotations

import json
import re

from tests.stub_server import Reply, chat_reply, completion_reply

ARTICLE_START = "<article>\n"
ARTICLE_END = "\n</article>"
_QUOTED = re.compile(r"[“\"]([^“”\"]{8,}?)[”\"]")
_SENTENCE = re.compile(r"[^.!?。\n]+[.!?。]")
INCIDENT_WORDS = ("detained", "arrested", "detuvo", "detenidos", "구금", "체포")


def user_message(request: dict) -> str:
    messages = (request.get("json") or {}).get("messages") or []
    return next((m.get("content") or "" for m in reversed(messages) if m.get("role") == "user"), "")


def article_in(request: dict) -> str:
    """The article text of a ``single`` request (a piece of it, for a long article)."""
    content = user_message(request)
    if ARTICLE_START in content:
        return content.split(ARTICLE_START, 1)[1].rsplit(ARTICLE_END, 1)[0]
    return content.split("Article:\n", 1)[-1]


def reading_answer(text: str) -> dict:
    """What a faithful model would extract from ``text``."""
    quotes = [{"text": m.group(1).strip(" ,"), "speaker": None} for m in _QUOTED.finditer(text)]
    incidents = []
    for sentence in _SENTENCE.findall(text):
        if any(word in sentence for word in INCIDENT_WORDS):
            incidents.append({"type": "detention", "description": "A detention.",
                              "evidence": [{"text": sentence.strip()}]})
    summary = " ".join(s.strip() for s in _SENTENCE.findall(text)[:2])
    return {"summary": summary or "An article.", "incidents": incidents, "positions": [], "quotes": quotes}


def reading_responder(request: dict) -> Reply:
    """Answers single calls from the text sent, speaker questions with a blank completion."""
    if request["path"].endswith("/completions") and not request["path"].endswith("/chat/completions"):
        return completion_reply(" ")
    return chat_reply(reading_answer(article_in(request)))


def tool_arguments(reply: Reply) -> dict:
    return json.loads(reply.body["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"])
