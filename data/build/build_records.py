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
import fx
import policy_investment as PI

BUILT_AT = "2026-11-29T00:00:00Z"


# ---------------------------------------------------------------- adoption
def hf_slug(repo):
    return slug(repo.replace("/", "--"))


def adoption_forecast(log):
    out = []
    base = os.path.join(M.FORECAST, "download")
    method = ("Cumulative HF downloads, authors' reconstruction (Bhandari et al.); weekly sample "
              "of their daily series")
    for f in sorted(os.listdir(base)):
        d = pd.read_csv(os.path.join(base, f))
        datecols = [c for c in d.columns if re.match(r"^\d{4}-\d{2}-\d{2}", c)]
        datecols.sort()
        keep = datecols[::7]
        if datecols[-1] not in keep:
            keep.append(datecols[-1])
        for _, row in d.iterrows():
            repo = str(row["model"])
            if "/" not in repo:
                continue
            for c in keep:
                v = row[c]
                if pd.isna(v):
                    continue
                day = c[:10]
                out.append({
                    "id": f"hf.{hf_slug(repo)}.downloads_total.{day}",
                    "subject_kind": "hf_repo", "subject": repo,
                    "metric": "downloads_total", "value": int(v), "unit": "count",
                    "as_of": day, "period_start": None, "method": method,
                    "sources": [M.SRC_FORECAST],
                })
    return out


def adoption_finetune(log):
    out = []
    base = os.path.join(M.FORECAST, "finetune")
    method = ("Cumulative number of fine-tuned child models on Hugging Face declaring this repository "
              "as base model, last monthly value in Bhandari et al.'s ForecastHuggingFaceModels "
              "finetune series (snapshot 2025-02-18).")
    seen = set()
    for f in sorted(os.listdir(base)):
        d = pd.read_csv(os.path.join(base, f))
        months = [c for c in d.columns if re.match(r"^\d+-month$", c)]
        months.sort(key=lambda c: int(c.split("-")[0]))
        for _, row in d.iterrows():
            repo = str(row["model"])
            vals = [row[c] for c in months if pd.notna(row[c])]
            if "/" not in repo or not vals:
                continue
            rid = f"hf.{hf_slug(repo)}.derivatives.2025-02-18"
            if rid in seen:
                continue
            seen.add(rid)
            created = str(row.get("created_at", ""))[:10]
            out.append({
                "id": rid, "subject_kind": "hf_repo", "subject": repo,
                "metric": "derivatives", "value": int(vals[-1]), "unit": "count",
                "as_of": "2025-02-18",
                "period_start": created if re.match(r"^\d{4}-\d{2}-\d{2}$", created) else None,
                "method": method, "sources": [M.SRC_FORECAST],
            })
    return out


def adoption_llmfit(log):
    out = []
    d = pd.read_csv(M.LLMFIT)
    m30 = ("Hugging Face API 'downloads' field (rolling ~30-day count) for this repository, "
           "scraped by the llmfit project; file dated 2026-03-01.")
    mlk = "Hugging Face likes for this repository, scraped by the llmfit project; file dated 2026-03-01."
    for _, r in d.sort_values("repo_id").iterrows():
        repo = str(r["repo_id"])
        if "/" not in repo:
            continue
        if pd.notna(r["hf_downloads_last30d"]) and int(r["hf_downloads_last30d"]) > 0:
            # zero may be a fallback row for gated repos: omitted rather than shown as 0
            out.append({"id": f"hf.{hf_slug(repo)}.downloads_30d.2026-03-01", "subject_kind": "hf_repo",
                        "subject": repo, "metric": "downloads_30d",
                        "value": int(r["hf_downloads_last30d"]), "unit": "count",
                        "as_of": "2026-03-01", "period_start": None, "method": m30,
                        "sources": [M.SRC_LLMFIT]})
        if pd.notna(r["hf_likes"]):
            out.append({"id": f"hf.{hf_slug(repo)}.likes.2026-03-01", "subject_kind": "hf_repo",
                        "subject": repo, "metric": "likes", "value": int(r["hf_likes"]),
                        "unit": "count", "as_of": "2026-03-01", "period_start": None,
                        "method": mlk, "sources": [M.SRC_LLMFIT]})
    return out


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
            hits = [s for s, pool in ((M.SRC_LLMFIT, llm_ns), (M.SRC_FORECAST, fc_ns), (M.SRC_LEADERBOARD, lb_ns)) if ns.lower() in pool]
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

    adoption = adoption_forecast(log) + adoption_finetune(log) + adoption_llmfit(log) + hand("adoption.jsonl")

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
             "investment": investments, "policy_action": policies, "consideration": considerations}
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
