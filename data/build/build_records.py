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
from common import RAW, RECORDS, hand, slug, write_kind
import models as M
import fx

BUILT_AT = "2026-11-29T00:00:00Z"
FR_CSV = os.path.join(RAW, "policy", "federal_register_ai_semiconductor_documents_sample.csv")
FR_RETRIEVED = "2026-04-03"  # snapshot date of the deepseek-news FR sample


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


# ---------------------------------------------------------------- policy (Federal Register)
def fr_source(row):
    return {"id": f"fr-{row['document_number']}", "url": row["federalregister_url"],
            "title": row["title"], "publisher": "Federal Register (Office of the Federal Register, NARA / GPO)",
            "published_on": row["publication_date"], "retrieved_on": FR_RETRIEVED,
            "reliability": "primary", "license": None}


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


def policy_fr(hand_policies, log):
    fr = pd.read_csv(FR_CSV, dtype=str)
    covered = {p["identifiers"].get("fr_doc") for p in hand_policies}
    selection = {s["fr_doc"]: s for s in hand("fr_selection.jsonl")}
    policies, sources = [], {}
    for _, row in fr.sort_values("document_number").iterrows():
        doc = row["document_number"]
        if doc in covered:
            sources[f"fr-{doc}"] = fr_source(row)
            continue
        sel = selection.get(doc)
        if sel is None and not is_generic_export_rule(row):
            continue
        sources[f"fr-{doc}"] = fr_source(row)
        abstract = first_sentences(row["abstract"])
        if sel:
            rec = {"id": sel["id"], "jurisdiction": "US", "body": sel["body"],
                   "title": sel.get("title") or row["title"], "instrument": sel["instrument"],
                   "stage": sel["stage"], "date": row["publication_date"],
                   "effective_on": sel.get("effective_on"),
                   "stance_on_open_models": sel["stance"],
                   "identifiers": dict({"fr_doc": doc}, **sel.get("identifiers", {})),
                   "summary": " ".join(x for x in (sel.get("summary_prefix", ""), abstract, sel["stance_reason"]) if x),
                   "related": sel.get("related", []), "sources": [f"fr-{doc}", "deepseek-news-fr-sample"] + sel.get("sources", [])}
        else:
            reason = ("Stance: neutral: an Export Administration Regulations action on listed entities or "
                      "hardware items; it does not address the publication of AI model weights.")
            rec = {"id": f"us-bis-fr-{doc}", "jurisdiction": "US",
                   "body": "Bureau of Industry and Security, US Department of Commerce",
                   "title": row["title"], "instrument": "export_control", "stage": "in_force",
                   "date": row["publication_date"], "effective_on": None,
                   "stance_on_open_models": "neutral", "identifiers": {"fr_doc": doc},
                   "summary": (abstract + " " if abstract else "") + reason,
                   "related": [], "sources": [f"fr-{doc}", "deepseek-news-fr-sample"]}
        policies.append(rec)
    return policies, sources


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

    hand_pol = hand("policy_action.jsonl")
    # "scheduled": a milestone dated after the facts observed in this record set; it does not move
    # data_as_of (the key is not a spec field and is dropped from the output)
    scheduled = {p["id"] for p in hand_pol if p.pop("scheduled", False)}
    fr_pol, fr_src = policy_fr(hand_pol, log)
    sources.update(fr_src)
    policies = hand_pol + fr_pol
    # part_of is our extension field (null for a top-level commitment); USD conversions at a cited
    # official rate are made here, reproducibly, never typed into the hand file
    investments = [fx.convert(dict({"part_of": None}, **r)) for r in hand("investment.jsonl")]
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
    kinds["source"] = [sources[s] for s in sorted(cited)]
    for kind, recs in kinds.items():
        write_kind(kind, recs)

    dates = [r["as_of"] for r in adoption] + [r["date"] for r in policies if r["id"] not in scheduled] + \
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
