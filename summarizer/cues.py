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
* Reports of one event are merged here; the cue keeps its first body sentence
  in ``sentence`` and every sentence in ``evidence``:
  - consecutive sentences of the same type with no new count, date or place;
  - a later mention that names the people only by reference ("she was
    handed over", "Twelve of them were picked up in Yanji", "the 11 are being
    held") joins the latest earlier event of its type, if count and date agree;
  - arrest and detention are one kind of event ("arrested 10" ... "10 were
    detained") when the same count is stated;
  - a headline joins the first body cue of its kind (the body reports it in
    full), and exact repeats of a sentence are merged;
  - a relative clause without a date of its own ("14 North Koreans held in
    Dandong were handed over") is background to the main verb's event.
* A bare-plural class ("people sent back across the border faced torture",
  "North Koreans who have fled") is generic, like habitual statements.
* Places: the most specific named place in the trigger's clause (a city or
  province, then a country, then a river or border), before an unnamed one
  ("a checkpoint"); an escape's is its origin, a transfer's its destination.
  A country alone goes to ``country`` only. Datelines and attributions
  ("..., officials in Seoul said") name no place or date of the event.
* A stance needs a stakeholder the text names (a speaker, a reported-speech
  source, the subject of the clause): the writer's own voice ("Beijing must
  stop repatriating defectors") gives none. Cue phrases count only near the
  central issue (a repatriation or defector word in the sentence or the three
  before it), so "in violation of state rules" elsewhere is no stance.
* Headlines give no stance (the body attributes the words), and a weak cue
  ("forcibly returned") in a report "according to" a source is the source's
  account, not its stance.
* "neutral" is stated even-handedness; declining to comment, "monitoring",
  "cannot confirm" reveal no stance: "unclear".
* Stances are per sentence and stakeholder. ``merge_stances`` folds them per
  stakeholder: supports and opposes together make "mixed"; a directional
  stance outweighs "neutral" and "unclear".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from summarizer.normalize import (
    COMPANION_RE, HEDGED_NUMBER, PERSON_NAME, find_count, find_date, is_one_person, is_part_of_group, parse_count,
    tally_after, tally_before,
)
from summarizer.places import ABROAD_PLACES, GAZETTEER, NK_CAMP_TOWNS, NK_PLACES
from summarizer.quotes import QuoteCandidate
from summarizer.segment import Segment, SegmentedText

# ---------------------------------------------------------------- gazetteer

def _any_of(names) -> str:
    """Names as regex alternatives, the longest first so that "South Korea" beats "Korea"."""
    return "(?:" + "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)) + ")"


_GAZ = _any_of(GAZETTEER)
# Case-sensitive: "China" the place, not "china" the porcelain. "The Tumen
# River" is a border river, not the city of Tumen.
_GAZ_RE = re.compile(rf"(?<![\w-])(?:{_GAZ})(?![\w])(?!\s+River\b)")

# ---------------------------------------------------------------- incident lexicon

# Notation, so the lexicons read like the prose they match:
#   "arrest~"    regular inflections: arrest, arrests, arrested, arresting
#   "a/b/c"      alternative words at one position
#   "..."        up to four words in between ("sent them back")
#   "...."       up to nine, for a long object ("handed seven North Koreans, among them a girl, to ...")
#   "{NK}"       a way of naming North Korea as a destination
#   "{GOV}"      a way of naming the Chinese state ("urged Beijing to ...")
#   "{CUSTODY}"  a place people are held: "a detention center", "the camp"
#   "{PLACE}"    a place in the gazetteer below
#   "{NKPLACE}"  a place in North Korea; "{CAMPTOWN}" a town known for its prison camp
#   "{SHELTER}"  a place people hide: "a flat", "a safe house"
# Longer matches win over shorter ones at the same place, so "handed over to
# North Korea" is a repatriation while a bare "handed over" is a transfer.
_NK_DEST = (
    r"(?:North\s+Korean?(?:\s+(?:authorities|officials|security|police))?|the\s+North|Pyongyang|border\s+guards|"
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
_CITY_OF = r"(?:the\s+(?:[\w-]+\s+)?(?:city|town|county|province)\s+of\s+)?"   # "the border city of Tumen"
_PLACEHOLDERS = {
    "{NK}": _NK_DEST, "{GOV}": _GOV, "{CUSTODY}": _CUSTODY,
    "{PLACE}": _CITY_OF + _GAZ,
    "{NKPLACE}": _any_of(NK_PLACES),
    "{CAMPTOWN}": _any_of(NK_CAMP_TOWNS),
    "{FOREIGNAUTH}": r"(?:the\s+)?(?:Chinese|Lao|Laotian|Thai|Vietnamese|Mongolian|Russian)\s+"
                     r"(?:officers|police|authorities|officials|guards|border\s+guards|security)",
    "{ABROAD}": _CITY_OF + _any_of(ABROAD_PLACES),
    "{SHELTER}": r"(?:an?|the|their)\s+(?:[\w-]+\s+){0,2}?(?:flat|apartment|safe\s+house|shelter|hideout)",
}

INCIDENT_TRIGGERS: dict[str, tuple[str, ...]] = {
    "arrest": (
        "arrest~", "apprehend~", "capture~", "intercept~",
        "catch/caught/catches/catching",   # "20 defectors it caught last month"
        "round~ up",                       # "officials rounded up 29 defectors"
        "take/took/taken/taking into custody",
        "arrest of",                       # nominal, only with people after "of"
        "pick~ ... up", "pick~ up",        # "police picked her up at a farm"
        "seize~", "nab~",
        "stopped by", "stopped at",        # "a family of five was stopped by border police"
        "stop/stopped/stops/stopping ... at a/the checkpoint",  # "police stopped her at a checkpoint"
        "taken from",                      # "two women and a child were taken from a guesthouse"
        "take/took/taken/taking ... away", # "took them away in a van"
        "take/took/taken/taking .... and .... away",  # "took Choi and two other waitresses away"
        "taken off",                       # "were taken off a bus by Chinese police"
        "pull~ off/from",                  # "he was pulled off a long-distance bus at a checkpoint"
    ),
    "detention": (
        "detain~",
        "held",                            # "being held", "held at a centre": people required
        "kept/keep/keeps/keeping ... at/in",  # "Beijing kept them at a camp"
        "in detention", "in custody",
        "remain/remains/remained in/at the ... facility/centre/center/camp/prison/jail",  # "remain in the Tumen facility"
        "imprison~", "jailed", "locked up", "behind bars",
        "spend/spent/spends/spending ... in/at/inside {CUSTODY}",  # "spent five weeks in the detention centre"
        "spend/spent/spends/spending ... in/at {CAMPTOWN}",      # "spent most of three years in Kaechon"
        "kept/keep/keeps/keeping ... in {CUSTODY}",
        "serve/served/serves/serving ... in/at/inside {CUSTODY}",  # "served most of it in a labour camp"
        "serve/served/serves/serving ... in/at {CAMPTOWN}",      # "served three years of it at Jongori"
        "serve/served/serves/serving ... and ... in/at {CAMPTOWN}",
        "spend/spent/spends/spending ... and a half in/at/inside {CUSTODY}",  # "a year and a half at a labour camp"
        "spend/spent/spends/spending ... and ... in/at/inside {CUSTODY}",  # "four years and seven months in the camp"
        "detention of", "detentions",      # "detentions" only in a tally
    ),
    "repatriation": (
        "repatriate~",
        "deport~",
        "send/sent/sends/sending ... back",  # "sent back", "sending back them"
        "send/sent/sends/sending .... and .... back",  # "sent a former soldier and eight others back"
        "send/sent/sends/sending .... back",  # "sent at least 40 North Koreans back across the border"
        "send/sent/sends/sending ... to {NK}",
        "hand~ ... over to {NK}",          # "handed them over to North Korea"
        "hand~ to {NK}",                   # "she was handed to North Korean security agents"
        "hand~ .... to {NK}",              # "handed seven North Koreans, among them a girl, to North Korean agents"
        "hand~ over",                      # "handed over at the Dandong crossing": to the North, in this story
        "hand~ over ... to {NK}",          # "handed over 20 defectors to Pyongyang"
        "hand~ ... back to {NK}", "hand~ back",  # "handed the family back to North Korea"
        "turn~ ... over to {NK}",          # "Beijing turned over to Pyongyang 20 defectors"
        "turn~ over ... to {NK}",
        "return~ ... to {NK}",             # "returned to the North"
        "forcibly return~",
        "expel~/expelled",
        "repatriation of", "deportation of", "return of",
        "deportations", "repatriations", "expulsions",   # tallies only: "at least 60 deportations"
        # Driven over the border bridge: in this story, the way people are handed back.
        "truck~/bus~/bussed/drive/drives/driven/drove/march~ ... across/over the bridge/border",
        "truck~/bus~/bussed/drive/drives/driven/drove/march~ ... across/over the Yalu/Tumen",
        # "driven in buses from the facility ... across the river into North Korea"
        "truck~/bus~/bussed/drive/drives/driven/drove/march~ .... across the river into {NK}",
        "put/puts/putting .... across the bridge/border/river",   # "put on buses across the bridge into North Korea"
        "hand/hands/handed/handing across/over the bridge/border",   # "handed across the bridge into North Korea"
        "was/were walked across/over the bridge/border",   # made to walk across: handed back
        "return~",                         # "China returned 500 North Koreans", "were returned from China";
                                           # people are required, so "returned home" is nothing
    ),
    "release": (
        "release~", "freed/freeing",           # not "free", mostly an adjective
        "set free", "let go", "let ... go",
        "walk~ free",
        "let out", "let ... out",          # "she was let out after ten months"
        "walk~ out of {CUSTODY}/{CAMPTOWN}",  # "He walked out of Jongori in October 2022"
        "allow~ ... to leave/go",          # "allowed to leave for South Korea"
        "release of",
    ),
    "escape": (
        "flee/fled/flees/fleeing",
        "escape~",
        "defect~",                         # the verb; "defectors" is a noun and not matched
        "defections",                      # only in a tally: "some 1,000 defections"
        "cross~ ... border",               # "crossed the border", "crossing the Tumen border"
        "cross~ .... into",                # "crossing the frozen Yalu River into China", "the heavily fortified DMZ into"
        "swim/swam/swum/swimming/wade~/walk~ across",  # "swam across from Sinuiju", "walked across it at night"
        "slip/slipped/slips/slipping out/away",        # "slipped out of a holding facility"
        "cross~ the Tumen/Yalu",           # "crossed the Yalu River from Hyesan" (not "told to cross": below)
        "cross~ again",                    # "in 2012 she crossed again"
        "cross~ the river", "make/made/makes/making the crossing",  # "the eight crossed the river on Monday"
        "leave/left/leaves/leaving {NK}",  # "Kim left North Korea in 2010"
        "leave/left/leaves/leaving {NKPLACE}",  # "left Bocheon, Ryanggang province on Aug. 7"
        "get/got/gets/getting/gotten out of {NK}",  # "got out of North Korea in 2018"
        "slip/slipped/slips/slipping across/into/over",  # "slipped across the river into China"
        "make/made/makes/making it across/out/over",     # "made it across the Tumen"
        "smuggle~ across/out/into",        # "was smuggled across the border"
        "break/broke/breaks/breaking out of ... {CUSTODY}",  # "broke out of a holding centre"
    ),
    "transfer": (
        "transfer/transfers/transferred/transferring",
        # Moved, taken or sent to a place of custody or a named place; "took to
        # the stage" and "send soldiers to war" are not transfers.
        "move~ to {CUSTODY}/{PLACE}",
        "move~ from",                      # "moved from lockups in Tumen to a facility in Dandong"
        "move~ ... from",                  # "moved last week from a police station to ..."
        "move~ ... to {CUSTODY}/{PLACE}/{SHELTER}",  # "had moved her to a flat in Shenyang"
        "drive/drives/driven/drove ... to {CUSTODY}",  # "driven in a van, handcuffed, to a detention centre"
        # Journeys whose end is a named place: "was flown to Seoul", "travelled overland to Laos".
        "fly/flies/flew/flown/flying ... to {PLACE}",
        "travel/travels/travelled/traveled/travelling/traveling ... to {PLACE}",
        "arrive/arrives/arrived in/at {PLACE}",  # "They arrived at Yunnan province's Kunming"
        "take/took/taken ... to {CUSTODY}/{PLACE}",  # "taken to a detention center"
        "send/sent/sends/sending ... to {CUSTODY}/{PLACE}",  # "sent to a public security bureau"
        "hand~ over to",                   # "handed over to a concentration camp", "... to the embassy"
        "hand~ ... to {FOREIGNAUTH}",      # "handed to Chinese officers at the Boten crossing"
        "land/lands/landed in/at {PLACE}",  # "landed in Chiang Rai province"
        "take/took/taken/taking across",   # "he was taken across the Mekong by boat"
        "deport~ to {ABROAD}",             # "deported to South Korea": moved, not returned to the North
        "drive/drives/driven/drove ... across the border to {ABROAD}",  # "driven across the border to the Chinese city of Dongxing"
        "transfer of",
        # Arrivals in the South: the end of a journey out, typed as a move.
        # Finite forms only: "six years after reaching Seoul" looks back, it reports nothing.
        "arrive/arrives/arrived in/at Seoul/Incheon", "arrive/arrives/arrived in South Korea",
        "arrive/arrives/arrived in the South",
        "arrive/arrives/arrived",          # "231 people arrived in 2024": people must be its subject
        "arrivals",                        # tallies only: "Arrivals then roughly tripled, to 193"
        "land/lands/landed in/at Seoul/Incheon", "land/lands/landed in South Korea",
        "reach/reaches/reached Seoul", "reach/reaches/reached South Korea", "reach/reaches/reached the South",
        "make/made/makes it to Seoul/Incheon", "make/made/makes it to South Korea", "make/made/makes it to the South",
    ),
    "trial": (
        "sentenced", "sentencing",         # not "sentence", mostly a noun
        "tried",                           # "tried to flee" is excluded below
        "convict~", "prosecute~", "indicted",
        "charged with",
        "stand/stood/standing trial", "face~ trial",
        "go/goes/went/going on trial",
    ),
    "death": (
        "died",                            # "died down" is excluded below
        "killed", "executed", "shot dead", "drowned", "murdered", "shot and killed", "shot to death",
        "presumed dead",                   # "was shot by guards and is presumed dead"
        "beaten to death", "froze to death", "tortured to death", "starved to death",
        "take/took/taken/taking his/her/their own life/lives", "killed himself/herself/themselves",
        "execution of", "death of", "deaths of",   # nominal: people after "of" required
        "deaths", "executions",            # tallies only: "five deaths in custody"
    ),
    # Done to people but none of the above: the trafficking of women who fled.
    "other": (
        "sell/sold/sells/selling ... to/into/as",   # "a broker sold her to a farmer"
        "sold by",                         # "to whom she had been sold by traffickers"
    ),
}

# Phrases that begin like a trigger but are not one.
_FALSE_TRIGGERS = (
    "died down", "died out", "tried to", "tried and", "caught up", "caught on", "caught fire",
    "held talks", "held a ", "held an ", "held its", "held their", "held his", "held her",
    "held up", "held back", "held out", "held firm", "kept silent", "kept quiet",
    "freed up", "let go of", "escape route",
    # Going home inside China or the South, not being sent back to the North.
    "returned to their village", "returned to her village", "returned to his village",
    "returned to their home", "returned to her home", "returned to his home", "returned home",
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
        if token in ("...", "...."):
            joiners[-1] = gap if token == "..." else gap.replace("{0,4}", "{0,9}")
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
    r"brothers?|sisters?|grandmothers?|grandfathers?|grand(?:sons?|daughters?|children|parents)|uncles?|aunts?|"
    r"cousins?|nephews?|nieces?|parents|in-laws|pair|crew|fishermen|soldiers?|workers?|brokers?|pastors?|missionar(?:y|ies)|teenagers?|"
    r"students?|smugglers?|waitress(?:es)?|those|they|them|he|him|she|her|themselves"
)
# "the North Korea Refugee Rights Center": a people word inside a name is no people.
_PEOPLE_RE = re.compile(rf"(?<![\w-])(?:{_PEOPLE})(?![\w-])(?!\s+(?-i:[A-Z][a-z]))", re.IGNORECASE)
# The people phrase kept as `subjects`: a people noun with what describes it.
_SUBJECT_RE = re.compile(
    r"(?<![\w-])(?:(?:(?:North|South)\s+Korean|N\.?\s?K\.?|DPRK|would-be|female|male|young|Christian|"
    r"other|fellow|suspected)\s+)*"
    r"(?:(?:North|South)\s+Koreans|N\.?\s?Koreans|defectors?|refugees?|escapees?|asylum[- ]seekers?|"
    r"detainees?|migrants?|border[- ]crossers|women|men|children|families|family|group|people|nationals)"
    r"(?![\w-])",
    re.IGNORECASE,
)

# A group counted before, named by its number: "The 11 had crossed", "All seven made the crossing".
_GROUP_BY_NUMBER = (r"(?:(?<![\w-])(?:the|all(?:\s+the)?|these|those)\s+(?:\d{1,4}|two|three|four|five|six|seven|"
                    r"eight|nine|ten|eleven|twelve|[a-z]+teen|twenty|thirty|forty|fifty))")
# The subject right before an active trigger: "They fled", "defectors who cross".
_SUBJECT_BEFORE_RE = re.compile(
    rf"(?:(?<![\w-])(?:{_PEOPLE})|{_GROUP_BY_NUMBER})\s+(?:(?:who|that|had|have|has|also|then|later|all|both|first|\w+ly)\s+)*$",
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
    r"\b(?:am|is|are|was|were|be|been|being|get|gets|got|gotten)(?:,[^,]{1,40},)?\s+(?:(?:not|also|then|later|now|still|\w+ly)\s+)?$",
    re.IGNORECASE,
)
# "was arrested in Shenyang and sent back", "were put on a train and moved":
# the second participle is passive too.
_PASSIVE_AND_RE = re.compile(
    r"\b(?:was|were|been|being|is|are)\s+(?:\w+ed|put|sent|taken|held|kept|caught|brought|driven|led|set|let|"
    r"given|shot|beaten|found|seen)\b[^,;]{0,60}\s(?:and|or|then|before\s+being)\s+"
    r"(?:\w+ly\s+|then\s+|later\s+)?$",
    re.IGNORECASE,
)
_AFTER_PREP_RE = re.compile(r"\b(?:after|before|upon|while|since|when)\s+(?:\w+ly\s+)?$", re.IGNORECASE)

# What has not happened (yet): modals, infinitives, conditions, fears, plans.
_MODAL_RE = re.compile(
    r"\b(?:could|would|might|may|will|shall|should|must|can|cannot|can't|won't|wouldn't|to|"
    r"plans?\s+to|planned\s+to|threaten(?:s|ed)?\s+to)\s+(?:\w+ly\s+)?(?:not\s+)?(?:have\s+)?(?:be\s+|been\s+|get\s+)?"
    r"(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
# An infinitive of something that did happen: "managed to escape"; or that is
# reported to be so: "are believed to be held", "was said to have been detained".
_ACHIEVED_RE = re.compile(
    r"\b(?:managed|able|succeeded|went\s+on|continued|believed|thought|said|reported|known|estimated|allowed|permitted|"
    r"understood|alleged|presumed)\s+to\s+(?:have\s+)?(?:be\s+|been\s+)?(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
_CONDITION_RE = re.compile(
    r"\b(?:if|unless|whether|in\s+case|fears?\s+that|feared\s+that|at\s+risk\s+of|risk\s+of|"
    r"afraid|terrified|scared|worried|fearful|"
    r"threat(?:ened)?\s+(?:of|with)|considering|consider|mulls|mulling|face|faces|facing|awaiting|await|"
    r"pending|halt|stop|end|prevent|avoid|against|urg(?:e|es|ed|ing)|demand(?:s|ed|ing)?|possible|potential|"
    r"plan|request|suspend|wants?|wanted|calls?\s+for|called\s+for|seeks?|sought)\b[^,;]*$",
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
# "on" only before a place word ("on the outskirts of Tumen"): "an expert on North Korea" is no place.
_ON_PLACE = r"on\s+(?=the\s+(?:outskirts|edge|suburbs|banks?|side|border)\b)"
_LOC_PREP_RE = re.compile(rf"\b(?:(?:in|at|near|inside|outside|across|from|along|through|via)\s+|{_ON_PLACE})")
_TRANSFER_PREP_RE = re.compile(rf"\b(?:(?:in|at|near|inside|to)\s+|{_ON_PLACE})")
# Words that may describe a place before its name: "the border town of Tumen".
_PLACE_WORDS = (
    r"(?:border|town|city|village|county|province|region|area|areas|capital|port|frontier|river|"
    r"northeastern|northern|southern|eastern|western|remote|rural|mountainous|detention|concentration|"
    r"labou?r|prison|camp|cent(?:er|re)|checkpoint|facility|station|bus|train|house|home|church|"
    r"outskirts|edge|suburbs|banks?|side)"
)
_LOC_NAMED_RE = re.compile(
    rf"(?:(?:the|a|an)\s+)?(?:{_PLACE_WORDS}\s+){{0,3}}?(?:(?:of|near|in|between)\s+(?:the\s+)?)?"
    rf"{_CAPSEQ}(?:\s+(?:province|border|region|county|city|prefecture))?"
    rf"(?:(?:,\s+|\s+in\s+){_CAPSEQ}\s+province|\s+and\s+(?:{_GAZ})(?![\w])(?:\s+provinces)?)?"
    # "Jinghong, a city in Yunnan": the apposition says it is a place, and where.
    rf"(?:,\s+an?\s+(?:[a-z]+\s+)?(?:city|town|village|county)\s+(?:in|near)\s+(?:the\s+)?{_CAPSEQ}"
    rf"(?:\s+province)?)?"
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
# After a preposition a participle before people is an adjective too: "Seoul
# presses Beijing over detained North Koreans". (A bare verb after "to" is not.)
_PREPOSITIONS = frozenset("over on against from among into without like including by at in to".split())


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
    anaphoric: bool = False          # its people are named only by reference: "they", "the woman", "the ten"
    one_person: str | None = None    # "a man in his 40s", "she": counted 1 once merging is done
    background: bool = False         # a relative clause on another trigger's people, with no date of its own
    share: bool = False              # one place's share of a group split by place ("nine in Kunming")


# ---------------------------------------------------------------- incidents


# Link lists ("RELATED ARTICLES", "Related: ...", "Read more: ...") name other
# stories: the headlines under such a header report nothing of this one.
_LINK_HEADER_RE = re.compile(r"^\s*(?:related|read more|see also|more on this|recommended|most read)\b", re.IGNORECASE)


def find_incidents(segmented: SegmentedText) -> list[IncidentCue]:
    """Every incident cue in the article, reports of one event merged."""
    cues, in_links = [], False
    for index, sentence in enumerate(segmented.sentences):
        header = bool(_LINK_HEADER_RE.match(sentence.text))
        in_links = header or (in_links and _is_headline(sentence.text))
        if not in_links:
            cues.extend((index, cue) for cue in incidents_in(sentence))
    merged = _fold_headlines(_merge(cues))
    return [_counted(_placed_custody(cue, segmented.text)) for cue in merged]


def incidents_in(sentence: Segment) -> list[IncidentCue]:
    """Incident cues of one sentence, in order.

    Each trigger's window (for its count, place and date) ends where the next
    trigger begins. A trigger that yields no incident (no people near it) must
    not cut its neighbours' windows, so windows are drawn again without it.
    """
    triggers = _triggers(sentence.text)
    while True:
        found = _cues_in_windows(sentence, triggers)
        kept = [trigger for trigger, cue in zip(triggers, found) if cue is not None]
        if len(kept) == len(triggers):
            cues = _fold_background(_shared_people(_shared_actors([cue for cue in found if cue is not None])))
            return _with_terms_served(_with_compared_figures(_split_by_place(cues)))
        triggers = kept


_COUNTED_SUBJECT_RE = re.compile(rf"(?<![\w,.]){HEDGED_NUMBER}\s+(?:[\w-]+\s+){{0,3}}?(?:{_PEOPLE})\s+$",
                                 re.IGNORECASE)


# "arrested between July 15 and 17, 20 of them in Qingdao and nine in Kunming":
# one report of two events, each with its own people and place.
_PART_IN_PLACE_RE = re.compile(
    rf"(?P<count>{HEDGED_NUMBER})\s+(?P<of>of\s+them\s+)?(?:in|at|near)\s+(?:the\s+)?(?:city\s+of\s+)?"
    rf"(?P<place>{_GAZ})(?![\w])", re.IGNORECASE)


def _after_trigger(cues: list[IncidentCue], position: int) -> tuple[str, int, int]:
    """The sentence and the stretch of it from a cue's trigger to the next cue's."""
    cue = cues[position]
    text = cue.sentence.text
    begin = cue.trigger_start - cue.sentence.start + len(cue.trigger)
    end = cues[position + 1].trigger_start - cue.sentence.start if position + 1 < len(cues) else len(text)
    return text, begin, end


def _split_by_place(cues: list[IncidentCue]) -> list[IncidentCue]:
    found = []
    for position, cue in enumerate(cues):
        text, begin, end = _after_trigger(cues, position)
        parts = list(_PART_IN_PLACE_RE.finditer(text, begin, end))
        if len(parts) < 2 or not parts[0].group("of") or cue.generic or cue.hypothetical:
            found.append(cue)
            continue
        for part in parts:
            count, approximate = parse_count(part.group("count"))
            place = part.group("place")
            found.append(replace(cue, count=count, approximate=approximate, people_text=part.group("count"),
                                 location_text=None if _country_only(place) else place, **_place(place),
                                 anaphoric=False, one_person=None, share=True))
    return found


# "sentenced her to a year in a labour training unit": the sentence is a trial,
# the term in a camp a detention of the same people.
_TERM_IN_CUSTODY_RE = re.compile(
    r"^(?:,[^,]{0,80},)?\s+(?:[\w'’-]+\s+){0,2}?to\s+(?:[\w'’,-]+\s+){0,5}?(?:in|at)\s+(?:an?|the)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:camps?|prisons?|jails?|kyohwaso|kwalliso|units?|cent(?:er|re)s?|facilit(?:y|ies))\b",
    re.IGNORECASE,
)


def _with_terms_served(cues: list[IncidentCue]) -> list[IncidentCue]:
    found = []
    for cue in cues:
        found.append(cue)
        after = cue.sentence.text[cue.trigger_start - cue.sentence.start + len(cue.trigger):]
        if cue.type == "trial" and not (cue.generic or cue.hypothetical) and _TERM_IN_CUSTODY_RE.match(after):
            found.append(replace(cue, type="detention", status=None, date_text=None))
    return found


# A figure set beside another period's ("38 arrived this quarter, down from 51 in
# the same period last year", "nearly double the 19 it recorded in all of 2024",
# "87 in 2020 and only 9 in 2021"): the second figure counts another event of
# the same kind, so it is reported as one, dated by its own period.
_COMPARED_RE = re.compile(
    r"(?:\b(?:up|down)\s+from|\bcompared?\s+(?:with|to)|\b(?:fewer|more|less)\s+than\s+the|"
    r"\b(?:double|twice|triple|(?:two|three|four|five|ten|\d+)\s+times|half|a\s+(?:fraction|third|quarter)\s+of)\s+the|"
    r"\b(?:jump|rise|increase|climb|fall|drop|decline)(?:s|d|ed)?\s+to|"
    r"(?:,\s*|\b)(?:and|but|against|versus|from)(?:\s+(?:in\s+the\s+\w+|to))?|"   # "and 51 in the second", "and to just 61"
    r"\b(?:total|figure|count)\b[^,.;]{0,30}?\s(?:to|at)(?:\s+no\s+(?:fewer|less)\s+than)?)"   # "the total for the first half to 89"
    rf"\s+(?P<count>{HEDGED_NUMBER})(?![\w%]|[.,]\d|\s*(?:percent|per\s+cent|yuan|won|dollars|years?\s+old)\b)",
    re.IGNORECASE,
)
_PERIOD_RE = re.compile(r"\b(?:in|during|for|of)\s+(?:all\s+of\s+|the\s+whole\s+of\s+)?((?:19|20)\d\d)\b|"
                        r"\b(a\s+year\s+(?:earlier|before)|the\s+(?:previous|prior)\s+year|the\s+year\s+before|"
                        r"the\s+year\s+after(?:\s+that)?|the\s+following\s+year|"
                        r"the\s+(?:first|second)-half|"
                        r"(?:in\s+)?the\s+(?:first|second|third|fourth|last)(?:\s+(?:quarter|half))?)\b")
_FIGURE_CLAUSE_END_RE = re.compile(r"[;:—–(]|,\s|\.\s|\.$")


def _with_compared_figures(cues: list[IncidentCue]) -> list[IncidentCue]:
    found = []
    for position, cue in enumerate(cues):
        if cue.count is None or cue.generic or cue.hypothetical:
            found.append(cue)
            continue
        text, begin, end = _after_trigger(cues, position)
        first = _COMPARED_RE.search(text, begin, end)
        if first and cue.date_text and text.find(cue.date_text, begin) >= first.start():
            cue = replace(cue, date_text=None)   # "387 ..., up from roughly 260 in 2023": 2023 is the 260's
        found.append(cue)
        found.extend(_compared_figures(cue, text, begin, end))
    return found


_DAY_BEFORE_RE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\s*$")


def _period_in(text: str) -> str | None:
    found = _PERIOD_RE.search(text)
    return find_date(text) or ((found.group(1) or found.group(2)) if found else None)


def _compared_figures(cue: IncidentCue, text: str, begin: int, end: int) -> list[IncidentCue]:
    figures = []
    for compared in _COMPARED_RE.finditer(text, begin, end):
        if _DAY_BEFORE_RE.search(text, 0, compared.start()):
            continue   # "between July 15 and 17": a day of the month, not a figure
        count, approximate = parse_count(compared.group("count"))
        rest = text[compared.end("count"): end]
        clause = rest[: m.start()] if (m := _FIGURE_CLAUSE_END_RE.search(rest)) else rest
        # The period follows the figure ("51 in the second") or leads to it ("the total for the first half to 89").
        period = _period_in(clause) or _period_in(text[max(begin, compared.start() - 30): compared.start("count")])
        if count is None or count == cue.count or period is None or period == cue.date_text:
            continue   # another period's figure names its period; the same figure is no other event
        figures.append(replace(cue, count=count, approximate=approximate, people_text=compared.group("count"),
                               date_text=period, anaphoric=False, one_person=None, background=False))
    return figures


def _cues_in_windows(sentence: Segment, triggers: list[tuple[str, re.Match]]) -> list[IncidentCue | None]:
    cues = []
    for position, (kind, match) in enumerate(triggers):
        previous_end = triggers[position - 1][1].end() if position else 0
        next_start = triggers[position + 1][1].start() if position + 1 < len(triggers) else len(sentence.text)
        cues.append(_cue(sentence, kind, match, previous_end, next_start))
    return cues


def _fold_background(cues: list[IncidentCue]) -> list[IncidentCue]:
    """ "14 North Koreans held in Dandong were handed over": the holding only
    says who was handed over, so it joins the handover (which may take its date)."""
    kept: list[IncidentCue] = []
    for cue in cues:
        if kept and _background_of(kept[-1], cue):
            cue = _combine(cue, kept.pop())
        kept.append(cue)
    return kept


def _background_of(first: IncidentCue, then: IncidentCue) -> bool:
    """Whether ``first`` is a relative clause on the subject of ``then``'s main verb:
    "held in Dandong were handed over", not "fled ..., but were taken into custody"."""
    if not first.background or then.hypothetical or _conflicts(first, then, ("count",)):
        return False
    between = first.sentence.text[first.trigger_start + len(first.trigger) - first.sentence.start:
                                  then.trigger_start - first.sentence.start]
    coordinated = re.search(r"\b(?:and|but|or|then|before|after)\b|[;:]", between)
    return not coordinated and bool(re.search(r"\b(?:is|are|was|were|been|being|had|have|has)\b", between))


def _triggers(text: str) -> list[tuple[str, re.Match]]:
    """Non-overlapping trigger matches, the longest winning at each place."""
    matches = [(kind, m) for kind, regex in _TRIGGER_RES for m in regex.finditer(text)]
    matches.sort(key=lambda item: (item[1].start(), -(item[1].end() - item[1].start())))
    kept, end = [], -1
    for kind, match in matches:
        if match.start() >= end and not _false_trigger(text, match) and not _restates(text, kept, kind, match):
            kept.append((kind, match))
            end = match.end()
    return kept


def _restates(text: str, kept: list[tuple[str, re.Match]], kind: str, match: re.Match) -> bool:
    """ "held in detention centers", "five deaths in custody": the state phrase only
    repeats the verb just before it, or says where a tally's events happened."""
    if not kept or not match.group().lower().startswith(("in ", "behind ")):
        return False
    if kept[-1][0] != kind and kept[-1][1].group().lower() not in _TALLY_NOUNS:
        return False
    return len(text[kept[-1][1].end(): match.start()].split()) <= 2


def _false_trigger(text: str, match: re.Match) -> bool:
    rest = text[match.start():].lower()
    if any(rest.startswith(phrase) for phrase in _FALSE_TRIGGERS):
        return True
    if rest.startswith("cross") and re.search(r"\bto\s+$", text[: match.start()]):
        return True   # "told to cross the Tumen": an instruction or an attempt, not a crossing
    words = text[: match.start()].split()
    before = words[-1].lower().strip(",") if words else ""
    before = "the" if re.search(r"[’']s$", before) else before   # "the film's release"
    if before not in _DETERMINERS | _PREPOSITIONS or match.group().lower().endswith(" of"):
        return False
    # "the arrested escapees", "for repatriated defectors" (adjectives), "their escape" (a noun).
    participle = re.search(r"(?:ed|en|ught|eld)$", match.group(), re.IGNORECASE)
    if before in _PREPOSITIONS and before not in _DETERMINERS:
        return bool(participle) and bool(_SUBJECT_RE.match(text, match.end() + 1))
    return not participle or bool(_SUBJECT_RE.match(text, match.end() + 1))


def _cue(sentence: Segment, kind: str, match: re.Match, window_start: int, window_end: int) -> IncidentCue | None:
    """The cue for one trigger, or None when it is no event that happened to people.

    The window runs from the trigger before to the trigger after, so that each
    trigger of a sentence finds its own count, date and place.
    """
    text = sentence.text
    before = _clause_before(text, match)
    # "are waiting in detention": a state phrase names its people before it, like a passive.
    state = match.group().lower().startswith(("in ", "behind "))
    passive = bool(_BE_AUX_RE.search(before) or _PASSIVE_AND_RE.search(before)) or _reduced_relative(before, match.group()) or state
    after = text[match.end():window_end]
    tally = _tally(text, match)
    if tally is None and match.group().lower() in _TALLY_ONLY:
        return None   # "deaths", "deportations" without a number: no one event
    if kind == "other" and len(match.group().split()) > 2 and not _PEOPLE_RE.search(match.group()):
        return None   # "sold his car to ...": what is sold must be people
    if match.group().lower() in ("arrive", "arrives", "arrived") and not _COUNTED_SUBJECT_RE.search(before):
        return None   # "98 defectors arrived", not "before they arrived" or "the message arrived"
    if match.group().lower() == "arrivals" and tally is not None and \
            re.search(rf"\bthe\s+{re.escape(tally[0])}\s+$", text[: match.start()], re.IGNORECASE):
        return None   # "welcomed the three arrivals": the people of an event told already
    chained = _chained_passive(text, match, kind)
    passive = passive or chained
    if tally is None and (_NEGATED_RE.search(before) or not (_about_people(kind, before, match.group(), after, passive)
                                                             or _joined_to_people(text, match, kind) or chained)):
        return None
    if kind == "detention" and _taken_into_custody(match.group(), before, after, text[window_start:window_end]):
        kind = "arrest"
    return _describe(sentence, kind, match, (window_start, window_end), before, passive)


# Events counted by their number ("51 arrests", "at least 412 forced returns"):
# each happened to one person, so the tally is the count of people.
_TALLY_NOUNS = frozenset("arrests returns escapes deportations repatriations expulsions deaths executions "
                         "detentions defections arrivals".split())
_TALLY_ONLY = _TALLY_NOUNS - {"arrests", "returns", "escapes"}   # the others are verbs too


def _tally(text: str, match: re.Match) -> tuple[str, int, bool] | None:
    if match.group().lower() not in _TALLY_NOUNS:
        return None
    return tally_before(text[max(0, match.start() - 60): match.start()]) or tally_after(text[match.end():])


# "are being detained", "remain detained", "detained for two months", "detained at a
# detention centre": held. Otherwise "police detained 11", "was detained at a
# checkpoint" is the moment of being taken: an arrest.
_HELD_BEFORE_RE = re.compile(r"\b(?:being|remains?|remained|still|currently|now|are|is)\s+(?:\w+ly\s+)?$", re.I)
_HELD_AFTER_RE = re.compile(
    r"^(?:\s+[\w'’,-]+){0,6}?\s+(?:for\s+(?:(?:more|less)\s+than\s+|about\s+|nearly\s+|almost\s+|over\s+)?"
    r"(?:\w+|\d+)\s+(?:days?|weeks?|months?|years?)\b|(?:in|at|inside)\s+(?:an?|the|their)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:detention|cent(?:er|re)s?|camps?|prisons?|jails?|facilit(?:y|ies)|cells?|lockups?)\b)",
    re.IGNORECASE,
)


def _taken_into_custody(trigger: str, before: str, after: str, window: str) -> bool:
    """Whether "detained" reports the moment people were taken (an arrest), not their being held.
    "2,000 North Koreans detained in China", undated, describes the people held."""
    if trigger.lower() != "detained":
        return False
    if _reduced_relative(before, trigger) and not find_date(window):
        return False
    return not (_HELD_BEFORE_RE.search(before) or _HELD_AFTER_RE.match(after))


def _describe(sentence: Segment, kind: str, match: re.Match, window: tuple[int, int], before: str, passive: bool):
    text, (window_start, window_end) = sentence.text, window
    mention = _people_mention(text, match, len(before), passive, kind) or _joined_subject(text, match, kind)
    tally = _tally(text, match)
    count = tally or _count(text, match, window, before, passive, mention)
    # A dateline ("SEOUL, July 20 (AP) -") dates and places the report, not the event.
    start = max(window_start, _dateline_end(text))
    location = _location(text, match, start, window_end, kind)
    cue = IncidentCue(
        sentence=sentence,
        type=kind,
        trigger=match.group(),
        actors=_actors(text, match, passive, window_end),
        subjects=_subjects(text, match, passive),
        people_text=count[0] if count else None,
        count=count[1] if count else None,
        approximate=count[2] if count else False,
        date_text=_date(text, match, start, window_end),
        location_text=None if _country_only(location) else location,
        **_place(location),
        hypothetical=_hypothetical(before) or (match.group().lower().endswith(" of")
                                              and bool(_MODAL_AFTER_RE.match(text, match.end()))),
        generic=tally is None and (_generic(text, match, before, counted=count is not None)
                                   or _class_of_people(text, match, before, count, window_end)),
        trigger_start=sentence.start + match.start(),
        evidence=(sentence,),
        anaphoric=_anaphoric(text, mention, count) or bool(passive and _ALL_OF_THEM_RE.search(before)),
        one_person=_one_person(text, mention) or (_named_subject(before, passive) if mention is None else None),
        background=_background(text, match, before, window_end),
    )
    dated = cue.date_text is not None and not _OPEN_DATE_RE.match(cue.date_text)
    if match.group().lower().endswith(" of") and cue.count is None and not dated:
        cue = replace(cue, generic=True)   # "China's repatriation of defectors": the practice
    return replace(cue, status=_status(text) or _status_from_type(cue))


# "since early 2020", "until March": a bound, not the time of an event.
_OPEN_DATE_RE = re.compile(r"(?:since|until|till|before|after|by)\b", re.IGNORECASE)

_DATELINE_RE = re.compile(
    r"^[A-Z][A-Z.'’ -]{2,}(?:,\s+[A-Z][a-z]{2,}\.?\s+\d{1,2})?\s*(?:\([^)]{1,30}\))?\s*(?:--|[-—–:])\s+"
)


def _dateline_end(text: str) -> int:
    dateline = _DATELINE_RE.match(text)
    return dateline.end() if dateline else 0


# ---------------------------------------------------------------- whose incident

def _count(text: str, match: re.Match, window: tuple[int, int], before: str, passive: bool,
           mention: re.Match | None) -> tuple[str, int, bool] | None:
    """The people count of a trigger: in its window, else in the words around it.
    One person named as an active verb's object ("and released a woman") is not
    counted with the group before the verb; nor one person with others named in
    another clause ("..., according to two residents")."""
    window_start, window_end = window
    near = _near(before, text[match.end():window_end], match.group(), passive)
    count = find_count(text[window_start:window_end]) or find_count(near) or _number_subject(before, passive)
    if count is None:
        return _with_companion(text, match, window_end,
                               kind_subject=not passive and (mention is None or mention.start() < match.start()))
    at = text.find(count[0], window_start)
    object_after = mention is not None and mention.start() >= match.start() and not passive
    if object_after and _one_person(text, mention) and not at <= mention.start() < at + len(count[0]):
        return None   # "and released a woman": counted 1 once merging is done ("a woman and her son" is two)
    if at > match.end() and (_OTHER_CLAUSE_RE.search(text, match.end(), at) or _AND_CLAUSE_RE.search(text, match.end(), at)):
        return None   # "spent a year at a camp, where she saw two women die": another clause's people
    if _counts_others(text, count[0], match, mention, window_start):
        return None   # "arrested a man ..., according to two residents": he is the one
    if _SOURCE_AFTER_RE.match(text, at + len(count[0])) if at >= 0 else False:
        return None   # "..., two people familiar with the case said": who told, not who it happened to
    return count


def _number_subject(before: str, passive: bool) -> tuple[str, int, bool] | None:
    found = _NUMBER_SUBJECT_RE.search(before) if passive else None
    if found is None:
        return None
    count, approximate = parse_count(found.group(1))
    return (found.group(1), count, approximate) if count is not None else None


def _with_companion(text: str, match: re.Match, window_end: int, kind_subject: bool) -> tuple[str, int, bool] | None:
    """Two people: the subject who fled or arrived, and the one person named with "with"
    ("Jeong first crossed the Tumen ... with her younger sister")."""
    if not kind_subject:
        return None
    companion = COMPANION_RE.search(text, match.end(), window_end)
    return (companion.group(), 2, False) if companion else None


# ", and just before Christmas he and eleven others were driven ...": a new clause's people.
_AND_CLAUSE_RE = re.compile(r",\s+and\s+")


# People counted as the source of the report, not its subject.
_SOURCE_AFTER_RE = re.compile(
    r"\s+(?:(?:who\s+(?:are|were)\s+)?(?:familiar\s+with|close\s+to|briefed\s+on|with\s+knowledge\s+of)\b|"
    r"(?:said|say|says|told)\b)",
    re.IGNORECASE,
)


# Where another clause begins: a count beyond it is about other people.
_OTHER_CLAUSE_RE = re.compile(r"[;:]|,\s*(?:where|who|whom|which|when|while|as|after|according|said|says)\b|"
                              r"\b(?:according\s+to|said|says|told)\b", re.IGNORECASE)


def _counts_others(text: str, phrase: str, match: re.Match, mention: re.Match | None, window_start: int) -> bool:
    """Whether a count names other people than the one person the trigger is about:
    "she was handed over ..., where she saw two women die"."""
    if mention is None or not _one_person(text, mention):
        return False
    at = text.find(phrase, window_start)
    after = max(match.end(), mention.end())
    return at >= after and bool(_OTHER_CLAUSE_RE.search(text, after, at))


def _people_mention(text: str, match: re.Match, before_length: int, passive: bool, kind: str) -> re.Match | None:
    """Where the trigger's people are named: in the trigger ("picked her up"); else a
    passive's subject (nearest before), fleeing's, dying's or a trial's subject
    (first in the clause), an active verb's object (first after)."""
    clause_start = match.start() - before_length
    inside = _PEOPLE_RE.search(text, match.start(), match.end())
    if inside:
        return inside
    before = list(_PEOPLE_RE.finditer(text, clause_start, match.start()))
    if passive:
        # "A 52-year-old man who guided them was arrested": the man, not "them".
        heads = [m for m in before if re.match(r"\s*,?\s+(?:[\w'’-]+\s+){0,3}?(?:who|whom|that)\b", text[m.end():])]
        inside = heads and re.search(r"\b(?:who|whom|that)\b", text[heads[-1].end():match.start()])
        return heads[-1] if inside and before[-1].start() > heads[-1].end() else (before[-1] if before else None)
    if (kind in _SUBJECT_KINDS or _ARRIVAL_RE.match(match.group())) and before:
        return before[0]
    if kind in ("escape", "death") or _ARRIVAL_RE.match(match.group()):
        return None   # "Jang himself fled, leaving his family": not the family ("a court sentenced her" is)
    return _PEOPLE_RE.search(text, match.end(), min(len(text), match.end() + 60))


# Who arrives, spends time in a camp or serves a sentence is the verb's subject.
_ARRIVAL_RE = re.compile(r"(?:arriv|reach|land|made it|makes? it|spen[dt]|serv|travel|fl(?:y|ies|ew)\b|"
                         r"mov(?:e|es|ed|ing)\s+to\b|walk(?:s|ed|ing)?\s+out\b)", re.IGNORECASE)


def _phrase_before(text: str, mention: re.Match, words: int = 4) -> list[str]:
    """The mention with up to ``words`` words before it, longest first."""
    lead = text[max(0, mention.start() - 80): mention.start()].split()[-words:]
    return [" ".join([*lead[k:], mention.group()]) for k in range(len(lead) + 1)]


def _one_person(text: str, mention: re.Match | None) -> str | None:
    """The phrase naming one person, if the people are one: "a man", "the woman", "she"."""
    if mention is None:
        return None
    following = text[mention.end(): mention.end() + 30]
    if mention.group().lower() in ("her", "his") and _PEOPLE_RE.match(following.lstrip()):
        return None   # "her children": the children are meant
    if mention.group()[:1].isupper() and mention.start() > 0 and mention.group().lower() not in _PRONOUNS:
        return None   # "the UN High Commissioner for Refugees": part of a name
    return next((phrase for phrase in _phrase_before(text, mention) if is_one_person(phrase, whole=True)), None)


_PRONOUNS = frozenset("he him she her they them themselves".split())


def _anaphoric(text: str, mention: re.Match | None, count: tuple[str, int, bool] | None) -> bool:
    """Whether the people are named only by reference to an earlier report:
    "they", "the woman", "Twelve of them", "the ten"."""
    if count is not None:
        return bool(re.match(r"(?:all|the|these|those)\s+\S+$", count[0], re.IGNORECASE)) or is_part_of_group(count[0])
    if mention is None:
        return False
    if mention.group().lower() in _PRONOUNS:
        return True
    return bool(re.search(r"\b(?:the|these|those|this)\s+(?:[\w-]+\s+){0,2}$", text[: mention.start()], re.I))


_SUBJECT_KINDS = ("escape", "death", "trial")
_RELATIVE_RE = re.compile(
    rf"(?:{_PEOPLE})\s*,?\s+(?:who|that|whom)\s+(?:(?:was|were|had|have|has|been|being|is|are)\s+)*(?:\w+ly\s+)*$",
    re.IGNORECASE,
)


_EARLIER_RELATIVE_RE = re.compile(r"\b(?:who|that)\s+had\s+been\s+(?:\w+ly\s+)?$", re.IGNORECASE)


def _background(text: str, match: re.Match, before: str, window_end: int) -> bool:
    """A relative clause on people ("people who were returned", "defectors held in X")
    with no date of its own: it tells who they are, not a separate event. Time spent
    somewhere ("a woman who spent eight months in a detention centre") is an event told."""
    if re.match(r"(?:spen[dt]|serv)", match.group(), re.IGNORECASE) or _EARLIER_RELATIVE_RE.search(before):
        return False   # "five North Koreans who had been arrested in Shenyang were handed over": two events
    reduced = _reduced_relative(before, match.group()) and not _BE_AUX_RE.search(before)
    relative = _RELATIVE_RE.search(before) or reduced
    return bool(relative) and find_date(text[match.start():window_end]) is None


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


def _reduced_relative(before: str, trigger: str) -> bool:
    """A participle right after a people noun: "defectors apprehended on Tuesday", "defectors currently detained".
    Not after a subject pronoun: "She picked up the phone" is active; nor a verb
    people do themselves ("eleven workers fled") or one with its object ("a broker sold her to")."""
    if _ACTIVE_ONLY_RE.match(trigger) or _PEOPLE_RE.search(trigger):
        return False
    found = re.search(rf"(?<![\w-])(?:{_PEOPLE})\s+(?:\w+ly\s+)?$", before, re.IGNORECASE)
    return bool(found) and not re.match(r"(?:he|she|they|we)\b", found.group(), re.IGNORECASE)


_ACTIVE_ONLY_RE = re.compile(r"(?:fled|escaped|defected|died|crossed|swam|walked|waded|slipped|left|arrived|"
                             r"reached|landed|travel|made\s+it)\b", re.IGNORECASE)


# "Rights groups estimate that about 600 were sent back": a number standing for people.
_NUMBER_SUBJECT_RE = re.compile(
    rf"(?:^|\bthat\s+|[,;]\s+)({HEDGED_NUMBER})\s+(?:were|had\s+been|have\s+been)\s+(?:\w+ly\s+)?$", re.IGNORECASE)


# "all were caught within days", "both were sent back": the group just named.
_ALL_OF_THEM_RE = re.compile(r"(?:^\s*|[;,]\s*|\b(?:and|but)\s+)(?:all|both)(?:\s+of\s+them)?\s+"
                             r"(?:were|had\s+been|have\s+been)\b", re.IGNORECASE)


def _about_people(kind: str, before: str, trigger: str, after: str, passive: bool) -> bool:
    """Whether the trigger happens to people: its subject if passive, else its object
    (or, for what people do themselves, fleeing or dying, its subject)."""
    following = " ".join(after.split()[:8])
    if trigger.lower().endswith(" of"):   # "the release of 11 defectors", not "of the footage ... she"
        following = " ".join(after.split()[:5])
        return bool(_SUBJECT_RE.search(following) or find_count(following))
    if _PEOPLE_RE.search(trigger) or find_count(trigger):   # "sent them back", "allowed the three to leave"
        return True
    if passive:
        preceding = " ".join(before.split()[-20:])
        return bool(_PEOPLE_RE.search(preceding) or find_count(preceding) or _named_person_subject(before)
                    or _ALL_OF_THEM_RE.search(before) or _NUMBER_SUBJECT_RE.search(before))
    if trigger.lower().endswith(" up"):
        # A phrasal verb's object is the phrase right after it: "rounded up some 35
        # defectors and ...", not "picked up the phone and called her".
        phrase = re.split(r"[,.;:]|\b(?:and|or|but|to|in|at|on|from|near|after|before|then|who|which|that)\b", after)[0]
        following = " ".join(phrase.split()[:8])
    if _OBJECT_RE.match(following) or find_count(following) or _OBJECT_BEFORE_RE.search(before):
        return True
    # "the two men held summit meetings" is no detention: only fleeing, dying and
    # standing trial need no object. Their subject may stand before a relative
    # clause: "a 19-year-old man whom he had told to cross the river drowned".
    subject = _SUBJECT_BEFORE_RE.search(before) or _CLAUSE_SUBJECT_RE.search(before) or _named_actor(before)
    return (kind in _SUBJECT_KINDS or bool(_ARRIVAL_RE.match(trigger))) and bool(subject)


# What may stand between a name and its verb: an age or a short description
# set off by commas ("Lee, 34,", "Kim, a former soldier,").
_APPOSITIVE = r"(?:,\s+(?:(?:then\s+|aged\s+|now\s+)?\d{1,3}|(?:an?|the)\s+[\w'’-]+(?:\s+[\w'’-]+){0,5}),)?"

# "Months later, Kang himself was caught": a person named just before a passive verb.
_NAMED_SUBJECT_RE = re.compile(
    rf"(?<![\w'’-])((?-i:{PERSON_NAME})){_APPOSITIVE}(?:\s+(?:himself|herself))?"
    r"\s+(?:was|had\s+been|has\s+been)\s+(?:(?:later|again|also|eventually|finally|then|\w+ly)\s+)?$"
)


# "Ri first fled from Musan", "Kang escaped a third time": a person named as the clause's subject.
_NAMED_ACTOR_RE = re.compile(
    rf"(?:^|[,;]\s+|\b(?:In|On|By|Then|Later)\b[^,]{{0,30}}?\s|"
    rf"\b(?:The|the)\s+(?:first|second|third|fourth|last|next)\s+time\s+)((?-i:{PERSON_NAME})){_APPOSITIVE}"
    r"(?:\s+(?:himself|herself))?\s+(?:(?:first|then|later|again|finally|eventually|also|\w+ly)\s+)?$"
)


def _named_actor(before: str) -> str | None:
    """The person named as the subject of an active verb ("Ri first fled"), if any."""
    return _person_named_by(_NAMED_ACTOR_RE, before)


def _named_subject(before: str, passive: bool) -> str | None:
    """The person named as the trigger's subject: "Kang was caught", "Ri fled"."""
    return _person_named_by(_NAMED_SUBJECT_RE if passive else _NAMED_ACTOR_RE, before)


def _named_person_subject(before: str) -> bool:
    """Whether a person is named as the subject of a passive verb ("Kang himself was caught")."""
    return _person_named_by(_NAMED_SUBJECT_RE, before) is not None


def _person_named_by(pattern: re.Pattern, before: str) -> str | None:
    named = pattern.search(before)
    if not named or named.group(1) in GAZETTEER or named.group(1).split()[0] in _NOT_PERSON_WORDS:
        return None
    return named.group(1)


# Capitalised words that open a sentence or name a body, never one person.
_NOT_PERSON_WORDS = frozenset(
    "He She It They The This That China Beijing Seoul Pyongyang Police Officials Authorities Nobody Everyone".split()
)


# The first words of a clause, after a leading adverbial ("In another, ..."), hold its subject.
_CLAUSE_SUBJECT_RE = re.compile(
    rf"^\W*(?:(?:In|On|At|Last|Earlier|Later)\b[^,]{{0,40}},\s+)?(?:[\w'’-]+\s+){{0,4}}?(?:{_PEOPLE})(?![\w-])",
    re.IGNORECASE,
)


def _near(before: str, after: str, trigger: str, passive: bool) -> str:
    """The words around a trigger where its people should be named."""
    words = before.split()
    words = words[-20:] if passive else words[-8:]
    return " ".join([*words, trigger, *after.split()[:8]])


def _date(text: str, match: re.Match, window_start: int, window_end: int) -> str | None:
    """A date in the trigger's own clause: not "urged China Wednesday" for "who were arrested"."""
    before = text[window_start: match.start()]
    # "arrived on Wednesday after China allowed them to leave": Wednesday is the
    # arrival's; "were arrested in May 2022 and later sent back": May is the arrest's.
    breaks = list(re.finditer(
        rf"{_CLAUSE_BREAK_RE.pattern}|\b(?:who|which|said|says|told|after|before|when|while|because|once|until)\s+|"
        r"(?:,|\band)\s+(?:later|then|subsequently|afterwards|eventually)\s+",
        before, re.IGNORECASE,
    ))
    start = window_start + (breaks[-1].end() if breaks else 0)
    if window_start > _dateline_end(text):
        # After another trigger, the words before this one may still be that
        # one's: "returned from China in October died last week".
        return find_date(text[match.start():window_end]) or find_date(text[start:window_end])
    return find_date(text[start:window_end])


def _hypothetical(before: str) -> bool:
    before = re.sub(r"\b(?:in|at)\s+the\s+end\b", "", before, flags=re.IGNORECASE)   # "In the end a court sentenced her"
    if _ONCE_RE.search(before):
        return True   # "Once sent back, they face harsh punishment"
    if _MODAL_RE.search(before) and not _ACHIEVED_RE.search(before):
        return True
    return bool(_CONDITION_RE.search(" ".join(before.split()[-6:])))


_ONCE_RE = re.compile(r"(?:^|[.;:,]\s*)[\"“‘']?once\s+(?:\w+ly\s+)?$", re.IGNORECASE)
# "The return of these seven people would violate ...": a nominal event still to come.
_MODAL_AFTER_RE = re.compile(r"(?:\s+[\w'’-]+){0,6}?\s+(?:would|could|will|might|must|should)\b", re.IGNORECASE)


# A whole class of people: "all North Koreans held ...", "any defector caught ...".
_ALL_OF_A_KIND_RE = re.compile(rf"\b(?:all|any|every)\s+(?:[\w-]+\s+){{0,2}}(?:{_PEOPLE})\s+$", re.IGNORECASE)
# "people who crossed the border illegally": whoever did it, uncounted and unnamed.
_WHOEVER_RE = re.compile(r"(?<![\w-])(?:people|anyone|persons|those|individuals)\s+who\s+(?:\w+ly\s+)?$", re.I)
# "<people> returned to the DPRK are at serious risk": a participle describing a class, then the present.
_PEOPLE_BEFORE_RE = re.compile(rf"(?:{_PEOPLE})\s+$", re.IGNORECASE)
_PRESENT_AFTER_RE = re.compile(r"^(?:\s+[\w'’-]+){0,4}?\s+(?:are|is|face|faces|risk|risks)\b", re.IGNORECASE)


def _generic(text: str, match: re.Match, before: str, counted: bool = False) -> bool:
    """How things usually go, rather than one event. A counted total over a span
    ("31,000 people have defected since 1998") is one figure, not a habit."""
    trigger = _verb_of(match.group())
    rest = re.split(r"[,;:—]", text[match.end():])[0]
    habit = _GENERIC_RE.search(before + match.group() + rest)
    if (habit and not (counted and habit.group().lower().startswith("since"))) or _THOSE_RE.search(before):
        return True
    if _ALL_OF_A_KIND_RE.search(before) or _WHOEVER_RE.search(before) or \
            (_PEOPLE_BEFORE_RE.search(before) and _PRESENT_AFTER_RE.match(rest)):
        return True   # "all North Koreans held in Jilin", "women returned to the DPRK are at risk"
    if trigger.endswith("ing") and not _BE_AUX_RE.search(before) and not _AFTER_PREP_RE.search(before):
        return not re.search(r"\b(?:was|were|had|did)\b", before)   # but "were attempting to flee"
    if trigger in ("remain", "remains", "presumed"):
        return False   # "Another 18 North Koreans remain in the detention center": held now; "is presumed dead"
    # Headlines tell past events in the present: "China sends back 20 defectors".
    if _is_headline(text) or match.group().lower().endswith(" of"):
        return False
    return _present_passive(before) or (bool(trigger) and _present_active(trigger, before))


def _verb_of(trigger: str) -> str:
    """The trigger's verb: "forcibly returned" -> "returned"; "" for "in custody", which has none."""
    words = [w.lower() for w in trigger.split() if not w.lower().endswith("ly")]
    verb = words[0] if words else ""
    return "" if verb in ("in", "behind", "under") else verb


# A class of people, not a group: a bare plural ("people sent back across the
# border", "North Koreans who have fled") or "a person"/"anyone" with a participle
# or a relative clause in the present or perfect, and no count or date.
_CLASS_RE = re.compile(
    r"(?:^|[^\w\s-]\s*|\b(?!(?:the|a|an|these|those|this|its|their|his|her|our|of\s+the|all|some|many|\d+)\b)[a-z]+\s+)"
    r"(?:(?:[A-Z][\w-]*|former|other|fellow|young|female|male)\s+)*"
    r"(?i:people|defectors|refugees|escapees|migrants|detainees|North\s+Koreans|asylum[- ]seekers|women|men|children)"
    r"(?:\s+who\s+(?:have|has|are|is|later)(?:\s+\w+ly)?)?\s+(?:\w+ly\s+)?$"
    r"|\b(?:a\s+person|anyone|anybody|someone|everyone)\s+(?:who\s+(?:is|has)\s+)?(?:\w+ly\s+)?$",
)


def _class_of_people(text: str, match: re.Match, before: str, count: tuple | None, window_end: int) -> bool:
    """Whether the trigger describes a class of people (see _CLASS_RE) rather than a group."""
    if count is not None or find_date(text[max(0, match.start() - len(before)):window_end]):
        return False
    return bool(_CLASS_RE.search(before))


def _is_headline(text: str) -> bool:
    """A short line with no full stop at its end (closing quotation marks aside): a headline or a deck."""
    return not re.search(r"[.!?]$", text.strip().rstrip("\"”’'")) and len(text.split()) <= 16


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


_PAST_FORMS = frozenset(
    "fled caught held kept sent took taken stood shot froze beaten tried let set freed put went made broke "
    "slipped spent left sold flew flown drove driven swam got gotten".split()
)


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


# "... had been sent back once, in 2019, and escaped again": a verb joined by "and"
# with no subject of its own shares the people of the verb before it.
_JOINED_VERB_RE = re.compile(r",?\s+and\s+(?:(?:then|later|again|also|\w+ly)\s+)?$", re.IGNORECASE)


_NAME_OPENS_RE = re.compile(
    rf"\W*{PERSON_NAME}(?:,[^,]{{1,40}},)?\s+(?:was|were|had|has|is|\w+ed|fled|left|went|swam|made|ran)\b")


# "had been picked up by Lao police ..., handed over to China and from there sent
# back": participles in a row share the passive's subject.
_CHAIN_LINK_RE = re.compile(r"(?:,\s*|\s+and\s+)(?:(?:then|later|eventually|finally|from\s+there)\s+)?(?:was\s+|were\s+)?$|"
                            r"\b(?:before|after)\s+being\s+$", re.I)
_PASSIVE_WITH_PEOPLE_RE = re.compile(
    rf"(?<![\w-])(?:{_PEOPLE}|{_GROUP_BY_NUMBER})[^;:.]*?\b(?:was|were|had\s+been|have\s+been|has\s+been)\s+"
    r"(?:\w+ly\s+)?\w+(?:ed|en|ught|eld|ent)\b", re.IGNORECASE)


def _chained_passive(text: str, match: re.Match, kind: str) -> bool:
    preceding = text[: match.start()]
    if kind in _SUBJECT_KINDS and not re.search(r"\b(?:was|were)\s+$", preceding):
        return False   # "was released ..., and tried for years to": an active verb of its own
    if not re.match(r"\w+(?:ed|en|ught|eld|ent)\b", match.group()) or not _CHAIN_LINK_RE.search(preceding):
        return False
    return bool(_PASSIVE_WITH_PEOPLE_RE.search(preceding))


def _joined_to_people(text: str, match: re.Match, kind: str) -> bool:
    """ "The women had been sent back, and escaped again": fleeing or dying joined by
    "and" to a clause whose subject is people."""
    preceding = text[: match.start()]
    subject_verb = kind in ("escape", "death") or bool(_ARRIVAL_RE.match(match.group()))
    return subject_verb and bool(_JOINED_VERB_RE.search(preceding)) and \
        bool(_CLAUSE_SUBJECT_RE.search(preceding) or _NAME_OPENS_RE.match(preceding))


def _joined_subject(text: str, match: re.Match, kind: str) -> re.Match | None:
    """ "In 2016 she paid a guard ..., and waded across": the people of the clause
    the trigger is joined to by "and", for what people do themselves."""
    if kind not in ("escape", "death") and not _ARRIVAL_RE.match(match.group()):
        return None
    preceding = text[: match.start()]
    if not _JOINED_VERB_RE.search(preceding):
        return None
    subject = _CLAUSE_SUBJECT_RE.search(preceding)
    return _PEOPLE_RE.search(preceding, subject.start(), subject.end()) if subject else None


def _shared_people(cues: list[IncidentCue]) -> list[IncidentCue]:
    shared = list(cues)
    for i in range(1, len(shared)):
        cue, previous = shared[i], shared[i - 1]
        if cue.count is not None or cue.one_person or (previous.count is None and not previous.one_person):
            continue
        between = cue.sentence.text[previous.trigger_start - cue.sentence.start + len(previous.trigger):
                                    cue.trigger_start - cue.sentence.start]
        if _JOINED_VERB_RE.search(between) and not _PEOPLE_RE.search(between):
            shared[i] = replace(cue, count=previous.count, approximate=previous.approximate,
                                people_text=previous.people_text, one_person=previous.one_person)
    return shared


def _subjects(text: str, match: re.Match, passive: bool) -> str | None:
    before = list(_SUBJECT_RE.finditer(text[: match.start()]))
    after = _SUBJECT_RE.search(text, match.end(), min(len(text), match.end() + 60))
    if passive or after is None:
        return before[-1].group() if before else (after.group() if after else None)
    return after.group()


def _location(text: str, match: re.Match, window_start: int, window_end: int, kind: str) -> str | None:
    """The place of the event, as written.

    A named place beats "a checkpoint": one soon after the trigger, then the
    nearest before it, then any later in the window; then unnamed places; last
    a place named without a preposition ("to cross the Tumen River ... drowned").
    An escape's place is where people fled from, a transfer's where they were
    taken to ("moved from lockups in Tumen to a facility in Dandong").
    """
    named_in_trigger = _GAZ_RE.search(match.group())
    if kind == "escape" and named_in_trigger:
        return named_in_trigger.group()   # "left Bocheon ... and passed through Qingdao": where they fled from
    soon = match.end() + len(" ".join(text[match.end():].split()[:10])) + 1
    # "..., officials in Seoul said": where the source is, not the event; nor
    # where its consequences were ("..., setting off criticism in Seoul").
    for tail_re in (_ATTRIBUTION_TAIL_RE, _CONSEQUENCE_RE):
        tail = tail_re.search(text, match.end(), window_end)
        window_end = tail.start() if tail else window_end
    after = _places(text, match.start() if kind == "transfer" else match.end(), window_end, kind)
    before = _places(text, window_start, match.start(), kind)[::-1]
    first = [p for p in after if p[2] < soon]
    # The most specific named place first: a city or province, then a country
    # ("arrived in South Korea ... inside the consulate in Shenyang"), then a
    # river or border; unnamed places ("a checkpoint") last.
    in_order = [p for group in (first, before, after) for p in group]
    ranked = sorted(in_order, key=_specificity) + in_order
    if kind == "escape":
        ranked = [p for p in ranked if p[3] == "from"] + ranked
    destination = re.search(r"\bto\s", text[match.start():window_end])
    if kind == "transfer" and destination:
        ranked = [p for p in ranked if p[2] >= match.start() + destination.start()] + ranked
    if _ARRIVAL_RE.match(match.group()):
        ranked = [p for p in ranked if p[2] >= match.start()] + ranked   # where they arrived, not where from
    if ranked:
        return ranked[0][0]
    # A release happens where people were held, which the sentence may name
    # before another event ("... in the consulate in Shenyang arrived in Seoul
    # after China allowed them to leave"): a city or province there.
    earlier = _places(text, 0, window_start, kind)[::-1] if kind == "release" and window_start else []
    named = [p for p in earlier if _is_named_place(p[0]) and not _country_only(p[0])]
    return named[0][0] if named else _bare_place(text, match, window_start, window_end)


# A place named without a preposition: only a river ("to cross the Tumen River");
# a town so named is usually the subject of another verb ("after Pyongyang reopened").
_BARE_PLACE_RE = re.compile(r"(?:the\s+)?[A-Z][\w-]*\s+River\b")
# "Jinghong, a city in Yunnan": a name the gazetteer lacks, said to be a place.
_APPOSITION_PLACE_RE = re.compile(r",\s+an?\s+(?:[a-z]+\s+)?(?:city|town|village|county)\b")


def _specificity(place: tuple[str, bool, int, str]) -> int:
    if not place[1]:
        return 3
    details = _place(place[0])
    return 0 if details["city"] or details["region"] else 1 if details["country"] else 2


_CONSEQUENCE_RE = re.compile(r",\s+(?:setting|sparking|prompting|drawing|triggering|causing|leading|"
                             r"fuelling|fueling|angering)\b")
_ATTRIBUTION_TAIL_RE = re.compile(
    r",\s+(?:according\s+to\b|(?:[^,;]{0,80}?\s)?(?:said|says|told|reported|added)\b[^,;]{0,60}$)"
)


def _bare_place(text: str, match: re.Match, window_start: int, window_end: int) -> str | None:
    after = _BARE_PLACE_RE.search(text, match.end(), window_end)
    before = list(_BARE_PLACE_RE.finditer(text, window_start, match.start()))
    found = after or (before[-1] if before else None)
    return found.group() if found else None


def _places(text: str, start: int, end: int, kind: str) -> list[tuple[str, bool, int, str]]:
    """Places after a location preposition in text[start:end]: (as written, whether named, start, preposition)."""
    found = []
    # A transfer's place is where people were taken: "sent to a camp in Tumen".
    preps = _LOC_PREP_RE if kind != "transfer" else _TRANSFER_PREP_RE
    for prep in preps.finditer(text, start, end):
        if kind in ("detention", "arrest") and prep.group().startswith("from"):
            continue   # "returned from China are still held": where they came from, not where held
        named = _LOC_NAMED_RE.match(text, prep.end())
        plain = _LOC_PLAIN_RE.match(text, prep.end())
        word = prep.group().strip()
        if named and _is_named_place(named.group()):
            found.append((named.group().rstrip(" ,"), True, prep.start(), word))
        elif plain:
            found.append((plain.group(), False, prep.start(), word))
    return found


def _is_named_place(phrase: str) -> bool:
    return bool(_GAZ_RE.search(phrase) or "border" in phrase or re.search(r"\bRiver\b", phrase)
                or _APPOSITION_PLACE_RE.search(phrase))


def _country_only(location: str | None) -> bool:
    """ "China", "North Korea": a country alone belongs in ``country``, not as a place."""
    named = re.fullmatch(rf"(?:the\s+)?({_GAZ})", location or "")
    return bool(named) and GAZETTEER[named.group(1)][:2] == (None, None)


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


# How many earlier events a new cue is compared with. An article restates an
# event within a few dozen others (a news article has fewer in all); a
# 200,000-character document with 600 would otherwise cost 180,000 comparisons.
MERGE_REACH = 50


def _merge(indexed: list[tuple[int, IncidentCue]]) -> list[IncidentCue]:
    """Fold a cue into the latest earlier one (of the last MERGE_REACH) that reports the same event."""
    merged: list[tuple[int, IncidentCue]] = []
    for index, cue in indexed:
        recent = range(len(merged) - 1, max(-1, len(merged) - 1 - MERGE_REACH), -1)
        target = next((i for i in recent if _same_event(*merged[i], index, cue)), None)
        if target is None:
            merged.append((index, _with_group_count(cue, [merged[i][1] for i in recent])))
        else:
            at, old = merged[target]
            merged[target] = (index, _combine(old, cue))
    return [cue for _, cue in merged]


_PARTITIVE_RE = re.compile(
    r"\b(?:one|some|several|many|most|few|none|each|either|neither|both|hundreds?|dozens?|thousands?|\d+|"
    r"two|three|four|five|six|seven|eight|nine|ten)\s+of\s+(?:them|these|those|the)\b",
    re.IGNORECASE,
)


def _with_group_count(cue: IncidentCue, earlier: list[IncidentCue]) -> IncidentCue:
    """A new event of a group named by reference ("the women are being held",
    "they were sent back") counts as many as the latest counted group before it;
    the sentence that counted them joins its evidence, so the count stays grounded."""
    if not cue.anaphoric or cue.count is not None or cue.one_person or cue.generic or cue.hypothetical:
        return cue
    if _PARTITIVE_RE.search(cue.sentence.text, 0, cue.trigger_start - cue.sentence.start):
        return cue   # "several hundred of them", "one of the women": some of the group, how many unsaid
    # "the North Koreans" after "20 of them in Qingdao and nine in Kunming" are all of them, not the nine.
    group = next((old for old in earlier if old.count is not None and not (old.generic or old.hypothetical or old.share)),
                 None)
    if group is None or group.people_text is None or is_part_of_group(group.people_text):
        return cue
    counted = next((s for s in group.evidence if group.people_text in s.text), group.sentence)
    return replace(cue, count=group.count, approximate=group.approximate, people_text=group.people_text,
                   evidence=(*cue.evidence, counted) if counted not in cue.evidence else cue.evidence)


def _same_event(at: int, old: IncidentCue, index: int, new: IncidentCue) -> bool:
    # An arrest, the detention that follows and the handing back are separate
    # events of the same people, each of its own type.
    if old.type != new.type or (old.hypothetical, old.generic) != (new.hypothetical, new.generic):
        return False
    repeated = any(_bare(s.text) == _bare(new.sentence.text) and s.start != new.sentence.start for s in old.evidence)
    if repeated and old.type == new.type:
        return True   # the same sentence printed twice, e.g. a headline
    if old.hypothetical or old.generic or _is_headline(old.sentence.text):
        return False   # what may happen, or usually happens, is no one event; headlines fold last
    if new.one_person and not new.anaphoric and old.count is not None and old.count > 1:
        return False   # "A 52-year-old man ... was arrested the following day": not the group of seven
    if new.anaphoric:
        # "She was handed over", "Twelve of them were picked up in Yanji": the
        # people reported just before; a place may narrow, a count or date may
        # not differ, except that some of the group may act as the group did.
        some_of_them = (is_part_of_group(new.people_text)
                        and None not in (old.count, new.count) and new.count < old.count)
        # A life story tells the same kind of event again: "she was held" in
        # another city is another holding.
        if _conflicts(old, new, ("city", "country")):
            return False
        return not _conflicts(old, new, ("date_text",)) and (some_of_them or not _conflicts(old, new, ("count",)))
    return index - at == 1 and not _conflicts(old, new, ("count", "date_text", "location_text"))


def _conflicts(old: IncidentCue, new: IncidentCue, names: tuple[str, ...]) -> bool:
    """Whether the two cues state different values for any of ``names``."""
    return any(None not in (getattr(old, n), getattr(new, n)) and getattr(old, n) != getattr(new, n) for n in names)


# A headline words the event loosely: "held" for an arrest, "arrested" for a detention.
_KIN = {"arrest": "custody", "detention": "custody"}


def _kin(a: str, b: str) -> bool:
    return _KIN.get(a, a) == _KIN.get(b, b)


def _fold_headlines(cues: list[IncidentCue]) -> list[IncidentCue]:
    """A headline restates the lead: its cue joins the first later body cue of
    that kind, whose sentence reports the event in full and becomes its evidence first."""
    kept = list(cues)
    for cue in cues:
        if not _is_headline(cue.sentence.text):
            continue
        body = next((c for c in kept if c.sentence.start > cue.sentence.start and not _is_headline(c.sentence.text)
                     and _kin(c.type, cue.type) and (c.hypothetical, c.generic) == (cue.hypothetical, cue.generic)
                     and not _conflicts(c, cue, ("count",))), None)
        if body is not None:
            kept[kept.index(body)] = _combine(body, cue)
            kept.remove(cue)
    return kept


_CUSTODY_NOUN = r"(?:facility|cent(?:er|re)|camp|prison|jail|lockup|compound)"
_THE_CUSTODY_RE = re.compile(rf"\b(?:at|in|inside)\s+the\s+(?:[\w-]+\s+){{0,2}}?({_CUSTODY_NOUN})\b")


def _placed_custody(cue: IncidentCue, text: str) -> IncidentCue:
    """ "still held at the facility": the facility named last before, with its place
    ("a detention facility in Hyesan")."""
    mention = _THE_CUSTODY_RE.search(cue.sentence.text)
    if cue.location_text is not None or cue.city is not None or mention is None:
        return cue
    named = rf"{mention.group(1)}\s+(?:in|at|near)\s+"
    earlier = [m for m in re.finditer(named, text[: cue.sentence.start])]
    for found in reversed(earlier):
        place = _LOC_NAMED_RE.match(text, found.end())
        if place and _is_named_place(place.group()):
            location = place.group().rstrip(" ,")
            return replace(cue, location_text=location, **_place(location))
    return cue


def _counted(cue: IncidentCue) -> IncidentCue:
    """One person named in the singular counts 1; applied after merging, so that
    "he was sent back" can still join the group he was part of."""
    if cue.count is None and cue.one_person:
        return replace(cue, count=1, approximate=False, people_text=cue.one_person)
    return cue


def _bare(text: str) -> str:
    return " ".join(text.split()).rstrip(".").lower()


_PLACE_FIELDS = ("location_text", "city", "region", "country")


def _combine(old: IncidentCue, new: IncidentCue) -> IncidentCue:
    filled = {
        name: getattr(new, name)
        for name in ("subjects", "people_text", "count", "date_text", "status", "one_person")
        if getattr(old, name) is None and getattr(new, name) is not None
    }
    if "count" in filled:
        filled["approximate"] = new.approximate
    # A place is one unit: "Tumen" with its region and country, not mixed with another;
    # and a country stated already ("returned from China") is not traded for one elsewhere.
    narrows = new.location_text is not None and old.country in (None, new.country)
    if old.location_text is None and (narrows or not any(getattr(old, n) for n in _PLACE_FIELDS)):
        filled.update({name: getattr(new, name) for name in _PLACE_FIELDS})
    evidence = old.evidence + tuple(s for s in new.evidence if s not in old.evidence)
    actors = tuple(dict.fromkeys((*old.actors, *new.actors)))
    # A deck line ("Family of four held in Kunming") words the event loosely:
    # the body's verb ("were arrested") names its type.
    if old.type != new.type and _is_headline(old.sentence.text) and not _is_headline(new.sentence.text):
        filled["type"] = new.type
    return replace(old, actors=actors, evidence=evidence, **filled)


# ---------------------------------------------------------------- stance lexicon

# Stance toward the article's central issue: China forcibly repatriating North
# Korean defectors. "supports" is for repatriation (China's own line), "opposes"
# against it. Same phrase notation as the incident lexicon; {GOV} names the
# Chinese state as the one being urged. "neutral" is a stated even-handedness;
# a party that declines to comment, is "monitoring" or "cannot confirm" takes
# no stance the text reveals: "unclear".
_STOP_VERBS = "stop/halt/end/cease/suspend"
_REPATRIATING = (
    "repatriating/repatriation/repatriations/deporting/deportation/deportations/sending/returning/"
    "refoulement"
)

STANCE_CUES: dict[str, tuple[str, ...]] = {
    "opposes": (
        "urge~ ... not to",                              # "urged their government not to send them back"
        f"urge~/ask~/press~ {{GOV}} to {_STOP_VERBS}/reconsider/protect/release/free/allow/let/grant/respect/send/"
        "recognize/recognise/abide/honor/honour/spare/raise",  # "urged China to reconsider", "... to raise the case"
        "call~ on {GOV} to",                             # "calling on Beijing to halt ..."
        "call~ for an end/a halt",
        "ask~ ... not to",                               # "asked China not to repatriate"
        "not be ... repatriated/returned/deported/sent", # "so that they will not be forcibly repatriated"
        "never be ... repatriated/returned/deported/sent",
        "not forcibly repatriated/returned/deported/sent/repatriate/return",  # "to ensure the family was not forcibly repatriated"
        "against their/his/her will", "against his or her will",
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
        "grave/serious/flagrant violation",              # "described the returns as “a grave violation”"
        "deeply regret~", "regret~ the returns/repatriation/repatriations/deportation/deportations/decision",
        "face~ serious/grave/dire difficulties/consequences/danger/dangers/risks/punishment",
        "express~ ... regret/dismay/alarm",               # "Seoul expressed regret over the repatriations"
        "prevent~ ... repatriation/repatriations/deportation/deportations/refoulement",
        "should/must be protected", "are refugees", "are genuine refugees",
        "recognize/recognise ... as refugees",           # "instead recognize them as refugees"
        "seek asylum",
        # Access for the UN refugee agency, not any mention of it ("whether the nine
        # had been interviewed by any official of the UN refugee agency").
        "agency/UNHCR ... access",         # "give the U.N. refugee agency “immediate and unhindered access”"
        "access for/to ... agency/UNHCR",
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
        "refuse~ ... to recognize/recognise/treat/regard ... as refugees",
        "back~/support~/endorse~/defend~ the Chinese/China's/Beijing's position/stance/line",
    ),
    "neutral": (
        "take~ no side/sides", "not take sides", "impartial", "even-handed",
    ),
    "unclear": (
        "closely monitoring", "monitoring the situation", "close attention",
        "decline~ to comment/elaborate/confirm/say/discuss",
        "decline~ to give details/further/more/a",       # not "declining to give her name"
        "refuse~ to confirm/comment",
        "would not say/comment/confirm/elaborate",
        "unaware of", "not aware of", "aware of the report/reports",
        "would/will consider", "is/are being discussed", "are discussing",
        "checking out", "checking the", "confirm the facts",
        "no information", "did not provide details", "could not confirm",
        "unable to verify/confirm", "could not verify", "cannot confirm",
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
        "prison camp/camps", "political prison/prisons",
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
    r"chair(?:man|woman)?|counsell?or|delegate|envoy|ambassador|"
    r"secretary|official|officer|coordinator|researcher|campaigner)\b",
    re.IGNORECASE,
)
_RANK = r"(?:(?:deputy|chief|senior|acting|assistant|vice)\s+)?"
_SPOKES_RE = re.compile(rf"\s+({_RANK}spokes(?:man|woman|person)\s+.+)$")
# "spokesperson Yoon Hae-jin" with no body named before it: the body is the sentence's subject.
_ROLE_LED_RE = re.compile(rf"^{_RANK}(?:spokes(?:man|woman|person)|minister|ambassador|envoy)\s+([A-Z].*)$")
# "A Unification Ministry official in Seoul": an official speaks for the body.
_OFFICIAL_OF_RE = re.compile(
    r"^(?:An?|The)\s+(.+?\b(?:Ministry|Embassy|Office|Department|Agency|Commission|Council|Committee|Mission|"
    r"Government))\s+(?:official|officer|diplomat|source|representative|spokes(?:man|woman|person))s?\b"
)


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


def find_stances(segmented: SegmentedText, quoted: Sequence[QuoteCandidate] = ()) -> list[StanceCue]:
    """One cue per sentence and stakeholder whose words show a stance.

    A party quoted on the issue whose words hold no cue phrase still has a
    side in this story; it is added with the stance of its side, if any
    (``_side_stance``), marked as such in ``cue``.
    """
    found: list[StanceCue] = []
    on_topic: list[Segment] = []     # sentences within reach of the central issue
    seen: list[_Speaker] = []        # parties named so far, for "she said", "It justified", "Roh said"
    recent: list[Segment] = []       # the sentences just before, for the topic
    groups: list[tuple[int, str]] = []  # civic groups named so far, for "the group's director"
    for paragraph in segmented.paragraphs:
        quotes = _quotes(paragraph)
        for sentence in _sentences_of(segmented, paragraph):
            recent = [*recent[-_TOPIC_REACH:], sentence]
            # A headline paraphrases the body, which attributes the words itself.
            if any(_TOPIC_RE.search(s.text) for s in recent) and not _is_headline(sentence.text):
                found.extend(_stances_in(sentence, quotes, seen))
                on_topic.append(sentence)
            if not _BYLINE_RE.match(sentence.text):
                named = _parties_named(sentence.text, seen)
                seen.extend(named)
                groups += [(sentence.start, party.name) for party in named
                           if classify_stakeholder(party.name, party.role) == "ngo"]
    sides = _first_per_stakeholder(_quoted_sides(on_topic, quoted, groups))
    return found + [cue for cue in sides if not _already_named(cue.stakeholder, [c.stakeholder for c in found])]


# Whose side a party is on when its quoted words carry no cue phrase: in this
# story the Chinese state defends the returns and rights groups and Seoul's
# officials and lawmakers oppose them. Anyone else (UN bodies, experts,
# relatives, witnesses) is left unclear rather than guessed.
_CHINESE_STATE_RE = re.compile(r"\b(?:China|Chinese|Beijing)\b")
_WHERE_RE = re.compile(r"\b(?:in|at|from|near|based in)\s+\S+")   # "a European diplomat in Beijing": only where
_SOUTH_KOREAN_STATE_RE = re.compile(r"\b(?:South\s+Korea[n’']?s?|Seoul|Unification\s+Ministry|National\s+Assembly)\b|"
                                    r"Rep\.|\blawmakers?\b")


_STATE_BODY_RE = re.compile(
    r"\b(?:Ministry|Government|government|Embassy|embassy|Assembly|Office|Department|authorities|police|"
    r"spokes(?:man|woman|person)|officials?|minister|Minister|ambassador|diplomats?|lawmakers?|consul)\b|Rep\."
)


def _side_stance(speaker: _Speaker, kind: str) -> str | None:
    words = _WHERE_RE.sub("", f"{speaker.name} {speaker.role or ''}")
    state = kind in ("government", "official") and _STATE_BODY_RE.search(words)  # not "a woman in Seoul"
    if state and _CHINESE_STATE_RE.search(words):
        return "supports"
    if kind == "ngo" or (state and _SOUTH_KOREAN_STATE_RE.search(words)):
        return "opposes"
    return None


def _quoted_sides(on_topic: list[Segment], quoted: Sequence[QuoteCandidate],
                  groups: list[tuple[int, str]]) -> list[StanceCue]:
    """A cue for each party quoted on the topic, from its side alone."""
    cues = []
    for quote in quoted:
        sentence = next((s for s in on_topic if s.start <= quote.start < s.end), None)
        if sentence is None or quote.speaker is None:
            continue
        speaker = _group_of_staff(quote, groups) or _speaker_of_quote(quote)
        kind = classify_stakeholder(speaker.name, speaker.role)
        stance = _side_stance(speaker, kind)
        if stance is not None:
            cues.append(StanceCue(sentence=sentence, stakeholder=speaker.name, kind=kind, stance=stance,
                                  cue=SIDE_CUE, role=speaker.role, cue_start=quote.start))
    return cues


# "Chinese Foreign Ministry spokesperson", "a spokesman for the Unification Ministry": the body speaks.
_FOR_BODY_RE = re.compile(
    rf"^(?:an?\s+|the\s+)?(?:(?P<body>.+?)\s+)?{_RANK}(?:spokes(?:man|woman|person)|official|representative)"
    rf"(?:\s+(?:for|of|at)\s+(?:the\s+)?(?P<of>.+))?$",
    re.IGNORECASE,
)


_GROUP_STAFF_RE = re.compile(r"\b(?:the\s+)?(?:group|organi[sz]ation|charity|coalition)[’']s\b|"
                             r"\b(?:of|at|for)\s+the\s+(?:group|organi[sz]ation|charity|coalition)\b", re.I)


def _group_of_staff(quote: QuoteCandidate, groups: list[tuple[int, str]]) -> _Speaker | None:
    """ "Rhee, the group's advocacy director": the civic group named last before the quote speaks."""
    if not _GROUP_STAFF_RE.search(quote.speaker_role or ""):
        return None
    before = [name for start, name in groups if start <= quote.start]
    return _Speaker(before[-1], quote.speaker_role, quote.speaker) if before else None


def _speaker_of_quote(quote: QuoteCandidate) -> _Speaker:
    """The party a quote speaks for: a spokesperson's body, else the speaker as written."""
    for words in (quote.speaker_role, quote.speaker):
        match = _FOR_BODY_RE.match(words or "")
        body = match and (match.group("of") or match.group("body"))
        if body and classify_stakeholder(body) in ("government", "ngo", "intergovernmental"):
            return _Speaker(body, quote.speaker_role, quote.speaker)
    return _Speaker(quote.speaker or "", quote.speaker_role)


SIDE_CUE = "no stance words; the stance of the speaker's side"


def _already_named(name: str, names: list[str]) -> bool:
    """``name`` is one of ``names``, or a first or last word of one ("Park" of "Elaine Park")."""
    return any(name == other or (" " not in name and name in (other.split()[0], other.split()[-1]))
               for other in names if other)


def _first_per_stakeholder(cues) -> list[StanceCue]:
    """One cue per party, a bare surname folded into the full name quoted before it."""
    firsts: list[StanceCue] = []
    for cue in cues:
        if not _already_named(cue.stakeholder, [kept.stakeholder for kept in firsts]):
            firsts.append(cue)
    return firsts


_BYLINE_RE = re.compile(r"^\s*By\s+[A-Z]")   # "By Hannah Seo": the writer, never a party


def _sentences_of(segmented: SegmentedText, paragraph: Segment) -> list[Segment]:
    return [s for s in segmented.sentences if paragraph.start <= s.start < paragraph.end]


def _stances_in(sentence: Segment, quotes: list[tuple[int, int, _Speaker | None]], seen: list[_Speaker]):
    text = sentence.text
    by_speaker: dict[_Speaker, list[tuple[str, re.Match, bool]]] = {}
    matches = [(stance, match, strong) for strong, table in ((True, _STRONG_CUES), (False, _WEAK_CUES))
               for stance, regex in table for match in regex.finditer(text)]
    for stance, match, strong in matches:
        if _not_a_stance(text, match, stance, strong, matches):
            continue
        speaker = _speaker_for(sentence, match, quotes, seen, weak=not strong)
        if speaker is not None:
            by_speaker.setdefault(speaker, []).append((stance, match, strong))
    cues = [_stance_cue(sentence, speaker, found) for speaker, found in by_speaker.items()]
    # A news outlet relaying that talks go on ("Sky News said ... are discussing") takes no side.
    return [cue for cue in cues if not (cue.kind == "media" and cue.stance in ("neutral", "unclear"))]


# "faces charges of fraud and of violating a law": an accusation, not a stance.
_CHARGE_RE = re.compile(r"\b(?:charges?|charged|accused|convicted|guilty)\b[^.;]{0,40}?\b(?:of|with)\s+$", re.I)
# "Beijing's description of them as economic migrants": another party's words, cited.
_CITED_RE = re.compile(
    r"[’']s\s+(?:description|characteri[sz]ation|claims?|labell?ing|insistence|portrayal)\s+"
    r"(?:of\s+\w+\s+)?(?:as\s+)?$",
    re.I,
)
# "could not be sent anywhere": what was impossible, not what should not happen.
_ABILITY_RE = re.compile(r"\b(?:could|can|cannot)\s+$", re.I)
# "language on forced repatriation": the subject of talk, not a view of it.
_TOPIC_OF_RE = re.compile(r"\b(?:on|about|regarding|concerning)\s+(?:the\s+)?$", re.I)
# "declined to comment on the trial": silence about something else.
_OTHER_MATTER_RE = re.compile(r"^\s+(?:on|about)\s+(?:the|a|an)\s+(?!matter|case|issue|situation|reports?|question|"
                              r"details|fate|defectors|detainees|refugees|group)\w+", re.I)


def _not_a_stance(text: str, match: re.Match, stance: str, strong: bool, matches) -> bool:
    """Cue words that show no stance here."""
    before, after = text[: match.start()], text[match.end():]
    if any(other is not match and other_stance != stance and other.start() <= match.start()
           and match.end() <= other.end() and other.end() - other.start() > match.end() - match.start()
           for other_stance, other, _ in matches):
        return True   # "refused to recognize them as refugees" holds "recognize ... as refugees"
    if _CHARGE_RE.search(before) or (match.group().lower().startswith("not be") and _ABILITY_RE.search(before)):
        return True
    if _CITED_RE.search(before):
        return True
    if not strong and _TOPIC_OF_RE.search(before):
        return True
    return stance == "unclear" and bool(_OTHER_MATTER_RE.match(after)) and not _TOPIC_RE.search(after[:60])


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
        [c for c in cues if c[2] and c[0] in ("supports", "opposes")],
        [c for c in cues if c[0] == "neutral"],
        [c for c in cues if c[0] == "unclear"],
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


def _speaker_for(sentence: Segment, match: re.Match, quotes, seen: list[_Speaker],
                 weak: bool = False) -> _Speaker | None:
    """The stakeholder whose stance a cue shows, or None for the writer's own voice.

    A weak cue in a report "according to" a source ("China forcibly returned
    600, according to a rights group") is the source's account, not its stance.
    """
    text, at = sentence.text, sentence.start + match.start()
    for start, end, speaker in quotes:
        if start <= at < end and speaker is not None:
            return _resolve(speaker, seen)
    finders = [_speaker_before, _according_to, _clause_subject, _speaker_after]
    if weak:
        finders.remove(_according_to)
        if match.group().lower().startswith("forcibl"):
            finders.remove(_clause_subject)   # "China forcibly returned 600": the act, not a view of it
    return _speaker_found(finders, text, match, seen)


# "A United Nations human rights expert on Tuesday called ...": the day is not part of the name.
_TRAILING_TIME_RE = re.compile(r"\s+(?:on|last|this|earlier|late|early)\s+(?:[A-Z][a-z]+day|week|month|year)$")


def _without_time(speaker: _Speaker) -> _Speaker:
    name = _TRAILING_TIME_RE.sub("", speaker.name)
    return speaker if name == speaker.name else replace(speaker, name=name)


def _speaker_found(finders, text: str, match: re.Match, seen: list[_Speaker]) -> _Speaker | None:
    # "Beijing must stop repatriating": Beijing is told, the writer speaks.
    directive = match.group().lower().startswith(("must", "should", "obligation"))
    if directive or _DIRECTIVE_RE.search(text[: match.start()]):
        finders = [finder for finder in finders if finder is not _clause_subject]
    for finder in finders:
        speaker = finder(text, match)
        resolved = _resolve(_without_time(speaker), seen) if speaker else None
        if resolved is not None:
            return _body_of(resolved, text)
    return None


def _speaker_before(text: str, match: re.Match) -> _Speaker | None:
    """ "X said (that) ... cue", "X urged China not to ...": the nearest such X."""
    verbs = [v for v in _SPEECH_RE.finditer(text, 0, match.end()) if v.start() <= match.start() + 1]
    for verb in reversed(verbs):
        speaker = _entity_before(text[: verb.start()])
        if speaker is not None:
            return _reported_body(speaker, text[verb.end():]) or speaker
    return None


_NAMELESS_RE = re.compile(
    r"^(?:An?|The)\s+(?:[A-Z][\w-]*\s+)?(?:diplomat|official|source|spokes(?:man|woman|person)|envoy)$"
)
_REPORTED_SUBJECT_RE = re.compile(
    r"^\s+(?:that\s+)?([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)\s+(?:was|is|were|are|had|has|would|will)\b"
)


def _reported_body(speaker: _Speaker, said: str) -> _Speaker | None:
    """ "A German diplomat said Germany was deeply concerned": a nameless envoy
    reports the position of the government it names."""
    subject = _REPORTED_SUBJECT_RE.match(said)
    if not _NAMELESS_RE.match(speaker.name) or subject is None:
        return None
    body = subject.group(1)
    return _Speaker(body, speaker.name) if classify_stakeholder(body) == "government" else None


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
    """ "according to Marcus Lee, Amnesty's director for Asia": Amnesty speaks."""
    found = _ACCORDING_RE.search(text)
    if not found:
        return None
    speaker = _entity_start(found.group(1))
    role = re.match(r",\s+([^,;]{3,120}?)\s*(?:,|\.?[”\"]?\s*$)", text[found.end():])
    if speaker is not None and role and speaker.role is None and speaker.name == found.group(1).strip():
        return _speaker(speaker.name, role.group(1)) or speaker
    return speaker


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
    if re.match(rf"{re.escape(name)}\s+(?:{_PEOPLE_NOUNS})\b", text):
        return None   # "A North Korean woman ...": an adjective, the people themselves
    apposition = re.match(rf"{re.escape(name)},\s+([^,]{{3,120}}),\s+\w+", text)
    return _speaker(name, apposition.group(1) if apposition else None)


_PEOPLE_NOUNS = (
    r"wom[ae]n|m[ae]n|defectors?|refugees?|people|escapees?|detainees?|migrants?|famil(?:y|ies)|child(?:ren)?"
)


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
        person = re.sub(rf"^{_RANK}spokes\w+\s+", "", spokes.group(1))
        return _Speaker(name[: spokes.start()], spokes.group(1), person)
    official = _OFFICIAL_OF_RE.match(name)
    if official:
        return _Speaker(official.group(1), name if role is None else f"{name}, {role}")
    role_led = _ROLE_LED_RE.match(name)
    if role_led:
        return _Speaker(name, role, role_led.group(1))
    organisation = _organisation_in(role) if role else None
    if organisation:
        return _Speaker(organisation, f"{name}, {role}", name)
    person = name if role or classify_stakeholder(name) == "individual" else None
    return _Speaker(name, role, person)


def _organisation_in(role: str) -> str | None:
    """The proper-named body a spokesperson or director speaks for, if any."""
    if not _ROLE_ORG_RE.search(role) or re.search(r"professor|analyst|scholar|fellow|lecturer", role, re.I):
        return None
    # "Amnesty's director", "a counsellor at China's permanent mission".
    owner = re.match(r"([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)[’']s\s", role) or re.search(
        r"\b(?:at|of|for|from)\s+(?:the\s+)?([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)[’']s\s", role)
    if owner:
        return owner.group(1)
    named = re.search(
        r"\b(?:group|organi[sz]ation|charity|agency|NGO)\s+([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)\s*$", role
    )
    if named:
        return named.group(1)   # "who heads the aid group Crossing Bridges"
    # "director of the Seoul-based Bridge to Freedom Network".
    body = re.search(
        r"\b(?:for|of|at)\s+(?:the\s+)?(?:[\w-]+-based\s+)?"
        r"([A-Z][\w.&-]*(?:\s+(?:of\s+|for\s+|on\s+|to\s+|and\s+)?[A-Z][\w.&-]*)*)\s*$", role
    )
    return body.group(1) if body else None


# Lower case on purpose: "the UN High Commissioner for Refugees" is a party.
_VICTIMS = re.compile(r"\b(?:defectors?|refugees?|North Koreans|escapees|detainees|migrants|people|families)$")


_QUANTIFIERS = frozenset("Every Each Many Some Most All None Both Several Few Any Others".split())


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
    if words[0] in _QUANTIFIERS and not any(w[0].isupper() for w in words[1:]):
        return False   # "Every one of these ten people", "Many of them"
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
    source = _according_to(text, None)
    resolved = [_resolve(s, seen) for s in (subject, *found, speaker, source) if s is not None]
    return [_body_of(s, text) for s in resolved if s is not None and not _PRONOUN_RE.match(s.name)]


def _body_of(speaker: _Speaker, text: str) -> _Speaker:
    """ "Seoul's ministry said ..., but spokesperson Yoon said": Yoon speaks for the subject."""
    if not _ROLE_LED_RE.match(speaker.name):
        return speaker
    subject = _entity_start(text)
    if subject is None or subject.person is not None or classify_stakeholder(subject.name) in ("individual", "other"):
        return speaker
    return _Speaker(subject.name, speaker.name, speaker.person)


def _after_verb(text: str) -> _Speaker | None:
    """ "said Sam Zarifi, Amnesty International's Asia-Pacific director"."""
    name, _, role = text.partition(",")
    name = _trim(name.split()) or ""
    return _speaker(name, role.strip(" ,") or None) if _valid_name(name) else None


_CIVIC_NOUNS = frozenset("organisation organization group charity coalition network alliance ngo".split())


def _resolve(speaker: _Speaker, seen: list[_Speaker]) -> _Speaker | None:
    """ "she", "the organization" and bare surnames ("Roh said") -> the party meant."""
    if _PRONOUN_RE.match(speaker.name):
        personal = speaker.name.lower() in ("he", "she")
        # "The official would not say": the official named before, if any.
        noun = speaker.name.split()[-1].lower() if " " in speaker.name else None
        named = [s for s in seen if re.search(rf"\b{noun}\b", f"{s.name} {s.role or ''}".lower())] if noun else []
        # "The organisation has called on China": a civic body, not the ministry named last.
        civic = [s for s in seen if s.person is None and classify_stakeholder(s.name, s.role) == "ngo"] \
            if noun in _CIVIC_NOUNS else []
        meant = named or civic or [s for s in seen if (s.person is not None) == personal]
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
            r"\bgroup on\b|non-?governmental|\bchurch\b|"
            # Words that name civic bodies: "Citizens' Alliance for ...", "Border Watch Korea".
            r"\b(?:Alliance|Network|Coalition|Watch|Union|Cent(?:er|re)|Solidarity|Association|Federation|"
            r"Initiative|Aid|Rescue|Relief|Refuge|Project|Forum)\b"),
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
                   r"United States|\bU\.S\.|the South|the North|Mongolia|Thailand|Laos|Vietnam|Russia|regime|"
                   r"Germany|France|Britain|United Kingdom|Canada|Australia|Italy|Sweden|Switzerland|"
                   r"Netherlands|Philippines|Indonesia|Cambodia|Myanmar|India"),
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
