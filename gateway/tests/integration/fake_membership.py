"""The member stand-in's answers for issue 3's calls: privacy, identities, profile,
codes, search and tiers. Just enough state to prove the gateway's side of each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp
from grpc import aio
from typing_extensions import override

from libs.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from libs.ids import new_id
from loyalty.member.v1 import member_pb2 as pb
from loyalty.member.v1 import member_pb2_grpc

Context = aio.ServicerContext[Any, Any]
TAKEN_PREFIX = "taken-"  # an identity value the fake reports as held by someone else
CODE_PREFIX = "code-"  # the fake's member codes: the prefix and the member id
UNKNOWN_ATTRIBUTE = "unknown"  # an attribute name the fake refuses, as the service would


def _now() -> Timestamp:
    stamp = Timestamp()
    stamp.GetCurrentTime()
    return stamp


@dataclass
class MembershipRpcs(member_pb2_grpc.MemberServiceServicer):
    members: dict[tuple[str, str], pb.Member] = field(default_factory=dict)
    identities: dict[tuple[str, str, str], str] = field(default_factory=dict)
    calls: list[Any] = field(default_factory=list)
    audit: dict[tuple[str, str], list[pb.AuditEntry]] = field(default_factory=dict)
    schemas: dict[str, pb.AttributeSchema] = field(default_factory=dict)

    def _member(self, tenant_id: str, member_id: str) -> pb.Member:
        member = self.members.get((tenant_id, member_id))
        if member is None:
            raise NotFound("no such member", code="member_not_found")
        return member

    def _changed(self, request: Any, action: str, fields: list[str]) -> pb.Member:
        """Record the call and an audit entry; the member the request names."""
        self.calls.append(request)
        member = self._member(request.tenant_id, request.member_id)
        entry = pb.AuditEntry(
            entry_id=new_id("au"), action=action, fields=fields, actor=request.actor, at=_now()
        )
        self.audit.setdefault((request.tenant_id, request.member_id), []).insert(0, entry)
        return member

    @override
    async def EraseMember(self, request: pb.EraseMemberRequest, context: Context) -> Any:
        member = self._changed(request, "member.erased", ["identities", "profile"])
        for identity in member.identities:
            self.identities.pop((request.tenant_id, identity.type, identity.value), None)
        member.status = "erased"
        del member.identities[:]
        member.profile.Clear()
        del member.consents[:]
        return pb.EraseMemberResponse(member=member)

    @override
    async def ExportMember(self, request: pb.ExportMemberRequest, context: Context) -> Any:
        member = self._changed(request, "member.exported", [])
        export = pb.MemberExport(
            member=member,
            consent_history=[pb.ConsentChange(purpose="marketing", source="enrolment")],
            tier_history=[pb.TierChange(to_tier="member", reason="enrolment")],
            audit=self.audit[(request.tenant_id, request.member_id)],
            exported_at=_now(),
        )
        return pb.ExportMemberResponse(export=export)

    @override
    async def ListAuditEntries(self, request: pb.ListAuditEntriesRequest, context: Context) -> Any:
        self._member(request.tenant_id, request.member_id)
        entries = self.audit.get((request.tenant_id, request.member_id), [])
        return pb.ListAuditEntriesResponse(entries=entries[: request.limit])

    @override
    async def LinkIdentity(self, request: pb.LinkIdentityRequest, context: Context) -> Any:
        member = self._changed(request, "identity.linked", [f"identities.{request.identity.type}"])
        key = (request.tenant_id, request.identity.type, request.identity.value)
        if request.identity.value.startswith(TAKEN_PREFIX) or self.identities.get(key) not in (
            None,
            member.member_id,
        ):
            raise AlreadyExists("identity belongs to another member", code="identity_taken")
        linked = key not in self.identities
        if linked:
            member.identities.append(request.identity)
            self.identities[key] = member.member_id
        return pb.LinkIdentityResponse(member=member, linked=linked)

    @override
    async def UnlinkIdentity(self, request: pb.UnlinkIdentityRequest, context: Context) -> Any:
        fields = [f"identities.{request.identity.type}"]
        member = self._changed(request, "identity.unlinked", fields)
        held = [(i.type, i.value) for i in member.identities]
        wanted = (request.identity.type, request.identity.value)
        if wanted not in held:
            raise NotFound("the member holds no such identity", code="identity_not_found")
        if len(held) == 1:
            raise FailedPrecondition("a member keeps one identity", code="last_identity")
        del member.identities[held.index(wanted)]
        self.identities.pop((request.tenant_id, *wanted), None)
        return pb.UnlinkIdentityResponse(member=member)

    @override
    async def UpdateProfile(self, request: pb.UpdateProfileRequest, context: Context) -> Any:
        member = self._changed(request, "profile.updated", list(request.update_mask))
        for path in request.update_mask:
            name = path.removeprefix("attributes.")
            if name.startswith(UNKNOWN_ATTRIBUTE):
                raise InvalidArgument(f"profile.attributes.{name}: unknown attribute")
            if path.startswith("attributes."):
                if name in request.profile.typed_attributes:
                    member.profile.typed_attributes[name].CopyFrom(
                        request.profile.typed_attributes[name]
                    )
                else:
                    member.profile.typed_attributes.pop(name, None)
            else:
                setattr(member.profile, path, getattr(request.profile, path))
        return pb.UpdateProfileResponse(member=member)

    @override
    async def UpdateConsents(self, request: pb.UpdateConsentsRequest, context: Context) -> Any:
        member = self._changed(request, "consents.updated", list(request.consents))
        given = {c.purpose: c for c in member.consents}
        for purpose, granted in request.consents.items():
            given[purpose] = pb.Consent(
                purpose=purpose, granted=granted, channel=request.channel, source=request.source
            )
        del member.consents[:]
        member.consents.extend(given.values())
        return pb.UpdateConsentsResponse(member=member)

    @override
    async def IssueMemberCode(self, request: pb.IssueMemberCodeRequest, context: Context) -> Any:
        self.calls.append(request)
        member = self._member(request.tenant_id, request.member_id)
        expires = _now()
        expires.seconds += 60
        code = f"{CODE_PREFIX}{member.member_id}~{new_id()}"  # a new code every time
        return pb.IssueMemberCodeResponse(code=code, expires_at=expires)

    def member_of_code(self, tenant_id: str, code: str) -> pb.Member:
        member_id = code.removeprefix(CODE_PREFIX).split("~")[0]
        member = self.members.get((tenant_id, member_id))
        if not code.startswith(CODE_PREFIX) or member is None:
            raise NotFound("no member for that code", code="member_not_found")
        return member

    @override
    async def SearchMembers(self, request: pb.SearchMembersRequest, context: Context) -> Any:
        self.calls.append(request)
        found = sorted(
            (
                m
                for (tenant, _), m in self.members.items()
                if tenant == request.tenant_id
                and (not request.tier or m.tier.code == request.tier)
                and (not request.member_id or m.member_id == request.member_id)
                and (not request.cursor or m.member_id < request.cursor)
            ),
            key=lambda m: m.member_id,
            reverse=True,
        )
        page = found[: request.limit]
        cursor = page[-1].member_id if len(found) > request.limit else ""
        return pb.SearchMembersResponse(members=page, next_cursor=cursor)

    @override
    async def SetManualTier(self, request: pb.SetManualTierRequest, context: Context) -> Any:
        member = self._changed(request, "tier.manual", ["tier"])
        manual = pb.ManualTier(reason=request.reason, until=request.until)
        manual.previous_code, manual.code = member.tier.code, request.tier_code
        member.tier.CopyFrom(
            pb.TierState(code=manual.code, name=manual.code.title(), manual=manual)
        )
        return pb.SetManualTierResponse(member=member)

    @override
    async def PutAttributeSchema(
        self, request: pb.PutAttributeSchemaRequest, context: Context
    ) -> Any:
        self.schemas[request.tenant_id] = request.schema
        return pb.PutAttributeSchemaResponse(schema=request.schema)

    @override
    async def GetAttributeSchema(
        self, request: pb.GetAttributeSchemaRequest, context: Context
    ) -> Any:
        return pb.GetAttributeSchemaResponse(schema=self.schemas.get(request.tenant_id))
