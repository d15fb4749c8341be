"""Shared helpers for the data importers (stdlib only)."""
import json
import os
import re
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # .../data
RAW = os.path.join(ROOT, "raw")
HAND = os.path.join(ROOT, "hand")
RECORDS = os.path.join(ROOT, "records")

KINDS = ["source", "organization", "model", "adoption", "investment",
         "policy_action", "consideration", "hf_namespace", "hf_repo"]

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

COUNTRY_NAMES = {
    "United States of America": "US", "China": "CN", "France": "FR",
    "United Kingdom of Great Britain and Northern Ireland": "GB",
    "United Arab Emirates": "AE", "Korea (Republic of)": "KR", "Japan": "JP",
    "Israel": "IL", "Singapore": "SG", "Germany": "DE", "Canada": "CA",
    "Sweden": "SE", "Russia": "RU", "Hungary": "HU", "Saudi Arabia": "SA",
    "Finland": "FI", "Hong Kong": "HK", "Austria": "AT", "Switzerland": "CH",
    "Netherlands": "NL", "India": "IN", "Taiwan": "TW", "Italy": "IT",
    "Spain": "ES", "Poland": "PL", "Australia": "AU", "Multinational": "INT",
    "Brazil": "BR", "Denmark": "DK", "Norway": "NO", "Belgium": "BE",
    "Czechia": "CZ", "Portugal": "PT", "Greece": "GR", "Ireland": "IE",
    "Viet Nam": "VN", "Thailand": "TH", "Indonesia": "ID", "Malaysia": "MY",
    "Qatar": "QA", "Turkey": "TR", "Kazakhstan": "KZ", "Iran": "IR",
    # OSAI national-origin tags
    "United States": "US", "United Kingdom": "GB", "International": "INT",
    "UAE": "AE", "South Korea": "KR",
}


def slug(text):
    """Lowercase slug restricted to [a-z0-9._-]."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    t = t.lower().strip()
    t = re.sub(r"[()\[\]{}'\"“”,:;!?/\\+&*]", " ", t)
    t = re.sub(r"\s+", "-", t.strip())
    t = re.sub(r"[^a-z0-9._-]", "", t)
    t = re.sub(r"-{2,}", "-", t).strip("-._")
    return t


def read_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: {exc}")
    return out


def hand(name):
    path = os.path.join(HAND, name)
    return read_jsonl(path) if os.path.exists(path) else []


def dump_line(rec):
    return json.dumps(rec, sort_keys=True, ensure_ascii=False)


def write_kind(kind, records):
    os.makedirs(RECORDS, exist_ok=True)
    records = sorted(records, key=lambda r: r["id"])
    path = os.path.join(RECORDS, f"{kind}.jsonl")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for r in records:
            fh.write(dump_line(r) + "\n")
    return path


def load_kind(kind):
    return read_jsonl(os.path.join(RECORDS, f"{kind}.jsonl"))
