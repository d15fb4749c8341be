"""Names, not codes: the one lookup from a country or jurisdiction code, or an organization id, to
the name a reader knows; and country groups (EU-27, G7, Gulf states, the user's own).

Records carry ISO 3166-1 alpha-2 codes plus `EU` (the European Union's own institutions) and `INT`
(international bodies or online); every view, chart, export and brief shows the name (`country`),
with the code where space is tight (`country_short`) or where both help (`country_with_code`). An
unknown code is shown as itself, never guessed. Names follow common English usage in US
government documents ("South Korea", "Taiwan", "United Kingdom").

Groups are plain sets of codes. A group selects the records whose own code is a member: an
EU-27 filter keeps the member states' records and the EU's own (`EU`), never another country's.
A country may sit in several groups; where groups are compared side by side, a country in two
groups counts in both (callers say so). No Qt; pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

COUNTRIES: dict[str, str] = {
    "INT": "International",
    "EU": "European Union",
    "AE": "United Arab Emirates",
    "AR": "Argentina",
    "AT": "Austria",
    "AU": "Australia",
    "BD": "Bangladesh",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "BH": "Bahrain",
    "BR": "Brazil",
    "CA": "Canada",
    "CH": "Switzerland",
    "CL": "Chile",
    "CN": "China",
    "CO": "Colombia",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DE": "Germany",
    "DK": "Denmark",
    "EE": "Estonia",
    "EG": "Egypt",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "GB": "United Kingdom",
    "GR": "Greece",
    "HK": "Hong Kong",
    "HR": "Croatia",
    "HU": "Hungary",
    "ID": "Indonesia",
    "IE": "Ireland",
    "IL": "Israel",
    "IN": "India",
    "IR": "Iran",
    "IS": "Iceland",
    "IT": "Italy",
    "JP": "Japan",
    "KE": "Kenya",
    "KP": "North Korea",
    "KR": "South Korea",
    "KW": "Kuwait",
    "KZ": "Kazakhstan",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "LV": "Latvia",
    "MT": "Malta",
    "MX": "Mexico",
    "MY": "Malaysia",
    "NG": "Nigeria",
    "NL": "Netherlands",
    "NO": "Norway",
    "NZ": "New Zealand",
    "OM": "Oman",
    "PE": "Peru",
    "PH": "Philippines",
    "PK": "Pakistan",
    "PL": "Poland",
    "PT": "Portugal",
    "QA": "Qatar",
    "RO": "Romania",
    "RS": "Serbia",
    "RU": "Russia",
    "RW": "Rwanda",
    "SA": "Saudi Arabia",
    "SE": "Sweden",
    "SG": "Singapore",
    "SI": "Slovenia",
    "SK": "Slovakia",
    "TH": "Thailand",
    "TR": "Türkiye",
    "TW": "Taiwan",
    "UA": "Ukraine",
    "US": "United States",
    "UY": "Uruguay",
    "VN": "Vietnam",
    "ZA": "South Africa",
}
#: Where a name is long, the form a chart's lane or bar label uses (else the code).
SHORT: dict[str, str] = {"GB": "UK", "INT": "Intl."}
CODE_PATTERN = re.compile(r"^([A-Z]{2}|EU|INT)\Z")


#: Coded values whose words are more than the code with spaces ('in_force' -> 'in force' needs no entry).
CODE_WORDS = {
    "ai": "AI-specific",
    "ai_and_other": "AI with other technologies",
    "api": "API",
    "press_reported": "press-reported",
    "public_private": "public-private",
}


def code_words(code: Any) -> str:
    """A coded value as a reader sees it: 'ai' -> 'AI-specific', 'in_force' -> 'in force'."""
    text = str(code)
    return CODE_WORDS.get(text, text.replace("_", " "))


def country(code: Any) -> str:
    """The name of a country or jurisdiction code ('CN' -> 'China'); an unknown code is itself; '' for none."""
    if code is None or code != code:  # None or NaN
        return ""
    text = str(code)
    return COUNTRIES.get(text, text)


def country_short(code: Any) -> str:
    """The code, or a short form where the code is not what readers know ('GB' -> 'UK')."""
    if code is None or code != code:
        return ""
    return SHORT.get(str(code), str(code))


def country_with_code(code: Any) -> str:
    """'China (CN)'; a code without a known name is shown alone."""
    name = country(code)
    return name if name == str(code) or not name else f"{name} ({code})"


def codes_named(word: str) -> list[str]:
    """The codes whose name holds `word` as a whole word, any case ('saudi' -> ['SA'])."""
    w = word.casefold()
    return sorted(
        code
        for code, name in COUNTRIES.items()
        if w in re.findall(r"[^\W_]+", name.casefold()) or w == code.casefold() and len(w) > 2
    )


def organization(org_id: Any, names: Mapping[str, str]) -> str:
    """An organization's name from `organization_names`; an unknown id is itself."""
    if org_id is None or org_id != org_id:
        return ""
    return names.get(str(org_id), str(org_id))


def organization_names(store: Any) -> dict[str, str]:
    """id -> name of every organization in a `Store` (one query)."""
    return {o["id"]: o["name"] for o in store.records("organization")}


# -- groups ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CountryGroup:
    """A named set of codes; `builtin` groups ship with the app, the others are the user's."""

    name: str
    members: frozenset[str]
    description: str = ""
    builtin: bool = False

    def label(self) -> str:
        return f"{self.name} ({len(self.members)})"


EU27 = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    }
)
BUILTIN_GROUPS: tuple[CountryGroup, ...] = (
    CountryGroup("EU-27", EU27 | {"EU"}, "The 27 EU member states and the EU's own institutions (EU)", True),
    CountryGroup(
        "G7",
        frozenset({"CA", "FR", "DE", "IT", "JP", "GB", "US"}),
        "Canada, France, Germany, Italy, Japan, the United Kingdom and the United States",
        True,
    ),
    CountryGroup(
        "Gulf states",
        frozenset({"BH", "KW", "OM", "QA", "SA", "AE"}),
        "The Gulf Cooperation Council: Bahrain, Kuwait, Oman, Qatar, Saudi Arabia, the UAE",
        True,
    ),
)
MAX_GROUPS = 50
MAX_GROUP_NAME = 60


def clean_groups(raw: Any) -> dict[str, list[str]]:
    """A user's groups as settings.json may hold them, cleaned: name -> sorted valid codes. Entries
    with a bad name, no valid code, or a builtin group's name are dropped (never an error)."""
    out: dict[str, list[str]] = {}
    if not isinstance(raw, dict):
        return out
    builtin = {g.name.casefold() for g in BUILTIN_GROUPS}
    for name, codes in list(raw.items())[:MAX_GROUPS]:
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_GROUP_NAME:
            continue
        if name.strip().casefold() in builtin or not isinstance(codes, (list, tuple)):
            continue
        valid = sorted({c for c in codes if isinstance(c, str) and CODE_PATTERN.match(c)})
        if valid:
            out[name.strip()] = valid
    return out


def country_groups(user: Mapping[str, Iterable[str]] | None = None) -> list[CountryGroup]:
    """The builtin groups, then the user's (from `Settings.country_groups`), by name."""
    mine = [
        CountryGroup(name, frozenset(codes), "Your group: " + ", ".join(country(c) for c in sorted(codes)))
        for name, codes in sorted(clean_groups(dict(user or {})).items(), key=lambda kv: kv[0].casefold())
    ]
    return [*BUILTIN_GROUPS, *mine]


def group_named(name: str, groups: Iterable[CountryGroup]) -> CountryGroup | None:
    return next((g for g in groups if g.name == name), None)
