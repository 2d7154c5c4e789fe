"""docs/reliability.md lists exactly the rows the reliability tests run, with their outcomes."""

from __future__ import annotations

import re
from pathlib import Path

import test_reliability_hardening_files
import test_reliability_hardening_runs
import test_reliability_hardening_text
from hardening_matrix import HAZARDS
from reliability_matrix import BAD_INPUTS, FAULTS

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"


def table_rows(name: str) -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(rf"<!-- {name}:begin -->\n(.*?)\n<!-- {name}:end -->", text, re.S)
    assert block, f"docs/reliability.md has no {name} table"
    lines = block.group(1).strip().splitlines()[2:]  # past the header and the rule
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def test_the_fault_table_is_the_fault_matrix() -> None:
    expected = [
        [f"`{f.id}`", f.what, f.outcome, str(int(f.exit_code)), str(int(f.batch_exit_code)), str(f.requests)]
        for f in FAULTS
    ]
    assert table_rows("faults") == expected


def test_the_bad_input_table_is_the_bad_input_matrix() -> None:
    expected = [
        [f"`{c.id}`", c.what, str(int(c.exit_code)),
         "—" if c.batch_exit_code is None else str(int(c.batch_exit_code)), f"…{c.message}…"]
        for c in BAD_INPUTS
    ]  # fmt: skip
    assert table_rows("inputs") == expected


def test_the_hardening_table_is_the_hardening_matrix() -> None:
    def code(value: object) -> str:
        return "—" if value is None else str(int(value))  # type: ignore[call-overload]

    expected = [[f"`{h.id}`", h.kind, h.what, code(h.exit_code), code(h.batch_exit_code), h.outcome]
                for h in HAZARDS]  # fmt: skip
    assert table_rows("hardening") == expected


def test_every_hardening_row_has_its_test_and_no_test_lacks_a_row() -> None:
    tests = {
        name.removeprefix("test_hazard_")
        for module in (test_reliability_hardening_files, test_reliability_hardening_runs,
                       test_reliability_hardening_text)
        for name in vars(module)
        if name.startswith("test_hazard_")
    }
    assert tests == {hazard.id.replace("-", "_") for hazard in HAZARDS}
