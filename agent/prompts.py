"""Versioned prompts: one file per version under prompts/NAME/vN.md, hashed into every output.

A prompt file is TOML front matter between `+++` lines (name, version, schema, description),
then a `# System` section and a `# User` section. `$article` in the user section is replaced
by the cleaned article. prompts/prompts.lock.json records the hash of every released version:
a released prompt never changes; a new wording is a new version (`python -m summarise_agent.prompts lock`
adds new versions to the lock and refuses to change a released one).
"""

from __future__ import annotations

import hashlib
import json
import re
import string
import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from summarise_agent.errors import UsageError
from summarise_agent.output import write_output

LOCK_FILE_NAME = "prompts.lock.json"
_SECTION = re.compile(r"^# (System|User)\s*$", re.MULTILINE)
# No article tag may appear inside the data: a closing one would end the article early, an
# opening one would start a fake second article. Whatever the case, spacing or attributes
# (`</ARTICLE>`, `</article >`, `< /article>`, `<article id=x>`): its `<` becomes `&lt;`.
_DELIMITER_LIKE = re.compile(r"<(?=\s*/?\s*article\b[^<>]*>)", re.IGNORECASE)


@dataclass(frozen=True)
class PromptVersion:
    name: str
    version: int
    schema: str  # the schema it was written for, "*" for any
    description: str
    system: str
    user_template: str
    sha256: str  # of the file's bytes
    path: Path

    def render(self, article: str) -> list[dict[str, str]]:
        """The Chat Completions messages for one article, the article delimited as data."""
        safe_article = _DELIMITER_LIKE.sub("&lt;", article)
        user = string.Template(self.user_template).substitute(article=safe_article)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]


@cache
def prompts_dir() -> Path:
    """prompts/ beside the package in a checkout; agent/_prompts inside an installed wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "prompts", here / "_prompts"):
        if (candidate / LOCK_FILE_NAME).is_file():
            return candidate
    raise UsageError(f"the prompts directory was not found beside {here}")


def available_versions(name: str) -> list[int]:
    folder = prompts_dir() / name
    return sorted(int(path.stem[1:]) for path in folder.glob("v*.md") if path.stem[1:].isdigit())


def load_prompt(name: str, version: int | None = None) -> PromptVersion:
    """The prompt NAME at VERSION (default: the newest); unknown ones are usage errors."""
    versions = available_versions(name)
    if not versions:
        raise UsageError(f"no prompt named {name!r} in {prompts_dir()}")
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        listed = ", ".join(str(v) for v in versions)
        raise UsageError(f"prompt {name!r} has no version {chosen} (versions: {listed})")
    return parse_prompt_file(prompts_dir() / name / f"v{chosen}.md")


def parse_prompt_file(path: Path) -> PromptVersion:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    try:
        _, front, body = text.split("+++\n", 2)
        meta = tomllib.loads(front)
        _, system_title, system, user_title, user = _SECTION.split(body)
    except (ValueError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: not a prompt file (front matter, # System, # User)") from error
    if (system_title, user_title) != ("System", "User") or "$article" not in user:
        raise UsageError(f"{path}: needs '# System' then '# User' containing $article")
    return PromptVersion(
        name=str(meta["name"]),
        version=int(meta["version"]),
        schema=str(meta["schema"]),
        description=str(meta["description"]),
        system=system.strip(),
        user_template=user.strip(),
        sha256=hashlib.sha256(raw).hexdigest(),
        path=path,
    )


def read_lock(directory: Path) -> dict[str, str]:
    lock = directory / LOCK_FILE_NAME
    return dict(json.loads(lock.read_text(encoding="utf-8"))) if lock.is_file() else {}


def prompt_file_hashes(directory: Path) -> dict[str, str]:
    """Every prompt file under DIRECTORY as {"name/vN.md": sha256 of its bytes}."""
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.glob("*/v*.md"))
    }


def lock_new_versions(directory: Path) -> list[str]:
    """Add unreleased prompt files to the lock; a released file whose text changed is an error."""
    lock = read_lock(directory)
    changed = [
        key
        for key, digest in prompt_file_hashes(directory).items()
        if lock.get(key, digest) != digest
    ]
    if changed:
        raise UsageError(
            f"released prompts changed: {', '.join(changed)}: add a new version instead"
        )
    added = sorted(set(prompt_file_hashes(directory)) - set(lock))
    lock.update(prompt_file_hashes(directory))
    text = json.dumps(lock, indent=2, sort_keys=True) + "\n"
    write_output(directory / LOCK_FILE_NAME, text.encode("utf-8"))
    return added


if __name__ == "__main__":  # python -m summarise_agent.prompts lock
    if sys.argv[1:] != ["lock"]:
        sys.exit("usage: python -m summarise_agent.prompts lock")
    for key in lock_new_versions(prompts_dir()):
        print(f"locked {key}")
