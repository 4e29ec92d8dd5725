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
    ("A family of five was stopped by border police at a checkpoint.", "arrest",
     "stopped by border police at a checkpoint"),
    ("In 2012 Ri crossed again, this time from Hyesan.", "escape", "crossed again"),
    ("She was handed to North Korean security agents at Tumen that June.", "repatriation",
     "handed to North Korean security"),
    ("Two women and a child were taken from a guesthouse in Shenyang.", "arrest", "taken from"),
    ("Some 600 North Koreans were trucked across the bridge at Dandong.", "repatriation", "trucked across the bridge"),
    ("The soldier swam across from Sinuiju on Wednesday night.", "escape", "swam across"),
    ("Eleven defectors reached South Korea in June.", "transfer", "reached South Korea"),
    ("Police took her and two other waitresses away in a van.", "arrest", "took her and two other waitresses away"),
    ("In March 2012 she walked across the frozen river at night.", "escape", "walked across"),
    ("A man slipped out of a holding facility in Tumen on Sunday.", "escape", "slipped out"),
    ("The family crossed the Yalu River from Hyesan in mid-January.", "escape", "crossed the Yalu"),
    ("She landed at Incheon in June 2015.", "transfer", "landed at Incheon"),
    ("Six people were taken off a bus by Chinese police at a checkpoint.", "arrest", "taken off"),
    ("About 30 other North Koreans remain in the Tumen facility.", "detention", "remain in the Tumen facility"),
    ("Months later, Kang himself was caught.", "arrest", "caught"),
    ("China sent a former soldier and eight other people back on Monday.", "repatriation",
     "sent a former soldier and eight other people back"),
    ("She was flown to Seoul from Bangkok that winter.", "transfer", "flown to Seoul"),
    ("The pair travelled overland to Laos with a broker.", "transfer", "travelled overland to Laos"),
    ("Within a week a church network had moved her to a flat in Dandong.", "transfer", "moved her to a flat"),
    ("The group arrived at Kunming two days later.", "transfer", "arrived at Kunming"),
    ("The nine left Hyesan on a moonless night.", "escape", "left Hyesan"),
    ("She was let out after ten months, thin and ill.", "release", "let out"),
    ("A broker sold the girl to a farmer near Yanji.", "other", "sold the girl to"),
    ("She spent most of four years in Kaechon.", "detention", "spent most of four years in Kaechon"),
    ("Guards kept the men in a cell for a month.", "detention", "kept the men in a cell"),
    ("At least six people have taken their own lives in the camp.", "death", "taken their own lives"),
    ("China sent at least 40 North Koreans back across the border on Saturday.", "repatriation",
     "sent at least 40 North Koreans back"),
    ("Chinese police handed 62 North Koreans to border guards at the Nanping crossing.", "repatriation",
     "handed 62 North Koreans to border guards"),
    ("Pak then moved to Seoul with her son.", "transfer", "moved to Seoul"),
    ("Her grandmother and uncle died of hunger in 1997.", "death", "died"),
    ("He spent four years and seven months in the camp.", "detention", "spent four years and seven months in the camp"),
    ("The first time Choi Mi-ran crossed the Tumen River, the ice was thick.", "escape", "crossed the Tumen"),
]


@pytest.mark.parametrize("text", [
    "In May 2014 a broker sold her to a farmer outside Helong.",   # "broker sold" is no participle: he sold her
    "In March 2025, nine workers fled a fish plant near Dandong.",
])
def test_past_events_of_named_groups_are_neither_generic_nor_background(text):
    (cue,) = incidents(text)
    assert not (cue.generic or cue.background or cue.hypothetical)


def test_people_who_remain_held_are_held_now_not_as_a_rule():
    (cue,) = incidents("Another 18 North Koreans remain in the detention center in Tumen.")
    assert (cue.type, cue.count, cue.generic) == ("detention", 18, False)


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
    "She picked up the phone and called her brother.",   # a phrasal verb's object follows at once
    "Kim returned to Seoul on Monday.",                  # "returned" needs people returned
    "After her release the woman returned to her village.",  # going home is no repatriation
    "Six years after reaching Seoul, she is still waiting for news.",  # looking back, not reporting
    "A broker told the man to cross the Tumen alone at night.",          # an instruction, not a crossing
    "Beijing was caught off guard by the report.",                       # no person
    "The envoy flew to Seoul for talks on Monday.",                      # no people it happened to
    "The broker sold his car to pay the bribes.",                         # selling a thing
    "The company moved to Seoul in 2019.",                                # no people moved
]


@pytest.mark.parametrize("text", [
    "China must grant access to all North Koreans held in Jilin province.",
    "Women returned to the DPRK are at serious risk of forced labour.",
    "The ministry said people who crossed the border illegally were not refugees.",
])
def test_a_class_of_people_is_no_event(text):
    assert all(cue.generic or cue.hypothetical for cue in incidents(text))


def test_a_trigger_without_people_does_not_cut_its_neighbours_window():
    # "arrived in South Korea" yields nothing here (no people near it), so the
    # release keeps the consulate's city named before it.
    text = ("Three North Koreans who had sheltered in the consulate in Shenyang for years arrived in "
            "South Korea on Wednesday after Chinese authorities allowed them to leave, officials said.")
    release = [cue for cue in incidents(text) if cue.type == "release"]
    assert release and release[0].location_text == "Shenyang"


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
    ("Human Rights Watch logged 51 arrests of defectors in China in 2017.", False, False),   # a tally: see below
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


TALLIES = [
    ("Human Rights Watch logged 51 arrests of defectors in China in 2017.", "arrest", 51, False),
    ("The monitor documented at least 412 forced returns of North Koreans in 2024.", "repatriation", 412, True),
    ("The group confirmed five deaths in custody last year.", "death", 5, False),
]


@pytest.mark.parametrize("text, kind, count, approximate", TALLIES)
def test_a_tally_of_events_is_an_incident_counting_its_people(text, kind, count, approximate):
    assert [(c.type, c.count, c.approximate) for c in real_incidents(text)] == [(kind, count, approximate)]


@pytest.mark.parametrize("text", ["Deaths in custody are common.", "Police made arrests in the city.",
                                  "Deportations rose sharply, the report said."])
def test_event_nouns_without_a_number_report_nothing(text):
    assert real_incidents(text) == []


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


def real_incidents(text: str):
    return [cue for cue in incidents(text) if not (cue.hypothetical or cue.generic)]


def test_a_headline_folds_into_the_body_report_of_its_event():
    text = ("Nine Defectors Held In Yanji\n\n"
            "Chinese police detained nine North Korean defectors in Yanji on Friday, activists said.")
    cue = only_incident(text)
    assert cue.sentence.text.startswith("Chinese police")   # the body sentence is the main evidence
    assert (cue.count, cue.date_text, len(cue.evidence)) == (9, "on Friday", 2)


def test_a_reference_back_to_the_people_joins_their_event():
    # "she", "Nine of them": the people reported before, with a narrower place.
    text = ("Chinese police arrested a defector in Jilin province on Friday. Her sister lives in Seoul. "
            "She was picked up at a hotel in Yanji, her sister said.")
    cue = only_incident(text)
    assert (cue.type, cue.count, cue.location_text, len(cue.evidence)) == ("arrest", 1, "Jilin province", 2)
    text = "Police arrested 15 North Koreans in Jilin province on May 2. Nine of them were picked up in Yanji."
    assert [c.count for c in real_incidents(text)] == [15]


def test_the_detention_after_an_arrest_is_its_own_event_of_the_same_people():
    text = ("Police arrested three women in Hunchun on March 3. The weather was cold. "
            "The women are being held in a detention facility, activists said.")
    arrest, detention = real_incidents(text)
    assert [(c.type, c.count) for c in (arrest, detention)] == [("arrest", 3), ("detention", 3)]
    # the sentence that counted them backs the detention's count
    assert [s.text[:10] for s in detention.evidence] == ["The women ", "Police arr"]


def test_some_of_a_group_do_not_take_the_group_count():
    text = "Police arrested 15 North Koreans in Jilin province on May 2. Several of them were later sent back."
    assert [(c.type, c.count) for c in real_incidents(text)] == [("arrest", 15), ("repatriation", None)]


def test_a_group_named_by_its_number_and_one_person_are_counted():
    assert only_incident("On Sunday the eight were moved to a detention center in Yanji.").count == 8
    cue = only_incident("He was arrested in Qingdao in March.")
    assert (cue.count, cue.people_text) == (1, "He")
    cue = only_incident("A man in his 30s drowned in the Yalu River last summer.")
    assert (cue.type, cue.count, cue.location_text) == ("death", 1, "the Yalu River")


def test_one_person_within_a_group_joins_the_group():
    text = ("Police arrested six defectors in Qingdao and later sent them back to North Korea. "
            "Her son was among them, a mother said. She said he was sent back in chains.")
    assert [(c.type, c.count) for c in real_incidents(text)] == [("arrest", 6), ("repatriation", 6)]


PLACES = [
    # A named place beats a noun phrase that names none.
    ("Police detained six defectors on Friday at a railway checkpoint on the outskirts of Hunchun.",
     dict(location_text="the outskirts of Hunchun", city="Hunchun")),
    # A name the gazetteer lacks, said to be a place by its apposition.
    ("Police arrested three women near Mengla, a town in Yunnan.",
     dict(location_text="Mengla, a town in Yunnan", region="Yunnan")),
    # An escape's place is where people fled from; a transfer's where they were taken.
    ("A family of four from Musan in North Hamgyong province crossed the Tumen River into China.",
     dict(type="escape", location_text="Musan in North Hamgyong province", city="Musan")),
    ("Last week the group was moved from cells in Yanji to a prison in Changchun.",
     dict(type="transfer", city="Changchun")),
    # A country alone is kept as the country, not as a place.
    ("Seven defectors were sent back from China on Monday.", dict(location_text=None, country="China")),
    # The most specific place: the city, not the country named nearer.
    ("Three defectors who had hidden in Shenyang were released to South Korea on Monday.",
     dict(city="Shenyang")),
    # Where the source speaks, and a dateline, are not where it happened.
    ("Police detained 12 defectors on Friday, activists in Seoul said.", dict(location_text=None, city=None)),
    ("SEOUL, May 3 (Yonhap) - Police detained 12 defectors last week.", dict(date_text="last week")),
]


@pytest.mark.parametrize("text, expected", PLACES)
def test_incident_place_and_date(text, expected):
    cue = only_incident(text)
    assert {name: getattr(cue, name) for name in expected} == expected


def test_the_facility_is_the_one_named_before():
    text = "A woman died in a detention facility in Hoeryong. Some 20 people are still held at the facility."
    assert [c.city for c in real_incidents(text)] == ["Hoeryong", "Hoeryong"]


def test_a_date_stays_with_its_own_clause():
    landed, released = incidents("Three North Koreans landed in Seoul on Wednesday after China allowed them to leave.")
    assert (landed.type, landed.date_text) == ("transfer", "on Wednesday")   # an arrival in the South
    assert (released.type, released.date_text) == ("release", None)
    arrested, returned = incidents("Seven defectors were arrested in May and later sent back to North Korea.")
    assert (arrested.date_text, returned.date_text) == ("in May", None)
    _, died = incidents("A woman who was returned from China in March died last week in a prison in Hyesan.")
    assert (died.type, died.date_text) == ("death", "last week")


def test_a_relative_clause_without_a_date_is_background_to_the_main_event():
    cue = only_incident("Earlier this month, 14 North Koreans held in Yanji were handed over to the North.")
    assert (cue.type, cue.count, cue.date_text) == ("repatriation", 14, "Earlier this month")
    # Coordinated verbs are two events: "fled ..., but were taken into custody".
    text = "They fled across the river from Musan, but were taken into custody in Yanji."
    assert [c.type for c in incidents(text)] == ["escape", "arrest"]


CLASS_AND_MENTIONS = [
    "The rapporteur said people sent back across the border faced torture.",
    "The group helps North Koreans who have fled to China.",
    "Seoul presses Beijing over detained North Koreans",
    "The North Korea Refugee Rights Center said the returnees had been held in camps.",
]


@pytest.mark.parametrize("text", CLASS_AND_MENTIONS)
def test_classes_of_people_and_mentions_are_no_events(text):
    assert real_incidents(text) == []


def test_link_lists_report_nothing():
    text = "Police detained 4 defectors in Yanji on Friday.\n\nRELATED ARTICLES\n\nChina arrests 5 defectors in Dandong"
    assert [c.count for c in incidents(text)] == [4]


NEW_TRIGGERS = [
    ("China forcibly returned some 60 North Koreans on Monday.", "repatriation", False),
    ("About 300 North Koreans are believed to be held in detention centers in Jilin.", "detention", False),
    ("Chinese police picked her up at a farm near Helong.", "arrest", False),
    ("Officials rounded up 29 North Korean defectors and six helpers.", "arrest", False),
    ("A North Korean broker went on trial in Seoul on Monday.", "trial", False),
    ("Some 35 people who were returned from China are still held at a camp.", "detention", False),
    ("Last week the defectors were moved from lockups in Tumen to Dandong.", "transfer", False),
]


@pytest.mark.parametrize("text, kind, hypothetical", NEW_TRIGGERS)
def test_more_ways_to_say_it_happened(text, kind, hypothetical):
    cue = only_incident(text)
    assert (cue.type, cue.hypothetical, cue.generic) == (kind, hypothetical, False)


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
    # Monitoring and declining to comment reveal no stance: unclear, not neutral.
    ("South Korea's Unification Ministry said it was closely monitoring the defectors' situation.",
     "South Korea's Unification Ministry", "government", "unclear"),
    ("A police spokesman declined to comment on the detained defectors.",
     "A police spokesman", "official", "unclear"),
    ("Mongolia's Foreign Ministry said it would take no sides on the defectors.",
     "Mongolia's Foreign Ministry", "government", "neutral"),
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
    # a "forcibly" cue after "must" once crashed the stance finder
    assert stances("Beijing should not be forcibly repatriating them.") == []
    found = stances("China must stop forcibly returning North Koreans, a rights group said.")
    assert [(c.stakeholder, c.stance) for c in found] == [("a rights group", "opposes")]


def test_no_stance_off_the_topic():
    assert stances("The senator said the rally was in violation of state rules.") == []


def test_spokesperson_and_later_surname_speak_for_the_ministry():
    text = (
        "Foreign Ministry spokesman Park Min-su said Seoul was closely monitoring the defectors.\n\n"
        "\"They must not be sent back,\" Park said."
    )
    found = stances(text)
    assert [(c.stakeholder, c.stance, c.role) for c in found] == [
        ("Foreign Ministry", "unclear", "spokesman Park Min-su"),
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


NO_STANCE = [
    # A headline paraphrases; the body attributes.
    "Seoul Urges Beijing Not To Deport Defectors\n\nThe weather was fine.",
    # A weak cue in a report is the source's account, and the act is no view of it.
    "China forcibly returned 40 defectors on Monday, according to a Seoul-based rights group.",
    # What could not happen, a criminal charge, a description cited to reject it, a topic of talk.
    "Human Rights Watch said the camps filled with defectors who could not be sent anywhere.",
    "Kim, a defector, faces charges of fraud and of violating a law on brokers.",
    "Lee said Beijing's description of the defectors as economic migrants was false.",
    "Diplomats said the text would include language on forced repatriation.",
    "Seven defectors were sent back. The Unification Ministry declined to comment on the trial.",
    # Not parties: the people themselves, a quantifier, a byline.
    "A North Korean woman who was forcibly returned from China died last week.",
    "Every one of the defectors faces torture if returned.",
    "By Hannah Kim\n\n\u201cThey will face torture if sent back,\u201d he said.",
]


@pytest.mark.parametrize("text", NO_STANCE)
def test_no_stance_here(text):
    assert stances(text) == []


def test_a_cue_inside_a_longer_cue_of_the_other_side_is_part_of_it():
    (cue,) = stances("China has refused for years to recognize the defectors as refugees.")
    assert (cue.stakeholder, cue.stance) == ("China", "supports")


SPEAKS_FOR = [
    ("Many defectors face torture if returned, according to Jane Roe, Amnesty International's director for East Asia.",
     "Amnesty International", "opposes"),
    ("A Foreign Ministry official said Seoul was aware of the reports about the defectors.",
     "Foreign Ministry", "unclear"),
    ("A German diplomat said Germany was deeply concerned about the repatriations.", "Germany", "opposes"),
    ("Chen Li, a counsellor at China's mission in Geneva, said the defectors were economic migrants.",
     "China", "supports"),
    ("Russia's envoy backed the Chinese position on the defectors.", "Russia's envoy", "supports"),
]


@pytest.mark.parametrize("text, stakeholder, stance", SPEAKS_FOR)
def test_who_a_speaker_speaks_for(text, stakeholder, stance):
    assert [(c.stakeholder, c.stance) for c in stances(text)] == [(stakeholder, stance)]


def test_a_spokesperson_speaks_for_the_body_named_before_and_later_by_surname():
    text = ("The Unification Ministry said it could not confirm the number of defectors, but spokesperson "
            "Yoon Mi-ra said the government deeply regrets the returns.\n\n"
            "\u201cNo one should be sent back to face torture,\u201d Yoon said.")
    assert {(c.stakeholder, c.stance) for c in stances(text)} == {
        ("The Unification Ministry", "unclear"), ("The Unification Ministry", "opposes")}


def test_the_official_is_the_one_named_before():
    text = ("A Foreign Ministry official said Seoul was aware of the reports about the defectors. "
            "Amnesty International said they face torture. The official would not say more.")
    assert [(c.stakeholder, c.stance) for c in stances(text)][-1] == ("Foreign Ministry", "unclear")


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


# -- parties quoted on the issue without stance words -------------------------------
SIDES_ARTICLE = (
    "Chinese police sent 30 North Korean defectors back across the border on Monday.\n\n"
    "Asked about the returns, Chinese Foreign Ministry spokesperson Li Wen said: \u201cThe relevant departments "
    "handled the matter. There is nothing more to add.\u201d\n\n"
    "\u201cWe counted every bus that crossed the bridge,\u201d said the Harbour Light Network, which tracks "
    "repatriations of defectors.\n\n"
    "\u201cI saw them leave at dawn,\u201d a woman in Seoul whose cousin was among the defectors said.\n"
)


def test_a_quoted_party_without_stance_words_takes_its_sides_stance():
    from summarizer.cues import SIDE_CUE
    from summarizer.quotes import find_quotes

    cues = find_stances(SegmentedText(SIDES_ARTICLE), find_quotes(SIDES_ARTICLE))
    by_party = {cue.stakeholder: cue for cue in cues}
    assert by_party["Chinese Foreign Ministry"].stance == "supports"
    assert by_party["Harbour Light Network"].stance == "opposes"
    assert all(cue.cue == SIDE_CUE for cue in by_party.values())
    # A witness is on no side: no position is guessed for her.
    assert not any("woman" in name for name in by_party)


def test_side_stances_are_not_added_without_the_quotes():
    assert find_stances(SegmentedText(SIDES_ARTICLE)) == []


def test_a_groups_staff_speak_for_the_group_and_where_a_diplomat_sits_is_no_side():
    from summarizer.quotes import find_quotes

    text = (
        "China sent 12 North Korean defectors back across the border on Friday, said Harbour Light Network, "
        "a rights group in Seoul.\n\n"
        "\u201cWe counted them onto the bus,\u201d said Yoon Bo-ra, the group's field director.\n\n"
        "\u201cIt is a matter for the two governments,\u201d said a European diplomat in Beijing.\n"
    )
    cues = {cue.stakeholder: cue.stance for cue in find_stances(SegmentedText(text), find_quotes(text))}
    assert cues.get("Harbour Light Network") == "opposes"
    assert "Yoon Bo-ra" not in cues
    assert not any("diplomat" in name for name in cues)


def test_a_deck_line_takes_the_body_verb_type_when_they_join():
    text = ('Family of four held in Kunming; ministry says it is "aware of the situation"\n\n'
            "The wife, two children and mother-in-law of a defector were arrested by Chinese police in "
            "Kunming last Thursday, his relatives said.\n")
    found = real_incidents(text)
    assert [(cue.type, cue.count) for cue in found] == [("arrest", 4)]


COUNTED_PEOPLE = [
    # one person as the object, not the group before the verb nor the sources after it
    ("Police arrested 12 defectors in Yanji and released a woman.", [("arrest", 12), ("release", 1)]),
    ("Police arrested a North Korean man on Friday in a village, according to two residents.", [("arrest", 1)]),
    ("Police arrested a woman and her two children in Yanji, two residents said.", [("arrest", 3)]),
    ("She was handed to North Korean agents at Tumen and later said she saw two women die.", [("repatriation", 1)]),
    # a verb joined by "and" shares its people; "One of the seven" is one
    ("One of the women had been sent back once, in 2019, and escaped again last year.",
     [("repatriation", 1), ("escape", 1)]),
    ("One of the seven, a former soldier, was later executed.", [("death", 1)]),
    # names: a Korean given name, an age between name and verb, a possessive
    ("Lee Mi-sun was arrested in Yanji in 2011.", [("arrest", 1)]),
    ("Lee, 34, fled North Korea in 2011.", [("escape", 1)]),
    ("Pak's other brother was sent back from China two years ago.", [("repatriation", 1)]),
    ("Jang himself fled North Korea in 2019, leaving his family behind.", [("escape", 1)]),
    # couples and kin
    ("A couple and their son were caught in Qingdao.", [("arrest", 3)]),
    ("An elderly couple and their two grandchildren were sent back in May.", [("repatriation", 4)]),
    ("The 11 had crossed into China in early February.", [("escape", 11)]),
]


@pytest.mark.parametrize("text, expected", COUNTED_PEOPLE)
def test_who_and_how_many(text, expected):
    assert [(c.type, c.count) for c in real_incidents(text)] == expected


# --- a figure beside another period's figure ------------------------------------

@pytest.mark.parametrize("text, figures", [
    ("Some 40 North Koreans arrived in South Korea in 2025, down from 62 in the same period of 2024.",
     [(40, "2025"), (62, "2024")]),
    ("The group counted at least 150 forced returns in 2023, nearly double the 80 it recorded in 2022.",
     [(150, "in 2023"), (80, "in 2022")]),
    ("Monitors logged 33 arrests in 2019 and only 4 in 2020.", [(33, "in 2019"), (4, "in 2020")]),
])
def test_a_figure_compared_with_another_period_is_another_event(text, figures):
    found = [(cue.count, cue.date_text) for cue in incidents(text)]
    assert [count for count, _ in found] == [count for count, _ in figures]
    assert all(period in (date or "") for (_, date), (_, period) in zip(found, figures))


@pytest.mark.parametrize("text", [
    "Police arrested 12 defectors in 2024, up from 3 percent of arrivals.",   # a share, not people
    "Police arrested 12 defectors on Monday and 12 more were hiding.",          # no other period named
])
def test_no_compared_figure_without_its_own_period_or_people(text):
    assert len([cue for cue in incidents(text) if cue.type == "arrest"]) == 1


@pytest.mark.parametrize("text, count", [
    ("She and the four other women were held at a police station in Yanji.", 5),
    ("She was handed over at Tumen, with some 30 others, in the spring.", 31),
    ("Police took Pak and two other waitresses away in a van.", 3),
    ("About 30 other North Koreans remain in the Tumen facility.", 30),
    ("Eleven defectors, including a woman in her 60s and her two grandsons, were arrested in Kunming.", 11),
    ("A man was caught again on Tuesday near Tumen, two people familiar with the case said.", 1),
    ("Police arrested two defectors who said they were from Hyesan.", 2),
])
def test_counts_take_in_the_one_beside_the_others_and_leave_out_sources(text, count):
    assert [cue.count for cue in incidents(text)] == [count]


def test_a_term_in_a_camp_is_a_detention_beside_the_trial():
    found = incidents("In the end a court in Onsong sentenced her to a year in a labour training unit.")
    assert [(cue.type, cue.count, cue.hypothetical) for cue in found] == [("trial", 1, False), ("detention", 1, False)]
    assert [cue.type for cue in incidents("Two brokers were sentenced to ten years in prison.")] == ["trial"]


def test_people_of_another_clause_are_not_counted():
    text = "She spent a year and a half at a labour camp in Hoeryong, where she saw two women die of hunger."
    (held,) = [cue for cue in incidents(text) if cue.type == "detention"]
    assert held.count == 1 and held.city == "Hoeryong"


@pytest.mark.parametrize("text", [
    '"Once sent back, they face harsh punishment," she said.',
    "Open Border Korea wants the whole group released.",
    "- suspend the return of the 48 North Koreans held in Baishan;",
    '"The return of these seven people would violate the Refugee Convention," Hale said.',
])
def test_what_is_wanted_feared_or_conditional_is_hypothetical(text):
    assert all(cue.hypothetical for cue in incidents(text) if cue.type in ("repatriation", "release"))


def test_a_tally_stated_after_its_noun_and_its_comparison():
    found = incidents("Returns in the first seven months totalled 521, against 318 in the same period of 2025.")
    assert [(cue.type, cue.count) for cue in found] == [("repatriation", 521), ("repatriation", 318)]


@pytest.mark.parametrize("text, count", [
    ("On Monday police arrested a woman, her two teenage daughters and her elderly mother at a flat.", 4),
    ("In January 2020 mother and daughter crossed the river together.", 2),
    ("In 2016 she paid a border guard $400, borrowed from a cousin, and waded across at night.", 1),
])
def test_people_listed_paired_or_joined_are_counted(text, count):
    assert [cue.count for cue in incidents(text)] == [count]


@pytest.mark.parametrize("text, found", [
    ("Arrivals then roughly tripled, to 193, in 2023.", [("transfer", 193)]),
    ("In the first half, 98 defectors arrived, fewer than the 105 who arrived in the same period of 2024.",
     [("transfer", 98), ("transfer", 105)]),
    ("Rights advocates welcomed the three arrivals on Monday.", []),           # people told of before
    ("Some were repatriated once before they arrived in the end.", []),
    ("A group of nine North Koreans had been picked up by police near Luang Namtha, handed over to China "
     "and from there sent back to the North.", [("arrest", 9), ("transfer", 9), ("repatriation", 9)]),
    ("She was released in 2020 with a ruined knee, and tried for three years to reach her daughter.",
     [("release", 1)]),
    ("Kim Eun-ju got out of North Korea in 2018.", [("escape", 1)]),
    ("He walked out of Jongori in October 2022.", [("release", 1)]),
])
def test_arrivals_chains_and_ways_out(text, found):
    assert [(cue.type, cue.count) for cue in incidents(text)] == found


def test_one_person_named_anew_is_not_the_group_arrested_before():
    text = ("Chinese police arrested seven North Korean defectors in Mengla on Sunday. "
            "A 52-year-old man from Yanbian who guided them was arrested the following day in Jinghong.")
    assert [(cue.type, cue.count) for cue in incidents(text)] == [("arrest", 7), ("arrest", 1)]


def test_a_group_split_by_place_is_one_event_per_place():
    text = "The defectors were arrested last week, 20 of them in Qingdao and nine in Kunming."
    found = [(cue.type, cue.count, cue.city) for cue in incidents(text)]
    assert found == [("arrest", 20, "Qingdao"), ("arrest", 9, "Kunming")]


def test_a_counted_total_since_a_year_is_one_figure_and_a_bare_habit_is_not():
    (total,) = incidents("An estimated 31,000 people have defected from North Korea since 1998.")
    assert (total.count, total.generic) == (31000, False)
    (habit,) = incidents("China has repatriated defectors since 1998.")
    assert habit.generic


def test_stance_cues_for_access_will_and_the_organisation():
    text = ("Human Rights Watch said the nine would be at risk. China's foreign ministry said they were "
            "economic migrants. The organisation has called on China to stop sending North Koreans back.")
    found = {(cue.stakeholder, cue.stance) for cue in stances(text)}
    assert ("China's foreign ministry", "opposes") not in found
    assert ("Human Rights Watch", "opposes") in found
    text = ("China's foreign ministry said the matter was handled by law. He did not answer a question about "
            "whether the nine had met any official of the UN refugee agency.")
    assert all(cue.stance != "opposes" for cue in stances(text))
    text = ("South Korea's Unification Ministry said it was closely monitoring the case and had asked Beijing "
            "to ensure the family was not forcibly repatriated against their will.")
    assert [cue.stance for cue in stances(text)] == ["opposes"]


@pytest.mark.parametrize("text, found", [
    ("The father, mother and their two daughters were stopped at a ticket barrier in Yanji.", [("arrest", 4)]),
    ("In March 2008 Jeong first crossed the Tumen River with her younger sister.", [("escape", 2)]),
    ("She was held for 47 days in Tumen before being handed across the bridge into North Korea, together "
     "with some thirty other North Koreans.", [("detention", 1), ("repatriation", 31)]),
    ("He was pulled off a bus at a police checkpoint outside Kunming.", [("arrest", 1)]),
    ("They were moved by train under guard to the border city of Tumen.", [("transfer", None)]),
])
def test_lists_companions_and_handovers(text, found):
    assert [(cue.type, cue.count) for cue in incidents(text)] == found


@pytest.mark.parametrize("text, counts", [
    ("This year the ministry recorded 38 arrivals in the first quarter and 51 in the second, "
     "bringing the total for the first half to 89.", [38, 51, 89]),
    ("Arrivals fell to 231 in 2020 and to just 61 the year after that.", [231, 61]),
    ("The North Koreans were arrested between July 15 and 17, 20 of them in Qingdao and nine in Kunming.", [20, 9]),
])
def test_figures_in_a_row_are_events_of_their_periods(text, counts):
    assert [cue.count for cue in incidents(text)] == counts


@pytest.mark.parametrize("text, found", [
    ("She and a 16-year-old boy travelling with her were stopped at a Lao police checkpoint.", [("arrest", 2)]),
    ("Two North Korean soldiers crossed the heavily fortified Demilitarized Zone into South Korea.", [("escape", 2)]),
    ("In July 2002 she was deported to South Korea.", [("transfer", 1)]),
    ("On Feb. 5 they were driven back to the border and handed to Chinese officers at the crossing.",
     [("transfer", None)]),
    ("A woman who spent eight months in a detention centre in Shenyang was released last week and "
     "allowed to travel to Seoul.", [("detention", 1), ("release", 1), ("transfer", 1)]),
    ("A third soldier was shot by guards and is presumed dead.", [("death", 1)]),
])
def test_moves_abroad_companions_and_deaths(text, found):
    assert [(cue.type, cue.count) for cue in incidents(text)] == found


@pytest.mark.parametrize("text, found", [
    ("China sent back at least 387 North Koreans over the year, up from roughly 260 in 2023 and just 41 in 2022.",
     [("repatriation", 387, None), ("repatriation", 260, "in 2023"), ("repatriation", 41, "in 2022")]),
    ("Police raided her flat and arrested her, along with three North Korean women.", [("arrest", 4, None)]),
    ("The man and woman, aged 41 and 36, were detained on February 24 in Mong Cai.", [("arrest", 2, "on February 24")]),
    ("Twenty-one people were walked across the bridge into Namyang on Monday.", [("repatriation", 21, "on Monday")]),
    ("Police apprehended about 1,150 suspected North Korean border-crossers in 2024.", [("arrest", 1150, "in 2024")]),
])
def test_counts_beside_comparisons_and_companions(text, found):
    assert [(cue.type, cue.count, cue.date_text) for cue in incidents(text)] == found


def test_a_count_in_the_next_clause_is_not_the_holding_s():
    text = ("He was held for about five weeks at a detention centre in Dandong, and just before Christmas "
            "he and eleven other detainees were driven across the bridge.")
    held = [cue for cue in incidents(text) if cue.type == "detention"]
    assert [cue.count for cue in held] == [1]


@pytest.mark.parametrize("text, found", [
    ("Rights groups estimate that about 600 were sent back in a single night last October.", [("repatriation", 600)]),
    ("The pair had left North Korea that January.", [("escape", 2)]),
    ("In late March, five North Koreans who had been arrested in Shenyang were handed over to the North.",
     [("arrest", 5), ("repatriation", 5)]),
    ("A family of four arrested in Dandong in 2019 was, by one account, released after a relative intervened.",
     [("arrest", 4), ("release", 4)]),
    ("He fled in May 2024, was arrested in Yanji three weeks later and was sentenced by a court there to a year "
     "in prison.", [("escape", 1), ("arrest", 1), ("trial", 1)]),
    ("In April she was sentenced, in a proceeding her family learned of only later, to five years in the camp "
     "at Jongori.", [("trial", 1), ("detention", 1)]),
])
def test_numbers_pairs_earlier_events_and_asides(text, found):
    assert [(cue.type, cue.count) for cue in incidents(text)] == found


def test_the_group_named_again_after_a_split_by_place_is_the_whole_group():
    text = ("Police rounded up 29 North Korean defectors last month. "
            "They were arrested on July 15, 20 of them in Qingdao and nine in Kunming. "
            "The North Koreans were taken to a detention center in Tumen.")
    moved = [cue for cue in incidents(text) if cue.type == "transfer"]
    assert [cue.count for cue in moved] == [29]
