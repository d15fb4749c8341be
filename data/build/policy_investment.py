"""Policy actions and investment commitments for the record set (stdlib + pandas).

Policy: the hand-entered actions (data/hand/policy_action.jsonl) plus Federal Register documents
from the sample (dataset #12): those chosen in fr_selection.jsonl, and the generic export-control
notices the importer recognises, each of which must be triaged in fr_triage.jsonl (out_of_scope ones
are not emitted, so no count includes them). Every emitted action carries a stance from the rubric
in docs/methods.md, a relevance level and topic tags; executive orders are dated by signature with
the Federal Register date in `published_on`.

Investment: data/hand/investment.jsonl, with USD conversions made here by fx.py.
"""
import os
import re

import pandas as pd

from common import RAW, hand
import fx

FR_CSV = os.path.join(RAW, "policy", "federal_register_ai_semiconductor_documents_sample.csv")
FR_RETRIEVED = "2026-04-03"  # the day the deepseek-news FR sample (and so these FR records) was retrieved
FR_SAMPLE = "deepseek-news-fr-sample"

POLICY_DEFAULTS = {"effective_on": None, "identifiers": {}, "related": [], "published_on": None,
                   "scheduled": False, "superseded_by": None, "topics": []}
CORE_STANCES = {"restrictive", "supportive", "mixed", "neutral"}


def fr_source(row):
    return {"id": f"fr-{row['document_number']}", "url": row["federalregister_url"],
            "title": row["title"], "publisher": "Federal Register (Office of the Federal Register, NARA / GPO)",
            "published_on": row["publication_date"], "retrieved_on": FR_RETRIEVED,
            "reliability": "primary", "grade": "primary", "license": None}


def first_sentences(text, n=2):
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    if not text or text.lower().startswith("no summary"):
        return ""
    parts = re.split(r"(?<=[.])\s+(?=[A-Z])", text)
    return " ".join(parts[:n]).strip()


def is_generic_export_rule(row):
    t, a = row["title"], str(row["abstract"])
    if any(x in t for x in ("Uyghur", "Information Collection", "Procedures for Access", "Public Briefing")):
        return False
    if not ("Bureau of Industry and Security" in a or "(BIS)" in a or "BIS " in a):
        return False
    keys = ("Entity List", "Export Controls", "Advanced Computing", "Validated End-User",
            "Unverified List", "Due Diligence Measures", "Radiation Hardened")
    return any(k in t for k in keys)


def _fr_record(row, doc, *, rid, body, title, instrument, stage, date, stance, relevance, topics,
               summary, related, sources, effective_on=None, identifiers=None):
    return dict(POLICY_DEFAULTS, **{
        "id": rid, "jurisdiction": "US", "body": body, "title": title, "instrument": instrument,
        "stage": stage, "date": date, "effective_on": effective_on, "stance_on_open_models": stance,
        "identifiers": dict({"fr_doc": doc}, **(identifiers or {})), "summary": summary,
        "related": related, "sources": sources, "relevance": relevance, "topics": topics,
        "published_on": row["publication_date"],
    })


def policy_fr(hand_policies, log):
    """(records, sources) from the FR sample; raises if a generic notice has not been triaged."""
    fr = pd.read_csv(FR_CSV, dtype=str)
    covered = {p["identifiers"].get("fr_doc") for p in hand_policies}
    selection = {s["fr_doc"]: s for s in hand("fr_selection.jsonl")}
    triage = {t["fr_doc"]: t for t in hand("fr_triage.jsonl")}
    policies, sources, removed = [], {}, []
    for _, row in fr.sort_values("document_number").iterrows():
        doc = row["document_number"]
        if doc in covered:
            sources[f"fr-{doc}"] = fr_source(row)
            continue
        sel = selection.get(doc)
        tri = triage.get(doc)
        if sel is None and tri is None:
            if is_generic_export_rule(row):
                raise SystemExit(f"FR document {doc} ({row['title'][:60]}) needs a row in data/hand/fr_triage.jsonl")
            continue
        if tri is not None and tri["relevance"] == "out_of_scope":
            removed.append(doc)
            continue
        sources[f"fr-{doc}"] = fr_source(row)
        abstract = first_sentences(row["abstract"])
        if sel:
            summary = " ".join(x for x in (sel.get("summary_prefix", ""), abstract, sel["stance_reason"]) if x)
            policies.append(_fr_record(
                row, doc, rid=sel["id"], body=sel["body"], title=sel.get("title") or row["title"],
                instrument=sel["instrument"], stage=sel["stage"],
                # an executive order is dated by signature; the FR date goes to published_on
                date=sel.get("signed_on") or row["publication_date"], stance=sel["stance"],
                relevance=sel["relevance"], topics=sel.get("topics", []), summary=summary,
                related=sel.get("related", []), effective_on=sel.get("effective_on"),
                identifiers=sel.get("identifiers"),
                sources=[f"fr-{doc}"] + sel.get("sources", []) + [FR_SAMPLE]))
        else:
            summary = " ".join(x for x in (tri.get("summary_prefix", ""), abstract, tri["stance_reason"]) if x)
            policies.append(_fr_record(
                row, doc, rid=f"us-bis-fr-{doc}", body="Bureau of Industry and Security, US Department of Commerce",
                title=row["title"], instrument="export_control", stage="in_force", date=row["publication_date"],
                stance=tri["stance"], relevance=tri["relevance"], topics=tri.get("topics", []), summary=summary,
                related=[], sources=[f"fr-{doc}"] + tri.get("sources", []) + [FR_SAMPLE]))
    unused = sorted(set(triage) - {r["identifiers"]["fr_doc"] for r in policies} - set(removed))
    if unused:
        log.append(f"fr_triage rows for documents not in the sample: {unused}")
    log.append(f"{len(removed)} Federal Register notices triaged out of scope and not emitted")
    return policies, sources


def hand_policies():
    """The hand-entered actions with every schema-2 field present."""
    out = []
    for p in hand("policy_action.jsonl"):
        out.append(dict(POLICY_DEFAULTS, **p))
    return out


def check_policies(policies):
    """The rubric's invariants: every action coded; relevance 'core' exactly when the stance says it
    bears on open models; scheduled milestones dated."""
    problems = []
    for p in policies:
        rel, stance = p.get("relevance"), p["stance_on_open_models"]
        if rel not in ("core", "context"):
            problems.append(f"{p['id']}: relevance {rel!r} (every emitted action is core or context)")
        elif stance in CORE_STANCES and rel != "core":
            problems.append(f"{p['id']}: stance {stance} bears on open models, so relevance must be core")
        elif stance == "not_applicable" and rel != "context":
            problems.append(f"{p['id']}: stance not_applicable, so relevance must be context")
        if not p.get("topics"):
            problems.append(f"{p['id']}: no topic tags") if rel == "core" else None
    if problems:
        raise SystemExit("policy coding problems:\n  " + "\n  ".join(problems))


def investments():
    """Hand commitments converted to USD (fx.py), every schema-2 field present; a record in a
    currency the G.5 publishes must have a rate for its month."""
    out = []
    for r in hand("investment.jsonl"):
        rec = fx.convert(dict({"part_of": None, "overlaps": []}, **r))
        if rec["currency"] in fx.G5_CURRENCIES and rec["amount_usd"] is None:
            raise SystemExit(f"investment {rec['id']}: no G.5 rate recorded for {rec['currency']} {rec['announced_on'][:7]}")
        out.append(rec)
    ids = {r["id"] for r in out}
    for r in out:
        for other in r["overlaps"] + ([r["part_of"]] if r["part_of"] else []):
            if other not in ids:
                raise SystemExit(f"investment {r['id']}: links to unknown record {other}")
        if (r["status"] == "reported") != (r["confirmation"] == "press_reported"):
            raise SystemExit(f"investment {r['id']}: status 'reported' goes with confirmation 'press_reported'")
    return out
