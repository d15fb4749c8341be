"""Self-check of data/records: python data/build/check_records.py (exit 1 on failure)."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import RECORDS, KINDS, ID_RE, DATE_RE, dump_line  # noqa: E402

ENUMS = {
    ("source", "reliability"): {"primary", "secondary"},
    ("organization", "kind"): {"company", "lab", "university", "government", "nonprofit", "fund"},
    ("model", "access"): {"open_weights", "open_weights_restricted", "open_weights_noncommercial", "api", "closed"},
    ("adoption", "subject_kind"): {"hf_repo", "model", "family", "organization", "country"},
    ("adoption", "metric"): {"downloads_30d", "downloads_total", "likes", "derivatives", "download_share"},
    ("adoption", "unit"): {"count", "percent"},
    ("investment", "category"): {"compute", "sovereign_fund", "research", "open_models", "talent", "mixed"},
    ("investment", "status"): {"announced", "committed", "disbursing", "completed", "withdrawn"},
    ("policy_action", "instrument"): {"export_control", "legislation", "executive_action", "regulation", "guidance",
                                      "licensing", "procurement", "funding", "international", "standard"},
    ("policy_action", "stage"): {"proposed", "introduced", "passed_chamber", "enacted", "in_force", "rescinded",
                                 "withdrawn", "expired"},
    ("policy_action", "stance_on_open_models"): {"restrictive", "supportive", "neutral", "mixed", "unassessed"},
    ("consideration", "topic"): {"overview", "adoption", "investment", "policy"},
}
FIELDS = {
    "source": ["id", "url", "title", "publisher", "published_on", "retrieved_on", "reliability", "license"],
    "organization": ["id", "name", "country", "kind", "hf_namespaces", "sources"],
    "model": ["id", "name", "family", "organization", "released_on", "parameters", "active_parameters", "license",
              "access", "hf_repos", "sources"],
    "adoption": ["id", "subject_kind", "subject", "metric", "value", "unit", "as_of", "period_start", "method",
                 "sources"],
    "investment": ["id", "country", "actor", "title", "amount", "currency", "amount_usd", "usd_basis",
                   "announced_on", "horizon_years", "category", "status", "sources", "part_of"],
    "policy_action": ["id", "jurisdiction", "body", "title", "instrument", "stage", "date", "effective_on",
                      "stance_on_open_models", "identifiers", "summary", "related", "sources"],
    "consideration": ["id", "topic", "text", "sources"],
}
DATE_FIELDS = {"source": ["published_on", "retrieved_on"], "model": ["released_on"],
               "adoption": ["as_of", "period_start"], "investment": ["announced_on"],
               "policy_action": ["date", "effective_on"]}
NULLABLE = {"published_on", "license", "parameters", "active_parameters", "period_start", "amount_usd",
            "usd_basis", "horizon_years", "effective_on", "part_of"}
COUNTRY_RE = re.compile(r"^([A-Z]{2}|EU|INT)$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")

errors = []


def err(msg):
    errors.append(msg)


def load(kind):
    path = os.path.join(RECORDS, f"{kind}.jsonl")
    raw = open(path, "rb").read()
    if raw and not raw.endswith(b"\n"):
        err(f"{kind}: no trailing newline")
    text = raw.decode("utf-8")
    recs = []
    for n, line in enumerate(text.splitlines(), 1):
        rec = json.loads(line)
        if dump_line(rec) != line:
            err(f"{kind}:{n}: line not in canonical form (sort_keys, ensure_ascii=False)")
        recs.append(rec)
    ids = [r["id"] for r in recs]
    if ids != sorted(ids):
        err(f"{kind}: lines not sorted by id")
    if len(set(ids)) != len(ids):
        err(f"{kind}: duplicate ids")
    return recs


def main():
    data = {k: load(k) for k in KINDS}
    ids = {k: {r["id"] for r in v} for k, v in data.items()}
    all_ids = set().union(*ids.values())
    for kind, recs in data.items():
        for r in recs:
            rid = f"{kind}/{r.get('id')}"
            if set(r) != set(FIELDS[kind]):
                err(f"{rid}: fields {sorted(set(r) ^ set(FIELDS[kind]))} differ from spec")
            if not ID_RE.match(str(r.get("id", ""))):
                err(f"{rid}: bad id")
            for f in FIELDS[kind]:
                if r.get(f) is None and f not in NULLABLE:
                    err(f"{rid}: {f} is null")
            for (k, f), allowed in ENUMS.items():
                if k == kind and r.get(f) not in allowed:
                    err(f"{rid}: {f}={r.get(f)!r} not allowed")
            for f in DATE_FIELDS.get(kind, []):
                v = r.get(f)
                if v is not None and not DATE_RE.match(v):
                    err(f"{rid}: bad date {f}={v!r}")
            if kind != "source":
                if not r.get("sources"):
                    err(f"{rid}: no sources")
                for s in r.get("sources", []):
                    if s not in ids["source"]:
                        err(f"{rid}: unknown source {s}")
    for s in data["source"]:
        if not s["url"].startswith("https://"):
            err(f"source/{s['id']}: url not https")
    for o in data["organization"]:
        if not COUNTRY_RE.match(o["country"]):
            err(f"organization/{o['id']}: bad country")
    for m in data["model"]:
        if m["organization"] not in ids["organization"]:
            err(f"model/{m['id']}: unknown organization {m['organization']}")
        for f in ("parameters", "active_parameters"):
            if m[f] is not None and not isinstance(m[f], int):
                err(f"model/{m['id']}: {f} not int")
    for a in data["adoption"]:
        if not isinstance(a["value"], (int, float)):
            err(f"adoption/{a['id']}: value not a number")
        if (a["metric"] == "download_share") != (a["unit"] == "percent"):
            err(f"adoption/{a['id']}: unit/metric mismatch")
    for i in data["investment"]:
        if not COUNTRY_RE.match(i["country"]) or not CURRENCY_RE.match(i["currency"]):
            err(f"investment/{i['id']}: bad country/currency")
        if i["amount_usd"] is not None and not i["usd_basis"]:
            err(f"investment/{i['id']}: amount_usd without usd_basis")
        # part_of: another existing investment, no self-reference, no cycle
        seen, up = {i["id"]}, i["part_of"]
        while up is not None:
            if up not in ids["investment"]:
                err(f"investment/{i['id']}: part_of {up} does not exist")
                break
            if up in seen:
                err(f"investment/{i['id']}: part_of loops back on itself")
                break
            seen.add(up)
            up = next(x["part_of"] for x in data["investment"] if x["id"] == up)
    for p in data["policy_action"]:
        if not COUNTRY_RE.match(p["jurisdiction"]):
            err(f"policy_action/{p['id']}: bad jurisdiction")
        if not isinstance(p["identifiers"], dict):
            err(f"policy_action/{p['id']}: identifiers not an object")
        for rel in p["related"]:
            if rel not in all_ids:
                err(f"policy_action/{p['id']}: related {rel} does not exist")
    cited = set()
    for k, v in data.items():
        if k != "source":
            for r in v:
                cited.update(r["sources"])
    uncited = ids["source"] - cited
    if uncited:
        err(f"sources cited by no record: {sorted(uncited)}")

    # ---- floors
    lang = [m for m in data["model"] if m["access"].startswith("open_weights") and m["released_on"] >= "2023-01-01"]
    orgc = {o["id"]: o["country"] for o in data["organization"]}
    countries = {orgc[m["organization"]] for m in lang} - {"INT", "EU"}
    fams = {m["family"] for m in lang}
    need_fams = {"Qwen", "DeepSeek", "Yi", "GLM", "Kimi", "MiniMax", "Baichuan", "InternLM", "Llama", "Gemma",
                 "Phi", "gpt-oss", "OLMo", "Mistral", "Falcon"}
    floors = [
        ("open-weight models 2023+ >= 150", len(lang) >= 150),
        ("model countries >= 8", len(countries) >= 8),
        (f"families present (missing {sorted(need_fams - fams)})", need_fams <= fams),
        ("orgs with hf_namespaces >= 25", sum(1 for o in data["organization"] if o["hf_namespaces"]) >= 25),
        ("adoption >= 1000", len(data["adoption"]) >= 1000),
        ("adoption < 40000", len(data["adoption"]) < 40000),
        ("investments >= 25", len(data["investment"]) >= 25),
        ("investment countries >= 12", len({i["country"] for i in data["investment"]}) >= 12),
        ("investment incl. SA, AE, FR, CA", {"SA", "AE", "FR", "CA"} <= {i["country"] for i in data["investment"]}),
        ("policy actions >= 80", len(data["policy_action"]) >= 80),
        ("policy jurisdictions >= 6", len({p["jurisdiction"] for p in data["policy_action"]}) >= 6),
        ("policy dates 2019..2026", all("2019-01-01" <= p["date"] <= "2026-12-31" for p in data["policy_action"])),
        ("considerations >= 4 per topic", all(sum(1 for c in data["consideration"] if c["topic"] == t) >= 4
                                              for t in ("overview", "adoption", "investment", "policy"))),
    ]
    for name, ok in floors:
        if not ok:
            err(f"floor not met: {name}")
    size = sum(os.path.getsize(os.path.join(RECORDS, f)) for f in os.listdir(RECORDS))
    if size > 15 * 1024 * 1024:
        err(f"records size {size} > 15 MB")
    snap = json.load(open(os.path.join(RECORDS, "snapshot.json")))
    if set(snap) != {"snapshot_version", "data_as_of", "built_at"} or not DATE_RE.match(snap["data_as_of"]):
        err("snapshot.json malformed")
    print(f"models(open, 2023+)={len(lang)} countries={len(countries)} orgs={len(data['organization'])} "
          f"adoption={len(data['adoption'])} investments={len(data['investment'])} "
          f"inv_countries={len({i['country'] for i in data['investment']})} policies={len(data['policy_action'])} "
          f"jurisdictions={len({p['jurisdiction'] for p in data['policy_action']})} sources={len(data['source'])} "
          f"size={size}")
    if errors:
        for e in errors[:60]:
            print("FAIL:", e)
        print(f"{len(errors)} problem(s)")
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
