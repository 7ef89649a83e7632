"""The `operators` collection: one document per operator of a tenant, e-mail unique there.

Only the argon2 hash of a password is stored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from gateway.tenancy.keys import ROLES
from gateway.tenancy.operators.passwords import hash_password, needs_rehash, verify_password
from libs.ids import new_id
from libs.mongo import Doc

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]+$")


class OperatorError(ValueError):
    """An operator that cannot be made as asked."""


class OperatorExists(OperatorError):
    """The e-mail address is already an operator's in that tenant."""


@dataclass(frozen=True)
class Operator:
    operator_id: str
    tenant_id: str
    email: str
    role: str
    stores: tuple[str, ...]
    created_at: datetime
    # A disabled operator cannot sign in; disabling ends their sessions.
    disabled_at: datetime | None = None


@dataclass(frozen=True)
class SignInCheck:
    """`operator`: signed in (the right password, not disabled); `account`: the operator
    the e-mail named, whether or not they signed in (None: nobody's)."""

    operator: Operator | None
    account: Operator | None


def normalized_email(email: str) -> str:
    address = email.strip().lower()
    if not _EMAIL.match(address):
        raise OperatorError(f"not an e-mail address: {email!r}")
    return address


def check_role(role: str, stores: Sequence[str]) -> None:
    if role not in ROLES:
        raise OperatorError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if role == "store_manager" and not stores:
        raise OperatorError("a store_manager manages one store or more (--stores S001,S002)")
    if role != "store_manager" and stores:
        raise OperatorError("only a store_manager is bound to stores")


def _operator(doc: Doc) -> Operator:
    return Operator(
        operator_id=doc["operator_id"],
        tenant_id=doc["tenant_id"],
        email=doc["email"],
        role=doc["role"],
        stores=tuple(doc.get("stores", ())),
        created_at=doc["created_at"],
        disabled_at=doc.get("disabled_at"),
    )


class OperatorStore:
    def __init__(self, collection: AsyncCollection[Doc]) -> None:
        self._operators = collection

    async def ensure_indexes(self) -> None:
        await self._operators.create_index(
            [("tenant_id", ASCENDING), ("email", ASCENDING)], unique=True
        )
        await self._operators.create_index([("operator_id", ASCENDING)], unique=True)

    async def create(
        self, tenant_id: str, email: str, role: str, password: str, stores: Sequence[str] = ()
    ) -> Operator:
        check_role(role, stores)
        doc = {
            "operator_id": new_id("op_"),
            "tenant_id": tenant_id,
            "email": normalized_email(email),
            "role": role,
            "stores": list(stores),
            "password_hash": await hash_password(password),
            "created_at": datetime.now(UTC),
        }
        try:
            await self._operators.insert_one(doc)
        except DuplicateKeyError:
            raise OperatorExists(f"{doc['email']} is already an operator of {tenant_id}") from None
        return _operator(doc)

    async def find(self, tenant_id: str, email: str) -> Operator | None:
        doc = await self._operators.find_one({"tenant_id": tenant_id, "email": email.lower()})
        return None if doc is None else _operator(doc)

    async def get(self, tenant_id: str, operator_id: str) -> Operator | None:
        doc = await self._operators.find_one({"tenant_id": tenant_id, "operator_id": operator_id})
        return None if doc is None else _operator(doc)

    async def list(self, tenant_id: str) -> list[Operator]:
        cursor = self._operators.find({"tenant_id": tenant_id}).sort("email", ASCENDING)
        return [_operator(doc) async for doc in cursor]

    async def change_role(
        self, tenant_id: str, operator_id: str, role: str, stores: Sequence[str] = ()
    ) -> Operator | None:
        """The operator with a new role and stores; None if not an operator of the tenant."""
        check_role(role, stores)
        doc = await self._operators.find_one_and_update(
            {"tenant_id": tenant_id, "operator_id": operator_id},
            {"$set": {"role": role, "stores": list(stores)}},
            return_document=ReturnDocument.AFTER,
        )
        return None if doc is None else _operator(doc)

    async def set_disabled(
        self, tenant_id: str, operator_id: str, *, disabled: bool
    ) -> Operator | None:
        """The operator disabled (from now) or enabled again; None if not an operator of the
        tenant."""
        change: dict[str, object]
        if disabled:
            change = {"$set": {"disabled_at": datetime.now(UTC)}}
        else:
            change = {"$unset": {"disabled_at": ""}}
        doc = await self._operators.find_one_and_update(
            {"tenant_id": tenant_id, "operator_id": operator_id},
            change,
            return_document=ReturnDocument.AFTER,
        )
        return None if doc is None else _operator(doc)

    async def set_password(self, operator_id: str, password: str) -> None:
        hashed = await hash_password(password)
        await self._operators.update_one(
            {"operator_id": operator_id}, {"$set": {"password_hash": hashed}}
        )

    async def check_password(self, tenant_id: str, email: str, password: str) -> Operator | None:
        """The operator when the password is theirs; None otherwise, in the same time."""
        return (await self.check_sign_in(tenant_id, email, password)).operator

    async def check_sign_in(self, tenant_id: str, email: str, password: str) -> SignInCheck:
        """Whether the password is the operator's (in the same time either way), and whose
        account the e-mail named (for the audit trail: never the e-mail itself)."""
        doc = await self._operators.find_one(
            {"tenant_id": tenant_id, "email": email.strip().lower()}
        )
        account = None if doc is None else _operator(doc)
        stored = None if doc is None else doc.get("password_hash")
        if not await verify_password(stored, password) or doc is None:
            return SignInCheck(None, account)
        if doc.get("disabled_at") is not None:  # checked after the hash: the same time
            return SignInCheck(None, account)
        if needs_rehash(doc["password_hash"]):
            await self.set_password(doc["operator_id"], password)
        return SignInCheck(account, account)

    async def has_any(self, tenant_id: str) -> bool:
        """Whether the tenant has an operator at all."""
        return await self._operators.find_one({"tenant_id": tenant_id}, {"_id": 1}) is not None
