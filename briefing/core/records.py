"""The record kinds of the feed spec, their fields, and strict validation.

`validate(kind, data)` is the single gate every record passes through, whether it comes from
`data/records`, the signed feed or a public source. It returns a plain dict with exactly the
spec's fields (unknown fields dropped, optional ones filled with None/[]/{}) or raises RecordError.

The schemas are checked by a validator compiled once per kind (fastjsonschema turns a schema into
Python code: ~30x faster per record than jsonschema's interpreter, and a feed has 100,000 records).
The compiled validator only ever accepts: any record it does not accept goes to jsonschema
(Draft 2020-12), which decides and words the error, so the verdict and the message are
jsonschema's; tests/fuzz checks the two agree. Both are imported on first use, not at start-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefing.core import limits
from briefing.core.errors import RecordError
from briefing.core.text import clean_text, has_lone_surrogate

KINDS = ("source", "organization", "model", "adoption", "investment", "policy_action")
#: Our extension kinds: "Considerations" bullets for the one-page briefs; Hugging Face accounts
#: with the ATOM Project's region for each (`hf_namespace`); Hugging Face repos with the base
#: models their metadata declares (`hf_repo`), which attribute a re-upload to its base's developer.
EXTRA_KINDS = ("consideration", "hf_namespace", "hf_repo")
ALL_KINDS = KINDS + EXTRA_KINDS

ORIGINS = ("snapshot", "feed", "huggingface", "federal_register", "local")
LOCAL_ORIGINS = ("huggingface", "federal_register", "local")
"""Origins a reader pulled itself: applying a feed version never removes these."""

#: The record schema's version: readers refuse a feed of a major version they do not know (a new
#: major version may change what a field means); minor versions only add optional fields.
SCHEMA_MAJOR = 2
SCHEMA_MINOR = 0

ENUMS: dict[str, tuple[str, ...]] = {
    "reliability": ("primary", "secondary"),
    # Source strength (docs/methods.md): the government, company, paper or dataset itself; wire
    # services, major newspapers, law firms, research institutes; blogs, aggregators, summaries.
    "grade": ("primary", "reputable", "weak"),
    "as_of_precision": ("day", "month", "approximate"),
    "organization.kind": ("company", "lab", "university", "government", "nonprofit", "fund"),
    "access": ("open_weights", "open_weights_restricted", "open_weights_noncommercial", "api", "closed"),
    "subject_kind": ("hf_repo", "model", "family", "organization", "country"),
    "metric": ("downloads_30d", "downloads_total", "likes", "derivatives", "download_share"),
    "unit": ("count", "percent"),
    "category": ("compute", "sovereign_fund", "research", "open_models", "talent", "mixed"),
    "status": ("reported", "announced", "committed", "disbursing", "completed", "withdrawn"),
    "scope": ("ai", "ai_and_other", "semiconductors", "compute"),
    "confirmation": ("official", "press_reported"),
    "investment_kind": ("public_budget", "sovereign_fund", "private_pledge", "public_private"),
    "instrument": (
        "export_control",
        "legislation",
        "executive_action",
        "regulation",
        "guidance",
        "licensing",
        "procurement",
        "funding",
        "international",
        "standard",
    ),
    "stage": (
        "proposed",
        "introduced",
        "passed_chamber",
        "enacted",
        "in_force",
        "rescinded",
        "withdrawn",
        "expired",
        "vetoed",
    ),
    "stance": ("restrictive", "supportive", "mixed", "neutral", "not_applicable", "unassessed"),
    "relevance": ("core", "context", "out_of_scope"),
    "policy_topic": (
        "model_weights",
        "open_source",
        "frontier_models",
        "general_ai_rules",
        "chips",
        "compute",
        "chinese_apps",
        "chinese_developers",
        "state_laws",
        "procurement",
        "international",
        "evaluations",
        "exports_promotion",
    ),
    "topic": ("overview", "adoption", "investment", "policy"),
    #: The collection an adoption reading belongs to (one series at one date is one reading).
    "series": ("forecast", "llmfit", "trending", "hub_orgs", "hub_top"),
    #: The ATOM Project's region buckets (`eu` is its Europe-facing bucket, not EU membership).
    "region": ("us", "china", "eu", "other", "unknown"),
    #: Hugging Face's relation of a repo to its base model.
    "relation": ("finetune", "quantized", "adapter", "merge"),
}

# Patterns match the whole value: `\Z`, not `$` (which also matches before a final newline, so
# "US\n" would pass as "US"), and [0-9], not \d (which matches any script's digits).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}\Z"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"
COUNTRY_PATTERN = r"^([A-Z]{2}|EU|INT)\Z"
CURRENCY_PATTERN = r"^[A-Z]{3}\Z"
URL_PATTERN = r"^https://[^\s]+\Z"
MAX_TEXT = 20_000
MAX_SHORT = 500

_id = {"type": "string", "pattern": ID_PATTERN}
_short = {"type": "string", "minLength": 1, "maxLength": MAX_SHORT}
_text = {"type": "string", "maxLength": MAX_TEXT}
_date = {"type": "string", "pattern": DATE_PATTERN}
_opt_date = {"anyOf": [_date, {"type": "null"}]}
_country = {"type": "string", "pattern": COUNTRY_PATTERN}
# Every figure: finite (the JSON reader refuses 1e309) and within 0..MAX_NUMBER (no 10**30, which
# SQLite cannot hold; no negative counts).
_number = {"type": "number", "minimum": 0, "maximum": limits.MAX_NUMBER}
_opt_number = {"anyOf": [_number, {"type": "null"}]}
_opt_short = {"anyOf": [_short, {"type": "null"}]}
_sources = {"type": "array", "items": _id, "minItems": 1, "maxItems": 50, "uniqueItems": True}
_str_list = {"type": "array", "items": _short, "maxItems": 200, "uniqueItems": True}
_id_list = {"type": "array", "items": _id, "maxItems": 200, "uniqueItems": True}
_month = {"anyOf": [{"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])\Z"}, {"type": "null"}]}


def _enum(name: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(ENUMS[name])}


def _opt_enum(name: str) -> dict[str, Any]:
    return {"anyOf": [_enum(name), {"type": "null"}]}


SCHEMAS: dict[str, dict[str, Any]] = {
    "source": {
        "required": ["id", "url", "title", "publisher", "reliability"],
        "properties": {
            "id": _id,
            "url": {"type": "string", "pattern": URL_PATTERN, "maxLength": 2000},
            # retrieved_on: the day the page was actually consulted; null when that is not recorded
            "title": _short,
            "publisher": _short,
            "published_on": _opt_date,
            "retrieved_on": _opt_date,
            "reliability": _enum("reliability"),
            "license": _opt_short,
            # schema 2: source strength; absent in a schema-1 feed (derived from reliability then)
            "grade": _opt_enum("grade"),
        },
    },
    "organization": {
        "required": ["id", "name", "country", "kind", "sources"],
        "properties": {
            "id": _id,
            "name": _short,
            "country": _country,
            "kind": _enum("organization.kind"),
            "hf_namespaces": _str_list,
            "sources": _sources,
        },
    },
    "model": {
        "required": ["id", "name", "family", "organization", "released_on", "access", "sources"],
        "properties": {
            "id": _id,
            "name": _short,
            "family": _short,
            "organization": _id,
            "released_on": _date,
            "parameters": _opt_number,
            "active_parameters": _opt_number,
            "license": _opt_short,
            "access": _enum("access"),
            "hf_repos": _str_list,
            "sources": _sources,
        },
    },
    "adoption": {
        "required": ["id", "subject_kind", "subject", "metric", "value", "unit", "as_of", "method", "sources"],
        "properties": {
            "id": _id,
            "subject_kind": _enum("subject_kind"),
            "subject": _short,
            "metric": _enum("metric"),
            "value": _number,
            "unit": _enum("unit"),
            "as_of": _date,
            "period_start": _opt_date,
            "method": {**_text, "minLength": 1},
            "sources": _sources,
            # schema 2: how exact as_of is (a study window given in months, "mid-2025"), and a
            # short id of what was measured: two values are comparable only with the same one
            "as_of_precision": _opt_enum("as_of_precision"),
            "measure_id": _opt_short,
            # the series this reading belongs to (a Hub reading's collection), null for a reported
            # figure (a study's share, a company's total)
            "series": {"anyOf": [_enum("series"), {"type": "null"}]},
        },
    },
    "investment": {
        "required": [
            "id",
            "country",
            "actor",
            "title",
            "amount",
            "currency",
            "announced_on",
            "category",
            "status",
            "sources",
        ],
        "properties": {
            "id": _id,
            "country": _country,
            "actor": _short,
            "title": _short,
            "amount": _number,
            "currency": {"type": "string", "pattern": CURRENCY_PATTERN},
            "amount_usd": _opt_number,
            "usd_basis": {"anyOf": [_text, {"type": "null"}]},
            "announced_on": _date,
            "horizon_years": {
                "anyOf": [{"type": "number", "minimum": 0, "maximum": limits.MAX_YEARS}, {"type": "null"}]
            },
            "category": _enum("category"),
            "status": _enum("status"),
            "sources": _sources,
            # The id of the enclosing investment this one is a component of (never added on top of it).
            "part_of": {"anyOf": [_id, {"type": "null"}]},
            # schema 2: what the money is for, who says so, whose money; records whose money may
            # also be counted in this one's (a fund that is also an investor elsewhere); the
            # official rate used for amount_usd and its month
            "scope": _opt_enum("scope"),
            "confirmation": _opt_enum("confirmation"),
            "kind": _opt_enum("investment_kind"),
            "overlaps": _id_list,
            "fx_rate": {
                "anyOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": limits.MAX_NUMBER}, {"type": "null"}]
            },
            "fx_month": _month,
        },
    },
    "policy_action": {
        "required": [
            "id",
            "jurisdiction",
            "body",
            "title",
            "instrument",
            "stage",
            "date",
            "stance_on_open_models",
            "summary",
            "sources",
        ],
        "properties": {
            "id": _id,
            "jurisdiction": _country,
            "body": _short,
            "title": _short,
            "instrument": _enum("instrument"),
            "stage": _enum("stage"),
            "date": _date,
            "effective_on": _opt_date,
            "stance_on_open_models": _enum("stance"),
            "identifiers": {
                "type": "object",
                "maxProperties": 20,
                "propertyNames": {"maxLength": 100},
                "additionalProperties": {"type": "string", "maxLength": MAX_SHORT},
            },
            "summary": _text,
            "related": {"type": "array", "items": _id, "maxItems": 200, "uniqueItems": True},
            "sources": _sources,
            # schema 2: relevance to open models and topic tags; the official publication date
            # when `date` is another (an executive order is dated by signature); a milestone
            # scheduled after the data were gathered, and the record that changed it
            "relevance": _opt_enum("relevance"),
            "topics": {"type": "array", "items": _enum("policy_topic"), "maxItems": 20, "uniqueItems": True},
            "published_on": _opt_date,
            "scheduled": {"type": "boolean"},
            "superseded_by": {"anyOf": [_id, {"type": "null"}]},
        },
    },
    "consideration": {
        "required": ["id", "topic", "text", "sources"],
        "properties": {"id": _id, "topic": _enum("topic"), "text": {**_text, "minLength": 1}, "sources": _sources},
    },
    "hf_namespace": {
        "required": ["id", "region", "sources"],
        "properties": {
            "id": _id,
            "region": _enum("region"),
            "note": {"anyOf": [_text, {"type": "null"}]},
            "sources": _sources,
        },
    },
    "hf_repo": {
        "required": ["id", "base_models", "as_of", "sources"],
        "properties": {
            "id": _id,
            "base_models": {**_str_list, "items": _id, "minItems": 1, "maxItems": 20},
            "relation": {"anyOf": [_enum("relation"), {"type": "null"}]},
            "as_of": _date,
            "sources": _sources,
        },
    },
}

#: Field order per kind, as in the feed spec.
FIELDS: dict[str, tuple[str, ...]] = {kind: tuple(s["properties"]) for kind, s in SCHEMAS.items()}
DATE_FIELDS = {
    "published_on",
    "retrieved_on",
    "released_on",
    "as_of",
    "period_start",
    "announced_on",
    "date",
    "effective_on",
}
LIST_FIELDS = {"hf_namespaces", "hf_repos", "related", "sources", "overlaps", "topics", "base_models"}
BOOL_FIELDS = {"scheduled"}
OBJECT_FIELDS = {"identifiers"}
TEXT_FIELDS = {
    "title",
    "name",
    "publisher",
    "summary",
    "method",
    "text",
    "body",
    "actor",
    "family",
    "usd_basis",
    "license",
    "subject",
    "url",
    "measure_id",
    "note",
}
#: Lists and objects of free text, cleaned item by item (ids in `sources`/`related` match ID_PATTERN).
TEXT_LIST_FIELDS = {"hf_namespaces", "hf_repos"}
TEXT_OBJECT_FIELDS = {"identifiers"}
NUMBER_FIELDS = {"value", "amount", "amount_usd", "parameters", "active_parameters", "horizon_years", "fx_rate"}
#: Text that must stay non-empty once cleaned (the schemas' minLength 1).
_NONEMPTY = {
    kind: {f for f, sub in s["properties"].items() if sub.get("minLength") == 1 or sub == _short} & set(s["required"])
    for kind, s in SCHEMAS.items()
}

if TYPE_CHECKING:
    import jsonschema

_COMPILED: dict[str, Callable[[Any], Any]] = {}
_VALIDATORS: dict[str, Any] = {}


def _compiled(kind: str) -> Callable[[Any], Any]:
    """The kind's schema as compiled Python (built on first use, then kept): raises unless the
    record meets it."""
    check = _COMPILED.get(kind)
    if check is None:
        import fastjsonschema

        # Draft 7 has every keyword the schemas use (the same meaning as in 2020-12); no formats, no defaults.
        props = SCHEMAS[kind]["properties"]
        unique = tuple(f for f, sub in props.items() if sub.get("uniqueItems") and sub["items"].get("type") == "string")
        required = frozenset(SCHEMAS[kind]["required"])
        lean = {
            **_without(SCHEMAS[kind], "required"),
            "properties": {f: _without(sub, "uniqueItems") if f in unique else sub for f, sub in props.items()},
        }
        schema = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", **_nullable(lean)}
        compiled = fastjsonschema.compile(schema, use_default=False, use_formats=False)

        def check(data: Any) -> Any:
            compiled(data)
            if not required <= data.keys():  # one C call (the compiled code builds a set per record)
                raise ValueError("a required field is missing")
            # uniqueItems of a list of strings, checked here as a set: fastjsonschema's code for it
            # defines a self-referencing function for each record, a reference cycle that only the
            # garbage collector frees (100,000 of them in a large feed, and the collections to match)
            for field in unique:
                value = data.get(field)
                if value is not None and len(set(value)) != len(value):
                    raise ValueError(f"{field}: an item is repeated")
            return data

        _COMPILED[kind] = check
    return check


def _without(schema: dict[str, Any], keyword: str) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k != keyword}


def _nullable(schema: Any) -> Any:
    """The same schema with each `anyOf: [X, {type: null}]` written as X that also admits null (its
    type widened, None added to its enum): the same records pass, and the compiled code tests a
    type instead of raising and catching an exception per optional field that is null."""
    if isinstance(schema, list):
        return [_nullable(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    branches = schema.get("anyOf")
    if (
        isinstance(branches, list)
        and len(branches) == 2
        and branches[1] == {"type": "null"}
        and len(schema) == 1
        and isinstance(branches[0].get("type"), str)
        and "anyOf" not in branches[0]
    ):
        inner = dict(_nullable(branches[0]))
        inner["type"] = [inner["type"], "null"]
        if "enum" in inner:
            inner["enum"] = [*inner["enum"], None]
        return inner
    return {k: _nullable(v) for k, v in schema.items()}


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    validator = _VALIDATORS.get(kind)
    if validator is None:
        import jsonschema

        validator = _VALIDATORS[kind] = jsonschema.Draft202012Validator({"type": "object", **SCHEMAS[kind]})
    return validator


def jsonschema_error(kind: str, data: Any) -> jsonschema.exceptions.ValidationError | None:
    """jsonschema's best error for the record against the schema as written, or None."""
    import jsonschema

    return jsonschema.exceptions.best_match(_validator(kind).iter_errors(data))


def _schema_error(kind: str, data: dict[str, Any]) -> jsonschema.exceptions.ValidationError | None:
    """None when the record meets its schema, else jsonschema's best error."""
    try:
        _compiled(kind)(data)
        return None
    except Exception:  # noqa: BLE001 - not accepted by the fast path, for whatever reason: jsonschema decides
        return jsonschema_error(kind, data)


def _default(field: str) -> Any:
    if field in LIST_FIELDS:
        return []
    if field in BOOL_FIELDS:
        return False
    if field in OBJECT_FIELDS:
        return {}
    return None


# What validate does with each field after the schema check, worked out once per kind:
# (field, rule, a factory for its empty default or None, the default when there is no factory).
_PLAIN, _DATE, _TEXT, _TEXT_LIST, _TEXT_OBJECT, _NUMBER = "plain", "date", "text", "text list", "text object", "number"
assert not DATE_FIELDS & (TEXT_FIELDS | TEXT_LIST_FIELDS | TEXT_OBJECT_FIELDS | NUMBER_FIELDS)


def _plan(field: str) -> tuple[str, str, Callable[[], Any] | None, Any]:
    rule = (
        _DATE
        if field in DATE_FIELDS
        else _TEXT
        if field in TEXT_FIELDS
        else _TEXT_LIST
        if field in TEXT_LIST_FIELDS
        else _TEXT_OBJECT
        if field in TEXT_OBJECT_FIELDS
        else _NUMBER
        if field in NUMBER_FIELDS
        else _PLAIN
    )
    factory = list if field in LIST_FIELDS else dict if field in OBJECT_FIELDS else None
    return field, rule, factory, _default(field) if factory is None else None


_PLANS = {kind: tuple(_plan(f) for f in fields) for kind, fields in FIELDS.items()}
#: Per kind, the fields whose absent or null value is filled with an empty list/dict or False...
_FILLED = {
    kind: tuple((f, fac, c) for f, _, fac, c in plan if fac is not None or c is not None)
    for kind, plan in _PLANS.items()
}
#: ... and the fields with a rule to apply to a value that is there (the rest are taken as they are).
_RULED = {kind: tuple((f, rule) for f, rule, _, _ in plan if rule is not _PLAIN) for kind, plan in _PLANS.items()}


def validate(kind: str, data: Any) -> dict[str, Any]:
    """Return the record as a dict with exactly the spec's fields, or raise RecordError."""
    if kind not in SCHEMAS:
        raise RecordError(f"unknown record kind {kind!r}")
    if not isinstance(data, dict):
        raise RecordError(f"{kind} record is not an object")
    error = _schema_error(kind, data)
    if error is not None:
        where = "/".join(str(p)[:60] for p in error.absolute_path) or "record"
        rid = limits.quote(data["id"]) if isinstance(data.get("id"), str) else "'?'"
        raise RecordError(f"{kind} {rid}: {where}: {_reason(error)}")
    # Every field taken in one comprehension, then only the few with a default or a rule visited
    # (a loop over every field, testing its rule, was half the time of validating a record).
    get = data.get
    record: dict[str, Any] = {field: get(field) for field in FIELDS[kind]}
    for field, factory, constant in _FILLED[kind]:
        if record[field] is None:
            record[field] = factory() if factory is not None else constant
    for field, rule in _RULED[kind]:
        value = record[field]
        if value is None:
            pass
        elif rule is _DATE:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise RecordError(f"{kind} {data['id']!r}: {field}: {value!r} is not a real date") from None
        elif rule is _TEXT:
            if isinstance(value, str):
                # printable ASCII has nothing to clean (no control, invisible or surrogate
                # character; already NFC): clean_text would return it as it is
                if not (value.isascii() and value.isprintable()):
                    if has_lone_surrogate(value):
                        raise RecordError(f"{kind} {data['id']!r}: {field}: not valid Unicode text (a lone surrogate)")
                    value = record[field] = clean_text(value)
                if not value and field in _NONEMPTY[kind]:
                    raise RecordError(
                        f"{kind} {data['id']!r}: {field}: nothing is left once invisible characters are removed"
                    )
        elif rule is _TEXT_LIST:
            if value:
                if any(has_lone_surrogate(v) for v in value):
                    raise RecordError(f"{kind} {data['id']!r}: {field}: not valid Unicode text (a lone surrogate)")
                value = record[field] = [clean_text(v) for v in value]
                if "" in value or len(set(value)) != len(value):
                    raise RecordError(
                        f"{kind} {data['id']!r}: {field}: an item is empty or repeated once invisible characters are removed"
                    )
        elif rule is _TEXT_OBJECT:
            if value:
                if any(has_lone_surrogate(k) or has_lone_surrogate(v) for k, v in value.items()):
                    raise RecordError(f"{kind} {data['id']!r}: {field}: not valid Unicode text (a lone surrogate)")
                record[field] = {clean_text(k): clean_text(v) for k, v in value.items()}
        elif rule is _NUMBER and isinstance(value, float) and not limits.finite(value):
            raise RecordError(f"{kind} {data['id']!r}: {field}: {value!r} is not a finite number")
    if kind == "source" and record["grade"] is None:
        # a schema-1 source: only "primary" is known; anything else is treated as weak until graded
        record["grade"] = "primary" if record["reliability"] == "primary" else "weak"
    if isinstance(record.get("value"), float) and record["value"].is_integer() and record.get("unit") == "count":
        record["value"] = int(record["value"])
    return record


def _reason(error: jsonschema.exceptions.ValidationError) -> str:
    """The schema error in words, quoting at most a short prefix of the bad value."""
    keyword, limit = error.validator, error.validator_value
    shown = limits.quote(error.instance)
    n = f"{limit:,}" if isinstance(limit, (int, float)) and not isinstance(limit, bool) else repr(limit)
    reasons = {
        "maxLength": f"{shown} is too long (more than {n} characters)",
        "minLength": f"{shown} is shorter than {n} character(s)",
        "pattern": f"{shown} does not match {limits.quote(limit, 80)}",
        "maximum": f"{shown} is more than the maximum of {n}",
        "minimum": f"{shown} is less than the minimum of {n}",
        "maxItems": f"has more than {n} items",
        "maxProperties": f"has more than {n} entries",
        "enum": f"{shown} is not one of {limits.quote(limit, 200)}",
    }
    if keyword in reasons:
        return reasons[keyword]
    text = error.message
    return text if len(text) <= 200 else text[:200] + "…"


@dataclass(frozen=True)
class RecordRef:
    """A pointer to one record: what notes, search results and 'related' lists hold."""

    kind: str
    id: str


def title_of(kind: str, record: dict[str, Any]) -> str:
    """A short human label for any record."""
    if kind == "adoption":
        return f"{record['subject']} · {record['metric']} · {record['as_of']}"
    if kind == "consideration":
        return record["text"]
    if kind == "hf_namespace":
        return f"Hugging Face account {record['id']} (ATOM region: {record['region']})"
    if kind == "hf_repo":
        return f"{record['id']} (based on {', '.join(record['base_models'])})"
    return str(record.get("title") or record.get("name") or record["id"])
