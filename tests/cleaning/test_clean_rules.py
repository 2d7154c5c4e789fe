"""Every boilerplate rule: examples it removes, and article text that looks close but stays.

All text here is invented for these tests. Each removal example is put between two article
paragraphs; the test checks that exactly that block goes, by that rule, and that the article
paragraphs stay word for word.
"""

from __future__ import annotations

import pytest

from summarise_agent.cleaning import clean_document, load_rules
from summarise_agent.cleaning.boilerplate import remove_boilerplate
from summarise_agent.cleaning.rules import RulesFileError

OPENING = (
    "Negotiators from both countries met in Geneva on Tuesday to resume talks on the "
    "disputed border, officials said."
)
CLOSING = "The foreign minister said a second round of talks would follow in March."

# (rule id, boilerplate block): the block must be removed, by that rule, as a whole.
REMOVED: list[tuple[str, str]] = [
    ("no-words", "* * *"),
    ("no-words", "•"),
    ("advertisement", "Advertisement"),
    ("advertisement", "Story continues below advertisement"),
    ("advertisement", "Continue reading the main story"),
    ("share-prompt", "Share this article"),
    ("share-prompt", "Facebook Twitter Email"),
    ("share-prompt", "Share on WhatsApp"),
    ("share-prompt", "Enjoyed this story? Share it with your friends!"),
    ("social-follow", "Follow us on Twitter and Facebook for the latest updates."),
    ("social-follow", "Follow The Daily Ledger on Instagram, Facebook and X."),
    ("social-follow", "Follow our full coverage of the border talks at example.com/talks"),
    ("newsletter-signup", "Sign up for our Morning Briefing newsletter"),
    ("newsletter-signup", "Get the top stories delivered to your inbox every morning."),
    ("newsletter-signup", "Thanks for signing up!"),
    ("newsletter-signup", "There was a problem subscribing you to this newsletter."),
    ("newsletter-signup", "The Morning Briefing Newsletter"),
    (
        "newsletter-signup",
        "Never miss a story: sign up for our weekly politics newsletter here.",
    ),
    ("subscription-upsell", "Already a subscriber? Log in"),
    ("subscription-upsell", "Subscribe now for only £1 a week"),
    ("subscription-upsell", "Choose the subscription that is right for you"),
    (
        "donation-appeal",
        "Dear readers, we are a small independent newsroom and we rely on your support. "
        "Please support us today with a donation of any size. Remind me later.",
    ),
    (
        "donation-appeal",
        "If you value our reporting, please consider making a monthly contribution. "
        "It takes a minute and keeps our journalism free for everyone.",
    ),
    (
        "donation-appeal",
        "We notice you are using an ad blocker. Advertising keeps our journalism going: "
        "please disable your ad blocker or become a member.",
    ),
    (
        "cookie-notice",
        "We use cookies to give you the best experience on our website. By continuing to "
        "browse, you agree to our use of cookies.",
    ),
    (
        "cookie-notice",
        "This site uses cookies to analyse traffic and personalise content. Accept all",
    ),
    ("comment-prompt", "Leave a comment"),
    ("comment-prompt", "24 comments"),
    ("comment-prompt", "Join the conversation"),
    ("comment-prompt", "Comments are closed for this article."),
    ("related-links", "Read more: Fishing quotas cut for third year"),
    ("related-links", "RELATED: Border talks stall over river access"),
    ("related-links", "Also on example.com: Ministers clash over budget"),
    ("copyright-footer", "© 2024 Example Media Group. All rights reserved."),
    ("copyright-footer", "Copyright 2023 The Daily Ledger"),
    ("copyright-footer", "copyright Example Magazine 2024 - ISSN: 1234-5678"),
    (
        "copyright-footer",
        "This material may not be published, broadcast, rewritten or redistributed.",
    ),
    ("contributor-credit", "(Reporting by Anna Berg; Editing by Tom Reed)"),
    ("contributor-credit", "Sam Okafor contributed reporting from Lagos."),
    ("contributor-credit", "Additional reporting by Lena Fischer"),
    ("byline", "By Jane Doe | Political Correspondent"),
    ("byline", "By Jane Doe and Omar Haddad"),
    ("byline", "By Jane Doe, Diplomatic Editor"),
    ("metadata-line", "Published: March 3, 2024 at 9:15 am | Updated: March 3, 2024 at 11:02 am"),
    ("metadata-line", "2024-03-03T09:15:00+01:00"),
    ("metadata-line", "Tuesday 3 March 2024 09:15 GMT"),
    ("metadata-line", "5 min read"),
    ("metadata-line", "Tags: border talks, diplomacy, Geneva"),
    ("photo-credit", "Photo: Maria Lopez/Example Agency"),
    ("photo-credit", "Image copyright Getty Images"),
    ("photo-credit", "Reuters"),
    ("call-to-action", "Click here to read the full report"),
    ("call-to-action", "Download the Daily Ledger app for breaking news alerts"),
    (
        "affiliate-disclosure",
        "If you buy something through links on this page, we may earn a small commission.",
    ),
    ("affiliate-disclosure", "This article contains affiliate links."),
    ("contact-link", "jane.doe@example.com"),
    ("contact-link", "twitter.com/janedoe"),
    ("contact-link", "Listen: https://example.com/podcast/episode-12"),
    ("page-furniture", "Skip to main content"),
    ("page-furniture", "Back to top"),
    ("page-furniture", "Learn more I agree X"),
    ("donation-appeal", "Remind me later"),
]

# (rule id, boilerplate block) found after the article's last paragraph, where lists of links
# to other articles usually are; the block must be removed as a whole.
TRAILING: list[tuple[str, str]] = [
    (
        "related-section",
        "Related stories\nFishing quotas cut for third year\nBorder talks stall over river access",
    ),
    (
        "related-section",
        "You may also like\nMinister resigns over expenses row\nNew bridge opens to traffic",
    ),
    ("related-section", "Most popular\nStorm closes harbour\nCouncil approves new budget"),
    ("related-section", "Read more:\n- Storm closes harbour\n- Council approves new budget"),
]

# Article text near some rule's patterns: none of it may be removed.
KEPT: list[str] = [
    "Share prices fell sharply after the announcement, traders said.",
    "By Tuesday, Labour had won the vote in the Commons.",
    "By Royal Navy standards, the patrol was short.",
    "Published in 2003, the report found that ministers had ignored warnings.",
    "Updated figures from the treasury show the deficit narrowing.",
    "Copyright law changes were debated by MPs in 2005.",
    "Reporting by the committee found that ministers had misled parliament.",
    "Google uses cookies to track users, the regulator said.",
    "The party needs your support, he told voters, urging them to donate.",
    "Follow the money, the senator said.",
    "Follow-up talks on trade will be held on Twitter's former campus.",
    "Sign up rates for the scheme doubled last year.",
    "The minister said more than 20 comments had been received during consultation.",
    "Read the full statement on the ministry's website, the spokesman said.",
    "Photographs taken at the scene show the damage to the bridge.",
    "The report is available at https://www.example.gov/report-2024",
    "Thank you to everyone who voted, the candidate said.",
    "More than 200 people attended the rally.",
    "Click the link in the email, the scammers told victims.",
    "Subscribers to the scheme will pay less from April.",
    "She said she had been reading more about the case since 2019.",
    "Related industries, such as fishing, will also be affected.",
    "Dear readers of the treaty text will notice the omission, he wrote.",
]


def clean(text: str) -> tuple[str, list[tuple[str, str]]]:
    document = clean_document(text.encode("utf-8"), "article.txt")
    return document.text, [(removal.rule, removal.text) for removal in document.removed]


@pytest.mark.parametrize(
    ("rule_id", "block"), REMOVED, ids=[f"{r}-{i}" for i, (r, _) in enumerate(REMOVED)]
)
def test_rule_removes_its_boilerplate_and_nothing_else(rule_id: str, block: str) -> None:
    text, removed = clean(f"{OPENING}\n\n{block}\n\n{CLOSING}\n")
    assert removed == [(rule_id, block)]
    assert text == f"{OPENING}\n\n{CLOSING}\n"


@pytest.mark.parametrize(("rule_id", "block"), TRAILING)
def test_rule_removes_its_trailing_boilerplate(rule_id: str, block: str) -> None:
    text, removed = clean(f"{OPENING}\n\n{CLOSING}\n\n{block}\n")
    assert removed == [(rule_id, block)]
    assert text == f"{OPENING}\n\n{CLOSING}\n"


@pytest.mark.parametrize("sentence", KEPT)
def test_article_sentences_near_a_rule_are_kept(sentence: str) -> None:
    text, removed = clean(f"{OPENING}\n\n{sentence}\n\n{CLOSING}\n")
    assert removed == []
    assert text == f"{OPENING}\n\n{sentence}\n\n{CLOSING}\n"
    assert sentence in text


@pytest.mark.parametrize(("rule_id", "block"), [case for case in REMOVED if "\n" not in case[1]])
def test_rules_also_fire_in_text_pasted_without_blank_lines(rule_id: str, block: str) -> None:
    text, removed = clean(f"{OPENING}\n{block}\n{CLOSING}\n")
    assert removed == [(rule_id, block)]
    assert text == f"{OPENING}\n\n{CLOSING}\n"


def test_multi_paragraph_appeal_is_removed_whole() -> None:
    appeal = [
        "Dear readers,",
        "Our reporting is independent journalism, and we rely on readers like you.",
        "Please support us today with a one-off donation.",
    ]
    text, removed = clean("\n\n".join([OPENING, *appeal, CLOSING]) + "\n")
    assert removed == [("donation-appeal", "\n".join(appeal))]
    assert text == f"{OPENING}\n\n{CLOSING}\n"


def test_one_donation_signal_alone_is_not_enough() -> None:
    sentence = "The charity said it would make a donation to the flood appeal."
    text, removed = clean(f"{OPENING}\n\n{sentence}\n\n{CLOSING}\n")
    assert removed == []
    assert text == f"{OPENING}\n\n{sentence}\n\n{CLOSING}\n"


def test_related_section_stops_at_the_first_prose_line() -> None:
    text, removed = clean(
        f"{OPENING}\n\nRead more\nBorder talks stall\nStorm closes harbour\n"
        f"{CLOSING}\nA final sentence follows here.\n"
    )
    assert removed == [("related-section", "Read more\nBorder talks stall")]
    assert f"Storm closes harbour\n{CLOSING}" in text
    assert "A final sentence follows here." in text


def test_a_short_line_right_before_prose_is_kept_as_its_headline() -> None:
    """A list of links above an article must not swallow the article's own headline."""
    article = f"Talks resume in Geneva\n\n{OPENING}\n\n{CLOSING}\n"
    text, removed = clean(f"You may also like\nStorm closes harbour\n\n{article}")
    assert removed == [("related-section", "You may also like\nStorm closes harbour")]
    assert text == article


def test_long_lines_are_never_taken_by_a_line_rule() -> None:
    long_line = "Share " + " ".join(["this"] * 40)
    text, removed = clean(f"{OPENING}\n\n{long_line}\n\n{CLOSING}\n")
    assert removed == []
    assert long_line in text


def _run(paragraph_count: int, words: int) -> list[list[str]]:
    return [[f"Paragraph {n} " + "word " * words + "ends here."] for n in range(paragraph_count)]


def test_duplicate_rule_removes_a_repeated_run_of_paragraphs() -> None:
    rules = [rule for rule in load_rules() if rule.id == "duplicate-paragraph"]
    page = _run(4, 12)
    kept, removed = remove_boilerplate([*page, ["Something else entirely."], *page], rules)
    assert kept == [*page, ["Something else entirely."]]
    assert [removal.rule for removal in removed] == ["duplicate-paragraph"]


def test_duplicate_rule_keeps_a_single_repeated_paragraph() -> None:
    """An interviewer's recurring question is the article's own text."""
    rules = [rule for rule in load_rules() if rule.id == "duplicate-paragraph"]
    question = ["What inspired you to start the project, and who helped you most?"]
    paragraphs = [question, ["Answer one."], question, ["Answer two."], question]
    kept, removed = remove_boilerplate(paragraphs, rules)
    assert kept == paragraphs and removed == []


def test_headline_rule_needs_the_title_and_only_takes_the_first_paragraph() -> None:
    rules = [rule for rule in load_rules() if rule.id == "headline"]
    paragraphs = [["Talks resume in Geneva"], [OPENING], ["Talks resume in Geneva"]]
    assert remove_boilerplate(paragraphs, rules)[0] == paragraphs
    kept, removed = remove_boilerplate(paragraphs, rules, title="Talks resume in Geneva | Ledger")
    assert kept == paragraphs[1:]
    assert [(r.rule, r.text) for r in removed] == [("headline", "Talks resume in Geneva")]


def test_every_rule_in_the_rules_file_has_examples_here() -> None:
    tested = {rule_id for rule_id, _ in REMOVED + TRAILING} | {"duplicate-paragraph", "headline"}
    assert {rule.id for rule in load_rules()} == tested


def test_every_rule_has_an_id_a_description_and_something_to_match() -> None:
    for rule in load_rules():
        assert rule.description and rule.id
        assert rule.patterns or rule.signals or rule.kind in ("duplicate", "headline")


@pytest.mark.parametrize(
    ("toml", "complaint"),
    [
        ("", "no \\[\\[rule\\]\\] tables"),
        ("[[rule]]\nid = 'x'\nkind = 'line'\ndescription = 'd'\npatterns = ['(']", "bad regex"),
        ("[[rule]]\nid = 'x'\nkind = 'line'\ndescription = 'd'\npattern = ['a']", "unknown keys"),
        ("[[rule]]\nid = 'x'\nkind = 'fuzzy'\ndescription = 'd'\npatterns = ['a']", "kind"),
        ("[[rule]]\nid = 'x'\nkind = 'line'\npatterns = ['a']", "description"),
        ("[[rule]]\nid = 'x'\nkind = 'line'\ndescription = 'd'", "needs patterns"),
        (
            "[[rule]]\nid = 'x'\nkind = 'line'\ndescription = 'd'\npatterns = ['a']\n" * 2,
            "duplicate rule ids",
        ),
        ("[[rule]]\nid = 'Bad Id'\nkind = 'line'\ndescription = 'd'\npatterns = ['a']", "id"),
    ],
)
def test_a_malformed_rules_file_fails_loudly(toml: str, complaint: str) -> None:
    with pytest.raises(RulesFileError, match=complaint):
        load_rules(toml)
