"""`summarize eval`: matching rules and metrics, checked on hand-built gold and summaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.cli import main
from summarizer.errors import InputError
from summarizer.evaluate import (
    GoldIncident,
    evaluate_dirs,
    evaluate_pair,
    format_table,
    locate,
    place_matches,
    quote_score,
    run_eval_command,
    speaker_matches,
    stakeholder_score,
)
from summarizer.models import ArticleSummary, Location

TEXT = (Path(__file__).parent / "fixtures" / "eval" / "article.txt").read_text(encoding="utf-8")
DETENTION = "Chinese police detained nine North Korean defectors in Yanji on Tuesday, a Seoul-based aid group said."
REPATRIATION = "Last month, China repatriated some 60 North Koreans from Dandong, according to the United Nations."
TERRIFIED = "They are terrified of being sent back,"
ASKING = "We are asking Beijing to let them travel to the South."
MONITORING = "closely monitoring"


# -- builders -----------------------------------------------------------------
def span(fragment: str) -> dict:
    start = TEXT.index(fragment)
    return {"text": fragment, "start": start, "end": start + len(fragment)}


def incident(type_="detention", evidence=DETENTION, count=9, city="Yanji", start="2024-05-14") -> dict:
    return {"type": type_, "description": "x", "evidence": [span(evidence)],
            "people": {"count": count}, "location": {"text": city, "city": city},
            "date": {"text": "on Tuesday", "start": start, "end": start}}


def position(stakeholder: str, stance="opposes", evidence=ASKING) -> dict:
    return {"stakeholder": stakeholder, "kind": "ngo", "issue": "repatriation", "stance": stance,
            "position": "x", "evidence": [span(evidence)]}


def summary(quotes=(), incidents=(), positions=(), source="news/alpha.txt", duration=2.0, tokens=(100, 10)) -> ArticleSummary:
    return ArticleSummary.model_validate({
        "article": {"id": "0" * 16, "source": source, "text": TEXT, "published": "2024-05-16"},
        "summary": "Nine defectors were detained.",
        "quotes": [{"text": text, "span": span(text), "speaker": speaker, "kind": "direct"} for text, speaker in quotes],
        "incidents": list(incidents),
        "positions": list(positions),
        "provenance": {"model": "m", "endpoint": "embedded", "strategy": "stepwise", "created_at": "2024-05-16T00:00:00Z",
                       "duration_s": duration, "usage": {"calls": 1, "prompt_tokens": tokens[0], "completion_tokens": tokens[1]}},
    })


def gold(article="alpha.txt", quotes=(), incidents=(), positions=(), published="2024-05-16") -> dict:
    return {"article": article, "published": published,
            "quotes": [{"text": t, "speaker": s, "kind": "direct"} for t, s in quotes],
            "incidents": list(incidents), "positions": list(positions)}


def gold_incident(type_="detention", count=9, location="Yanji", evidence=DETENTION, start="2024-05-14") -> dict:
    return {"type": type_, "count": count, "approximate": False, "location": location, "country": "China",
            "date_start": start, "date_end": start, "date_text": "on Tuesday", "evidence": evidence}


def gold_position(stakeholder: str, stance="opposes") -> dict:
    return {"stakeholder": stakeholder, "stance": stance, "issue": "repatriation", "evidence": ASKING}


GOLD_QUOTES = [(TERRIFIED, "Park Sun-hee"), (ASKING, "Park Sun-hee"), (MONITORING, "Foreign Ministry")]


# -- quotes ---------------------------------------------------------------------
def test_quote_texts_match_after_normalising_marks_spaces_and_trailing_punctuation():
    assert quote_score("They are terrified of being sent back,", "“They are  terrified of being\nsent back.”") == 1.0
    assert quote_score("it’s over", "it's over") == 1.0


def test_a_quote_cut_a_little_shorter_matches_only_above_80_percent():
    longer = "We are asking Beijing to let them travel to the South"
    assert quote_score(longer, "asking Beijing to let them travel to the South") == pytest.approx(46 / 53)
    assert quote_score(longer, "let them travel to the South") is None  # contained, but only 28/53
    assert quote_score(longer, "We are asking Seoul to let them travel to the South") is None


def test_two_of_three_quotes_found_gives_recall_two_thirds():
    scores = evaluate_pair(gold(quotes=GOLD_QUOTES), summary(quotes=[(TERRIFIED, "Park"), (ASKING, "Park")]))
    assert (scores.quotes.matched, scores.quotes.predicted, scores.quotes.gold) == (2, 2, 3)
    assert scores.quotes.precision == 1.0
    assert round(scores.quotes.recall, 3) == 0.667
    assert scores.quotes.f1 == pytest.approx(0.8)


def test_matching_is_one_to_one():
    # The same quote predicted twice earns one match and one false positive.
    scores = evaluate_pair(gold(quotes=GOLD_QUOTES[:1]), summary(quotes=[(TERRIFIED, "Park"), (TERRIFIED, "Park")]))
    assert (scores.quotes.matched, scores.quotes.predicted) == (1, 2)
    assert scores.quotes.precision == 0.5


@pytest.mark.parametrize(("gold_name", "predicted", "expected"), [
    ("Park Sun-hee", "Park", True),            # surname only
    ("Park Sun-hee", "park sun-hee", True),    # case
    ("Park", "Park Sun-hee", True),            # gold shorter than prediction
    ("Elaine Park", "Park", True),             # western order: surname last
    ("the United Nations", "United Nations", True),
    ("Park Sun-hee", "Sun", False),            # not a whole word of the name
    ("Park Sun-hee", "Parker", False),
    ("Park Sun-hee", "Kim Sun-hee Park", False),
    ("Park Sun-hee", None, False),
    ("Chinese Embassy in Seoul spokesperson", "A spokesperson for the Chinese Embassy in Seoul", True),  # word order
    ("Chinese Embassy spokesperson", "A spokesperson for the Japanese Embassy", False),
])
def test_speaker_matching(gold_name, predicted, expected):
    assert speaker_matches(gold_name, predicted) is expected


def test_speaker_accuracy_counts_matched_quotes_with_a_gold_speaker():
    quotes = [(TERRIFIED, "Park Sun-hee"), (ASKING, None), (MONITORING, "Foreign Ministry")]
    predicted = [(TERRIFIED, "Park"), (ASKING, "Park"), (MONITORING, "Seoul")]
    scores = evaluate_pair(gold(quotes=quotes), summary(quotes=predicted))
    # The quote without a gold speaker is not judged; "Seoul" is wrong.
    assert (scores.speaker.right, scores.speaker.total) == (1, 2)
    assert any("Seoul" in line for line in scores.details)


# -- incidents ----------------------------------------------------------------------
def test_incident_matches_by_overlapping_evidence_even_with_wrong_facts():
    predicted = incident(count=10, city="Dandong", start="2024-05-13")
    scores = evaluate_pair(gold(incidents=[gold_incident()]), summary(incidents=[predicted]))
    assert scores.incidents.matched == 1
    assert (scores.count.right, scores.place.right, scores.date.right) == (0, 0, 0)
    assert (scores.count.total, scores.place.total, scores.date.total) == (1, 1, 1)


def test_incident_matches_by_count_and_place_without_shared_evidence():
    predicted = incident(evidence="The Foreign Ministry in Seoul said it was", start=None)
    scores = evaluate_pair(gold(incidents=[gold_incident()]), summary(incidents=[predicted]))
    assert scores.incidents.matched == 1
    assert (scores.count.value, scores.place.value, scores.date.value) == (1.0, 1.0, 0.0)


def test_incident_of_another_type_or_other_facts_does_not_match():
    other_type = incident(type_="arrest")
    elsewhere = incident(evidence=REPATRIATION, count=60, city="Dandong")
    scores = evaluate_pair(gold(incidents=[gold_incident()]), summary(incidents=[other_type, elsewhere]))
    assert (scores.incidents.matched, scores.incidents.predicted, scores.incidents.gold) == (0, 2, 1)
    assert scores.count.value is None  # nothing matched: accuracy undefined


def test_incident_accuracies_over_two_matched_pairs():
    golds = [gold_incident(), gold_incident("repatriation", 60, "Dandong", REPATRIATION, "2024-04-01")]
    predicted = [incident(), incident("repatriation", REPATRIATION, count=None, city=None, start="2024-04-01")]
    scores = evaluate_pair(gold(incidents=golds), summary(incidents=predicted))
    assert scores.incidents.f1 == 1.0
    assert (scores.count.value, scores.place.value, scores.date.value) == (0.5, 0.5, 1.0)


def test_place_rules():
    yanji = GoldIncident.model_validate(gold_incident(location="Yanji"))
    nowhere = GoldIncident.model_validate(gold_incident(location=None))
    assert place_matches(yanji, Location(text="a checkpoint near yanji"))
    assert place_matches(yanji, Location(text="a checkpoint", city="Yanji"))
    assert not place_matches(yanji, Location())
    assert place_matches(nowhere, Location())
    assert place_matches(nowhere, Location(country="China"))  # agrees with gold's country
    assert not place_matches(nowhere, Location(city="Yanji"))


def test_gold_evidence_is_found_despite_different_spacing_and_quote_marks():
    start = TEXT.index("“They are")
    end = TEXT.index("Sun-hee") + len("Sun-hee")
    assert locate('"They are terrified   of being sent back," said Park Sun-hee', TEXT) == (start, end)
    assert locate("a sentence that is not there", TEXT) is None


# -- positions ----------------------------------------------------------------------
@pytest.mark.parametrize(("gold_name", "predicted", "matches"), [
    ("Foreign Ministry", "the Foreign Ministry", True),
    ("China's delegation", "China", True),                      # containment, possessive ignored
    ("Unification Ministry", "Ministry of Unification", True),  # word overlap 2/3
    ("South Korean Foreign Ministry", "Chinese Foreign Ministry", False),  # overlap 2/5
    ("North Korea", "North Koreans", False),                    # whole words only
])
def test_stakeholder_matching(gold_name, predicted, matches):
    assert (stakeholder_score(gold_name, predicted) is not None) is matches


def test_positions_and_stance_accuracy():
    golds = [gold_position("Bridge to Freedom Network"), gold_position("Chinese Foreign Ministry", "supports")]
    predicted = [position("the Bridge to Freedom Network", "mixed"), position("Chinese Foreign Ministry", "supports"),
                 position("Seoul")]
    scores = evaluate_pair(gold(positions=golds), summary(positions=predicted))
    assert (scores.positions.matched, scores.positions.predicted, scores.positions.gold) == (2, 3, 2)
    assert round(scores.positions.precision, 3) == 0.667 and scores.positions.recall == 1.0
    assert scores.stance.value == 0.5


# -- undefined values, folders, totals ---------------------------------------------------
def test_nothing_predicted_leaves_precision_and_f1_undefined():
    scores = evaluate_pair(gold(quotes=GOLD_QUOTES), summary())
    assert scores.quotes.precision is None and scores.quotes.f1 is None
    assert scores.quotes.recall == 0.0
    assert scores.incidents.recall is None  # nothing in gold either


def write_pair(folder: Path, gold_doc: dict, summary_doc: ArticleSummary | None, summary_name: str | None = None) -> None:
    (folder / "gold").mkdir(exist_ok=True)
    (folder / "out").mkdir(exist_ok=True)
    stem = Path(gold_doc["article"]).stem
    (folder / "gold" / f"{stem}.json").write_text(json.dumps(gold_doc), encoding="utf-8")
    if summary_doc is not None:
        (folder / "out" / f"{summary_name or stem}.json").write_text(summary_doc.model_dump_json(), encoding="utf-8")


@pytest.fixture
def two_articles(tmp_path) -> Path:
    """alpha: 2 of 2 quotes found; beta: no summary, 3 quotes missed; an extra summary without gold."""
    write_pair(tmp_path, gold("alpha.txt", quotes=GOLD_QUOTES[:2]), summary(quotes=[(TERRIFIED, "Park"), (ASKING, "Kim")]))
    write_pair(tmp_path, gold("beta.txt", quotes=GOLD_QUOTES), None)
    (tmp_path / "out" / "gamma.json").write_text(summary(source="gamma.txt", duration=4.0).model_dump_json(), encoding="utf-8")
    return tmp_path


def test_total_is_a_micro_average_and_a_missing_summary_counts_as_misses(two_articles):
    report = evaluate_dirs(two_articles / "gold", two_articles / "out")
    alpha, beta = report.articles
    assert alpha.quotes.recall == 1.0 and beta.missing and beta.quotes.recall == 0.0
    assert report.missing_summaries == ["beta.txt"] and report.unmatched_summaries == ["gamma.json"]
    total = report.total
    assert (total.quotes.matched, total.quotes.predicted, total.quotes.gold) == (2, 2, 5)
    assert total.quotes.recall == 0.4  # pooled 2/5, not the mean of 1.0 and 0.0
    assert report.macro()["quotes"] == {"precision": 1.0, "recall": 0.5, "f1": 1.0}  # beta's undefined P/F1 left out
    assert total.speaker.value == 0.5
    assert report.mean_duration_s == 2.0 and report.usage["prompt_tokens"] == 100


def test_summary_is_paired_by_its_source_when_the_file_name_differs(tmp_path):
    write_pair(tmp_path, gold("alpha.txt", quotes=GOLD_QUOTES[:1]), summary(quotes=[(TERRIFIED, "Park")]), "renamed")
    report = evaluate_dirs(tmp_path / "gold", tmp_path / "out")
    assert report.articles[0].quotes.matched == 1 and not report.unmatched_summaries


def test_table_rows_total_and_dashes(two_articles):
    table = format_table(evaluate_dirs(two_articles / "gold", two_articles / "out"))
    lines = table.splitlines()
    alpha = next(line for line in lines if line.startswith("alpha.txt")).split()
    assert alpha[1:5] == ["1.000", "1.000", "1.000", "0.500"]  # quotes P R F1, speaker
    beta = next(line for line in lines if line.startswith("beta.txt")).split()
    assert beta[3:7] == ["-", "0.000", "-", "-"]  # after "beta.txt (no summary)": P R F1 Spk
    assert lines[-1].split()[:4] == ["TOTAL", "1.000", "0.400", "0.571"]


def test_invalid_gold_file_is_named(tmp_path):
    write_pair(tmp_path, {**gold("alpha.txt"), "incidents": [gold_incident(type_="kidnapping")]}, None)
    with pytest.raises(InputError, match=r"alpha\.json.*incidents\[0\]\.type"):
        evaluate_dirs(tmp_path / "gold", tmp_path / "out")
    (tmp_path / "gold" / "alpha.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"alpha\.json: not valid JSON"):
        evaluate_dirs(tmp_path / "gold", tmp_path / "out")


def test_invalid_summary_file_is_named(tmp_path):
    write_pair(tmp_path, gold("alpha.txt"), None)
    broken = json.loads(summary().model_dump_json())
    broken["quotes"] = [{"text": "invented", "span": {"text": "invented", "start": 0, "end": 8}, "kind": "direct"}]
    (tmp_path / "out" / "alpha.json").write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(InputError, match=r"alpha\.json: not a valid ArticleSummary"):
        evaluate_dirs(tmp_path / "gold", tmp_path / "out")


def test_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="gold folder not found"):
        evaluate_dirs(tmp_path / "nope", tmp_path)


def test_evaluate_pair_refuses_a_bad_gold_dict():
    with pytest.raises(InputError, match="stance"):
        evaluate_pair(gold(positions=[{"stakeholder": "X", "stance": "angry"}]), summary())


# -- the command ------------------------------------------------------------------------
def test_run_eval_command_prints_the_table_and_writes_json(two_articles, capsys):
    report_path = two_articles / "report.json"
    code = run_eval_command([str(two_articles / "gold"), str(two_articles / "out"), "--json", str(report_path), "--verbose"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "quotes" in out and "alpha.txt" in out and out.count("TOTAL") == 1
    assert "mean duration: 2.00 s per article (1 summaries)" in out and "100 prompt + 10 completion tokens" in out
    assert "speaker: gold 'Park Sun-hee', predicted 'Kim'" in out  # --verbose details
    assert "beta.txt" in err and "gamma.json" in err
    written = json.loads(report_path.read_text(encoding="utf-8"))
    assert written["total"]["quotes"]["recall"] == 0.4
    assert written["articles"][1]["missing"] is True


def test_cli_main_runs_eval_and_reports_errors_in_one_line(two_articles, tmp_path, capsys):
    assert main(["eval", str(two_articles / "gold"), str(two_articles / "out")]) == 0
    assert "TOTAL" in capsys.readouterr().out
    assert main(["eval", str(tmp_path / "missing"), str(two_articles / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing" in err[0]


def test_help(capsys):
    with pytest.raises(SystemExit) as exited:
        run_eval_command(["--help"])
    assert exited.value.code == 0 and "summarize eval" in capsys.readouterr().out


def test_published_date_is_scored():
    scores = evaluate_pair(gold(published=None), summary())
    assert (scores.published.right, scores.published.total) == (0, 1)
    assert evaluate_pair(gold(), summary()).published.value == 1.0
