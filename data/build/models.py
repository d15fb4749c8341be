"""Model and organization importer.

Reads Epoch AI's notable-models and large-scale-models CSVs (the 2026-08 mirror) and its older
all-models export of 2025-04 (the 2026-08 mirror has no all-models file; the older one is kept for
the smaller models only it lists), taking open-weight language models published 2023-01-01 or later, the OSAI index (licences), the llmfit HF list, the
ForecastHuggingFaceModels series and the Open LLM Leaderboard v2 export (HF repo ids,
hub licence tags), plus hand entries in data/hand/.
"""
import os
import re

import pandas as pd

from common import RAW, COUNTRY_NAMES, slug, hand

EPOCH_NOTABLE = os.path.join(RAW, "epoch", "2026-08", "epoch_notable_ai_models.csv")
EPOCH_LARGE = os.path.join(RAW, "epoch", "2026-08", "epoch_large_scale_ai_models.csv")
EPOCH_ALL = os.path.join(RAW, "epoch", "epoch_all_ai_models_snapshot_2025-04.csv")
LLMFIT = os.path.join(RAW, "hf_adoption", "llmfit_hf_models_2026-03-01.csv")
LLMFIT_HISTORY = os.path.join(RAW, "hf_adoption", "llmfit_history", "llmfit_hf_downloads_30d_history_2026-02_to_2026-05.csv")
TRENDING = os.path.join(RAW, "hf_adoption", "daily_huggingface_top_trending_models.csv")
FORECAST = os.path.join(RAW, "hf_adoption", "forecast_hf", "2025-02-18")
OSAI = os.path.join(RAW, "osai_index", "osai_index_flat.csv")
LEADERBOARD = os.path.join(RAW, "leaderboards", "open_llm_leaderboard_v2_2025-06-09.csv")
LMARENA = os.path.join(RAW, "leaderboards", "lmarena_text_2025-08-04.csv")

SRC_NOTABLE = "epoch-notable-ai-models"
SRC_ALL = "epoch-all-ai-models"
SRC_LARGE = "epoch-large-scale-ai-models"
SRC_OSAI = "osai-index"
SRC_LLMFIT = "llmfit-hf-models"
SRC_FORECAST = "forecast-hf-models"
SRC_LEADERBOARD = "open-llm-leaderboard-v2"
SRC_LMARENA = "lmarena-text-leaderboard"

# Spelling variants of the same licence in the datasets, mapped to one display name. Only
# renames: a hub tag such as "llama3.1" is Hugging Face's identifier of exactly that licence.
LICENCE_NAMES = {
    "apache-2.0": "Apache-2.0", "apache 2.0": "Apache-2.0",
    "mit": "MIT", "mit license": "MIT",
    "llama2": "Llama 2 Community License", "llama 2 community": "Llama 2 Community License",
    "llama 2 community license agreement": "Llama 2 Community License",
    "llama3": "Llama 3 Community License", "llama 3 community": "Llama 3 Community License",
    "meta llama 3 community license": "Llama 3 Community License",
    "llama3.1": "Llama 3.1 Community License", "llama 3.1 community": "Llama 3.1 Community License",
    "llama 3.1 community license agreement": "Llama 3.1 Community License",
    "llama3.2": "Llama 3.2 Community License", "llama 3.2 community license agreement": "Llama 3.2 Community License",
    "llama3.3": "Llama 3.3 Community License", "llama 3.3 community license agreement": "Llama 3.3 Community License",
    "llama 4 community license agreement": "Llama 4 Community License",
    "gemma": "Gemma Terms of Use", "gemma license": "Gemma Terms of Use", "gemma terms of use": "Gemma Terms of Use",
    "cc-by-nc-4.0": "CC-BY-NC-4.0", "cc-by-sa-4.0": "CC-BY-SA-4.0", "cc-by-nc-sa-4.0": "CC-BY-NC-SA-4.0",
    "cc-by-4.0": "CC-BY-4.0", "cc-by-nc-nd-4.0": "CC-BY-NC-ND-4.0",
    "bigcode-openrail-m": "BigCode OpenRAIL-M v1", "bigcode openrail-m v1 license agreement": "BigCode OpenRAIL-M v1",
    "nvidia open model license": "NVIDIA Open Model License",
    "modified mit license": "Modified MIT License", "modified mit": "Modified MIT License",
    "deepseek": "DeepSeek License Agreement", "deepseek license": "DeepSeek License Agreement",
    "deepseek license agreement": "DeepSeek License Agreement",
    "qianwen license": "Tongyi Qianwen License Agreement", "qwen": "Qwen License Agreement",
    "mrl": "Mistral Research License", "mistral research": "Mistral Research License",
    "nvidia open model": "NVIDIA Open Model License", "nvidia open": "NVIDIA Open Model License",
    "llama-3.3": "Llama 3.3 Community License", "llama 4": "Llama 4 Community License",
    "llama 4 community license": "Llama 4 Community License",
    "jamba open": "Jamba Open Model License", "non-commercial": "Non-commercial license", "non-commercial license": "Non-commercial license",
}


def licence_name(text):
    t = str(text).strip()
    return LICENCE_NAMES.get(t.lower(), t)


# Epoch's "Accessibility notes" name a release's licence in words; these say it plainly (first match
# wins, so "Modified MIT" is never read as "MIT"). A note that hedges ("TBC") names none.
NOTE_LICENCES = [
    (r"\bmodified[- ]mit\b", "Modified MIT License"),
    (r"\bmodified apache[- ]2\.0\b", "Modified Apache 2.0 License"),
    (r"\bopenmdw-1\.1\b", "OpenMDW-1.1"),
    (r"\bnemotron open model licen[cs]e\b", "NVIDIA Nemotron Open Model License"),
    (r"\bmit licen[cs]e\b", "MIT"),
    (r"\bapache[- ]2\.0\b", "Apache-2.0"),
]


def licence_from_note(note):
    """The licence an Epoch accessibility note names plainly, else None."""
    if not isinstance(note, str) or re.search(r"\bTBC\b|\bTBD\b", note):
        return None
    low = note.lower()
    for pat, name in NOTE_LICENCES:
        if re.search(pat, low):
            return name
    return None


def access_for_licence(lic):
    """The access class a licence's own text clearly implies, else None (keep the dataset's coding)."""
    low = lic.lower()
    if low in PERMISSIVE:
        return "open_weights"
    if re.match(r"^llama [234](\.\d)? community license$", low):
        return "open_weights_restricted"
    if low.startswith("cc-by-nc") or low == "non-commercial license":
        return "open_weights_noncommercial"
    return None

ACCESS = {
    "Open weights (unrestricted)": "open_weights",
    "Open weights (restricted use)": "open_weights_restricted",
    "Open weights (non-commercial)": "open_weights_noncommercial",
}
# Domains that make a row something other than a (vision-)language model.
NON_LANGUAGE = ("Biology", "Video", "3D modeling", "Image generation", "Robotics",
                "Audio", "Speech", "Search", "Games")
# Of those, the ones a model listing Language first may not have (omni models hear and see).
NOT_OMNI = ("Biology", "3D modeling", "Image generation", "Robotics", "Search", "Games")
PERMISSIVE = {"apache-2.0", "mit"}  # compared lower-case
# hub licence tags that say nothing specific
VAGUE_LICENCE = {"other", "unknown", "", "nan"}

FAMILY_RULES = [
    (r"^gpt-oss", "gpt-oss", None),
    (r"llama", "Llama", "meta"),
    (r"qwen|qwq", "Qwen", "alibaba"),
    (r"deepseek|janus", "DeepSeek", "deepseek"),
    (r"^yi[- ]|^yi$", "Yi", "01-ai"),
    (r"glm", "GLM", "zhipu-ai"),
    (r"kimi", "Kimi", "moonshot-ai"),
    (r"minimax", "MiniMax", "minimax"),
    (r"baichuan", "Baichuan", "baichuan"),
    (r"internlm", "InternLM", None),
    (r"internvl", "InternVL", None),
    (r"gemma", "Gemma", "google"),
    (r"^phi-", "Phi", "microsoft"),
    (r"olmo", "OLMo", "ai2"),
    (r"mistral|mixtral|codestral|ministral|pixtral|mathstral", "Mistral", "mistral-ai"),
    (r"falcon", "Falcon", "tii"),
    (r"nemotron|minitron", "Nemotron", "nvidia"),
    (r"granite", "Granite", "ibm"),
    (r"exaone", "EXAONE", "lg-ai-research"),
    (r"command r", "Command R", "cohere"),
    (r"^aya", "Aya", None),
    (r"jamba", "Jamba", "ai21-labs"),
    (r"starcoder|santacoder", "StarCoder", None),
    (r"stablelm|stable lm|stable beluga|stable code|stablelm", "StableLM", "stability-ai"),
    (r"wizardlm|wizardcoder", "WizardLM", None),
    (r"vicuna", "Vicuna", None),
    (r"ernie", "ERNIE", "baidu"),
    (r"hunyuan", "Hunyuan", "tencent"),
    (r"^jais", "Jais", None),
    (r"^ling-|^ring-", "Ling", "ant-group"),
    (r"^belle", "BELLE", None),
    (r"minicpm", "MiniCPM", None),
    (r"^rwkv", "RWKV", None),
    (r"^mpt", "MPT", None),
    (r"^xverse", "XVERSE", None),
    (r"^aquila|wu dao aquila", "Aquila", None),
    (r"^codegen", "CodeGen", None),
    (r"^llava", "LLaVA", None),
]


def family_for(name, org_id):
    low = name.lower()
    for pat, fam, owner in FAMILY_RULES:
        if re.search(pat, low) and (owner is None or owner == org_id):
            return fam
    head = re.split(r"[\s_(]", name.strip())[0]
    head = re.sub(r"-(\d[\d.]*[bBmMtT]?|v\d.*)$", "", head)
    return head or name


def norm_tokens(text):
    # sorted tuple (a multiset), not a set: "Llama 3.3 70B" must not equal "Meta-Llama-3-70B"
    toks = [t for t in re.split(r"[^a-z0-9]+", str(text).lower()) if t]
    return tuple(sorted(t for t in toks if t not in {"hf", "meta"}))


class OrgResolver:
    def __init__(self, hand_orgs):
        self.orgs = {}
        self.alias = {}
        for o in hand_orgs:
            rec = {k: v for k, v in o.items() if k != "aliases"}
            rec.setdefault("hf_namespaces", [])
            self.orgs[rec["id"]] = rec
            for a in [o["name"]] + o.get("aliases", []):
                self.alias[a.strip().lower()] = rec["id"]
        self.auto = {}

    def resolve(self, name, country_code=None, category=None, source=None):
        key = name.strip().lower()
        if key in self.alias:
            oid = self.alias[key]
            if source and source not in self.orgs[oid]["sources"]:
                self.orgs[oid]["sources"].append(source)
            return oid
        oid = slug(name)
        if oid not in self.orgs:
            if not country_code:
                return None
            kind = {"Industry": "company", "Academia": "university",
                    "Government": "government",
                    "Research collective": "nonprofit"}.get(category, "lab")
            self.orgs[oid] = {"id": oid, "name": name.strip(), "country": country_code,
                              "kind": kind, "hf_namespaces": [], "sources": []}
            self.alias[key] = oid
        if source and source not in self.orgs[oid]["sources"]:
            self.orgs[oid]["sources"].append(source)
        return oid


def _first_org(row, country_col):
    orgs = [o.strip() for o in str(row["Organization"]).split(",")]
    countries = [c.strip() for c in str(row.get(country_col, "")).split(",")] \
        if pd.notna(row.get(country_col)) else []
    cats = [c.strip() for c in str(row.get("Organization categorization", "")).split(",")] \
        if pd.notna(row.get("Organization categorization")) else []
    country = None
    if countries and (len(countries) == len(orgs) or len(set(countries)) == 1):
        country = COUNTRY_NAMES.get(countries[0])
    cat = cats[0] if cats and len(cats) == len(orgs) else (cats[0] if len(set(cats)) == 1 and cats else None)
    return orgs[0], country, cat


def _repo_universe():
    repos = set()
    llm = pd.read_csv(LLMFIT)
    repos.update(llm.repo_id.dropna())
    for path in (LLMFIT_HISTORY, TRENDING):
        repos.update(pd.read_csv(path, usecols=["repo_id"]).repo_id.dropna())
    for sub in ("download", "finetune"):
        d = os.path.join(FORECAST, sub)
        for f in sorted(os.listdir(d)):
            repos.update(pd.read_csv(os.path.join(d, f), usecols=["model"]).model.dropna())
    lb = pd.read_csv(LEADERBOARD, usecols=["model_name", "metadata_hub_license",
                                           "metadata_params_billions"])
    repos.update(lb.model_name.dropna())
    lic = {}
    for r in lb.itertuples():
        if isinstance(r.metadata_hub_license, str):
            lic.setdefault(r.model_name, r.metadata_hub_license)
    by_ns = {}
    for r in repos:
        if "/" in r:
            ns, name = r.split("/", 1)
            by_ns.setdefault(ns.lower(), []).append((r, norm_tokens(name)))
    for ns in by_ns:
        by_ns[ns].sort()
    return by_ns, lic


def load_epoch():
    frames = []
    for path, ccol, src in ((EPOCH_NOTABLE, "Country (of organization)", SRC_NOTABLE),
                            (EPOCH_LARGE, "Country (of organization)", SRC_LARGE),
                            (EPOCH_ALL, "Country (from Organization)", SRC_ALL)):
        d = pd.read_csv(path)
        d["Model"] = d["Model"].astype(str).str.strip()
        d = d[d["Model accessibility"].isin(ACCESS.keys())]
        d = d[d["Publication date"].astype(str) >= "2023-01-01"]
        dom = d["Domain"].fillna("")
        # a language model: Language listed first (an omni model such as Inkling lists Audio and
        # Video after it), or listed with no non-language domain
        first = dom.str.split(",").str[0].str.strip()
        omni = (first == "Language") & ~dom.apply(lambda s: any(x in s for x in NOT_OMNI))
        d = d[omni | (dom.str.contains("Language") & ~dom.apply(lambda s: any(x in s for x in NON_LANGUAGE)))]
        d = d[d["Organization"].notna()]
        d = d.assign(_src=src, _ccol=ccol)
        frames.append(d)
    return frames


def build_models(resolver, log):
    overrides = {o["epoch_name"]: o for o in hand("epoch_model_overrides.jsonl")}
    by_ns, hub_lic = _repo_universe()
    osai = pd.read_csv(OSAI)
    osai_by_repo = {}
    for r in osai.itertuples():
        m = re.match(r"https://huggingface.co/([^/]+/[^/?#]+)$", str(r.link))
        if m and isinstance(r.endmodellicense, str):
            osai_by_repo[m.group(1).lower()] = r.endmodellicense

    arena = pd.read_csv(LMARENA)
    arena_by_repo = {}
    for r in arena.itertuples():
        m = re.match(r"https?://huggingface.co/([^/]+/[^/?#]+)/?$", str(r.url))
        if m and isinstance(r.license, str) and r.license.strip().lower() not in ("proprietary", "propretary", "other"):
            arena_by_repo.setdefault(m.group(1).lower(), r.license.strip())
    # LMArena rows by exact model name (same multiset of name tokens); a name shared by rows with
    # different licences is dropped
    arena_by_name = {}
    for r in arena.itertuples():
        if isinstance(r.license, str) and r.license.strip().lower() not in ("proprietary", "propretary", "other"):
            arena_by_name.setdefault(norm_tokens(r.model), set()).add(r.license.strip())
    arena_by_name = {k: next(iter(v)) for k, v in arena_by_name.items() if len(v) == 1}

    models = {}
    seen = {}
    for frame in load_epoch():
        for _, row in frame.iterrows():
            name = row["Model"]
            key = "".join(sorted(norm_tokens(name)))
            ov = overrides.get(name, {})
            if ov.get("skip"):
                continue
            if key in seen:
                # same model in both Epoch exports: add the second export as a source
                m = models[seen[key]]
                if row["_src"] not in m["sources"]:
                    m["sources"].append(row["_src"])
                continue
            org_name, country, cat = _first_org(row, row["_ccol"])
            oid = resolver.resolve(org_name, country, cat, row["_src"])
            if oid is None:
                log.append(f"unresolved org: {org_name!r} for {name}")
                continue
            mid = ov.get("id") or slug(name)
            if mid in models:
                mid = f"{mid}-{oid}"
            fam = ov.get("family") or family_for(name, oid)
            params = row["Parameters"]
            rec = {
                "id": mid, "name": name, "family": fam, "organization": oid,
                "released_on": str(row["Publication date"])[:10],
                "parameters": int(params) if pd.notna(params) else None,
                "active_parameters": None,
                "license": None,
                "access": ACCESS[row["Model accessibility"]],
                "hf_repos": [], "sources": [row["_src"]],
            }
            # HF repos: Epoch link, hand override, or exact token match in org namespaces
            repos = list(ov.get("hf_repos", []))
            link = str(row.get("Link", ""))
            # the first model page among the links (the 2026 exports list several, one a line)
            for lm in re.finditer(r"https?://huggingface.co/([^/\s]+/[^/?#\s]+?)/?(?=\s|$)", link):
                if lm.group(1).split("/")[0] not in ("papers", "datasets", "spaces", "collections", "blog"):
                    repos.append(lm.group(1))
                    break
            if not repos:
                org = resolver.orgs[oid]
                toks = norm_tokens(name)
                for ns in org.get("hf_namespaces", []):
                    for repo, rt in by_ns.get(ns.lower(), []):
                        if rt == toks:
                            repos.append(repo)
            rec["hf_repos"] = sorted(set(repos))
            # licence: hand override > HF hub tag of an exact repo (Open LLM Leaderboard) >
            # LMArena licence column for an exact repo URL > OSAI end-model licence for an exact repo
            lic = ov.get("license")
            lic_src = ov.get("license_sources", [])
            if ov.get("license_skip"):
                # a dataset's licence value was checked and is not the weights' licence: leave it out
                lic = "skip"
            for table, src, vague in ((hub_lic, SRC_LEADERBOARD, True), (arena_by_repo, SRC_LMARENA, False),
                                      (osai_by_repo, SRC_OSAI, False)):
                if lic:
                    break
                for r in rec["hf_repos"]:
                    tag = table.get(r) if table is hub_lic else table.get(r.lower())
                    if tag and not (vague and tag in VAGUE_LICENCE):
                        lic, lic_src = tag, [src]
                        break
            if not lic and norm_tokens(name) in arena_by_name:
                lic, lic_src = arena_by_name[norm_tokens(name)], [SRC_LMARENA]
            if not lic:
                noted = licence_from_note(row.get("Accessibility notes"))
                if noted:
                    lic, lic_src = noted, [row["_src"]]
            if lic == "skip":
                lic = None
            if lic:
                lic = licence_name(lic)
                rec["license"] = lic
                rec["sources"] += [s for s in lic_src if s not in rec["sources"]]
                implied = access_for_licence(lic)
                if implied and not ov.get("access"):
                    # the licence text supersedes the dataset's access coding
                    rec["access"] = implied
            for k in ("access", "active_parameters", "released_on", "parameters", "name"):
                if k in ov:
                    rec[k] = ov[k]
            for s in ov.get("add_sources", []):
                if s not in rec["sources"]:
                    rec["sources"].append(s)
            models[mid] = rec
            seen[key] = mid

    # hand-entered models (newer releases not in the Epoch exports)
    for h in hand("model.jsonl"):
        if h["id"] in models:
            log.append(f"hand model {h['id']} replaces Epoch-derived record")
        h = dict(h)
        for k in ("parameters", "active_parameters", "license"):
            h.setdefault(k, None)
        if h["license"]:
            h["license"] = licence_name(h["license"])
        models[h["id"]] = h
        resolver.resolve(resolver.orgs[h["organization"]]["name"], source=None)
    return models
