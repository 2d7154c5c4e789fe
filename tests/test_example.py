"""The README's first command: the bundled example, answered from its recording."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ceasefire-talks.txt"


def test_bundled_example_replays_with_every_quote_grounded(env: Path) -> None:
    result = run_cli(str(EXAMPLE), "--schema", "positions", "--replay", str(ROOT / "examples" / "replay"))
    assert result.exit_code == 0, (
        f"{result.stderr}\nIf the prompt or the cleaner changed, re-record: python examples/record.py"
    )
    record = json.loads(result.stdout)
    assert record["checks"]["quotes"] == 6 and record["checks"]["exact"] == 6
    assert [a["id"] for a in record["result"]["actors"]][:2] == ["varn", "tessaly"]
    # the donation appeal at the end of the file is cut before the model sees the article
    request = json.loads(next((ROOT / "examples" / "replay").glob("*.request.json")).read_text())
    assert "Dear readers" not in request["messages"][1]["content"]
    assert "Remind me later" not in request["messages"][1]["content"]


def test_help_is_fast_because_it_imports_no_heavy_module() -> None:
    code = (
        "import sys\nfrom summarise_agent.cli import app\n"
        "heavy = [m for m in ('openai', 'trafilatura', 'rapidfuzz', 'httpx') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert loaded.stdout.strip() == ""


def test_no_traceback_from_the_real_entry_point(tmp_path: Path) -> None:
    """The installed console script, not just main(): a missing file is one line, exit 3."""
    summarise = Path(sys.executable).parent / "summarise"
    result = subprocess.run([str(summarise), str(tmp_path / "nope.txt")], capture_output=True, text=True)
    assert result.returncode == 3
    assert result.stderr == f"summarise: error: {tmp_path / 'nope.txt'}: no such file\n"


def test_an_exit_code_raised_with_typer_exit_reaches_the_shell(tmp_path: Path) -> None:
    """Commands may end with typer.Exit(code): without standalone mode typer returns the code,
    and main() must still exit with it."""
    import typer

    from summarise_agent.cli import app, main

    @app.command("exit-probe", hidden=True)
    def exit_probe() -> None:
        raise typer.Exit(8)

    try:
        try:
            main(["exit-probe"])
        except SystemExit as exit_:
            assert exit_.code == 8
        else:
            raise AssertionError("main() returned instead of exiting with 8")
    finally:
        app.registered_commands[:] = [c for c in app.registered_commands if c.name != "exit-probe"]
