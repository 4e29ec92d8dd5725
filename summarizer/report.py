"""The HTML review report: one self-contained static page for checking summaries against their articles.

Written by ``summarize review OUTDIR --html REPORT.html``. Per article: the
review state, the summary, the article text with every evidence span and
quote highlighted, and the incidents, positions and quotes in tables. A
highlight links to its table row and each row links back to its highlights,
so checking an item against its article is one click each way. Checkboxes at
the top filter incidents by type, positions by stance and articles by
decision; a filtered-out item's row disappears and its highlight fades,
while the article text itself always stays whole.

Safety, because article text and model output are untrusted (a scraped page
may carry ``<script>`` or ``<img onerror=...>``, and a quote may contain
``</script>``):

- every piece of text is HTML-escaped with :func:`html.escape` before it
  enters the page, attributes included, so markup in an article renders as
  text;
- the page carries no data for its script at all: filters and links read
  ``data-`` attributes of elements whose values are ids this module made or
  escaped enum values, so no JSON block exists for a ``</script>`` to break;
- a Content-Security-Policy allows nothing to load (``default-src 'none'``)
  and only this module's own style and script, named by their sha256 hashes.
  Inline event handlers and injected scripts are refused by the browser even
  if something slipped through the escaping. Hashes rather than a nonce: the
  file is static, so a nonce would be a fixed string anyone could copy;
- no external URL appears anywhere (no fonts, no CDN, no links to sources):
  the page opens offline and makes no request when opened.

Highlights may overlap (a quote inside an incident's evidence sentence, two
items citing one sentence). The text is therefore cut at every span
boundary into segments; each segment is one ``<mark>`` listing all the
spans covering it, and links to the row of the innermost (shortest) one.
No nested or crossing tags can arise, whatever the offsets.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from summarizer.errors import ConfigError
from summarizer.models import STANCES, ArticleSummary, Incident, Quote
from summarizer.output import write_json_atomic
from summarizer.review import (
    Collection,
    FlagCounts,
    Loaded,
    format_count,
    format_place,
    incident_flags,
    quote_flags,
)
from summarizer.reviews_store import Decision

DECISION_STATES = ("approved", "rejected", "pending")


def esc(value: object) -> str:
    """Text as HTML, safe in element content and in quoted attributes alike."""
    return html.escape("" if value is None else str(value), quote=True)


# -- spans and segments -----------------------------------------------------------
@dataclass(frozen=True)
class Highlight:
    """One span of the article to highlight, and the item (table row) it belongs to."""

    start: int
    end: int
    span_id: str  # unique in the page, made here: "a3-i2-e1"
    item_id: str  # the row: "a3-i2"
    kind: str  # incident | position | quote
    label: str  # for the tooltip: "Incident 2 (detention)"


def article_highlights(prefix: str, summary: ArticleSummary) -> list[Highlight]:
    """Every evidence span and quote span of one summary, with ids based on ``prefix``."""
    found: list[Highlight] = []
    for number, incident in enumerate(summary.incidents, 1):
        item = f"{prefix}-i{number}"
        found += [Highlight(span.start, span.end, f"{item}-e{j}", item, "incident", f"Incident {number} ({incident.type})")
                  for j, span in enumerate(incident.evidence, 1)]
    for number, position in enumerate(summary.positions, 1):
        item = f"{prefix}-p{number}"
        found += [Highlight(span.start, span.end, f"{item}-e{j}", item, "position",
                            f"Position {number} ({position.stakeholder}: {position.stance})")
                  for j, span in enumerate(position.evidence, 1)]
    for number, quote in enumerate(summary.quotes, 1):
        item = f"{prefix}-q{number}"
        found.append(Highlight(quote.span.start, quote.span.end, f"{item}-s", item, "quote",
                               f"Quote {number} ({quote.speaker or 'no speaker'})"))
    return [light for light in found if light.end > light.start]  # an empty span has nothing to show


def segments(length: int, lights: Sequence[Highlight]) -> Iterable[tuple[int, int, list[Highlight]]]:
    """Cut [0, length) at every span boundary; yield (start, end, spans covering that piece)."""
    cuts = sorted({0, length, *(min(light.start, length) for light in lights), *(min(light.end, length) for light in lights)})
    for start, end in zip(cuts, cuts[1:]):
        yield start, end, [light for light in lights if light.start <= start and light.end >= end]


def render_text(text: str, lights: Sequence[Highlight]) -> str:
    """The article text as HTML, each highlighted piece a <mark> linking to its innermost item's row."""
    out: list[str] = []
    starts_here = {}
    for light in lights:
        starts_here.setdefault(light.start, []).append(light)
    for start, end, covering in segments(len(text), lights):
        # Invisible anchors where spans begin: the rows' evidence links land on them.
        out += [f'<span class="anchor" id="m-{esc(light.span_id)}"></span>' for light in starts_here.get(start, [])]
        piece = esc(text[start:end])
        if not covering:
            out.append(piece)
            continue
        innermost = min(covering, key=lambda light: (light.end - light.start, light.span_id))
        kinds = " ".join(sorted({f"k-{light.kind}" for light in covering}))
        items = " ".join(dict.fromkeys(light.item_id for light in covering))
        spans = " ".join(light.span_id for light in covering)
        title = "; ".join(dict.fromkeys(light.label for light in covering))
        out.append(f'<mark class="hl {kinds}" data-items="{esc(items)}" data-spans="{esc(spans)}" title="{esc(title)}">'
                   f'<a href="#r-{esc(innermost.item_id)}">{piece}</a></mark>')
    return "".join(out)


# -- tables --------------------------------------------------------------------------
def _flags_html(flags: Sequence[str]) -> str:
    return " ".join(f'<span class="flag">{esc(flag)}</span>' for flag in flags)


def _evidence_links(item_id: str, count: int) -> str:
    return " ".join(f'<a class="ev" href="#m-{esc(item_id)}-e{j}">evidence {j}</a>' for j in range(1, count + 1))


def _date_html(incident: Incident) -> str:
    when = incident.date
    if when.start is None:
        return esc(when.text or "")
    shown = str(when.start) if when.end in (None, when.start) else f"{when.start} – {when.end}"
    note = f'<br><span class="muted">{esc(when.text)}</span>' if when.text else ""
    return esc(shown) + note


def _count_html(incident: Incident) -> str:
    people = incident.people
    if people.count is None:
        return esc(people.text or "")
    return esc(format_count(incident)) + (f'<br><span class="muted">{esc(people.details)}</span>' if people.details else "")


def incidents_table(prefix: str, summary: ArticleSummary) -> str:
    rows = []
    for number, incident in enumerate(summary.incidents, 1):
        item = f"{prefix}-i{number}"
        rows.append(
            f'<tr id="r-{item}" data-item="{item}" data-type="{esc(incident.type)}">'
            f'<td><a href="#r-{item}">{number}</a></td><td><span class="type">{esc(incident.type)}</span></td>'
            f"<td>{_date_html(incident)}</td><td>{esc(format_place(incident))}</td>"
            f"<td>{_count_html(incident)}</td>"
            f"<td>{esc(incident.description)}</td><td>{_evidence_links(item, len(incident.evidence))}</td>"
            f"<td>{_flags_html(incident_flags(incident))}</td></tr>")
    return _table("Incidents", ("#", "type", "date", "place", "count", "description", "evidence", "flags"), rows)


def positions_table(prefix: str, summary: ArticleSummary) -> str:
    rows = []
    for number, position in enumerate(summary.positions, 1):
        item = f"{prefix}-p{number}"
        rows.append(
            f'<tr id="r-{item}" data-item="{item}" data-stance="{esc(position.stance)}">'
            f'<td><a href="#r-{item}">{number}</a></td><td>{esc(position.stakeholder)}'
            f'<br><span class="muted">{esc(position.kind)}</span></td>'
            f'<td><span class="stance s-{esc(position.stance)}">{esc(position.stance)}</span></td>'
            f"<td>{esc(position.issue)}</td><td>{esc(position.position)}</td>"
            f"<td>{_evidence_links(item, len(position.evidence))}</td></tr>")
    return _table("Positions", ("#", "stakeholder", "stance", "issue", "position", "evidence"), rows)


def _speaker_html(quote: Quote) -> str:
    if not quote.speaker:
        return ""
    role = f'<br><span class="muted">{esc(quote.speaker_role)}</span>' if quote.speaker_role else ""
    return esc(quote.speaker) + role


def quotes_table(prefix: str, summary: ArticleSummary) -> str:
    rows = []
    for number, quote in enumerate(summary.quotes, 1):
        item = f"{prefix}-q{number}"
        rows.append(
            f'<tr id="r-{item}" data-item="{item}"><td><a href="#r-{item}">{number}</a></td>'
            f"<td>{_speaker_html(quote)}</td><td>{esc(quote.kind)}</td>"
            f'<td class="quote"><a class="qlink" href="#m-{item}-s">“{esc(quote.text)}”</a></td>'
            f"<td>{_flags_html(quote_flags(quote))}</td></tr>")
    return _table("Quotes", ("#", "speaker", "kind", "quote", "flags"), rows)


def dropped_table(summary: ArticleSummary) -> str:
    rows = [f"<tr><td>{esc(item.kind)}</td><td>{esc(item.text)}</td><td>{esc(item.reason)}</td></tr>"
            for item in summary.provenance.dropped]
    return _table("Dropped by grounding", ("kind", "what the model said", "why it was dropped"), rows, "dropped")


def _table(title: str, headers: Sequence[str], rows: Sequence[str], css: str = "") -> str:
    if not rows:
        return f'<h3>{esc(title)} <span class="muted">(none)</span></h3>'
    head = "".join(f"<th>{esc(header)}</th>" for header in headers)
    return (f'<h3>{esc(title)} <span class="muted">({len(rows)})</span></h3>'
            f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


# -- articles and page ----------------------------------------------------------------
def decision_state(decision: Decision | None) -> str:
    return decision.decision if decision else "pending"


def decision_badge(decision: Decision | None) -> str:
    state = decision_state(decision)
    if decision is None:
        return '<span class="badge pending">pending review</span>'
    who = f" by {decision.reviewer}" if decision.reviewer else ""
    note = f' <span class="note">“{esc(decision.note)}”</span>' if decision.note else ""
    return f'<span class="badge {state}">{esc(state)}{esc(who)} · {esc(decision.decided_at)}</span>{note}'


def article_section(number: int, loaded: Loaded, decision: Decision | None) -> str:
    summary, prefix = loaded.summary, f"a{number}"
    info = summary.article
    facts = [info.outlet, str(info.published) if info.published else None, f"id {info.id}", info.source,
             f"{summary.provenance.model} · {summary.provenance.strategy}"]
    flags = FlagCounts.of(summary).phrases()
    warnings = "".join(f'<li class="flag">{esc(w)}</li>' for w in summary.provenance.warnings)
    return (
        f'<section class="article" id="{prefix}" data-decision="{decision_state(decision)}">'
        f"<header><h2>{esc(info.title or '(untitled)')}</h2>"
        f'<p class="facts">{" · ".join(esc(fact) for fact in facts if fact)}</p>'
        f"<p>{decision_badge(decision)}</p></header>"
        f'<p class="summary">{esc(summary.summary)}</p>'
        + (f'<p class="flags">{_flags_html(flags)}</p>' if flags else "")
        + (f"<ul>{warnings}</ul>" if warnings else "")
        + f'<div class="columns"><div class="text" lang="{esc(info.language or "")}">'
        f"{render_text(info.text, article_highlights(prefix, summary))}</div>"
        f'<div class="items">{incidents_table(prefix, summary)}{positions_table(prefix, summary)}'
        f"{quotes_table(prefix, summary)}"
        + (dropped_table(summary) if summary.provenance.dropped else "")
        + "</div></div></section>")


def _checkboxes(kind: str, values: Iterable[str]) -> str:
    return "".join(f'<label><input type="checkbox" data-filter="{kind}" value="{esc(v)}" checked> {esc(v)}</label>'
                   for v in values)


def filters_bar(collection: Collection) -> str:
    types = sorted({incident.type for loaded in collection.loaded for incident in loaded.summary.incidents})
    stances = [stance for stance in STANCES
               if any(p.stance == stance for loaded in collection.loaded for p in loaded.summary.positions)]
    return (f'<nav class="filters"><div><strong>Incident type</strong> {_checkboxes("type", types) or "<i>none</i>"}</div>'
            f'<div><strong>Stance</strong> {_checkboxes("stance", stances) or "<i>none</i>"}</div>'
            f'<div><strong>Review</strong> {_checkboxes("decision", DECISION_STATES)}</div>'
            '<div class="legend"><strong>Highlights</strong> <mark class="hl k-incident">incident evidence</mark> '
            '<mark class="hl k-position">position evidence</mark> <mark class="hl k-quote">quote</mark> '
            '<span id="shown" class="muted"></span></div></nav>')


def contents(collection: Collection, decisions: dict[str, Decision]) -> str:
    rows = []
    for number, loaded in enumerate(collection.loaded, 1):
        info, summary = loaded.summary.article, loaded.summary
        decision = decisions.get(info.id)
        rows.append(
            f'<tr><td><a href="#a{number}">{esc(info.title or info.id)}</a></td><td>{esc(info.outlet or "")}</td>'
            f'<td>{esc(info.published or "")}</td><td>{len(summary.incidents)}</td><td>{len(summary.positions)}</td>'
            f"<td>{len(summary.quotes)}</td><td>{_flags_html(FlagCounts.of(summary).phrases())}</td>"
            f'<td><span class="badge {decision_state(decision)}">{decision_state(decision)}</span></td></tr>')
    return _table("Articles", ("title", "outlet", "published", "incidents", "positions", "quotes", "flags", "review"),
                  rows, "contents")


def invalid_list(collection: Collection) -> str:
    if not collection.invalid:
        return ""
    items = "".join(f"<li><code>{esc(item.path.name)}</code>: {esc('; '.join(item.reasons))}</li>"
                    for item in collection.invalid)
    return f'<section class="invalid"><h2>Invalid files ({len(collection.invalid)})</h2><ul>{items}</ul></section>'


def _csp_hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


def content_security_policy() -> str:
    """Nothing loads; only this page's own style and script run (named by hash)."""
    return (f"default-src 'none'; style-src '{_csp_hash(STYLE)}'; script-src '{_csp_hash(SCRIPT)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def render_report(collection: Collection, decisions: dict[str, Decision], generated: datetime | None = None) -> str:
    """The whole page as one string."""
    generated = generated or datetime.now(timezone.utc)
    sections = "".join(article_section(number, loaded, decisions.get(loaded.article_id))
                       for number, loaded in enumerate(collection.loaded, 1))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{esc(content_security_policy())}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Summary review: {esc(collection.root.name or str(collection.root))}</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>Summary review <span class=\"muted\">{esc(collection.root)} · "
        f"{len(collection.loaded)} articles · generated {esc(generated.isoformat(timespec='seconds'))}</span></h1>"
        f"{filters_bar(collection)}{invalid_list(collection)}{contents(collection, decisions)}{sections}"
        f"<script>{SCRIPT}</script></body></html>\n")


def write_report(path: Path, collection: Collection, decisions: dict[str, Decision]) -> None:
    try:
        write_json_atomic(Path(path), render_report(collection, decisions))  # atomic text write, not JSON-specific
    except OSError as exc:
        raise ConfigError(f"--html {path}: cannot write: {exc.strerror or exc}") from None


STYLE = """
:root{--ink:#1d232b;--muted:#5f6b7a;--line:#d8dde3;--inc:#ffe08a;--pos:#c9defc;--quo:#d6f2df;--hot:#d9363e}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0 24px 48px;background:#fbfbfc}
h1{font-size:22px;margin:18px 0 8px}h2{font-size:19px;margin:0 0 4px}h3{font-size:15px;margin:16px 0 6px}
.muted{color:var(--muted);font-weight:normal;font-size:13px}
[hidden]{display:none!important}
nav.filters{position:sticky;top:0;z-index:2;background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 12px;
 display:flex;flex-wrap:wrap;gap:6px 22px;font-size:13px;box-shadow:0 1px 3px rgba(0,0,0,.06)}
nav.filters label{margin-left:8px;white-space:nowrap}
section.article{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 18px;margin:18px 0}
section.invalid{border:1px solid var(--hot);background:#fff5f5;border-radius:8px;padding:10px 16px;margin:14px 0}
.facts{color:var(--muted);font-size:13px;margin:2px 0 6px}
.summary{font-size:15px;background:#f4f6f8;border-left:3px solid #8a97a8;padding:8px 12px;margin:8px 0}
.columns{display:grid;grid-template-columns:minmax(320px,5fr) minmax(380px,7fr);gap:20px;align-items:start}
.columns>div{min-width:0}
tr,.anchor,mark{scroll-margin-top:110px}
.text{white-space:pre-wrap;font-family:Georgia,"Times New Roman",serif;font-size:15px;line-height:1.6;
 max-height:80vh;overflow:auto;border:1px solid var(--line);border-radius:6px;padding:12px 14px;background:#fffefb}
mark.hl{background:transparent;color:inherit;padding:1px 0;border-radius:2px}
mark.hl a{color:inherit;text-decoration:none}
mark.k-quote{background:var(--quo);box-shadow:inset 0 -2px 0 #2f9e5b}
mark.k-position{background:var(--pos)}
mark.k-incident{background:var(--inc)}
mark.hl.off{background:none;box-shadow:none}
mark.focus{outline:2px solid var(--hot);outline-offset:1px}
table{border-collapse:collapse;width:100%;font-size:13px;background:#fff}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}
th,.type,.stance,.badge{white-space:nowrap}
th{background:#eef1f4;font-weight:600}
tr:target,tr.focus{background:#fff1c2;outline:2px solid var(--hot)}
td.quote{font-style:italic}
a.ev{color:#1f5fbf;white-space:nowrap}
a.qlink{color:inherit}
.flag{display:inline-block;background:#fde2e1;color:#9b1c1c;border-radius:10px;padding:0 7px;font-size:12px;margin:1px 2px}
.badge{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;font-weight:600}
.badge.approved{background:#d5f5df;color:#13612f}.badge.rejected{background:#fde2e1;color:#9b1c1c}
.badge.pending{background:#eceff3;color:#4a5563}
.note{font-style:italic;color:var(--muted)}
.type{font-weight:600}
.stance{border-radius:8px;padding:0 6px}.s-supports{background:#d5f5df}.s-opposes{background:#fde2e1}
.s-neutral,.s-unclear{background:#eceff3}.s-mixed{background:#fff1c2}
table.dropped td{color:#7a4a00}
@media (max-width:900px){.columns{grid-template-columns:1fr}}
"""

# Filters hide rows and fade the highlights whose items are all hidden; a link
# to a span or a row marks every piece of that span/item, so a reader sees the
# whole passage, not just where it begins. Ids come from this module only.
SCRIPT = """
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark[data-items]"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-item]"));
  function allowed(kind) {
    var set = {};
    boxes.forEach(function (box) { if (box.dataset.filter === kind && box.checked) { set[box.value] = true; } });
    return set;
  }
  function apply() {
    var types = allowed("type"), stances = allowed("stance"), states = allowed("decision"), hidden = {}, shown = 0;
    rows.forEach(function (row) {
      var off = (row.dataset.type !== undefined && !types[row.dataset.type]) ||
                (row.dataset.stance !== undefined && !stances[row.dataset.stance]);
      row.hidden = off;
      if (off) { hidden[row.dataset.item] = true; } else { shown += 1; }
    });
    marks.forEach(function (mark) {
      mark.classList.toggle("off", mark.dataset.items.split(" ").every(function (item) { return hidden[item]; }));
    });
    document.querySelectorAll("section.article").forEach(function (section) {
      section.hidden = !states[section.dataset.decision];
    });
    document.getElementById("shown").textContent = shown + " of " + rows.length + " items shown";
  }
  function focusTarget() {
    document.querySelectorAll(".focus").forEach(function (el) { el.classList.remove("focus"); });
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf("m-") === 0) {
      var span = id.slice(2);
      marks.forEach(function (m) { if (m.dataset.spans.split(" ").indexOf(span) >= 0) { m.classList.add("focus"); } });
    } else if (id.indexOf("r-") === 0) {
      var item = id.slice(2);
      marks.forEach(function (m) { if (m.dataset.items.split(" ").indexOf(item) >= 0) { m.classList.add("focus"); } });
    }
  }
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  window.addEventListener("hashchange", focusTarget);
  apply();
  focusTarget();
})();
"""
