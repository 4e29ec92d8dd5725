"""``summarize merge``: incidents of several articles grouped into events, with sources and disagreements."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from summarizer.cli import main
from summarizer.merge import (
    Match,
    Report,
    compare_dates,
    compare_places,
    group_events,
    reports_of,
    stance_table,
)
from summarizer.models import Location
from summarizer.review import load_collection
from tests import summary_factory as factory



def events_of(folder: Path):
    return group_events(reports_of(load_collection(folder).loaded))


def _report(article: str, text: str, type_: str, needle: str, **fields) -> Report:
    return Report(article, article.title(), None, None, 1, factory.incident(text, type_, [needle], **fields))


TEXT = "Guards held 30 people at the border in May. Later 31 people were held at the border."


# -- deciding ---------------------------------------------------------------------------
def test_two_outlets_reports_of_one_event_become_one_event_with_both_sources(outdir):
    harbor, coastal = factory.harbor_summary().article.id, factory.coastal_summary().article.id
    events = events_of(outdir)
    portsmouth = [event for event in events if event.place == "Portsmouth"]
    assert len(portsmouth) == 1
    event = portsmouth[0]
    assert event.type == "detention" and sorted(event.article_ids) == sorted([harbor, coastal])
    assert {report.outlet for report in event.reports} == {"Harbor Gazette", "Coastal Times"}
    evidence = [span.text for report in event.reports for span in report.incident.evidence]
    assert any(text.startswith("Police detained 42 fishermen") for text in evidence)
    assert any(text.startswith("About 50 fishermen") for text in evidence)
    assert event.disagreements() == {"count": [{"value": "42", "articles": [harbor]},
                                               {"value": "~50", "articles": [coastal]}]}


def test_a_different_place_on_the_same_day_stays_a_separate_event(outdir):
    events = events_of(outdir)
    dover = [event for event in events if event.place == "Dover"]
    assert len(dover) == 1 and len(dover[0].reports) == 1
    assert len(events) == 3  # Portsmouth (2 sources), Dover, the undated arrest


def test_incidents_of_one_article_are_never_merged():
    first = _report("one", TEXT, "detention", "Guards held 30 people", when=("2024-05-01", "2024-05-31", "month", "in May"),
                    city="Nogales", count=30)
    second = _report("one", TEXT, "detention", "Later 31 people", when=("2024-05-01", "2024-05-31", "month", "in May"),
                     city="Nogales", count=31)
    assert len(group_events([first, second])) == 2


def test_a_month_overlaps_a_day_inside_it_and_not_one_outside():
    month = factory.incident(TEXT, "arrest", ["Guards held"], when=("2023-10-01", None, "month", "in October"))
    inside = factory.incident(TEXT, "arrest", ["Guards held"], when=("2023-10-09", "2023-10-09", "day", "on Oct 9"))
    outside = factory.incident(TEXT, "arrest", ["Guards held"], when=("2023-11-02", "2023-11-02", "day", "on Nov 2"))
    assert compare_dates(month, inside) is Match.AGREE
    assert compare_dates(month, outside) is Match.CONFLICT


@pytest.mark.parametrize("a, b, expected", [
    (Location(city="Tumen"), Location(text="the outskirts of Tumen, a border city"), Match.AGREE),
    (Location(city="Yanji", country="China"), Location(city="Helong", country="China"), Match.CONFLICT),
    (Location(region="Jilin", country="China"), Location(city="Yanji", region="Jilin"), Match.AGREE),
    (Location(country="China"), Location(country="China"), Match.UNKNOWN),  # a shared country proves little
    (Location(country="China"), Location(country="Laos"), Match.CONFLICT),
    (Location(), Location(city="Tumen"), Match.UNKNOWN),
])
def test_places(a, b, expected):
    assert compare_places(a, b) is expected


def test_an_unknown_place_merges_only_when_date_and_count_agree():
    when = ("2024-05-10", "2024-05-10", "day", "on May 10")
    placed = _report("one", TEXT, "detention", "Guards held 30 people", when=when, city="Nogales", count=30)
    unplaced = _report("two", TEXT, "detention", "Later 31 people", when=when, count=31)
    uncounted = _report("three", TEXT, "detention", "Later 31 people", when=when)
    assert len(group_events([placed, unplaced])) == 1
    assert len(group_events([placed, uncounted])) == 2


def test_counts_too_far_apart_are_different_events():
    when = ("2024-05-10", "2024-05-10", "day", "on May 10")
    few = _report("one", TEXT, "detention", "Guards held 30 people", when=when, city="Nogales", count=10)
    many = _report("two", TEXT, "detention", "Later 31 people", when=when, city="Nogales", count=17)
    assert len(group_events([few, many])) == 2


def test_grouping_is_complete_linkage_and_deterministic():
    when = ("2024-05-10", "2024-05-10", "day", "on May 10")
    low = _report("a", TEXT, "detention", "Guards held 30 people", when=when, city="Nogales", count=100)
    middle = _report("b", TEXT, "detention", "Later 31 people", when=when, city="Nogales", count=140)
    high = _report("c", TEXT, "detention", "Later 31 people", when=when, city="Nogales", count=190)
    # 100~140 and 140~190 agree, but 100 and 190 do not: c must not join a's event through b.
    first = [[r.article_id for r in e.reports] for e in group_events([low, middle, high])]
    again = [[r.article_id for r in e.reports] for e in group_events([high, low, middle])]
    assert first == again and sorted(map(len, first)) == [1, 2]


def test_the_stance_table_joins_stakeholders_across_articles(outdir):
    collection = load_collection(outdir)
    table = stance_table(collection.loaded)
    harbor, coastal = factory.harbor_summary().article.id, factory.coastal_summary().article.id
    assert table.cells[("Open Docks", harbor)] == "opposes" and table.cells[("Open Docks", coastal)] == "opposes"
    assert table.cells[("the port authority", coastal)] == "supports"  # "the" kept in display, ignored in matching
    assert not table.differs("Open Docks")


# -- the command ---------------------------------------------------------------------------
def test_merge_prints_a_timeline_and_writes_csv_and_json(outdir, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "220")
    csv_path, json_path, stances_path = tmp_path / "events.csv", tmp_path / "events.json", tmp_path / "stances.csv"
    code = main(["merge", str(outdir), "--csv", str(csv_path), "--json", str(json_path),
                 "--stances-csv", str(stances_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Timeline: 3 events from 4 incidents in 2 articles (1 reported by more than one)" in out
    assert "! count: 42 (A1) vs ~50 (A2)" in out
    assert out.index("2024-03-10") < out.index("undated")
    assert "Stances by article" in out and "Open Docks" in out

    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    assert len(rows) == 4  # one per source incident
    portsmouth = [row for row in rows if row["event_place"] == "Portsmouth"]
    assert {row["outlet"] for row in portsmouth} == {"Harbor Gazette", "Coastal Times"}
    assert len({row["event"] for row in portsmouth}) == 1
    assert {row["count"] for row in portsmouth} == {"42", "50"}
    assert all(row["sources_differ"] == "count: 42 vs ~50" for row in portsmouth)
    harbor_row = next(row for row in portsmouth if row["outlet"] == "Harbor Gazette")
    start, end = map(int, harbor_row["evidence_offsets"].split("-"))
    assert factory.HARBOR[start:end] == harbor_row["evidence"]

    data = json.loads(json_path.read_text(encoding="utf-8"))
    merged = next(event for event in data["events"] if len(event["sources"]) == 2)
    assert merged["disagreements"]["count"][0]["value"] == "42"
    assert {source["outlet"] for source in merged["sources"]} == {"Harbor Gazette", "Coastal Times"}
    assert any(entry["stakeholder"] == "Open Docks" for entry in data["stances"])
    assert stances_path.read_text(encoding="utf-8").startswith("stakeholder,")


def test_merge_leaves_out_invalid_files_and_says_so(outdir, capsys):
    (outdir / "broken.json").write_text("[]", encoding="utf-8")
    code = main(["merge", str(outdir)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "invalid, left out:" in err and "broken.json" in err
    assert "Timeline: 3 events" in out


def test_merge_of_a_missing_folder_is_exit_2(tmp_path, capsys):
    assert main(["merge", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
