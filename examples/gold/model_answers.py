"""What two models 'answered' for the gold articles: the gold, altered the way real extractions
go wrong (names spelled differently, actors missed, stances misread, topics drifting, quotes
paraphrased or made up, statuses confused). gpt-4o-mini makes a few mistakes, gpt-4.1-nano
more. Each edit names a claim by its gold tag or an actor by its id; build.py applies them.
"""

from __future__ import annotations

from typing import Any

Edit = tuple[Any, ...]

MINI: dict[str, list[Edit]] = {
    "river-treaty": [
        ("rename", "regional-water-commission", "rwc", "RWC"),
        ("rename", "amal-haddad", "amal-haddad", "Dr. Amal Haddad"),
        ("drop_actor", "ingrid-solheim"),
        ("set", "ferreira-verify", "stance", "conditional"),
    ],
    "municipal-election": [
        ("rename", "marcus-oyelaran", "oyelaran", "Oyelaran"),
        ("set", "oyelaran-tram", "topic", "the tram line extension to the northern suburbs"),
        ("add_actor", {"id": "green-party", "name": "Green Party", "kind": "organisation",
                       "role": None, "affiliation": None}),
    ],
    "merger-talks": [
        ("set", "board-offer", "stance", "unclear"),
        ("quote", "sundqvist-price", "the price does not reflect the value of our brands"),
        ("drop", "advise"),
    ],
    "court-ruling": [
        ("rename", "supreme-court", "supreme-court", "Supreme Court"),
        ("set", "petrov-data", "topic", "police powers against organised crime"),
        ("set", "narrow-law", "status", "proposed"),
    ],
    "vaccine-rollout": [
        ("rename", "priya-nair", "priya-nair", "Health Minister Priya Nair"),
        ("set", "pharmacies", "status", "under_consideration"),
        ("add_position", {"actor": "omar-castell", "topic": "an emergency order of doses",
                          "stance": "supports",
                          "summary": "Omar Castell wants an emergency order of a million doses.",
                          "evidence": [{"quote": "He called for an emergency order of a further "
                                                 "million doses."}]}),
    ],
    "wind-farm": [
        ("set", "bluecoast-farm", "stance", "conditional"),
        ("quote", "macleod-farm", "once the turbines are in, the fish will be gone for a "
                                  "generation"),
    ],
    "rail-strike": [
        ("rename", "rail-workers-union", "rwu", "Rail Workers' Union"),
        ("drop_actor", "commuter-groups"),
        ("drop", "consider"),
    ],
    "drone-rules": [
        ("rename", "civil-aviation-authority", "caa", "CAA"),
        ("drop", "sky-transponder"),
        ("set", "rules", "participants", []),
    ],
}

NANO: dict[str, list[Edit]] = {
    "river-treaty": [
        ("drop_actor", "dravia"),
        ("drop_actor", "morenia"),
        ("set", "haddad-halt", "stance", "conditional"),
        ("quote", "haddad-data", "Dravia will publish all dam data online"),
        ("drop", "ferreira-verify"),
    ],
    "municipal-election": [
        ("drop_actor", "keswater-election-board"),
        ("set", "oyelaran-recount", "stance", "supports"),
        ("set", "recount", "status", "proposed"),
    ],
    "merger-talks": [
        ("drop_actor", "maria-sundqvist"),
        ("set", "bid", "status", "announced"),
        ("set", "eklund-plants", "topic", "job cuts"),
    ],
    "court-ruling": [
        ("drop_actor", "telecom-operators-association"),
        ("set", "ore-ruling", "actor", "sara-lindqvist"),
        ("add_position", {"actor": "supreme-court", "topic": "the right to privacy",
                          "stance": "supports",
                          "summary": "The court upholds the right to privacy.",
                          "evidence": [{"quote": "breaches the constitution's right to "
                                                 "privacy"}]}),
    ],
    "vaccine-rollout": [
        ("set", "campaign", "proposer", "priya-nair"),
        ("drop_actor", "ministry-of-health"),
        ("quote", "castell-doses", "The government has failed to order enough vaccines"),
    ],
    "wind-farm": [
        ("set", "coop-fund", "stance", "conditional"),
        ("drop_actor", "blue-coast"),
        ("set", "challenge", "status", "proposed"),
    ],
    "rail-strike": [
        ("set", "kowalski-arbitration", "stance", "supports"),
        ("set", "arbitration", "participants", ["national-rail"]),
        ("drop", "timetable"),
    ],
    "drone-rules": [
        ("drop_actor", "quiet-skies"),
        ("drop", "okafor-height"),
        ("set", "rules", "status", "announced"),
    ],
}

MODELS: dict[str, dict[str, list[Edit]]] = {"gpt-4o-mini": MINI, "gpt-4.1-nano": NANO}
