"""The hand-written gold for examples/gold/: per article, what a careful reader extracts.

Conventions (docs/evaluation.md#writing-gold): an actor is whoever speaks, decides or acts in
the article (countries and organisations included, bystanders and mere affiliations not);
a position is one actor's stance on one topic; an action is something an actor proposes,
announces, considers or rejects doing. Every quote is copied verbatim from the article.
`aliases` lists other names the article uses for an actor, for people reading this file: the
shipped gold records leave them out so that they pass `summarise validate` (eval's own rules
already pair these names, docs/evaluation.md#actors). `tag` names a claim for the model
variants in build.py and is dropped from the files.
"""

from __future__ import annotations

from typing import Any


def actor(id_: str, name: str, kind: str, role: str | None = None,
          affiliation: str | None = None, aliases: tuple[str, ...] = ()) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": id_, "name": name, "kind": kind, "role": role,
                             "affiliation": affiliation}
    if aliases:
        entry["aliases"] = list(aliases)
    return entry


def position(tag: str, actor_id: str, topic: str, stance: str, summary: str,
             *quotes: str) -> dict[str, Any]:
    return {"tag": tag, "actor": actor_id, "topic": topic, "stance": stance, "summary": summary,
            "evidence": [{"quote": quote} for quote in quotes]}


def action(tag: str, proposer: str, text: str, status: str, participants: list[str],
           conditions: list[str], *quotes: str) -> dict[str, Any]:
    return {"tag": tag, "proposer": proposer, "action": text, "participants": participants,
            "status": status, "conditions": conditions,
            "evidence": [{"quote": quote} for quote in quotes]}


GOLD: dict[str, dict[str, Any]] = {}

GOLD["river-treaty"] = {
    "summary": "Dravia and Morenia agreed to resume talks on the Selva river dam three months "
    "after Morenia walked out. Dravia offers to share flow data but refuses to halt the filling "
    "of the reservoir; Morenia wants independently verified flows. The Regional Water Commission "
    "proposed a joint monitoring station and a new round of talks in Geneva in March.",
    "actors": [
        actor("dravia", "Dravia", "country"),
        actor("morenia", "Morenia", "country"),
        actor("amal-haddad", "Amal Haddad", "person", "Foreign minister", "Dravia",
              ("Dr. Amal Haddad", "Haddad")),
        actor("tomas-ferreira", "Tomás Ferreira", "person", "Water minister", "Morenia"),
        actor("regional-water-commission", "Regional Water Commission", "organisation",
              None, None, ("RWC",)),
        actor("ingrid-solheim", "Ingrid Solheim", "person", "Chair",
              "Regional Water Commission"),
    ],
    "positions": [
        position("haddad-data", "amal-haddad", "sharing dam flow data", "supports",
                 "Amal Haddad says Dravia will share daily flow data with any neighbour.",
                 "her government would share daily flow data from the dam"),
        position("haddad-halt", "amal-haddad", "halting the filling of the reservoir", "opposes",
                 "Amal Haddad rejects halting the filling, which would cost a season of power.",
                 "She rejected Morenia's demand to halt the filling of the reservoir.",
                 "Stopping the filling now would cost us a whole season of power"),
        position("ferreira-slower", "tomas-ferreira", "a slower filling schedule", "conditional",
                 "Tomás Ferreira would accept slower filling if flows are independently verified.",
                 "his country could accept a slower filling schedule only if an independent body "
                 "verified the flows"),
        position("ferreira-verify", "tomas-ferreira", "independent verification of the flows",
                 "supports", "Tomás Ferreira wants flow figures that can be trusted.",
                 "We need numbers we can trust, not promises"),
        position("rwc-station", "regional-water-commission", "a joint monitoring station",
                 "supports", "The commission proposes a joint monitoring station below the dam.",
                 "proposed a joint monitoring station below the dam"),
    ],
    "actions": [
        action("resume", "dravia", "resume talks on the Selva river dam", "announced",
               ["morenia"], [],
               "Negotiators from Dravia and Morenia agreed on Tuesday to resume talks on the "
               "Selva river dam"),
        action("share-data", "amal-haddad", "share daily flow data from the dam", "announced",
               ["morenia"], ["with any neighbour who asks for it"],
               "her government would share daily flow data from the dam"),
        action("slower-filling", "tomas-ferreira", "accept a slower filling schedule",
               "conditional", ["dravia"], ["an independent body verifies the flows"],
               "his country could accept a slower filling schedule only if an independent body "
               "verified the flows"),
        action("station", "regional-water-commission",
               "set up a joint monitoring station below the dam", "proposed",
               ["dravia", "morenia"], [], "proposed a joint monitoring station below the dam"),
        action("pay", "regional-water-commission",
               "pay for the monitoring station's first year of operation", "proposed", [], [],
               "offered to pay for its first year of operation"),
        action("geneva", "ingrid-solheim", "hold the next round of talks in Geneva in March",
               "announced", ["dravia", "morenia"], [],
               "the next round would be held in Geneva in March"),
    ],
}

GOLD["municipal-election"] = {
    "summary": "Mayor Helena Brandt leads challenger Marcus Oyelaran by fewer than 600 votes in "
    "Keswater's mayoral election, with postal ballots still to count. Oyelaran would request a "
    "recount below a 0.5 per cent margin and opposes Brandt's tram extension.",
    "actors": [
        actor("helena-brandt", "Helena Brandt", "person", "Mayor", "Civic Alliance"),
        actor("marcus-oyelaran", "Marcus Oyelaran", "person", "Mayoral candidate",
              "Green Party"),
        actor("keswater-election-board", "Keswater Election Board", "organisation"),
    ],
    "positions": [
        position("brandt-tram", "helena-brandt", "extending the tram line", "supports",
                 "Helena Brandt will press ahead with extending the tram line.",
                 "promised to press ahead with her plan to extend the tram line to the northern "
                 "suburbs"),
        position("oyelaran-tram", "marcus-oyelaran", "the tram extension", "opposes",
                 "Marcus Oyelaran opposes the tram extension as too costly for too few riders.",
                 "He again opposed the tram extension",
                 "a billion-crown project for a few thousand riders"),
        position("oyelaran-recount", "marcus-oyelaran", "a full recount", "conditional",
                 "Marcus Oyelaran would request a recount if the margin is below 0.5 per cent.",
                 "he would request a full recount if the final margin fell below 0.5 per cent"),
    ],
    "actions": [
        action("tram", "helena-brandt", "extend the tram line to the northern suburbs",
               "announced", [], [],
               "promised to press ahead with her plan to extend the tram line to the northern "
               "suburbs"),
        action("recount", "marcus-oyelaran", "request a full recount", "conditional",
               ["keswater-election-board"], ["the final margin falls below 0.5 per cent"],
               "he would request a full recount if the final margin fell below 0.5 per cent"),
        action("publish", "keswater-election-board", "publish the final result on Wednesday",
               "announced", [], [], "it would publish the final result on Wednesday"),
    ],
}

GOLD["merger-talks"] = {
    "summary": "Norvik Foods has offered 1.2 billion euros for Baltic Dairy. Norvik promises to "
    "keep all plants open for three years; Baltic Dairy's chair says the price is too low, the "
    "Food Workers' Union opposes the deal and the competition authority will review it.",
    "actors": [
        actor("norvik-foods", "Norvik Foods", "organisation", aliases=("Norvik",)),
        actor("baltic-dairy", "Baltic Dairy", "organisation"),
        actor("lars-eklund", "Lars Eklund", "person", "Chief executive", "Norvik Foods"),
        actor("maria-sundqvist", "Maria Sundqvist", "person", "Chair", "Baltic Dairy"),
        actor("food-workers-union", "Food Workers' Union", "organisation"),
        actor("piet-janssens", "Piet Janssens", "person", "Union leader",
              "Food Workers' Union"),
        actor("national-competition-authority", "National Competition Authority",
              "organisation"),
    ],
    "positions": [
        position("eklund-plants", "lars-eklund", "keeping Baltic Dairy's plants open",
                 "supports", "Lars Eklund promises to keep all five plants open for three years.",
                 "keep all of Baltic Dairy's five plants open for at least three years",
                 "This is about growth, not cuts"),
        position("sundqvist-price", "maria-sundqvist", "the offer price", "opposes",
                 "Maria Sundqvist says the price undervalues Baltic Dairy's brands.",
                 "does not yet reflect the value of our brands"),
        position("union-deal", "food-workers-union", "the takeover", "opposes",
                 "The union opposes the deal, fearing closures.",
                 "The Food Workers' Union opposed the deal"),
        position("janssens-guarantees", "piet-janssens", "binding job guarantees", "supports",
                 "Piet Janssens wants job guarantees written into any agreement.",
                 "called for binding job guarantees to be written into any agreement"),
        position("board-offer", "baltic-dairy", "Norvik's offer", "neutral",
                 "Baltic Dairy's board is studying the offer.",
                 "Baltic Dairy's board said it was studying the offer"),
    ],
    "actions": [
        action("bid", "norvik-foods", "buy Baltic Dairy for 1.2 billion euros", "proposed",
               ["baltic-dairy"], [], "Norvik Foods has offered 1.2 billion euros for Baltic Dairy"),
        action("plants", "lars-eklund", "keep all five Baltic Dairy plants open for three years",
               "proposed", ["baltic-dairy"], ["for at least three years"],
               "keep all of Baltic Dairy's five plants open for at least three years"),
        action("advise", "baltic-dairy", "advise shareholders on the offer", "announced", [],
               ["within two weeks"], "would advise shareholders within two weeks"),
        action("guarantees", "piet-janssens", "write binding job guarantees into the agreement",
               "proposed", ["norvik-foods", "baltic-dairy"], [],
               "called for binding job guarantees to be written into any agreement"),
        action("review", "national-competition-authority",
               "examine the merger's effect on milk prices paid to farmers", "announced",
               ["norvik-foods", "baltic-dairy"], ["up to six months"],
               "would examine whether the merger would give the new group too much power over "
               "milk prices paid to farmers"),
    ],
}

GOLD["court-ruling"] = {
    "summary": "Estavia's Supreme Court struck down the law making telephone companies keep call "
    "records for two years as a breach of privacy. The interior minister will draft a narrower "
    "law; a privacy group welcomed the ruling and wants existing records deleted.",
    "actors": [
        actor("supreme-court", "Supreme Court of Estavia", "organisation"),
        actor("elena-varga", "Elena Varga", "person", "Chief Justice",
              "Supreme Court of Estavia"),
        actor("jonas-petrov", "Jonas Petrov", "person", "Interior minister", "Estavia"),
        actor("open-rights-estavia", "Open Rights Estavia", "organisation"),
        actor("sara-lindqvist", "Sara Lindqvist", "person", "Director", "Open Rights Estavia"),
        actor("telecom-operators-association", "Telecom Operators Association", "organisation"),
    ],
    "positions": [
        position("court-retention", "supreme-court", "bulk retention of call records",
                 "opposes", "The court finds blanket retention of call data disproportionate.",
                 "breaches the constitution's right to privacy",
                 "without any link to a suspected crime"),
        position("petrov-data", "jonas-petrov", "losing access to call records", "opposes",
                 "Jonas Petrov warns the police lose a vital tool against organised crime.",
                 "a vital tool against organised crime"),
        position("ore-ruling", "open-rights-estavia", "the court ruling", "supports",
                 "Open Rights Estavia calls the ruling a victory for every citizen.",
                 "a victory for every citizen"),
        position("lindqvist-delete", "sara-lindqvist", "deleting the collected records",
                 "supports", "Sara Lindqvist wants the records already collected deleted.",
                 "urged parliament to delete the records already collected"),
    ],
    "actions": [
        action("narrow-law", "jonas-petrov", "draft a narrower data retention law", "announced",
               [], ["limited to serious offences", "subject to a judge's approval",
                    "before the summer"],
               "the ministry would draft a narrower law, limited to serious offences and subject "
               "to a judge's approval, before the summer"),
        action("delete", "sara-lindqvist", "delete the call records already collected",
               "proposed", [], [], "urged parliament to delete the records already collected"),
        action("stop-storing", "telecom-operators-association", "stop storing call data",
               "announced", [], ["as soon as the ruling takes effect"],
               "its members would stop storing the data as soon as the ruling takes effect"),
    ],
}

GOLD["vaccine-rollout"] = {
    "summary": "The Ministry of Health will start its winter flu vaccination campaign two weeks "
    "early, on 1 November. The Medical Association wants pharmacies to vaccinate all adults, and "
    "the opposition says too few doses were ordered.",
    "actors": [
        actor("ministry-of-health", "Ministry of Health", "organisation"),
        actor("priya-nair", "Priya Nair", "person", "Health minister", "Ministry of Health"),
        actor("medical-association", "Medical Association", "organisation"),
        actor("henrik-dahl", "Henrik Dahl", "person", "President", "Medical Association"),
        actor("omar-castell", "Omar Castell", "person", "Opposition health spokesman", None),
    ],
    "positions": [
        position("ma-start", "medical-association", "the earlier start of the campaign",
                 "supports", "The Medical Association welcomes the earlier start.",
                 "The Medical Association welcomed the earlier start"),
        position("dahl-pharmacies", "henrik-dahl", "vaccination in pharmacies", "supports",
                 "Henrik Dahl wants pharmacies to vaccinate all adults.",
                 "proposed that pharmacies be allowed to give the vaccine to all adults"),
        position("castell-doses", "omar-castell", "the number of doses ordered", "opposes",
                 "Omar Castell says the government ordered too few doses.",
                 "Two million doses for three million people at risk is not a plan"),
        position("ministry-pharmacies", "ministry-of-health", "the pharmacy proposal", "neutral",
                 "The ministry is considering the pharmacy proposal.",
                 "The ministry said it was considering the proposal"),
    ],
    "actions": [
        action("campaign", "ministry-of-health",
               "begin the winter flu vaccination campaign on 1 November", "announced", [], [],
               "will begin its winter flu vaccination campaign two weeks early, on 1 November"),
        action("priority", "priya-nair",
               "offer the vaccine first to people over 65, pregnant women and health workers",
               "announced", [], [],
               "everyone over 65, pregnant women and health workers would be offered the vaccine "
               "first"),
        action("pharmacies", "henrik-dahl", "allow pharmacies to vaccinate all adults",
               "proposed", ["ministry-of-health"], [],
               "proposed that pharmacies be allowed to give the vaccine to all adults"),
        action("emergency-order", "omar-castell", "order a further million doses", "proposed",
               ["ministry-of-health"], [],
               "He called for an emergency order of a further million doses."),
    ],
}

GOLD["wind-farm"] = {
    "summary": "Northwind Energy presented a 900-megawatt wind farm off Kestrel Bank and proposed "
    "a compensation fund for fishing crews, who rejected it and plan a court challenge. The Marine "
    "Planning Agency will commission a study of fish stocks before ruling.",
    "actors": [
        actor("northwind-energy", "Northwind Energy", "organisation", aliases=("Northwind",)),
        actor("claire-dubois", "Claire Dubois", "person", "Project director",
              "Northwind Energy"),
        actor("fishermens-cooperative", "Port Aldous Fishermen's Cooperative", "organisation"),
        actor("ewan-macleod", "Ewan MacLeod", "person", "Chairman",
              "Port Aldous Fishermen's Cooperative"),
        actor("marine-planning-agency", "Marine Planning Agency", "organisation"),
        actor("blue-coast", "Blue Coast", "organisation"),
    ],
    "positions": [
        position("dubois-farm", "claire-dubois", "the Kestrel Bank wind farm", "supports",
                 "Claire Dubois says the project will share the sea with fishing crews.",
                 "We want to share the sea, not take it"),
        position("coop-fund", "fishermens-cooperative", "the compensation fund", "opposes",
                 "The cooperative rejects the compensation offer.",
                 "The Port Aldous Fishermen's Cooperative rejected the offer."),
        position("macleod-farm", "ewan-macleod", "the wind farm", "opposes",
                 "Ewan MacLeod says the turbines would drive the fish away for a generation.",
                 "Once the turbines are in, the fish are gone for a generation"),
        position("bluecoast-farm", "blue-coast", "the wind farm", "supports",
                 "Blue Coast supports the wind farm but wants the spawning season avoided.",
                 "Environmental group Blue Coast supported the wind farm"),
    ],
    "actions": [
        action("fund", "claire-dubois", "set up a 12-million-euro compensation fund for fishing "
               "crews", "proposed", ["fishermens-cooperative"], [],
               "proposed a compensation fund of 12 million euros for fishing crews who lose "
               "access to their grounds"),
        action("challenge", "fishermens-cooperative", "challenge the permit in court",
               "announced", ["marine-planning-agency"], [],
               "The cooperative plans to challenge the permit in court."),
        action("study", "marine-planning-agency",
               "commission an independent study of the impact on fish stocks", "announced", [],
               ["before ruling"],
               "it would commission an independent study of the impact on fish stocks before "
               "ruling"),
        action("spawning", "blue-coast", "avoid construction during the spawning season",
               "proposed", ["northwind-energy"], [],
               "asked that construction avoid the spawning season"),
    ],
}

GOLD["rail-strike"] = {
    "summary": "The Rail Workers' Union will strike for 48 hours from Tuesday after pay talks with "
    "National Rail collapsed. The transport minister proposed independent arbitration, which the "
    "union would consider only if its strike notice stood.",
    "actors": [
        actor("rail-workers-union", "Rail Workers' Union", "organisation"),
        actor("dana-kowalski", "Dana Kowalski", "person", "General secretary",
              "Rail Workers' Union"),
        actor("national-rail", "National Rail", "organisation"),
        actor("robert-hale", "Robert Hale", "person", "Chief executive", "National Rail"),
        actor("alicia-moreno", "Alicia Moreno", "person", "Transport minister", None),
        actor("commuter-groups", "Commuter groups", "group"),
    ],
    "positions": [
        position("kowalski-offer", "dana-kowalski", "the 3 per cent pay offer", "opposes",
                 "Dana Kowalski calls the offer a real-terms pay cut.", "a real-terms pay cut"),
        position("hale-pay", "robert-hale", "a higher pay rise", "opposes",
                 "Robert Hale says more pay would mean higher fares.",
                 "the company could not afford more without raising fares"),
        position("moreno-arbitration", "alicia-moreno", "independent arbitration", "supports",
                 "Alicia Moreno proposes independent arbitration.",
                 "proposed independent arbitration"),
        position("kowalski-arbitration", "dana-kowalski", "arbitration", "conditional",
                 "Dana Kowalski would consider arbitration if the strike notice stands.",
                 "the union would consider arbitration only if the strike notice stood until a "
                 "deal was signed"),
    ],
    "actions": [
        action("strike", "rail-workers-union", "strike for 48 hours from Tuesday", "announced",
               ["national-rail"], [],
               "Train drivers and conductors will stop work for 48 hours from Tuesday"),
        action("timetable", "national-rail", "run a reduced timetable during the strike",
               "announced", [], ["about one train in five"],
               "the operator would run a reduced timetable during the strike"),
        action("arbitration", "alicia-moreno", "independent arbitration of the pay dispute",
               "proposed", ["rail-workers-union", "national-rail"],
               ["the government accepts the result if both parties do"],
               "proposed independent arbitration"),
        action("consider", "dana-kowalski", "consider arbitration", "conditional",
               ["alicia-moreno"], ["the strike notice stands until a deal is signed"],
               "the union would consider arbitration only if the strike notice stood until a "
               "deal was signed"),
    ],
}

GOLD["drone-rules"] = {
    "summary": "The Civil Aviation Authority proposed the first national rules for delivery "
    "drones: transponders and a 60-metre minimum height over homes. SkyParcel backs the "
    "transponders but not the height limit; pilots back the rules and want airfield bans.",
    "actors": [
        actor("civil-aviation-authority", "Civil Aviation Authority", "organisation",
              aliases=("CAA",)),
        actor("sofia-ramos", "Sofia Ramos", "person", "Director general",
              "Civil Aviation Authority"),
        actor("skyparcel", "SkyParcel", "organisation"),
        actor("daniel-okafor", "Daniel Okafor", "person", "Chief operating officer", "SkyParcel"),
        actor("pilots-federation", "Pilots' Federation", "organisation"),
        actor("quiet-skies", "Quiet Skies", "group"),
    ],
    "positions": [
        position("sky-transponder", "skyparcel", "the transponder requirement", "supports",
                 "SkyParcel supports fitting transponders.",
                 "said it supported the transponder requirement"),
        position("sky-height", "skyparcel", "the 60-metre height limit", "opposes",
                 "SkyParcel opposes the height limit.", "opposed the height limit"),
        position("okafor-height", "daniel-okafor", "the height limit", "opposes",
                 "Daniel Okafor says the height limit would double noise complaints.",
                 "double the noise complaints we were trying to solve"),
        position("pilots-rules", "pilots-federation", "the proposed drone rules", "supports",
                 "The Pilots' Federation backs the proposals.",
                 "The Pilots' Federation backed the proposals"),
        position("ramos-rules", "sofia-ramos", "the proposed drone rules", "supports",
                 "Sofia Ramos says the rules are needed after 40 near-misses.",
                 "the rules were needed after 40 near-misses with light aircraft last year"),
    ],
    "actions": [
        action("rules", "civil-aviation-authority",
               "require transponders and a 60-metre minimum height for delivery drones",
               "proposed", ["skyparcel"], ["drones heavier than 250 grams"],
               "proposed on Wednesday that all delivery drones heavier than 250 grams carry a "
               "transponder and fly no lower than 60 metres over homes"),
        action("consult", "civil-aviation-authority", "consult the public for eight weeks",
               "announced", [], [], "The authority will consult the public for eight weeks"),
        action("airfields", "pilots-federation",
               "ban drone flights within five kilometres of small airfields", "proposed",
               ["civil-aviation-authority"], [],
               "banning drone flights within five kilometres of small airfields"),
        action("night-ban", "quiet-skies", "campaign for a ban on night-time deliveries",
               "announced", [], [], "it would campaign for a ban on night-time deliveries"),
    ],
}
