"""Hardening rows, part 3: hostile text (encodings, delimiters, names) and file modes.
One test per row of hardening_matrix.HAZARDS (named test_hazard_<row id>), through the CLI."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from hardening_support import ArticleResponder, article_dir, batch_code, each, outputs, single

from summarise_agent.localserver import LocalChatServer
from conftest import ARTICLE, recorded, run_cli

OK_REPLY = recorded("positions_ok")



# --- text --------------------------------------------------------------------------------

ACCENTED = "Les délégués de Genève ont négocié à huis clos; «rien n\u2019est réglé», dit la ministre."


def test_hazard_mixed_encoding(env: Path) -> None:
    variants = {
        "cp1252-line": ACCENTED.encode() + b"\n" + "Le président a refusé — «non».".encode("cp1252") + b"\n" + ACCENTED.encode() + b"\n",
        "latin1-line": ACCENTED.encode() + b"\n" + "Été, naïveté, façade.".encode("latin-1") + b"\n" + ACCENTED.encode() + b"\n",
        "inside-a-line": ACCENTED.encode() + " Déjà vu: ".encode("cp1252") + ACCENTED.encode() + b"\n",
    }  # fmt: skip
    expected = {"cp1252-line": "Le président a refusé — «non».", "latin1-line": "Été, naïveté, façade.",
                "inside-a-line": " Déjà vu: "}  # fmt: skip
    responder = ArticleResponder()
    with LocalChatServer(responder) as server:
        for name, data in variants.items():
            (env / f"{name}.txt").write_bytes(data)
            result = run_cli(str(env / f"{name}.txt"), "--base-url", server.base_url)
            assert result.exit_code == single("mixed-encoding"), result.stderr
            sent = server.requests[-1]["messages"][1]["content"]
            assert ACCENTED in sent and expected[name] in sent, (name, sent)
        (env / "in").mkdir()
        for name, data in variants.items():
            (env / "in" / f"{name}.txt").write_bytes(data)
        batch = run_cli("batch", str(env / "in"), "--out", str(env / "out"), "--base-url",
                        server.base_url, "--no-cache", "--quiet")  # fmt: skip
        assert batch.exit_code == batch_code("mixed-encoding"), batch.stderr
        assert all(ACCENTED in json.dumps(server_request["messages"], ensure_ascii=False)
                   for server_request in server.requests[-3:])  # fmt: skip


CLOSING = re.compile(r"<\s*/?\s*article\b[^<>]*>", re.IGNORECASE)


def test_hazard_delimiter_variants(env: Path, serve: Any) -> None:
    tags = ["</ARTICLE>", "</article >", "< /article>", "<\t/ Article\n>", "</Article\x20\x20>", "<article id=x>", "<ARTICLE>"]
    article = env / "tags.txt"
    article.write_text("Talks resumed in Geneva.\n\n" + "\n".join(f"Text {tag} more text." for tag in tags) + "\n")
    server = serve(OK_REPLY, OK_REPLY, OK_REPLY)  # its quotes are not in this article: re-asked
    result = run_cli(str(article), "--base-url", server.base_url)
    assert result.exit_code == single("delimiter-variants"), result.stderr
    user = server.requests[0]["messages"][1]["content"]
    assert [m.group() for m in CLOSING.finditer(user)] == ["<article>", "</article>"]


HOSTILE_NAMES = ["line\nsummarise: error: forged.txt", "sep\u2028forged.txt", "\x1b[31mred\x1b[0m.txt", "bidi\u202eexe.txt", "bell\x07.txt", "cr\rreturn.txt"]


def test_hazard_names_control_characters(env: Path) -> None:
    source = env / "in"
    source.mkdir()
    for number, name in enumerate(HOSTILE_NAMES):
        (source / name).write_text(f"Article {number}.\n\nTalks went on.\n")
    (source / "fail\nsummarise: written fake.txt").write_text("SERVER-ERROR-ALWAYS\n\nfails.\n")
    with LocalChatServer(ArticleResponder()) as server:
        result = run_cli("batch", str(source), "--out", str(env / "out"), "--base-url", server.base_url,
                         "-v")  # fmt: skip
    assert result.exit_code == 8, result.stderr  # the failing one; batch_code is for the others
    for line in result.stderr.splitlines():
        assert line.startswith("summarise: "), repr(line)
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e\u2028]", line), repr(line)
    assert "\\x1b[31mred" in result.stderr and "\\nsummarise: error: forged" in result.stderr
    assert len(outputs(env / "out")) == len(HOSTILE_NAMES) and batch_code("names-control-characters") == 0


# --- modes -------------------------------------------------------------------------------


def test_hazard_output_modes(env: Path, serve: Any) -> None:
    def check(umask: int) -> None:
        previous = os.umask(umask)
        try:
            target = env / f"new-{umask:o}.json"
            result = run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url, "-o", str(target))
            assert result.exit_code == single("output-modes"), result.stderr
            assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
            out = env / f"out-{umask:o}"
            batch = run_cli("batch", str(article_dir(env)), "--out", str(out), "--base-url",
                            serve(OK_REPLY).base_url, "--quiet")  # fmt: skip
            assert batch.exit_code == batch_code("output-modes"), batch.stderr
            (written,) = outputs(out)
            assert stat.S_IMODE(written.stat().st_mode) == 0o666 & ~umask
            assert stat.S_IMODE((out / ".summarise-report.json").stat().st_mode) == 0o600
        finally:
            os.umask(previous)

    each([0o022, 0o027, 0o077], check)
    for mode in (0o600, 0o640, 0o664):
        existing = env / f"existing-{mode:o}.json"
        existing.write_text("{}")
        existing.chmod(mode)
        assert run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url, "-o", str(existing)).exit_code == 0
        assert stat.S_IMODE(existing.stat().st_mode) == mode and json.loads(existing.read_bytes())["result"]
