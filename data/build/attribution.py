"""Hugging Face accounts -> region: the ATOM Project's organization_regions.csv as hf_namespace records.

ATOM (Interconnects-AI/tracked-models, Apache-2.0) classifies the primary base of the organization
behind each Hugging Face namespace as us / china / eu / other / unknown. Our organizations carry
their own country (from Epoch or hand entry, with sources). The app attributes a repo by its
namespace to one of our organizations first, and only otherwise by ATOM's region; `align` lists
where the two disagree so docs/methods.md can say which we keep and why.
"""
import os

import pandas as pd

from common import RAW

ATOM = os.path.join(RAW, "atom_tracked_models", "metadata_organization_regions.csv")
SRC_ATOM = "atom-tracked-models"
SOURCE = {
    "id": SRC_ATOM, "url": "https://github.com/Interconnects-AI/tracked-models",
    "title": "The ATOM Project tracked-models: metadata/organization_regions.csv, Hugging Face organization to "
             "region map (commit 3cd8020, 2026-08-17)",
    "publisher": "Interconnects AI, The ATOM Project (GitHub)", "published_on": "2026-08-17",
    "retrieved_on": "2026-12-01", "reliability": "secondary", "license": "Apache-2.0", "grade": "reputable",
}
# What an ATOM region bucket agrees with among our organization countries.
REGION_OF_COUNTRY = {"US": "us", "CN": "china"}


def atom_rows():
    d = pd.read_csv(ATOM, dtype=str, keep_default_na=False)
    return [(r.hf_org.strip(), r.region.strip(), r.notes.strip()) for r in d.itertuples()]


def namespaces():
    """Every ATOM namespace (exact case), for the build's check of our organizations' namespaces."""
    return {ns.lower() for ns, _, _ in atom_rows()}


def build(orgs, log):
    """hf_namespace records for every ATOM row; logs each disagreement with our organizations."""
    ours = {ns.lower(): o for o in orgs for ns in o.get("hf_namespaces", [])}
    out = []
    for ns, region, note in atom_rows():
        out.append({"id": ns, "region": region, "note": note or None, "sources": [SRC_ATOM]})
        org = ours.get(ns.lower())
        if org is None:
            continue
        expected = REGION_OF_COUNTRY.get(org["country"])
        agrees = region == expected if expected else region in ("eu", "other")
        if not agrees:
            log.append(f"attribution: ATOM puts {ns} in {region!r}; our {org['id']} says {org['country']} (ours kept)")
    return out
