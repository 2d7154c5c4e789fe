"""Output file names: stable, collision-free and safe, derived from an article's key.

The key is the article's path relative to the input it was found through (the directory given,
the manifest's directory, or just the file name for a file given directly). The name is the
key's parts as lower-case ASCII slugs joined by `__`, without the last part's extension, then
`.` and the first 8 hex digits of the key's SHA-256, then `.json`:

    world/talks.txt  ->  world__talks.3f2a9c1b.json

Slugs keep only `a-z 0-9 _ -`, so a name never holds a separator, `..` or a leading dot and can
never leave the output directory; the hash keeps apart keys whose slugs coincide
(`a b.txt` and `a-b.txt`), and a clash of both is refused at discovery time.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import PurePosixPath

OUTPUT_SUFFIX = ".json"
HASH_DIGITS = 8
MAX_SLUG_CHARS = 120  # leaves room under the usual 255-byte file-name limit
_UNSAFE = re.compile(r"[^a-z0-9_-]+")


def output_name(key: str) -> str:
    """The output file name for the article with this key (see the module docstring)."""
    path = PurePosixPath(key.replace("\\", "/"))
    parts = [*path.parts[:-1], path.stem] if path.parts else []
    slugs = [slug for slug in (_slug(part) for part in parts) if slug]
    slug = "__".join(slugs)[:MAX_SLUG_CHARS].strip("-_") or "article"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:HASH_DIGITS]
    return f"{slug}.{digest}{OUTPUT_SUFFIX}"


def is_output_name(name: str) -> bool:
    """Whether a file name has the shape output_name() gives (for listing outputs)."""
    return re.fullmatch(rf"[a-z0-9_-]+\.[0-9a-f]{{{HASH_DIGITS}}}\.json", name) is not None


def _slug(part: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", ascii_text.lower()).strip("-_")
