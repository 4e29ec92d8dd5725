"""Quotations in an article and who said them, found by code.

The embedded model cannot find quotes or name speakers on its own
(ARCHITECTURE.md: 1/12 speakers right free-text), so this module pairs
quotation marks and reads the patterns of reported speech news copy uses
(``"...," X said``, ``said X, ROLE``, ``X told Reuters: "..."``, ``he added``,
``according to X``). A quote it cannot attribute comes back with
``speaker=None`` and the names nearby in ``candidates``, for a model to pick.

Every offset points into the article text: ``text[c.start:c.end] == c.text``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

from summarizer.places import PLACE_NAMES
from summarizer.segment import Segment, SegmentedText

QuoteKind = Literal["direct", "partial"]
Attribution = Literal["said-after", "said-before", "according-to", "told", "continuation", "pronoun", "colon", "none"]

MAX_CANDIDATES = 6
SCARE_QUOTE_WORDS = 3  # an unattributed phrase this short is the writer's, not a quotation


@dataclass(frozen=True)
class QuoteCandidate:
    text: str  # verbatim inside the marks, less a trailing "," before "he said": text[start:end] == text
    start: int
    end: int
    kind: QuoteKind
    speaker: str | None  # as written: "Roh Kyu-deok", "Human Rights Watch", "A diplomat from ..."
    speaker_role: str | None  # "South Korean Foreign Ministry spokesman"
    attribution: Attribution  # how the speaker was found
    candidates: tuple[str, ...]  # names near the quote, nearest first, for a model to choose among


# ---------------------------------------------------------------- word lists

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SAY_VERBS = _words(
    "said says say told tells added adds wrote writes stated states noted notes warned warns urged urges "
    "insisted insists claimed claims explained explains asked asks continued continues replied replies "
    "responded responds declared declares argued argues recalled recalls stressed stresses admitted admits "
    "remarked commented tweeted posted reported concluded recounted lamented complained joked boasted describes described "
    "exclaimed announced announces cautioned alleged alleges acknowledged acknowledges conceded concedes "
    "emphasised emphasized suggested suggests predicted observed pleaded testified confirmed denied repeated "
    "reiterated maintained vowed countered demanded advised advises"
)
# "-ing" forms take the subject of the clause they hang on ("responded ... by saying").
_PARTICIPLES = _words("saying adding telling writing stating noting warning urging insisting claiming "
                      "explaining asking arguing declaring calling describing tweeting posting suggesting "
                      "acknowledging admitting")
# A body "released a statement expressing ...": the statement speaks for it.
_DOC_VERBS = _words("released issued published adopted passed sent")
_DOC_NOUNS = ("statement|report|resolution|letter|declaration|communique|communiqué|message|note|notice|"
              "post|tweet|press release|editorial|commentary|appeal|petition|bill")
# Present tense only: "a man called 'Lee'" (participle) is the writer's label.
_NAMING_VERBS = _words("calls describes regards labels brands dubs terms")
_TOLD = _words("told tells telling")
_ALL_VERBS = _SAY_VERBS | _PARTICIPLES | _DOC_VERBS | _NAMING_VERBS
_VERB_RE = re.compile(r"\b(?:" + "|".join(sorted(_ALL_VERBS, key=len, reverse=True)) + r"|pointed out|went on)\b")
_SAY_RE = re.compile(r"\b(?:" + "|".join(sorted(_SAY_VERBS, key=len, reverse=True)) + r"|pointed out|went on)\b")

_PRONOUNS = _words("he she it they")
_AUX = _words("has have had also reportedly repeatedly previously later then again once would will could might "
              "may recently further earlier publicly privately separately frequently often did does is was were "
              "are been be just already since first")
_FINITE = _words("is was are were has have had be been being will would can could shall should may might must "
                 "did do does")
_DETERMINERS = ("an?|one|another|some|several|two|three|four|five|the|this|these|those")
_ANON_PERSONS = _words(
    "source sources official officials diplomat diplomats spokesman spokeswoman spokesperson user users "
    "defector defectors activist activists analyst analysts expert experts witness witnesses resident residents "
    "man woman men women person people insider insiders observer observers researcher researchers lawyer lawyers "
    "relative relatives member members worker workers student students refugee refugees survivor survivors "
    "campaigner campaigners advocate advocates critic critics lawmaker lawmakers legislator legislators "
    "politician politicians leader leaders envoy representative director head chief officer officers guard guards "
    "soldier soldiers teacher pastor missionary broker brokers smuggler mother father son daughter wife husband "
    "brother sister friend neighbour neighbor victim doctor nurse professor scholar academic economist journalist "
    "reporter correspondent commentator blogger netizen netizens citizen citizens"
)
_ORG_NOUNS = _words(
    "statement report resolution letter committee group organization organisation ministry agency government "
    "embassy office board company newspaper paper broadcaster outlet site website body panel council commission "
    "charity department administration party military police authorities authority army court regime church "
    "mission network foundation association institute union assembly parliament bureau service team nation "
    "country state"
)
_DOCUMENT_NOUNS = _words("statement report resolution letter")
_MEDIA_NOUNS = _words("newspaper paper broadcaster outlet site website company agency network")
_GOVERNMENT_NOUNS = _words("government country state nation regime authorities authority administration")
_ANON_NOUNS = _ANON_PERSONS | _ORG_NOUNS
_ANON_PLURALS = _words("officials analysts activists experts sources groups users residents witnesses diplomats "
                       "critics observers lawmakers researchers netizens campaigners advocates defectors")

_ORG_WORDS = _words(
    "Ministry Department Agency Office Committee Commission Council Assembly Parliament Congress Senate "
    "Government Administration Embassy Consulate Nations Union Watch International Amnesty Institute "
    "Institution University College Center Centre Foundation Association Society Group Network Coalition "
    "Alliance Organization Organisation Party Army Police Bureau Court Board Service Services Corps Forces "
    "Command News Times Post Herald Daily Ilbo Journal Press Telegraph Guardian Tribune Star Mail "
    "Broadcasting Radio Television TV Company Corporation Bank Fund Church Mission Project Initiative "
    "Campaign Federation Movement League Secretariat Cabinet Politburo Navy Affairs Security Rights "
    "Reuters Yonhap Xinhua Sputnik Bloomberg Kyodo Interfax Topix House"
)
_MEDIA_WORDS = _words("News Times Post Herald Daily Ilbo Journal Press Telegraph Guardian Tribune Star Mail "
                      "Broadcasting Radio Television TV Reuters Yonhap Xinhua Sputnik Bloomberg Kyodo Interfax "
                      "AFP AP KCNA CNN BBC DW NHK NK")
_PLACES = PLACE_NAMES
_PLACE_WORDS = frozenset(word for place in _PLACES for word in place.split()
                         if word not in ("North", "South", "New")) | \
    _words("Province City County Prefecture Region Peninsula Island Islands River Rivers Mountain Mountains "
           "Sea Lake Strait Bay Valley Plateau")
_DEMONYMS = _words("North South East West Northeast Northern Southern Eastern Western Korean Koreans Chinese "
                   "Japanese American Americans Russian Russians Mongolian Thai Lao Laotian Vietnamese British "
                   "Canadian Canadians European Asian Western Communist")
_TITLES = _words(
    "president vice minister secretary ambassador envoy spokesman spokeswoman spokesperson director deputy chief "
    "head chairman chairwoman chair professor prof dr mr mrs ms miss sir reverend rev pastor father bishop "
    "cardinal pope senator sen rep representative congressman congresswoman governor gov mayor general gen "
    "colonel col lieutenant lt captain capt sergeant sgt admiral commissioner rapporteur judge justice leader "
    "chancellor premier king queen prince princess lord lady officer official analyst researcher fellow founder "
    "activist lawyer attorney counsel editor correspondent reporter coordinator adviser advisor executive ceo "
    "manager commander lawmaker mp secretary-general prosecutor inspector detective investigator"
)
_ABBREVIATED = _words("gen gov rev dr sen rep col lt sgt capt prof mr mrs ms adm maj cpl supt insp det st")
_ROLE_WORDS = _TITLES | _words("former top senior junior acting then ex assistant associate adjunct foreign group "
                               "rights human ministry affairs managing regional national international policy "
                               "country program programme research")
# Capitalised words that begin sentences or headings but never names.
_BREAK = _words(
    "The A An And But Or Nor So Yet If When While Whereas Although Though Because Since As After Before During "
    "Despite However Meanwhile Moreover Also Still Even Then Now Thus Instead Indeed Ironically Typically Earlier "
    "Later Last Next This That These Those It Its He She They We I You His Her Their Our Your My Me Us There Here "
    "Some Many Most Several Few Other Others Another One Two Three Four Five Ten Each Every Both All Any No Not In "
    "On At For From To Of By With Without Under Over Into Through Between Among Against About Around Following "
    "According Like Unlike What Who Whom Whose Which Why How Where Whether Once Only Just Such Whenever Please "
    "Update Tags Photo Image Read More Click Share Follow Make Find Keep Go Back Top Similar Related See Log "
    "Yesterday Today Tomorrow Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March "
    "April June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec "
    "Editorial Representative Real Time"
)
_CONNECTORS = _words("of for and &")


# ---------------------------------------------------------------- quotation marks

_FAMILY = {'"': "double", "“": "double", "”": "double", "„": "double", "‟": "double",
           "'": "single", "‘": "single", "’": "single", "‚": "single", "‛": "single",
           "«": "guillemet", "»": "guillemet", "‹": "angle", "›": "angle",
           "「": "corner", "」": "corner", "『": "white-corner", "』": "white-corner"}
_OPEN_GLYPHS = frozenset("“„‟‘‚‛«‹「『")
# ’ is not here: it is an apostrophe far more often than a closing mark.
_CLOSE_GLYPHS = frozenset("”»›」』")
_MARK_RE = re.compile("[" + re.escape("".join(_FAMILY)) + "]")
_OPEN_AFTER = "([{<—–-/:"
_CLOSE_BEFORE = ",.;:!?)]}>—–-…"
# '90s, 'em, 'til: an apostrophe in front of a word, not an opening mark.
_ELISION = re.compile(r"(?:\d0s|\d\d\b|em\b|til\b|cause\b|tis\b|twas\b|bout\b|n\b)", re.IGNORECASE)


def _is_cjk(ch: str) -> bool:
    return ("\u1100" <= ch <= "\u11ff" or "\u2e80" <= ch <= "\ua4cf" or "\uac00" <= ch <= "\ud7af"
            or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef")


def _space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _blank(ch: str) -> bool:
    # Outside a quote CJK text runs up to the marks without spaces ("탈북자"고), so it counts as a gap.
    return _space(ch) or _is_cjk(ch)


def _neighbours(text: str, i: int, para: Segment) -> tuple[str, str]:
    left = text[i - 1] if i > para.start else ""
    right = text[i + 1] if i + 1 < para.end else ""
    return left, right


def _apostrophe(left: str, right: str) -> bool:
    return left.isalnum() and right.isalnum() and not (_is_cjk(left) or _is_cjk(right))


def _opens(text: str, i: int, para: Segment) -> bool:
    ch = text[i]
    left, right = _neighbours(text, i, para)
    if ch in _CLOSE_GLYPHS:
        return False
    if ch in _OPEN_GLYPHS and _FAMILY[ch] in ("guillemet", "angle", "corner", "white-corner"):
        return True  # « French spacing » puts a space inside the marks
    if _space(right):
        return False
    if _FAMILY[ch] == "single" and (_apostrophe(left, right) or _ELISION.match(text, i + 1)):
        return False
    if ch in _OPEN_GLYPHS:
        return True
    return right not in _CLOSE_BEFORE and (_blank(left) or left in _OPEN_AFTER or left in _FAMILY)


def _closes(text: str, i: int, para: Segment) -> bool:
    ch = text[i]
    left, right = _neighbours(text, i, para)
    if ch in _OPEN_GLYPHS:
        return False
    if ch in _CLOSE_GLYPHS:
        return True
    if _space(left):
        return False
    if _FAMILY[ch] == "double":  # a straight " after a non-space closes: they are rarely anything else
        return True
    return not _apostrophe(left, right) and (_blank(right) or right in _CLOSE_BEFORE or right in _FAMILY)


def _possessive_mark(text: str, i: int, para: Segment) -> bool:
    """``the workers' homes``: a plural possessive that looks like a closing single mark."""
    left, right = _neighbours(text, i, para)
    return left in "sz" and right == " " and i + 2 < para.end and text[i + 2].islower()


def _closer(text: str, i: int, para: Segment) -> int | None:
    """The mark that closes the one at ``i`` within its paragraph; other families are nested text."""
    family, weak = _FAMILY[text[i]], None
    for match in _MARK_RE.finditer(text, i + 1, para.end):
        k = match.start()
        if _FAMILY[text[k]] != family:
            continue
        if weak is not None and _opens(text, k, para):
            return weak  # "'love letters' to 'Your Excellency'": the possessive-looking mark was the close
        if not _closes(text, k, para):
            continue
        if family == "single" and _possessive_mark(text, k, para):
            weak = k if weak is None else weak
            continue
        return k
    return weak


@dataclass(frozen=True)
class _Raw:
    """A pair of marks: ``close`` is None for a piece running on to the next paragraph."""

    open: int
    close: int | None
    para: int
    start: int
    end: int
    text: str
    trailing_comma: bool
    chain: int  # index of the first piece of a quote spread over paragraphs


def _pairs(text: str, paras: list[Segment]) -> list[tuple[int, int | None, int]]:
    found = []
    for index, para in enumerate(paras):
        nxt = paras[index + 1] if index + 1 < len(paras) else None
        i = para.start
        while (match := _MARK_RE.search(text, i, para.end)) is not None:
            j = match.start()
            if not _opens(text, j, para):
                i = j + 1
                continue
            k = _closer(text, j, para)
            if k is not None:
                found.append((j, k, index))
                i = k + 1
                continue
            # News convention: a quote running on opens the next paragraph again
            # and leaves this one unclosed. Otherwise the mark is stray.
            reopened = (nxt is not None and _FAMILY.get(text[nxt.start]) == _FAMILY[text[j]]
                        and _opens(text, nxt.start, nxt))
            if reopened or j == para.start:
                found.append((j, None, index))
                break
            i = j + 1
    return found


def _raw_quotes(text: str, paras: list[Segment]) -> list[_Raw]:
    raws: list[_Raw] = []
    for j, k, para in _pairs(text, paras):
        lo, hi = j + 1, (k if k is not None else paras[para].end)
        inner = text[lo:hi]
        stripped = inner.strip()
        comma = stripped.endswith(",")
        stripped = stripped.rstrip(",").rstrip()  # the comma before "he said" is the writer's
        if not any(ch.isalnum() for ch in stripped):
            continue
        start = lo + inner.index(stripped)
        chain = len(raws)
        if raws and raws[-1].close is None and raws[-1].para == para - 1 and j == paras[para].start:
            chain = raws[-1].chain
        raws.append(_Raw(j, k, para, start, start + len(stripped), stripped, comma, chain))
    return raws


# ---------------------------------------------------------------- names

_GAP = re.compile(r"[ \xa0\u2009\u202f]")
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_][\w'’\-]*")


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    word: str


def _tokens(s: str, lo: int, hi: int) -> list[_Tok]:
    out = []
    for match in _TOKEN.finditer(s, lo, hi):
        word = match.group().rstrip("'’-")
        out.append(_Tok(match.start(), match.start() + len(word), word))
    return out


def _bare(word: str) -> str:
    return re.sub(r"['’]s$", "", word)


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and word not in _BREAK


def _has_org(words: list[str]) -> bool:
    return any(_bare(word) in _ORG_WORDS for word in words)


def _runs(s: str, lo: int, hi: int) -> list[list[_Tok]]:
    """Sequences of capitalised words, split where a connector or possessive is not inside an organisation."""
    runs: list[list[_Tok]] = []
    current: list[_Tok] = []
    for tok in _tokens(s, lo, hi):
        gap = s[current[-1].end:tok.start] if current else ""
        initial = len(current[-1].word) == 1 if current else False  # "Charles P. Pierce"
        if current and not (_GAP.fullmatch(gap) or (initial and gap[:1] == "." and _GAP.fullmatch(gap[1:]))):
            runs.append(current)
            current = []
        if _is_cap(tok.word) or (current and tok.word in _CONNECTORS):
            current.append(tok)
        elif current:
            runs.append(current)
            current = []
    runs.append(current)
    return [piece for run in runs for piece in _split(run)]


def _split(run: list[_Tok]) -> list[list[_Tok]]:
    while run and run[-1].word in _CONNECTORS:
        run = run[:-1]
    pieces, current = [], []
    for n, tok in enumerate(run):
        rest = [t.word for t in run[n + 1:]]
        if tok.word in _CONNECTORS:
            # "Ministry of Foreign Affairs", "Immigration and Refugee Board"; not "China and South Korea".
            keep = (tok.word in ("of", "for") and _bare(current[-1].word) in _ORG_WORDS) or \
                   (tok.word in ("and", "&") and bool(rest) and _bare(rest[-1]) in _ORG_WORDS)
            if keep:
                current.append(tok)
            else:
                pieces.append(current)
                current = []
            continue
        current.append(tok)
        if _bare(tok.word) != tok.word and rest and not _has_org(rest):
            pieces.append(current)  # "Amnesty International’s Asia-Pacific director"
            current = []
    pieces.append(current)
    return [piece for piece in pieces if piece]


@dataclass(frozen=True)
class _Name:
    kind: str  # person | person1 (a lone word) | org | place
    start: int  # where the name proper begins (titles before it are a role)
    end: int
    text: str
    title_start: int  # where the run began, titles included


def _is_acronym(word: str) -> bool:
    letters = word.replace(".", "")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper()


def _classify(s: str, run: list[_Tok]) -> _Name | None:
    words = [_bare(tok.word) for tok in run]
    end = run[-1].start + len(words[-1])
    whole = " ".join(words)
    titled = any(word.lower().rstrip(".") in _TITLES for word in words)
    k = max((n + 1 for n, word in enumerate(words) if word.lower().rstrip(".") in _TITLES), default=0)
    while k < len(words) and words[k] in _DEMONYMS:
        k += 1
    rest = words[k:]
    # "White House Press Secretary Kayleigh McEnany": a titled person, whatever the title names.
    titled_person = k > 0 and 2 <= len(rest) <= 4 and not _has_org(rest) and not any(w in _PLACE_WORDS for w in rest)
    if not titled_person and (whole in _PLACES or whole.title() in _PLACES or (any(word in _PLACE_WORDS for word in words)
                                                   and not _has_org(words) and not titled)):
        return _Name("place", run[0].start, end, s[run[0].start:end], run[0].start)
    if not titled_person and (_has_org(words) or (len(words) == 1 and _is_acronym(words[0]))):
        return _Name("org", run[0].start, end, s[run[0].start:end], run[0].start)
    if not rest or len(rest) > 4 or all(word in _DEMONYMS for word in rest) or \
            any(word.lower() in _SAY_VERBS for word in rest):
        return None
    start = run[k].start
    return _Name("person" if len(rest) > 1 else "person1", start, end, s[start:end], run[0].start)


def _names(s: str, lo: int, hi: int) -> list[_Name]:
    return [name for run in _runs(s, lo, hi) if (name := _classify(s, run)) is not None]


def _walk_back(s: str, lo: int, pos: int) -> int:
    """Start of the title words right before a name: "Foreign Ministry spokesman" Roh Kyu-deok,
    "City of Henderson spokeswoman" Kathleen Richards, "Republican Gov." Doug Ducey."""
    start = edge = pos
    for tok in reversed(_tokens(s, lo, pos)):
        gap = s[tok.end:edge]
        abbreviated = gap[:1] == "." and _GAP.fullmatch(gap[1:]) and tok.word.lower() in _TITLES
        if gap and not _GAP.fullmatch(gap) and not abbreviated:
            break
        word = tok.word
        edge = tok.start
        if word in ("of", "for", "at"):
            continue  # kept only if a title word comes before it
        if not (_is_cap(word) or word.lower() in _ROLE_WORDS or _bare(word) != word):
            break
        start = tok.start
    return start


def _clean_role(role: str | None) -> str | None:
    """A role phrase, if it names a title ("adjunct professor of ..."), without its article."""
    if not role:
        return None
    role = re.sub(r"^(?:an?|the)\s+", "", role.strip().rstrip(",").strip())
    if role.endswith(".") and role[:-1].split()[-1:] and role[:-1].split()[-1].lower() not in _ABBREVIATED:
        role = role[:-1]  # the sentence's full stop, not "Gen."
    words = role.split()
    if not words or len(words) > 16 or any(word.lower() in _FINITE | _SAY_VERBS for word in words):
        return None
    titled = any(re.sub(r"['’]s$|[^\w-]", "", word.lower()) in _TITLES for word in words)
    if not titled or any(name.kind == "person" for name in _names(role, 0, len(role))):
        return None  # "Kim Jong Un, Russian President Vladimir Putin and ...": a list, not a role
    return role


# ---------------------------------------------------------------- who is speaking

@dataclass(frozen=True)
class _Who:
    kind: str  # person | org | place | anon | pronoun | definite
    text: str  # the name or phrase as written ("the organization"); the pronoun
    role: str | None = None
    start: int = 0  # where the phrase begins in the string it was read from


_CLAUSE_CUT = re.compile(
    r"[,;:()\[\]\"“”«»「」『』—–\x00]|\s-\s|"
    r"\b(?:that|which|who|whom|whose|while|whereas|and|but|or|although|though|"
    r"because|as|when|where|after|before|if|since|so|than|whereupon|until|once|And|But|While|As|When|If)\b"
)
_APPOSITIVE = re.compile(r"(?P<name>[^,;:()“”\"]+),\s*(?P<role>[^,;:()“”\"]+?),\s*$")
_DETERMINER = re.compile(rf"\b(?:{_DETERMINERS})\b", re.IGNORECASE)


def _subject(s: str) -> _Who | None:
    """The subject of a verb that comes right after ``s``."""
    apposed = _APPOSITIVE.search(s)
    if apposed:
        who = _subject(s[:apposed.end("name")])
        if who is not None and who.kind not in ("pronoun", "definite"):
            return replace(who, role=_clean_role(apposed["role"]) or who.role)
    cuts = list(_CLAUSE_CUT.finditer(s))
    who = _phrase(s, cuts[-1].end() if cuts else 0, len(s))
    if who is None and cuts and cuts[-1].group() in ("who", "which", "whose", "whom"):
        return _subject(s[:cuts[-1].start()])  # "The source who shot the video told ..."
    return who


def _strip_aux(s: str, lo: int, hi: int) -> int:
    """End of the subject once "has also", "reportedly" and the like are peeled off."""
    while True:
        match = re.search(r"(?:^|\s)([a-z]+)\s*$", s[lo:hi])
        if match is None or not (match[1] in _AUX or (match[1].endswith("ly") and match[1] != "only")):
            return hi
        hi = lo + match.start(1)


def _phrase(s: str, lo: int, hi: int) -> _Who | None:
    hi = _strip_aux(s, lo, hi)
    words = s[lo:hi].split()
    if not words:
        return None
    if words[-1].lower() in _PRONOUNS:
        return _Who("pronoun", words[-1].lower(), start=s.rindex(words[-1], lo, hi))
    return _anonymous(s, lo, hi) or _tail_name(s, lo, hi) or _plural(s, lo, hi)


def _anonymous(s: str, lo: int, hi: int) -> _Who | None:
    """ "A diplomat from the South Korean embassy", "one user", "the organization"."""
    for match in _DETERMINER.finditer(s, lo, hi):
        phrase = s[match.start():hi].strip()
        words = phrase.split()
        if len(words) > 14 or any(word.lower() in _FINITE for word in words):
            continue
        det, rest = words[0].lower(), words[1:]
        if not rest:
            if det in ("another", "one", "some"):
                return _Who("anon", phrase, start=match.start())
            continue
        if not any(word.lower().strip(",.") in _ANON_NOUNS | _TITLES for word in rest[:5]):
            continue
        names = _names(s, match.start(), hi)
        last = names[-1] if names else None
        if last and last.kind.startswith("person") and last.end >= len(s[:hi].rstrip()) and \
                _titled_name(s, match.start(), last):
            return None  # "the ministry spokesman Roh Kyu-deok": a name with its title
        if det in ("the", "this", "these", "those") and len(rest) <= 3 and all(w.islower() for w in rest):
            return _Who("definite", phrase, start=match.start())
        return _Who("anon", re.sub(r"^the\s+", "", phrase), start=match.start())
    return None


_OWNED_BODY = re.compile(r"(?:[A-Z][\w.-]*\s+)*[A-Z][\w.-]*['’]s\s+(?:[a-z-]+\s+){0,2}(?:" +
                         "|".join(sorted(_ORG_NOUNS)) + r")\s*$")


_PREPOSITIONS = _words("of from in at for with to by on near")


def _titled_name(s: str, lo: int, name: _Name) -> bool:
    """ "the defector Kim Young-il", "the ministry spokesman Roh": a title, not "a resident of South Pyongan"."""
    before = s[lo:name.title_start].split()
    if _clean_role(s[_walk_back(s, lo, name.title_start):name.start]):
        return True
    return name.kind == "person" and bool(before) and before[-1].lower() not in _PREPOSITIONS


def _tail_name(s: str, lo: int, hi: int) -> _Who | None:
    """A name that ends the phrase, with the title words written before it."""
    owned = _OWNED_BODY.search(s, lo, len(s[:hi].rstrip()))
    if owned:  # "China's foreign ministry": a body named by its owner
        return _Who("org", owned.group().strip(), start=owned.start())
    names = _names(s, lo, hi)
    if not names or names[-1].end < len(s[:hi].rstrip()):
        return None
    name = names[-1]
    if name.kind in ("org", "place", "person1") and len(names) > 1 and names[-2].kind == "person" and \
            re.fullmatch(r"\s+(?:of|at|from|with)\s+(?:the\s+)?", s[names[-2].end:name.title_start]):
        person = names[-2]  # "Phil Robertson of Human Rights Watch": the person speaks for the body
        start = _walk_back(s, lo, person.title_start)
        return _Who("person", person.text, role=_clean_role(s[start:person.start]) or name.text, start=start)
    kind = "person" if name.kind.startswith("person") else name.kind
    start = _walk_back(s, lo, name.title_start)
    return _Who(kind, name.text, role=_clean_role(s[start:name.start]), start=start)


def _plural(s: str, lo: int, hi: int) -> _Who | None:
    """ "analysts", "Chinese officials", "Human rights groups"."""
    tokens = _tokens(s, lo, hi)
    if not tokens or tokens[-1].word.lower() not in _ANON_PLURALS:
        return None
    first = len(tokens) - 1
    while first > max(0, len(tokens) - 4) and (tokens[first - 1].word[:1].isupper() or
                                               tokens[first - 1].word.lower() in _ROLE_WORDS):
        first -= 1
    start = tokens[first].start
    return _Who("anon", s[start:tokens[-1].end], start=start)


def _leading(s: str, lo: int, hi: int) -> _Who | None:
    """The speaker after the verb: ``said Sam Zarifi, Amnesty International's Asia-Pacific director``."""
    comma = s.find(",", lo, hi)
    head_end = hi if comma < 0 else comma
    head = s[lo:head_end]
    words = head.split()
    if not words:
        return None
    if words[0].lower() in _PRONOUNS:
        return _Who("pronoun", words[0].lower(), start=lo)
    tail_role = _clean_role(re.split(r"[,;]|\s(?:who|which|in a|on)\s", s[head_end + 1:hi])[0]) if comma >= 0 else None
    names = _names(s, lo, head_end)
    # "Esquire's Charles P. Pierce": the owner is not the speaker
    people = [name for name in names if name.kind.startswith("person") and not re.match(r"['’]s\b", s[name.end:])]
    if people and _walk_back(s, lo, people[0].title_start) <= lo + len(head) - len(head.lstrip()):
        return _Who("person", people[0].text, _clean_role(s[lo:people[0].start]) or tail_role, lo)
    if re.match(rf"\s*(?:{_DETERMINERS})\s+[a-z]", head, re.IGNORECASE):
        return _phrase(s, lo, head_end)
    if names and not s[lo:names[0].start].strip(" \t\n").removeprefix("the").strip():
        return _Who(names[0].kind.replace("person1", "person"), names[0].text, start=lo)
    after = _names(s, head_end + 1, hi) if comma >= 0 else []
    if after and after[0].kind.startswith("person"):  # "said former top U.S. official, Evans Revere"
        return _Who("person", after[0].text, _clean_role(head), lo)
    return None


# ---------------------------------------------------------------- the article

@dataclass(frozen=True)
class _Mention:
    name: str
    start: int
    kind: str  # person | org | place | anon
    role: str | None = None


@dataclass(frozen=True)
class _Said:
    """A verb of saying outside quotes and its subject: reported speech the quotes can refer back to."""

    pos: int
    who: _Who


_DATELINE_RE = re.compile(
    r"[A-Z][A-Z.'’/ -]{2,}(?:,\s+[A-Z][a-z]{2,}\.?\s+\d{1,2})?\s*(?:\([^)]{1,30}\))?\s*(?:--|[-—–:])\s+"
)
_LOCATIVE_BEFORE_RE = re.compile(r"\b(?:in|at|near|outside|inside|from|to|into|across|around|towards?|via|through)\s+$")


class _Article:
    def __init__(self, text: str):
        self.text = text
        seg = SegmentedText(text)
        self.paras = seg.paragraphs
        self.sents = seg.sentences
        self._sent_starts = [sentence.start for sentence in self.sents]
        self._para_starts = [para.start for para in self.paras]
        self.raws = _raw_quotes(text, self.paras)
        self.masked = self._mask()
        self.mentions = self._mentions()
        self.said = self._reported_speech()

    def _mask(self) -> str:
        # Names and verbs inside quotations belong to the speaker's words, not the story's.
        chars = list(self.text)
        for raw in self.raws:
            end = raw.close if raw.close is not None else self.paras[raw.para].end - 1
            chars[raw.open:end + 1] = "\x00" * (end + 1 - raw.open)
        return "".join(chars)

    def sentence(self, pos: int) -> int:
        return max(0, bisect_right(self._sent_starts, pos) - 1)

    def paragraph(self, pos: int) -> int:
        return max(0, bisect_right(self._para_starts, pos) - 1)

    def _mentions(self) -> list[_Mention]:
        found: list[_Mention] = []
        for sent in self.sents:
            dateline = _DATELINE_RE.match(self.masked, sent.start, sent.end)
            # "NEW YORK/BEIJING - A UN expert said ...": the dateline names where, never who.
            for name in _names(self.masked, dateline.end() if dateline else sent.start, sent.end):
                found.append(_Mention(name.text, name.start, name.kind, self._role_at(name, sent)))
        return [mention for mention in found if mention.kind != "person1" or self._confirmed(mention, found)]

    def _role_at(self, name: _Name, sent: Segment) -> str | None:
        if not name.kind.startswith("person"):
            return None
        before = _clean_role(self.masked[_walk_back(self.masked, sent.start, name.title_start):name.start])
        apposed = re.match(r",\s*((?:(?:[A-Z]\.)+|[^,;:.!?“”\"\x00])+)(?:,|[.;]|$)", self.masked[name.end:sent.end])
        return before or (_clean_role(apposed[1]) if apposed else None)

    def _confirmed(self, mention: _Mention, found: list[_Mention]) -> bool:
        """A lone capitalised word is a person only if it is part of a full name or says something.

        Never after a preposition of place: "police outside Mudanjiang asked her" names a town.
        """
        if _LOCATIVE_BEFORE_RE.search(self.masked[max(0, mention.start - 12):mention.start]):
            return False
        for other in found:
            parts = other.name.split()
            if other.kind == "person" and mention.name in (parts[0], parts[-1]):
                return True
        follows = self.masked[mention.start + len(mention.name):mention.start + len(mention.name) + 40]
        return bool(re.match(r"\s+(?:[a-z]+ly\s+|has\s+|had\s+|also\s+)*(?:" + _SAY_RE.pattern + ")", follows))

    def _reported_speech(self) -> list[_Said]:
        # Resolved in reading order, so "he said" can lean on the speakers before it.
        self.said: list[_Said] = []
        for sent in self.sents:
            for verb in _SAY_RE.finditer(self.masked, sent.start, sent.end):
                who = _subject(self.masked[sent.start:verb.start()])
                if who is None:
                    continue
                who, _ = _resolve(self, replace(who, start=who.start + sent.start), verb.start())
                if who is not None:
                    self.said.append(_Said(verb.start(), who))
        return self.said

    def role_of(self, name: str) -> str | None:
        """A role stated anywhere for this person: "Roh" finds "spokesman Roh Kyu-deok"."""
        for source in (*self.mentions, *(_Mention(s.who.text, s.pos, s.who.kind, s.who.role) for s in self.said)):
            if source.role and (source.name == name or name in (source.name.split()[0], source.name.split()[-1])):
                return source.role
        return None


# ---------------------------------------------------------------- resolving references

def _in_sentence(items, sent: Segment, pos: int, key):
    return [item for item in items if sent.start <= key(item) < min(sent.end, pos)]


def _subjects_first(art: _Article, mentions: list[_Mention], lo: int) -> list[_Mention]:
    """Mentions in subject position (opening a clause, a verb after them) before the others."""
    def is_subject(m: _Mention) -> bool:
        return bool(re.search(r"(?:^|[,;]\s)\s*(?:the\s+)?$", art.masked[lo:m.start])
                    and re.match(r"\s+(?:[a-z]+ly\s+)?[a-z]+", art.masked[m.start + len(m.name):]))
    return sorted(mentions, key=lambda m: not is_subject(m))


def _personish(who: _Who) -> bool:
    return who.kind == "person" or (who.kind == "anon" and any(w.lower() in _ANON_PERSONS for w in who.text.split()))


def _told_the_pronoun(art: _Article, said: _Said, pronoun: str) -> bool:
    """ "a relative told her": then "she" is the one told, not the teller."""
    objective = {"she": "her", "he": "him"}.get(pronoun)
    return bool(objective and re.match(rf"told\s+{objective}\b", art.masked[said.pos:said.pos + 12]))


REFERENCE_REACH = 8  # sentences of narration a pronoun may reach back over


def _narration_back(art: _Article, pos: int) -> Iterator[Segment]:
    """The sentences before ``pos``, nearest first, up to REFERENCE_REACH of them that are not all quotation.

    A long quotation between a name and "she said" holds no one the pronoun could mean.
    """
    counted = 0
    for index in range(art.sentence(pos), -1, -1):
        sent = art.sents[index]
        yield sent
        counted += bool(art.masked[sent.start:sent.end].replace("\x00", "").strip(" \n\t“”\"'.,"))
        if counted >= REFERENCE_REACH:
            return


def _resolve_person(art: _Article, pos: int, pronoun: str | None = None) -> _Who | None:
    """ "he said": the nearest speaker, else the first person named, going back sentence by sentence.
    "she" is never "the man", nor "he" "the woman"."""
    for sent in _narration_back(art, pos):
        said = [s.who for s in _in_sentence(art.said, sent, pos, lambda s: s.pos)
                if _personish(s.who) and not (pronoun and _told_the_pronoun(art, s, pronoun))
                and not _gender_clash(f"{s.who.text} {s.who.role or ''}", pronoun)]
        if said:
            return said[-1]
        head = art.masked[sent.start:min(sent.end, pos)]
        if re.match(r"\W*(?:He|She)\b", head):
            continue  # "He mentioned Kim Jong Un ...": the names are objects; "he" goes further back
        lead = re.match(r"\W*((?:The|the)\s+([a-z]+))\b", head)
        if lead and lead[2] in _TITLES | _ANON_PERSONS and not _gender_clash(lead[1], pronoun):
            return _resolve_definite(art, lead[1], sent.start) or _Who("anon", lead[1])
        people = [m for m in _in_sentence(art.mentions, sent, pos, lambda m: m.start) if m.kind.startswith("person")
                  and not _gender_clash(f"{m.name} {m.role or ''}", pronoun)]
        people = _subjects_first(art, people, sent.start)
        if people:
            return _Who("person", people[0].name, people[0].role)
    return None


_MASCULINE_RE = re.compile(r"\b(?:man|men|he|him|his|father|brother|husband|son|uncle|grandfather|Mr\.?|boy)\b",
                           re.IGNORECASE)
_FEMININE_RE = re.compile(r"\b(?:woman|women|she|her|mother|sister|wife|daughter|aunt|grandmother|Mrs\.?|Ms\.?|"
                          r"girl|chairwoman|spokeswoman)\b", re.IGNORECASE)


def _gender_clash(description: str, pronoun: str | None) -> bool:
    """Whether a person so described cannot be the one the pronoun means."""
    if pronoun == "she":
        return bool(_MASCULINE_RE.search(description)) and not _FEMININE_RE.search(description)
    if pronoun == "he":
        return bool(_FEMININE_RE.search(description)) and not _MASCULINE_RE.search(description)
    return False


def _resolve_body(art: _Article, pos: int) -> _Who | None:
    """ "it said", "they say": the nearest organisation or country acting as a subject."""
    first = art.sentence(pos)
    for index in range(first, max(-1, first - 8), -1):
        sent = art.sents[index]
        said = [s.who for s in _in_sentence(art.said, sent, pos, lambda s: s.pos) if s.who.kind in ("org", "place")]
        if said:
            return said[-1]
        bodies = [m for m in _in_sentence(art.mentions, sent, pos, lambda m: m.start)
                  if m.kind == "org" or (m.kind == "place" and not _locative(art.text, m.start))]
        bodies = _subjects_first(art, bodies, sent.start)
        if bodies:
            return _Who(bodies[0].kind, bodies[0].name)
        # "In 2024 the institute recorded ..., a figure it describes as": the body meant by "the institute".
        definite = [m for m in _DEFINITE_BODY_RE.finditer(art.masked, sent.start, min(sent.end, pos))
                    if m.group(1).lower() in _ORG_NOUNS - _DOCUMENT_NOUNS]
        meant = _resolve_definite(art, definite[0].group(), definite[0].start()) if definite else None
        if meant is not None:
            return meant
    return None


_DEFINITE_BODY_RE = re.compile(r"\b[Tt]he\s+([a-z]+)\b")


# "facilities in Jilin and Liaoning provinces": a place named where something is, never who "it" is.
_LOCATIVE_BEFORE_RE = re.compile(
    r"\b(?:in|at|from|to|into|near|across|outside|inside|through|via|along|around|between|and)\s+(?:the\s+)?$"
)


def _locative(text: str, start: int) -> bool:
    # Only the words just before matter: no scan from the top of a 200,000-character article.
    return bool(_LOCATIVE_BEFORE_RE.search(text, max(0, start - 30), start))


def _is_media(name: str) -> bool:
    return any(_bare(word) in _MEDIA_WORDS for word in name.split())


def _resolve_definite(art: _Article, phrase: str, pos: int) -> _Who | None:
    """ "the organization" -> the last organisation named; "the source" -> the last "... source";
    "the president" -> the last person with that title."""
    noun = phrase.split()[-1].lower().strip(",.")
    if noun in _TITLES:
        holders = [m for m in art.mentions if m.start < pos and m.kind.startswith("person")
                   and m.role and noun in m.role.lower()]
        if holders:
            return _Who("person", holders[-1].name, holders[-1].role)
    if noun not in _ORG_NOUNS:
        earlier = [s.who for s in art.said if s.pos < pos and s.who.kind == "anon" and noun in s.who.text.lower()]
        return earlier[-1] if earlier else None
    if noun in _DOCUMENT_NOUNS:
        return None  # "the report says": keep the document as written
    kinds = ("org", "place") if noun in _GOVERNMENT_NOUNS else ("org",)
    bodies = [m for m in art.mentions if m.start < pos and m.kind in kinds
              and (noun in _MEDIA_NOUNS or not _is_media(m.name))]
    named = [m for m in bodies if noun in m.name.lower()]
    pick = (named or bodies or [None])[-1]
    return _Who(pick.kind, pick.name) if pick else None


def _resolve(art: _Article, who: _Who, pos: int) -> tuple[_Who | None, bool]:
    """A concrete speaker for ``who``; the flag says a pronoun was resolved."""
    if who.kind == "pronoun":
        found = _resolve_person(art, pos, who.text) if who.text in ("he", "she") else _resolve_body(art, pos)
        return found, True
    if who.kind == "definite":
        return _resolve_definite(art, who.text, pos) or _Who("anon", who.text), False
    return who, False


# ---------------------------------------------------------------- attribution

def _sentence_subject(art: _Article, lo: int, pos: int) -> _Who | None:
    """Subject of the clause a participle hangs on: "The board justified ... by claiming"."""
    lead = re.match(r"\s*((?:The|the)\s+(?:[a-z]+\s+){0,2}([a-z]+))\b", art.text[lo:pos])
    if lead and lead[2] in _ANON_NOUNS | _TITLES:
        return _Who("definite", lead[1])
    # "Speaking at the White House, Trump acknowledged ...": the subject opens a clause and a verb follows.
    names = _subjects_first(art, [m for m in art.mentions if lo <= m.start < pos], lo)
    return _Who(names[0].kind.replace("person1", "person"), names[0].name) if names else None


def _named_subject(s: str) -> _Who | None:
    if s.rstrip().endswith(","):
        return None  # ", saying ...": the participle hangs on the clause before the comma
    who = _subject(s)
    return who if who is not None and who.kind in ("person", "org", "place") else None


def _clause_subject(art: _Article, pos: int) -> _Who | None:
    """Subject of the sentence holding ``pos``: "He repeated ... and said China ..." -> he."""
    sent = art.sents[art.sentence(pos)]
    pronoun = re.match(r"\W*(He|She|It|They)\b", art.masked[sent.start:pos])
    if pronoun:
        return _Who("pronoun", pronoun[1].lower())
    return _sentence_subject(art, sent.start, pos)


def _verb_subject(art: _Article, before: str, lo: int, verb: re.Match) -> _Who | None:
    word, head = verb.group(), before[:verb.start()]
    if word in _PARTICIPLES:
        # "with Speaker Nancy Pelosi saying": the noun right before; else the clause's subject
        return _named_subject(head) or _clause_subject(art, lo + verb.start())
    if word in _DOC_VERBS and not re.match(rf"\s+(?:an?|its|the)\s+(?:[\w-]+\s+){{0,3}}(?:{_DOC_NOUNS})\b",
                                           before[verb.end():]):
        return None  # "released" a statement speaks; "released" the detainees does not
    who = _subject(head)
    if who is None and re.search(r"\b(?:and|but)\s+(?:\w+ly\s+|also\s+)?$", head):
        who = _clause_subject(art, lo + verb.start())  # "He repeated ... and said ..."
    return who


def _before(art: _Article, lo: int, pos: int) -> tuple[_Who | None, str]:
    """Attribution written before the quote: ``X said: "..."``, ``X said Seoul was "..."``."""
    before = art.text[lo:pos]
    quoted = re.search(r"\bquoted\s+(.+?)\s+as\s+saying\b", before)
    if quoted:
        who = _leading(before, quoted.start(1), quoted.end(1))
        if who:
            return who, "said-before"
    colon = before.rstrip().endswith(":")
    for verb in reversed(list(_VERB_RE.finditer(before))):  # the verb nearest the quote first
        who = _verb_subject(art, before, lo, verb)
        if who is not None:
            return who, "told" if verb.group() in _TOLD else "colon" if colon else "said-before"
    if colon:  # "Lee: 'I will not go back'"
        head = re.search(r"([^\n:;,.]{2,60}):\s*$", before)
        who = _tail_name(head[1], 0, len(head[1])) if head else None
        known = who is not None and (" " in who.text or any(m.name == who.text for m in art.mentions))
        if who and known and not head[1][:who.start].strip():  # "Wow: '...'" is no speaker
            return who, "colon"
    return None, "none"


def _after(after: str, strict: bool = False) -> tuple[_Who | None, str]:
    """Attribution written after the quote: ``"...," X said`` or ``"...," said X, ROLE``.

    ``strict`` for a phrase quoted mid-sentence: the attribution must end the sentence
    (``..., "phrase," a source told the paper.``), since in ``"economic migrants," analysts
    say the refugees ...`` the verb starts the writer's next clause."""
    dash = re.match(r"\s*[-–—]\s*(?=[A-Z])", after)
    if dash:  # caption style: '...' - Trump phone interview with Woodward
        who = _leading(after, dash.end(), len(after))
        if who is not None:
            return who, "said-after"
    lead = re.match(r"[\s,'’\"”]*(?:" + _SAY_RE.pattern + r")\s+", after)
    if lead:
        who = _leading(after, lead.end(), len(after))
        return who, ("told" if lead.group().strip(" ,") in _TOLD else "said-after")
    for verb in _SAY_RE.finditer(after):
        head = after[:verb.start()]
        if len(head.split()) > 20:
            break
        rest = after[verb.end():].split()
        if strict and (len(rest) > 8 or any(word.lower() in _FINITE for word in rest)):
            break
        who = _subject(head)
        if who is not None and _descriptor(head[:who.start]):
            return who, ("told" if verb.group() in _TOLD else "said-after")
    return None, "none"


def _descriptor(prefix: str) -> bool:
    """Nothing but "the", "the North Korean defector" or "prosecutor" stands before the speaker's name."""
    words = prefix.strip(" ,\t\n'’\"”").split()
    if not words:
        return True
    plain = words[0].lower() in ("the", "a", "an") or all(word.islower() for word in words)
    return plain and len(words) <= 6 and not re.search(r"[.;:!?]", prefix) \
        and not any(word.lower() in _FINITE or _CLAUSE_CUT.fullmatch(word) for word in words)


def _according_to(text: str) -> _Who | None:
    match = re.search(r"\baccording to\s+(?:(?:an?|the)\s+(?:[\w-]+\s+){0,2}(?:" + _DOC_NOUNS + r")\s+(?:by|from)\s+)?",
                      text)
    if match is None:
        return None
    end = re.search(r"[.;:!?“”\"]|$", text[match.end():]).start() + match.end()
    return _leading(text, match.end(), end)


@dataclass(frozen=True)
class _Context:
    before_lo: int
    before: str
    after: str
    sentence_text: str  # the quote's sentence outside the quote


def _context(art: _Article, n: int) -> _Context:
    raw = art.raws[n]
    prev_end = art.raws[n - 1].close if n > 0 and art.raws[n - 1].close is not None else -1
    sent = art.sents[art.sentence(raw.open)]
    lo = max(sent.start, prev_end + 1) if sent.start <= raw.open else raw.open
    if raw.close is None:
        return _Context(lo, art.text[lo:raw.open], "", art.text[lo:raw.open])
    next_open = art.raws[n + 1].open if n + 1 < len(art.raws) else len(art.text)
    close_sent = art.sentence(raw.close)
    hi = min(max(art.sents[close_sent].end, raw.close + 1), next_open)
    after = art.text[raw.close + 1:hi]
    if not after.strip(" .,;'\"’”") and close_sent + 1 < len(art.sents):
        after = _next_sentence(art, raw, close_sent + 1, next_open) or after
    return _Context(lo, art.text[lo:raw.open], after, art.text[lo:raw.open] + " " + after)


def _next_sentence(art: _Article, raw: _Raw, index: int, next_open: int) -> str | None:
    """ ``"...we will fight." Roh said.``: a short attribution standing as its own sentence."""
    sent = art.sents[index]
    if art.paragraph(sent.start) != raw.para or next_open < sent.end or len(sent.text.split()) > 12:
        return None
    return " " + sent.text


def _kind(raw: _Raw, before: str, chained: bool) -> QuoteKind:
    if chained:
        return "direct"
    lead = before.rstrip()
    opens_sentence = not lead.strip("—–-( \t\n")
    clause = re.split(r"[,;:]", lead.rstrip(",:"))[-1]
    introduced = lead.endswith((":", "：")) or (lead.endswith(",") and bool(_VERB_RE.search(clause)))
    letters = [ch for ch in raw.text if ch.isalpha()]
    if not letters or letters[0].islower():
        return "partial"
    words = _word_count(raw.text)
    if raw.text[-1] in ".!?…。！？" and (words >= 4 or opens_sentence or introduced):
        return "direct"
    if (opens_sentence or introduced) and (raw.trailing_comma or words >= 3):
        return "direct"
    return "partial"


_SMALL_WORDS = _words("of the a an and for with in on to")


def _title_case(text: str) -> bool:
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    significant = [word for word in words if word.lower() not in _SMALL_WORDS]
    return 0 < len(words) <= 6 and bool(significant) and all(word[0].isupper() for word in significant)


def _word_count(text: str) -> int:
    return len(text.split()) + sum(1 for ch in text if _is_cjk(ch)) // 2


@dataclass
class _Found:
    raw: _Raw
    kind: QuoteKind
    who: _Who | None
    how: str


def _attribute(art: _Article, n: int) -> _Found:
    raw = art.raws[n]
    ctx = _context(art, n)
    chained = raw.chain != n or raw.close is None
    kind = _kind(raw, ctx.before, chained)
    who, how = None, "none"
    lead = ctx.before.rstrip()
    if kind == "direct" or not lead or lead.endswith(",") or raw.trailing_comma:
        who, how = _after(ctx.after, strict=kind == "partial" and bool(lead) and not lead.endswith(","))
    if who is None:
        who, how = _before(art, ctx.before_lo, raw.open)
    if who is None and (who := _according_to(ctx.sentence_text)) is not None:
        how = "according-to"
    if who is not None:
        who, by_pronoun = _resolve(art, who, raw.open)
        how = "pronoun" if by_pronoun and who else how if who else "none"
    if who is not None and who.kind in ("anon", "definite"):
        who = _named_in_apposition(art, who, raw) or who
    return _Found(raw, kind, who, how)


# "a ministry spokesperson, Yoon Ji-soo, told reporters": the role, then the name.
_APPOSED_NAME_RE = re.compile(
    r",\s+([A-Z][a-z]+(?:-[a-z]+)?(?:[ -][A-Z][a-z]+(?:-[a-z]+)?){1,2})(?=\s*,|\s+(?:said|says|told|added)\b|\s*\.)")


def _named_in_apposition(art: _Article, who: _Who, raw: _Raw) -> _Who | None:
    """The person a role phrase names right after it, within the quote's reach."""
    lo = max(0, raw.open - 300)
    hi = min(len(art.text), (raw.close if raw.close is not None else raw.end) + 200)
    at = art.text.find(who.text, lo, hi)
    if at < 0:
        return None
    named = _APPOSED_NAME_RE.match(art.text, at + len(who.text))
    return _Who("person", named.group(1), role=who.text) if named else None


def _continue_speakers(art: _Article, found: list[_Found]) -> None:
    """Pieces of one quote share a speaker; an unattributed quote right after X's quote is X's."""
    for item in found:
        if item.who is None:
            first = next((f for f in found if f.raw.chain == item.raw.chain and f.who is not None), None)
            if first is not None:
                item.who, item.how = first.who, "continuation"
    for n, item in enumerate(found):
        sent = art.sentence(item.raw.open)
        if item.who is not None or item.kind != "direct" or art.text[art.sents[sent].start:item.raw.open].strip():
            continue
        prev = found[n - 1] if n > 0 else None
        prev_end = (prev.raw.close if prev.raw.close is not None else prev.raw.end) if prev else -1
        if prev is not None and prev.who is not None and _adjacent(art, art.sentence(prev_end), sent):
            item.who, item.how = prev.who, "continuation"
        elif sent > 0 and prev_end < art.sents[sent - 1].start:
            # "Lee said the people fear Kim Jong-un more. / 'Kim ended up killing his uncle ...'"
            said = [s.who for s in art.said if art.sents[sent - 1].start <= s.pos < art.sents[sent - 1].end]
            if said:
                item.who, item.how = said[-1], "continuation"


# A question line of an interview: "Q: How did the police find you?"
_QUESTION_LINE_RE = re.compile(r"^[ \t]*(?:Q|Question)[ \t]*[:.]", re.MULTILINE)


def _interview_answers(art: _Article, found: list[_Found]) -> None:
    """In a question-and-answer piece, an unattributed quotation standing as a paragraph
    of its own is the interviewee's answer: the person quoted most by name elsewhere."""
    if len(_QUESTION_LINE_RE.findall(art.text)) < 2:
        return
    people = [item.who for item in found if item.who is not None and item.who.kind == "person"]
    if not people:
        return
    names = [who.text for who in people]
    interviewee = max(people, key=lambda who: names.count(who.text))
    for item in found:
        paragraph = art.paras[art.paragraph(item.raw.open)]
        whole = not art.text[paragraph.start:item.raw.open].strip(" \t\"“‘'")
        if item.who is None and item.kind == "direct" and whole:
            item.who, item.how = interviewee, "continuation"


def _adjacent(art: _Article, prev: int, index: int) -> bool:
    """Sentence ``index`` follows ``prev`` with at most a bare attribution between ("Rodman said.")."""
    between = art.sents[prev + 1:index]
    return all(len(s.text.split()) <= 12 and _SAY_RE.search(s.text) and not _MARK_RE.search(s.text)
               for s in between) and len(between) <= 1


def _candidates(art: _Article, raw: _Raw) -> tuple[str, ...]:
    """Names in the quote's paragraph and the one before, nearest first."""
    lo = art.paras[max(0, raw.para - 1)].start
    hi = art.paras[raw.para].end
    # Places are never offered: asked to choose, a small model picks "Sinuiju" as readily as a person.
    pool = [(m.start, m.name) for m in art.mentions if lo <= m.start < hi and m.kind != "place"
            and not _heading(art.text, m.start)]
    pool += [(s.who.start, s.who.text) for s in art.said if lo <= s.pos < hi and s.who.kind == "anon"]
    pool.sort(key=lambda item: abs(item[0] - raw.start))
    names: list[str] = []
    for _, name in pool:
        if name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return tuple(names[:MAX_CANDIDATES])


def _heading(text: str, pos: int) -> bool:
    """A line in Title Case without a full stop: a headline or caption, whose names are no speakers."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    capitalised = sum(1 for word in words if word[0].isupper())
    return not line.endswith((".", "!", "?", ":", "\"", "”", "'", "’")) and capitalised >= 0.6 * max(1, len(words))


def _headline_repeat(art: _Article, raw: _Raw) -> bool:
    """A quote in a headline line that the body repeats: keep only the body's."""
    line_start = art.text.rfind("\n", 0, raw.open) + 1
    line_end = art.text.find("\n", raw.start)
    line_end = len(art.text) if line_end < 0 else line_end
    line = art.text[line_start:line_end].strip()
    if line.rstrip("\"'”’»」』").endswith((".", "!", "?")) or len(line.split()) > 25:
        return False
    rest = (art.text[:line_start] + "\n" + art.text[line_end:]).casefold()
    return raw.text.casefold() in rest


def find_quotes(text: str) -> list[QuoteCandidate]:
    """Every quotation in ``text`` with its speaker where reported-speech patterns name one."""
    art = _Article(text)
    # A headline repeating the body's quote is dropped first, so that it lends no speaker onwards.
    found = [_attribute(art, n) for n in range(len(art.raws)) if not _headline_repeat(art, art.raws[n])]
    _continue_speakers(art, found)
    _interview_answers(art, found)
    out = []
    for item in found:
        raw, who = item.raw, item.who
        if who is None and item.kind == "partial" and _word_count(raw.text) <= SCARE_QUOTE_WORDS:
            continue  # the so-called "re-education" camps: the writer's scare quotes
        if item.kind == "partial" and _title_case(raw.text):
            continue  # 'Dear Leader', the book 'Rage': a name or title, not someone's words
        role = (who.role or (art.role_of(who.text) if who.kind == "person" else None)) if who else None
        out.append(QuoteCandidate(raw.text, raw.start, raw.end, item.kind, who.text if who else None, role,
                                  item.how if who else "none", _candidates(art, raw)))  # type: ignore[arg-type]
    return out
