"""``summarize merge OUTDIR``: one timeline of the incidents reported across many articles.

    summarize merge OUTDIR|FILE.json ... [--csv FILE] [--json FILE] [--stances-csv FILE]

Two outlets reporting the same arrest produce two incidents; an analyst wants
one event with both sources, and wants to see where the sources disagree
("more than 500" in one, "600" in another). Merge only reads summary JSON
files (the valid ones; invalid files are named on stderr and left out).

When two incidents are the same event, decided per dimension, each of which
*agrees*, is *unknown* or *conflicts*:

- **type** must be equal, and the two must come from different articles (one
  article listing two incidents has already said they are different events);
- **date**: each incident's [start, end]; where only a start is known it is
  widened by its precision (a ``month`` covers the whole month), so "in
  October" overlaps "on October 9". Overlapping ranges agree, disjoint ones
  conflict, a missing date is unknown;
- **place**: different countries, or different cities, conflict; a shared
  city, region or place name (whole words, ignoring case and punctuation,
  so "the outskirts of Tumen" names Tumen) agrees; otherwise unknown.
  Sharing only a country is *not* agreement: most incidents in one story
  share a country;
- **count**: equal, or within a ratio of :data:`COUNT_RATIO` (reports round,
  and early counts grow) agrees; further apart conflicts; missing is unknown.

Two incidents are the same event when nothing conflicts and at least two of
date, place and count agree. So an unknown place merges only when date and
count both agree, and an undated report only when place and count agree.
Grouping is complete-linkage and greedy in timeline order: an incident joins
the event (if any) whose every member it matches, the one it agrees with most;
a chain A~B~C never pulls together A and C that conflict. Every source keeps
its article id, outlet, evidence spans and its own values; where values
differ, the event lists each value with the articles that gave it.

The stance table puts each stakeholder (names compared like places) against
each article, with the stance it took there, and marks stakeholders whose
stance differs between articles.

Output is deterministic: the same files give the same timeline, ids and CSV.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from pathlib import Path

from summarizer.cli import status
from summarizer.errors import ConfigError, InputError
from summarizer.models import Incident, Location
from summarizer.output import write_json_atomic
from summarizer.review import Collection, Loaded, format_count, format_place, load_collection
from summarizer.tables import clip, format_table, terminal_width

COUNT_RATIO = 1.5  # 500 vs 600 (1.2) is one event told twice; 10 vs 17 (1.7) is not
MIN_AGREEING = 2  # of date, place, count


def _say(message: str) -> None:
    status(message, command="merge")


class Match(Enum):
    AGREE = "agree"
    UNKNOWN = "unknown"
    CONFLICT = "conflict"


# -- one incident as seen from one article --------------------------------------------
@dataclass(frozen=True)
class Report:
    """One article's incident: what it says, and who said it."""

    article_id: str
    outlet: str | None
    title: str | None
    published: date | None
    number: int  # 1-based position of the incident in its summary
    incident: Incident

    @property
    def source_label(self) -> str:
        return self.outlet or self.title or self.article_id


def reports_of(loaded: Sequence[Loaded]) -> list[Report]:
    found = []
    for item in loaded:
        info = item.summary.article
        found += [Report(info.id, info.outlet, info.title, info.published, number, incident)
                  for number, incident in enumerate(item.summary.incidents, 1)]
    return found


# -- comparing two reports ---------------------------------------------------------------
def widen(start: date, precision: str) -> date:
    """The last day a date known to ``precision`` may mean."""
    if precision == "week":
        return start + timedelta(days=6)
    if precision == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == "year":
        return start.replace(month=12, day=31)
    return start


def date_range(incident: Incident) -> tuple[date, date] | None:
    when = incident.date
    if when.start is None:
        return None
    end = when.end if when.end is not None and when.end >= when.start else widen(when.start, when.precision)
    return when.start, end


def compare_dates(a: Incident, b: Incident) -> Match:
    first, second = date_range(a), date_range(b)
    if first is None or second is None:
        return Match.UNKNOWN
    return Match.AGREE if first[0] <= second[1] and second[0] <= first[1] else Match.CONFLICT


def normalize_name(name: str | None) -> str:
    """Lower case, letters and digits only, single spaces, no leading article."""
    words = re.sub(r"[^\w]+", " ", (name or "").casefold()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def same_name(a: str, b: str) -> bool:
    """Equal, or one names the other as whole words ("tumen" in "outskirts of tumen")."""
    return bool(a and b) and (a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} ")


def _local_names(location: Location) -> set[str]:
    country = normalize_name(location.country)
    names = {normalize_name(part) for part in (location.city, location.region, location.text)}
    return {name for name in names if name and name != country}


def compare_places(a: Location, b: Location) -> Match:
    country_a, country_b = normalize_name(a.country), normalize_name(b.country)
    if country_a and country_b and country_a != country_b:
        return Match.CONFLICT
    city_a, city_b = normalize_name(a.city), normalize_name(b.city)
    if city_a and city_b:
        return Match.AGREE if same_name(city_a, city_b) else Match.CONFLICT
    names_a, names_b = _local_names(a), _local_names(b)
    if any(same_name(x, y) for x in names_a for y in names_b):
        return Match.AGREE
    return Match.UNKNOWN


def compare_counts(a: Incident, b: Incident) -> Match:
    first, second = a.people.count, b.people.count
    if first is None or second is None:
        return Match.UNKNOWN
    low, high = sorted((first, second))
    if low == high:
        return Match.AGREE
    return Match.AGREE if low > 0 and high / low <= COUNT_RATIO else Match.CONFLICT


def agreement(a: Report, b: Report) -> int | None:
    """How many of date, place and count agree; None when the two cannot be one event."""
    if a.incident.type != b.incident.type or a.article_id == b.article_id:
        return None
    matches = (compare_dates(a.incident, b.incident), compare_places(a.incident.location, b.incident.location),
               compare_counts(a.incident, b.incident))
    if Match.CONFLICT in matches:
        return None
    agreeing = sum(match is Match.AGREE for match in matches)
    return agreeing if agreeing >= MIN_AGREEING else None


# -- events ----------------------------------------------------------------------------------
@dataclass
class Event:
    """One thing that happened, as one or more articles reported it."""

    reports: list[Report] = field(default_factory=list)
    number: int = 0  # 1-based place in the timeline, set once all are grouped

    @property
    def type(self) -> str:
        return self.reports[0].incident.type

    @property
    def span(self) -> tuple[date, date] | None:
        """From the earliest day any source allows to the latest."""
        ranges = [r for r in (date_range(report.incident) for report in self.reports) if r]
        return (min(r[0] for r in ranges), max(r[1] for r in ranges)) if ranges else None

    @property
    def place(self) -> str:
        """The place most sources give, most specific first (a city beats a country)."""
        for level in ("city", "region", "country", "text"):
            values = [getattr(report.incident.location, level) for report in self.reports]
            known = Counter(value for value in values if value)
            if known:
                return known.most_common(1)[0][0]
        return ""

    @property
    def article_ids(self) -> list[str]:
        return list(dict.fromkeys(report.article_id for report in self.reports))

    def disagreements(self) -> dict[str, list[dict]]:
        """Per field whose known values differ between sources: each value and the articles giving it."""
        found = {}
        for name, value_of in (("count", _count_value), ("date", _date_value), ("place", _place_value)):
            values: dict[str, list[str]] = {}
            for report in self.reports:
                value = value_of(report.incident)
                if value:
                    values.setdefault(value, []).append(report.article_id)
            if len(values) > 1:
                found[name] = [{"value": value, "articles": ids} for value, ids in values.items()]
        return found


def _count_value(incident: Incident) -> str:
    return format_count(incident) if incident.people.count is not None else ""


def _date_value(incident: Incident) -> str:
    known = date_range(incident)
    if known is None:
        return ""
    return str(known[0]) if known[0] == known[1] else f"{known[0]}..{known[1]}"


def _place_value(incident: Incident) -> str:
    location = incident.location
    return location.city or location.region or ""  # a country alone is no disagreement worth showing


def timeline_key(report: Report) -> tuple:
    known = date_range(report.incident)
    return (known is None, known or (date.min, date.min), str(report.published or ""), report.article_id, report.number)


def group_events(reports: Iterable[Report]) -> list[Event]:
    """Greedy complete-linkage grouping in timeline order (see the module docstring)."""
    events: list[Event] = []
    for report in sorted(reports, key=timeline_key):
        best, best_score = None, 0
        for event in events:
            scores = [agreement(report, member) for member in event.reports]
            if scores and all(score is not None for score in scores) and sum(scores) > best_score:
                best, best_score = event, sum(scores)
        if best is None:
            events.append(Event([report]))
        else:
            best.reports.append(report)
    events.sort(key=lambda event: (event.span is None, event.span or (date.min, date.min), timeline_key(event.reports[0])))
    for number, event in enumerate(events, 1):
        event.number = number
    return events


# -- stances -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class StanceTable:
    """Stakeholders (rows) against articles (columns): the stance each took in each article."""

    articles: list[Loaded]
    stakeholders: list[str]  # display names, sorted
    cells: dict[tuple[str, str], str]  # (display name, article id) -> "opposes" or "opposes/neutral"

    def differs(self, stakeholder: str) -> bool:
        stances = {stance for (name, _), cell in self.cells.items() if name == stakeholder for stance in cell.split("/")}
        return len(stances - {"unclear"}) > 1


def stance_table(loaded: Sequence[Loaded]) -> StanceTable:
    spellings: dict[str, Counter] = {}
    stances: dict[tuple[str, str], list[str]] = {}
    for item in loaded:
        for position in item.summary.positions:
            key = normalize_name(position.stakeholder)
            spellings.setdefault(key, Counter())[position.stakeholder] += 1
            found = stances.setdefault((key, item.summary.article.id), [])
            if position.stance not in found:
                found.append(position.stance)
    display = {key: counter.most_common(1)[0][0] for key, counter in spellings.items()}
    cells = {(display[key], article_id): "/".join(values) for (key, article_id), values in stances.items()}
    return StanceTable(list(loaded), sorted(display.values(), key=str.casefold), cells)


# -- printing ------------------------------------------------------------------------------------
def _span_text(event: Event) -> str:
    span = event.span
    if span is None:
        return "undated"
    return str(span[0]) if span[0] == span[1] else f"{span[0]}..{span[1]}"


def _disagreement_text(event: Event, labels: dict[str, str]) -> str:
    parts = []
    for name, values in event.disagreements().items():
        told = " vs ".join(f"{v['value']} ({', '.join(labels[a] for a in v['articles'])})" for v in values)
        parts.append(f"{name}: {told}")
    return "! " + "; ".join(parts) if parts else ""


def article_labels(loaded: Sequence[Loaded]) -> dict[str, str]:
    """Short column labels A1, A2, ... in reading order: article ids are too long for a table."""
    return {item.summary.article.id: f"A{number}" for number, item in enumerate(loaded, 1)}


def format_timeline(events: Sequence[Event], labels: dict[str, str], width: int) -> str:
    rows = []
    for event in events:
        counts = sorted({format_count(r.incident) for r in event.reports if r.incident.people.count is not None})
        rows.append((event.number, _span_text(event), event.type, event.place, "/".join(counts),
                     " ".join(labels[a] for a in event.article_ids), _disagreement_text(event, labels)))
    return format_table(("#", "date", "type", "place", "people", "sources", "sources differ"), rows, width)


def format_sources(events: Sequence[Event], labels: dict[str, str], width: int) -> str:
    """Each event told by several articles, with each source's own words: the reason to trust the merge."""
    blocks = []
    for event in (e for e in events if len(e.article_ids) > 1):
        lines = [f"#{event.number} {event.type}, {_span_text(event)}, {event.place}"]
        for report in event.reports:
            evidence = report.incident.evidence[0]
            lines.append("  " + clip(f"{labels[report.article_id]} {report.source_label} (incident {report.number}, "
                                     f"chars {evidence.start}-{evidence.end}): {evidence.text}", width - 2))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def format_articles(loaded: Sequence[Loaded], labels: dict[str, str], width: int) -> str:
    rows = [(labels[item.summary.article.id], item.summary.article.id, item.summary.article.outlet or "",
             str(item.summary.article.published or ""), item.summary.article.title or "") for item in loaded]
    return format_table(("", "article id", "outlet", "published", "title"), rows, width)


def format_stances(table: StanceTable, labels: dict[str, str], width: int) -> str:
    columns = [item.summary.article.id for item in table.articles]
    rows = [[name, *(table.cells.get((name, article_id), "") for article_id in columns),
             "! differs" if table.differs(name) else ""] for name in table.stakeholders]
    return format_table(("stakeholder", *(labels[a] for a in columns), ""), rows, width)


def format_merge(events: Sequence[Event], table: StanceTable, loaded: Sequence[Loaded], width: int) -> str:
    labels = article_labels(loaded)
    shared = sum(len(event.article_ids) > 1 for event in events)
    parts = [f"Timeline: {len(events)} events from {sum(len(e.reports) for e in events)} incidents in "
             f"{len(loaded)} articles ({shared} reported by more than one)",
             format_timeline(events, labels, width)]
    sources = format_sources(events, labels, width)
    if sources:
        parts += ["Events with several sources", sources]
    parts += ["Stances by article", format_stances(table, labels, width) if table.stakeholders else "(no positions)",
              "Articles", format_articles(loaded, labels, width)]
    return "\n\n".join(parts) + "\n"


# -- files ------------------------------------------------------------------------------------------
CSV_FIELDS = ("event", "event_date_start", "event_date_end", "event_type", "event_place", "sources_differ",
              "article_id", "outlet", "title", "published", "incident", "description", "date_text", "date_start",
              "date_end", "date_precision", "place", "country", "count", "count_approximate", "count_text",
              "evidence", "evidence_offsets")


def _csv_row(event: Event, report: Report, differ: str) -> dict:
    incident, span = report.incident, event.span
    return {
        "event": event.number, "event_date_start": span[0] if span else "", "event_date_end": span[1] if span else "",
        "event_type": event.type, "event_place": event.place, "sources_differ": differ,
        "article_id": report.article_id, "outlet": report.outlet or "", "title": report.title or "",
        "published": report.published or "", "incident": report.number, "description": incident.description,
        "date_text": incident.date.text or "", "date_start": incident.date.start or "",
        "date_end": incident.date.end or "", "date_precision": incident.date.precision,
        "place": format_place(incident), "country": incident.location.country or "",
        "count": "" if incident.people.count is None else incident.people.count,
        "count_approximate": incident.people.approximate, "count_text": incident.people.text or "",
        "evidence": " | ".join(span.text for span in incident.evidence),
        "evidence_offsets": ";".join(f"{span.start}-{span.end}" for span in incident.evidence),
    }


def events_csv(events: Sequence[Event]) -> str:
    """One row per source incident (long format: every source and evidence span kept), grouped by event."""
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for event in events:
        differ = "; ".join(f"{name}: " + " vs ".join(v["value"] for v in values)
                           for name, values in event.disagreements().items())
        for report in event.reports:
            writer.writerow(_csv_row(event, report, differ))
    return stream.getvalue()


def stances_csv(table: StanceTable) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    columns = [item.summary.article.id for item in table.articles]
    writer.writerow(["stakeholder", *columns, "differs"])
    for name in table.stakeholders:
        writer.writerow([name, *(table.cells.get((name, a), "") for a in columns), table.differs(name)])
    return stream.getvalue()


def _report_dict(report: Report) -> dict:
    return {"article_id": report.article_id, "outlet": report.outlet, "title": report.title,
            "published": str(report.published) if report.published else None, "incident": report.number,
            **report.incident.model_dump(mode="json")}


def merge_as_dict(events: Sequence[Event], table: StanceTable) -> dict:
    return {
        "events": [{"event": event.number, "type": event.type,
                    "date_start": str(event.span[0]) if event.span else None,
                    "date_end": str(event.span[1]) if event.span else None,
                    "place": event.place or None, "articles": event.article_ids,
                    "disagreements": event.disagreements(),
                    "sources": [_report_dict(report) for report in event.reports]} for event in events],
        "stances": [{"stakeholder": name, "differs": table.differs(name),
                     "by_article": {a.summary.article.id: table.cells[(name, a.summary.article.id)]
                                    for a in table.articles if (name, a.summary.article.id) in table.cells}}
                    for name in table.stakeholders],
    }


def _write(path: Path, text: str, option: str) -> None:
    try:
        write_json_atomic(path, text)  # an atomic text write; the name says JSON but any text works
    except OSError as exc:
        raise ConfigError(f"{option} {path}: cannot write: {exc.strerror or exc}") from None
    _say(f"{option.lstrip('-')} written to {path}")


# -- the command -------------------------------------------------------------------------------------
def build_merge_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summarize merge",
        description="Group incidents that several articles report into single events (same type, overlapping "
                    "dates, same place, compatible counts), keep every source, show where sources disagree; "
                    "print a timeline and a stakeholder x article stance table.",
        epilog="Exit codes: 0 ok, 1 some summary file was invalid (left out), 2 bad input.",
    )
    parser.add_argument("targets", type=Path, nargs="+", metavar="OUTDIR|FILE",
                        help="folders of summary .json files, or single files")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="write events as CSV, one row per source incident")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write events, sources, disagreements and stances as JSON")
    parser.add_argument("--stances-csv", type=Path, metavar="FILE", help="write the stakeholder x article stance table as CSV")
    return parser


def load_all(targets: Sequence[Path]) -> Collection:
    """Every target's summaries in one collection; an article in two folders counts once."""
    merged: Collection | None = None
    seen: set[str] = set()
    for target in targets:
        collection = load_collection(target)
        if merged is None:
            merged = Collection(collection.root)
        merged.invalid += collection.invalid
        for loaded in collection.loaded:
            if loaded.article_id not in seen:
                seen.add(loaded.article_id)
                merged.loaded.append(loaded)
    if merged is None:
        raise InputError("nothing to merge")
    return merged


def run_merge_command(argv: Sequence[str]) -> int:
    args = build_merge_parser().parse_args(argv)
    collection = load_all(args.targets)
    for item in collection.invalid:
        _say(f"invalid, left out: {item.path}: " + "; ".join(item.reasons))
    events = group_events(reports_of(collection.loaded))
    table = stance_table(collection.loaded)
    sys.stdout.write(format_merge(events, table, collection.loaded, terminal_width()))
    if args.csv:
        _write(args.csv, events_csv(events), "--csv")
    if args.json:
        _write(args.json, json.dumps(merge_as_dict(events, table), indent=2, ensure_ascii=False) + "\n", "--json")
    if args.stances_csv:
        _write(args.stances_csv, stances_csv(table), "--stances-csv")
    return 1 if collection.invalid else 0
