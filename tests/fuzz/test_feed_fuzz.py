"""Any bytes into the feed parser and validator: a clean FeedError or a valid document, never any
other exception; and a valid document only ever holds what the store can keep (finite, bounded
numbers, clean UTF-8 text, full-match codes)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.core import feed_publish, limits, records
from briefing.core.feed import FeedDocument, FeedError, parse_feed
from briefing.core.store import Store
from briefing.core.text import _INVISIBLE
from tests.feedkit import NOW
from tests.fuzz import SCALE

FIXTURE_RECORDS = Path(__file__).resolve().parents[1] / "fixtures" / "records"


@pytest.fixture(scope="module")
def valid_feed(fixture_snapshot) -> bytes:
    with Store(fixture_snapshot, readonly=True) as store:
        return feed_publish.build_document(store, version=3, generated_at=NOW, expires_at=NOW.replace(year=2027))


def _comment(body: bytes) -> str | None:
    try:
        head = json.loads(body)["_briefing"]
        return feed_publish.trusted_comment(head["feed_version"], head["expires_at"])
    except Exception:  # noqa: BLE001 - the comment is only a convenience for documents that have one
        return None


def _check(doc: FeedDocument) -> None:
    """What the store needs of every accepted record."""
    assert 1 <= doc.version <= limits.MAX_FEED_VERSION
    for kind, recs in doc.records.items():
        for rec in recs:
            assert set(rec) == set(records.FIELDS[kind])
            for field, value in rec.items():
                values = (
                    value if isinstance(value, list) else list(value.items()) if isinstance(value, dict) else [value]
                )
                for v in values:
                    for part in v if isinstance(v, tuple) else (v,):
                        if isinstance(part, str):
                            part.encode("utf-8")  # no lone surrogates
                            if field in records.TEXT_FIELDS | records.TEXT_LIST_FIELDS | records.TEXT_OBJECT_FIELDS:
                                assert not _INVISIBLE.search(part), (kind, field, part)
                        elif isinstance(part, (int, float)) and not isinstance(part, bool):
                            assert math.isfinite(part) and 0 <= part <= limits.MAX_NUMBER, (kind, field, part)


def _parse(body: bytes, comment: str | None) -> None:
    try:
        doc = parse_feed(body, comment)
    except FeedError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 400
        return
    _check(doc)


@settings(max_examples=300 * SCALE)
@given(st.binary(max_size=3000))
def test_any_bytes(body):
    _parse(body, None)
    _parse(body, "file=feed.json version=1 expires=2027-01-01T00:00:00Z")


@settings(max_examples=200 * SCALE)
@given(data=st.data())
def test_a_valid_feed_with_random_bytes_changed(valid_feed, data):
    body = bytearray(valid_feed)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(body) - 1))
        op = data.draw(st.sampled_from(["flip", "insert", "delete"]))
        if op == "flip":
            body[at] = data.draw(st.integers(0, 255))
        elif op == "insert":
            body[at:at] = data.draw(st.binary(min_size=1, max_size=12))
        else:
            del body[at : at + data.draw(st.integers(1, 40))]
    _parse(bytes(body), _comment(bytes(body)))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "US",
            "US\n",
            "2026-02-30",
            "2026-01-01",
            "https://x.example/a",
            "\u202e",
            "\ud800",
            "\x00",
            "1e309",
            "source",
            "primary",
        ]
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300 * SCALE)
@given(data=st.data())
def test_a_valid_feed_with_random_values_planted(valid_feed, data):
    doc = json.loads(valid_feed)
    for _ in range(data.draw(st.integers(1, 4))):
        item = data.draw(st.sampled_from(doc["items"]))
        rec = item["_briefing"]["record"]
        field = data.draw(st.sampled_from(sorted(rec) + ["_new_field"]))
        rec[field] = data.draw(json_values)
    if data.draw(st.booleans()):
        doc["_briefing"]["feed_version"] = data.draw(json_values)
    body = json.dumps(doc, ensure_ascii=data.draw(st.booleans())).encode("utf-8", "surrogatepass")
    _parse(body, _comment(body))


@settings(max_examples=200 * SCALE)
@given(
    kind=st.sampled_from(records.ALL_KINDS),
    data=st.dictionaries(
        st.sampled_from(sorted({f for fs in records.FIELDS.values() for f in fs})), json_values, max_size=12
    ),
)
def test_validate_never_raises_anything_but_record_error(kind, data):
    try:
        rec = records.validate(kind, data)
    except records.RecordError:
        return
    _check(FeedDocument(1, "", "", {kind: [rec]}))


# -- the fast paths agree with the reference ones -----------------------------------------------


def _reference_verdict(kind: str, data: dict) -> bool:
    """jsonschema (Draft 2020-12) on the schema as written: does the record meet it?"""
    return records.jsonschema_error(kind, data) is None


@settings(max_examples=300 * SCALE)
@given(data=st.data())
def test_the_compiled_validator_accepts_exactly_what_jsonschema_accepts(valid_feed, data):
    """The compiled schema (records._compiled, with anyOf-null rewritten) and jsonschema agree on
    planted values, both ways: the fast path never accepts what the schema refuses."""
    doc = json.loads(valid_feed)
    item = data.draw(st.sampled_from(doc["items"]))
    kind, rec = item["_briefing"]["kind"], item["_briefing"]["record"]
    for _ in range(data.draw(st.integers(0, 3))):
        field = data.draw(st.sampled_from(sorted(records.SCHEMAS[kind]["properties"]) + ["_new_field"]))
        if data.draw(st.booleans()):
            rec.pop(field, None)
        else:
            rec[field] = data.draw(json_values | st.lists(st.sampled_from(["a", "a", "src-1", 1, None]), max_size=4))
    try:
        records._compiled(kind)(rec)
        fast = True
    except Exception:  # noqa: BLE001 - any refusal of the fast path counts as "not accepted"
        fast = False
    assert fast == _reference_verdict(kind, rec), (kind, rec)


def _mutated(data, body: bytes) -> str:
    text = bytearray(body)
    for _ in range(data.draw(st.integers(0, 6))):
        at = data.draw(st.integers(0, len(text) - 1))
        op = data.draw(st.sampled_from(["flip", "insert", "delete"]))
        if op == "flip":
            text[at] = data.draw(st.sampled_from(list(b'{}[],:" \n0a-')))
        elif op == "insert":
            text[at:at] = data.draw(st.sampled_from([b",", b"]", b"}", b'"items":[]', b" ", b"{", b"[", b'"x"']))
        else:
            del text[at : at + data.draw(st.integers(1, 20))]
    return bytes(text).decode("utf-8", "replace")


@settings(max_examples=300 * SCALE)
@given(data=st.data())
def test_the_streaming_reader_reads_exactly_what_json_loads_reads(valid_feed, data):
    """feed._parse_streaming (items handed out one by one) accepts and refuses the same texts as
    the whole-document reader, and yields the same document."""
    from briefing.core import feed

    small = json.loads(valid_feed)
    small["items"] = small["items"][:3]
    text = _mutated(data, json.dumps(small, indent=data.draw(st.sampled_from([None, 1]))).encode())
    try:
        whole = feed.parse_json(text)
    except FeedError as exc:
        with pytest.raises(FeedError) as streamed:
            feed._parse_streaming_checked(text, lambda n, item: None)
        assert str(streamed.value) == str(exc)
        return
    got: list = []
    doc = feed._parse_streaming_checked(text, lambda n, item: got.append(item))
    if isinstance(doc, dict) and isinstance(doc.get("items"), feed._Streamed):
        doc = {**doc, "items": got}
    assert doc == whole
