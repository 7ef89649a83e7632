"""The update operators the read model writes (`$set`, `$inc`, `$addToSet` with or without
`$each`, `$setOnInsert`), applied to a document in memory as the database applies them to
the stored one, so a batch reads its own changes without reading them back."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from libs.mongo import Doc

OPERATORS = frozenset({"$set", "$inc", "$addToSet", "$setOnInsert"})


def apply_update(doc: Doc, update: Doc, *, inserting: bool) -> None:
    """Change `doc` as an upsert of `update` changes the stored document; `inserting`: the
    document did not exist (only then does `$setOnInsert` apply). Paths may be dotted."""
    unknown = update.keys() - OPERATORS
    if unknown:
        raise ValueError(f"update operators not applied in memory: {sorted(unknown)}")
    if inserting:
        for path, value in update.get("$setOnInsert", {}).items():
            _put(doc, path, deepcopy(value))
    for path, value in update.get("$set", {}).items():
        _put(doc, path, deepcopy(value))
    for path, n in update.get("$inc", {}).items():
        parent, name = _parent(doc, path)
        parent[name] = parent.get(name, 0) + n
    for path, value in update.get("$addToSet", {}).items():
        parent, name = _parent(doc, path)
        items: list[Any] = parent.setdefault(name, [])
        each = value["$each"] if isinstance(value, dict) and "$each" in value else [value]
        for item in each:
            if item not in items:
                items.append(deepcopy(item))


def _parent(doc: Doc, path: str) -> tuple[Doc, str]:
    """The document holding the last part of a dotted path, made on the way if missing."""
    *above, name = path.split(".")
    for part in above:
        doc = doc.setdefault(part, {})
    return doc, name


def _put(doc: Doc, path: str, value: Any) -> None:
    parent, name = _parent(doc, path)
    parent[name] = value
