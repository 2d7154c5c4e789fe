"""Packaging: the installed import names cannot clash with other packages, and the wheel
carries every folder of the engine.

The repository keeps its short folders (agent/, schemas/, prompts/); pyproject maps them to
the installed names summarise_agent and summarise_schemas. A folder missing from pyproject's
package list would be left out of the wheel silently, and a stray `agent.` import would work in
a checkout (the folder is on the path) but fail once installed: both are checked here.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FOLDERS = {"summarise_agent": "agent", "summarise_schemas": "schemas",
           "summarise_agent._prompts": "prompts"}
OLD_IMPORT = re.compile(r"^\s*(from|import)\s+(agent|schemas)(\.|\s|$)", re.M)
OLD_RUN = re.compile(r"-m\"?,?\s*\"?agent\b(?![/\w])")


def pyproject() -> dict[str, object]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def folder_of(package: str) -> Path:
    """The checkout folder setuptools reads a package from, by the longest package-dir prefix."""
    prefix = max((name for name in FOLDERS if package == name or package.startswith(name + ".")),
                 key=len)
    rest = package[len(prefix):].lstrip(".").split(".") if package != prefix else []
    return REPO.joinpath(FOLDERS[prefix], *[part for part in rest if part])


def shipped_folders() -> set[Path]:
    """Every folder under the package roots that holds code or data files."""
    found = set()
    for root in ("agent", "schemas", "prompts"):
        for path in (REPO / root).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                found.add(path.parent)
    return found


def test_package_dir_maps_the_short_folders_to_prefixed_import_names() -> None:
    setuptools = pyproject()["tool"]["setuptools"]  # type: ignore[index]
    assert setuptools["package-dir"] == FOLDERS  # type: ignore[index]
    assert pyproject()["project"]["scripts"]["summarise"] == "summarise_agent.cli:main"  # type: ignore[index]


def test_every_folder_with_files_is_a_listed_package() -> None:
    packages = pyproject()["tool"]["setuptools"]["packages"]  # type: ignore[index]
    assert all(name.startswith(("summarise_agent", "summarise_schemas")) for name in packages)
    listed = {folder_of(name) for name in packages}
    missing = sorted(str(p.relative_to(REPO)) for p in shipped_folders() - listed)
    assert not missing, f"add these folders to [tool.setuptools] packages: {missing}"


@pytest.mark.parametrize("area", ["agent", "schemas", "tests", "bench", "examples", "docs"])
def test_nothing_imports_or_runs_the_old_short_names(area: str) -> None:
    offenders = []
    for path in (REPO / area).rglob("*"):
        if path.suffix not in {".py", ".md"} or "__pycache__" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if OLD_IMPORT.search(text) or OLD_RUN.search(text):
            offenders.append(str(path.relative_to(REPO)))
    assert not offenders, f"use summarise_agent / summarise_schemas in: {offenders}"
