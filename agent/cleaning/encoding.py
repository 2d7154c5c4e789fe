"""Bytes to str: refuse binary files, find the encoding, decode without guessing blindly.

Order of evidence: a byte-order mark, then a charset the caller or the HTML page declares,
then strict UTF-8, then mostly-UTF-8 (a UTF-8 file into which a few lines were pasted from a
Windows-1252 or Latin-1 source: each line is decoded as UTF-8 when it is, as cp1252 when not,
never the whole file as some code page that garbles every accent), then charset-normalizer's
best guess. A declared charset that fails to
decode is ignored rather than trusted (pages often lie about their encoding).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from summarise_agent.errors import BinaryInput, UndecodableInput

# Signatures of file formats that are certainly not articles, checked before decoding.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"\x7fELF", "an executable"),
    (b"{\\rtf", "an RTF document"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Charsets that browsers (WHATWG) decode as windows-1252: declared Latin-1 pages use cp1252
# punctuation (curly quotes, dashes) in 0x80-0x9F all the time.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# More C0 control characters than this share of the text: binary data that happened to decode.
_MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # the codec's canonical name, e.g. "utf-8", "cp1252", "utf-16-le"


def decode_bytes(data: bytes, name: str, *, declared: str | None = None) -> DecodedText:
    """The text of DATA; BinaryInput or UndecodableInput (messages start with NAME) otherwise."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data[len(bom) :], encoding, name), encoding, name)
    _refuse_binary(data, name)
    bomless_utf16 = _bomless_utf16(data)
    if bomless_utf16 is not None:
        return _checked(_strict(data, bomless_utf16, name), bomless_utf16, name)
    for candidate in (_canonical(declared), _canonical(_sniff_declared_charset(data)), "utf-8"):
        if candidate is None:
            continue
        try:
            return _checked(data.decode(candidate), candidate, name)
        except UnicodeDecodeError:
            continue
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return _checked(mixed, "utf-8", name)
    return _checked_guess(data, name)


def _mostly_utf8(data: bytes) -> str | None:
    """DATA decoded line by line when it is mostly UTF-8 (more valid multi-byte UTF-8
    characters than stray bytes): a line that is not UTF-8 is cp1252 (Latin-1 for the five bytes
    cp1252 leaves undefined), unless it is itself mostly UTF-8, when only its stray bytes are.
    None for text that is not mostly UTF-8 (it goes to the detector)."""
    decoded, valid, stray = [], 0, 0
    for line in data.splitlines(keepends=True):
        try:
            text = line.decode("utf-8")
            valid += sum(1 for char in text if ord(char) > 127)
        except UnicodeDecodeError:
            text, line_valid, line_stray = _decode_line(line)
            valid, stray = valid + line_valid, stray + line_stray
        decoded.append(text)
    if valid == 0 or stray > valid:
        return None
    return "".join(decoded)


def _decode_line(line: bytes) -> tuple[str, int, int]:
    """A line that is not valid UTF-8: its text, its valid multi-byte UTF-8 characters, its
    stray bytes (surrogateescape marks each stray byte as one lone surrogate)."""
    escaped = line.decode("utf-8", "surrogateescape")
    stray = sum(1 for char in escaped if "\udc80" <= char <= "\udcff")
    valid = sum(1 for char in escaped if ord(char) > 127) - stray
    if valid > stray:
        text = _STRAY_BYTE.sub(lambda m: _cp1252_bytes(bytes([ord(m.group()) - 0xDC00])), escaped)
        return text, valid, stray
    return _cp1252_bytes(line), 0, stray


_STRAY_BYTE = re.compile("[\udc80-\udcff]")


def _cp1252_bytes(data: bytes) -> str:
    return "".join(_decode_or_none(bytes([b]), "cp1252") or chr(b) for b in data)


def charset_of_media_type(media_type: str | None) -> str | None:
    """The charset parameter of a media type such as 'text/html; charset=ISO-8859-1'."""
    if not media_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", media_type, re.I)
    return match.group(1) if match else None


def _refuse_binary(data: bytes, name: str) -> None:
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise BinaryInput(f"{name}: this is {what}, not an article's text")
    if b"\x00" in data[:65536] and _bomless_utf16(data) is None:
        raise BinaryInput(f"{name}: binary data (NUL bytes), not an article's text")


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) // 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) // 2)
    if odd_nuls > 0.6 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.6 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _sniff_declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None


def _canonical(charset: str | None) -> str | None:
    """Python's codec name for CHARSET, or None when Python does not know it."""
    if not charset:
        return None
    label = charset.strip().lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UndecodableInput(
            f"{name}: not valid {encoding} despite its byte-order mark "
            f"(bad byte at offset {error.start})"
        ) from None


def _checked_guess(data: bytes, name: str) -> DecodedText:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UndecodableInput(
            f"{name}: the text encoding cannot be determined (not UTF-8, and no other "
            "encoding fits); convert the file to UTF-8"
        )
    encoding = _canonical(best.encoding) or "utf-8"
    text = str(best)
    if encoding != "cp1252" and _is_single_byte_latin(encoding):
        # On short texts the detector picks among Latin code pages almost at random (French
        # comes out as cp1250); windows-1252 is by far the likeliest unless it reads worse.
        western = _decode_or_none(data, "cp1252")
        if western is not None and _non_ascii_letters(western) >= _non_ascii_letters(text):
            encoding, text = "cp1252", western
    return _checked(text, encoding, name)


def _is_single_byte_latin(encoding: str) -> bool:
    return encoding.startswith(("cp12", "iso8859", "latin", "mac_", "cp8", "cp7", "hp_roman"))


def _decode_or_none(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _non_ascii_letters(text: str) -> int:
    return sum(1 for char in text if ord(char) > 127 and char.isalpha())


def _checked(text: str, encoding: str, name: str) -> DecodedText:
    sample = text[:65536]
    if sample and len(_CONTROL_CHARS.findall(sample)) > _MAX_CONTROL_SHARE * len(sample):
        raise BinaryInput(f"{name}: binary data (control characters), not an article's text")
    return DecodedText(text=text, encoding=encoding)
