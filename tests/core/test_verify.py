"""verify() lists planted problems: dangling sources, unsourced records, dangling references."""

from __future__ import annotations

from briefing.core.records import validate
from briefing.core.store import Store


def test_clean_database_verifies(store):
    assert store.verify() == []


def _raw(store: Store):
    # Plant problems behind the store's back, as corruption or a buggy writer would.
    store.db.execute("PRAGMA foreign_keys = OFF")
    return store.db


def test_dangling_source_is_caught(store):
    _raw(store).execute(
        "INSERT INTO model_source(record_id, source_id, position) VALUES ('deepseek-r1', 'ghost-source', 9)"
    )
    problems = store.verify()
    assert any("ghost-source" in p and p.startswith("dangling source") for p in problems)
    assert any(p.startswith("foreign key") for p in problems)


def test_unsourced_record_is_caught(store):
    _raw(store).execute("DELETE FROM investment_source")
    assert store.verify() == ["unsourced: investment 'fr-2025-ai-109bn' cites no source"]


def test_dangling_related_and_subject(store):
    db = _raw(store)
    db.execute("UPDATE policy_action SET related = '[\"nothing-here\"]'")
    db.execute("UPDATE adoption SET subject_kind = 'model', subject = 'ghost' WHERE id = 'share-cn-2025'")
    problems = store.verify()
    assert any("nothing-here" in p for p in problems)
    assert any("ghost" in p and "dangling subject" in p for p in problems)


def _part(store: Store, rid: str, part_of: str | None, **extra) -> None:
    base = {k: v for k, v in store.record("investment", "fr-2025-ai-109bn").items() if k != "origin"}
    rec = {**base, "id": rid, "part_of": part_of, **extra}
    store.put_records("investment", [validate("investment", rec)], origin="local")


def test_part_of_links_are_checked(store):
    _part(store, "fr-part", "fr-2025-ai-109bn")
    assert store.verify() == []
    _part(store, "ghost-part", "no-such-package")
    _part(store, "self-part", "self-part")
    _part(store, "loop-a", "loop-b")
    _part(store, "loop-b", "loop-a")
    problems = store.verify()
    assert "dangling part_of: investment 'ghost-part' is part of missing 'no-such-package'" in problems
    assert "bad part_of: investment 'self-part' is part of itself" in problems
    assert "bad part_of: investment 'loop-a' is in a part_of cycle" in problems
    assert "bad part_of: investment 'loop-b' is in a part_of cycle" in problems
    assert not any("fr-part" in p for p in problems)


def test_related_may_name_any_kind_of_record_and_each_missing_one_is_listed(store):
    """`related` is checked in SQL against every kind's ids, in record then list order."""
    db = _raw(store)
    (pid,) = db.execute("SELECT id FROM policy_action").fetchone()
    db.execute("UPDATE policy_action SET related = ? WHERE id = ?", ['["deepseek-r1", "epoch-notable"]', pid])
    assert store.verify() == []
    db.execute("UPDATE policy_action SET related = ? WHERE id = ?", ['["ghost-b", "deepseek-r1", 7, "ghost-a"]', pid])
    assert store.verify() == [
        f"dangling related: policy_action {pid!r} names missing 'ghost-b'",
        f"dangling related: policy_action {pid!r} names missing 7",
        f"dangling related: policy_action {pid!r} names missing 'ghost-a'",
    ]
