"""Splitting long articles into pieces that fit a context, and joining the pieces' answers."""

from __future__ import annotations

import json

import pytest

from summarizer import chunking
from summarizer.chunking import Piece, anchor, estimate_tokens, merge_drafts, split
from summarizer.drafts import DraftEvidence, DraftIncident, DraftPosition, DraftQuote, DraftSummary
from summarizer.settings import Settings


def paragraphs(count: int, words: int = 40) -> str:
    return "\n\n".join(f"Paragraph {n} " + " ".join(f"word{n}x{i}" for i in range(words)) + "."
                       for n in range(count))


def test_estimate_is_generous_and_counts_hangul_one_a_token():
    assert estimate_tokens("abcdef") == 2
    assert estimate_tokens("abcdefg") == 3  # rounded up
    assert estimate_tokens("한국어") == 3


def test_a_short_article_is_one_piece():
    text = paragraphs(3)
    assert split(text, 10_000) == [Piece(0, 0, len(text), text)]


def test_pieces_are_slices_on_paragraph_boundaries_within_budget_and_cover_everything():
    text = paragraphs(60)
    budget = 400
    pieces = split(text, budget)
    assert len(pieces) > 5
    for piece in pieces:
        assert text[piece.start:piece.end] == piece.text
        assert estimate_tokens(piece.text) <= budget
        assert piece.text.startswith("Paragraph ") and piece.text.endswith(".")
    assert pieces[0].start == 0 and pieces[-1].end == len(text)
    for before, after in zip(pieces, pieces[1:]):
        assert after.start < before.end  # consecutive pieces overlap
        assert after.start > before.start  # and always move on


def test_a_paragraph_longer_than_a_piece_is_split_by_sentences_then_at_spaces():
    sentence = "The committee met again. " * 200
    endless = "x" * 10 + " " + "word " * 3000
    text = f"Intro.\n\n{sentence.strip()}\n\n{endless.strip()}"
    pieces = split(text, 300)
    assert all(estimate_tokens(piece.text) <= 300 for piece in pieces)
    assert all(text[p.start:p.end] == p.text for p in pieces)
    covered = set()
    for piece in pieces:
        covered.update(range(piece.start, piece.end))
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


def test_korean_text_makes_smaller_pieces():
    text = "\n\n".join("경찰은 화요일 국경 근처에서 탈북자 아홉 명을 구금했다고 한 단체가 밝혔다." * 3 for _ in range(40))
    pieces = split(text, 300)
    assert len(pieces) > 5 and all(estimate_tokens(piece.text) <= 300 for piece in pieces)


def test_a_200000_character_article_splits_fast():
    import time

    text = paragraphs(1000, words=25)
    assert len(text) > 200_000
    started = time.perf_counter()
    pieces = split(text, 8000)
    assert time.perf_counter() - started < 2.0
    assert 5 <= len(pieces) <= 15


def test_context_comes_from_the_setting_or_a_default_for_endpoints():
    assert chunking.context_tokens(Settings.load({})) == 4096  # the embedded model's own
    remote = Settings.load({}, base_url="http://localhost:1/v1")
    assert chunking.context_tokens(remote) == chunking.ENDPOINT_CONTEXT_TOKENS
    told = Settings.load({"SUMMARIZER_CONTEXT": "8192"}, base_url="http://localhost:1/v1")
    assert chunking.context_tokens(told) == 8192
    assert chunking.answer_tokens(told) == 4096  # never more than half the context
    budget = chunking.article_budget(told, "x" * 3000, DraftSummary)
    schema = len(json.dumps(DraftSummary.model_json_schema()))
    assert budget == 8192 - 4096 - 1000 - (schema + 2) // 3  # prompt and schema at 3 characters a token


def test_anchor_points_each_passage_at_its_place_in_the_whole_text():
    text = "Intro line here.\n\nThe police said “we will act” today.\n\nThe police said “we will act” today."
    second = text.index("The police said", 20)
    piece = Piece(1, second, len(text), text[second:])
    draft = DraftSummary(summary="s", quotes=[DraftQuote(text="“we will act”")],
                         positions=[DraftPosition(stakeholder="police", kind="government", issue="i", stance="supports",
                                                  position="p", evidence=[DraftEvidence(text="The police said “we will act” today.")])])
    anchor(draft, piece)
    assert draft.quotes[0].near == text.index("we will act", second)
    assert draft.positions[0].evidence[0].near == second


def _incident(near: int, text: str, **fields) -> DraftIncident:
    return DraftIncident(type="detention", description="d", evidence=[DraftEvidence(text=text, near=near)], **fields)


def test_merge_keeps_what_two_pieces_both_found_once():
    sentence = "Police detained nine people on Tuesday."
    first = DraftSummary(summary="First piece summary.",
                         quotes=[DraftQuote(text="It was cold", speaker=None, near=500)],
                         incidents=[_incident(480, sentence, people_text="nine people")],
                         positions=[DraftPosition(stakeholder="Amnesty", kind="ngo", issue="a", stance="opposes",
                                                  position="p", evidence=[DraftEvidence(text="e one", near=10)])])
    second = DraftSummary(summary="Second piece summary.",
                          quotes=[DraftQuote(text="It was cold", speaker="Kim", near=500),
                                  DraftQuote(text="It was cold", speaker="Kim", near=9000)],
                          incidents=[_incident(480, sentence, date_text="on Tuesday"),
                                     _incident(9000, "Police detained two more.")],
                          positions=[DraftPosition(stakeholder="amnesty ", kind="ngo", issue="b", stance="opposes",
                                                   position="p2", evidence=[DraftEvidence(text="e two", near=900)])])
    merged = merge_drafts([first, second])
    assert merged.summary == "First piece summary."
    assert [(q.near, q.speaker) for q in merged.quotes] == [(500, "Kim"), (9000, "Kim")]
    assert len(merged.incidents) == 2
    assert merged.incidents[0].people_text == "nine people" and merged.incidents[0].date_text == "on Tuesday"
    assert len(merged.positions) == 1
    assert [e.near for e in merged.positions[0].evidence] == [10, 900]


@pytest.mark.parametrize("stance", ["supports", "opposes"])
def test_merge_keeps_different_stances_apart(stance):
    opposed = DraftPosition(stakeholder="Seoul", kind="government", issue="i", stance="opposes", position="p",
                            evidence=[DraftEvidence(text="e", near=1)])
    other = DraftPosition(stakeholder="Seoul", kind="government", issue="i", stance=stance, position="p",
                          evidence=[DraftEvidence(text="f", near=2)])
    merged = merge_drafts([DraftSummary(summary="", positions=[opposed]), DraftSummary(summary="", positions=[other])])
    assert len(merged.positions) == (1 if stance == "opposes" else 2)
