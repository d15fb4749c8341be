"""Single entry point: python data/build/build_records.py

Reads data/raw/ (copies of the upstream datasets) and data/hand/*.jsonl, writes
data/records/<kind>.jsonl and data/records/snapshot.json. Deterministic: no clock reads,
sorted output, fixed built_at.
"""
import json
import os
import re
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import RECORDS, hand, slug, write_kind
import models as M
import adoption as A
import attribution
import fx
import policy_investment as PI

BUILT_AT = "2026-11-29T00:00:00Z"


def source_record(src):
    """A source with every schema-2 field: a grade (hand sources carry one; a dataset or API source
    graded primary), and `reliability` (the schema-1 field) derived from it."""
    grade = src.get("grade") or ("primary" if src.get("reliability") == "primary" else "weak")
    return dict(src, grade=grade, reliability="primary" if grade == "primary" else "secondary")


# ---------------------------------------------------------------- main
def main():
    log = []
    sources = {s["id"]: s for s in hand("source.jsonl")}
    resolver = M.OrgResolver(hand("organization.jsonl"))
    models = M.build_models(resolver, log)

    # organizations: keep those referenced by a model, or hand orgs with namespaces
    used = {m["organization"] for m in models.values()}
    by_ns, _ = M._repo_universe()
    llm_ns = {r.split("/")[0].lower() for r in pd.read_csv(M.LLMFIT).repo_id.dropna()}
    llm_ns |= {r.split("/")[0].lower() for r in pd.read_csv(A.LLMFIT_HISTORY, usecols=["repo_id"]).repo_id.dropna()}
    trend_ns = {r.split("/")[0].lower() for r in pd.read_csv(A.TRENDING, usecols=["repo_id"]).repo_id.dropna()}
    atom_ns = attribution.namespaces()
    lb_ns = {r.split("/")[0].lower() for r in pd.read_csv(M.LEADERBOARD, usecols=["model_name"]).model_name.dropna() if "/" in r}
    fc_ns = set()
    for sub in ("download", "finetune"):
        dd = os.path.join(M.FORECAST, sub)
        for f in sorted(os.listdir(dd)):
            fc_ns.update(x.split("/")[0].lower() for x in pd.read_csv(os.path.join(dd, f), usecols=["model"]).model.dropna() if "/" in x)
    orgs = []
    for oid, o in resolver.orgs.items():
        if oid not in used:
            continue
        o = dict(o)
        srcs = list(o.get("sources", []))
        verified = []
        for ns in o.get("hf_namespaces", []):
            pools = ((M.SRC_LLMFIT, llm_ns), (M.SRC_FORECAST, fc_ns), (M.SRC_LEADERBOARD, lb_ns),
                     (A.SRC_TRENDING, trend_ns), (attribution.SRC_ATOM, atom_ns))
            hits = [s for s, pool in pools if ns.lower() in pool]
            if hits:
                verified.append(ns)
                srcs += hits
            else:
                # namespace taken from a model's hf_repos (hand entries) counts too
                if any(r.split("/")[0] == ns for m in models.values() if m["organization"] == oid for r in m["hf_repos"]):
                    verified.append(ns)
                else:
                    log.append(f"namespace {ns} of {oid} not seen in any dataset; dropped")
        for m in models.values():
            if m["organization"] == oid:
                srcs += m["sources"]
        o["hf_namespaces"] = verified
        o["sources"] = sorted(set(s for s in srcs if s in sources or s.startswith("fr-")))
        orgs.append(o)

    readings, reading_sources = A.build(log)
    sources.update(reading_sources)
    # hand-entered headline figures (study shares, company totals) belong to no series
    adoption = readings + [dict({"series": None}, **r) for r in hand("adoption.jsonl")]
    namespaces = attribution.build(orgs, log)
    sources[attribution.SRC_ATOM] = attribution.SOURCE

    hand_pol = PI.hand_policies()
    fr_pol, fr_src = PI.policy_fr(hand_pol, log)
    sources.update(fr_src)
    policies = hand_pol + fr_pol
    PI.check_policies(policies)
    # USD conversions at the Federal Reserve's published rates are made here, reproducibly, never
    # typed into the hand file
    investments = PI.investments()
    sources[fx.SOURCE_ID] = fx.SOURCE
    considerations = hand("consideration.jsonl")

    kinds = {"organization": orgs, "model": list(models.values()), "adoption": adoption,
             "investment": investments, "policy_action": policies, "consideration": considerations,
             "hf_namespace": namespaces, "hf_repo": []}
    cited = set()
    for recs in kinds.values():
        for r in recs:
            cited.update(r["sources"])
    missing = sorted(cited - set(sources))
    if missing:
        raise SystemExit(f"cited but undefined sources: {missing}")
    unused = sorted(set(sources) - cited)
    for u in unused:
        log.append(f"source {u} is not cited by any record; dropped from output")
    kinds["source"] = [source_record(sources[s]) for s in sorted(cited)]
    for kind, recs in kinds.items():
        write_kind(kind, recs)

    # the data date is the latest measurement; a milestone scheduled after the data were gathered
    # ("scheduled": true) never moves it
    dates = [r["as_of"] for r in adoption] + [r["date"] for r in policies if not r["scheduled"]] + \
            [r["announced_on"] for r in investments] + [r["released_on"] for r in models.values()]
    snap = {"snapshot_version": 1, "data_as_of": max(dates), "built_at": BUILT_AT}
    with open(os.path.join(RECORDS, "snapshot.json"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(snap, sort_keys=True) + "\n")
    for line in log:
        print("note:", line, file=sys.stderr)
    for kind, recs in sorted(kinds.items()):
        print(f"{kind}: {len(recs)}")


if __name__ == "__main__":
    main()
