"""Actors and identity provenance as MongoDB sub-documents, and back."""

from __future__ import annotations

from libs.mongo import Doc
from services.member.domain.actors import Actor, ActorKind, Provenance


def actor_to_doc(actor: Actor) -> Doc:
    return {
        "kind": actor.kind.value,
        "channel": actor.channel,
        "key_id": actor.key_id,
        "store_id": actor.store_id,
    }


def actor_from_doc(doc: Doc) -> Actor:
    return Actor(ActorKind(doc["kind"]), doc["channel"], doc["key_id"], doc.get("store_id", ""))


def provenance_to_doc(provenance: Provenance | None) -> Doc | None:
    if provenance is None:
        return None
    return {"actor": actor_to_doc(provenance.actor), "at": provenance.at}


def provenance_from_doc(doc: Doc | None) -> Provenance | None:
    """None for an identity linked before provenance was kept: unknown."""
    if not doc:
        return None
    return Provenance(actor_from_doc(doc["actor"]), doc["at"])
