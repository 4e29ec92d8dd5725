"""``summarize review OUTDIR``: check summaries against the schema, read them, approve or reject them.

    summarize review OUTDIR|FILE.json [--html REPORT.html] [--json] [--only ID ...]
    summarize review OUTDIR --approve ID [--note TEXT] [--reviewer NAME]
    summarize review OUTDIR --reject ID --note TEXT [--reviewer NAME]

Review only *reads* summary JSON files (``OUTDIR/*.json``, or one file); it
never reaches into the pipeline, so it shows exactly what downstream tools
will get. Each file is checked in two steps and every invalid file is
reported with its reasons, never stopping at the first:

1. against the JSON Schema in ``schemas/article_summary.json`` (what other
   people's tools validate against, so the check that matters to them);
2. against the Pydantic contract, which adds what a JSON Schema cannot say:
   every span's text equals ``article.text[start:end]``. A report that
   highlights a wrong span would mislead the reviewer, so such a file is
   invalid too.

The terminal view prints, per article, the summary and tables of incidents,
positions and quotes, with the flags an analyst acts on: items dropped by
grounding, incidents without a date or a count, quotes without a speaker (or
with a speaker the model guessed). Decisions (``--approve``/``--reject``) go
to ``OUTDIR/batch.sqlite`` (:mod:`summarizer.reviews_store`) and show in the
view and in the HTML report (:mod:`summarizer.report`).

Exit codes: 0 all valid; 1 some summary is invalid; 2 bad input (no such
folder or file, not JSON, unknown ID). Status and errors go to stderr; the
view (or ``--json``) to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from summarizer.cli import status
from summarizer.errors import ConfigError, InputError
from summarizer.models import ArticleSummary, Incident, Quote
from summarizer.reviews_store import Decision, ReviewLog, default_reviewer, read_decisions
from summarizer.schema_export import SCHEMA_PATH, schema_dict
from summarizer.tables import clip, format_table, terminal_width

MAX_REASONS = 5  # per invalid file: enough to fix it, short enough to read
REASON_WIDTH = 240  # a schema error quotes the offending value, which may be a whole article
FLAG = "!"  # marks a cell an analyst should look at


def _say(message: str) -> None:
    status(message, command="review")


# -- loading and validation -----------------------------------------------------
@dataclass(frozen=True)
class Loaded:
    """One valid summary and the file it came from."""

    path: Path
    summary: ArticleSummary

    @property
    def article_id(self) -> str:
        return self.summary.article.id


@dataclass(frozen=True)
class Invalid:
    """A file that is not a valid summary, and why."""

    path: Path
    reasons: tuple[str, ...]
    article_id: str | None = None  # when the file still names one: it can be rejected too
    parsed: bool = True  # False: not even JSON (unreadable, not UTF-8, not JSON)


@dataclass
class Collection:
    """Every summary file of a review, valid or not."""

    root: Path  # the OUTDIR (for one file: its folder), where batch.sqlite lives
    loaded: list[Loaded] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)


@lru_cache(maxsize=1)
def schema_validator():
    """A validator for ``schemas/article_summary.json``.

    The file sits beside the package in a source checkout (how this tool is
    installed: ``pip install -e``). Where it is missing (a plain wheel install),
    the same schema is generated from the models it is generated from anyway;
    a test keeps the two identical.
    """
    from jsonschema import Draft202012Validator

    try:
        schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        schema = schema_dict()
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _where(path: Iterable[object]) -> str:
    """A JSON location like ``incidents[0].people.count`` from a jsonschema/pydantic path."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _message(error) -> str:
    """The useful part of a schema error.

    Optional fields are ``anyOf: [X, null]``, whose own message ("is not valid
    under any of the given schemas") hides the reason; the non-null branch's
    errors say it ("-3 is less than the minimum of 0").
    """
    branches = [sub for sub in error.context or () if not (sub.validator == "type" and sub.validator_value == "null")]
    return " or ".join(dict.fromkeys(sub.message for sub in branches)) if branches else error.message


def schema_reasons(data: object) -> list[str]:
    """Why ``data`` breaks the JSON Schema, one line per violation, in document order."""
    errors = sorted(schema_validator().iter_errors(data), key=lambda error: [str(p) for p in error.absolute_path])
    return [clip(f"{_where(error.absolute_path)}: {_message(error)}", REASON_WIDTH) for error in errors]


def model_reasons(exc: ValidationError) -> list[str]:
    return [clip(f"{_where(error['loc'])}: {error['msg']}", REASON_WIDTH) for error in exc.errors()]


def validate_file(path: Path) -> Loaded | Invalid:
    """Read one file and check it against the schema, then the contract's span rule."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        return Invalid(path, (f"cannot read: {exc.strerror or exc}",), parsed=False)
    except UnicodeDecodeError:
        return Invalid(path, ("not UTF-8 text",), parsed=False)
    except json.JSONDecodeError as exc:
        return Invalid(path, (f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",), parsed=False)
    article_id = _article_id_of(data)
    reasons = schema_reasons(data)
    if not reasons:
        try:
            return Loaded(path, ArticleSummary.model_validate(data))
        except ValidationError as exc:
            reasons = model_reasons(exc)
    if len(reasons) > MAX_REASONS:
        reasons = reasons[:MAX_REASONS] + [f"... and {len(reasons) - MAX_REASONS} more"]
    return Invalid(path, tuple(reasons), article_id)


def _article_id_of(data: object) -> str | None:
    article = data.get("article") if isinstance(data, dict) else None
    value = article.get("id") if isinstance(article, dict) else None
    return value if isinstance(value, str) and value else None


def summary_files(target: Path) -> tuple[Path, list[Path]]:
    """The folder holding the state and the summary files to review, or InputError."""
    if target.is_dir():
        # Hidden files are half-written temporaries of an atomic write, not summaries.
        files = sorted(p for p in target.glob("*.json") if not p.name.startswith(".") and p.is_file())
        if not files:
            raise InputError(f"{target}: no summary files (*.json) in this folder")
        return target, files
    if target.is_file():  # any name: `summarize a.txt -o out` writes a summary to a file called out
        return target.parent, [target]
    raise InputError(f"{target}: no such file or folder")


def _reading_order(loaded: Loaded) -> tuple:
    info = loaded.summary.article
    return (info.published is None, str(info.published or ""), (info.outlet or "").casefold(),
            (info.title or "").casefold(), info.id)


def load_collection(target: Path) -> Collection:
    """Validate every summary file of an OUTDIR (or one file): oldest article first."""
    root, files = summary_files(Path(target))
    collection = Collection(root=root)
    for path in files:
        result = validate_file(path)
        if isinstance(result, Invalid) and not result.parsed and not Path(target).is_dir():
            raise InputError(f"{path}: {result.reasons[0]} (expected a summary .json file or an OUTDIR folder)")
        (collection.loaded if isinstance(result, Loaded) else collection.invalid).append(result)
    collection.loaded.sort(key=_reading_order)
    return collection


# -- flags -------------------------------------------------------------------------
def incident_flags(incident: Incident) -> list[str]:
    flags = []
    if incident.date.start is None:
        flags.append("no date")
    if incident.people.count is None:
        flags.append("no count")
    return flags


def quote_flags(quote: Quote) -> list[str]:
    if not quote.speaker:
        return ["no speaker"]
    if quote.attribution == "model":
        return ["speaker guessed by model"]
    return []


@dataclass(frozen=True)
class FlagCounts:
    """How many items of one summary need a second look."""

    dropped: int
    undated: int
    uncounted: int
    no_speaker: int
    guessed_speaker: int
    warnings: int

    @classmethod
    def of(cls, summary: ArticleSummary) -> FlagCounts:
        return cls(
            dropped=len(summary.provenance.dropped),
            undated=sum(incident.date.start is None for incident in summary.incidents),
            uncounted=sum(incident.people.count is None for incident in summary.incidents),
            no_speaker=sum(not quote.speaker for quote in summary.quotes),
            guessed_speaker=sum(bool(quote.speaker) and quote.attribution == "model" for quote in summary.quotes),
            warnings=len(summary.provenance.warnings),
        )

    def phrases(self) -> list[str]:
        labels = (
            (self.dropped, "dropped by grounding"), (self.undated, "incident(s) without date"),
            (self.uncounted, "incident(s) without count"), (self.no_speaker, "quote(s) without speaker"),
            (self.guessed_speaker, "speaker(s) guessed by the model"), (self.warnings, "warning(s)"),
        )
        return [f"{count} {label}" for count, label in labels if count]

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


# -- terminal view -------------------------------------------------------------------
def decision_label(decision: Decision | None) -> str:
    if decision is None:
        return "PENDING"
    who = f" by {decision.reviewer}" if decision.reviewer else ""
    note = f": {decision.note}" if decision.note else ""
    return f"{decision.decision.upper()}{who} at {decision.decided_at}{note}"


def format_date(incident: Incident) -> str:
    when = incident.date
    if when.start is None:
        return f"{FLAG} {when.text}" if when.text else FLAG
    span = str(when.start) if when.end in (None, when.start) else f"{when.start}..{when.end}"
    return f"{span} ({when.text})" if when.text else span


def format_place(incident: Incident) -> str:
    where = incident.location
    parts = [part for part in (where.city, where.region, where.country) if part]
    return ", ".join(parts) or (where.text or "")


def format_count(incident: Incident) -> str:
    people = incident.people
    if people.count is None:
        return f"{FLAG} {people.text}" if people.text else FLAG
    return f"~{people.count}" if people.approximate else str(people.count)


def _flag_cell(flags: list[str]) -> str:
    return f"{FLAG} " + ", ".join(flags) if flags else ""


def incident_table(summary: ArticleSummary, width: int) -> str:
    rows = [(index + 1, incident.type, format_date(incident), format_place(incident), format_count(incident),
             incident.description, _flag_cell(incident_flags(incident)))
            for index, incident in enumerate(summary.incidents)]
    return format_table(("#", "type", "date", "place", "count", "description", "flags"), rows, width, "  ")


def position_table(summary: ArticleSummary, width: int) -> str:
    rows = [(index + 1, position.stakeholder, position.kind, position.stance, position.issue, position.position)
            for index, position in enumerate(summary.positions)]
    return format_table(("#", "stakeholder", "kind", "stance", "issue", "position"), rows, width, "  ")


def quote_table(summary: ArticleSummary, width: int) -> str:
    rows = [(index + 1, quote.speaker or FLAG, quote.kind, f"“{quote.text}”", _flag_cell(quote_flags(quote)))
            for index, quote in enumerate(summary.quotes)]
    return format_table(("#", "speaker", "kind", "quote", "flags"), rows, width, "  ")


def dropped_table(summary: ArticleSummary, width: int) -> str:
    rows = [(item.kind, item.text, item.reason) for item in summary.provenance.dropped]
    return format_table(("kind", "text", "reason"), rows, width, "  ")


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(" ".join(text.split()), width=width, initial_indent="   ", subsequent_indent="   ")


def article_heading(loaded: Loaded, decision: Decision | None, width: int) -> str:
    info = loaded.summary.article
    facts = [f"id {info.id}", info.outlet, str(info.published) if info.published else None, info.source]
    return "\n".join([clip(f"== {info.title or '(untitled)'}", width),
                      "   " + clip("  ·  ".join(fact for fact in facts if fact), width - 3),
                      _wrap(f"review: {decision_label(decision)}", width)])


def format_article(loaded: Loaded, decision: Decision | None, width: int) -> str:
    summary = loaded.summary
    blocks = [article_heading(loaded, decision, width), _wrap(summary.summary, width)]
    flags = FlagCounts.of(summary).phrases()
    blocks.append(_wrap(f"{FLAG} flags: " + "; ".join(flags) if flags else "flags: none", width))
    blocks.extend(_wrap(f"{FLAG} warning: {warning}", width) for warning in summary.provenance.warnings)
    sections = (("Incidents", summary.incidents, incident_table), ("Positions", summary.positions, position_table),
                ("Quotes", summary.quotes, quote_table),
                ("Dropped by grounding", summary.provenance.dropped, dropped_table))
    for title, items, table in sections:
        if items:
            blocks.append(f"\n  {title} ({len(items)})\n" + table(summary, width))
    return "\n".join(blocks)


def format_overview(collection: Collection, decisions: dict[str, Decision]) -> str:
    states = [decisions.get(loaded.article_id) for loaded in collection.loaded]
    approved = sum(1 for state in states if state and state.decision == "approved")
    rejected = sum(1 for state in states if state and state.decision == "rejected")
    line = (f"{len(collection.loaded)} valid summaries in {collection.root}: {approved} approved, "
            f"{rejected} rejected, {len(states) - approved - rejected} pending")
    if collection.invalid:
        line += f"; {FLAG} {len(collection.invalid)} invalid file(s), listed on stderr"
    return line


def format_view(collection: Collection, decisions: dict[str, Decision], width: int | None = None) -> str:
    width = width or terminal_width()
    parts = [format_article(loaded, decisions.get(loaded.article_id), width) for loaded in collection.loaded]
    parts.append(format_overview(collection, decisions))
    return "\n\n".join(parts) + "\n"


def view_as_dict(collection: Collection, decisions: dict[str, Decision]) -> dict:
    """What ``--json`` prints: per summary its file, review state and flags; every invalid file."""
    def entry(loaded: Loaded) -> dict:
        info = loaded.summary.article
        decision = decisions.get(info.id)
        return {"path": str(loaded.path), "article_id": info.id, "title": info.title, "outlet": info.outlet,
                "published": str(info.published) if info.published else None,
                "review": decision.as_dict() if decision else None,
                "flags": FlagCounts.of(loaded.summary).as_dict(),
                "counts": {"incidents": len(loaded.summary.incidents), "positions": len(loaded.summary.positions),
                           "quotes": len(loaded.summary.quotes)}}

    return {"root": str(collection.root), "summaries": [entry(loaded) for loaded in collection.loaded],
            "invalid": [{"path": str(item.path), "article_id": item.article_id, "reasons": list(item.reasons)}
                        for item in collection.invalid]}


# -- IDs and decisions ---------------------------------------------------------------
def known_ids(collection: Collection) -> dict[str, str]:
    """Article id -> file stem, for every file that names an article (invalid ones too)."""
    ids = {loaded.article_id: loaded.path.stem for loaded in collection.loaded}
    ids.update({item.article_id: item.path.stem for item in collection.invalid if item.article_id})
    return ids


def resolve_id(token: str, collection: Collection) -> str:
    """The article id meant by ``token``: an id, a file name (stem), or an unambiguous id prefix."""
    ids = known_ids(collection)
    if token in ids:
        return token
    by_stem = [article_id for article_id, stem in ids.items() if token in (stem, f"{stem}.json")]
    if len(by_stem) == 1:
        return by_stem[0]
    prefixed = sorted(article_id for article_id in ids if len(token) >= 4 and article_id.startswith(token))
    if len(prefixed) == 1:
        return prefixed[0]
    if prefixed:
        raise InputError(f"ID {token!r} is ambiguous in {collection.root}: it starts "
                         + ", ".join(prefixed[:5]) + "; give more characters")
    examples = ", ".join(sorted(ids)[:3]) or "none"
    raise InputError(f"unknown article ID {token!r} in {collection.root} (some IDs: {examples}); "
                     f"'summarize review {collection.root}' prints each article's id, "
                     f"'--json' lists them as article_id")


def record_decisions(collection: Collection, args: argparse.Namespace) -> list[Decision]:
    """Resolve every --approve/--reject ID first (all or nothing), then record them."""
    if args.reject and not args.note:
        raise ConfigError("--reject needs --note: say why, so the next reader knows what to fix")
    wanted = [(resolve_id(token, collection), "approved") for token in args.approve or []]
    wanted += [(resolve_id(token, collection), "rejected") for token in args.reject or []]
    reviewer = args.reviewer or default_reviewer()
    with ReviewLog(collection.root) as log:
        return [log.record(article_id, decision, args.note, reviewer) for article_id, decision in wanted]


def restrict(collection: Collection, tokens: Sequence[str]) -> Collection:
    """Only the articles named by ``--only`` (invalid files are always reported)."""
    keep = {resolve_id(token, collection) for token in tokens}
    return Collection(collection.root, [loaded for loaded in collection.loaded if loaded.article_id in keep],
                      collection.invalid)


def current_decisions(root: Path) -> dict[str, Decision]:
    try:
        return read_decisions(root)
    except ConfigError as exc:  # e.g. a read-only copy of an OUTDIR: review it without decisions
        _say(f"warning: decisions not shown: {exc}")
        return {}


# -- the command ------------------------------------------------------------------------
def build_review_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summarize review",
        description="Validate summaries against schemas/article_summary.json and show them for review: "
                    "summary, incidents, positions and quotes as tables, with flags (dropped by grounding, "
                    "no date or count, no speaker). Record approvals in OUTDIR/batch.sqlite.",
        epilog="IDs are article ids (the 'id' line of each article; a unique prefix of 4+ characters is enough) "
               "or file names. Exit codes: 0 all valid, 1 some summary invalid, 2 bad input.",
    )
    parser.add_argument("target", type=Path, metavar="OUTDIR|FILE", help="a folder of summary .json files, or one file")
    parser.add_argument("--html", type=Path, metavar="REPORT.html",
                        help="also write one self-contained HTML page: article texts with highlighted evidence and "
                             "quotes linked to their items, filters by incident type, stance and decision")
    parser.add_argument("--json", action="store_true", help="print the review (files, decisions, flags) as JSON instead")
    parser.add_argument("--only", action="append", metavar="ID", help="show only this article (repeatable)")
    group = parser.add_argument_group("decisions (kept, with their history, in OUTDIR/batch.sqlite)")
    group.add_argument("--approve", action="append", metavar="ID", help="mark this summary approved (repeatable)")
    group.add_argument("--reject", action="append", metavar="ID", help="mark this summary rejected (repeatable)")
    group.add_argument("--note", help="the reviewer's note, kept with the decision")
    group.add_argument("--reviewer", help="who decides (default: $USER)")
    return parser


def run_review_command(argv: Sequence[str]) -> int:
    args = build_review_parser().parse_args(argv)
    collection = load_collection(args.target)
    for item in collection.invalid:
        _say(f"invalid: {item.path}: " + "; ".join(item.reasons))
    if args.approve or args.reject:
        for entry in record_decisions(collection, args):
            _say(f"{entry.decision} {entry.article_id}" + (f" ({entry.note})" if entry.note else ""))
        if not (args.html or args.json or args.only):
            return 0  # a decision was asked for, not the whole view
    if args.only:
        collection = restrict(collection, args.only)
    decisions = current_decisions(collection.root)
    if args.html:
        from summarizer.report import write_report

        write_report(args.html, collection, decisions)
        _say(f"report written to {args.html}")
    if args.json:
        sys.stdout.write(json.dumps(view_as_dict(collection, decisions), indent=2, ensure_ascii=False) + "\n")
    elif not args.html:
        sys.stdout.write(format_view(collection, decisions))
    return 1 if collection.invalid else 0
