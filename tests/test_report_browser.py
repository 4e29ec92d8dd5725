"""The HTML review report in a real headless Chromium: highlights link to rows, filters work, nothing injected runs.

Needs a Chromium on PATH (Debian's ``chromium``; ``make test`` installs it
where it can). Without one the test is skipped and says why.
"""

from __future__ import annotations

import json
import time

import pytest

from summarizer.review import load_collection
from summarizer.report import write_report
from summarizer.reviews_store import ReviewLog
from tests import summary_factory as factory
from tests.headless_chromium import Chromium, find_chromium


@pytest.fixture
def browser(tmp_path):
    binary = find_chromium()
    if binary is None:
        pytest.skip("no Chromium on PATH: install Debian's 'chromium' package (make browser), "
                    "or point CHROMIUM_BIN at one")
    chromium = Chromium(binary, tmp_path / "profile")
    try:
        yield chromium
    finally:
        chromium.close()  # always: a leaked headless browser would outlive the test run


@pytest.fixture
def report(tmp_path):
    folder = tmp_path / "out"
    for summary in (factory.harbor_summary(), factory.coastal_summary(), factory.injection_summary()):
        factory.write(folder, summary)
    with ReviewLog(folder) as log:
        log.record(factory.coastal_summary().article.id, "approved", note="matches the text", reviewer="ana")
        decisions = log.latest()
    path = tmp_path / "report.html"
    write_report(path, load_collection(folder), decisions)
    return path


def js(browser: Chromium, expression: str):
    return browser.evaluate(f"(function () {{ {expression} }})()")


def section_of(article_id: str) -> str:
    """A JS expression for the <section> of one article, found by the id shown in its facts line."""
    return ("Array.from(document.querySelectorAll('section.article'))"
            f".find(function (s) {{ return s.querySelector('.facts').textContent.indexOf({json.dumps(article_id)}) >= 0; }})")


def wait_for(browser: Chromium, expression: str, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while True:
        value = js(browser, expression)
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def test_report_in_a_real_browser(browser, report, tmp_path):
    browser.open(report.as_uri())

    # Our own script ran (its hash is in the CSP), and nothing injected did.
    assert js(browser, "return document.getElementById('shown').textContent;").endswith("items shown")
    assert js(browser, "return typeof window.__pwned;") == "undefined"
    assert js(browser, "return document.querySelectorAll('img').length + document.scripts.length;") == 1
    injected = factory.injection_summary().article.id
    text = js(browser, f"return {section_of(injected)}.querySelector('.text').innerText;")
    assert "<script>window.__pwned=1</script>" in text and '<img src=x onerror="window.__pwned=1">' in text
    assert "Court hears <b>bold</b> claims" in js(browser, f"return {section_of(injected)}.querySelector('h2').textContent;")

    # Every highlight links to a row that exists; every evidence link to a highlight anchor that exists.
    dangling = js(browser, """
        var bad = [];
        document.querySelectorAll('mark[data-items] a').forEach(function (a) {
          if (!document.getElementById(a.getAttribute('href').slice(1))) { bad.push(a.getAttribute('href')); } });
        document.querySelectorAll('a.ev, a.qlink').forEach(function (a) {
          if (!document.getElementById(a.getAttribute('href').slice(1))) { bad.push(a.getAttribute('href')); } });
        return [document.querySelectorAll('mark[data-items]').length, bad];""")
    assert dangling[0] >= 10 and dangling[1] == []

    # Click a highlight: its row becomes the target, visible.
    harbor = factory.harbor_summary().article.id
    href = js(browser, f"var a = {section_of(harbor)}.querySelector('mark.k-incident a'); a.click(); return a.getAttribute('href');")
    assert wait_for(browser, f"return location.hash === {json.dumps(href)};")
    row = js(browser, "var row = document.querySelector(':target'); "
                      "return row && [row.tagName, row.dataset.type, row.offsetParent !== null];")
    assert row == ["TR", "detention", True]

    # Click a row's evidence link: every piece of that passage is marked.
    js(browser, f"{section_of(harbor)}.querySelector('tr[data-stance] a.ev').click(); return 0;")
    assert wait_for(browser, "return document.querySelectorAll('mark.focus').length > 0;")

    # Filter out detentions: their rows hide and their highlights fade, the text stays.
    detentions = "document.querySelectorAll('tr[data-type=\"detention\"]')"
    assert js(browser, f"return {detentions}.length;") == 4
    js(browser, "document.querySelector('input[data-filter=\"type\"][value=\"detention\"]').click(); return 0;")
    assert js(browser, f"return Array.from({detentions}).every(function (r) {{ return r.offsetParent === null; }});")
    faded = js(browser, f"""
        var marks = Array.from({section_of(harbor)}.querySelectorAll('mark.k-incident'));
        return [marks.length, marks.filter(function (m) {{ return m.classList.contains('off'); }}).length];""")
    assert faded[0] > 0 and faded[0] == faded[1]
    assert "Police detained 42 fishermen" in js(browser, f"return {section_of(harbor)}.querySelector('.text').innerText;")
    assert js(browser, "return document.querySelector('tr[data-type=\"arrest\"]').offsetParent !== null;")

    # Stance filter hides position rows of that stance only.
    js(browser, "document.querySelector('input[data-filter=\"stance\"][value=\"opposes\"]').click(); return 0;")
    visible = js(browser, "return Array.from(document.querySelectorAll('tr[data-stance]'))"
                          ".filter(function (r) { return r.offsetParent !== null; }).map(function (r) { return r.dataset.stance; });")
    assert visible and set(visible) == {"supports"}

    # Decision filter: the approved article disappears; the badge says who approved it.
    coastal = factory.coastal_summary().article.id
    assert "approved by ana" in js(browser, f"return {section_of(coastal)}.querySelector('.badge').textContent;")
    js(browser, "document.querySelector('input[data-filter=\"decision\"][value=\"approved\"]').click(); return 0;")
    assert js(browser, f"return {section_of(coastal)}.offsetParent === null;")

    # Restore all filters for a screenshot a person can judge.
    js(browser, "document.querySelectorAll('input[data-filter]').forEach(function (b) { if (!b.checked) { b.click(); } }); "
                "window.scrollTo(0, 0); return 0;")
    assert js(browser, "return typeof window.__pwned;") == "undefined"
    shot = browser.screenshot(tmp_path / "report.png")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
