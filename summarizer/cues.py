"""Incidents and stakeholder stances found by code, sentence by sentence.

The embedded model is a 270M base model: asked for an incident type it answers
"arrest", asked for a stance it answers "neutral" (ARCHITECTURE.md). So the
judgement lives here, in readable lexicons, and a model is only asked about
what these finders leave empty.

Decisions a caller should know:

* An incident is something that happened to people. A trigger verb counts only
  with a people word (defectors, North Koreans, women, they, ...) or a people
  count as its subject (passive) or object (active); fleeing and dying may
  have a people subject instead. "A UN committee released a draft resolution"
  is no release; "were not detained" is nothing at all.
* ``generic`` marks habitual or policy statements ("defectors are typically
  deported", "China is steadfast in deporting escapees"). They describe how
  things go, not one event; callers usually keep them out of ``incidents``.
* Tallies ("HRW logged 51 arrests of defectors between X and Y") are generic
  too: a tally is many events with no single time, place or actor.
* ``hypothetical`` marks what may, should or should not happen ("could be
  repatriated", "urged China not to send them back", "if China decides to
  release the defectors").
* Consecutive sentences about the same event (same type, neither
  hypothetical nor generic, no new count, date or place) are merged here:
  the cue keeps the first sentence in ``sentence`` and every sentence in
  ``evidence``. Exact repeats of a sentence (a headline printed twice) are
  merged too. Cues of different types about one event (arrested, then
  detained, then taken into custody) are not merged: that is the caller's.
* A stance needs a stakeholder the text names (a speaker, a reported-speech
  source, the subject of the clause): the writer's own voice ("Beijing must
  stop repatriating defectors") gives none. Cue phrases count only near the
  central issue (a repatriation or defector word in the sentence or the three
  before it), so "in violation of state rules" elsewhere is no stance.
* Stances are per sentence and stakeholder. ``merge_stances`` folds them per
  stakeholder: supports and opposes together make "mixed"; a directional
  stance outweighs "neutral".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from summarizer.normalize import find_count, find_date
from summarizer.segment import Segment, SegmentedText

# ---------------------------------------------------------------- gazetteer

# Places this corpus names, mapped to (city, region, country). Only places
# named in the text are ever filled in: nothing is inferred beyond this table.
_CHINA, _NK, _SK = "China", "North Korea", "South Korea"
GAZETTEER: dict[str, tuple[str | None, str | None, str | None]] = {
    # Countries on the escape routes and the two Koreas.
    **{name: (None, None, name) for name in (
        "China", "North Korea", "South Korea", "Laos", "Thailand", "Vietnam",
        "Myanmar", "Mongolia", "Russia", "Cambodia",
    )},
    "DPRK": (None, None, _NK),
    "N. Korea": (None, None, _NK),
    "N Korea": (None, None, _NK),
    "ROK": (None, None, _SK),
    # Chinese provinces along the border and the routes south.
    "Jilin": (None, "Jilin", _CHINA),
    "Liaoning": (None, "Liaoning", _CHINA),
    "Heilongjiang": (None, "Heilongjiang", _CHINA),
    "Yunnan": (None, "Yunnan", _CHINA),
    "Shandong": (None, "Shandong", _CHINA),
    "Guangxi": (None, "Guangxi", _CHINA),
    "Yanbian": (None, "Jilin", _CHINA),
    # Chinese cities: border towns with detention centres, and transit cities.
    "Tumen": ("Tumen", "Jilin", _CHINA),
    "Yanji": ("Yanji", "Jilin", _CHINA),
    "Changbai": ("Changbai", "Jilin", _CHINA),
    "Helong": ("Helong", "Jilin", _CHINA),
    "Longjing": ("Longjing", "Jilin", _CHINA),
    "Hunchun": ("Hunchun", "Jilin", _CHINA),
    "Changchun": ("Changchun", "Jilin", _CHINA),
    "Dandong": ("Dandong", "Liaoning", _CHINA),
    "Shenyang": ("Shenyang", "Liaoning", _CHINA),
    "Kunming": ("Kunming", "Yunnan", _CHINA),
    "Qingdao": ("Qingdao", "Shandong", _CHINA),
    "Nanning": ("Nanning", "Guangxi", _CHINA),
    "Beijing": ("Beijing", "Beijing", _CHINA),
    "Shanghai": ("Shanghai", "Shanghai", _CHINA),
    # North Korean provinces and cities people flee from or are returned to.
    "Ryanggang": (None, "Ryanggang", _NK),
    "North Hamgyong": (None, "North Hamgyong", _NK),
    "Hyesan": ("Hyesan", "Ryanggang", _NK),
    "Bocheon": ("Bocheon", "Ryanggang", _NK),
    "Hoeryong": ("Hoeryong", "North Hamgyong", _NK),
    "Musan": ("Musan", "North Hamgyong", _NK),
    "Chongjin": ("Chongjin", "North Hamgyong", _NK),
    "Sinuiju": ("Sinuiju", "North Pyongan", _NK),
    "Pyongyang": ("Pyongyang", "Pyongyang", _NK),
    # South Korean places where defectors arrive or activists work.
    "Seoul": ("Seoul", "Seoul", _SK),
    "Busan": ("Busan", "Busan", _SK),
    "Incheon": ("Incheon", "Incheon", _SK),
    "Paju": ("Paju", "Gyeonggi", _SK),
}
_GAZ = "|".join(re.escape(name) for name in sorted(GAZETTEER, key=len, reverse=True))
# Case-sensitive: "China" the place, not "china" the porcelain.
_GAZ_RE = re.compile(rf"(?<![\w-])(?:{_GAZ})(?![\w])")

# ---------------------------------------------------------------- incident lexicon

# Notation, so the lexicons read like the prose they match:
#   "arrest~"    regular inflections: arrest, arrests, arrested, arresting
#   "a/b/c"      alternative words at one position
#   "..."        up to four words in between ("sent them back")
#   "{NK}"       a way of naming North Korea as a destination
#   "{GOV}"      a way of naming the Chinese state ("urged Beijing to ...")
#   "{CUSTODY}"  a place people are held: "a detention center", "the camp"
#   "{PLACE}"    a place in the gazetteer below
# Longer matches win over shorter ones at the same place, so "handed over to
# North Korea" is a repatriation while a bare "handed over" is a transfer.
_NK_DEST = (
    r"(?:North\s+Korean?(?:\s+(?:authorities|officials|security|police))?|the\s+North|Pyongyang|"
    r"(?:the\s+)?DPRK|N\.?\s?Korea|their\s+(?:home\s+)?country|their\s+homeland|their\s+country\s+of\s+origin)"
)
_GOV = (
    r"(?:(?:China|Beijing|the\s+Chinese\s+government|(?:the\s+)?Chinese\s+(?:authorities|officials|leaders)|"
    r"their\s+government|the\s+(?:Chinese\s+)?authorities|the\s+government|"
    r"Chinese\s+President\s+[A-Z]\w+(?:\s+[A-Z]\w+)?)"
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|again|once\s+again))?)"
)
_CUSTODY = (
    r"(?:an?|the|their)\s+(?:[\w-]+\s+){0,3}?(?:detention\s+(?:cent(?:er|re)|facility|camp)|camps?|"
    r"cent(?:er|re)s?|prisons?|jails?|facilit(?:y|ies)|bureaus?|station|detention|custody|safe\s+house|cells?)"
)
_PLACEHOLDERS = {"{NK}": _NK_DEST, "{GOV}": _GOV, "{CUSTODY}": _CUSTODY, "{PLACE}": f"(?:{_GAZ})"}

INCIDENT_TRIGGERS: dict[str, tuple[str, ...]] = {
    "arrest": (
        "arrest~", "apprehend~", "capture~", "intercept~",
        "catch/caught/catches/catching",   # "20 defectors it caught last month"
        "round~ up",                       # "officials rounded up 29 defectors"
        "take/took/taken/taking into custody",
        "arrest of",                       # nominal, only with people after "of"
    ),
    "detention": (
        "detain~",
        "held",                            # "being held", "held at a centre": people required
        "kept/keep/keeps/keeping ... at/in",  # "Beijing kept them at a camp"
        "in detention", "in custody",
        "imprison~", "jailed", "locked up", "behind bars",
        "detention of",
    ),
    "repatriation": (
        "repatriate~",
        "deport~",
        "send/sent/sends/sending ... back",  # "sent back", "sending back them"
        "send/sent/sends/sending ... to {NK}",
        "hand~ ... over to {NK}",          # "handed them over to North Korea"
        "hand~ over ... to {NK}",          # "handed over 20 defectors to Pyongyang"
        "turn~ ... over to {NK}",          # "Beijing turned over to Pyongyang 20 defectors"
        "turn~ over ... to {NK}",
        "return~ ... to {NK}",             # "returned to the North"
        "forcibly return~",
        "expel~/expelled",
        "repatriation of", "deportation of",
    ),
    "release": (
        "release~", "freed/freeing",           # not "free", mostly an adjective
        "set free", "let go", "let ... go",
        "allow~ ... to leave/go",          # "allowed to leave for South Korea"
        "release of",
    ),
    "escape": (
        "flee/fled/flees/fleeing",
        "escape~",
        "defect~",                         # the verb; "defectors" is a noun and not matched
        "cross~ ... border",               # "crossed the border", "crossing the Tumen border"
        "cross~ ... into",                 # "crossing the frozen Yalu River into China"
    ),
    "transfer": (
        "transfer/transfers/transferred/transferring",
        # Moved, taken or sent to a place of custody or a named place; "took to
        # the stage" and "send soldiers to war" are not transfers.
        "move~ to {CUSTODY}/{PLACE}",
        "take/took/taken ... to {CUSTODY}/{PLACE}",  # "taken to a detention center"
        "send/sent/sends/sending ... to {CUSTODY}/{PLACE}",  # "sent to a public security bureau"
        "hand~ over",                      # "handed over to a concentration camp"
        "transfer of",
    ),
    "trial": (
        "sentenced", "sentencing",         # not "sentence", mostly a noun
        "tried",                           # "tried to flee" is excluded below
        "convict~", "prosecute~", "indicted",
        "charged with",
        "stand/stood/standing trial", "face~ trial",
    ),
    "death": (
        "died",                            # "died down" is excluded below
        "killed", "executed", "shot dead", "drowned", "murdered",
        "beaten to death", "froze to death", "tortured to death",
        "execution of",
    ),
}

# Phrases that begin like a trigger but are not one.
_FALSE_TRIGGERS = (
    "died down", "died out", "tried to", "tried and", "caught up", "caught on", "caught fire",
    "held talks", "held a ", "held an ", "held its", "held their", "held his", "held her",
    "held up", "held back", "held out", "held firm", "kept silent", "kept quiet",
    "freed up", "let go of", "escape route",
)


# The words "..." may stand for: an object, not a new verb or clause
# ("sent back are indeed subject to" is no "sent ... to").
_GAP = r"(?:\s+(?!(?:back|are|is|was|were|be|been|and|but|that|who|which|when)\b)[\w'’.,-]+){0,4}?\s+"


def _inflect(word: str) -> str:
    """Regular verb forms: "arrest~" -> arrest|arrests|arrested|arresting."""
    if word.endswith("ee"):
        return rf"{word}(?:s|d|ing)?"
    if word.endswith("e"):
        return rf"{word[:-1]}(?:e|es|ed|ing)"
    return rf"{word}(?:s|ed|ing)?"


def _word_regex(word: str) -> str:
    forms = [
        _PLACEHOLDERS[w] if w in _PLACEHOLDERS else _inflect(w[:-1]) if w.endswith("~") else re.escape(w)
        for w in word.split("/")
    ]
    return "(?:" + "|".join(forms) + ")"


def _phrase_regex(phrase: str, gap: str = _GAP) -> str:
    """Compile one lexicon phrase in the notation above into a regex."""
    parts, joiners = [], []
    for token in phrase.split():
        if token == "...":
            joiners[-1] = gap
            continue
        parts.append(_word_regex(token))
        joiners.append(r"\s+")
    body = parts[0] + "".join(j + p for j, p in zip(joiners, parts[1:]))
    return rf"(?<![\w-]){body}(?![\w-])"


_TRIGGER_RES = [
    (kind, re.compile(_phrase_regex(phrase), re.IGNORECASE))
    for kind, phrases in INCIDENT_TRIGGERS.items()
    for phrase in phrases
]

# Who an incident can happen to. Pronouns count: "They fled ... but were taken
# into custody". "North Korean" alone does not: it is usually an adjective.
_PEOPLE = (
    r"(?:North|South)\s+Koreans|N\.?\s?Koreans|defectors?|refugees?|escapees?|asylum[- ]seekers?|"
    r"detainees?|migrants?|border[- ]crossers|people|persons?|individuals|women|woman|men|man|"
    r"children|child|boys?|girls?|bab(?:y|ies)|infants?|famil(?:y|ies)|relatives|couples?|groups?|"
    r"nationals|citizens|captives|prisoners|inmates|wife|husband|sons?|daughters?|mother|father|"
    r"brothers?|sisters?|crew|fishermen|soldiers|workers|those|they|them|he|him|she|her|themselves"
)
_PEOPLE_RE = re.compile(rf"(?<![\w-])(?:{_PEOPLE})(?![\w-])", re.IGNORECASE)
# The people phrase kept as `subjects`: a people noun with what describes it.
_SUBJECT_RE = re.compile(
    r"(?<![\w-])(?:(?:(?:North|South)\s+Korean|N\.?\s?K\.?|DPRK|would-be|female|male|young|Christian|"
    r"other|fellow|suspected)\s+)*"
    r"(?:(?:North|South)\s+Koreans|N\.?\s?Koreans|defectors?|refugees?|escapees?|asylum[- ]seekers?|"
    r"detainees?|migrants?|border[- ]crossers|women|men|children|families|family|group|people|nationals)"
    r"(?![\w-])",
    re.IGNORECASE,
)

# The subject right before an active trigger: "They fled", "defectors who cross".
_SUBJECT_BEFORE_RE = re.compile(
    rf"(?<![\w-])(?:{_PEOPLE})\s+(?:(?:who|that|had|have|has|also|then|later|all|both|first|\w+ly)\s+)*$",
    re.IGNORECASE,
)
# The object before its verb, in a relative clause: "20 defectors it caught last month".
_OBJECT_BEFORE_RE = re.compile(
    rf"(?<![\w-])(?:{_PEOPLE})\s+(?:(?:that|whom)\s+)?(?:it|they|[A-Z][\w-]*(?:\s+[a-z]+)?|the\s+police|police|"
    r"authorities)\s+(?:(?:had|have|has|also|then|later|first|\w+ly)\s+)*$",
    re.IGNORECASE,
)
# The object right after an active trigger, within a few words: "arrested a defector".
_OBJECT_RE = re.compile(rf"^[“”\"']?(?:[\w'’.,“”\"-]+\s+){{0,4}}?(?:{_PEOPLE})(?![\w-])", re.IGNORECASE)
# "were not detained", "has never been deported": nothing happened.
_NEGATED_RE = re.compile(r"\b(?:not|never|n't)\s+(?:(?:been|be|being|yet|\w+ly)\s+)*$", re.IGNORECASE)

# Habitual, present-tense and policy language: how things usually go.
_GENERIC_RE = re.compile(
    r"\b(?:usually|typically|routinely|often|generally|commonly|normally|always|frequently|regularly|"
    r"customarily|whenever|tends?\s+to|are\s+considered|is\s+considered|polic(?:y|ies)\s+(?:of|to)|"
    r"practice\s+of|every\s+year|each\s+year|since\s+(?:1[89]|20)\d\d|tens\s+of\s+thousands)\b",
    re.IGNORECASE,
)
# "Those arrested ...", "those who flee ...": a class of people, not a group.
_THOSE_RE = re.compile(r"\b(?:those|others)\s+(?:who\s+(?:are\s+|were\s+)?)?(?:\w+ly\s+)?$", re.IGNORECASE)
# A particular group: "the woman", "these 11 defectors", "her brother".
_DEFINITE_RE = re.compile(
    rf"\b(?:the|this|these|her|his|their|my|our)\s+(?:[\w-]+\s+){{0,3}}?(?:{_PEOPLE})(?![\w-])", re.IGNORECASE
)
_BE_PRESENT_RE = re.compile(r"\b(?:is|are)\s+(?:(?:also|then|often|\w+ly)\s+)?$", re.IGNORECASE)
_BE_AUX_RE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being|get|gets|got|gotten)\s+(?:(?:not|also|then|later|now|still|\w+ly)\s+)?$",
    re.IGNORECASE,
)
# "was arrested in Shenyang and sent back": the second participle is passive too.
_PASSIVE_AND_RE = re.compile(
    r"\b(?:was|were|been|being|is|are)\s+\w+ed\b[^,;]{0,60}\s(?:and|or|then|before\s+being)\s+"
    r"(?:\w+ly\s+|then\s+|later\s+)?$",
    re.IGNORECASE,
)
_AFTER_PREP_RE = re.compile(r"\b(?:after|before|upon|while|since|when)\s+(?:\w+ly\s+)?$", re.IGNORECASE)

# What has not happened (yet): modals, infinitives, conditions, fears, plans.
_MODAL_RE = re.compile(
    r"\b(?:could|would|might|may|will|shall|should|must|can|cannot|can't|won't|wouldn't|to|"
    r"plans?\s+to|planned\s+to|threaten(?:s|ed)?\s+to)\s+(?:not\s+)?(?:have\s+)?(?:be\s+|been\s+|get\s+)?"
    r"(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
# An infinitive of something that did happen: "managed to escape".
_ACHIEVED_RE = re.compile(r"\b(?:managed|able|succeeded|went\s+on|continued)\s+to\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_CONDITION_RE = re.compile(
    r"\b(?:if|unless|whether|in\s+case|fears?\s+that|feared\s+that|at\s+risk\s+of|risk\s+of|"
    r"afraid|terrified|scared|worried|fearful|"
    r"threat(?:ened)?\s+(?:of|with)|considering|consider|mulls|mulling|face|faces|facing|awaiting|await|"
    r"pending|halt|stop|end|prevent|avoid|against|urg(?:e|es|ed|ing)|demand(?:s|ed|ing)?|possible|potential|"
    r"plan|request)\b[^,;]*$",
    re.IGNORECASE,
)

# Who acted: state bodies, written as they are ("Chinese police", "Beijing").
_AGENT = (
    r"(?:the\s+)?(?:[A-Z][\w'’-]*\s+){1,3}(?:[a-z]+\s+){0,2}?"
    r"(?:police(?:\s+officers)?|authorities|officials|officers|troops|soldiers|guards|agents|forces|"
    r"government|regime)"
    r"|(?:the\s+)?(?:police|authorities)"
    r"|China|Beijing|Pyongyang|North Korea|Laos|Thailand|Vietnam|Mongolia|Russia|Cambodia|Myanmar"
)
_AGENT_BY_RE = re.compile(rf"\bby\s+({_AGENT})")
_AGENT_BEFORE_RE = re.compile(
    rf"({_AGENT}|\bit|\bthey)\s+(?:(?:who|that|which|had|has|have|reportedly|allegedly|forcibly|also|then|"
    rf"later|recently|finally|first|eventually|quickly|secretly|apparently|once|again)\s+)*$"
)

# Where: a preposition and a place ("in Tumen", "a checkpoint near the Laos
# border", "the city of Shenyang, Liaoning province").
_CAP = r"[A-Z][A-Za-z'’-]*"
_CAPSEQ = rf"{_CAP}(?:[ -]{_CAP})*"
_LOC_PREP_RE = re.compile(r"\b(?:in|at|near|inside|outside|across|from|along)\s+")
_TRANSFER_PREP_RE = re.compile(r"\b(?:in|at|near|inside|to)\s+")
# Words that may describe a place before its name: "the border town of Tumen".
_PLACE_WORDS = (
    r"(?:border|town|city|village|county|province|region|area|areas|capital|port|frontier|river|"
    r"northeastern|northern|southern|eastern|western|remote|rural|mountainous|detention|concentration|"
    r"labou?r|prison|camp|cent(?:er|re)|checkpoint|facility|station|bus|train|house|home|church)"
)
_LOC_NAMED_RE = re.compile(
    rf"(?:(?:the|a|an)\s+)?(?:{_PLACE_WORDS}\s+){{0,3}}?(?:(?:of|near|in|between)\s+(?:the\s+)?)?"
    rf"{_CAPSEQ}(?:\s+(?:province|border|region|county|city|prefecture))?"
    rf"(?:,\s+{_CAPSEQ}\s+province|\s+and\s+(?:{_GAZ})(?![\w]))?"
    rf"(?:\s+(?:detention|concentration|labou?r|prison|holding)\s+(?:center|centre|camp|facility))?"
    rf"(?:\s+near\s+the\s+{_CAPSEQ}\s+border)?"
)
_LOC_PLAIN_RE = re.compile(
    r"(?:the|a|an)\s+(?:[a-z][\w-]*\s+){0,2}?"
    r"(?:checkpoint|border|border\s+area|detention\s+(?:center|centre|facility)|concentration\s+camp|"
    r"labou?r\s+camp|prison\s+camp|safe\s+house|hideout|church)\b"
)

_STATUS_PATTERNS = (
    (r"await(?:s|ed|ing)?\s+(?:their\s+)?(?:forced\s+)?(?:repatriation|deportation)", "awaiting repatriation"),
    (r"fac(?:e|es|ing)\s+(?:forced\s+)?(?:deportation|repatriation)", "facing repatriation"),
    (r"(?:currently|still)\s+(?:being\s+)?(?:detained|held)|remain(?:s|ed)?\s+in\s+(?:detention|custody)|"
     r"(?:are|is)\s+being\s+held|under\s+investigation", "detained"),
    (r"(?:gone|went|go|goes)\s+missing|whereabouts\s+(?:are\s+|remain\s+)?unknown", "missing"),
)

# A participle used as an adjective ("the arrested escapees", "for repatriated
# defectors") or a noun ("their escape") is a mention, not an event.
_DETERMINERS = frozenset(
    "the a an these those their its his her our of for with about all some many other treated as".split()
)


@dataclass(frozen=True)
class IncidentCue:
    sentence: Segment
    type: str
    trigger: str
    actors: tuple[str, ...] = ()
    subjects: str | None = None
    people_text: str | None = None
    count: int | None = None
    approximate: bool = False
    date_text: str | None = None
    location_text: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    status: str | None = None
    hypothetical: bool = False
    generic: bool = False
    trigger_start: int = 0                        # offset of `trigger` in the article text
    evidence: tuple[Segment, ...] = field(default=())  # every sentence reporting it, `sentence` first


# ---------------------------------------------------------------- incidents


def find_incidents(segmented: SegmentedText) -> list[IncidentCue]:
    """Every incident cue in the article, consecutive reports of one event merged."""
    cues = []
    for index, sentence in enumerate(segmented.sentences):
        cues.extend((index, cue) for cue in incidents_in(sentence))
    return _merge(cues)


def incidents_in(sentence: Segment) -> list[IncidentCue]:
    """Incident cues of one sentence, in order."""
    triggers = _triggers(sentence.text)
    found = []
    for position, match in enumerate(triggers):
        previous_end = triggers[position - 1][1].end() if position else 0
        next_start = triggers[position + 1][1].start() if position + 1 < len(triggers) else len(sentence.text)
        cue = _cue(sentence, match[0], match[1], previous_end, next_start)
        if cue is not None:
            found.append(cue)
    return _shared_actors(found)


def _triggers(text: str) -> list[tuple[str, re.Match]]:
    """Non-overlapping trigger matches, the longest winning at each place."""
    matches = [(kind, m) for kind, regex in _TRIGGER_RES for m in regex.finditer(text)]
    matches.sort(key=lambda item: (item[1].start(), -(item[1].end() - item[1].start())))
    kept, end = [], -1
    for kind, match in matches:
        if match.start() >= end and not _false_trigger(text, match):
            kept.append((kind, match))
            end = match.end()
    return kept


def _false_trigger(text: str, match: re.Match) -> bool:
    rest = text[match.start():].lower()
    if any(rest.startswith(phrase) for phrase in _FALSE_TRIGGERS):
        return True
    words = text[: match.start()].split()
    before = words[-1].lower().strip(",") if words else ""
    before = "the" if re.search(r"[’']s$", before) else before   # "the film's release"
    if before not in _DETERMINERS or match.group().lower().endswith(" of"):
        return False
    # "the arrested escapees", "for repatriated defectors" (adjectives), "their escape" (a noun).
    participle = re.search(r"(?:ed|en|ught|eld)$", match.group(), re.IGNORECASE)
    return not participle or bool(_SUBJECT_RE.match(text, match.end() + 1))


def _cue(sentence: Segment, kind: str, match: re.Match, window_start: int, window_end: int) -> IncidentCue | None:
    """The cue for one trigger, or None when it is no event that happened to people.

    The window runs from the trigger before to the trigger after, so that each
    trigger of a sentence finds its own count, date and place.
    """
    text = sentence.text
    before = _clause_before(text, match)
    passive = bool(_BE_AUX_RE.search(before) or _PASSIVE_AND_RE.search(before)) or _reduced_relative(before)
    after = text[match.end():window_end]
    if _NEGATED_RE.search(before) or not _about_people(kind, before, match.group(), after, passive):
        return None
    return _describe(sentence, kind, match, (window_start, window_end), before, passive)


def _describe(sentence: Segment, kind: str, match: re.Match, window: tuple[int, int], before: str, passive: bool):
    text, (window_start, window_end) = sentence.text, window
    near = _near(before, text[match.end():window_end], match.group(), passive)
    count = find_count(text[window_start:window_end]) or find_count(near)
    location = _location(text, match, window_start, window_end, kind)
    cue = IncidentCue(
        sentence=sentence,
        type=kind,
        trigger=match.group(),
        actors=_actors(text, match, passive, window_end),
        subjects=_subjects(text, match, passive),
        people_text=count[0] if count else None,
        count=count[1] if count else None,
        approximate=count[2] if count else False,
        date_text=_date(text, match, window_start, window_end),
        location_text=location,
        **_place(location),
        hypothetical=_hypothetical(before),
        generic=_generic(text, match, before),
        trigger_start=sentence.start + match.start(),
        evidence=(sentence,),
    )
    if match.group().lower().endswith(" of") and cue.count is None and cue.date_text is None:
        cue = replace(cue, generic=True)   # "China's repatriation of defectors": the practice
    return replace(cue, status=_status(text) or _status_from_type(cue))


# Where a new clause with its own subject begins; coordinated verbs without a
# subject ("They fled ..., but were taken into custody") stay in one clause.
_CLAUSE_BREAK_RE = re.compile(
    r"[;:]|\s+[—–]\s+|\bthat\s+|,\s+(?:but|and|while|although|whereas)\s+"
    r"(?!(?:was|were|is|are|had|has|have|been|then|later|also)\b)"
)


def _clause_before(text: str, match: re.Match) -> str:
    """The trigger's clause up to the trigger."""
    before = text[: match.start()]
    breaks = list(_CLAUSE_BREAK_RE.finditer(before))
    return before[breaks[-1].end():] if breaks else before


def _reduced_relative(before: str) -> bool:
    """A participle right after a people noun: "defectors apprehended on Tuesday", "defectors currently detained"."""
    return bool(re.search(rf"(?:{_PEOPLE})\s+(?:\w+ly\s+)?$", before, re.IGNORECASE))


def _about_people(kind: str, before: str, trigger: str, after: str, passive: bool) -> bool:
    """Whether the trigger happens to people: its subject if passive, else its object
    (or, for what people do themselves, fleeing or dying, its subject)."""
    following = " ".join(after.split()[:8])
    if trigger.lower().endswith(" of"):   # "the release of 11 defectors", not "of the footage ... she"
        following = " ".join(after.split()[:5])
        return bool(_SUBJECT_RE.search(following) or find_count(following))
    if _PEOPLE_RE.search(trigger):        # "sent them back", "kept the defectors at"
        return True
    if passive:
        preceding = " ".join(before.split()[-20:])
        return bool(_PEOPLE_RE.search(preceding) or find_count(preceding))
    if _OBJECT_RE.match(following) or find_count(following) or _OBJECT_BEFORE_RE.search(before):
        return True
    # "the two men held summit meetings" is no detention: only fleeing and dying need no object.
    return kind in ("escape", "death") and bool(_SUBJECT_BEFORE_RE.search(before))


def _near(before: str, after: str, trigger: str, passive: bool) -> str:
    """The words around a trigger where its people should be named."""
    words = before.split()
    words = words[-20:] if passive else words[-8:]
    return " ".join([*words, trigger, *after.split()[:8]])


def _date(text: str, match: re.Match, window_start: int, window_end: int) -> str | None:
    """A date in the trigger's own clause: not "urged China Wednesday" for "who were arrested"."""
    before = text[window_start: match.start()]
    breaks = list(re.finditer(rf"{_CLAUSE_BREAK_RE.pattern}|\b(?:who|which|said|says|told)\s+", before))
    start = window_start + (breaks[-1].end() if breaks else 0)
    return find_date(text[start:window_end])


def _hypothetical(before: str) -> bool:
    if _MODAL_RE.search(before) and not _ACHIEVED_RE.search(before):
        return True
    return bool(_CONDITION_RE.search(" ".join(before.split()[-6:])))


def _generic(text: str, match: re.Match, before: str) -> bool:
    """How things usually go, rather than one event."""
    trigger = match.group().split()[0].lower()
    rest = re.split(r"[,;:—]", text[match.end():])[0]
    if _GENERIC_RE.search(before + match.group() + rest) or _THOSE_RE.search(before):
        return True
    if re.search(r"(?:\d|\banother)\s+$", before) and trigger.endswith("s"):
        return True   # a tally: "logged 51 arrests", "another 41 arrests"
    if trigger.endswith("ing") and not _BE_AUX_RE.search(before) and not _AFTER_PREP_RE.search(before):
        return not re.search(r"\b(?:was|were|had|did)\b", before)   # but "were attempting to flee"
    # Headlines tell past events in the present: "China sends back 20 defectors".
    if _is_headline(text) or match.group().lower().endswith(" of"):
        return False
    return _present_passive(before) or _present_active(trigger, before)


def _is_headline(text: str) -> bool:
    return not re.search(r"[.!?\"”’']$", text.strip()) and len(text.split()) <= 16


def _present_passive(before: str) -> bool:
    """ "defectors are deported", but not "the woman is now held" (one person, now)."""
    if not _BE_PRESENT_RE.search(before) or re.search(r"\bbeing\s+$", before):
        return False
    return not (_DEFINITE_RE.search(before) or find_count(before))


def _present_active(trigger: str, before: str) -> bool:
    """ "China deports", "Beijing sends back", "few people cross the DMZ"."""
    present = re.fullmatch(r"\w+(?<!s)s", trigger) or _base_form(trigger)
    return bool(present) and not _BE_AUX_RE.search(before) and not _MODAL_RE.search(before) \
        and not re.search(r"\b(?:did|do|does|didn't)\s+(?:not\s+)?$", before)


_PAST_FORMS = frozenset("fled caught held kept sent took taken stood shot froze beaten tried let set freed".split())


def _base_form(word: str) -> bool:
    """ "cross", "escape", "deport": neither past, participle nor -ing."""
    return not (word.endswith(("ed", "ing", "en")) or word in _PAST_FORMS)


def _actors(text: str, match: re.Match, passive: bool, window_end: int) -> tuple[str, ...]:
    found = []
    by = _AGENT_BY_RE.search(text, match.end(), max(match.end(), min(window_end, match.end() + 80)))
    if by:
        found.append(by.group(1))
    if not passive:
        before = _AGENT_BEFORE_RE.search(text[: match.start()])
        if before:
            found.append(before.group(1))
    return tuple(dict.fromkeys(name.strip() for name in found))


def _shared_actors(cues: list[IncidentCue]) -> list[IncidentCue]:
    """ "Beijing turned over 20 defectors it caught": "it" is the actor named before."""
    named = next((a for cue in cues for a in cue.actors if a.lower() not in ("it", "they")), None)
    resolved = []
    for cue in cues:
        actors = tuple(a for a in cue.actors if a.lower() not in ("it", "they"))
        if len(actors) < len(cue.actors) and named:
            actors = tuple(dict.fromkeys((*actors, named)))
        resolved.append(replace(cue, actors=actors))
    return resolved


def _subjects(text: str, match: re.Match, passive: bool) -> str | None:
    before = list(_SUBJECT_RE.finditer(text[: match.start()]))
    after = _SUBJECT_RE.search(text, match.end(), min(len(text), match.end() + 60))
    if passive or after is None:
        return before[-1].group() if before else (after.group() if after else None)
    return after.group()


def _location(text: str, match: re.Match, window_start: int, window_end: int, kind: str) -> str | None:
    """The place of the event: the first one soon after the trigger, else the last before it."""
    after_end = min(window_end, match.end() + len(" ".join(text[match.end():].split()[:10])) + 1)
    # A transfer names its destination inside the trigger: "sent them to Yanji".
    after = _places(text, match.start() if kind == "transfer" else match.end(), after_end, kind)
    before = _places(text, window_start, match.start(), kind)[::-1]
    # A named place beats "a checkpoint"; after the trigger beats before it.
    ranked = [p for p in after if p[1]] + [p for p in before if p[1]] + after + before
    return ranked[0][0] if ranked else None


def _places(text: str, start: int, end: int, kind: str) -> list[tuple[str, bool]]:
    """Places after a location preposition in text[start:end], as written, and whether named."""
    found = []
    # A transfer's place is where people were taken: "sent to a camp in Tumen".
    preps = _LOC_PREP_RE if kind != "transfer" else _TRANSFER_PREP_RE
    for prep in preps.finditer(text, start, end):
        named = _LOC_NAMED_RE.match(text, prep.end())
        plain = _LOC_PLAIN_RE.match(text, prep.end())
        if named and (_GAZ_RE.search(named.group()) or "border" in named.group()):
            found.append((named.group().rstrip(" ,"), True))
        elif plain:
            found.append((plain.group(), False))
    return found


def _place(location: str | None) -> dict[str, str | None]:
    """City, region and country of the most specific gazetteer place named."""
    empty = {"city": None, "region": None, "country": None}
    if not location:
        return empty
    places = [GAZETTEER[m.group()] for m in _GAZ_RE.finditer(location)]
    for rank in (0, 1):   # a city first, then a region
        for place in places:
            if place[rank]:
                return dict(zip(("city", "region", "country"), place))
    countries = {place[2] for place in places}
    # "the border between North Korea and China" names no single country, and
    # "a checkpoint near the Laos border" may be on either side of it.
    if len(countries) != 1 or "border" in location:
        return empty
    return {**empty, "country": countries.pop()}


def _status(text: str) -> str | None:
    for pattern, status in _STATUS_PATTERNS:
        if re.search(pattern, text, re.IGNORECASE):
            return status
    return None


def _status_from_type(cue: IncidentCue) -> str | None:
    if cue.hypothetical or cue.generic:
        return None
    return {"repatriation": "repatriated", "release": "released"}.get(cue.type)


def _merge(indexed: list[tuple[int, IncidentCue]]) -> list[IncidentCue]:
    """Fold a cue into an earlier one that reports the same event."""
    merged: list[tuple[int, IncidentCue]] = []
    for index, cue in indexed:
        target = next((i for i, (at, old) in enumerate(merged) if _same_event(at, old, index, cue)), None)
        if target is None:
            merged.append((index, cue))
        else:
            at, old = merged[target]
            merged[target] = (index, _combine(old, cue))
    return [cue for _, cue in merged]


def _same_event(at: int, old: IncidentCue, index: int, new: IncidentCue) -> bool:
    if old.type != new.type or (old.hypothetical, old.generic) != (new.hypothetical, new.generic):
        return False
    if any(_bare(s.text) == _bare(new.sentence.text) and s.start != new.sentence.start for s in old.evidence):
        return True   # the same sentence printed twice, e.g. a headline
    if index - at != 1 or old.hypothetical or old.generic:
        return False   # what may happen, or usually happens, is no one event to fold
    differs = [
        getattr(new, name) is not None and getattr(old, name) not in (None, getattr(new, name))
        for name in ("count", "date_text", "location_text")
    ]
    return not any(differs) and (new.count is None or new.count == old.count)


def _bare(text: str) -> str:
    return " ".join(text.split()).rstrip(".").lower()


def _combine(old: IncidentCue, new: IncidentCue) -> IncidentCue:
    filled = {
        name: getattr(new, name)
        for name in ("subjects", "people_text", "count", "date_text", "location_text", "city", "region",
                     "country", "status")
        if getattr(old, name) is None and getattr(new, name) is not None
    }
    if "count" in filled:
        filled["approximate"] = new.approximate
    evidence = old.evidence + tuple(s for s in new.evidence if s not in old.evidence)
    actors = tuple(dict.fromkeys((*old.actors, *new.actors)))
    return replace(old, actors=actors, evidence=evidence, **filled)


# ---------------------------------------------------------------- stance lexicon

# Stance toward the article's central issue: China forcibly repatriating North
# Korean defectors. "supports" is for repatriation (China's own line), "opposes"
# against it. Same phrase notation as the incident lexicon; {GOV} names the
# Chinese state as the one being urged.
_STOP_VERBS = "stop/halt/end/cease/suspend"
_REPATRIATING = (
    "repatriating/repatriation/repatriations/deporting/deportation/deportations/sending/returning/"
    "refoulement"
)

STANCE_CUES: dict[str, tuple[str, ...]] = {
    "opposes": (
        "urge~ ... not to",                              # "urged their government not to send them back"
        f"urge~/ask~/press~ {{GOV}} to {_STOP_VERBS}/reconsider/protect/release/free/allow/let/grant/respect/send/"
        "recognize/recognise/abide/honor/honour/spare",  # "urged China to reconsider", "asking Beijing to let them"
        "call~ on {GOV} to",                             # "calling on Beijing to halt ..."
        "call~ for an end/a halt",
        "ask~ ... not to",                               # "asked China not to repatriate"
        "not be ... repatriated/returned/deported/sent", # "so that they will not be forcibly repatriated"
        "never be ... repatriated/returned/deported/sent",
        f"must/should {_STOP_VERBS} ... {_REPATRIATING}",  # "Beijing must stop repatriating"
        f"to {_STOP_VERBS} the ... {_REPATRIATING}",     # "pressure on Beijing to halt the repatriations"
        "condemn~/denounce~/criticize~/criticise~ {GOV}",   # not "NK authorities condemning border-crossers"
        "condemn~/denounce~/criticize~/criticise~ ... repatriation/repatriations/deportation/deportations/crackdown",
        "complicit",
        "violation of", "in violation", "violates", "violating",
        "non-refoulement", "principle of refoulement",
        "subject/subjected to torture/persecution/abuse/harsh/severe/punishment/execution/imprisonment/forced",
        "face/faces/faced/facing harsh/severe/torture/persecution/execution/imprisonment/death/punishment",
        "at risk of torture/persecution/execution/punishment",
        "deep/grave/serious concern/concerns", "deeply/gravely/seriously concerned",
        "express~ ... regret/dismay/alarm",               # "Seoul expressed regret over the repatriations"
        "prevent~ ... repatriation/repatriations/deportation/deportations/refoulement",
        "should/must be protected", "are refugees", "are genuine refugees",
        "recognize/recognise ... as refugees",           # "instead recognize them as refugees"
        "seek asylum", "refugee agency", "UNHCR",
        "protect~ ... asylum/refugees/defectors/escapees/North Koreans",
        "obligation to protect",
        "too cruel", "inhumane", "crimes/crime against humanity", "same as murdering",
    ),
    "supports": (
        "economic migrants",                             # China's description of the defectors
        "illegal migrants/immigrants/border-crossers/entrants",
        "not refugees", "rather than refugees",
        "not/never treat/regard/consider/recognize/recognise ... as refugees",
        "in accordance with",                            # "handle the case in accordance with law"
        "in line with",
        "according to the/domestic/international/Chinese law",
        "humanitarian principle/principles",
        "legitimate", "lawful",
        "groundless", "baseless", "unfounded", "no evidence of/that",
        "deny/denies/denied/denying ... reports/allegations/claims/accusations",
        "correct/right/proper course",
        "hold/holds/held fast",                          # "Beijing holds fast to its position"
        "abide/abides/abiding/abided by its/the repatriation",
        "steadfast in",                                  # "China is steadfast in deporting"
        "stick/sticks/stuck to the policy",
        "justify/justifies/justified/justifying the decision/repatriation/repatriations",
    ),
    "neutral": (
        "closely monitoring", "monitoring the situation",
        "decline~ to comment/elaborate/confirm/say/discuss/give",
        "refuse~ to confirm/comment",
        "unaware of", "not aware of",
        "would/will consider", "is/are being discussed", "are discussing",
        "checking out", "checking the",
        "no information", "did not provide details", "could not confirm",
        "remain~ silent", "no comment",
    ),
}
# Words that lean one way but also appear in plain reporting ("reports that
# China forcibly sent back 600 refugees"): they decide only when nothing
# stronger is in the sentence.
WEAK_STANCE_CUES: dict[str, tuple[str, ...]] = {
    "opposes": (
        "forcibly repatriate~", "forcibly return~", "forcibly send/sent/sending",
        "forced repatriation/repatriations/return/returns",
        "torture", "tortured", "execution", "executions", "persecution",
        "harsh/severe punishment/punishments", "labor/labour camps",
        "protest~ ... repatriation/repatriations/deportation/deportations/repatriate/deport",
        "fear/fears/feared that",                         # "rights groups fear that the rest will be sent back"
        "afraid/terrified/scared/fear/fearful of being",  # "terrified of being sent back"
    ),
    "supports": ("under a treaty", "bilateral treaty", "bilateral agreement"),
}


# In stance phrases "..." may span a clause: "does not treat those who flee North Korea as refugees".
_STANCE_GAP = r"(?:\s+[\w'’.,-]+){0,6}?\s+"


def _compile_cues(table: dict[str, tuple[str, ...]]) -> list[tuple[str, re.Pattern]]:
    return [
        (stance, re.compile(_phrase_regex(phrase, _STANCE_GAP), re.IGNORECASE))
        for stance, phrases in table.items()
        for phrase in phrases
    ]


_STRONG_CUES = _compile_cues(STANCE_CUES)
_WEAK_CUES = _compile_cues(WEAK_STANCE_CUES)

# ---------------------------------------------------------------- speakers

_SPEECH = (
    r"(?:said|says|say|told|tells|added|adds|noted|notes|warned|warns|warn|claimed|claims|stated|states|"
    r"urged|urges|urging|called\s+on|calls\s+on|calling\s+on|called\s+for|calls\s+for|asked|asks|asking|"
    r"argued|argues|insisted|insists|demanded|demands|condemned|condemns|criticized|criticised|"
    r"denounced|expressed|reported|reports|believes|believe|fears?|feared|confirmed|responded|explained|"
    r"wrote|writes|announced|declared|stressed|pointed\s+out|maintains|maintained|pledged|vowed|quoted|"
    r"asserted|acknowledged|suggested|recommended|saying)"
)
_SPEECH_RE = re.compile(rf"(?<![\w-]){_SPEECH}(?![\w-])")
# Auxiliaries and adverbs between a speaker and the verb: "has repeatedly urged".
_AUX_TAIL_RE = re.compile(
    r"(?:\s+(?:has|have|had|also|repeatedly|again|previously|earlier|recently|later|then|reportedly|"
    r"publicly|strongly|further|once|would|will|did|does|do|not|been|long|often|since))+\s*$",
    re.IGNORECASE,
)
_ACCORDING_RE = re.compile(
    r"\b(?:according\s+to|reports?\s+(?:by|from)|statements?\s+(?:by|from))\s+"
    r"(?!(?:the\s+|domestic\s+|international\s+|Chinese\s+)?laws?\b)([^,.;]+)"
)
_QUOTE_RE = re.compile(r"[“\"]([^“”\"]+)[”\"]")
_ATTRIBUTION_AFTER_RE = re.compile(
    rf"^\s*,?\s*(?:{_SPEECH}\s+(?P<after>[^.;]+?)\s*(?:[.;]|$)|(?P<before>[^“”\".;]{{1,120}}?)\s+{_SPEECH}\b)"
)
# Words a stakeholder's name may hold besides capitalised ones.
_NAME_WORDS = frozenset(
    """of for on and the a an in at from de one another some two three human rights group groups organization
    organizations organisation organisations internet users user analysts analyst activists activist observers
    experts expert critics lawmakers lawmaker diplomat diplomats source sources anonymous ministry government
    authorities officials official spokesman spokeswoman spokesperson committee resolution agency embassy police
    law researchers researcher advocates campaigners monitors press media newspaper editorial foreign affairs
    trade security public state national international general assembly director deputy head chief professor
    adjunct senior former top local army military court council parliament legislators party member members
    representative envoy ambassador minister secretary president leader leaders regime guards troops soldiers
    senators prosecutors judges special rapporteur rapporteurs investigators""".split()
)
# What a stakeholder's name must end on when it has no capitalised word.
_STAKEHOLDER_HEADS = frozenset(
    """group groups organization organizations organisation organisations users user analysts analyst activists
    observers experts expert critics lawmakers lawmaker diplomat diplomats source sources ministry government
    authorities officials official spokesman spokeswoman spokesperson committee resolution agency embassy police law
    researchers advocates campaigners monitors newspaper editorial council parliament legislators regime
    leaders guards troops soldiers senators prosecutors judges rapporteur rapporteurs investigators""".split()
)
_PRONOUN_RE = re.compile(
    r"^(?:he|she|it|the\s+(?:organi[sz]ation|group|ministry|committee|resolution|agency|official|source|statement|"
    r"report))$",
    re.IGNORECASE,
)
_LEADING_ADVERBIAL_RE = re.compile(
    r"^(?:(?:Yet|But|And|So|Still|Also|Meanwhile|However|Instead|Now|Then|Thus|Indeed),?\s+|"
    r"(?:[A-Z]{3,}[A-Z ]*:\s+)|"                         # a dateline: "WASHINGTON: "
    r"(?:(?:On|In|For|Earlier|Later|Last|This|Since|After|Before|During|Over|By|At|Despite)\b[^,]{0,60},\s+)|"
    r"(?:(?:When|Whenever|If|As|Because|Once|Until|Unless|While|Although|Though)\b[^,]{0,120},\s+))+"
)
_ROLE_ORG_RE = re.compile(
    r"(?:spokes(?:man|woman|person)|director|heads?|leads?|runs?|founder|chief|representative|president|"
    r"chair(?:man|woman)?|"
    r"secretary|official|officer|coordinator|researcher|campaigner)\b",
    re.IGNORECASE,
)
_SPOKES_RE = re.compile(r"\s+(spokes(?:man|woman|person)\s+.+)$")


@dataclass(frozen=True)
class StanceCue:
    sentence: Segment
    stakeholder: str
    kind: str
    stance: str
    cue: str
    role: str | None = None          # as written: "spokesman Roh Kyu-deok", "Deputy Asia Director for HRW"
    cue_start: int = 0               # offset of `cue` in the article text


@dataclass(frozen=True)
class _Speaker:
    name: str                        # the stakeholder as it will be reported
    role: str | None = None
    person: str | None = None        # the person who spoke, when the stakeholder is their organisation


# Words of the central issue. Cue phrases such as "in violation of" or
# "declined to comment" show a stance on it only near one of these: in the
# sentence itself or the few before it ("unaware of the details of the case").
_TOPIC_RE = re.compile(
    r"repatriat|deport|\bsen(?:d|t|ds|ding)\b(?:\s+\w+){0,3}\s+back|defect(?:or|ors|ed|ion|ing)\b|"
    r"refugee|asylum|escapee|"
    r"detainee|the\s+detained|North\s+Koreans|border[- ]crosser|forcibly\s+returned|refoulement",
    re.IGNORECASE,
)
_TOPIC_REACH = 3


def find_stances(segmented: SegmentedText) -> list[StanceCue]:
    """One cue per sentence and stakeholder whose words show a stance."""
    found: list[StanceCue] = []
    seen: list[_Speaker] = []        # parties named so far, for "she said", "It justified", "Roh said"
    recent: list[Segment] = []       # the sentences just before, for the topic
    for paragraph in segmented.paragraphs:
        quotes = _quotes(paragraph)
        for sentence in _sentences_of(segmented, paragraph):
            recent = [*recent[-_TOPIC_REACH:], sentence]
            if any(_TOPIC_RE.search(s.text) for s in recent):
                found.extend(_stances_in(sentence, quotes, seen))
            seen.extend(_parties_named(sentence.text, seen))
    return found


def _sentences_of(segmented: SegmentedText, paragraph: Segment) -> list[Segment]:
    return [s for s in segmented.sentences if paragraph.start <= s.start < paragraph.end]


def _stances_in(sentence: Segment, quotes: list[tuple[int, int, _Speaker | None]], seen: list[_Speaker]):
    text = sentence.text
    by_speaker: dict[_Speaker, list[tuple[str, re.Match, bool]]] = {}
    for strong, table in ((True, _STRONG_CUES), (False, _WEAK_CUES)):
        for stance, regex in table:
            for match in regex.finditer(text):
                speaker = _speaker_for(sentence, match, quotes, seen)
                if speaker is not None:
                    by_speaker.setdefault(speaker, []).append((stance, match, strong))
    cues = [_stance_cue(sentence, speaker, found) for speaker, found in by_speaker.items()]
    # A news outlet relaying that talks go on ("Sky News said ... are discussing") takes no side.
    return [cue for cue in cues if not (cue.kind == "media" and cue.stance == "neutral")]


def _stance_cue(sentence: Segment, speaker: _Speaker, cues: list[tuple[str, re.Match, bool]]) -> StanceCue:
    stance, match = _decide(cues)
    return StanceCue(
        sentence=sentence,
        stakeholder=speaker.name,
        kind=classify_stakeholder(speaker.name, speaker.role),
        stance=stance,
        cue=match.group(),
        role=speaker.role,
        cue_start=sentence.start + match.start(),
    )


def _decide(cues: list[tuple[str, re.Match, bool]]) -> tuple[str, re.Match]:
    """Strong directional cues first, then neutral ones, then weak leanings."""
    for tier in (
        [c for c in cues if c[2] and c[0] != "neutral"],
        [c for c in cues if c[0] == "neutral"],
        [c for c in cues if not c[2]],
    ):
        stances = {c[0] for c in tier}
        if stances:
            first = min(tier, key=lambda c: c[1].start())
            return ("mixed" if stances >= {"supports", "opposes"} else first[0]), first[1]
    raise ValueError("no cues")


def merge_stances(cues: list[StanceCue]) -> dict[str, str]:
    """One stance per stakeholder: supports with opposes is mixed; a direction outweighs neutral."""
    stances: dict[str, set[str]] = {}
    for cue in cues:
        stances.setdefault(cue.stakeholder, set()).add(cue.stance)
    merged = {}
    for name, found in stances.items():
        directional = found & {"supports", "opposes", "mixed"}
        if "mixed" in directional or directional >= {"supports", "opposes"}:
            merged[name] = "mixed"
        else:
            merged[name] = directional.pop() if directional else ("neutral" if "neutral" in found else "unclear")
    return merged


# ---------------------------------------------------------------- who is speaking

_DIRECTIVE_RE = re.compile(
    r"\b(?:must|should|ought\s+to|needs?\s+to|obligation\s+to|duty\s+to)\s+(?:\w+\s+){0,2}$|"
    r"\b(?:obligation|duty)\s+$",
    re.IGNORECASE,
)


def _speaker_for(sentence: Segment, match: re.Match, quotes, seen: list[_Speaker]) -> _Speaker | None:
    """The stakeholder whose stance a cue shows, or None for the writer's own voice."""
    text, at = sentence.text, sentence.start + match.start()
    for start, end, speaker in quotes:
        if start <= at < end and speaker is not None:
            return _resolve(speaker, seen)
    finders = [_speaker_before, _according_to, _clause_subject, _speaker_after]
    # "Beijing must stop repatriating": Beijing is told, the writer speaks.
    directive = match.group().lower().startswith(("must", "should", "obligation"))
    if directive or _DIRECTIVE_RE.search(text[: match.start()]):
        finders.remove(_clause_subject)
    for finder in finders:
        speaker = finder(text, match)
        resolved = _resolve(speaker, seen) if speaker else None
        if resolved is not None:
            return resolved
    return None


def _speaker_before(text: str, match: re.Match) -> _Speaker | None:
    """ "X said (that) ... cue", "X urged China not to ...": the nearest such X."""
    verbs = [v for v in _SPEECH_RE.finditer(text, 0, match.end()) if v.start() <= match.start() + 1]
    for verb in reversed(verbs):
        speaker = _entity_before(text[: verb.start()])
        if speaker is not None:
            return speaker
    return None


def _speaker_after(text: str, match: re.Match) -> _Speaker | None:
    """ "... violates international law, analysts say.": an attribution closing the sentence."""
    for verb in _SPEECH_RE.finditer(text, match.end()):
        if len(text[verb.end():].split()) > 6:
            continue
        speaker = _entity_before(text[match.end(): verb.start()])
        if speaker is not None:
            return speaker
    return None


def _according_to(text: str, match: re.Match) -> _Speaker | None:
    found = _ACCORDING_RE.search(text)
    return _entity_start(found.group(1)) if found else None


def _clause_subject(text: str, match: re.Match) -> _Speaker | None:
    """The subject of the clause holding the cue: "Beijing typically considers ..."."""
    before = text[: match.start()]
    breaks = list(re.finditer(r"[;:]\s+|\s+[—–]\s+|,\s+(?:but|while|although|whereas)\s+|\bbut\s+", before))
    clause = before[breaks[-1].end():] if breaks else before
    return _entity_start(clause)


def _entity_before(text: str) -> _Speaker | None:
    """The name that ends ``text`` (right before a verb), with an apposition role if any."""
    text = _AUX_TAIL_RE.sub("", text.rstrip())
    apposition = re.search(r",\s+([^,]{3,120}),\s*$", text)
    if apposition:
        name = _trailing_name(text[: apposition.start()])
        return _speaker(name, apposition.group(1).strip()) if name else None
    name = _trailing_name(text.rstrip(" ,"))
    return _speaker(name) if name else None


def _entity_start(text: str) -> _Speaker | None:
    """The name that begins ``text``, after any leading adverbial."""
    text = _LEADING_ADVERBIAL_RE.sub("", text.strip(" “\"")).strip()
    words = []
    for word in text.split():
        bare = word.strip(",")
        if not _name_word(bare) or (words and not _joins(words[-1], bare)):
            break
        words.append(bare)
        if word.endswith(","):
            break
    name = _trim(words)
    if not name:
        return None
    name = re.sub(rf"\s+(?:on|in|at|last|this)\s+(?:{_TIME_WORDS}).*$", "", name)
    apposition = re.match(rf"{re.escape(name)},\s+([^,]{{3,120}}),\s+\w+", text)
    return _speaker(name, apposition.group(1) if apposition else None)


def _trailing_name(text: str) -> str | None:
    words: list[str] = []
    for word in reversed(text.split()):
        if word.endswith(",") or not _name_word(word) or (words and not _joins(word, words[0])):
            break
        words.insert(0, word)
    return _trim(words)


def _name_word(word: str) -> bool:
    bare = word.strip("“”\"()")
    return bool(bare) and (bare[0].isupper() or bare.lower() in _NAME_WORDS or bool(_PRONOUN_RE.match(bare)))


_TIME_WORDS = (
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."
)
_CONNECTORS = frozenset("of for on and in at from de the a an".split())
_DISCOURSE = frozenset("But Yet And So Also Still While Although Though Whereas When Whenever If As".split())


def _joins(left: str, right: str) -> bool:
    """Whether two neighbouring words belong to one name. A connector needs a
    capitalised word after it ("Ministry of Foreign Affairs", "embassy in
    Beijing"), so "China and rights groups" is two parties."""
    articles = ("the", "a", "an")
    return left.lower() not in _CONNECTORS or right[:1].isupper() or left.lower() in articles or right in articles


def _trim(words: list[str]) -> str | None:
    """Drop connectors and discourse words at the edges: "But Sky News" -> "Sky News"."""
    edge = _CONNECTORS - {"the", "a", "an"}
    while words and (words[0].lower() in edge or words[0] in _DISCOURSE):
        words = words[1:]
    while words and words[-1].lower() in _CONNECTORS:
        words = words[:-1]
    return " ".join(words) or None


def _speaker(name: str, role: str | None = None) -> _Speaker | None:
    """Who speaks for whom: "X Ministry spokesman Roh" speaks for the ministry."""
    name = re.sub(r"^(?:[A-Za-z]+\s+)*?(?:group|organi[sz]ation|agency|newspaper|daily)\s+(?=[A-Z])", "", name)
    if not _valid_name(name):
        return None
    spokes = _SPOKES_RE.search(name)
    if spokes:
        return _Speaker(name[: spokes.start()], spokes.group(1), spokes.group(1).split(None, 1)[-1])
    organisation = _organisation_in(role) if role else None
    if organisation:
        return _Speaker(organisation, f"{name}, {role}", name)
    person = name if role or classify_stakeholder(name) == "individual" else None
    return _Speaker(name, role, person)


def _organisation_in(role: str) -> str | None:
    """The proper-named body a spokesperson or director speaks for, if any."""
    if not _ROLE_ORG_RE.search(role) or re.search(r"professor|analyst|scholar|fellow|lecturer", role, re.I):
        return None
    owner = re.match(r"([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)[’']s\s", role)
    if owner:
        return owner.group(1)
    named = re.search(
        r"\b(?:group|organi[sz]ation|charity|agency|NGO)\s+([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)\s*$", role
    )
    if named:
        return named.group(1)   # "who heads the aid group Crossing Bridges"
    body = re.search(
        r"\b(?:for|of|at)\s+(?:the\s+)?([A-Z][\w.&-]*(?:\s+(?:of\s+|for\s+|on\s+)?[A-Z][\w.&-]*)*)\s*$", role
    )
    return body.group(1) if body else None


# Lower case on purpose: "the UN High Commissioner for Refugees" is a party.
_VICTIMS = re.compile(r"\b(?:defectors?|refugees?|North Koreans|escapees|detainees|migrants|people|families)$")


def _valid_name(name: str) -> bool:
    """A party that can hold a stance: named, or a group noun; not the people it is about."""
    words = name.split()
    if not words or len(words) > 14 or _VICTIMS.search(name):
        return False
    if _PRONOUN_RE.match(name):
        return True
    if words[-1].lower() in _STAKEHOLDER_HEADS:
        return True
    if re.search(r"[\d“”\"‘]|'\s", name):
        return False
    if len(words) == 1:
        return words[0][0].isupper()   # a surname or a one-word party; see _resolve
    return any(w[0].isupper() for w in words[1:]) or words[0] not in ("The", "A", "An")


def _parties_named(text: str, seen: list[_Speaker]) -> list[_Speaker]:
    """Speakers and the sentence's subject, so that later "she said" or "It justified" finds them."""
    found = []
    for verb in _SPEECH_RE.finditer(text):
        speaker = _entity_before(text[: verb.start()])
        if speaker is not None:
            found.append(speaker)
    after = re.search(rf"\b(?:said|says|added|told)\s+([A-Z][^.;]+)", text)
    speaker = _after_verb(after.group(1)) if after else None
    subject = _entity_start(text)
    resolved = [_resolve(s, seen) for s in (subject, *found, speaker) if s is not None]
    return [s for s in resolved if s is not None and not _PRONOUN_RE.match(s.name)]


def _after_verb(text: str) -> _Speaker | None:
    """ "said Sam Zarifi, Amnesty International's Asia-Pacific director"."""
    name, _, role = text.partition(",")
    name = _trim(name.split()) or ""
    return _speaker(name, role.strip(" ,") or None) if _valid_name(name) else None


def _resolve(speaker: _Speaker, seen: list[_Speaker]) -> _Speaker | None:
    """ "she", "the organization" and bare surnames ("Roh said") -> the party meant."""
    if _PRONOUN_RE.match(speaker.name):
        personal = speaker.name.lower() in ("he", "she")
        meant = [s for s in seen if (s.person is not None) == personal]
        return meant[-1] if meant else None
    if len(speaker.name.split()) == 1 and speaker.role is None and classify_stakeholder(speaker.name) == "other":
        for earlier in reversed(seen):
            person = earlier.person or ""
            if speaker.name in re.split(r"[\s-]+", person) and person != speaker.name:
                return earlier
        # One capitalised word that names no one seen may just start the
        # sentence: "Pressure is growing", "Four officers ...".
        return None
    return speaker


def _quotes(paragraph: Segment) -> list[tuple[int, int, _Speaker | None]]:
    """Quoted passages of a paragraph (article offsets) and who the text says spoke them.

    Only a direct quote (opening a sentence or after a colon or comma) takes
    the attribution that follows it; a partial quote ("regards as "economic
    migrants," analysts say") belongs to its own clause.
    """
    found: list[tuple[int, int, _Speaker | None]] = []
    for quote in _QUOTE_RE.finditer(paragraph.text):
        lead = paragraph.text[: quote.start()].rstrip()
        direct = not lead or lead[-1] in ".:,?!”\""
        ends_sentence = quote.group(1).rstrip().endswith(".")
        attribution = _ATTRIBUTION_AFTER_RE.match(paragraph.text[quote.end():])
        speaker = None
        if direct and not ends_sentence and attribution and attribution.group("after"):
            speaker = _after_verb(attribution.group("after"))
        elif direct and not ends_sentence and attribution and attribution.group("before"):
            speaker = _entity_before(attribution.group("before"))
        # '"...," Park said. "We are asking ..."': a quote that goes on keeps its speaker.
        if speaker is None and found and paragraph.start + quote.start() - found[-1][1] < 40:
            speaker = found[-1][2]
        found.append((paragraph.start + quote.start(), paragraph.start + quote.end(), speaker))
    return found


# ---------------------------------------------------------------- kinds of stakeholder

# Checked in this order: a UN rapporteur is intergovernmental before official.
_KIND_PATTERNS: tuple[tuple[str, str], ...] = (
    ("intergovernmental", r"\bUnited Nations\b|\bU\.?N\.?\b|\bUNHCR\b|\bGeneral Assembly\b|\bSecurity Council\b|"
                          r"\brapporteur\b|\bEuropean Union\b|\bEU\b|\bASEAN\b|\bInterpol\b"),
    ("ngo", r"Human Rights Watch|\bHRW\b|Amnesty|\bNGOs?\b|rights (?:group|groups|organi[sz]ations?)|"
            r"\b(?:aid|activist|advocacy|civic|relief|support|refugee|missionary)\s+(?:group|organi[sz]ation)s?\b|"
            r"\bCitizens' Alliance|Liberty in North Korea|\bLiNK\b|\bNKDB\b|Committee for Human Rights|"
            r"Working Group|\bfoundation\b|\bcharity\b|\bcoalition\b|\bactivist group|\bmission\b|"
            r"\bgroup on\b|non-?governmental|\bchurch\b"),
    ("media", r"Reuters|Associated Press|\bAP\b|\bAFP\b|Yonhap|\bBBC\b|\bCNN\b|\bTimes\b|\bPost\b|Daily|"
              r"\bNews\b|Global Times|Xinhua|\bKCNA\b|Dong-?A|Chosun|JoongAng|Herald|\bDW\b|Radio Free Asia|"
              r"\bRFA\b|newspaper|broadcaster|\bagency\b(?! of)|editorial|\bmedia\b|Journal|Guardian|Telegraph"),
    ("expert", r"(?i:professor|analyst|researcher|scholar|\bexpert|fellow\b|academic|University|Institute|"
               r"think tank|observers?\b|lecturer)"),
    ("official", r"(?i:spokes(?:man|woman|person)|\bminister\b|ambassador|diplomat|\bofficials?\b|\bpresident\b|"
                 r"lawmakers?|senator|secretary|envoy|\bconsul|legislators?|commissioner)|Rep\.|Sen\."),
    ("government", r"Ministry|Government|government|National Assembly|Parliament|Congress|State Department|"
                   r"White House|Blue House|Embassy|embassy|Foreign Office|\bpolice\b|authorities|\blaw\b|"
                   r"Beijing|China|Seoul|South Korea|Pyongyang|North Korea|Washington|Tokyo|Japan|"
                   r"United States|\bU\.S\.|the South|the North|Mongolia|Thailand|Laos|Vietnam|Russia|regime"),
    ("individual", r"\busers?\b|\bsources?\b|\bdefector\b|\bman\b|\bwoman\b|\bReverend\b|\bRev\.|\bpastor\b|"
                   r"\bresident\b|\bmother\b|\bfather\b|\bwife\b|\bhusband\b|\bbroker\b|activists?\b"),
)


def classify_stakeholder(name: str, role: str | None = None) -> str:
    """The kind of party a stakeholder is, from its name and (if given) role."""
    for text in (name, f"{name} {role or ''}"):
        for kind, pattern in _KIND_PATTERNS:
            if re.search(pattern, text):
                return kind
    return "individual" if _looks_like_person(name) else "other"


def _looks_like_person(name: str) -> bool:
    """Two to four capitalised words with no organisation word: "Kim Hee-tae", "Evans Revere"."""
    words = name.split()
    return 2 <= len(words) <= 4 and all(re.fullmatch(r"[A-Z][\w'’.-]*", w) for w in words)
