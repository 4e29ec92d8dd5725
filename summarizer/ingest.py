"""Ingest: article bytes (file, stdin) or text → cleaned text plus metadata.

Every offset the rest of the tool produces points into ``IngestedArticle.text``,
so this module is the only place that changes the text. It does so in a fixed
order, and only before the text is final:

1. reject what is not text (PDF, images, archives, NUL bytes, empty input);
2. decode (UTF-8, else a detected legacy encoding, named in ``warnings``);
3. normalise (NFC, ``\\n`` line ends, no non-breaking or trailing spaces);
4. take the body out of its container (HTML via trafilatura, Markdown front
   matter and markup) and read the container's metadata;
5. drop whole lines that are page furniture (banners, share prompts, photo
   credits, timestamps...), reading outlet and date from them first;
6. lay out paragraphs separated by one blank line.

Title, outlet and date found in the text never change it: a headline stays in
``text`` as its first line unless it was a boilerplate line.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import hashlib
import re
import sys
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from summarizer.errors import InputError

FORMATS = ("txt", "md", "html")

# ---------------------------------------------------------------------------
# Data: what we recognise. Kept here, readable, so a reviewer can see (and
# extend) exactly what may be removed from an article.
# ---------------------------------------------------------------------------

# Files people hand over by mistake. Checked before decoding so the message
# can say what the file is instead of a vague "cannot decode".
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .epub or .zip file?)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\xd0\xcf\x11\xe0", "an old-style Microsoft Office document"),
    (b"\x7fELF", "a program (ELF binary)"),
)

# Whole lines that are page furniture, not story. Each pattern must match the
# entire stripped line (case-insensitive), so a story sentence that merely
# mentions "Facebook" or "photo" is never touched. Grouped by why they exist.
_SHARE_ITEM = r"((share|post) (on|via|to) [\w-]+|share|e-?mail|print|save|tweet|copy link|comments?)"
_ACCOUNT_ITEM = r"(subscribe|sign ?in|log ?in|log ?out|register|sign ?up|my account|e-?paper|donate|get the app)"
_BOILERPLATE_SOURCES: tuple[tuple[str, str], ...] = (
    # social prompts and share toolbars
    (r"(like|follow|find|join) us (on|at) (facebook|twitter|x|instagram|linkedin|youtube|telegram|whatsapp"
     r"|tiktok|threads|google news)\b.{0,40}", "social prompt"),
    (r"share (this|the) (article|story|page|post)\b.{0,40}", "share prompt"),
    (r"share( this| on| via)?\s*:\s*[\w.]+( ?[|·•,/] ?[\w.]+)*", "share toolbar"),  # "Share: X | Facebook | Email"
    (r"(share|tweet|e-?mail|print|save|whatsapp|facebook|twitter|linkedin|reddit|pinterest|telegram)",
     "toolbar button"),
    (r"(share|post) (on|via|to) (facebook|twitter|x|whatsapp|linkedin|reddit|e-?mail)\b.{0,20}", "share prompt"),
    # "Share on Twitter   Share on Facebook   Email   Print"
    (rf"{_SHARE_ITEM}(\s*[|·•]?\s*{_SHARE_ITEM})+", "share toolbar"),
    (r"(subscribe|sign up)( now| today| here)?( to| for)? (our|the|free)\b.{0,60}"
     r"(newsletters?|updates|alerts|channel|podcast|briefing|e-?mails?)\b.{0,30}", "subscription prompt"),
    (r"make \w+( \w+)? your (home ?page|start page)", "site prompt"),
    # "Subscribe   Sign in", "Log in | Register": account buttons
    (rf"{_ACCOUNT_ITEM}(\s*[|·•/]?\s*{_ACCOUNT_ITEM})*", "account buttons"),
    # analytics, ads, navigation
    (r"real[- ]time analytics", "analytics widget"),
    (r"advertisement|advertising|sponsored( content)?|promoted( content)?", "ad slot"),
    (r"(go|skip|jump) to (the )?(main )?(content|contents|navigation|menu|search)", "navigation"),
    (r"back to (the )?(top|home ?page|home)", "navigation"),
    (r"(home|menu|search|close|next|previous|top|more)", "navigation"),
    # "World | Asia | Business", "Home / Korea / Human rights": short items between separators
    (r"[\w&'’.-]+( [\w&'’.-]+){0,2}(\s*[|/›»>]\s*[\w&'’.-]+( [\w&'’.-]+){0,2}){2,}", "navigation menu"),
    (r"[\w&'’.-]+( [\w&'’.-]+){0,2}(\s*[›»>]\s*[\w&'’.-]+( [\w&'’.-]+){0,2})+", "breadcrumb"),  # "National > Courts"
    (r"(live\s*:\s*)?(subscribe|sign up)\b.{0,60}\b(alerts|newsletters?|updates)\b.{0,40}", "subscription prompt"),
    (r"(breaking )?(news )?alerts?\s*[-–—:|]\s*(sign up|subscribe)\b.{0,20}", "subscription prompt"),
    (r"(find|get|read) (the )?(top|latest|breaking) (stories|news|headlines)\b.{0,400}", "site tagline"),
    # links to other stories
    (r"read (more|also|next)\s*[:»›>…]*", "related-links header"),
    (r"read (more|also|next)\s*:.{0,200}", "link to another story"),
    (r"(related|recommended|similar|more|latest|popular|trending|top)"
     r" (articles?|stories|news|content|links|topics|videos|reads?)\s*:?", "related-links header"),
    (r"(you (may|might) also like|also read|see also|most read|most popular|editor'?s picks)\s*:?",
     "related-links header"),
    (r"related\s*:?", "related-links header"),
    (r"(please )?click here\b.{0,150}", "click prompt"),
    (r"scroll down for (the )?videos?\b.{0,20}", "video prompt"),
    (r"tags?\s*:.{0,200}", "tag list"),
    # comments
    (r"(\d+ |no )?comments?( \(\d+\))?( yet)?", "comment counter"),
    (r"(leave|post|add|write|view|show|read|see|load)( a| your| all| the| more)? comments?\b.{0,40}",
     "comment prompt"),
    (r"(join|start) the (conversation|discussion|debate)\b.{0,40}", "comment prompt"),
    (r"to (participate|take part) in the discussion\b.{0,40}", "comment prompt"),
    (r"(log ?in|sign ?in) (or|to) (register|sign up|comment)\b.{0,40}", "login prompt"),
    # photo credits and captions stubs
    (r"\((photo|photos|image|picture|pic|video|graphic)\s*:.{0,500}", "photo credit and caption"),
    (r"(photo|photos|image|picture|pic|graphic)s?( credits?)?\s*:.{0,150}", "photo credit"),
    (r"(representative|file|stock|illustrative) (image|photo|picture)", "photo placeholder"),
    # rights notices
    # ("(c)" alone is left alone: it also numbers clauses of a quoted law)
    (r"(©|ⓒ).{0,300}", "copyright / photo credit"),
    (r"copyright\s*(©|ⓒ|\(c\))?\s*(\d{4}|by\b).{0,120}", "copyright notice"),
    (r".{0,120}\ball rights reserved\b.{0,40}", "rights notice"),
    # relative timestamps carry no usable date
    (r"(posted|updated|published)\s*:?\s*\d+ (seconds?|minutes?|mins?|hours?|hrs?|days?) ago", "relative timestamp"),
    (r"[·•|-]?\s*\d+\s*-?\s*min(ute)?s? read", "reading time"),
    (r"((last )?(posted|updated|published)\s*:?\s*)?\d+ (seconds?|minutes?|mins?|hours?|hrs?|days?) ago"
     r"(\s*[-–—|·•]\s*\d+\s*-?\s*min(ute)?s? read)?", "relative timestamp"),
)
BOILERPLATE_LINES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"{pattern}\s*[.!:]?", re.IGNORECASE), why) for pattern, why in _BOILERPLATE_SOURCES
)

# Headers after which a list of other stories' headlines follows.
RELATED_HEADERS = {"related-links header"}

# Words a line may hold and still be "only a timestamp" (English, a little
# Korean). Anything else on the line (a verb, a name) means it is a sentence.
_DATE_WORDS = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    am pm a m p t z st nd rd th gmt utc bst kst est edt cst cdt pst pdt cet cest jst hkt ist
    posted published updated update last first date time on at
    년 월 일 시 분 초 오전 오후 입력 수정 송고 기사입력 최종수정
    """.split()
)
_DATE_LABEL = re.compile(
    r"^(last |first )?(posted|published|updated?|date|입력|수정|송고|기사입력|최종수정)\s*(on|at)?\s*:?\s*",
    re.IGNORECASE,
)

# News agencies whose "(Yonhap) --" style dateline names the source.
AGENCIES = ("Yonhap", "AFP", "AP", "Reuters", "Xinhua", "KCNA", "UPI", "Kyodo", "dpa", "Bernama", "Anadolu")
_AGENCY_DATELINE = re.compile(rf"\(({'|'.join(AGENCIES)})\)\s*(--|—|–|-)")

# Publisher domains we can name when the metadata only gives a URL
# (e.g. the Daily Mail corpus front matter has just an image URL).
KNOWN_OUTLET_DOMAINS = {
    "dailymail.co.uk": "Daily Mail",
    "koreaherald.com": "Korea Herald",
    "koreatimes.co.kr": "Korea Times",
    "chinatopix.com": "China Topix",
    "donga.com": "The Dong-A Ilbo",
    "yna.co.kr": "Yonhap",
    "sputniknews.com": "Sputnik International",
    "reuters.com": "Reuters",
    "nknews.org": "NK News",
    "scmp.com": "South China Morning Post",
}

# All-caps words at the top that are section kickers, not an outlet's name.
KICKERS = frozenset({"BREAKING", "BREAKING NEWS", "EXCLUSIVE", "EDITORIAL", "OPINION", "ANALYSIS", "NEWS",
                     "WORLD", "UPDATE", "UPDATED", "LIVE", "WATCH", "VIDEO", "PICTURED", "COMMENT", "FEATURE"})

# Small words kept lower-case when an all-caps banner is title-cased.
_TITLE_SMALL_WORDS = {"THE", "OF", "AND", "FOR", "ON", "IN", "AT", "TO", "A"}

_PARAGRAPH_END = tuple(".!?\"'”’)…:")
_MAX_TOP_LINES = 15  # a date, byline or dateline is only trusted near the top


# ---------------------------------------------------------------------------
# Public interface
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestedArticle:
    text: str
    source: str | None
    title: str | None
    outlet: str | None
    published: dt.date | None
    language: str | None
    url: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


@dataclass
class _Meta:
    """Metadata found in (or given with) the container, before the text's own."""

    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None


def read_article(path: str) -> IngestedArticle:
    """Read a file (or stdin for ``"-"``) and ingest it."""
    if path == "-":
        return _ingest_bytes(sys.stdin.buffer.read(), None, None, name="<stdin>")
    with reading_errors(path):
        with open(path, "rb") as handle:
            data = handle.read()
    return _ingest_bytes(data, path, _format_from_extension(path), name=path)


@contextlib.contextmanager
def reading_errors(name: str, missing: str = "no such file"):
    """A file that cannot be read becomes one InputError line naming it and why."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"{name}: {missing}") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, not an article file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None


def ingest_bytes(data: bytes, source: str | None = None, fmt: str | None = None) -> IngestedArticle:
    """Decode raw bytes and ingest them; ``fmt=None`` sniffs the format."""
    return _ingest_bytes(data, source, fmt, name=source or "<input>")


def ingest_text(
    text: str,
    source: str | None = None,
    fmt: str | None = None,
    *,
    title: str | None = None,
    published: dt.date | dt.datetime | str | None = None,
    outlet: str | None = None,
    url: str | None = None,
) -> IngestedArticle:
    """Ingest already-decoded text; metadata given here wins over detected."""
    meta = _Meta(title=title, outlet=outlet, published=_parse_date(published), url=url)
    return _ingest_str(text, source, fmt, meta, name=source or "<input>")


def _ingest_bytes(data: bytes, source: str | None, fmt: str | None, name: str) -> IngestedArticle:
    _reject_non_text(data, name)
    text, warnings = _decode(data, name)
    article = _ingest_str(text, source, fmt, _Meta(), name)
    return replace(article, warnings=tuple(warnings) + article.warnings) if warnings else article


def _ingest_str(text: str, source: str | None, fmt: str | None, given: _Meta, name: str) -> IngestedArticle:
    text = _normalize(text)
    if not text.strip():
        raise InputError(f"{name}: no text (the input is empty or only whitespace)")
    fmt = _check_format(fmt, name) or _sniff_format(text)
    body, meta, warnings = _extract_body(text, fmt, name)
    cleaned = _clean(_normalize(body), meta, hard_wrap_ok=(fmt != "html"))
    if not cleaned.text.strip():
        raise InputError(f"{name}: no article text (only page boilerplate such as share prompts or credits)")
    language, lang_warnings = _detect_language(cleaned.text)
    return IngestedArticle(
        text=cleaned.text,
        source=source,
        title=_first(given.title, meta.title, _guess_title(cleaned.text)),
        outlet=_first(given.outlet, meta.outlet, cleaned.outlet),
        published=_first(given.published, meta.published, cleaned.published),
        language=language,
        url=_first(given.url, meta.url),
        warnings=tuple(warnings + cleaned.warnings + lang_warnings),
    )


# ---------------------------------------------------------------------------
# Bytes → str
# ---------------------------------------------------------------------------


def _reject_non_text(data: bytes, name: str) -> None:
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        raise InputError(f"{name}: this is a PDF, not an article text; convert it to text or HTML first")
    for magic, what in BINARY_SIGNATURES:
        if head.startswith(magic):
            raise InputError(f"{name}: this is {what}, not an article text; save the article as text or HTML")
    if not data.strip():
        raise InputError(f"{name}: no text (the input is empty or only whitespace)")
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: this is binary data (it contains NUL bytes), not an article text")


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """UTF-8 first (BOM stripped); otherwise the most plausible legacy codec."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, warnings = data.decode("utf-16", errors="replace"), ["decoded as utf-16 (byte-order mark)"]
    else:
        try:
            text, warnings = data.decode("utf-8-sig"), []
        except UnicodeDecodeError:
            declared = _declared_charset(data)
            encoding = declared or _detect_encoding(data, name)
            text = data.decode(encoding, errors="replace")
            how = "declared in the page" if declared else "detected"
            warnings = [f"decoded as {encoding} (not UTF-8; {how})"]
    _reject_garbage(text, name)
    return text, warnings


def _declared_charset(data: bytes) -> str | None:
    """An HTML page's own <meta charset>, if it names a codec that fits."""
    match = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", data[:4096], re.IGNORECASE)
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    # browsers read pages labelled latin-1 or ascii as cp1252 (WHATWG); so do we
    label = "cp1252" if label in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii") else label
    try:
        data.decode(label)
    except (LookupError, UnicodeDecodeError):
        return None
    return None if label.replace("-", "") == "utf8" else label


def _detect_encoding(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: this does not look like text in any known encoding")
    encoding = best.encoding
    # charset-normalizer is unsure between single-byte Western codecs on short
    # texts (it may say cp1250 or cp1125 for cp1252 curly quotes); for mostly
    # ASCII text cp1252 is by far the most common and decodes "nicely".
    if _is_single_byte(encoding) and _mostly_ascii(data):
        for western in ("cp1252", "latin-1"):
            if _decodes_nicely(data, western):
                return western
    return encoding


def _is_single_byte(encoding: str) -> bool:
    try:
        return len("é".encode(encoding, errors="ignore")) <= 1 and len("한".encode(encoding, errors="ignore")) == 0
    except LookupError:
        return False


def _mostly_ascii(data: bytes) -> bool:
    return sum(b < 0x80 for b in data) >= 0.9 * len(data)


def _decodes_nicely(data: bytes, encoding: str) -> bool:
    """Every non-ASCII char is a Latin letter or common punctuation/symbol."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return False
    odd = [c for c in text if ord(c) > 0x7F and unicodedata.category(c) in ("Cc", "Co", "Cn", "So")]
    return not odd


def _reject_garbage(text: str, name: str) -> None:
    if not text:
        return
    bad = sum(1 for c in text if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v"))
    if bad > 0.1 * len(text):
        raise InputError(f"{name}: this is mostly non-text (binary) data, not an article text")




# ---------------------------------------------------------------------------
# Normalisation and format
# ---------------------------------------------------------------------------

# Characters that look like spaces or line breaks but are not plain ones.
_SPACE_MAP = {
    **{ord(c): " " for c in "\u00a0\u202f\u2007\u2009\u200a\u3000"},
    **{ord(c): "\n" for c in "\u2028\u2029\x0b\x0c\x85"},
    **{ord(c): None for c in "\ufeff\u00ad"},  # BOM, soft hyphen: invisible
    **{c: None for c in range(32) if chr(c) not in "\t\n"},  # stray controls
}


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_SPACE_MAP)
    # strip per line: indentation and trailing blanks are layout, not words
    text = "\n".join(line.strip(" \t") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _format_from_extension(path: str) -> str | None:
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return {"html": "html", "htm": "html", "xhtml": "html", "md": "md", "markdown": "md"}.get(suffix)


def _check_format(fmt: str | None, name: str) -> str | None:
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"{name}: unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return fmt


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_MARKUP_TAG = re.compile(r"<(p|div|br|span|a|h[1-6]|li|ul|meta|script|style|article|section|body|head)\b[^>]*>", re.I)


def _sniff_format(text: str) -> str:
    head = text[:20000]
    if re.match(r"\s*(<\?xml[^>]*>\s*)?<(!doctype html|html)\b", head, re.IGNORECASE):
        return "html"
    if len(_MARKUP_TAG.findall(head)) >= 5:
        return "html"
    match = _FRONT_MATTER.match(text)
    if match and re.search(r"^\w[\w-]*\s*:", match.group(1), re.MULTILINE):
        return "md"
    return "txt"


# ---------------------------------------------------------------------------
# Container → body + metadata
# ---------------------------------------------------------------------------


def _extract_body(text: str, fmt: str, name: str) -> tuple[str, _Meta, list[str]]:
    if fmt == "html":
        return _from_html(text, name)
    if fmt == "md":
        return _from_markdown(text)
    return text, _Meta(), []


def _from_html(page: str, name: str) -> tuple[str, _Meta, list[str]]:
    page = re.sub(r"\A\s*<\?xml[^>]*\?>", "", page)  # lxml refuses str with an encoding declaration
    doc = _trafilatura_extract(page)
    meta = _html_meta(page, doc)
    body = (doc.text or "") if doc is not None else ""
    if body.strip():
        # trafilatura puts one paragraph per line; we separate them by blank lines
        return body.replace("\n", "\n\n"), meta, []
    body = _plain_html_text(page)
    if not body.strip():
        raise InputError(f"{name}: no article text found in this HTML page")
    return body, meta, ["HTML main-text extraction found nothing; used the page's plain text"]


def _trafilatura_extract(page: str):
    import trafilatura

    tree = _parse_html(page)
    if tree is None:
        return None
    # favor_recall can let menus through: take them out of the page first
    for element in list(tree.iter(*_NEVER_TEXT_TAGS)):
        element.drop_tree()
    for element in tree.xpath('//*[@role="navigation" or @aria-hidden="true"]'):
        element.drop_tree()
    return trafilatura.bare_extraction(
        tree,
        favor_recall=True,  # a missed paragraph costs more than a kept caption
        include_comments=False,
        include_tables=False,  # tables on news pages are mostly link lists
        include_links=False,
        include_images=False,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def _html_meta(page: str, doc) -> _Meta:
    """Metadata from trafilatura, completed from <title> and og:/article: meta."""
    tags = _meta_tags(page)
    sitename = getattr(doc, "sitename", None) or tags.get("og:site_name") or tags.get("application-name")
    title = getattr(doc, "title", None) or tags.get("og:title") or _strip_site(tags.get("<title>"), sitename)
    date_text = tags.get("article:published_time") or tags.get("datepublished") or getattr(doc, "date", None)
    url = getattr(doc, "url", None) or tags.get("og:url") or tags.get("canonical")
    outlet = sitename or _outlet_from_url(url)
    return _Meta(title=_clean_str(title), outlet=_clean_str(outlet), published=_parse_date(date_text), url=url)


def _meta_tags(page: str) -> dict[str, str]:
    """<meta property/name/itemprop=... content=...>, <title>, canonical link."""
    root = _parse_html(page)
    if root is None:
        return {}
    tags: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        if key and meta.get("content"):
            tags.setdefault(key.strip().lower(), meta.get("content").strip())
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        tags["<title>"] = title.text_content().strip()
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            tags["canonical"] = link.get("href")
    return tags


def _parse_html(page: str):
    import lxml.html

    try:
        return lxml.html.document_fromstring(page)
    except Exception:  # lxml raises several types on broken markup; callers degrade
        return None


def _strip_site(title: str | None, sitename: str | None) -> str | None:
    """'Headline | Site' → 'Headline' when the tail is the site's name."""
    if not title or not sitename:
        return title
    parts = re.split(r"\s+[|\-–—]\s+", title)
    return " - ".join(parts[:-1]) if len(parts) > 1 and parts[-1].strip() == sitename else title


# Elements whose text is never article text, on any page.
_NEVER_TEXT_TAGS = ("script", "style", "noscript", "nav", "template", "iframe", "svg", "button", "select")
# ...and, for the crude fallback that cannot tell a layout's parts apart, also these.
_NON_CONTENT_TAGS = _NEVER_TEXT_TAGS + ("header", "footer", "aside", "form", "figure")
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
               "section", "article", "tr", "pre", "dd", "dt", "td")


def _plain_html_text(page: str) -> str:
    """Fallback: the page's visible text, one block element per paragraph."""
    root = _parse_html(page)
    if root is None:
        return ""
    for element in list(root.iter(*_NON_CONTENT_TAGS)):
        element.drop_tree()
    body = root.find("body")
    target = body if body is not None else root
    for element in target.iter(*_BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in target.text_content().split("\n"))
    return "\n".join(lines)


def _from_markdown(text: str) -> tuple[str, _Meta, list[str]]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return _strip_markdown(text), _Meta(), []
    fields, warnings = _parse_front_matter(match.group(1))
    url = _first_str(fields, "url", "link", "canonical", "permalink")
    url = url if url and url.startswith("http") else None
    outlet = _first_str(fields, "outlet", "source", "publisher", "site_name", "sitename", "publication")
    outlet = outlet or _outlet_from_url(url) or _outlet_from_url(_first_str(fields, "image"))
    meta = _Meta(
        title=_clean_str(_first_str(fields, "title")),
        outlet=_clean_str(outlet),
        published=_parse_date(fields.get("date") or fields.get("published")),
        url=url,
    )
    return _strip_markdown(text[match.end():]), meta, warnings


def _parse_front_matter(block: str) -> tuple[dict, list[str]]:
    """YAML (safe); if it is broken, a plain 'key: value' reading plus a warning."""
    import yaml

    try:
        data = yaml.safe_load(block)
        if isinstance(data, dict):
            return data, []
        problem = "it is not a key: value mapping"
    except yaml.YAMLError as exc:
        problem = str(exc).split("\n")[0]
    fields = {}
    for line in block.split("\n"):
        key, sep, value = line.partition(":")
        if sep and re.fullmatch(r"\w[\w-]*", key.strip()):
            fields[key.strip()] = value.strip().strip("\"'")
    return fields, [f"front matter is not valid YAML ({problem}); read it line by line"]


def _first_str(fields: dict, *keys: str) -> str | None:
    for key in keys:
        value = fields.get(key)
        if isinstance(value, (str, int, float)) and str(value).strip():
            return str(value).strip()
    return None


_MD_IMAGE_LINE = re.compile(r"^!\[[^\]]*\]\([^)]*\)$", re.MULTILINE)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)(\s+#+)?$", re.MULTILINE)
_MD_RULE = re.compile(r"^(\*{3,}|-{3,}|_{3,})$", re.MULTILINE)
# only whole-word emphasis: "f***ing" and "a******" are censored words, not markup
_MD_STRONG = re.compile(r"(?<![\w*])(\*\*|__)(?=[^\s*])(.+?)(?<=[^\s*])\1(?![\w*])")


def _strip_markdown(body: str) -> str:
    """Markdown syntax off, words kept: images gone, links → their text."""
    body = _MD_IMAGE_LINE.sub("", body)
    body = _MD_IMAGE.sub("", body)
    body = _MD_LINK.sub(r"\1", body)
    body = _MD_HEADING.sub(r"\1", body)
    body = _MD_RULE.sub("", body)
    return _MD_STRONG.sub(r"\2", body)


# ---------------------------------------------------------------------------
# Line cleaning
# ---------------------------------------------------------------------------


@dataclass
class _Cleaned:
    text: str
    outlet: str | None = None
    published: dt.date | None = None
    warnings: list[str] = field(default_factory=list)


def _clean(body: str, meta: _Meta, hard_wrap_ok: bool = True) -> _Cleaned:
    """Drop furniture lines (reading outlet/date from them), then lay out."""
    lines = body.split("\n")
    drop: set[int] = set()
    _boilerplate(lines, drop)
    banner = _top_banner(lines, drop)
    published = _top_dates(lines, drop)
    outlet = _byline_outlet(lines) or _agency_outlet(lines) or banner
    for name in {meta.outlet, outlet} - {None}:
        _captions(lines, drop, name)
    _repeated_headlines(lines, drop)
    warnings = _foreign_script(lines, drop)
    kept = [line for i, line in enumerate(lines) if i not in drop]
    return _Cleaned(_layout(kept, hard_wrap_ok), outlet, published, warnings)


def _nonblank(lines: list[str], limit: int | None = None) -> list[int]:
    indexes = [i for i, line in enumerate(lines) if line.strip()]
    return indexes[:limit] if limit else indexes


def _top_banner(lines: list[str], drop: set[int]) -> str | None:
    """A short all-caps masthead ("CHINA TOPIX") or "- Site Name" as the first kept line."""
    indexes = [i for i in _nonblank(lines) if i not in drop][:2]
    if len(indexes) < 2:
        return None  # the only line is the article, not a banner
    line = lines[indexes[0]]
    name = re.sub(r"^[-|–—•·]\s*", "", line).strip()
    if not name or len(name) > 40 or len(name.split()) > 4 or re.search(r"\d|[.!?,:;]$", name):
        return None
    if line != name and name[0].isupper():
        drop.add(indexes[0])
        return name
    if _MASTHEAD.fullmatch(name):   # "The Hangang Herald"
        drop.add(indexes[0])
        return name
    if name.isupper() and sum(c.isalpha() for c in name) >= 3 and name not in KICKERS:
        drop.add(indexes[0])
        return _title_case(name)
    return None


# A newspaper's name: capitalised words ending in a word papers are named with.
_MASTHEAD = re.compile(
    r"(?:The\s+)?(?:[A-Z][\w'’&.-]*\s+){0,3}(?:Herald|Times|Post|Daily|News|Journal|Tribune|Gazette|Ilbo|Observer|"
    r"Telegraph|Guardian|Chronicle|Express|Review|Monitor|Today|Insider|Newswire|Wire|Standard|Sinmun|Shimbun)"
)


def _title_case(banner: str) -> str:
    words = []
    for i, word in enumerate(banner.split()):
        if i and word in _TITLE_SMALL_WORDS:
            words.append(word.lower())
        elif len(word) <= 3 and word not in _TITLE_SMALL_WORDS:
            words.append(word)  # acronyms: BBC, CNN, NK
        else:
            words.append(word.capitalize())
    return " ".join(words)


# Pieces of a timestamp line: "October 20, 2026 11:05 AM  |  Last updated 2 hours ago", "3 August 2026 - 1 min read".
# "March 13, 2025 7:42 AM GMT+9 Updated 3 hours ago": a label starts a new piece, spaces or not.
_TIMESTAMP_PIECES = re.compile(r"[|│·•]|\s[-–—]\s|\s{2,}|(?<!last)\s(?=(?:last\s+)?(?:updated|posted|published)\b)", re.IGNORECASE)
_TIMESTAMP_FURNITURE = re.compile(
    r"((last\s+)?(updated|posted|published)\s+)?\d+\s+(seconds?|minutes?|mins?|hours?|hrs?|days?)\s+ago|"
    r"\d+\s*-?\s*min(ute)?s?\s+read|"
    r"\d{1,2}:\d{2}(\s*[ap]\.?m\.?)?(\s*[a-z]{2,4}([+-]\d{1,2})?)?",   # "2:22 PM GMT+9"
    re.IGNORECASE,
)


def _top_dates(lines: list[str], drop: set[int]) -> dt.date | None:
    """First date on a timestamp / dateline near the top; timestamp-only lines go."""
    found: dt.date | None = None
    for i in _nonblank(lines, _MAX_TOP_LINES):
        segments = [s.strip() for s in _TIMESTAMP_PIECES.split(lines[i]) if s.strip()]
        dates = [_timestamp_date(s) for s in segments]
        if any(dates) and all(d or _TIMESTAMP_FURNITURE.fullmatch(s) for d, s in zip(dates, segments)):
            drop.add(i)
        found = found or next((d for d in dates if d), None)
    return found


def _timestamp_date(segment: str) -> dt.date | None:
    """The date of a segment that holds nothing but a date/time."""
    if len(segment) > 100 or not re.search(r"\d", segment):
        return None
    words = re.findall(r"[^\W\d_]+", segment.lower())
    if any(word not in _DATE_WORDS for word in words):
        return None
    bare = _DATE_LABEL.sub("", segment).strip(" ,.;")
    return _parse_date(bare)


def _boilerplate(lines: list[str], drop: set[int]) -> None:
    """Pattern lines; after a related-links header, the headline list below it."""
    in_related = False
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        why = _boilerplate_reason(line)
        if why:
            drop.add(i)
            in_related = why in RELATED_HEADERS and _looks_like_header(line)
        elif in_related and _looks_like_headline(line, max_len=150):
            drop.add(i)  # another story's headline under "Similar News"
        else:
            in_related = False


def _boilerplate_reason(line: str) -> str | None:
    stripped = line.strip()
    for pattern, why in BOILERPLATE_LINES:
        if pattern.fullmatch(stripped):
            return why
    return None


def _looks_like_header(line: str) -> bool:
    return len(line.strip()) <= 40 and not line.strip().endswith(".")


def _byline_outlet(lines: list[str]) -> str | None:
    """'By Jane Doe | Korea Herald' → 'Korea Herald'."""
    for i in _nonblank(lines, _MAX_TOP_LINES):
        match = re.match(r"by\s+[^|]+\|\s*(.+)$", lines[i].strip(), re.IGNORECASE)
        if not match:
            continue
        for part in (p.strip() for p in match.group(1).split("|")):
            if part and not _timestamp_date(part) and len(part.split()) <= 5 and not re.search(r"\d", part):
                return part
    return None


def _agency_outlet(lines: list[str]) -> str | None:
    """'SEOUL, Sept. 25 (Yonhap) -- ...' → 'Yonhap'."""
    for i in _nonblank(lines, _MAX_TOP_LINES):
        match = _AGENCY_DATELINE.search(lines[i][:80])
        if match:
            return match.group(1)
    return None


def _captions(lines: list[str], drop: set[int], outlet: str | None) -> None:
    """Photo captions signed '... - Outlet', and a teaser headline right below one."""
    if not outlet:
        return
    signature = re.compile(rf"\s[-–—|]\s*{re.escape(outlet)}\s*$", re.IGNORECASE)
    for i, line in enumerate(lines):
        if i in drop or len(line) > 400 or not signature.search(line):
            continue
        drop.add(i)
        nxt = i + 1
        if nxt < len(lines) and lines[nxt].strip() and _looks_like_headline(lines[nxt], max_len=150):
            drop.add(nxt)  # a "related story" teaser under its picture


def _repeated_headlines(lines: list[str], drop: set[int]) -> None:
    """A headline printed twice in a row (page title + article title): keep one."""
    previous = None
    for i in _nonblank(lines):
        if i in drop:
            continue
        line = lines[i].strip()
        if line == previous and _looks_like_headline(line):
            drop.add(i)
        previous = line


# ---------------------------------------------------------------------------
# Scripts: a line of Cyrillic in an English article is a leftover widget.
# ---------------------------------------------------------------------------

# Han, kana and hangul are one family: Korean and Japanese mix them in a text.
_SCRIPT_FAMILY = {"CJK": "CJK", "HANGUL": "CJK", "HIRAGANA": "CJK", "KATAKANA": "CJK", "HALFWIDTH": "CJK"}


@functools.lru_cache(maxsize=4096)  # an article repeats a few dozen letters: name each once
def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    try:
        first = unicodedata.name(char).split()[0]
    except ValueError:
        return None
    return _SCRIPT_FAMILY.get(first, first)


def _script_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for char, times in collections.Counter(text).items():
        script = _script(char)
        if script:
            counts[script] = counts.get(script, 0) + times
    return counts


def _dominant_script(text: str) -> str | None:
    counts = _script_counts(text)
    total = sum(counts.values())
    if total < 200:
        return None
    script, count = max(counts.items(), key=lambda item: item[1])
    return script if count >= 0.9 * total else None


def _foreign_script(lines: list[str], drop: set[int]) -> list[str]:
    dominant = _dominant_script("\n".join(line for i, line in enumerate(lines) if i not in drop))
    if not dominant:
        return []
    dropped: dict[str, int] = {}
    for i, line in enumerate(lines):
        counts = _script_counts(line)
        total = sum(counts.values())
        foreign = total - counts.get(dominant, 0)
        if i not in drop and total >= 3 and foreign >= 0.8 * total:
            drop.add(i)
            script = max(counts, key=counts.get).title()
            dropped[script] = dropped.get(script, 0) + 1
    return [f"dropped {n} line(s) in {s} script from a {dominant.title()}-script article" for s, n in dropped.items()]


# ---------------------------------------------------------------------------
# Layout, title, language, dates
# ---------------------------------------------------------------------------


def _layout(lines: list[str], hard_wrap_ok: bool) -> str:
    """Paragraphs separated by one blank line; hard-wrapped text left as is."""
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    if hard_wrap_ok and _is_hard_wrapped(text):
        return text
    return re.sub(r"(?<=[^\n])\n(?=[^\n])", "\n\n", text)


def _is_hard_wrapped(text: str) -> bool:
    """Lines broken mid-sentence at a fixed width (e-mail style text)."""
    lines = text.split("\n")
    pairs = [(a, b) for a, b in zip(lines, lines[1:]) if a and b]
    broken = [a for a, _ in pairs if 30 <= len(a) <= 100 and not a.endswith(_PARAGRAPH_END)]
    return len(broken) >= 3 and len(broken) >= 0.3 * len(pairs)


def _looks_like_headline(line: str, max_len: int = 200) -> bool:
    line = line.strip()
    words = line.split()
    return (
        2 <= len(words) <= 30
        and len(line) <= max_len
        and not line.endswith((".", ",", ";", ":"))
        and any(c.isalpha() for c in line)
    )


def _guess_title(text: str) -> str | None:
    """The first line, if it reads as a headline and the story follows it."""
    first, _, rest = text.partition("\n")
    if not rest.strip() or not _looks_like_headline(first) or _timestamp_date(first):
        return None
    return first.strip()


_LETTER = re.compile(r"[^\W\d_]")


# English function words. In English news prose they are about a quarter of
# all words; in other languages, even with English names and loanwords, a few
# percent. Telling English this way costs microseconds, where the language
# identifier costs 0.4 s to load: it is loaded only for articles not clearly English.
_ENGLISH_WORDS = frozenset(
    "the and of to in is was that for on with said it as by at from his her they were have had has be are "
    "this which their who not but an or been its after would will".split()
)
_WORD = re.compile(r"\w+")
ENGLISH_SHARE = 0.2


def _clearly_english(sample: str) -> bool:
    words = _WORD.findall(sample.lower())
    return len(words) >= 40 and sum(word in _ENGLISH_WORDS for word in words) >= ENGLISH_SHARE * len(words)


def _detect_language(text: str) -> tuple[str | None, list[str]]:
    sample = text[:5000]
    if len(_LETTER.findall(sample)) < 20:
        return None, []
    if _clearly_english(sample):
        return "en", []
    code, confidence = _classify_language(sample)
    if confidence is not None and confidence < 0.5:
        return None, [f"language unclear (best guess {code!r}, confidence {confidence:.2f})"]
    if len(code) != 2:
        return None, [f"language {code!r} has no ISO 639-1 code"]
    return code, []


_LANGUAGE_IDENTIFIER = None
_LANGUAGE_LOCK = threading.Lock()  # batch workers start together: the model is loaded once


def _language_identifier():
    """py3langid's identifier with probabilities, loaded once (about 0.4 s: an LZMA-packed model)."""
    global _LANGUAGE_IDENTIFIER
    with _LANGUAGE_LOCK:
        if _LANGUAGE_IDENTIFIER is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _LANGUAGE_IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _LANGUAGE_IDENTIFIER


def _classify_language(sample: str) -> tuple[str, float | None]:
    """(code, probability); probability None if this py3langid cannot give one."""
    try:
        code, probability = _language_identifier().classify(sample)
        return code, float(probability)
    except (ImportError, AttributeError, TypeError):
        import py3langid

        return py3langid.classify(sample)[0], None


_DATEPARSER_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PARSERS": ["custom-formats", "absolute-time"],  # never "3 hours ago" vs today
}


def _parse_date(value) -> dt.date | None:
    """A date from metadata or a timestamp; None if absent or implausible."""
    if isinstance(value, dt.datetime):
        return _plausible(value.date())
    if isinstance(value, dt.date):
        return _plausible(value)
    if not isinstance(value, str) or not value.strip():
        return None
    iso = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)", value)  # also 2020-09-25-10-30-00
    if iso:
        try:
            return _plausible(dt.date(*map(int, iso.groups())))
        except ValueError:
            return None
    import dateparser

    # English first: asked without languages, dateparser tries every locale it
    # has (0.3 s a call, holding the GIL that batch workers share).
    parsed = dateparser.parse(value.strip(), languages=["en"], settings=_DATEPARSER_SETTINGS)
    if parsed is None and not value.isascii():
        parsed = dateparser.parse(value.strip(), settings=_DATEPARSER_SETTINGS)
    return _plausible(parsed.date()) if parsed else None


def _plausible(date: dt.date) -> dt.date | None:
    latest = dt.date.today() + dt.timedelta(days=2)
    return date if dt.date(1800, 1, 1) <= date <= latest else None


def _outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    for domain, outlet in KNOWN_OUTLET_DOMAINS.items():
        if host == domain or host.endswith("." + domain):
            return outlet
    return None


def _clean_str(value: str | None) -> str | None:
    value = re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else None
    return value or None


def _first(*values):
    return next((v for v in values if v is not None), None)
