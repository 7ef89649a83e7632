"""The update operators the read model writes, applied to a document in memory as the
database applies them to the stored one."""

from __future__ import annotations

import pytest

from services.analytics.adapters.updates import apply_update


def test_set_on_insert_applies_only_to_a_new_document() -> None:
    new: dict[str, object] = {"_id": "t:m"}
    old: dict[str, object] = {"_id": "t:m", "m": "m", "t": "t"}

    apply_update(new, {"$setOnInsert": {"t": "t", "m": "m"}}, inserting=True)
    apply_update(old, {"$setOnInsert": {"t": "other", "m": "other"}}, inserting=False)

    assert new == {"_id": "t:m", "t": "t", "m": "m"}
    assert old == {"_id": "t:m", "m": "m", "t": "t"}


def test_set_replaces_fields_and_whole_values() -> None:
    doc: dict[str, object] = {"tier": "silver", "lots": [{"p": 1}]}

    apply_update(doc, {"$set": {"tier": "gold", "lots": [], "enrolled": True}}, inserting=False)

    assert doc == {"tier": "gold", "lots": [], "enrolled": True}


def test_inc_adds_to_a_dotted_counter_and_starts_a_missing_one_at_zero() -> None:
    doc: dict[str, object] = {"o": {"2026-01-01": 1}}

    apply_update(
        doc, {"$inc": {"o.2026-01-01": 2, "o.2026-01-02": 1, "g.2026-01-02": 500}}, inserting=False
    )

    assert doc == {"o": {"2026-01-01": 3, "2026-01-02": 1}, "g": {"2026-01-02": 500}}


def test_add_to_set_appends_only_what_the_array_lacks_one_value_or_each() -> None:
    doc: dict[str, object] = {"buys": [{"d": "2026-01-01", "s": "s1", "c": "pos"}]}
    first = {"d": "2026-01-01", "s": "s1", "c": "pos"}
    second = {"d": "2026-01-02", "s": "s1", "c": "pos"}

    apply_update(doc, {"$addToSet": {"buys": first}}, inserting=False)
    apply_update(doc, {"$addToSet": {"buys": {"$each": [second, second, first]}}}, inserting=False)
    apply_update(
        doc, {"$addToSet": {"rw": {"$each": [{"c": "c1", "d": "2026-01-02"}]}}}, inserting=False
    )

    assert doc == {"buys": [first, second], "rw": [{"c": "c1", "d": "2026-01-02"}]}


def test_a_document_keeps_no_reference_to_the_update_it_took() -> None:
    lots = [{"p": 5}]
    doc: dict[str, object] = {}

    apply_update(doc, {"$set": {"lots": lots}}, inserting=True)
    lots.append({"p": 6})

    assert doc == {"lots": [{"p": 5}]}


def test_an_operator_it_does_not_apply_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\$unset"):
        apply_update({}, {"$unset": {"tier": ""}}, inserting=False)
