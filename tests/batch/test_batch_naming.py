"""Output names and input discovery: stable, safe, collision-free."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarise_agent.batch.inputs import InputSelection, discover
from summarise_agent.batch.naming import is_output_name, output_name
from summarise_agent.errors import UsageError


@pytest.mark.parametrize(("key", "slug"), [
    ("world/talks.txt", "world__talks"),
    ("Talks About Fish!.html", "talks-about-fish"),
    ("../../etc/passwd", "etc__passwd"),
    ("/abs/path/a.md", "abs__path__a"),
    ("a\\b\\c.txt", "a__b__c"),
    ("Élysée réunion.txt", "elysee-reunion"),
    ("会议.txt", "article"),
    (".hidden", "hidden"),
    ("", "article"),
])  # fmt: skip
def test_names_are_safe_slugs_with_a_hash(key: str, slug: str) -> None:
    name = output_name(key)
    assert name.startswith(f"{slug}.") and is_output_name(name)
    assert "/" not in name and "\\" not in name and ".." not in name and not name.startswith(".")
    assert (Path("/out") / name).parent == Path("/out")


def test_names_are_stable_and_keep_apart_keys_with_the_same_slug() -> None:
    assert output_name("world/talks.txt") == output_name("world/talks.txt")
    same_slug = ["a b.txt", "a-b.txt", "A B.txt", "a b.md", "a/b.txt", "a__b.txt"]
    names = {output_name(key) for key in same_slug}
    assert len(names) == len(same_slug)


def test_very_long_keys_give_names_under_the_file_name_limit() -> None:
    name = output_name("x" * 1000 + ".txt")
    assert len(name.encode()) < 255 and is_output_name(name)


def test_discovery_is_sorted_recursive_and_deduplicated(tmp_path: Path) -> None:
    for relative in ("b/two.txt", "a/one.htm", "a/z/three.html", "a/skip.csv", ".git/x.txt"):
        (tmp_path / "in" / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / relative).write_text("Text\n")
    selection = InputSelection(paths=(str(tmp_path / "in"), str(tmp_path / "in" / "b" / "two.txt")))
    items = discover(selection, tmp_path / "out")
    assert [item.key for item in items] == ["a/one.htm", "a/z/three.html", "b/two.txt"]


def test_manifest_errors_are_usage_errors(tmp_path: Path) -> None:
    bad = tmp_path / "m.jsonl"
    bad.write_text('{"path": "a.txt"}\n{"file": "b.txt"}\n')
    with pytest.raises(UsageError, match='line 2: needs a "path"'):
        discover(InputSelection(paths=(), manifests=(bad,)), tmp_path / "out")
    with pytest.raises(UsageError, match="no such file"):
        discover(InputSelection(paths=(), manifests=(tmp_path / "missing.txt",)), tmp_path / "out")
