"""Tests for summarizer.ingest: every fixture here is text written for the tests."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from summarizer import ingest
from summarizer.errors import InputError
from summarizer.ingest import IngestedArticle, ingest_bytes, ingest_text, read_article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

ENGLISH = (
    "Town Council Approves New Footbridge\n\n"
    "The town council approved plans for a new footbridge over the river on Monday, "
    "ending a debate that had lasted almost two years.\n\n"
    "The bridge will link the railway station with the old market square and should open next spring, "
    "the council's planning officer said.\n"
)
KOREAN = (
    "서울 도심에 새 공공도서관이 문을 열었다.\n\n"
    "시는 월요일 시민 누구나 무료로 책을 빌릴 수 있다고 밝혔다. "
    "도서관은 밤 열 시까지 운영되며 주말에도 문을 연다고 덧붙였다.\n"
)
SPANISH = (
    "El ayuntamiento aprobó el lunes la construcción de un nuevo puente peatonal sobre el río, "
    "después de casi dos años de debate entre los vecinos.\n\n"
    "Según el concejal de urbanismo, la obra comenzará en otoño y estará terminada la próxima primavera.\n"
)


# --- decoding -------------------------------------------------------------


def test_utf8_text_is_read_as_is():
    article = ingest_bytes(ENGLISH.encode("utf-8"), source="bridge.txt")
    assert article.text.startswith("Town Council Approves New Footbridge\n\nThe town council")
    assert article.source == "bridge.txt"
    assert article.warnings == ()


def test_utf8_bom_is_stripped():
    article = ingest_bytes(b"\xef\xbb\xbf" + ENGLISH.encode("utf-8"))
    assert article.text.startswith("Town Council")
    assert "\ufeff" not in article.text


def test_latin1_is_detected_and_reported():
    text = (
        "Le café de la rue Saint-Honoré a rouvert ses portes après trois mois de travaux, "
        "a déclaré la propriétaire à la presse locale.\n"
    )
    article = ingest_bytes(text.encode("latin-1"), source="cafe.txt")
    assert "café" in article.text and "Honoré" in article.text and "après" in article.text
    assert any(re.search(r"decoded as (cp1252|latin-1|iso-8859-1)", w) for w in article.warnings)


def test_cp1252_curly_quotes_are_kept():
    data = b"\x93We lost the bakery,\x94 said the owner, who has worked there since 1990 \x96 longer than anyone."
    article = ingest_bytes(data)
    assert article.text == "\u201cWe lost the bakery,\u201d said the owner, who has worked there since 1990 \u2013 longer than anyone."
    assert any("cp1252" in w for w in article.warnings)


def test_cp949_korean_is_detected():
    article = ingest_bytes(KOREAN.encode("cp949"), source="library.txt")
    assert article.text.startswith("서울 도심에 새 공공도서관이 문을 열었다.")
    assert article.language == "ko"
    assert any(re.search(r"decoded as (cp949|euc[-_]kr)", w) for w in article.warnings)


# --- input that is not an article ----------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \n\t \r\n  "])
def test_empty_or_blank_input_is_refused(data):
    with pytest.raises(InputError, match="no text"):
        ingest_bytes(data, source="blank.txt")


def test_nbsp_only_text_is_refused():
    with pytest.raises(InputError, match="no text"):
        ingest_text("\u00a0 \u00a0\n")


def test_png_is_refused_by_name():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
    with pytest.raises(InputError) as info:
        ingest_bytes(png, source="photo.png")
    assert "photo.png" in str(info.value) and "PNG image" in str(info.value)


def test_pdf_is_refused_by_name():
    with pytest.raises(InputError) as info:
        ingest_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", source="article.pdf")
    message = str(info.value)
    assert message.startswith("article.pdf: this is a PDF") and "convert it to text or HTML" in message


def test_nul_bytes_mean_binary():
    with pytest.raises(InputError, match="binary"):
        ingest_bytes(b"some words\x00\x01\x02 more words", source="blob.bin")


def test_zip_is_refused():
    with pytest.raises(InputError, match="ZIP archive"):
        ingest_bytes(b"PK\x03\x04\x14\x00\x06\x00", source="story.docx")


def test_boilerplate_only_is_refused():
    with pytest.raises(InputError, match="no article text"):
        ingest_text("Like Us on Facebook\n\nAdvertisement\n\nShare this article\n")


def test_unknown_format_is_refused():
    with pytest.raises(InputError, match="unknown format"):
        ingest_text(ENGLISH, fmt="pdf")


# --- normalisation ----------------------------------------------------------


def test_normalisation():
    raw = "Head Line Here\r\n\r\n\r\n\r\nFirst   para\u00a0with nbsp.   \r\nCafe\u0301 is NFC.\n\n\n\nLast."
    text = ingest_text(raw).text
    assert "\r" not in text and "\u00a0" not in text
    assert "Café" in text  # composed, one code point
    assert "\n\n\n" not in text
    assert not any(line != line.rstrip() for line in text.split("\n"))
    assert text == "Head Line Here\n\nFirst   para with nbsp.\n\nCafé is NFC.\n\nLast."


def test_curly_quotes_are_kept():
    text = ingest_text("He said \u201cyes\u201d and \u2018maybe\u2019 on the same day, officials noted.").text
    assert "\u201cyes\u201d" in text and "\u2018maybe\u2019" in text


def test_hard_wrapped_text_keeps_its_lines():
    wrapped = (
        "The harbour authority said on Tuesday that the old lighthouse on\n"
        "the north pier would be repaired over the winter, and that the\n"
        "work would cost about half a million euros in total, most of it\n"
        "paid by the regional government.\n\n"
        "A second paragraph follows here."
    )
    text = ingest_text(wrapped).text
    assert "lighthouse on\nthe north pier" in text


# --- HTML -------------------------------------------------------------------


def test_html_page_main_text_and_metadata():
    article = read_article(str(FIXTURES / "page.html"))
    assert "SHOULD_NOT_APPEAR" not in article.text
    assert "font-family" not in article.text and "trackerPixel" not in article.text
    assert "Advertisement" not in article.text
    assert "All rights reserved" not in article.text
    assert "converted car ferry" in article.text
    assert "\u201cBooks should travel to where the readers are,\u201d" in article.text
    assert "Volunteers from the villages" in article.text
    assert "\n\n" in article.text  # paragraphs kept apart
    assert article.title == "Ferry Library Docks in Wexmoor"
    assert article.outlet == "Coastline Gazette"
    assert article.published == dt.date(2021, 3, 4)
    assert article.url == "https://coastline-gazette.example/2021/03/ferry-library"
    assert article.language == "en"


def test_html_is_sniffed_from_content():
    data = (FIXTURES / "page.html").read_bytes()
    article = ingest_bytes(data, source=None)
    assert "<p>" not in article.text and "converted car ferry" in article.text


def test_html_falls_back_to_plain_text(monkeypatch):
    monkeypatch.setattr(ingest, "_trafilatura_extract", lambda page: None)
    article = read_article(str(FIXTURES / "page.html"))
    assert "converted car ferry" in article.text
    assert "SHOULD_NOT_APPEAR" not in article.text
    assert "Advertisement" not in article.text
    assert any("plain text" in w for w in article.warnings)


def test_html_without_text_is_refused():
    page = "<html><head><title>x</title><script>var a = 1;</script></head><body><nav>Menu</nav></body></html>"
    with pytest.raises(InputError):
        ingest_text(page, source="empty.html", fmt="html")


# --- Markdown -----------------------------------------------------------------


def test_markdown_front_matter():
    article = read_article(str(FIXTURES / "front_matter.md"))
    assert article.title == "Rare snowy owl spotted over city marshes"
    assert article.published == dt.date(2020, 9, 25)
    assert article.url == "https://news.example.org/owl-sighting"
    assert article.outlet == "Marsh Valley Courier"
    text = article.text
    assert "extends:" not in text and "description" not in text
    assert text.startswith("Rare snowy owl spotted over city marshes\n\nA snowy owl was seen")
    assert "![" not in text and "](" not in text and "#" not in text
    assert "according to the city bird club." in text
    assert "the first photograph of it" in text
    assert "Scroll down for video" not in text
    assert article.warnings == ()


def test_markdown_censored_words_are_not_taken_for_bold():
    body = "---\ntitle: A row\n---\nHe called the plan 'f***ing daft' and the man an 'a******' in public, witnesses said.\n"
    assert "'f***ing daft'" in ingest_text(body, fmt="md").text


def test_broken_front_matter_is_a_warning():
    article = read_article(str(FIXTURES / "broken_front_matter.md"))
    assert article.title == "Night market returns after three years"
    assert article.published == dt.date(2022, 5, 14)
    assert article.text.startswith("The night market on River Street")
    assert any("front matter" in w for w in article.warnings)


# --- boilerplate and metadata from plain text --------------------------------


def test_boilerplate_lines_removed_story_kept():
    article = read_article(str(FIXTURES / "boilerplate.txt"))
    text = article.text
    for gone in ("HARBOR DAILY", "03:14:01", "Make HD Your Homepage", "(Photo :", "Like Us on Facebook",
                 "Share this article", "Click here to read", "ADVERTISEMENT", "©", "Real Time Analytics"):
        assert gone not in text, gone
    for kept in ("Dockworkers End Strike After Pay Deal",
                 "Dockworkers at the port of Ostrava Bay returned to work",
                 '"Click here" was the message on every phone in the yard',
                 "Photos taken from the breakwater showed the first ship"):
        assert kept in text, kept
    assert text.startswith("Dockworkers End Strike After Pay Deal\n\nDockworkers at the port")
    assert article.title == "Dockworkers End Strike After Pay Deal"
    assert article.outlet == "Harbor Daily"  # from the banner, title-cased
    assert article.published == dt.date(2024, 5, 5)  # from the timestamp line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("05/05/2024 03:14:01 am", dt.date(2024, 5, 5)),
        ("Published: 14:02 BST, 25 September 2020 | Updated: 16:40 BST, 25 September 2020", dt.date(2020, 9, 25)),
        ("September 25, 2020", dt.date(2020, 9, 25)),
        ("2017-07-21", dt.date(2017, 7, 21)),
        ("Posted February. 15, 2012 23:55,", dt.date(2012, 2, 15)),
        ("Update: 2023-12-08 09:30 GMT", dt.date(2023, 12, 8)),
    ],
)
def test_published_from_timestamp_line(line, expected):
    article = ingest_text(f"Lighthouse Reopens to Visitors\n\n{line}\n\n{ENGLISH}")
    assert article.published == expected
    assert line not in article.text  # the timestamp-only line is gone
    assert article.text.startswith("Lighthouse Reopens to Visitors\n\nTown Council")


def test_date_deep_in_the_story_is_not_the_publication_date():
    filler = "\n\n".join(f"Paragraph {n} of the story says something ordinary about the bridge." for n in range(20))
    article = ingest_text(f"{ENGLISH}\n\n{filler}\n\nSeptember 25, 2020\n")
    assert article.published is None
    assert "September 25, 2020" in article.text  # not near the top: not touched


def test_sentence_with_a_date_is_not_a_timestamp():
    line = "On September 25, 2020 the council voted to close the bridge."
    article = ingest_text(f"{line}\n\nMore text follows in a second paragraph about the vote.")
    assert line in article.text


def test_given_metadata_wins():
    article = ingest_text(
        f"HARBOR DAILY\n\n05/05/2024 03:14:01 am\n\n{ENGLISH}",
        title="Given Title",
        published="2019-01-02",
        outlet="Given Outlet",
        url="https://example.org/a",
    )
    assert (article.title, article.outlet, article.published, article.url) == (
        "Given Title", "Given Outlet", dt.date(2019, 1, 2), "https://example.org/a")


def test_byline_outlet_and_agency_dateline():
    byline = ingest_text(f"Footbridge Plan Approved\n\nBy Ana Ruiz | Riverside Post | March 3, 2021\n\n{ENGLISH}")
    assert byline.outlet == "Riverside Post"
    assert byline.published == dt.date(2021, 3, 3)
    assert "By Ana Ruiz" in byline.text  # a byline is kept
    agency = ingest_text("SEOUL, March 3 (Yonhap) -- The city opened a new library on Monday, officials said.\n\nMore.")
    assert agency.outlet == "Yonhap"


def test_banner_below_a_skip_link_is_still_the_outlet():
    article = ingest_text(f"Skip to content\n\nTHE RIVERSIDE POST\n\n{ENGLISH}")
    assert article.outlet == "The Riverside Post"
    assert article.text.startswith("Town Council Approves New Footbridge")


def test_section_kicker_is_not_an_outlet():
    article = ingest_text(f"EXCLUSIVE\n\n{ENGLISH}")
    assert article.outlet is None
    assert article.text.startswith("EXCLUSIVE")


def test_no_outlet_or_date_when_the_text_does_not_say():
    article = ingest_text(ENGLISH)
    assert article.outlet is None and article.published is None
    assert article.title == "Town Council Approves New Footbridge"


def test_title_is_none_when_first_line_is_a_sentence():
    assert ingest_text("The mayor spoke on Monday.\n\nShe said more on Tuesday.").title is None


def test_line_in_another_script_is_dropped():
    article = ingest_text(f"{ENGLISH}\n欢迎访问我们的网站\n\n{ENGLISH}")
    assert "欢迎" not in article.text
    assert any("script" in w for w in article.warnings)


def test_mixed_script_sentence_is_kept():
    line = "The leader Kim Jong Un (김정은) visited the site on Monday, state media said."
    article = ingest_text(f"{ENGLISH}\n{line}\n\n{ENGLISH}")
    assert line in article.text


def test_related_links_block_at_the_end_is_dropped():
    article = ingest_text(f"{ENGLISH}\nTags:\n\nSimilar News\n\nOld Mill Burns Down\n\nCouncil Elections Called\n")
    assert article.text.rstrip().endswith("the council's planning officer said.")


def test_lettered_clause_is_not_a_copyright_line():
    clause = "(c) the right to appeal within thirty days, the ruling said."
    assert clause in ingest_text(f"{ENGLISH}\n{clause}\n").text


def test_signed_captions_and_teasers_are_dropped():
    text = (
        "- Lakeside Times\n"
        "Storm Floods Lakeside Harbour\n\n"
        "A crane lifts a sunken boat from the harbour on Sunday - Lakeside Times\n"
        "Water rose by almost two metres overnight, flooding the harbour and the streets around it, the fire service said.\n\n"
        "Volunteers stack sandbags outside the town hall - Lakeside Times\n"
        "Airport Stays Closed for a Second Day\n\n"
        "Residents were told to stay away from the waterfront until Tuesday.\n"
    )
    article = ingest_text(text)
    assert article.outlet == "Lakeside Times"
    assert "- Lakeside Times" not in article.text
    assert "Airport Stays Closed" not in article.text  # teaser of another story
    assert "Water rose by almost two metres overnight" in article.text  # story under a caption stays
    assert article.text.startswith("Storm Floods Lakeside Harbour\n\nWater rose")
    assert article.text.endswith("Residents were told to stay away from the waterfront until Tuesday.")


def test_repeated_headline_kept_once():
    article = ingest_text(f"Go to contents\n\nNew Footbridge Approved\n\nNew Footbridge Approved\n\n{ENGLISH}")
    assert article.text.count("New Footbridge Approved") == 1
    assert article.title == "New Footbridge Approved"


def test_read_more_link_does_not_swallow_a_subheading():
    text = f"{ENGLISH}\nRead more: Council budget approved\n\nWhat Happens Next\n\nBuilders start in May, she said.\n"
    article = ingest_text(text)
    assert "Read more" not in article.text
    assert "What Happens Next" in article.text


STORY_LINES = [
    "The council met on Monday to discuss the budget for next year.",
    "\u201cWe cannot keep raising fees,\u201d the treasurer said after the vote.",
    "Photos taken from the tower showed the flooded fields below.",
    "Comments from residents were mostly positive, the clerk said.",
    "Share prices of the ferry company rose by 4 percent on the news.",
    "Click-through rates for the online survey were low, officials admitted.",
    "A 3-year-old boy was among those rescued, police said.",
]
BOILERPLATE = ["Like Us on Facebook", "Advertisement", "Share this article", "Real Time Analytics",
               "(Photo : Staff) A boat at dawn.", "© 2020 Some Paper", "Click here to subscribe", "Tags: town"]


def test_random_mixes_only_lose_boilerplate():
    import random

    rng = random.Random(20240505)
    for _ in range(200):
        lines = rng.sample(STORY_LINES, rng.randint(1, len(STORY_LINES)))
        lines += rng.sample(BOILERPLATE, rng.randint(0, 4))
        rng.shuffle(lines)
        raw = "\n\n".join(lines)
        text = ingest_text(raw, fmt="txt").text
        kept = text.split("\n\n")
        assert all(line in lines for line in kept)  # whole lines only, nothing rewritten
        assert all(line in kept for line in lines if line in STORY_LINES)  # no story line lost
        assert not any(line in kept for line in lines if line in BOILERPLATE)


def test_only_whole_lines_are_removed():
    article = read_article(str(FIXTURES / "boilerplate.txt"))
    source_lines = set((FIXTURES / "boilerplate.txt").read_text(encoding="utf-8").split("\n"))
    assert all(line in source_lines for line in article.text.split("\n") if line)


# --- stdin, id, language --------------------------------------------------------


def test_read_article_from_stdin(monkeypatch):
    fake_stdin = type("FakeStdin", (), {"buffer": io.BytesIO(ENGLISH.encode("utf-8"))})()
    monkeypatch.setattr("sys.stdin", fake_stdin)
    article = read_article("-")
    assert article.source is None
    assert article.title == "Town Council Approves New Footbridge"


def test_empty_stdin_names_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", type("FakeStdin", (), {"buffer": io.BytesIO(b"")})())
    with pytest.raises(InputError, match=r"^<stdin>: no text"):
        read_article("-")


def test_utf16_with_bom_is_decoded():
    article = ingest_bytes(ENGLISH.encode("utf-16"))
    assert article.text.startswith("Town Council Approves New Footbridge")
    assert any("utf-16" in w for w in article.warnings)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_article(str(tmp_path / "nope.txt"))


def test_id_is_stable_sha256_prefix():
    first = ingest_text(ENGLISH)
    second = ingest_bytes(ENGLISH.encode("utf-8"))
    assert re.fullmatch(r"[0-9a-f]{16}", first.id)
    assert first.id == second.id
    assert first.id != ingest_text(SPANISH).id
    manual = IngestedArticle(text="abc", source=None, title=None, outlet=None, published=None, language=None)
    assert manual.id == "ba7816bf8f01cfea"  # sha256("abc")


@pytest.mark.parametrize(("text", "code"), [(ENGLISH, "en"), (KOREAN, "ko"), (SPANISH, "es")])
def test_language_detection(text, code):
    assert ingest_text(text).language == code


def test_language_none_when_too_short():
    assert ingest_text("OK").language is None


def test_article_is_frozen():
    article = ingest_text(ENGLISH)
    with pytest.raises(AttributeError):
        article.text = "changed"  # type: ignore[misc]


def test_english_is_told_without_loading_the_language_identifier(monkeypatch):
    from summarizer import ingest

    def never(sample):
        raise AssertionError("the language identifier was loaded for an English article")

    monkeypatch.setattr(ingest, "_classify_language", never)
    text = ("Chinese police detained nine North Korean defectors in Yanji on Tuesday, according to an aid group "
            "that has helped them for years. The group said the nine had been hiding in a flat for two months "
            "and were taken to a detention centre, where they are waiting to be sent back to the North.")
    assert ingest.ingest_text(text, source="t").language == "en"


@pytest.mark.parametrize(("text", "code"), [
    ("El gobierno chino devolvió a cincuenta desertores norcoreanos a su país la semana pasada, según "
     "informaron activistas en Seúl, que pidieron a Pekín que respete la convención sobre refugiados.", "es"),
    ("중국 당국이 지난주 탈북민 오십 명을 강제로 북송했다고 서울의 인권단체가 밝혔다. 단체는 중국 정부에 난민 협약을 지키라고 촉구했다.", "ko"),
])
def test_other_languages_still_go_to_the_identifier(text, code):
    from summarizer import ingest

    assert not ingest._clearly_english(text)
    assert ingest.ingest_text(text, source="t").language == code


@pytest.mark.parametrize(("top", "published"), [
    ("October 20, 2026 11:05 AM GMT+9  Last updated 2 hours ago", "2026-10-20"),
    ("3 August 2026 - 1 min read", "2026-08-03"),
    ("November 3, 2023 | 2:22 PM GMT+9 | Updated 41 minutes ago", "2023-11-03"),
    ("March 13, 2025 7:42 AM GMT+9 Updated 3 hours ago", "2025-03-13"),   # no separator before the label
])
def test_timestamp_lines_with_page_furniture_give_the_publication_date(top, published):
    from summarizer.ingest import ingest_text

    text = (f"WIRE SERVICE\nWorld | Asia | Business | Tech\n\n{top}\n\nHeadline about a detention in Yanji\n\n"
            "Chinese police detained nine North Koreans in Yanji on Tuesday, an aid group said. The group said "
            "the nine had been hiding for weeks and would be sent back to the North unless Beijing relented.\n")
    article = ingest_text(text, source="t")
    assert str(article.published) == published
    assert article.title == "Headline about a detention in Yanji"
    assert "World | Asia" not in article.text and top not in article.text


@pytest.mark.parametrize("line", [
    "World | Asia | Business | Tech | Video",
    "Home / Korea / Human rights",
    "National > Courts",
    "Share on Twitter   Share on Facebook   Email   Print",
    "Share: X | Facebook | WhatsApp | Email",
    "BREAKING NEWS ALERTS - sign up free",
    "LIVE: Subscribe for breaking alerts from across the region",
    "Updated 3 hours ago - 2 min read",
])
def test_menus_toolbars_and_prompts_are_boilerplate(line):
    from summarizer.ingest import _boilerplate_reason

    assert _boilerplate_reason(line)


@pytest.mark.parametrize("line", [
    "Police in Seoul / Busan say the case is closed.",
    "The group said 24/7 monitoring had stopped.",
    "Share prices fell as the talks stalled, traders said.",
])
def test_story_lines_with_separators_are_kept(line):
    from summarizer.ingest import _boilerplate_reason

    assert _boilerplate_reason(line) is None


def test_account_buttons_reading_time_and_a_masthead_are_not_the_story():
    from summarizer.ingest import ingest_text

    text = ("The Hangang Herald\n\nSubscribe   Sign in\n\n[Editorial] Headline about handovers at Tumen\n\n"
            "· 5 min read\n\nChina sent back nine North Koreans at Tumen last week, an aid group said. The group "
            "said the nine had been held for a month before the handover.\n")
    article = ingest_text(text, source="t")
    assert (article.outlet, article.title) == ("The Hangang Herald", "[Editorial] Headline about handovers at Tumen")
    assert article.text.startswith("[Editorial] Headline") and "min read" not in article.text
