"""clean_document end to end: encodings, refusals, normal form, HTML, Markdown, stdin.

Every article text here is invented for these tests.
"""

from __future__ import annotations

import codecs
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from summarise_agent.cleaning import DEFAULT_MAX_BYTES, CleanedDocument, clean_document
from summarise_agent.errors import (
    BinaryInput,
    EmptyInput,
    InputError,
    InputTooLarge,
    NoArticleFound,
    UndecodableInput,
)

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE_HTML = FIXTURES / "border-talks.html"

FRENCH = (
    "Le ministre a déclaré à Genève : « Nous n'accepterons pas ce quota. »\n\n"
    "La délégation française a proposé une commission mixte pour la pêche côtière.\n"
)
CP1252_TEXT = "The minister\u2019s \u201cfinal\u201d offer \u2014 worth \u20ac5m \u2014 was rejected by Señor García.\n"


def clean(data: bytes, name: str = "article.txt", **options: object) -> CleanedDocument:
    return clean_document(data, name, **options)  # type: ignore[arg-type]


# ------------------------------------------------------------------ encodings
@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (FRENCH.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf-8"),
        (FRENCH.encode("utf-16"), "utf-16-le"),  # Python writes a BOM
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), "utf-16-be"),
        (FRENCH.encode("utf-16-le"), "utf-16-le"),  # no BOM: found by its NUL pattern
        (FRENCH.encode("utf-32"), "utf-32-le"),
        (FRENCH.encode("latin-1"), "cp1252"),
        (FRENCH.encode("cp1252"), "cp1252"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16-bom",
        "utf16be-bom",
        "utf16le-no-bom",
        "utf32",
        "latin1",
        "cp1252",
    ],
)
def test_encodings_are_detected_and_decoded(data: bytes, encoding: str) -> None:
    document = clean(data)
    assert document.text == FRENCH
    assert document.encoding == encoding


def test_cp1252_punctuation_is_decoded_as_windows_1252() -> None:
    document = clean(CP1252_TEXT.encode("cp1252"))
    assert document.text == CP1252_TEXT
    assert document.encoding == "cp1252"


def test_declared_charset_of_the_media_type_is_used() -> None:
    data = "Ministers met in Zürich to discuss the Øresund toll.\n".encode("iso-8859-1")
    document = clean(data, "stdin", media_type="text/plain; charset=ISO-8859-1")
    assert document.text == "Ministers met in Zürich to discuss the Øresund toll.\n"


def test_html_meta_charset_is_used() -> None:
    html = ARTICLE_HTML.read_text("utf-8").replace('charset="utf-8"', 'charset="windows-1252"')
    html = html.replace("Southland's delegation", "Southland\u2019s délégation")
    document = clean(html.encode("cp1252"), "page.html")
    assert document.encoding == "cp1252"
    assert "Southland\u2019s délégation" in document.text


def test_a_wrong_declared_charset_is_not_trusted() -> None:
    data = "Die Bürger in München sagten, der Minister habe recht.\n".encode()
    document = clean(data, "stdin", media_type="text/plain; charset=ascii")
    assert document.text == data.decode("utf-8")


def test_mojibake_is_repaired() -> None:
    original = "The minister\u2019s offer \u2014 worth \u20ac5m \u2014 was rejected in Zürich.\n"
    mangled = original.encode("utf-8").decode("cp1252")  # "minister\u00e2\u20ac\u2122s" ...
    assert mangled != original
    document = clean(mangled.encode("utf-8"))
    assert document.text == original
    assert document.repaired_mojibake


def test_clean_text_is_not_marked_as_repaired() -> None:
    assert not clean(FRENCH.encode()).repaired_mojibake


# ------------------------------------------------------------------ refusals
@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00",
        b"Talks resumed on Tuesday.\x00\x01\x02\x03\x00\xff\xfe\x00 binary tail",
    ],
    ids=["pdf", "png", "zip", "nul-bytes"],
)
def test_binary_input_is_refused(data: bytes) -> None:
    with pytest.raises(BinaryInput, match=r"^report\.txt: "):
        clean(data, "report.txt")


@pytest.mark.parametrize("data", [b"", b"   \n\n\t  \r\n", codecs.BOM_UTF8 + b"\n \n"])
def test_empty_input_is_refused(data: bytes) -> None:
    with pytest.raises(EmptyInput, match=r"^stdin: "):
        clean(data, "stdin")


def test_input_over_the_limit_is_refused_before_any_work() -> None:
    huge = b"Talks resumed in Geneva on Tuesday, officials said. " * (DEFAULT_MAX_BYTES // 50)
    assert len(huge) > DEFAULT_MAX_BYTES
    with pytest.raises(InputTooLarge, match=r"^huge\.txt: .*over the 5,000,000-byte limit"):
        clean(huge, "huge.txt")


def test_the_size_limit_is_configurable() -> None:
    data = FRENCH.encode()
    assert clean(data, max_bytes=len(data)).text == FRENCH
    with pytest.raises(InputTooLarge, match=r"^article\.txt: "):
        clean(data, max_bytes=len(data) - 1)


def test_bytes_no_encoding_fits_are_undecodable() -> None:
    # A BOM promising UTF-8 followed by bytes that are not UTF-8.
    with pytest.raises(UndecodableInput, match=r"^odd\.txt: "):
        clean(codecs.BOM_UTF8 + b"Talks \xff\xfe\xfd resumed", "odd.txt")


def test_all_refusals_are_input_errors_with_one_line_messages() -> None:
    with pytest.raises(InputError) as caught:
        clean(b"%PDF-1.4\n", "a\nb.pdf")
    assert "\n" not in caught.value.message


# ------------------------------------------------------------------ normal form
def test_text_is_nfc_with_unix_newlines_single_blank_lines_and_one_final_newline() -> None:
    messy = (
        "\ufeff  Talks resume\r\n\r\n\r\n\r\nThe minister\u00a0said  the cafe\u0301 was\tclosed.  \r\n"
        "Officials\u200b agreed.\r\n\r\n\r\nA second round follows.   \r\n\r\n\r\n"
    )
    text = clean(messy.encode()).text
    assert text == (
        "Talks resume\n\nThe minister said the café was closed.\nOfficials agreed.\n\n"
        "A second round follows.\n"
    )
    assert unicodedata.is_normalized("NFC", text)


def test_text_without_blank_lines_gets_one_paragraph_per_line() -> None:
    text = clean(b"Talks resume\nThe minister spoke first.\nOfficials agreed.\n").text
    assert text == "Talks resume\n\nThe minister spoke first.\n\nOfficials agreed.\n"


def test_cleaning_is_deterministic() -> None:
    data = ARTICLE_HTML.read_bytes()
    assert clean(data, "page.html") == clean(data, "page.html")


def test_plain_text_title_is_its_headline_line() -> None:
    document = clean(b"Talks resume in Geneva\n\nNegotiators met on Tuesday.\n")
    assert document.title == "Talks resume in Geneva"
    assert document.text.startswith("Talks resume in Geneva\n\n")  # kept: it is the text


# ------------------------------------------------------------------ HTML
def test_html_page_is_reduced_to_its_article() -> None:
    document = clean(ARTICLE_HTML.read_bytes(), "border-talks.html")
    assert document.media_type == "text/html"
    assert document.title == "Border talks resume in Geneva"
    assert document.date == "2024-03-05"
    assert document.text.startswith("Negotiators from Northland and Southland met in Geneva")
    assert document.text.endswith(
        "host a technical meeting on river navigation in Vienna in May.\n"
    )
    for furniture in (
        "cookies",
        "Log in",
        "Related stories",
        "Fishing quotas",
        "Privacy policy",
        "newsletter",
        "All rights reserved",
        "window.dataLayer",
        "font-family",
    ):
        assert furniture not in document.text
    rules = [removal.rule for removal in document.removed]
    assert rules[0] == "html-extraction"
    assert {"headline", "newsletter-signup", "copyright-footer"} <= set(rules)


def test_html_is_detected_by_content_on_stdin() -> None:
    document = clean(ARTICLE_HTML.read_bytes(), "stdin")
    assert document.media_type == "text/html"
    assert "<p>" not in document.text and "Ada Lindqvist" in document.text


def test_an_explicit_plain_text_media_type_wins_over_content() -> None:
    data = b"<p>Talks resumed in Geneva on Tuesday, officials said.</p>\n"
    document = clean(data, "stdin", media_type="text/plain")
    assert document.media_type == "text/plain"
    assert document.text == data.decode()


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Shop</title></head><body><nav><a href=/>Home</a> "
        "<a href=/a>About</a> <a href=/c>Contact</a></nav><footer>© 2024 Example</footer>"
        "</body></html>",
        "<!DOCTYPE html><html><head><title>Empty</title></head><body></body></html>",
        "<html><body><form><label>Email</label><input name=e><button>Sign in</button></form>"
        "<p>Forgot your password?</p></body></html>",
    ],
    ids=["navigation-only", "empty-body", "login-form"],
)
def test_html_page_with_no_article_is_an_error(page: str) -> None:
    with pytest.raises(NoArticleFound, match=r"^shop\.html: no article text found"):
        clean(page.encode(), "shop.html")


def test_text_that_is_all_boilerplate_is_an_error() -> None:
    with pytest.raises(NoArticleFound, match=r"^stdin: nothing is left"):
        clean(b"Advertisement\n\nShare this article\n\nSign up for our newsletter\n", "stdin")


# ------------------------------------------------------------------ Markdown
def test_markdown_markup_is_dropped_and_words_kept() -> None:
    markdown = (
        "# Talks resume in **Geneva**\n\n"
        "![Delegates](https://example.com/photo.jpg)\n\n"
        "Negotiators met on *Tuesday*, [officials said](https://example.com/statement).\n\n"
        "> Our fishermen have worked these waters for centuries.\n"
    )
    document = clean(markdown.encode(), "talks.md")
    assert document.media_type == "text/markdown"
    assert document.text == (
        "Talks resume in Geneva\n\nNegotiators met on Tuesday, officials said.\n\n"
        "Our fishermen have worked these waters for centuries.\n"
    )


# ------------------------------------------------------------------ import cost
def test_importing_the_cleaner_does_not_import_trafilatura() -> None:
    code = (
        "import sys, summarise_agent.cleaning as c\n"
        "c.clean_document(b'Talks resumed on Tuesday, officials said.\\n', 'a.txt')\n"
        "print('trafilatura' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    assert result.stdout.strip() == "False"
