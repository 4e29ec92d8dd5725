"""``summarize review``: validation, terminal view, approvals, and the HTML report's markup."""

from __future__ import annotations

import html
import json
import re
import sqlite3
from html.parser import HTMLParser

import pytest

from summarizer.cli import main
from summarizer.report import SCRIPT, STYLE, _csp_hash, render_report, render_text, article_highlights
from summarizer.review import load_collection, schema_validator
from summarizer.reviews_store import ReviewLog
from summarizer.schema_export import SCHEMA_PATH
from summarizer.store import DB_NAME, Store
from tests import summary_factory as factory



def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["review", *map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- validation ----------------------------------------------------------------------
def test_the_validator_is_the_schema_file_in_schemas():
    assert schema_validator().schema == json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_a_folder_of_valid_summaries_prints_tables_and_flags(outdir, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run(capsys, outdir)
    assert code == 0, err
    harbor = factory.harbor_summary().article.id
    assert f"id {harbor}" in out and "Harbor Gazette" in out and "review: PENDING" in out
    for heading in ("Incidents (1)", "Positions (2)", "Quotes (3)", "Dropped by grounding (1)"):
        assert heading in out
    assert "1 dropped by grounding" in out and "They will be freed tomorrow" in out
    assert "! no speaker" in out and "! speaker guessed by model" in out
    assert "! no date, no count" in out  # the undated, uncounted arrest in the Coastal Times
    assert "2 valid summaries" in out and "2 pending" in out


def test_long_cells_are_cut_to_the_terminal_width(outdir, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    _, out, _ = run(capsys, outdir)
    table_lines = [line for line in out.splitlines() if line.startswith("  ")]
    assert table_lines and max(map(len, table_lines)) <= 80
    assert "…" in out


def test_every_invalid_file_is_reported_with_its_reason(outdir, capsys):
    (outdir / "broken.json").write_text("{not json", encoding="utf-8")
    data = factory.harbor_summary().model_dump(mode="json")
    data["incidents"][0]["people"]["count"] = -3
    data["summary"] = 7
    (outdir / "schema.json").write_text(json.dumps(data), encoding="utf-8")
    shifted = factory.coastal_summary().model_dump(mode="json")
    shifted["quotes"] = [{"text": "About 50", "span": {"text": "About 50", "start": 3, "end": 11}, "kind": "partial"}]
    (outdir / "offsets.json").write_text(json.dumps(shifted), encoding="utf-8")

    code, out, err = run(capsys, outdir)

    assert code == 1
    assert re.search(r"invalid: .*broken\.json: not JSON: .* line 1 column 2", err)
    assert re.search(r"invalid: .*schema\.json: .*incidents\[0\]\.people\.count: -3 is less than the minimum of 0", err)
    assert "summary: 7 is not of type 'string'" in err
    assert re.search(r"invalid: .*offsets\.json: .*does not match article\.text", err)
    assert "2 valid summaries" in out and "3 invalid file(s)" in out
    assert "Traceback" not in err


@pytest.mark.parametrize("make_target, message", [
    (lambda tmp: tmp / "missing", "no such file or folder"),
    (lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", "no summary files"),
    (lambda tmp: (tmp / "a.txt").write_text("plain text") and tmp / "a.txt", "a.txt: not JSON"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, make_target, message):
    code, out, err = run(capsys, make_target(tmp_path))
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_single_file_can_be_reviewed(outdir, capsys):
    path = next(outdir.glob("*.json"))
    code, out, _ = run(capsys, path, "--json")
    assert code == 0
    assert [entry["path"] for entry in json.loads(out)["summaries"]] == [str(path)]


# -- approvals -----------------------------------------------------------------------
def test_approve_and_reject_round_trip_through_sqlite_and_show(outdir, capsys, monkeypatch):
    monkeypatch.setenv("USER", "ana")
    harbor, coastal = factory.harbor_summary().article.id, factory.coastal_summary().article.id

    assert run(capsys, outdir, "--reject", harbor[:6], "--note", "count unclear")[0] == 0
    assert run(capsys, outdir, "--approve", harbor, "--note", "checked against the text")[0] == 0
    code, _, err = run(capsys, outdir, "--reject", coastal, "--note", "Dover is a separate story", "--reviewer", "bo")
    assert code == 0 and f"rejected {coastal}" in err

    rows = sqlite3.connect(outdir / DB_NAME).execute(
        "SELECT article_id, decision, note, reviewer, decided_at FROM reviews ORDER BY id").fetchall()
    assert [row[:4] for row in rows] == [(harbor, "rejected", "count unclear", "ana"),
                                        (harbor, "approved", "checked against the text", "ana"),
                                        (coastal, "rejected", "Dover is a separate story", "bo")]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", row[4]) for row in rows)

    _, out, _ = run(capsys, outdir)
    assert "review: APPROVED by ana at " in out and "checked against the text" in out
    assert "review: REJECTED by bo" in out and "1 approved, 1 rejected, 0 pending" in out
    reviews = {entry["article_id"]: entry["review"] for entry in json.loads(run(capsys, outdir, "--json")[1])["summaries"]}
    assert reviews[harbor]["decision"] == "approved" and reviews[coastal]["note"] == "Dover is a separate story"


def test_an_unknown_id_is_exit_2_and_says_how_to_find_ids(outdir, capsys):
    code, _, err = run(capsys, outdir, "--approve", "feedfacefeedface")
    assert code == 2
    assert "unknown article ID 'feedfacefeedface'" in err and "summarize review" in err
    assert not (outdir / DB_NAME).exists() or not sqlite3.connect(outdir / DB_NAME).execute(
        "SELECT name FROM sqlite_master WHERE name = 'reviews'").fetchone()


def test_a_rejection_needs_a_note(outdir, capsys):
    code, _, err = run(capsys, outdir, "--reject", factory.harbor_summary().article.id)
    assert code == 2 and "--reject needs --note" in err


def test_approving_works_while_a_batch_holds_the_folder(outdir, capsys):
    harbor = factory.harbor_summary().article.id
    with Store(outdir) as store:  # holds batch.lock and an open connection, like `batch --watch`
        assert run(capsys, outdir, "--approve", harbor)[0] == 0
        assert store.counts()["done"] == 0  # the batch's own tables are untouched
    with ReviewLog(outdir) as log:
        assert log.latest()[harbor].decision == "approved"


def test_a_batch_can_open_a_folder_where_review_came_first(outdir, capsys):
    harbor = factory.harbor_summary().article.id
    run(capsys, outdir, "--approve", harbor)
    with Store(outdir) as store:  # runs its migrations beside the reviews table
        assert store.counts()["pending"] == 0
    with ReviewLog(outdir) as log:
        assert [entry.decision for entry in log.history(harbor)] == ["approved"]


# -- HTML report -----------------------------------------------------------------------
class _TextAndTags(HTMLParser):
    """Collects the text of the article <div class="text"> and checks tags nest."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


class _Tags(HTMLParser):
    """Every tag name and attribute name the browser would see."""

    def __init__(self):
        super().__init__()
        self.names: list[str] = []
        self.attribute_names: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.names.append(tag)
        self.attribute_names += [name for name, _ in attrs]


def test_overlapping_spans_become_flat_segments_that_keep_the_text(outdir):
    item = factory.harbor_summary()
    lights = article_highlights("a1", item)
    page = render_text(item.article.text, lights)
    parser = _TextAndTags()
    parser.feed(page)
    assert not parser.stack and "".join(parser.text) == item.article.text
    assert "<mark" in page and "<mark><mark" not in page
    # The quote lies inside the harbour authority's evidence: that piece belongs to both and links to the quote.
    shared = re.search(r'<mark class="hl k-position k-quote" data-items="([^"]+)"[^>]*><a href="#r-a1-q1">We acted', page)
    assert shared and set(shared.group(1).split()) == {"a1-p2", "a1-q1"}
    for light in lights:
        assert f'id="m-{light.span_id}"' in page


def test_report_escapes_injected_markup_and_loads_nothing(tmp_path, capsys):
    folder = tmp_path / "out"
    factory.write(folder, factory.injection_summary())
    factory.write(folder, factory.harbor_summary())
    report = tmp_path / "report.html"
    code, _, _ = run(capsys, folder, "--html", report)
    assert code == 0
    page = report.read_text(encoding="utf-8")

    assert page.count("<script") == 1  # our own, at the end
    assert "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "onerror=&quot;window.__pwned=1&quot;" in page
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt; is not a defence," in page
    tags = _Tags()
    tags.feed(page)
    assert "img" not in tags.names and tags.names.count("script") == 1
    assert not [name for name in tags.attribute_names if name.startswith("on")]  # no event handler attributes
    assert "http://" not in page and "https://" not in page
    csp = html.unescape(re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1))
    assert "default-src 'none'" in csp and f"'{_csp_hash(SCRIPT)}'" in csp and f"'{_csp_hash(STYLE)}'" in csp
    assert "unsafe-inline" not in csp


def test_report_shows_decisions_and_filters(outdir):
    harbor = factory.harbor_summary().article.id
    with ReviewLog(outdir) as log:
        log.record(harbor, "rejected", note="count <unclear>", reviewer="ana")
        decisions = log.latest()
    page = render_report(load_collection(outdir), decisions)
    assert 'data-decision="rejected"' in page and 'data-decision="pending"' in page
    assert "rejected by ana" in page and "count &lt;unclear&gt;" in page
    assert 'data-filter="type" value="detention"' in page and 'data-filter="stance" value="opposes"' in page
    assert 'data-filter="decision" value="approved"' in page
