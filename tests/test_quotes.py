"""Quote spans and speakers found by code (summarizer.quotes).

Every fixture is a sentence written for these tests; names are invented.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from summarizer.quotes import QuoteCandidate, find_quotes

MARKS = "\"'“”‘’«»「」『』"


def _check_offsets(text: str, found: list[QuoteCandidate], marks_outside: bool = True) -> None:
    for quote in found:
        assert text[quote.start:quote.end] == quote.text
        assert quote.text and quote.text == quote.text.strip()
        if marks_outside:
            assert quote.text[:1] not in MARKS and quote.text[-1:] not in MARKS


def _only(text: str) -> QuoteCandidate:
    found = find_quotes(text)
    _check_offsets(text, found)
    assert len(found) == 1, found
    return found[0]


# id, article, quote text, kind, speaker, role, attribution
PATTERNS = [
    ("said-after straight", '"We will not send them back," Kim Min-jun said.',
     "We will not send them back", "direct", "Kim Min-jun", None, "said-after"),
    ("said-after curly", "“We will not send them back,” Kim Min-jun said.",
     "We will not send them back", "direct", "Kim Min-jun", None, "said-after"),
    ("said NAME, ROLE", '"China must honour its obligations," said Sophie Park, Asia researcher at Amnesty International.',
     "China must honour its obligations", "direct", "Sophie Park", "Asia researcher at Amnesty International",
     "said-after"),
    ("NAME, ROLE, said", "“China must honour its obligations,” Sophie Park, Asia researcher at Amnesty International, "
     "said on Monday.", "China must honour its obligations", "direct", "Sophie Park",
     "Asia researcher at Amnesty International", "said-after"),
    ("ROLE NAME said", "“The families are terrified,” Unification Ministry spokeswoman Lee Eun-ji said.",
     "The families are terrified", "direct", "Lee Eun-ji", "Unification Ministry spokeswoman", "said-after"),
    ("NAME said: colon", 'Lee Eun-ji said: "The families are terrified."',
     "The families are terrified.", "direct", "Lee Eun-ji", None, "colon"),
    ("NAME said ... partial", 'Foreign Ministry spokesman Cho Tae-young said Seoul was "watching closely" the case.',
     "watching closely", "partial", "Cho Tae-young", "Foreign Ministry spokesman", "said-before"),
    ("according to", 'Returnees are "routinely beaten and starved in holding centres," according to Human Rights Watch.',
     "routinely beaten and starved in holding centres", "partial", "Human Rights Watch", None, "according-to"),
    ("told Reuters", 'Pastor Chun Ki-won told Reuters: "They were caught at the border."',
     "They were caught at the border.", "direct", "Chun Ki-won", "Pastor", "told"),
    ("told after", "“They were caught at the border,” Chun Ki-won told reporters.",
     "They were caught at the border", "direct", "Chun Ki-won", None, "told"),
    ("wrote", '"Nobody deserves a labour camp," the activist Ji Seong-ho wrote on Twitter.',
     "Nobody deserves a labour camp", "direct", "Ji Seong-ho", "activist", "said-after"),
    ("warned", 'Kang Eun-hye warned that China would be "complicit in torture and worse" if it went ahead.',
     "complicit in torture and worse", "partial", "Kang Eun-hye", None, "said-before"),
    ("the organization", 'Amnesty International urged Beijing to free the group. "Those returned face torture," '
     "the organization said.", "Those returned face torture", "direct", "Amnesty International", None, "said-after"),
    ("the ministry", "The Unification Ministry in Seoul confirmed the arrests. “We are in contact with the Chinese "
     "side,” the ministry said.", "We are in contact with the Chinese side", "direct", "Unification Ministry", None,
     "said-after"),
    ("anonymous source", 'A diplomat at the Canadian embassy in Seoul told reporters: "The request is under review."',
     "The request is under review.", "direct", "A diplomat at the Canadian embassy in Seoul", None, "told"),
    ("the source", 'A senior source told Yonhap the group was held in Dandong. "They were taken at night," the source said.',
     "They were taken at night", "direct", "A senior source", None, "said-after"),
    ("NAME of ORG", 'Paul Carter of Human Rights Watch said: "Beijing knows what awaits them."',
     "Beijing knows what awaits them.", "direct", "Paul Carter", "Human Rights Watch", "colon"),
    ("accented name", 'José Ramos-Horta said: "Nobody should be returned to torture."',
     "Nobody should be returned to torture.", "direct", "José Ramos-Horta", None, "colon"),
    ("Korean text before", '서울 (연합뉴스) — Seoul urged Beijing to act. "Forced repatriation must stop," '
     "Foreign Minister Park Jin said.", "Forced repatriation must stop", "direct", "Park Jin", "Foreign Minister",
     "said-after"),
    ("caption dash", "'Stay home and stay safe.' - Governor Kim Dong-yeon in a broadcast.",
     "Stay home and stay safe.", "direct", "Kim Dong-yeon", "Governor", "said-after"),
    ("the descriptor before a name", '"We were betrayed," the defector Kim Young-il said.',
     "We were betrayed", "direct", "Kim Young-il", None, "said-after"),
    ("abbreviated title, NAME of PLACE", "“Schools will stay closed,” Gov. Kim Dong-yeon of Gangwon announced.",
     "Schools will stay closed", "direct", "Kim Dong-yeon", "Gov.", "said-after"),
    ("title with 'of' in it", '"The permit was withdrawn," City of Sokcho spokeswoman Park Mi-ran told reporters.',
     "The permit was withdrawn", "direct", "Park Mi-ran", "City of Sokcho spokeswoman", "told"),
    ("participle after a name", 'The debate went on, with lawmaker Ha Tae-min saying the policy was "a disgrace to the '
     'country".', "a disgrace to the country", "partial", "Ha Tae-min", "lawmaker", "said-before"),
    ("participle after a comma", "Speaking at the Blue House, Moon Hee-sang defended the plan, insisting it would "
     "“save lives in the long run”.", "save lives in the long run", "partial", "Moon Hee-sang", None, "said-before"),
    ("owner's body", "Japan’s foreign ministry said the case would be handled “in line with international norms”.",
     "in line with international norms", "partial", "Japan’s foreign ministry", None, "said-before"),
    ("relative clause after the speaker", 'The activist who filmed the arrest told reporters: "They were dragged onto '
     'a bus."', "They were dragged onto a bus.", "direct", "The activist", None, "told"),
    ("owner and initial", "\"The talks are over,\" wrote Hankyoreh's Min J. Ahn.",
     "The talks are over", "direct", "Min J. Ahn", None, "said-after"),
    ("a document is kept as written", 'Seoul-based group NK Watch released new figures. "Most returnees are held for '
     'months," the report says.', "Most returnees are held for months", "direct", "the report", None, "said-after"),
]


@pytest.mark.parametrize("article, text, kind, speaker, role, attribution",
                         [case[1:] for case in PATTERNS], ids=[case[0] for case in PATTERNS])
def test_reported_speech_patterns(article, text, kind, speaker, role, attribution):
    quote = _only(article)
    assert (quote.text, quote.kind, quote.speaker, quote.speaker_role, quote.attribution) == \
           (text, kind, speaker, role, attribution)


# id, article, [(quote text, speaker, attribution), ...]
SEQUENCES = [
    ("he said / he added",
     'Lee Young-min, a former military adviser, spoke to the paper from Toronto.\n\n'
     '"I will be killed if I am sent back," he said. "They tried it once before," he added.',
     [("I will be killed if I am sent back", "Lee Young-min", "pronoun"),
      ("They tried it once before", "Lee Young-min", "pronoun")]),
    ("she added skips an object after He",
     "Choi Su-min said the talks had stalled.\n\nShe met Chinese envoy Wang Lei on Friday.\n\n"
     "“We will keep trying,” she added.",
     [("We will keep trying", "Choi Su-min", "pronoun")]),
    ("continuation in the paragraph", '"We fled at night," Kim Soo-ah said. "The guards did not see us."',
     [("We fled at night", "Kim Soo-ah", "said-after"), ("The guards did not see us.", "Kim Soo-ah", "continuation")]),
    ("continuation in the next paragraph", '"We fled at night," Kim Soo-ah said.\n\n"The guards did not see us."',
     [("We fled at night", "Kim Soo-ah", "said-after"), ("The guards did not see us.", "Kim Soo-ah", "continuation")]),
    ("quote over two paragraphs, attribution first",
     "Kim Soo-ah said: “We crossed the river in January.\n\n“Then the police came for us.”",
     [("We crossed the river in January.", "Kim Soo-ah", "colon"),
      ("Then the police came for us.", "Kim Soo-ah", "continuation")]),
    ("quote over two paragraphs, attribution last",
     "“We crossed the river in January.\n\n“Then the police came for us,” said Kim Soo-ah.",
     [("We crossed the river in January.", "Kim Soo-ah", "continuation"),
      ("Then the police came for us", "Kim Soo-ah", "said-after")]),
    ("she repeated ... and said",
     'Lim Soo-jin said she had no details. She repeated that the women were "illegal migrants" and said China acts '
     '"in accordance with the law and humanitarian principles".',
     [("illegal migrants", "Lim Soo-jin", "pronoun"),
      ("in accordance with the law and humanitarian principles", "Lim Soo-jin", "pronoun")]),
    ("quote after reported speech",
     'Lee Jin-ho said the guards feared their own officers.\n\n"Everyone knew someone who had been sent away."',
     [("Everyone knew someone who had been sent away.", "Lee Jin-ho", "continuation")]),
    ("one user ... another asked",
     "“Is this not too cruel?” one user said, while another asked, “Where is the mercy?”",
     [("Is this not too cruel?", "one user", "said-after"), ("Where is the mercy?", "another", "said-before")]),
]


@pytest.mark.parametrize("article, expected", [case[1:] for case in SEQUENCES], ids=[case[0] for case in SEQUENCES])
def test_speaker_carries_over(article, expected):
    found = find_quotes(article)
    _check_offsets(article, found)
    assert [(q.text, q.speaker, q.attribution) for q in found] == expected


def test_role_stated_earlier_is_reused():
    article = ('Lee Young-min, a former military adviser, spoke from Toronto.\n\n'
               '"I will be killed if I am sent back," Lee told the Star.')
    quote = _only(article)
    assert (quote.speaker, quote.speaker_role, quote.attribution) == ("Lee", "former military adviser", "told")


def test_multi_paragraph_pieces_are_separate_and_exact():
    article = "Kim Soo-ah said: “We crossed the river in January.\n\n“Then the police came for us.”"
    first, second = find_quotes(article)
    assert first.end <= article.index("\n\n") < second.start
    assert first.kind == second.kind == "direct"


def test_nested_single_quotes_stay_in_the_outer_quote():
    article = "“He told me ‘you will never see your family again,’ and then he left,” said Kim Hye-sook."
    quote = _only(article)
    assert quote.text == "He told me ‘you will never see your family again,’ and then he left"
    assert quote.speaker == "Kim Hye-sook"


def test_nested_straight_quotes_and_possessive_speaker():
    article = "\"He shouted 'stop' at us,\" the guard's wife said."
    quote = _only(article)
    assert (quote.text, quote.speaker) == ("He shouted 'stop' at us", "the guard's wife")


@pytest.mark.parametrize("article", [
    "Korea's border guards don't take bribes the way they did in the '90s, the defectors' lawyer said.",
    "China’s police won’t say where the defectors’ children are held.",
    "It's the '80s all over again, rock 'n' roll included.",
])
def test_apostrophes_are_not_quotes(article):
    assert find_quotes(article) == []


def test_single_quotes_around_apostrophes():
    article = "'We won't go back to Korea's camps,' the defectors' lawyer said."
    quote = _only(article)
    assert (quote.text, quote.speaker, quote.kind) == ("We won't go back to Korea's camps", "the defectors' lawyer",
                                                       "direct")


@pytest.mark.parametrize("article", [
    'Returnees are held in so-called "re-education" camps near the border.',
    'A North Korean man known as "Park" said he paid a broker.',
    "Defectors call him the 'Dear Leader' even now.",
    "Her memoir, 'The Girl With Seven Names', sold well.",
])
def test_scare_quotes_and_titles_are_not_returned(article):
    assert find_quotes(article) == []


def test_unattributed_quote_comes_with_candidates():
    article = ('Kim Jong-un and Moon Jae-in met in April. "The border is a place of fear and hunger for many," '
               "the banner read.")
    quote = _only(article)
    assert (quote.speaker, quote.speaker_role, quote.attribution) == (None, None, "none")
    assert quote.candidates == ("Moon Jae-in", "Kim Jong-un")


def test_candidates_are_capped():
    names = ", ".join(f"{first} {last}" for first, last in zip(
        ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon"],
        ["Min-ho", "Ji-woo", "Seo-yeon", "Ha-eun", "Do-yun", "Eun-woo", "Si-woo", "Ye-jin"]))
    article = f'{names} attended the rally. "We want our families back and we want them back now," a banner read.'
    assert len(_only(article).candidates) == 6


def test_unbalanced_mark_does_not_swallow_the_article():
    article = ('The "ministry said nothing that week.\n\n'
               'Later Kim Min-ji spoke to reporters. "We are afraid of the police," she said.')
    quote = _only(article)
    assert (quote.text, quote.speaker) == ("We are afraid of the police", "Kim Min-ji")


def test_headline_quote_repeated_in_body_is_skipped():
    article = 'Defector says "we were betrayed"\n\n"We were betrayed," the defector Kim Young-il said.'
    quote = _only(article)
    assert quote.start > article.index("\n\n")
    assert quote.speaker == "Kim Young-il"


@pytest.mark.parametrize("article, text", [
    ("外交部发言人说：「中方将依法处理。」", "中方将依法处理。"),
    ("他说：『我们不会回去。』", "我们不会回去。"),
    ('정부는 "탈북자 강제송환을 중단하라"고 밝혔다.', "탈북자 강제송환을 중단하라"),
    ("« Nous ne renverrons personne », a déclaré le ministre.", "Nous ne renverrons personne"),
])
def test_other_scripts_and_marks(article, text):
    assert _only(article).text == text


def test_candidate_is_frozen():
    quote = _only('"We will not send them back," Kim Min-jun said.')
    with pytest.raises(dataclasses.FrozenInstanceError):
        quote.speaker = "someone else"  # type: ignore[misc]


def test_random_text_never_breaks_offsets():
    # Scraped text is messy: stray marks, apostrophes and breaks anywhere must not crash or misplace a span.
    pieces = ["Kim Min-jun", "said", "the", "group", "was", "arrested", ",", ".", "\n", "\n\n", "'", '"', "“", "”",
              "‘", "’", "«", "»", "「", "」", "don't", "Korea's", "he added", ":", "탈북자", "according to", "Beijing"]
    rng = random.Random(20240505)
    for _ in range(400):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        _check_offsets(text, find_quotes(text), marks_outside=False)


# -- pronouns across long quotations and reported speech ------------------------------
def test_she_reaches_back_over_a_long_quotation_to_the_person_named():
    article = (
        "Han Soo-jin was sent back in 2015.\n\n"
        "\u201cThey asked the same questions every day. Who did you meet. Where did you pray. What did you "
        "read. Why did you leave. Who paid. Who helped. Who else is there. I said nothing.\u201d\n\n"
        "She was released two years later, thin and ill. \u201cI weighed 40 kilos,\u201d she said.\n"
    )
    last = find_quotes(article)[-1]
    assert (last.text, last.speaker) == ("I weighed 40 kilos", "Han Soo-jin")


def test_she_is_the_one_told_not_the_teller():
    article = (
        "Lim Ha-na has not heard from her brother since June. He was caught in Dandong, a cousin told her, "
        "and she has heard nothing since.\n\n"
        "\u201cI look for his name in every list,\u201d she said.\n"
    )
    assert find_quotes(article)[0].speaker == "Lim Ha-na"


def test_a_quotation_introduced_by_the_paragraph_before_takes_its_speaker():
    article = (
        "Kwon Mi-ra spent a year in a camp near Chongjin. What happened there she describes slowly.\n\n"
        "\u201cWe dug from dawn. Nobody spoke.\u201d\n"
    )
    assert find_quotes(article)[0].speaker == "Kwon Mi-ra"


def test_a_dateline_is_never_the_speaker():
    article = ('NEW YORK/BEIJING - A United Nations human rights expert on Tuesday called on China to stop the '
               'returns, saying those sent back face "a near certainty of serious abuse".\n')
    speaker = find_quotes(article)[0].speaker
    assert speaker and "NEW YORK" not in speaker


def test_interview_answers_are_the_interviewees():
    text = (
        "Pak Hye-ran spent four years in a camp. We spoke to her in Seoul.\n\n"
        "“I never thought I would leave,” Pak said.\n\n"
        "Q: How were you caught?\n\n"
        "“A neighbour told the police. They came at night.”\n\n"
        "Q: What happened next?\n\n"
        "“They drove us to the border in a van.”\n"
    )
    found = find_quotes(text)
    _check_offsets(text, found)
    assert [q.speaker for q in found] == ["Pak", "Pak", "Pak"]


def test_without_questions_a_lone_quotation_stays_unattributed():
    text = "Pak Hye-ran said she was afraid.\n\nThe camp was closed in 2019.\n\n“A neighbour told the police.”\n"
    assert find_quotes(text)[-1].speaker is None


def test_a_place_where_things_are_is_never_it_that_says():
    text = ("The Border Lines Institute published its report on Monday.\n\n"
            "In 2024 the institute counted 480 returns from facilities in Jilin and Liaoning provinces, "
            "a figure it describes as “a new normal rather than a one-off”.")
    assert _only(text).speaker == "Border Lines Institute"


def test_a_role_then_the_name_in_apposition_names_the_speaker():
    text = ("“Our position is clear,” a ministry spokesperson, Yoon Ji-soo, told reporters.\n\n"
            "\"Brokers are a symptom,\" said the group's chairwoman, Oh Geum-ja.")
    assert [(q.speaker, q.speaker_role) for q in find_quotes(text)] == [
        ("Yoon Ji-soo", "a ministry spokesperson"), ("Oh Geum-ja", "the group's chairwoman")]


def test_she_is_never_the_man():
    text = ("The man who bought Jeong, a farmer eleven years older than her, lived outside Jixi. "
            "\"He was not a bad man,\" she says.")
    assert _only(text).speaker != "The man"
