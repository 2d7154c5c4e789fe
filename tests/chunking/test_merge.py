"""merge_results: actors unified across chunks, references remapped, records de-duplicated."""

from __future__ import annotations

from typing import Any

from summarise_agent.chunking import split_text
from summarise_agent.grounding_report import ground_result
from summarise_agent.merge import merge_results, order_by_evidence


def actor(
    actor_id: str, name: str, kind: str = "person", role: str | None = None
) -> dict[str, Any]:
    return {"id": actor_id, "name": name, "kind": kind, "role": role, "affiliation": None}


def position(actor_id: str, topic: str, *quotes: str, stance: str = "supports") -> dict[str, Any]:
    return {"actor": actor_id, "topic": topic, "stance": stance, "summary": f"{actor_id} on {topic}.",
            "evidence": [{"quote": quote} for quote in quotes]}  # fmt: skip


def answer(actors: list[dict[str, Any]], positions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"summary": "Part.", "actors": actors, "positions": positions}


def names(result: dict[str, Any]) -> list[str]:
    return [a["name"] for a in result["actors"]]


def test_one_actor_however_each_chunk_names_them() -> None:
    merged = merge_results([
        answer([actor("scholz", "Scholz")], [position("scholz", "aid", "q1")]),
        answer([actor("olaf-scholz", "Olaf Scholz", role="chancellor")], [position("olaf-scholz", "tax", "q2")]),
        answer([actor("c-scholz", "Chancellor Scholz")], [position("c-scholz", "aid", "q3")]),
        answer([actor("scholz-1", "Mr. Scholz's")], []),
    ]).result  # fmt: skip
    assert merged["actors"] == [actor("olaf-scholz", "Olaf Scholz", role="chancellor")]
    assert [(p["actor"], p["topic"]) for p in merged["positions"]] == [
        ("olaf-scholz", "aid"), ("olaf-scholz", "tax")]  # fmt: skip
    assert [e["quote"] for e in merged["positions"][0]["evidence"]] == ["q1", "q3"]


def test_a_surname_shared_by_two_people_merges_with_neither() -> None:
    merged = merge_results([
        answer([actor("boris", "Boris Johnson"), actor("lyndon", "Lyndon Johnson")], []),
        answer([actor("johnson", "Johnson")], [position("johnson", "trade", "q")]),
    ]).result  # fmt: skip
    assert names(merged) == ["Boris Johnson", "Lyndon Johnson", "Johnson"]
    assert merged["positions"][0]["actor"] == "johnson"


def test_acronyms_brackets_and_kinds() -> None:
    merged = merge_results([
        answer([actor("eu", "European Union", "organisation"), actor("gm", "General Motors", "organisation")], []),
        answer([actor("eu", "EU", "organisation"), actor("motors", "Motors", "organisation")], []),
        answer([actor("nato", "North Atlantic Treaty Organization (NATO)", "organisation")], []),
        answer([actor("nato-2", "NATO", "organisation"), actor("paris", "Paris", "country"),
                actor("paris-hilton", "Paris Hilton", "person")], []),
    ]).result  # fmt: skip
    assert names(merged) == ["European Union", "General Motors",
                             "North Atlantic Treaty Organization (NATO)", "Paris", "Paris Hilton"]  # fmt: skip
    assert [a["id"] for a in merged["actors"]] == [
        "european-union", "general-motors", "north-atlantic-treaty-organization-nato", "paris",
        "paris-hilton"]  # fmt: skip


def test_ids_stay_unique_and_follow_the_fullest_name() -> None:
    merged = merge_results([
        answer([actor("a", "Anna Berg"), actor("b", "Anna  Berg", "organisation")], []),
        answer([actor("x", "Олег Петров")], []),
    ]).result  # fmt: skip
    assert [a["id"] for a in merged["actors"]] == ["anna-berg", "x"]  # equal names are one actor
    merged = merge_results([answer([actor("a", "Anna Berg"), actor("b", "Anna-Berg Ltd", "group")], []),
                            answer([actor("c", "anna berg", "group")], [])]).result  # fmt: skip
    assert len({a["id"] for a in merged["actors"]}) == len(merged["actors"])


def test_records_merge_on_a_shared_quote_or_a_similar_topic_with_the_same_stance() -> None:
    merged = merge_results([
        answer([actor("a", "Ana Ruiz")], [position("a", "fishing quotas", "q1", "q2")]),
        answer([actor("r", "Ruiz")], [position("r", "quotas for fishing", "q3"),
                                      position("r", "a new subject", "Q2"),  # same quote: same record
                                      position("r", "fishing quotas", "q4", stance="opposes")]),
    ]).result  # fmt: skip
    assert [(p["topic"], p["stance"], [e["quote"] for e in p["evidence"]]) for p in merged["positions"]] == [
        ("fishing quotas", "supports", ["q1", "q2", "q3"]),
        ("fishing quotas", "opposes", ["q4"]),
    ]  # fmt: skip


def test_actions_union_participants_and_conditions() -> None:
    def action(
        proposer: str, participants: list[str], conditions: list[str], quote: str
    ) -> dict[str, Any]:
        return {"proposer": proposer, "action": "joint patrols", "participants": participants,
                "status": "proposed", "conditions": conditions, "evidence": [{"quote": quote}]}  # fmt: skip

    merged = merge_results([
        {"summary": "One.", "actors": [actor("r", "Ana Ruiz"), actor("l", "Piotr Lenz")],
         "proposed_actions": [action("r", ["l"], ["if talks resume"], "q1")]},
        {"summary": "Two.", "actors": [actor("ruiz", "Ruiz"), actor("lenz", "Lenz"), actor("k", "Kim")],
         "proposed_actions": [action("ruiz", ["lenz", "k", "ghost"], ["If talks resume", "by May"], "q2")]},
    ]).result  # fmt: skip
    assert merged["summary"] == "One. Two."
    assert merged["proposed_actions"] == [
        action("ana-ruiz", ["piotr-lenz", "kim", "ghost"], ["if talks resume", "by May"], "q1")
        | {"evidence": [{"quote": "q1"}, {"quote": "q2"}]}
    ]  # an id no chunk defined ("ghost") is kept: the dangling check counts it


def test_merged_quotes_get_whole_article_offsets_and_article_order() -> None:
    sentences = [f"Sentence {n} is about the harbour and nothing else at all." for n in range(300)]
    text = " ".join(sentences)
    plan = split_text(text, 200, 40)
    late, early = sentences[250], sentences[10]
    merged = merge_results([
        answer([actor("a", "Ana Ruiz")], [position("a", "late", late.replace("harbour", "harbor"))]),
        answer([actor("a", "Ana Ruiz")], [position("a", "early", early)]),
    ])  # fmt: skip
    assert any(late in chunk.text for chunk in plan.chunks[1:])  # the late one is far in
    grounding = ground_result(merged.result, text)
    ordered = order_by_evidence(grounding.result)
    assert [p["topic"] for p in ordered["positions"]] == ["early", "late"]
    fuzzy = ordered["positions"][1]["evidence"][0]
    assert fuzzy["match"] == "fuzzy" and fuzzy["start"] == text.index(late)
    assert late.startswith(text[fuzzy["start"] : fuzzy["end"]])
    exact = ordered["positions"][0]["evidence"][0]
    assert exact["match"] == "exact" and text[exact["start"] : exact["end"]] == early


def test_topics_that_only_share_a_word_stay_apart() -> None:
    merged = merge_results([
        answer([actor("m", "Mara Voss")], [position("m", "nuclear power", "q1"), position("m", "EU sanctions", "q2")]),
        answer([actor("v", "Voss")], [position("v", "nuclear weapons", "q3"), position("v", "sanctions relief", "q4"),
                                      position("v", "Sanctions of the EU", "q5")]),
    ]).result  # fmt: skip
    assert [(p["topic"], len(p["evidence"])) for p in merged["positions"]] == [
        ("nuclear power", 1), ("EU sanctions", 2), ("nuclear weapons", 1), ("sanctions relief", 1)]  # fmt: skip
