"""Counts and dates as written in news prose, turned into numbers and ISO dates.

Pure functions, no model: "some 35" -> (35, approximate), "on Tuesday" ->
the Tuesday before publication. Decisions a caller should know:

* A hedged number keeps its value and is flagged approximate: "nearly 100",
  "at least 20", "over 1,000" -> (100|20|1000, True). The number is what the
  article states; ``approximate`` says the article did not claim it exactly.
* Vague quantities ("dozens", "hundreds", "several") -> (None, True).
* Only a number that counts people is a count: ages ("a 4-year-old",
  "in their 20s"), years, dates, money and percentages are skipped.
* One person named in the singular counts one ("a man in his 40s", "the
  woman", "she" -> 1), and a group already counted may go by its number
  alone ("the ten were moved", "All 17 have been" -> 10, 17).
* Past-tense news: a weekday, month or yearless date is resolved to the most
  recent one on or before the publication date (a weekday named with it,
  "Tuesday, May 7", overrides that). "this week/month/year" ends at the
  publication date, since the reported event has already happened.
* Anything relative to an event rather than to publication ("three days
  after", "the following morning") stays precision "unknown".
"""

from __future__ import annotations

import calendar
import contextlib
import re
from datetime import date, timedelta

from summarizer.models import IncidentDate

# ---------------------------------------------------------------- numbers

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_MULTIPLIERS = {"dozen": 12, "hundred": 100}
_SCALES = {"thousand": 1_000, "million": 1_000_000}

_WORD = r"(?:%s)\b" % "|".join(
    sorted([*_ONES, *_TENS, *_MULTIPLIERS, *_SCALES], key=len, reverse=True)
)
# "twenty-one", "three hundred and twenty", "a dozen", "two thousand".
_WORDS_NUMBER = (
    rf"(?:an?\s+(?=(?:dozen|hundred|thousand|million)\b))?{_WORD}"
    rf"(?:(?:\s+and\s+|[\s-]+){_WORD})*"
)
_DIGITS_NUMBER = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?(?:\s+(?:million|thousand)\b)?"
_NUMBER = rf"(?:{_DIGITS_NUMBER}|{_WORDS_NUMBER})"
_NUMBER_RE = re.compile(rf"(?<![\w$€£¥₩.,]){_NUMBER}(?![\w%]|[.,:]\d)", re.IGNORECASE)

_HEDGES = (
    "as many as", "more than", "fewer than", "less than", "at least", "at most", "up to",
    "close to", "upwards of", "in excess of", "just over", "just under", "well over",
    "an estimated", "estimated", "approximately", "roughly", "about", "around",
    "nearly", "almost", "some", "over", "under", "approx.",
)
_HEDGE = "|".join(re.escape(h) for h in sorted(_HEDGES, key=len, reverse=True))
# For other modules that read a hedged number ("more than 700") in their own patterns.
HEDGED_NUMBER = rf"(?:(?:{_HEDGE}|only|just)\s+)?{_NUMBER}"
_HEDGE_BEFORE_RE = re.compile(rf"(?<!\w)(?:{_HEDGE})\s+$", re.IGNORECASE)

_PEOPLE_NOUNS = (
    "north koreans", "south koreans", "koreans", "asylum seekers", "asylum-seekers",
    "family members", "crew members", "people", "persons", "person", "defectors",
    "defector", "refugees", "refugee", "women", "woman", "men", "man", "children",
    "child", "kids", "boys", "boy", "girls", "girl", "family", "members",
    "member", "detainees", "detainee", "returnees", "returnee", "escapees", "escapee", "individuals",
    "individual", "residents", "resident", "workers", "worker", "soldiers", "soldier",
    "citizens", "citizen", "migrants", "migrant", "prisoners", "prisoner", "inmates",
    "students", "civilians", "nationals", "villagers", "fishermen", "sailors",
    "activists", "protesters", "protestors", "journalists", "christians", "believers",
    "passengers", "victims", "survivors", "adults", "minors", "teenagers", "infants",
    "babies", "others", "crew", "suspects", "smugglers", "brokers", "officials",
    "daughters", "sons", "brothers", "sisters", "siblings", "parents", "grandparents",
    "grandchildren", "relatives", "mothers", "fathers", "wives", "husbands", "teens",
    "border-crossers", "border crossers", "crossers", "orphans", "waitresses", "waitress", "defendants", "pastors", "missionaries", "farmers", "laborers", "labourers",
)
_NOUN = "|".join(re.escape(n) for n in sorted(_PEOPLE_NOUNS, key=len, reverse=True))
# Up to three describing words may stand between number and noun ("35 North
# Korean defectors"), but not units or another number: "10 days, the defectors".
_NOT_BETWEEN = (
    r"(?:percent|per|cent|years?|months?|weeks?|days?|hours?|minutes?|times?|"
    r"kilometers?|kilometres?|km|miles?|meters?|metres?|dollars?|won|yuan|yen|euros?|"
    r"groups|families|batches|boatloads|busloads|waves|rounds|"   # "two groups of defectors": groups, not people
    rf"and|or|{_WORD}|\d[\d,.]*)\b"
)
_NOUN_AFTER_RE = re.compile(
    rf"(?:\s+(?!{_NOT_BETWEEN})[\w’'-]+){{0,3}}?\s+(?:{_NOUN})(?![\w-])", re.IGNORECASE
)
_AGE_AFTER_RE = re.compile(r"[\s-]*(?:years?|months?|weeks?|days?)[\s-]*old\b", re.IGNORECASE)
_GROUP_RE = re.compile(
    rf"\b(?:family|group|total|party|boatload|batch|team|crew) of\s+(?:({_HEDGE})\s+)?"
    rf"({_NUMBER})(?![\w-])",
    re.IGNORECASE,
)
_VAGUE_RE = re.compile(
    r"^(?:(?:about|some|around|nearly|over|more than)\s+)?(?:tens of thousands|dozens|hundreds|"
    r"thousands|scores|several|a few|few|many|numerous|a handful|a number|a group|a large number|"
    r"countless)\b",
    re.IGNORECASE,
)
_LEADING_RE = re.compile(
    rf"^(?:({_HEDGE})\s+)?(?:(?:all the|all|the|these|those|exactly|only|just|another|a total of|a group of)\s+)?"
    rf"(?=(?:{_NUMBER}))",
    re.IGNORECASE,
)
_LIST_JOIN_RE = re.compile(rf"(?:\s*,?\s+and\s+|\s*,\s*)(?:({_HEDGE})\s+)?", re.IGNORECASE)
# "the ten were moved", "All 17 have since been": a group counted before,
# named by its number alone. Only before a verb or punctuation: "the two
# countries" is no count.
_GROUP_NUMBER_RE = re.compile(
    rf"(?<![\w-])(?:all\s+(?:the\s+)?|the\s+|these\s+|those\s+)({_NUMBER})"
    r"(?=\s*[,.;:)—–]|\s+(?:are|were|was|is|have|had|has|will|would|could|can|may|might|must|remain\w*|to|who|"
    r"whom|that|all|also|still|now|then|later|since|\w+ed|taken|held|sent|caught|kept|made|fled|left|went|swam)\b)",
    re.IGNORECASE,
)
# One person named in the singular: "a man in his 40s", "the woman", "her son", "he".
# Collective nouns ("a group", "a family") are not one person.
_SINGULAR_NOUNS = (
    "man|woman|defector|refugee|escapee|asylum[- ]seeker|child|boy|girl|baby|infant|person|teenager|"
    "mother|father|wife|husband|son|daughter|brother|sister|niece|nephew|grandmother|grandfather|"
    "cousin|uncle|aunt|grandson|granddaughter|friend|"
    "student|soldier|worker|pastor|missionary|broker|activist|detainee|migrant|individual|national|"
    "citizen|resident|fisherman|prisoner|farmer|defendant|journalist"
)
_SINGULAR_RE = re.compile(
    rf"^(?:(?:a|an|the|this|that|another|his|her|their|my|our|(?-i:[A-Z][\w-]*)['’]s)\s+(?:[\w'’-]+\s+){{0,3}}?"
    rf"(?:{_SINGULAR_NOUNS})"
    r"|he|she|him|her)(?![\w-])",
    re.IGNORECASE,
)
_MONTH_NAMES = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
_MONTH_BEFORE_RE = re.compile(rf"\b{_MONTH_NAMES}\s+$", re.IGNORECASE)
_MONTH_AFTER_RE = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAMES}(?![a-z])", re.IGNORECASE)
_YEAR_PREP_RE = re.compile(
    r"\b(?:in|since|by|until|before|after|during|of|from|to|between|and|early|late|mid)\s+$",
    re.IGNORECASE,
)
_VAGUE_BEFORE_RE = re.compile(r"\b(?:several|a\s+few|few|many|numerous)\s+$", re.IGNORECASE)
_AGED_RE = re.compile(r"\b(?:aged?|ages)\s+$", re.IGNORECASE)


def _number_value(phrase: str) -> int | None:
    """Integer value of a digit or word number ("2,000", "two dozen", "1.5 million")."""
    phrase = phrase.strip().lower()
    if phrase[:1].isdigit():
        digits, _, scale = phrase.replace(",", "").partition(" ")
        value = float(digits) * _SCALES.get(scale.strip(), 1)
        return int(value) if value == int(value) else None
    total = current = 0
    for token in re.split(r"[\s-]+", phrase):
        if token in ("a", "an"):
            current = 1
        elif token in _ONES or token in _TENS:
            current += _ONES.get(token, _TENS.get(token, 0))
        elif token in _MULTIPLIERS:
            current = (current or 1) * _MULTIPLIERS[token]
        elif token in _SCALES:
            total += (current or 1) * _SCALES[token]
            current = 0
    return total + current


def _is_people_number(text: str, match: re.Match) -> bool:
    """False for numbers that are ages, years, dates, money or percentages, and
    for "several hundred", which is vague."""
    # A short window each side is enough context and keeps long texts linear.
    before, after = text[max(0, match.start() - 40):match.start()], text[match.end():match.end() + 40]
    value = _number_value(match.group())
    if value is None or _AGE_AFTER_RE.match(after) or _AGED_RE.search(before):
        return False
    if _VAGUE_BEFORE_RE.search(before) and re.match(r"(?:hundred|thousand|dozen)", match.group(), re.IGNORECASE):
        return False
    if _MONTH_BEFORE_RE.search(before) or _MONTH_AFTER_RE.match(after):
        return False
    if re.match(r"\s*(?:percent|per cent|%)", after, re.IGNORECASE):
        return False
    is_year = re.fullmatch(r"(?:1[89]|20)\d\d", match.group()) is not None
    if is_year and (_YEAR_PREP_RE.search(before) or re.match(r"\s*[,)]", after)):
        return False
    return not re.search(r"(?:[$€£¥₩]|US\$|KRW|USD)\s*$", before)


_TALLY_BEFORE_RE = re.compile(
    rf"(?<![\w$€£¥₩.,])(?:({_HEDGE})\s+)?(?:another\s+)?({_NUMBER})\s+"
    r"(?:(?:forced|confirmed|documented|reported|recorded|known|new|more|further|separate|other)\s+){0,2}$",
    re.IGNORECASE,
)


def tally_before(text: str) -> tuple[str, int, bool] | None:
    """A count of events ending ``text``: "logged at least 412 forced" (before "returns")
    -> ("at least 412 forced", 412, True). A tally counts the people it happened to,
    one event each."""
    found = _TALLY_BEFORE_RE.search(text)
    if not found or not _is_people_number(text, _NUMBER_RE.match(text, found.start(2))):
        return None
    value = _number_value(found.group(2))
    return (found.group().strip(), value, found.group(1) is not None) if value is not None else None


# "Returns in the first seven months of the year totalled 521": the figure after the noun.
_TALLY_AFTER_RE = re.compile(
    r"^(?:\s+[\w'’,-]+){0,9}?\s+(?:totall?ed|numbered|reached|stood\s+at|came\s+to|were|was|"
    r"(?:\w+ed|rose|fell|grew)(?:\s+up|\s+down)?,?\s+to)"   # "fell to", "roughly tripled, to", "edged up to"
    rf"\s+((?:({_HEDGE})\s+)?({_NUMBER}))(?![\w%]|[.,]\d)",
    re.IGNORECASE,
)


def tally_after(text: str) -> tuple[str, int, bool] | None:
    """A count of events stated after their noun: " in 2024 totalled 521" -> ("521", 521, False)."""
    found = _TALLY_AFTER_RE.match(text)
    if not found or not _is_people_number(text, _NUMBER_RE.match(text, found.start(3))):
        return None
    value = _number_value(found.group(3))
    return (found.group(1), value, found.group(2) is not None) if value is not None else None


def numbers_in(text: str) -> list[int]:
    """Every number written in ``text``, digits or words, in order."""
    values = (_number_value(m.group()) for m in _NUMBER_RE.finditer(text))
    return [v for v in values if v is not None]


def mentions_number(text: str, number: int) -> bool:
    """Whether ``number`` is written in ``text`` ("10", "ten", "1,000", "a dozen")."""
    return number in numbers_in(text)


def _people_counts(text: str):
    """Yield (phrase start, phrase end, count, approximate) for each people count."""
    for match in _NUMBER_RE.finditer(text):
        if not _is_people_number(text, match):
            continue
        noun = _NOUN_AFTER_RE.match(text, match.end())
        if not noun:
            continue
        hedge = _HEDGE_BEFORE_RE.search(text, max(0, match.start() - 30), match.start())
        begin = hedge.start() if hedge else match.start()
        yield begin, noun.end(), _number_value(match.group()), hedge is not None


def find_count(sentence: str) -> tuple[str, int, bool] | None:
    """The first people-count phrase in ``sentence``: (phrase as written, count, approximate).

    The phrase runs from the hedge (if any) to the people noun:
    "some 35 North Korean defectors" -> ("some 35 North Korean defectors", 35, True).
    "a family of five" style groups are found too. Vague quantities ("dozens of
    defectors") have no integer and are not reported; use ``parse_count``.
    """
    found = next(_people_counts(sentence), None)
    part = _PART_OF_GROUP_RE.search(sentence)
    if part and _VAGUE_BEFORE_RE.search(sentence[: part.start()]):
        part = None  # "several hundred of them"
    if part and (found is None or part.start() < found[0]) and _number_value(part.group(2)) is not None:
        return part.group(), _number_value(part.group(2)), part.group(1) is not None   # "Nineteen of them"
    group = _GROUP_RE.search(sentence)
    if group and (found is None or group.start() < found[0]):
        value = _number_value(group.group(2))
        if value is not None:
            return group.group(), value, group.group(1) is not None
    if found is None:
        couple = _COUPLE_RE.search(sentence)
        if couple:   # "the couple" is two; "a couple and their son" three
            begin, end, count = _listed_around(sentence, couple.start(), couple.end(), 2)
            return sentence[begin:end], count, False
        kin = _KIN_PAIR_RE.search(sentence)
        if kin:
            return kin.group(), 2, False   # "mother and daughter crossed the river together"
        pair = _TWO_PEOPLE_RE.search(sentence)
        second = _one_person_prefix(pair.group(2)) if pair else None
        if pair and is_one_person(pair.group(1), whole=True) and second:
            return sentence[pair.start(): pair.start(2) + len(second)], 2, False   # "a mother and her teenage daughter"
        return _group_number(sentence)
    begin, end, count, approximate = found
    one_before = _ONE_AND_RE.search(sentence, 0, begin)
    beside = _BESIDE_OTHERS_RE.search(sentence, 0, begin) if _OTHERS_RE.search(sentence, begin, end) else None
    if one_before and (is_one_person(one_before.group(1), whole=True)
                       or re.fullmatch(_KIN_WORD, one_before.group(1), re.IGNORECASE)):
        begin, count = one_before.start(1), count + 1   # "a soldier and eight other people": 9
    elif beside:
        begin, count = beside.start(), count + 1        # "Choi and two other waitresses", "with some 30 others"
    elif (along := _ALONG_WITH_RE.search(sentence, 0, begin)) is not None:
        begin, count = along.start(), count + 1          # "arrested her, along with three North Korean women"
    elif one_before and re.fullmatch(r"(?:an?|the)\s+(?:\w+\s+)?couple", one_before.group(1), re.IGNORECASE):
        begin, count = one_before.start(1), count + 2   # "a couple and their two children": 4
    begin, end, count = _listed_around(sentence, begin, end, count)   # "two women and a child": 3
    return sentence[begin:end], count, approximate


# One person listed beside a count, with or without a determiner:
# "The wife, two children and mother-in-law" -> 4.
# "Eleven defectors, including a woman": people among those counted, not more.
_PERSON_ITEM = (rf"(?!(?:including|among|such|like|mostly|mainly|especially|notably)\b)"
                rf"(?:(?:a|an|the|his|her|their)\s+)?"
                rf"(?:(?!\w+(?:ed|ing)\b|(?:took|sent|caught|held|kept|said|told|and|or|with)\b)[\w'’-]+\s+){{0,2}}?"
                rf"(?:{_SINGULAR_NOUNS}|[a-z]+-in-law)")
_ITEM_BEFORE_RE = re.compile(rf"(?<![\w'’-])({_PERSON_ITEM}),\s+$", re.IGNORECASE)
_ITEM_AFTER_RE = re.compile(rf"(?:,\s*(?:and\s+)?|\s+and\s+)({_PERSON_ITEM})(?![\w'’-])", re.IGNORECASE)


def _listed_around(sentence: str, begin: int, end: int, count: int) -> tuple[int, int, int]:
    """Widen a count over the people listed with it: single people one each,
    counted groups by their number ("seven women and three men" -> 10)."""
    # "a woman, her two teenage daughters": the list goes on before the determiner.
    possessive = re.search(r"\b(?:her|his|their)\s+$", sentence[:begin], re.IGNORECASE)
    if possessive and _ITEM_BEFORE_RE.search(sentence, 0, possessive.start()):
        begin = possessive.start()
    while (before := _ITEM_BEFORE_RE.search(sentence, 0, begin)) is not None:
        begin, count = before.start(1), count + 1
    while True:
        if (single := _ITEM_AFTER_RE.match(sentence, end)) is not None:
            end, count = single.end(), count + 1
        elif (group := _listed_group(sentence, end)) is not None:
            end, count = group[0], count + group[1]
        else:
            return begin, end, count


def _listed_group(sentence: str, end: int) -> tuple[int, int] | None:
    """(end, number) of a counted group joined to the list at ``end``: ", and three men"."""
    join = _LIST_JOIN_RE.match(sentence, end)
    number = _NUMBER_RE.match(sentence, join.end()) if join and join.group(1) is None else None
    if not number or not _is_people_number(sentence, number) or re.match(r"\s+of\b", sentence[number.end():]):
        return None   # "30 people, 12 of them children": a part, not more people
    noun = _NOUN_AFTER_RE.match(sentence, number.end())
    return (noun.end(), _number_value(number.group())) if noun else None


# One person named before a count, joined by "and", is one more:
# "a former soldier and eight other people", "a woman and her two children".
# (After the count, _listed_around takes the people listed: "two women and a child".)
_ONE_AND_RE = re.compile(
    r"(?<![\w'’-])((?:a|an|the|his|her|their)\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+|she|he|"
    r"(?<=, )(?:mother|father|wife|husband|son|daughter|brother|sister|grandmother|grandfather))"   # "The father, mother and"
    r"\s+and\s+(?:(?:his|her|their)\s+)?$",
    re.IGNORECASE,
)
# "N other(s)" beside one person counts that person too: "She and the four other
# women" are five, "handed over, with some 30 others" thirty-one. Not "30 other
# North Koreans remain", where "other" sets them apart from people named before.
_OTHERS_RE = re.compile(r"\bothers?\b", re.IGNORECASE)
_BESIDE_OTHERS_RE = re.compile(
    r"(?<![\w'’-])(?:(?:(?i:she|he)|I|[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\s+and|(?i:with))\s+(?:(?i:the)\s+)?$"
)
# One person, then "along with" a counted group: "Jin-su was detained ..., along with two women".
_ALONG_WITH_RE = re.compile(r"(?<![\w'’-])(?i:her|him|she|he),?\s+(?i:along|together)\s+with\s+$")
_SINGLE = r"(?:a|an|the|his|her|their)\s+(?:[\w'’-]+\s+){0,2}?[\w'’-]+"
_TWO_PEOPLE_RE = re.compile(
    rf"(?<![\w'’-])({_SINGLE}|he|she)\s+and\s+((?:a|an|the|his|her|their)\s+(?:[\w'’-]+\s+){{0,2}}[\w'’-]+)(?![\w'’-])",
    re.IGNORECASE,
)


_KIN_WORD = r"(?:mother|father|husband|wife|brother|sister|son|daughter|grandmother|grandson|granddaughter|man|woman)"
_KIN_PAIR_RE = re.compile(rf"(?<![\w'’-]){_KIN_WORD}\s+and\s+{_KIN_WORD}(?![\w'’-])", re.IGNORECASE)


def _one_person_prefix(phrase: str) -> str | None:
    """The longest start of ``phrase`` naming one person: "a 16-year-old boy" of "a 16-year-old boy travelling"."""
    words = phrase.split()
    for end in range(len(words), 1, -1):
        if is_one_person(" ".join(words[:end]), whole=True):
            return " ".join(words[:end])
    return None


# A married couple, not "a couple of days" (a vague few).
_COUPLE_RE = re.compile(r"(?<![\w'’-])(?:a|an|the|this|that)\s+(?:[\w'’-]+\s+)?(?:couple|pair)(?![\w'’-])(?!\s+of\b)",
                        re.IGNORECASE)


# "Nineteen of them", "three of the women": a number of a group named before.
_PART_OF_GROUP_RE = re.compile(
    rf"(?<![\w-])(?:({_HEDGE})\s+)?({_NUMBER})\s+of\s+(?:them|those|these|the\s+(?:[^\W\d]+\s+)?"
    r"(?:women|men|people|defectors|refugees|detainees|workers|children|group|North\s+Koreans)"
    rf"|the\s+{_NUMBER})\b",   # "One of the seven"
    re.IGNORECASE,
)


def is_part_of_group(phrase: str | None) -> bool:
    """ "Nine of them": some of a group counted before."""
    return bool(phrase and _PART_OF_GROUP_RE.match(phrase))


def _group_number(sentence: str) -> tuple[str, int, bool] | None:
    """ "the ten were moved": the number a group already counted goes by."""
    for match in _GROUP_NUMBER_RE.finditer(sentence):
        number = _NUMBER_RE.match(sentence, match.start(1))
        if number and _is_people_number(sentence, number):
            return match.group(), _number_value(number.group()), False
    return None


# A person's name as news copy writes it: "Kang", "Lee Mi-sun", "Kim Jong-un".
PERSON_NAME = r"[A-Z][a-z]+(?:-[a-z]+)?(?:[ -][A-Z][a-z]+(?:-[a-z]+)?){0,2}"


def is_one_person(phrase: str, whole: bool = False) -> bool:
    """Whether ``phrase`` names one person in the singular: "a man in his 40s", "the woman", "she".

    With ``whole`` the phrase must end on the person ("a man", not "he told a man").
    """
    phrase = " ".join(phrase.split())
    found = _SINGULAR_RE.match(phrase)
    if not found or (whole and found.end() != len(phrase)):
        return False
    return not re.search(r"\b(?:and|with|plus)\b|&", phrase[found.end():])   # "a woman and her son": two


def _leading_count(text: str) -> tuple[int, bool] | None:
    """Count from a number at the start, summing lists: "seven women and three men" -> 10."""
    lead = _LEADING_RE.match(text)
    if not lead:
        return None
    number = _NUMBER_RE.match(text, lead.end())
    if not number or not _is_people_number(text, number):
        return None
    total, approximate = _number_value(number.group()), lead.group(1) is not None
    noun = _NOUN_AFTER_RE.match(text, number.end())
    while noun:
        more = _LIST_JOIN_RE.match(text, noun.end())
        number = _NUMBER_RE.match(text, more.end()) if more else None
        if not number or not _is_people_number(text, number):
            break
        noun = _NOUN_AFTER_RE.match(text, number.end())
        if not noun:
            break
        total += _number_value(number.group())
        approximate = approximate or more.group(1) is not None
    return total, approximate


# "(she crossed) with her younger sister": the subject and one more. Read whole
# only, as the phrase a count was taken from.
COMPANION_RE = re.compile(
    r"\bwith\s+(?:his|her)\s+(?:[\w-]+\s+){0,2}?(?:mother|father|wife|husband|son|daughter|brother|"
    r"sister|cousin|friend|grandmother|grandfather|uncle|aunt|niece|nephew|boyfriend|girlfriend|fiancée?)\b",
    re.IGNORECASE,
)


def parse_count(text: str) -> tuple[int | None, bool]:
    """How many people a count phrase states, and whether the article hedged.

    "Ten" -> (10, False); "some 35" -> (35, True); "two dozen" -> (24, False);
    "a family of five" -> (5, False); "hundreds" -> (None, True);
    "a 4-year-old child" -> (1, False): one child, and an age is not a count;
    "the woman", "he" -> (1, False): one person named in the singular.
    """
    text = " ".join(text.split())
    if COMPANION_RE.fullmatch(text):
        return 2, False
    whole = find_count(text)
    if whole and whole[0] == text:  # the phrase find_count would take, as a whole: "a soldier and eight others"
        return whole[1], whole[2]
    leading = _leading_count(text)
    if leading:
        return leading
    group = _GROUP_RE.search(text)
    if group and _number_value(group.group(2)) is not None:
        return _number_value(group.group(2)), group.group(1) is not None
    if _VAGUE_RE.match(text):
        return None, True
    found = next(_people_counts(text), None)
    if found:
        return found[2], found[3]
    return (1, False) if is_one_person(text) else (None, False)


# ---------------------------------------------------------------- dates

_MONTH_SPECS = (
    "Jan(?:uary|\\.)?", "Feb(?:ruary|\\.)?", "Mar(?:ch|\\.)?", "Apr(?:il|\\.)?", "May",
    "Jun(?:e|\\.)?", "Jul(?:y|\\.)?", "Aug(?:ust|\\.)?", "Sep(?:tember|t\\.?|\\.)?",
    "Oct(?:ober|\\.)?", "Nov(?:ember|\\.)?", "Dec(?:ember|\\.)?",
)


def _month_pattern(lowercase_ok: bool) -> str:
    # "may" and "march" are also English verbs: those two must be capitalised.
    forms = []
    for spec in _MONTH_SPECS:
        loose = lowercase_ok and not spec.startswith(("May", "Mar"))
        forms.append(spec if loose else f"(?-i:{spec}|{spec.upper()})")
    return r"\b(?:%s)(?![A-Za-z])" % "|".join(forms)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = r"(?:%s)\b" % "|".join(_WEEKDAYS)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?<!\d)(?:1[89]\d\d|20\d\d)(?!\d)"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"


def _date_patterns(month: str) -> dict[str, str]:
    """Named date-expression patterns, most specific first."""
    return {
        "iso": r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b",
        "range": rf"(?P<mon>{month})\s+(?P<d>{_DAY})\s*(?:-|to|through|and)\s*"
                 rf"(?:(?P<mon2>{month})\s+)?(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?",
        "range_dm": rf"(?P<d>{_DAY})\s*(?:-|to)\s*(?P<d2>{_DAY})\s+(?:of\s+)?(?P<mon>{month})"
                    rf"(?:,?\s+(?P<y>{_YEAR}))?",
        "month_day": rf"(?P<mon>{month})\s+(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?",
        "day_month": rf"(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{month})(?:,?\s+(?P<y>{_YEAR}))?",
        "months": rf"(?:between|from)\s+(?P<mon>{month})\s+(?:and|to|through)\s+(?P<mon2>{month})"
                  rf"(?:,?\s+(?P<y>{_YEAR}))?",
        "month": rf"(?P<mon>{month})(?:,?\s+(?:of\s+)?(?P<y>{_YEAR}))?",
        "ago": rf"(?P<n>\d+|{_WORDS_NUMBER}|a|an)\s+(?P<unit>day|week|month|year)s?\s+ago\b",
        "day_before_yesterday": r"the\s+day\s+before\s+yesterday\b",
        "yesterday": rf"(?:yesterday{_PART_OF_DAY}|last\s+night)\b",
        "today": r"(?:(?:earlier\s+|later\s+)?today|tonight|this\s+(?:morning|afternoon|evening))\b",
        "weekend": r"(?:(?:last|this|past|the)\s+)?weekend\b",
        "weekday": rf"(?P<last>last\s+|this\s+|past\s+)?(?P<wd>{_WEEKDAY}){_PART_OF_DAY}",
        "period": r"(?P<rel>last|this|past|previous|(?:earlier|later|early|late)\s+this|"
                  r"(?:early|late)\s+last)\s+(?P<unit>week|month|year)\b",
        "season": rf"(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)(?:\s+of)?,?\s+(?P<y>{_YEAR})",
        "part_year": rf"(?P<part>early|mid|late)[\s-]+(?P<y>{_YEAR})",
        "year": rf"(?P<y>{_YEAR})",
    }


_RESOLVE_RES = {
    name: re.compile(rf"(?<!\w){src}", re.IGNORECASE)
    for name, src in _date_patterns(_month_pattern(True)).items()
}
# Relative to another event, not to publication: never resolved.
_VAGUE_DATE_RE = re.compile(
    r"\b(?:after|before|following|later(?!\s+(?:this|today))|prior|next|previous|since|until|within|"
    r"the\s+same)\b",
    re.IGNORECASE,
)


_PART_OF_MONTH_RE = re.compile(r"\b(early|mid|late)(?:-|\s+(?:in\s+)?)$", re.IGNORECASE)


def _month_number(name: str) -> int:
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(
        name[:3].lower()
    ) + 1


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year_for(month: int, day: int, published: date, weekday: re.Match | None = None) -> int:
    """The year of the most recent month/day on or before publication.

    A weekday named with it ("Tuesday, May 7") picks the year it fits, even
    just after publication: the article says which day it means.
    """
    past = published.year if (month, day) <= (published.month, published.day) else published.year - 1
    if weekday is not None:
        wanted = _WEEKDAYS.index(weekday.group("wd").lower())
        for year in (past, published.year, published.year - 1):
            with contextlib.suppress(ValueError):  # Feb. 29 in other years
                if date(year, month, day).weekday() == wanted:
                    return year
    return past


def _dated(text: str, start: date, end: date, precision: str) -> IncidentDate:
    return IncidentDate(text=text, start=start, end=end, precision=precision)


def _absolute(name: str, m: re.Match, text: str, published: date | None) -> IncidentDate | None:
    """Resolve a calendar expression; None when it needs a year nobody gave."""
    groups = m.groupdict()
    if name == "iso":
        day = date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
        return _dated(text, day, day, "day")
    month = _month_number(groups["mon"])
    day = _day_number(groups["d"]) if groups.get("d") else 1
    if groups.get("y"):
        year = int(groups["y"])
    elif published is not None:
        year = _year_for(month, day, published, _RESOLVE_RES["weekday"].search(text))
    else:
        return None
    if name == "months":  # "between January and August 2024"
        month2 = _month_number(groups["mon2"])
        end_year = year if month2 >= month else year + 1
        return _dated(text, date(year, month, 1), _last_day(end_year, month2), "month")
    if name == "month":
        start, end = date(year, month, 1), _last_day(year, month)
        part = _PART_OF_MONTH_RE.search(text[: m.start()]) if text[: m.start()] else None
        if part:  # "late in November": the 21st to the end; "mid-July": the 11th to the 20th
            first, last = {"early": (1, 10), "mid": (11, 20), "late": (21, end.day)}[part.group(1).lower()]
            start, end = start.replace(day=first), end.replace(day=last)
        return _dated(text, start, end, "month")
    start = date(year, month, day)
    if name not in ("range", "range_dm"):
        return _dated(text, start, start, "day")
    month2 = _month_number(groups["mon2"]) if groups.get("mon2") else month
    end = date(year, month2, _day_number(groups["d2"]))
    if end < start:  # "Dec. 30-Jan. 2"
        end = end.replace(year=year + 1)
    return _dated(text, start, end, "day")


def _ago(m: re.Match, text: str, published: date) -> IncidentDate:
    count = m.group("n").lower()
    n = 1 if count in ("a", "an") else _number_value(count) or 0
    unit = m.group("unit").lower()
    if unit == "day":
        day = published - timedelta(days=n)
        return _dated(text, day, day, "day")
    if unit == "week":
        day = published - timedelta(weeks=n)
        monday = day - timedelta(days=day.weekday())
        return _dated(text, monday, monday + timedelta(days=6), "week")
    if unit == "month":
        index = published.year * 12 + published.month - 1 - n
        year, month = divmod(index, 12)
        return _dated(text, date(year, month + 1, 1), _last_day(year, month + 1), "month")
    year = published.year - n
    return _dated(text, date(year, 1, 1), date(year, 12, 31), "year")


def _period(m: re.Match, text: str, published: date) -> IncidentDate:
    """last/this week, month or year; "this" periods end at publication."""
    previous = m.group("rel").lower().split()[-1] in ("last", "past", "previous")
    unit = m.group("unit").lower()
    if unit == "week":
        monday = published - timedelta(days=published.weekday() + (7 if previous else 0))
        end = monday + timedelta(days=6)
        return _dated(text, monday, end if previous else min(end, published), "week")
    if unit == "month":
        first = published.replace(day=1)
        if previous:
            last = first - timedelta(days=1)
            return _dated(text, last.replace(day=1), last, "month")
        return _dated(text, first, published, "month")
    if previous:
        return _dated(text, date(published.year - 1, 1, 1), date(published.year - 1, 12, 31), "year")
    return _dated(text, date(published.year, 1, 1), published, "year")


def _weekday(m: re.Match, text: str, published: date) -> IncidentDate:
    """The most recent such weekday on or before publication ("last" skips publication day)."""
    back = (published.weekday() - _WEEKDAYS.index(m.group("wd").lower())) % 7
    if back == 0 and (m.group("last") or "").strip().lower() == "last":
        back = 7
    day = published - timedelta(days=back)
    return _dated(text, day, day, "day")


def _relative(name: str, m: re.Match, text: str, published: date) -> IncidentDate | None:
    if name == "ago":
        return _ago(m, text, published)
    if name in ("day_before_yesterday", "yesterday", "today"):
        day = published - timedelta(days={"day_before_yesterday": 2, "yesterday": 1, "today": 0}[name])
        return _dated(text, day, day, "day")
    if name == "weekend":
        # "last weekend" read on a Saturday or Sunday is the one before.
        saturday = published - timedelta(days=(published.weekday() - 5) % 7)
        if m.group().lower().startswith("last") and published.weekday() >= 5:
            saturday -= timedelta(days=7)
        return _dated(text, saturday, min(saturday + timedelta(days=1), published), "day")
    if name == "weekday":
        return _weekday(m, text, published)
    if name == "period":
        return _period(m, text, published)
    return None


def _year_only(m: re.Match, text: str) -> IncidentDate:
    year = int(m.group("y"))
    return _dated(text, date(year, 1, 1), date(year, 12, 31), "year")


def _dateparser_day(text: str) -> IncidentDate | None:
    """Numeric or non-English full dates ("13.09.2023", "3 mars 2023"), via dateparser.

    Only full day-month-year dates are accepted, and only when the parsed year is
    written in the text: dateparser guesses freely otherwise ("July 15-17" -> 2017).
    """
    years = re.findall(_YEAR, text)
    if not years or not re.search(r"\d", re.sub(_YEAR, "", text)):
        return None
    import dateparser  # slow to import; most dates never get here

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "STRICT_PARSING": True}
    # English first (fast); every other locale only when that fails ("3 mars 2023").
    parsed = dateparser.parse(text, languages=["en"], settings=settings) or dateparser.parse(text, settings=settings)
    if parsed is None or str(parsed.year) not in years:
        return None
    return _dated(text, parsed.date(), parsed.date(), "day")


def resolve_date(text: str | None, published: date | None) -> IncidentDate:
    """Resolve a date as written against the publication date.

    Absolute dates with a year resolve without ``published``; anything relative
    or yearless needs it and is precision "unknown" without it.
    """
    if text is None or not text.strip():
        return IncidentDate()
    written = " ".join(text.split())
    clean = re.sub(r"[–—‐‑]", "-", written)
    if _VAGUE_DATE_RE.search(clean) and not _RESOLVE_RES["day_before_yesterday"].search(clean):
        return IncidentDate(text=written)
    try:
        return _resolve(clean, written, published) or IncidentDate(text=written)
    except ValueError:  # "Feb. 30": a date that does not exist
        return IncidentDate(text=written)


def _resolve(clean: str, written: str, published: date | None) -> IncidentDate | None:
    for name in ("iso", "range", "range_dm", "month_day", "day_month", "months", "month"):
        m = _RESOLVE_RES[name].search(clean)
        if m:
            return _absolute(name, m, written, published)
    numeric = _dateparser_day(clean)
    if numeric:
        return IncidentDate(text=written, start=numeric.start, end=numeric.end, precision="day")
    if published is not None:
        for name in ("ago", "day_before_yesterday", "yesterday", "today", "weekend", "weekday", "period"):
            m = _RESOLVE_RES[name].search(clean)
            if m:
                return _relative(name, m, written, published)
    for name in ("season", "part_year"):
        m = _RESOLVE_RES[name].search(clean)
        if m:
            return _span_of_year(m, written)
    m = _RESOLVE_RES["year"].search(clean)
    return _year_only(m, written) if m else None


# Parts of a year, by month (northern seasons: the corpus is about Korea and China).
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 14)}
_PART_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}


def _span_of_year(m: re.Match, text: str) -> IncidentDate:
    """ "in the spring of 2018" -> March-May 2018; "in early 2016" -> January-April 2016."""
    year = int(m.group("y"))
    season = m.groupdict().get("season")
    first, last = _SEASON_MONTHS[season.lower()] if season else _PART_MONTHS[m.group("part").lower()]
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1   # winter runs into February
    return _dated(text, date(year, first, 1), _last_day(end_year, end_month), "month")


# Leading words that belong to the date as written: "on Tuesday", "in early October".
_DATE_PREP = (
    r"(?:(?:on|in|during|since|until|by|before|after|from|over|at)\s+(?:the\s+)?)?"
    r"(?:(?:early|mid|late)[\s-]+)?"
)
_FIND_ORDER = (
    "iso", "range", "range_dm", "month_day", "day_month", "months", "ago", "day_before_yesterday",
    "yesterday", "today", "weekend", "weekday", "period",
)


def _find_pattern() -> re.Pattern:
    patterns = _date_patterns(_month_pattern(False))
    alternatives = [patterns[name] for name in _FIND_ORDER]
    month = _month_pattern(False)
    # A month alone only counts with a year or a preposition: "May" is also a verb.
    alternatives.append(rf"(?:{month})(?:,?\s+{_YEAR})")
    alternatives.append(
        rf"(?:in|during|since|until|by|last|this|early|mid|late)[\s-]+(?:(?:early|mid|late)[\s-]+)?"
        rf"{month}(?:,?\s+{_YEAR})?"
    )
    alternatives.append(rf"(?:early|late)\s+in\s+{month}(?:,?\s+{_YEAR})?")   # "Late in November 2015"
    alternatives.append(re.sub(r"\(\?P<\w+>", "(?:", patterns["season"]))
    alternatives.append(re.sub(r"\(\?P<\w+>", "(?:", patterns["part_year"]))
    alternatives.append(rf"(?:in|during|since|until|by)\s+{_YEAR}")
    body = "|".join(re.sub(r"\(\?P<\w+>", "(?:", alt) for alt in alternatives)
    return re.compile(rf"(?<![\w-]){_DATE_PREP}(?:{body})", re.IGNORECASE)


_FIND_DATE_RE = _find_pattern()


def find_date(sentence: str) -> str | None:
    """The first date expression in ``sentence``, as written, with its preposition.

    E.g. "on Tuesday", "last month", "on Aug. 7", "in October", "July 15-17",
    "earlier this year". Offsets from another event ("three days after the
    raid") are not dates; a date led by before/after/since/until keeps that
    word, so that ``resolve_date`` leaves it unknown rather than misdated.
    """
    m = _FIND_DATE_RE.search(sentence)
    return m.group().strip() if m else None
