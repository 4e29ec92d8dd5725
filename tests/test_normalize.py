"""Counts and dates as written in news prose (summarizer.normalize)."""

from datetime import date

import pytest

from summarizer.models import IncidentDate
from summarizer.normalize import find_count, find_date, mentions_number, parse_count, resolve_date

SUNDAY = date(2024, 5, 5)  # publication date for relative expressions; a Sunday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ten", (10, False)),
        ("ten", (10, False)),
        ("some 35", (35, True)),
        ("as many as 600", (600, True)),
        ("more than 500", (500, True)),
        ("about 2,000", (2000, True)),
        # Hedged numbers keep the stated value and are flagged approximate.
        ("nearly 100", (100, True)),
        ("at least 20", (20, True)),
        ("around 30", (30, True)),
        ("over 1,000", (1000, True)),
        ("up to 40", (40, True)),
        ("an estimated 3,500", (3500, True)),
        ("11 North Korean defectors", (11, False)),
        ("the 10 defectors", (10, False)),
        # One person in the singular counts 1; the age is never the count.
        ("a 4-year-old child", (1, False)),
        ("a four-year-old girl", (1, False)),
        ("a man in his 40s", (1, False)),
        ("the woman", (1, False)),
        ("She", (1, False)),
        ("a woman and her son", (2, False)),               # two people named one by one
        ("a mother and her teenage daughter", (2, False)),
        ("a couple and their two children", (4, False)),
        ("the brothers", (None, False)),
        # A group already counted, named by its number alone.
        ("the ten", (10, False)),
        ("All 17", (17, False)),
        ("several hundred", (None, True)),
        ("two dozen", (24, False)),
        ("a dozen", (12, False)),
        ("more than a dozen", (12, True)),
        ("a family of five", (5, False)),
        ("a group of 12", (12, False)),
        ("hundreds", (None, True)),
        ("dozens of refugees", (None, True)),
        ("several", (None, True)),
        ("twenty-one", (21, False)),
        ("twenty one", (21, False)),
        ("ninety-nine", (99, False)),
        ("three hundred", (300, False)),
        ("one hundred and twenty", (120, False)),
        ("two thousand", (2000, False)),
        ("a hundred", (100, False)),
        ("1.5 million", (1_500_000, False)),
        ("seven women and three men", (10, False)),
        ("seven women and three men, including a three-year-old boy", (10, False)),
        ("in their 20s and 30s", (None, False)),
        ("", (None, False)),
        ("nobody", (None, False)),
    ],
)
def test_parse_count(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Guards detained some 35 North Korean escapees on Tuesday.",
         ("some 35 North Korean escapees", 35, True)),
        ("Ten North Koreans were caught near the river.", ("Ten North Koreans", 10, False)),
        ("The 11 defectors were held.", ("11 defectors", 11, False)),
        ("Officers stopped more than 500 people at the crossing.", ("more than 500 people", 500, True)),
        # One person named beside a count is one more.
        ("A 4-year-old child and 10 others were held.", ("A 4-year-old child and 10 others", 11, False)),
        ("A 60-year-old man and two women were freed.", ("A 60-year-old man and two women", 3, False)),
        ("A woman and her two children were caught.", ("A woman and her two children", 3, False)),
        ("Two women and a child were caught.", ("Two women and a child", 3, False)),
        ("Late that month she and nineteen others were sent back.", ("she and nineteen others", 20, False)),
        ("China sent a soldier and eight other people back.", ("a soldier and eight other people", 9, False)),
        ("The brothers, in their 20s and 30s, and 3 men were freed.", ("3 men", 3, False)),
        ("In 2019 people fled, and later 12 refugees arrived.", ("12 refugees", 12, False)),
        ("On Aug. 7 police held a family of five.", ("family of five", 5, False)),
        ("Each paid $500 to brokers; 4 women were caught.", ("4 women", 4, False)),
        ("Police said twenty-one asylum seekers were sent back.", ("twenty-one asylum seekers", 21, False)),
        ("One of the 10 defectors escaped.", ("One of the 10", 1, False)),   # one of them escaped
        ("Officials declared 10 people missing.", ("10 people", 10, False)),
        ("Guards separated 4 families at the border.", None),   # families, not how many people
        ("China sent two groups of defectors to Yanji.", None),
        ("In May 10 people fled.", None),
        ("About 10 percent of residents left.", None),
        ("It rained for 10 days and the villagers left.", None),
        ("The raid took place on Sept. 13.", None),
        ("Police caught nobody.", None),
        ("Dozens of defectors were held.", None),
        ("On Monday the ten were put on a train.", ("the ten", 10, False)),
        ("All 17 have since been moved to Tumen.", ("All 17", 17, False)),
        ("The two countries signed a treaty.", None),
        ("Several hundred North Koreans were held.", None),
    ],
)
def test_find_count(sentence, expected):
    assert find_count(sentence) == expected


def test_find_count_phrase_is_as_written():
    sentence = "Guards held  Some 35\nNorth Korean escapees."
    phrase, count, approximate = find_count(sentence)
    assert phrase in sentence and (count, approximate) == (35, True)


@pytest.mark.parametrize(
    ("text", "number", "expected"),
    [
        ("Ten people were held.", 10, True),
        ("Some 1,000 people fled.", 1000, True),
        ("Some 1000 people fled.", 1000, True),
        ("Two dozen were held.", 24, True),
        ("Eleven were held.", 10, False),
        ("In 2010 nobody came.", 10, False),
    ],
)
def test_mentions_number(text, number, expected):
    assert mentions_number(text, number) is expected


def _day(d):
    return (d, d, "day")


# (text, expected with published=SUNDAY, expected with published=None) as (start, end, precision)
UNKNOWN = (None, None, "unknown")
DATES = [
    ("on Tuesday", _day(date(2024, 4, 30)), UNKNOWN),
    ("Tuesday night", _day(date(2024, 4, 30)), UNKNOWN),
    ("on Sunday", _day(SUNDAY), UNKNOWN),  # published on a Sunday: that day
    ("last Sunday", _day(date(2024, 4, 28)), UNKNOWN),
    ("on Saturday", _day(date(2024, 5, 4)), UNKNOWN),
    ("yesterday", _day(date(2024, 5, 4)), UNKNOWN),
    ("today", _day(SUNDAY), UNKNOWN),
    ("last night", _day(date(2024, 5, 4)), UNKNOWN),
    ("the day before yesterday", _day(date(2024, 5, 3)), UNKNOWN),
    ("three days ago", _day(date(2024, 5, 2)), UNKNOWN),
    ("last week", (date(2024, 4, 22), date(2024, 4, 28), "week"), UNKNOWN),
    ("earlier this week", (date(2024, 4, 29), SUNDAY, "week"), UNKNOWN),
    ("two weeks ago", (date(2024, 4, 15), date(2024, 4, 21), "week"), UNKNOWN),
    ("last month", (date(2024, 4, 1), date(2024, 4, 30), "month"), UNKNOWN),
    ("earlier this month", (date(2024, 5, 1), SUNDAY, "month"), UNKNOWN),
    ("in October", (date(2023, 10, 1), date(2023, 10, 31), "month"), UNKNOWN),
    ("in early October", (date(2023, 10, 1), date(2023, 10, 10), "month"), UNKNOWN),   # the 1st-10th
    ("in mid-July", (date(2023, 7, 11), date(2023, 7, 20), "month"), UNKNOWN),
    ("Late in November 2015", (date(2015, 11, 21), date(2015, 11, 30), "month"), (date(2015, 11, 21), date(2015, 11, 30), "month")),
    ("in the spring of 2018", (date(2018, 3, 1), date(2018, 5, 31), "month"), (date(2018, 3, 1), date(2018, 5, 31), "month")),
    ("in the winter of 2019", (date(2019, 12, 1), date(2020, 2, 29), "month"), (date(2019, 12, 1), date(2020, 2, 29), "month")),
    ("in early 2016", (date(2016, 1, 1), date(2016, 4, 30), "month"), (date(2016, 1, 1), date(2016, 4, 30), "month")),
    ("between January and August 2023", (date(2023, 1, 1), date(2023, 8, 31), "month"),
     (date(2023, 1, 1), date(2023, 8, 31), "month")),
    ("in April", (date(2024, 4, 1), date(2024, 4, 30), "month"), UNKNOWN),
    ("in May", (date(2024, 5, 1), date(2024, 5, 31), "month"), UNKNOWN),
    ("October 2023", (date(2023, 10, 1), date(2023, 10, 31), "month"),
     (date(2023, 10, 1), date(2023, 10, 31), "month")),
    ("July 15-17", (date(2023, 7, 15), date(2023, 7, 17), "day"), UNKNOWN),
    ("July 15–17, 2022", (date(2022, 7, 15), date(2022, 7, 17), "day"),
     (date(2022, 7, 15), date(2022, 7, 17), "day")),
    ("Dec. 30-Jan. 2", (date(2023, 12, 30), date(2024, 1, 2), "day"), UNKNOWN),
    ("on Sept. 13", _day(date(2023, 9, 13)), UNKNOWN),
    ("Aug. 7", _day(date(2023, 8, 7)), UNKNOWN),
    ("on May 2", _day(date(2024, 5, 2)), UNKNOWN),
    ("Sep 13", _day(date(2023, 9, 13)), UNKNOWN),
    ("13 September", _day(date(2023, 9, 13)), UNKNOWN),
    ("September 13, 2023", _day(date(2023, 9, 13)), _day(date(2023, 9, 13))),
    ("Sept. 13th, 2023", _day(date(2023, 9, 13)), _day(date(2023, 9, 13))),
    ("2023-09-13", _day(date(2023, 9, 13)), _day(date(2023, 9, 13))),
    ("13 September 2023", _day(date(2023, 9, 13)), _day(date(2023, 9, 13))),
    ("Tuesday, Oct. 3, 2023", _day(date(2023, 10, 3)), _day(date(2023, 10, 3))),
    ("on Tuesday, May 7", _day(date(2024, 5, 7)), UNKNOWN),  # the weekday fixes the year
    ("on Sunday, May 7", _day(date(2023, 5, 7)), UNKNOWN),
    ("in 2019", (date(2019, 1, 1), date(2019, 12, 31), "year"), (date(2019, 1, 1), date(2019, 12, 31), "year")),
    ("last year", (date(2023, 1, 1), date(2023, 12, 31), "year"), UNKNOWN),
    ("earlier this year", (date(2024, 1, 1), SUNDAY, "year"), UNKNOWN),
    ("three days after", UNKNOWN, UNKNOWN),
    ("the following morning", UNKNOWN, UNKNOWN),
    ("two days after the raid on Oct. 3", UNKNOWN, UNKNOWN),
    ("recently", UNKNOWN, UNKNOWN),
    ("Feb. 30", UNKNOWN, UNKNOWN),
]


@pytest.mark.parametrize(("text", "expected", "_"), DATES)
def test_resolve_date_with_publication(text, expected, _):
    resolved = resolve_date(text, SUNDAY)
    assert (resolved.start, resolved.end, resolved.precision) == expected
    assert resolved.text == text


@pytest.mark.parametrize(("text", "_", "expected"), DATES)
def test_resolve_date_without_publication(text, _, expected):
    resolved = resolve_date(text, None)
    assert (resolved.start, resolved.end, resolved.precision) == expected


def test_resolve_date_weekday_on_publication_day():
    tuesday = date(2024, 4, 30)
    assert resolve_date("on Tuesday", tuesday).start == tuesday
    assert resolve_date("last Tuesday", tuesday).start == date(2024, 4, 23)


def test_resolve_date_last_weekend_read_on_a_sunday_is_the_one_before():
    resolved = resolve_date("last weekend", SUNDAY)
    assert (resolved.start, resolved.end) == (date(2024, 4, 27), date(2024, 4, 28))


def test_resolve_date_keeps_text_as_written():
    assert resolve_date("  on\nTuesday ", SUNDAY).text == "on Tuesday"
    assert resolve_date(None, SUNDAY) == IncidentDate()
    assert resolve_date("   ", SUNDAY) == IncidentDate()


def test_resolve_date_numeric_full_date():
    assert resolve_date("13.09.2023", None).start == date(2023, 9, 13)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Guards detained them on Tuesday near the border.", "on Tuesday"),
        ("It happened last month, officials said.", "last month"),
        ("They were caught on Aug. 7, the group said.", "on Aug. 7"),
        ("Raids took place in October and November.", "in October"),
        ("The trial ran July 15-17 in Dandong.", "July 15-17"),
        ("Earlier this year, she crossed the river.", "Earlier this year"),
        ("He was held on Sept. 13, 2023 in Dandong.", "on Sept. 13, 2023"),
        ("They first met in 2019.", "in 2019"),
        ("In March 2023 they fled.", "In March 2023"),
        ("Police came yesterday.", "yesterday"),
        ("She was sent back two weeks ago.", "two weeks ago"),
        ("The family left in early October.", "in early October"),
        ("Late in November 2015 she was sent back.", "Late in November 2015"),
        ("She was released in the spring of 2018, a year early.", "in the spring of 2018"),
        ("In early 2016 a court sentenced her.", "In early 2016"),
        ("The 287 returned between January and August 2024, the ministry said.", "between January and August 2024"),
        ("She may return.", None),
        ("They march every spring.", None),
        ("The 2019 report was ignored.", None),
        ("Three days after the raid, nothing happened.", None),
    ],
)
def test_find_date(sentence, expected):
    assert find_date(sentence) == expected


def test_find_date_result_resolves():
    found = find_date("Guards detained them last week in Liaoning.")
    assert resolve_date(found, SUNDAY).precision == "week"


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Nineteen of them, among them five children, were caught at a bus station.", ("Nineteen of them", 19, False)),
    ("Two of the women were freed on Monday.", ("Two of the women", 2, False)),
    ("Last week, several hundred of them were moved to Dandong.", None),
])
def test_part_of_a_group_counted_before(sentence, expected):
    assert find_count(sentence) == expected


@pytest.mark.parametrize(("phrase", "expected"), [
    ("two women and a child", (3, False)),
    ("she and nineteen other detainees", (20, False)),
    ("Nineteen of them", (19, False)),
])
def test_parse_count_reads_a_phrase_as_find_count_found_it(phrase, expected):
    from summarizer.normalize import parse_count

    assert parse_count(phrase) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The wife, two children and mother-in-law were arrested in Kunming.",
     ("The wife, two children and mother-in-law", 4, False)),
    ("Seven women and three men were arrested.", ("Seven women and three men", 10, False)),
    ("Police held 30 people, 12 of them children.", ("30 people", 30, False)),   # a part, not more
])
def test_people_listed_with_a_count_are_added(sentence, expected):
    assert find_count(sentence) == expected
