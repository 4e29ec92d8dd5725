"""Tests for summarizer.cues: every sentence here is written for the tests."""

from __future__ import annotations

import pytest

from summarizer import cues
from summarizer.cues import classify_stakeholder, find_incidents, find_stances, merge_stances
from summarizer.models import INCIDENT_TYPES, STAKEHOLDER_KINDS, STANCES
from summarizer.segment import SegmentedText


def incidents(text: str):
    return find_incidents(SegmentedText(text))


def only_incident(text: str):
    found = incidents(text)
    assert len(found) == 1, [(c.type, c.trigger) for c in found]
    return found[0]


def stances(text: str):
    return find_stances(SegmentedText(text))


# --- lexicons are data of the contract's vocabulary --------------------------


def test_lexicon_keys_are_contract_values():
    assert set(cues.INCIDENT_TRIGGERS) <= set(INCIDENT_TYPES)
    assert set(cues.STANCE_CUES) | set(cues.WEAK_STANCE_CUES) <= set(STANCES)
    assert all(place[2] for place in cues.GAZETTEER.values())


# --- incident types -----------------------------------------------------------

TYPES = [
    ("Chinese police arrested 12 North Korean defectors in Shenyang on Monday.", "arrest", "arrested"),
    ("Officials rounded up seven North Koreans at a safe house.", "arrest", "rounded up"),
    ("Eight North Koreans are being held at a detention center in Tumen.", "detention", "held"),
    ("Last week China sent back 30 refugees to North Korea.", "repatriation", "sent back"),
    ("Beijing handed over 20 defectors to Pyongyang on Tuesday.", "repatriation", "handed over 20 defectors to Pyongyang"),
    ("The five women were released on Friday.", "release", "released"),
    ("A family of four fled across the Yalu River in March.", "escape", "fled"),
    ("The group was transferred to a prison in Dandong.", "transfer", "transferred"),
    ("Two brokers were sentenced to ten years in prison.", "trial", "sentenced"),
    ("Three defectors drowned in the Tumen River last summer.", "death", "drowned"),
]


@pytest.mark.parametrize("text, kind, trigger", TYPES)
def test_incident_type_and_trigger(text, kind, trigger):
    cue = only_incident(text)
    assert (cue.type, cue.trigger) == (kind, trigger)
    assert text[cue.trigger_start : cue.trigger_start + len(cue.trigger)] == cue.trigger
    assert cue.evidence == (cue.sentence,)


NOT_INCIDENTS = [
    "A UN committee released a draft resolution on Tuesday.",
    "The two leaders held talks in Beijing.",
    "The film's release was delayed by the censors.",
    "Public anger died down after a week.",
    "The release of the report drew criticism from analysts.",
    "Border guards were not detained.",
]


@pytest.mark.parametrize("text", NOT_INCIDENTS)
def test_no_incident_without_people_or_when_negated(text):
    assert incidents(text) == []


# --- counts, dates, places, actors --------------------------------------------

DETAILS = [
    (
        "Chinese police arrested 12 North Korean defectors in Shenyang on Monday.",
        dict(count=12, approximate=False, people_text="12 North Korean defectors", date_text="on Monday",
             location_text="Shenyang", city="Shenyang", region="Liaoning", country="China",
             actors=("Chinese police",), subjects="North Korean defectors"),
    ),
    (
        "Some 35 refugees were detained by Chinese border guards in Jilin province.",
        dict(count=35, approximate=True, location_text="Jilin province", city=None, region="Jilin",
             country="China", actors=("Chinese border guards",)),
    ),
    (
        "The group was detained at a checkpoint near the Laos border on Aug. 3.",
        dict(location_text="a checkpoint near the Laos border", country=None, date_text="on Aug. 3",
             subjects="group"),
    ),
    (
        "They were taken into custody in the city of Yanji, Jilin province.",
        dict(location_text="the city of Yanji, Jilin province", city="Yanji", region="Jilin", country="China"),
    ),
    (
        "Beijing handed over 20 defectors to Pyongyang on Tuesday.",
        dict(actors=("Beijing",), count=20, date_text="on Tuesday", location_text=None, status="repatriated"),
    ),
]


@pytest.mark.parametrize("text, expected", DETAILS)
def test_incident_details(text, expected):
    cue = only_incident(text)
    assert {name: getattr(cue, name) for name in expected} == expected


def test_two_events_in_one_sentence_keep_their_own_dates():
    arrested, returned = sorted(
        incidents("On Friday, Beijing turned over to North Korea 15 refugees it arrested in May."),
        key=lambda cue: cue.type,
    )
    assert (returned.type, returned.date_text, returned.count) == ("repatriation", "On Friday", 15)
    assert (arrested.type, arrested.date_text, arrested.count) == ("arrest", "in May", 15)
    assert arrested.actors == ("Beijing",)   # "it" is the Beijing named before


def test_status_when_stated():
    cue = only_incident("The North Koreans were taken to a camp in Tumen to await repatriation.")
    assert (cue.type, cue.status, cue.city) == ("transfer", "awaiting repatriation", "Tumen")
    assert only_incident("Ten defectors were arrested in China and face deportation.").status == "facing repatriation"


# --- hypothetical and generic ------------------------------------------------

FLAGS = [
    ("The defectors could be repatriated within days.", True, False),
    ("Activists urged China not to send the refugees back.", True, False),
    ("If Beijing decides to release the detainees, they may reach Seoul.", True, False),
    ("China is considering the release of 11 defectors.", True, False),
    ("China usually deports defectors.", False, True),
    ("Defectors who are caught are typically sent back.", False, True),
    ("Those arrested are handed over to a camp in Dandong.", False, True),
    ("Human Rights Watch logged 51 arrests of defectors in China in 2017.", False, True),
    ("China is steadfast in deporting North Korean escapees.", False, True),
    ("Chinese police detained nine defectors in Kunming.", False, False),
]


@pytest.mark.parametrize("text, hypothetical, generic", FLAGS)
def test_hypothetical_and_generic_flags(text, hypothetical, generic):
    found = incidents(text)
    assert found, text
    assert all((cue.hypothetical, cue.generic) == (hypothetical, generic) for cue in found), [
        (cue.trigger, cue.hypothetical, cue.generic) for cue in found
    ]


# --- merging -------------------------------------------------------------------


def test_consecutive_reports_of_one_event_merge():
    text = (
        "Chinese police arrested nine defectors in Kunming on Sunday. "
        "The defectors were arrested at a bus station, their relatives said."
    )
    cue = only_incident(text)
    assert (cue.count, cue.date_text, len(cue.evidence)) == (9, "on Sunday", 2)


def test_a_new_count_is_a_new_event():
    text = "Police arrested nine defectors in Kunming. Police arrested four more defectors in Qingdao."
    assert [cue.count for cue in incidents(text)] == [9, 4]


def test_a_repeated_headline_merges():
    text = "Ten Defectors Arrested In China\n\nTen Defectors Arrested In China\n\nThe weather was fine."
    assert len(only_incident(text).evidence) == 2


# --- stances --------------------------------------------------------------------

STANCES_TABLE = [
    ("Human Rights Watch urged China not to send the defectors back.",
     "Human Rights Watch", "ngo", "opposes"),
    ("Amnesty International called on Beijing to halt the forced repatriations.",
     "Amnesty International", "ngo", "opposes"),
    ("Returning them would violate the principle of non-refoulement, the UN special rapporteur said.",
     "the UN special rapporteur", "intergovernmental", "opposes"),
    ("China's Foreign Ministry said the North Koreans were illegal economic migrants, not refugees.",
     "China's Foreign Ministry", "government", "supports"),
    ("Foreign Ministry spokesman Wang Lin said the defectors would be handled in accordance with the law.",
     "Foreign Ministry", "government", "supports"),
    ("South Korea's Unification Ministry said it was closely monitoring the defectors' situation.",
     "South Korea's Unification Ministry", "government", "neutral"),
    ("A police spokesman declined to comment on the detained defectors.",
     "A police spokesman", "official", "neutral"),
    ("The lawmaker said the defectors were economic migrants but urged China not to send them back.",
     "The lawmaker", "official", "mixed"),
    ("Many face torture after being repatriated, according to Amnesty International.",
     "Amnesty International", "ngo", "opposes"),
]


@pytest.mark.parametrize("text, stakeholder, kind, stance", STANCES_TABLE)
def test_stance_cues(text, stakeholder, kind, stance):
    found = stances(text)
    assert [(c.stakeholder, c.kind, c.stance) for c in found] == [(stakeholder, kind, stance)]
    cue = found[0]
    assert text[cue.cue_start - cue.sentence.start :].startswith(cue.cue)


def test_the_writer_urging_is_no_stakeholder():
    assert stances("Beijing must stop repatriating the defectors.") == []


def test_no_stance_off_the_topic():
    assert stances("The senator said the rally was in violation of state rules.") == []


def test_spokesperson_and_later_surname_speak_for_the_ministry():
    text = (
        "Foreign Ministry spokesman Park Min-su said Seoul was closely monitoring the defectors.\n\n"
        "\"They must not be sent back,\" Park said."
    )
    found = stances(text)
    assert [(c.stakeholder, c.stance, c.role) for c in found] == [
        ("Foreign Ministry", "neutral", "spokesman Park Min-su"),
        ("Foreign Ministry", "opposes", "spokesman Park Min-su"),
    ]
    assert merge_stances(found) == {"Foreign Ministry": "opposes"}


def test_pronoun_speaker_and_apposition_role():
    text = (
        "Jane Kim, a professor at Seoul National University, said the refugees face torture. "
        "\"They should never be returned,\" she said."
    )
    found = stances(text)
    assert {(c.stakeholder, c.kind, c.stance) for c in found} == {("Jane Kim", "expert", "opposes")}
    assert found[0].role == "a professor at Seoul National University"


def test_director_speaks_for_the_organisation():
    text = '"Sending them back makes Beijing complicit in torture," said Jane Doe, Asia director at Human Rights Watch.'
    (cue,) = stances(text)
    assert (cue.stakeholder, cue.kind, cue.stance) == ("Human Rights Watch", "ngo", "opposes")


def test_a_quote_that_goes_on_keeps_its_speaker():
    text = (
        "Kim Min-ji, who runs the aid group Open Doors Korea, spoke on Monday.\n\n"
        "\u201cThey have hidden for a year in Yanji,\u201d Kim said of the defectors. "
        "\u201cWe are asking Beijing to let them go to Seoul.\u201d"
    )
    found = stances(text)
    assert [(c.stakeholder, c.kind, c.stance, c.cue) for c in found] == [
        ("Open Doors Korea", "ngo", "opposes", "asking Beijing to let")
    ]


def test_fear_of_being_sent_back_is_no_repatriation():
    cue = only_incident("\u201cThey are afraid of being sent back,\u201d the pastor said.")
    assert (cue.type, cue.hypothetical) == ("repatriation", True)


def test_merge_stances_supports_and_opposes_is_mixed():
    text = (
        "The council said the defectors were economic migrants. "
        "The council later urged China not to send the defectors back."
    )
    assert merge_stances(stances(text)) == {"The council": "mixed"}


# --- kinds of stakeholder ------------------------------------------------------

KINDS = [
    ("Human Rights Watch", None, "ngo"),
    ("Amnesty International", None, "ngo"),
    ("United Nations", None, "intergovernmental"),
    ("UN special rapporteur", None, "intergovernmental"),
    ("China's Foreign Ministry", None, "government"),
    ("Seoul", None, "government"),
    ("spokesman Hua Chunying", None, "official"),
    ("Reuters", None, "media"),
    ("professor at Korea University", None, "expert"),
    ("Hyobin Lee", "an adjunct professor of Korean politics", "expert"),
    ("Kim Hee-tae", None, "individual"),
    ("Chinese Internet users", None, "individual"),
    ("the committee", None, "other"),
]


@pytest.mark.parametrize("name, role, kind", KINDS)
def test_classify_stakeholder(name, role, kind):
    assert classify_stakeholder(name, role) == kind
    assert kind in STAKEHOLDER_KINDS
