"""A member code serves one till and one sale: the first caller to resolve it (a lookup,
an order, a cart, a coupon) claims it, and any other caller gets 404 `member_not_found`;
the first order that names the member by it spends it, and another order gets the same
404 (that order again, a retry, is answered as before).

A code is signed by the member service and lasts 60 seconds; without this, anyone who saw
or photographed it could use it again and again until then. The first caller (the till's
key, or an operator's session) may use it again within its life, so that looking the
member up and then ringing up their order, or retrying an order that timed out, still
work. The claim is a document in the gateway's own database (`member_code_uses`, `_id`
the SHA-256 of the tenant and the code, unique), kept past any code's lifetime by a TTL
index. MongoDB rather than Redis: a claim must not fail open.
"""

from __future__ import annotations

from gateway.edge.problems import ApiProblem
from gateway.shared.purchases import TillIdentity
from gateway.tenancy.code_uses import MemberCodeUses
from gateway.tenancy.keys import ApiKey

USED_ELSEWHERE = "this member code was used by another till; ask the app for a new one"
SPENT = "this member code paid for another sale; ask the app for a new one"


async def claim_code(uses: MemberCodeUses, caller: ApiKey, code: str) -> None:
    """404 `member_not_found` when another caller used the code first."""
    if not await uses.claim(caller.tenant_id, code, caller.key_id):
        raise ApiProblem(404, "member_not_found", USED_ELSEWHERE)


async def claim_identity(
    uses: MemberCodeUses, caller: ApiKey, identity: TillIdentity | None
) -> None:
    """Claim the code when a till names the member by one (other identities pass)."""
    if identity is not None and identity.type == "code":
        await claim_code(uses, caller, identity.value)


async def spend_identity(
    uses: MemberCodeUses, caller: ApiKey, identity: TillIdentity | None, order_id: str
) -> None:
    """An order naming the member by a code spends it: 404 `member_not_found` when another
    caller claimed it or another order spent it."""
    if identity is None or identity.type != "code":
        return
    await claim_code(uses, caller, identity.value)
    if not await uses.spend(caller.tenant_id, identity.value, caller.key_id, order_id):
        raise ApiProblem(404, "member_not_found", SPENT)
