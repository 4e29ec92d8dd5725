"""Score summaries against hand-written gold annotations.

    summarize eval GOLD_DIR SUMMARY_DIR [--json FILE] [--verbose]

Gold files (``GOLD_DIR/*.json``) hold, per article, the quotes, incidents and
positions a careful reader would extract; summaries (``SUMMARY_DIR/*.json``)
are ArticleSummary files. They are paired by article stem.

Matching rules (each one-to-one, greedy, best candidate pair first):

* quote: texts equal after normalising quote marks, whitespace and trailing
  ``,``/``.``; or one contains the other and the shorter is >= 80 % of the
  longer. Speaker: case-insensitive, a name matches when one is a whole-word
  prefix or suffix of the other ("Park" ~ "Park Sun-hee"), a leading "the"
  is ignored.
* incident: same type and (a predicted evidence span overlaps the gold
  evidence sentence, or same count and same place). Count, place and date
  accuracy are then measured over the matched pairs.
* position: stakeholder names match when, ignoring case, "the" and "'s", one
  contains the other or their word sets have Jaccard overlap >= 0.5.

Undefined values: precision needs something predicted, recall something in
gold, an accuracy at least one matched pair. An undefined value prints as
"-" and is left out of the macro averages (JSON only). TOTAL is a
micro-average: it pools the counts of all articles, so an article without
predictions still lowers recall there.

Everything here but ``run_eval_command`` is pure: tests call
``evaluate_pair`` and ``evaluate_dirs`` directly.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.errors import ConfigError, InputError
from summarizer.models import ArticleSummary, Incident, IncidentType, Location, QuoteKind, Stance
from summarizer.output import write_json_atomic

QUOTE_CONTAINMENT = 0.8  # shorter / longer, for a quote cut a little differently
STAKEHOLDER_JACCARD = 0.5


# -- gold format --------------------------------------------------------------
class _Gold(BaseModel):
    # Gold is typed by hand: an unknown key is far more likely a typo
    # ("date_star") than data, and a silent typo would skew the scores.
    model_config = ConfigDict(extra="forbid")


class GoldQuote(_Gold):
    text: str = Field(min_length=1)
    speaker: str | None = None
    kind: QuoteKind | None = None


class GoldIncident(_Gold):
    type: IncidentType
    count: int | None = Field(None, ge=0)
    approximate: bool = False
    location: str | None = None
    country: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    date_text: str | None = None
    evidence: str = Field(min_length=1)


class GoldPosition(_Gold):
    stakeholder: str = Field(min_length=1)
    stance: Stance
    issue: str | None = None
    evidence: str | None = None


class GoldArticle(_Gold):
    # The three lists are required: an empty list is a statement ("no quotes"),
    # a missing key is a mistake.
    article: str = Field(min_length=1)
    published: date | None
    quotes: list[GoldQuote]
    incidents: list[GoldIncident]
    positions: list[GoldPosition]


def describe_validation(exc: ValidationError) -> str:
    """The first problem of a ValidationError as 'where: what' (one line)."""
    errors = exc.errors()
    first = errors[0]
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]).lstrip(".")
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"{where or 'top level'}: {first['msg']}{more}"


def parse_gold(data: object, where: str = "gold") -> GoldArticle:
    try:
        return GoldArticle.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{where}: invalid gold annotation: {describe_validation(exc)}") from None


# -- scores ---------------------------------------------------------------------
def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass
class Counts:
    """Matched / predicted / gold items: precision, recall, F1."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.matched, self.predicted)

    @property
    def recall(self) -> float | None:
        return _ratio(self.matched, self.gold)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.matched + other.matched, self.predicted + other.predicted, self.gold + other.gold)

    def as_dict(self) -> dict:
        return {"matched": self.matched, "predicted": self.predicted, "gold": self.gold,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass
class Accuracy:
    """Right / judged, over matched pairs."""

    right: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return _ratio(self.right, self.total)

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.right + other.right, self.total + other.total)

    def as_dict(self) -> dict:
        return {"right": self.right, "total": self.total, "accuracy": self.value}


@dataclass
class ArticleScores:
    article: str
    missing: bool = False  # no summary: everything in gold counts as missed
    quotes: Counts = field(default_factory=Counts)
    speaker: Accuracy = field(default_factory=Accuracy)
    incidents: Counts = field(default_factory=Counts)
    count: Accuracy = field(default_factory=Accuracy)
    place: Accuracy = field(default_factory=Accuracy)
    date: Accuracy = field(default_factory=Accuracy)
    positions: Counts = field(default_factory=Counts)
    stance: Accuracy = field(default_factory=Accuracy)
    published: Accuracy = field(default_factory=Accuracy)
    duration_s: float | None = None
    usage: dict[str, int] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)  # what went wrong, for --verbose
    warnings: list[str] = field(default_factory=list)

    def metrics(self) -> dict[str, Counts | Accuracy]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: value for name, value in values.items() if isinstance(value, (Counts, Accuracy))}

    def as_dict(self) -> dict:
        return {"article": self.article, "missing": self.missing,
                **{name: metric.as_dict() for name, metric in self.metrics().items()},
                "duration_s": self.duration_s, "usage": self.usage,
                "details": self.details, "warnings": self.warnings}


def _defined_values(metric: Counts | Accuracy) -> dict[str, float | None]:
    if isinstance(metric, Counts):
        return {"precision": metric.precision, "recall": metric.recall, "f1": metric.f1}
    return {"accuracy": metric.value}


@dataclass
class Report:
    articles: list[ArticleScores]
    missing_summaries: list[str] = field(default_factory=list)  # gold article names
    unmatched_summaries: list[str] = field(default_factory=list)  # summary file names

    @property
    def total(self) -> ArticleScores:
        """Micro-average: the counts of every article pooled."""
        total = ArticleScores("TOTAL")
        for scores in self.articles:
            for name, metric in scores.metrics().items():
                setattr(total, name, getattr(total, name) + metric)
        total.usage = self.usage
        total.duration_s = self.mean_duration_s
        return total

    def macro(self) -> dict[str, dict[str, float | None]]:
        """Mean of the per-article values, undefined ones left out."""
        result: dict[str, dict[str, float | None]] = {}
        for name in ArticleScores("").metrics():
            per_article = [_defined_values(getattr(s, name)) for s in self.articles]
            result[name] = {key: _mean([values[key] for values in per_article if values[key] is not None])
                            for key in per_article[0]} if per_article else {}
        return result

    @property
    def mean_duration_s(self) -> float | None:
        return _mean([s.duration_s for s in self.articles if s.duration_s is not None])

    @property
    def usage(self) -> dict[str, int]:
        pooled: dict[str, int] = {}
        for scores in self.articles:
            for key, value in scores.usage.items():
                pooled[key] = pooled.get(key, 0) + value
        return pooled

    def as_dict(self) -> dict:
        return {"articles": [s.as_dict() for s in self.articles], "total": self.total.as_dict(),
                "macro": self.macro(), "mean_duration_s": self.mean_duration_s, "usage": self.usage,
                "missing_summaries": self.missing_summaries, "unmatched_summaries": self.unmatched_summaries}


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


# -- one-to-one matching --------------------------------------------------------
Scorer = Callable[[object, object], "float | None"]


def greedy_match(gold: Sequence, predicted: Sequence, score: Scorer) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index), best score first, each item used once."""
    candidates = [(s, g, p) for g, gold_item in enumerate(gold) for p, pred_item in enumerate(predicted)
                  if (s := score(gold_item, pred_item)) is not None]
    # Ties go to document order, so results do not depend on sort stability quirks.
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold, used_pred, pairs = set(), set(), []
    for _, g, p in candidates:
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            pairs.append((g, p))
    return sorted(pairs)


def _unmatched(items: Sequence, pairs: list[tuple[int, int]], side: int) -> list:
    taken = {pair[side] for pair in pairs}
    return [item for i, item in enumerate(items) if i not in taken]


def _short(text: str | None, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- quotes -----------------------------------------------------------------------
_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
                              "‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'"})


def normalize_quote(text: str) -> str:
    """Quote text with typography differences removed (curly marks, spacing, a trailing , or .)."""
    text = " ".join(text.translate(_QUOTE_MARKS).split())
    # The article's own punctuation before a closing mark is often cut either way.
    return text.strip("\"' ").rstrip(",. ").strip("\"' ")


def quote_score(gold_text: str, predicted_text: str) -> float | None:
    """1.0 for the same quote, shorter/longer when one holds the other closely enough, else None."""
    a, b = normalize_quote(gold_text), normalize_quote(predicted_text)
    if not a or not b:
        return None
    if a == b:
        return 1.0
    shorter, longer = sorted((a, b), key=len)
    ratio = len(shorter) / len(longer)
    return ratio if shorter in longer and ratio >= QUOTE_CONTAINMENT else None


def _name_words(name: str) -> list[str]:
    # Hyphenated and apostrophed names ("Sun-hee", "O'Brien") stay one word.
    return re.findall(r"\w+(?:[-'’]\w+)*", name.casefold())


_LINKING_WORDS = frozenset({"the", "a", "an", "of", "for", "in", "at", "s"})


def speaker_matches(gold: str | None, predicted: str | None) -> bool:
    """Same person or body: equal, one name a whole-word prefix/suffix of the other,
    or the same words in another order ("Chinese Embassy spokesperson" and
    "a spokesperson for the Chinese Embassy")."""
    a, b = (_name_words(n or "") for n in (gold, predicted))
    a, b = (words[1:] if words[:1] in (["the"], ["a"], ["an"]) else words for words in (a, b))
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    if long[: len(short)] == short or long[-len(short):] == short:
        return True
    content_a, content_b = (set(words) - _LINKING_WORDS for words in (a, b))
    return bool(content_a) and content_a == content_b


def _score_quotes(gold: GoldArticle, summary: ArticleSummary | None, scores: ArticleScores) -> None:
    predicted = summary.quotes if summary else []
    pairs = greedy_match(gold.quotes, predicted, lambda g, p: quote_score(g.text, p.text))
    scores.quotes = Counts(len(pairs), len(predicted), len(gold.quotes))
    for g, p in pairs:
        gold_quote, pred_quote = gold.quotes[g], predicted[p]
        if gold_quote.speaker:  # a gold quote without a speaker says nothing about attribution
            ok = speaker_matches(gold_quote.speaker, pred_quote.speaker)
            scores.speaker.add(ok)
            if not ok:
                scores.details.append(f"speaker: gold {gold_quote.speaker!r}, predicted {pred_quote.speaker!r} "
                                      f"for “{_short(gold_quote.text)}”")
    scores.details += [f"quote missed: “{_short(q.text)}” ({q.speaker})" for q in _unmatched(gold.quotes, pairs, 0)]
    scores.details += [f"quote extra: “{_short(q.text)}” ({q.speaker})" for q in _unmatched(predicted, pairs, 1)]


# -- incidents ------------------------------------------------------------------
def locate(sentence: str, text: str) -> tuple[int, int] | None:
    """Where a gold sentence stands in the article text, tolerant of spacing and quote marks."""
    start = text.find(sentence)
    if start >= 0:
        return start, start + len(sentence)
    # _QUOTE_MARKS maps one character to one, so offsets found in the
    # normalised text are offsets into the original.
    words = sentence.translate(_QUOTE_MARKS).split()
    if not words:
        return None
    found = re.search(r"\s+".join(map(re.escape, words)), text.translate(_QUOTE_MARKS))
    return found.span() if found else None


def place_matches(gold: GoldIncident, location: Location) -> bool:
    """Gold place named in any predicted location field; or no place on either side."""
    if gold.location is None:
        # Gold keeps the country in its own field: a predicted country that
        # agrees with it is not a wrongly invented place.
        country_ok = location.country is None or (gold.country or "").casefold() == location.country.casefold()
        return country_ok and not (location.text or location.city or location.region)
    wanted = gold.location.casefold()
    parts = (location.text, location.city, location.region, location.country)
    return any(part and wanted in part.casefold() for part in parts)


def _overlap(span: tuple[int, int] | None, incident: Incident) -> float:
    """Share of the gold sentence covered by the predicted evidence span that overlaps it most."""
    if span is None:
        return 0.0
    start, end = span
    best = max((min(end, e.end) - max(start, e.start) for e in incident.evidence), default=0)
    return max(best, 0) / max(end - start, 1)


def incident_score(gold: GoldIncident, span: tuple[int, int] | None, predicted: Incident) -> float | None:
    """Evidence overlap (0-1) plus 1 when count and place agree; None when not a match."""
    if gold.type != predicted.type:
        return None
    overlap = _overlap(span, predicted)
    # Count+place alone identifies an incident only when gold states both;
    # otherwise two unknowns would pair any two incidents of a type.
    same_facts = (gold.count is not None and gold.location is not None
                  and gold.count == predicted.people.count and place_matches(gold, predicted.location))
    return overlap + same_facts if overlap > 0 or same_facts else None


def _describe_incident(type_: str, count: int | None, place: str | None, when: object) -> str:
    return f"{type_} count={count} place={place} date={when}"


def _judge_incident(gold: GoldIncident, predicted: Incident, scores: ArticleScores) -> None:
    label = f"{gold.type} ({_short(gold.evidence, 40)})"
    checks = (("count", gold.count == predicted.people.count, gold.count, predicted.people.count),
              ("place", place_matches(gold, predicted.location), gold.location, predicted.location.model_dump()),
              ("date", gold.date_start == predicted.date.start, gold.date_start, predicted.date.start))
    for name, ok, wanted, got in checks:
        getattr(scores, name).add(ok)
        if not ok:
            scores.details.append(f"incident {name}: gold {wanted}, predicted {got} — {label}")


def _score_incidents(gold: GoldArticle, summary: ArticleSummary | None, scores: ArticleScores) -> None:
    predicted = summary.incidents if summary else []
    spans = [locate(i.evidence, summary.article.text) if summary else None for i in gold.incidents]
    if summary:
        scores.warnings += [f"gold evidence of incident {n + 1} ({i.type}) not found in the article text"
                            for n, (i, span) in enumerate(zip(gold.incidents, spans)) if span is None]
    pairs = greedy_match(range(len(gold.incidents)), predicted,
                         lambda g, p: incident_score(gold.incidents[g], spans[g], p))
    scores.incidents = Counts(len(pairs), len(predicted), len(gold.incidents))
    for g, p in pairs:
        _judge_incident(gold.incidents[g], predicted[p], scores)
    scores.details += ["incident missed: " + _describe_incident(i.type, i.count, i.location, i.date_start)
                       for i in _unmatched(gold.incidents, pairs, 0)]
    scores.details += ["incident extra: " + _describe_incident(i.type, i.people.count, i.location.text, i.date.start)
                       for i in _unmatched(predicted, pairs, 1)]


# -- positions ------------------------------------------------------------------
def _stakeholder_words(name: str) -> list[str]:
    name = re.sub(r"['’]s\b", "", name.casefold())
    return [word for word in _name_words(name) if word != "the"]


def stakeholder_score(gold: str, predicted: str) -> float | None:
    """Word-set Jaccard of the two names when they match (containment or Jaccard >= 0.5), else None."""
    a, b = _stakeholder_words(gold), _stakeholder_words(predicted)
    if not a or not b:
        return None
    jaccard = len(set(a) & set(b)) / len(set(a) | set(b))
    shorter, longer = sorted((" ".join(a), " ".join(b)), key=len)
    contained = f" {shorter} " in f" {longer} "  # whole words: "Korea" is not in "Koreans"
    return jaccard if contained or jaccard >= STAKEHOLDER_JACCARD else None


def _score_positions(gold: GoldArticle, summary: ArticleSummary | None, scores: ArticleScores) -> None:
    predicted = summary.positions if summary else []
    pairs = greedy_match(gold.positions, predicted, lambda g, p: stakeholder_score(g.stakeholder, p.stakeholder))
    scores.positions = Counts(len(pairs), len(predicted), len(gold.positions))
    for g, p in pairs:
        wanted, got = gold.positions[g], predicted[p]
        scores.stance.add(wanted.stance == got.stance)
        if wanted.stance != got.stance:
            scores.details.append(f"stance of {wanted.stakeholder!r}: gold {wanted.stance}, predicted {got.stance}")
    scores.details += [f"position missed: {p.stakeholder} ({p.stance})" for p in _unmatched(gold.positions, pairs, 0)]
    scores.details += [f"position extra: {p.stakeholder} ({p.stance})" for p in _unmatched(predicted, pairs, 1)]


# -- one article, one folder -----------------------------------------------------
def evaluate_pair(gold: dict | GoldArticle, summary: ArticleSummary | None) -> ArticleScores:
    """Score one summary against its gold annotation; ``None`` means no summary (all missed)."""
    gold = gold if isinstance(gold, GoldArticle) else parse_gold(gold)
    scores = ArticleScores(article=gold.article, missing=summary is None)
    _score_quotes(gold, summary, scores)
    _score_incidents(gold, summary, scores)
    _score_positions(gold, summary, scores)
    if summary is not None:
        scores.published.add(gold.published == summary.article.published)
        scores.duration_s = summary.provenance.duration_s
        scores.usage = summary.provenance.usage.model_dump()
    return scores


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None


def load_gold(path: Path) -> GoldArticle:
    return parse_gold(_read_json(path), str(path))


def load_summary(path: Path) -> ArticleSummary:
    data = _read_json(path)
    try:
        return ArticleSummary.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{path}: not a valid ArticleSummary: {describe_validation(exc)}") from None


def _json_files(folder: Path, what: str) -> list[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{what} folder not found: {folder}")
    files = sorted(folder.glob("*.json"))
    if not files and what == "gold":
        raise InputError(f"no gold files (*.json) in {folder}")
    return files


def _source_stem(summary: ArticleSummary) -> str | None:
    source = summary.article.source
    # A URL or a path: its last component names the article either way.
    return Path(source.split("?")[0].rstrip("/").rsplit("/", 1)[-1]).stem if source else None


def _pair(golds: dict[str, GoldArticle], summaries: dict[Path, ArticleSummary]) -> dict[str, Path]:
    """Gold stem -> summary file: by file name first, then by article.source."""
    chosen = {path.stem: path for path in summaries if path.stem in golds}
    taken = set(chosen.values())
    for path, summary in summaries.items():
        stem = _source_stem(summary)
        if path not in taken and stem in golds and stem not in chosen:
            chosen[stem] = path
            taken.add(path)
    return chosen


def evaluate_dirs(gold_dir: str | Path, summary_dir: str | Path) -> Report:
    """Score every gold file in ``gold_dir`` against its summary in ``summary_dir``."""
    golds: dict[str, GoldArticle] = {}
    for path in _json_files(gold_dir, "gold"):
        gold = load_gold(path)
        stem = Path(gold.article).stem
        if stem in golds:
            raise InputError(f"{path}: a second gold file for article {gold.article!r}")
        golds[stem] = gold
    summaries = {path: load_summary(path) for path in _json_files(summary_dir, "summary")}
    paired = _pair(golds, summaries)
    report = Report([evaluate_pair(gold, summaries[paired[stem]] if stem in paired else None)
                     for stem, gold in sorted(golds.items())])
    report.missing_summaries = [gold.article for stem, gold in sorted(golds.items()) if stem not in paired]
    report.unmatched_summaries = sorted(path.name for path in set(summaries) - set(paired.values()))
    return report


# -- text output ----------------------------------------------------------------
_COLUMNS = (("quotes", ("P", "R", "F1")), ("speaker", ("Spk",)),
            ("incidents", ("P", "R", "F1")), ("count", ("Cnt",)), ("place", ("Plc",)), ("date", ("Date",)),
            ("positions", ("P", "R", "F1")), ("stance", ("Stn",)))


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _cells(scores: ArticleScores) -> list[str]:
    cells = []
    for name, _ in _COLUMNS:
        metric = getattr(scores, name)
        values = [metric.precision, metric.recall, metric.f1] if isinstance(metric, Counts) else [metric.value]
        cells += [_number(v) for v in values]
    return cells


def format_table(report: Report) -> str:
    """Plain-text table: one row per article, then TOTAL (micro-average)."""
    total = report.total
    names = [s.article + (" (no summary)" if s.missing else "") for s in report.articles]
    width = max(len(n) for n in [*names, "article", "TOTAL"])
    header = [f"{'':<{width}}" + _group_header(), f"{'article':<{width}}" + _row([c for _, cols in _COLUMNS for c in cols])]
    rows = [f"{n:<{width}}" + _row(_cells(s)) for n, s in zip(names, report.articles)]
    rule = "-" * len(header[1])
    return "\n".join([*header, rule, *rows, rule, f"{'TOTAL':<{width}}" + _row(_cells(total))])


def _row(cells: list[str]) -> str:
    return "".join(f" {cell:>5}" for cell in cells)


def _group_header() -> str:
    # Each group label sits over its columns (6 characters per column).
    spans = (("quotes", 4), ("incidents", 6), ("positions", 4))
    return "".join(f" {label:<{6 * n - 1}}" for label, n in spans)


def format_footer(report: Report) -> str:
    usage, duration = report.usage, report.mean_duration_s
    timed = sum(s.duration_s is not None for s in report.articles)
    shown = "-" if duration is None else f"{duration:.2f}"
    return (f"mean duration: {shown} s per article ({timed} summaries); "
            f"usage: {usage.get('calls', 0)} calls, {usage.get('prompt_tokens', 0)} prompt + "
            f"{usage.get('completion_tokens', 0)} completion tokens")


def format_details(report: Report) -> str:
    lines = []
    for scores in report.articles:
        lines.append(f"{scores.article}:")
        lines += [f"  {line}" for line in scores.details] or ["  all matched and right"]
    return "\n".join(lines)


# -- command ----------------------------------------------------------------------
def build_eval_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summarize eval",
        description="Score summaries against gold annotations: precision, recall and F1 of quotes, "
                    "incidents and positions, and the accuracy of speakers, counts, places, dates and stances.",
        epilog="Undefined values (nothing predicted, nothing in gold, nothing matched) print as '-'; "
               "TOTAL pools the counts of all articles (micro-average).",
    )
    parser.add_argument("gold_dir", type=Path, metavar="GOLD_DIR", help="folder of gold annotations (*.json)")
    parser.add_argument("summary_dir", type=Path, metavar="SUMMARY_DIR", help="folder of summaries (*.json, as 'summarize -o' writes them)")
    parser.add_argument("--json", type=Path, metavar="FILE", dest="json_path", help="also write the whole report as JSON")
    parser.add_argument("--verbose", action="store_true", help="list every miss, extra item and wrong attribute per article")
    return parser


def _warn(message: str) -> None:
    print(f"summarize: warning: {message}", file=sys.stderr, flush=True)


def run_eval_command(argv: Sequence[str]) -> int:
    args = build_eval_parser().parse_args(argv)
    report = evaluate_dirs(args.gold_dir, args.summary_dir)
    print(format_table(report))
    print(format_footer(report))
    if args.verbose:
        print()
        print(format_details(report))
    if report.missing_summaries:
        _warn(f"no summary for {len(report.missing_summaries)} gold article(s), counted as all missed: "
              + ", ".join(report.missing_summaries))
    if report.unmatched_summaries:
        _warn("summaries without gold, ignored: " + ", ".join(report.unmatched_summaries))
    for scores in report.articles:
        for warning in scores.warnings:
            _warn(f"{scores.article}: {warning}")
    if args.json_path:
        _write_report(args.json_path, report)
    return 0


def _write_report(path: Path, report: Report) -> None:
    try:
        write_json_atomic(path, json.dumps(report.as_dict(), indent=2, ensure_ascii=False, default=str) + "\n")
    except OSError as exc:
        raise ConfigError(f"--json {path}: cannot write: {exc.strerror or exc}") from None
