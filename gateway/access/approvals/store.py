"""Approval requests and policies in the gateway's own MongoDB database.

A request moves `pending` → `executing` → `executed` (or `failed`), or `pending` →
`rejected`, or is `expired` once past `expires_at`. Taking it to `executing` is one
conditional update, so of any number of concurrent approvals exactly one runs it.

An `executing` request is held under a lease (`lease_owner`, `lease_until`) that its
runner renews while the run lasts. A gateway that died mid-run leaves the lease to run
out; a recovery loop then claims the request (one conditional update again) and runs it
once more under the same `Idempotency-Key`, which replays the first run's answer if it
had completed (gateway/approvals/recovery.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bson import Binary
from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from gateway.access.approvals.policy import ApprovalPolicy, policy_from_doc
from libs.ids import new_id
from libs.mongo import Doc

PENDING, EXECUTING, EXECUTED, FAILED, REJECTED, EXPIRED = (
    "pending",
    "executing",
    "executed",
    "failed",
    "rejected",
    "expired",
)
STATUSES = (PENDING, EXECUTING, EXECUTED, FAILED, REJECTED, EXPIRED)
# Abandoned requests tried at each claim: another gateway may take the first ones meanwhile.
_CANDIDATES = 5


@dataclass(frozen=True)
class Lease:
    """Who runs an `executing` request (`owner`: host, process and run) and for how long
    at a time."""

    owner: str
    duration: timedelta

    def held_from(self, now: datetime) -> Doc:
        return {"lease_owner": self.owner, "lease_until": now + self.duration}


@dataclass(frozen=True)
class Maker:
    """Who asked, as the request will run: their credential's id, role, stores, scopes."""

    key_id: str
    role: str | None
    stores: tuple[str, ...]
    store_id: str | None
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class HeldRequest:
    method: str
    path: str
    route: str
    query: str
    content_type: str
    body: bytes = field(repr=False)


@dataclass(frozen=True)
class Approval:
    approval_id: str
    tenant_id: str
    status: str
    reason: str
    maker: Maker
    request: HeldRequest
    created_at: datetime
    expires_at: datetime
    checker_id: str | None = None
    checker_role: str | None = None
    decided_at: datetime | None = None
    note: str | None = None
    result_status: int | None = None
    result: Any = None
    lease_owner: str | None = None
    lease_until: datetime | None = None
    recoveries: int = 0

    def status_at(self, now: datetime) -> str:
        return EXPIRED if self.status == PENDING and now >= self.expires_at else self.status


def _approval(doc: Doc) -> Approval:
    req = doc["request"]
    return Approval(
        approval_id=doc["_id"],
        tenant_id=doc["tenant_id"],
        status=doc["status"],
        reason=doc["reason"],
        maker=Maker(
            **{
                **doc["maker"],
                "stores": tuple(doc["maker"]["stores"]),
                "scopes": tuple(doc["maker"]["scopes"]),
            }
        ),
        request=HeldRequest(
            method=req["method"],
            path=req["path"],
            route=req["route"],
            query=req["query"],
            content_type=req["content_type"],
            body=bytes(req.get("body") or b""),
        ),
        created_at=doc["created_at"],
        expires_at=doc["expires_at"],
        checker_id=doc.get("checker_id"),
        checker_role=doc.get("checker_role"),
        decided_at=doc.get("decided_at"),
        note=doc.get("note"),
        result_status=doc.get("result_status"),
        result=doc.get("result"),
        lease_owner=doc.get("lease_owner"),
        lease_until=doc.get("lease_until"),
        recoveries=int(doc.get("recoveries", 0)),
    )


class ApprovalStore:
    def __init__(self, approvals: AsyncCollection[Doc], policies: AsyncCollection[Doc]) -> None:
        self._approvals = approvals
        self._policies = policies

    async def ensure_indexes(self) -> None:
        await self._approvals.create_index(
            [("tenant_id", ASCENDING), ("status", ASCENDING), ("_id", DESCENDING)]
        )
        await self._approvals.create_index([("tenant_id", ASCENDING), ("_id", DESCENDING)])
        await self._approvals.create_index([("status", ASCENDING), ("lease_until", ASCENDING)])

    async def policy(self, tenant_id: str) -> ApprovalPolicy:
        return policy_from_doc(await self._policies.find_one({"_id": tenant_id}, {"_id": 0}))

    async def put_policy(self, tenant_id: str, policy: ApprovalPolicy) -> None:
        await self._policies.replace_one({"_id": tenant_id}, policy.to_doc(), upsert=True)

    async def hold(
        self, tenant_id: str, maker: Maker, request: HeldRequest, reason: str, hours: int
    ) -> Approval:
        now = datetime.now(UTC)
        doc: Doc = {
            "_id": new_id("apr_"),
            "tenant_id": tenant_id,
            "status": PENDING,
            "reason": reason,
            "maker": {**maker.__dict__, "stores": list(maker.stores), "scopes": list(maker.scopes)},
            "request": {**request.__dict__, "body": Binary(request.body)},
            "created_at": now,
            "expires_at": now + timedelta(hours=hours),
        }
        await self._approvals.insert_one(doc)
        return _approval(doc)

    async def get(self, tenant_id: str, approval_id: str) -> Approval | None:
        doc = await self._approvals.find_one({"_id": approval_id, "tenant_id": tenant_id})
        return None if doc is None else _approval(doc)

    async def list(self, tenant_id: str, status: str | None, limit: int) -> list[Approval]:
        found: Doc = {"tenant_id": tenant_id}
        now = datetime.now(UTC)
        if status == PENDING:
            found.update(status=PENDING, expires_at={"$gt": now})
        elif status == EXPIRED:
            found.update(status=PENDING, expires_at={"$lte": now})
        elif status is not None:
            found["status"] = status
        cursor = self._approvals.find(found).sort("_id", DESCENDING).limit(limit)
        return [_approval(doc) async for doc in cursor]

    async def decide(
        self,
        tenant_id: str,
        approval_id: str,
        *,
        to: str,
        checker_id: str,
        role: str,
        note: str | None,
        lease: Lease | None = None,
    ) -> Approval | None:
        """Take a pending, unexpired request to `to` (`executing` under `lease`, or
        `rejected`): of several concurrent calls, one gets the approval back, the others
        None."""
        now = datetime.now(UTC)
        held: Doc = {} if lease is None else lease.held_from(now)
        doc = await self._approvals.find_one_and_update(
            {
                "_id": approval_id,
                "tenant_id": tenant_id,
                "status": PENDING,
                "expires_at": {"$gt": now},
            },
            {
                "$set": {
                    "status": to,
                    "checker_id": checker_id,
                    "checker_role": role,
                    "decided_at": now,
                    "note": note,
                    **held,
                }
            },
            return_document=ReturnDocument.AFTER,
        )
        return None if doc is None else _approval(doc)

    async def finish(self, approval: Approval, *, status: int, result: Any) -> Approval:
        """Store the outcome of the run; the held body is dropped once it has run. A run
        finished meanwhile by another gateway (a recovery) keeps its outcome: the
        approval is answered as stored."""
        done = EXECUTED if status < 400 else FAILED
        doc = await self._approvals.find_one_and_update(
            {"_id": approval.approval_id, "status": EXECUTING},
            {
                "$set": {"status": done, "result_status": status, "result": result},
                "$unset": {"request.body": "", "lease_owner": "", "lease_until": ""},
            },
            return_document=ReturnDocument.AFTER,
        )
        if doc is None:
            doc = await self._approvals.find_one({"_id": approval.approval_id})
        return approval if doc is None else _approval(doc)

    # The lease of a running request, and the recovery of one whose gateway died.

    async def renew(self, approval_id: str, lease: Lease) -> bool:
        """Extend the lease of a run still executing under `lease.owner`; False when it
        ended or another gateway took it over."""
        changed = await self._approvals.update_one(
            {"_id": approval_id, "status": EXECUTING, "lease_owner": lease.owner},
            {"$set": lease.held_from(datetime.now(UTC))},
        )
        return changed.matched_count == 1

    async def claim_abandoned(self, lease: Lease, now: datetime) -> Approval | None:
        """The oldest `executing` request whose lease ran out (its gateway died, or it
        was taken to executing before leases existed and never finished), now held under
        `lease`; None when there is none. Of concurrent claims one wins each request."""
        free: Doc = {
            "status": EXECUTING,
            "$or": [
                {"lease_until": {"$lte": now}},
                {"lease_until": None, "decided_at": {"$lte": now - lease.duration}},
            ],
        }
        cursor = self._approvals.find(free, projection={"_id": True}).sort("_id", ASCENDING)
        for candidate in await cursor.limit(_CANDIDATES).to_list():
            doc = await self._approvals.find_one_and_update(
                {**free, "_id": candidate["_id"]},
                {"$set": lease.held_from(now), "$inc": {"recoveries": 1}},
                return_document=ReturnDocument.AFTER,
            )
            if doc is not None:  # else another gateway was first
                return _approval(doc)
        return None

    async def release(self, approval_id: str, owner: str, after: timedelta) -> None:
        """Give a claim up having run nothing (the request's key was still claimed by the
        run it recovers): claimed again `after` from now, and not counted as a recovery."""
        await self._approvals.update_one(
            {"_id": approval_id, "status": EXECUTING, "lease_owner": owner},
            {
                "$set": {"lease_owner": None, "lease_until": datetime.now(UTC) + after},
                "$inc": {"recoveries": -1},
            },
        )
