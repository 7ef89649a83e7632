"""Members' own part of the MemberService API: enrolment, look-ups, identities, profile,
privacy. Translate, call a handler, translate back."""

from __future__ import annotations

from libs.errors import InvalidArgument
from libs.grpc.requests import Context, tenant_of
from libs.timestamps import timestamp
from loyalty.member.v1 import member_pb2 as pb
from services.member.domain.attributes import AttributeValue
from services.member.domain.ports import MemberCodes, UnitOfWork
from services.member.domain.profile import PROFILE_FIELDS, ProfilePatch
from services.member.entrypoints.translators import members as translate
from services.member.entrypoints.translators.admin import (
    audit_message,
    consent_change_message,
    export_message,
)
from services.member.entrypoints.translators.members import actor_from, member_message
from services.member.handlers import enrolment, identities, privacy, profile, reads
from services.member.handlers.identities import IdentityChange
from services.member.handlers.resolution import MemberReference, resolve_member


def profile_patch(request: pb.UpdateProfileRequest) -> ProfilePatch:
    fields: dict[str, str] = {}
    attributes: dict[str, AttributeValue | None] = {}
    given = translate.attributes_from(request.profile)
    for path in request.update_mask:
        if path in PROFILE_FIELDS:
            fields[path] = getattr(request.profile, path)
        elif path.startswith("attributes.") and len(path) > len("attributes."):
            name = path.removeprefix("attributes.")
            attributes[name] = given.get(name)
        else:
            raise InvalidArgument(f"update_mask: {path} is not a profile field")
    return ProfilePatch(fields, attributes)


def identity_change(
    request: pb.LinkIdentityRequest | pb.UnlinkIdentityRequest,
) -> IdentityChange:
    return IdentityChange(
        tenant_id=tenant_of(request.tenant_id),
        member_id=request.member_id,
        type=request.identity.type,
        value=request.identity.value,
        actor=actor_from(request.actor),
    )


class MemberRpcs:
    def __init__(self, uow: UnitOfWork, codes: MemberCodes) -> None:
        self._uow = uow
        self._codes = codes

    async def EnrollMember(
        self, request: pb.EnrollMemberRequest, context: Context
    ) -> pb.EnrollMemberResponse:
        tenant_of(request.tenant_id)
        result = await enrolment.enrol_member(translate.enrol_command(request), self._uow)
        return pb.EnrollMemberResponse(member=member_message(result), created=result.created)

    async def GetMember(
        self, request: pb.GetMemberRequest, context: Context
    ) -> pb.GetMemberResponse:
        view = await reads.get_member(tenant_of(request.tenant_id), request.member_id, self._uow)
        return pb.GetMemberResponse(member=member_message(view))

    async def LookupMember(
        self, request: pb.LookupMemberRequest, context: Context
    ) -> pb.LookupMemberResponse:
        identity = request.identity
        view = await reads.lookup_member(
            tenant_of(request.tenant_id),
            identity.type,
            identity.value,
            self._uow,
            codes=self._codes,
        )
        return pb.LookupMemberResponse(member=member_message(view))

    async def ResolveMember(
        self, request: pb.ResolveMemberRequest, context: Context
    ) -> pb.ResolveMemberResponse:
        named = request.identity if request.HasField("identity") else None
        reference = MemberReference(
            member_id=request.member_id,
            identity_type=named.type if named else "",
            identity_value=named.value if named else "",
        )
        view = await resolve_member(
            tenant_of(request.tenant_id), reference, self._uow, codes=self._codes
        )
        return translate.resolved_message(view)

    async def IssueMemberCode(
        self, request: pb.IssueMemberCodeRequest, context: Context
    ) -> pb.IssueMemberCodeResponse:
        text, code = await reads.issue_member_code(
            tenant_of(request.tenant_id), request.member_id, self._uow, self._codes
        )
        return pb.IssueMemberCodeResponse(code=text, expires_at=timestamp(code.expires_at))

    async def LinkIdentity(
        self, request: pb.LinkIdentityRequest, context: Context
    ) -> pb.LinkIdentityResponse:
        result = await identities.link_identity(identity_change(request), self._uow)
        return pb.LinkIdentityResponse(member=member_message(result), linked=result.linked)

    async def UnlinkIdentity(
        self, request: pb.UnlinkIdentityRequest, context: Context
    ) -> pb.UnlinkIdentityResponse:
        view = await identities.unlink_identity(identity_change(request), self._uow)
        return pb.UnlinkIdentityResponse(member=member_message(view))

    async def UpdateProfile(
        self, request: pb.UpdateProfileRequest, context: Context
    ) -> pb.UpdateProfileResponse:
        command = profile.UpdateProfile(
            tenant_id=tenant_of(request.tenant_id),
            member_id=request.member_id,
            patch=profile_patch(request),
            actor=actor_from(request.actor),
        )
        view = await profile.update_profile(command, self._uow)
        return pb.UpdateProfileResponse(member=member_message(view))

    async def UpdateConsents(
        self, request: pb.UpdateConsentsRequest, context: Context
    ) -> pb.UpdateConsentsResponse:
        command = profile.UpdateConsents(
            tenant_id=tenant_of(request.tenant_id),
            member_id=request.member_id,
            consents=dict(request.consents),
            channel=request.channel,
            source=request.source,
            actor=actor_from(request.actor),
        )
        view = await profile.update_consents(command, self._uow)
        return pb.UpdateConsentsResponse(member=member_message(view))

    async def EraseMember(
        self, request: pb.EraseMemberRequest, context: Context
    ) -> pb.EraseMemberResponse:
        view = await privacy.erase_member(
            tenant_of(request.tenant_id), request.member_id, actor_from(request.actor), self._uow
        )
        return pb.EraseMemberResponse(member=member_message(view))

    async def ExportMember(
        self, request: pb.ExportMemberRequest, context: Context
    ) -> pb.ExportMemberResponse:
        export = await privacy.export_member(
            tenant_of(request.tenant_id), request.member_id, actor_from(request.actor), self._uow
        )
        return pb.ExportMemberResponse(export=export_message(export))

    async def ListConsentChanges(
        self, request: pb.ListConsentChangesRequest, context: Context
    ) -> pb.ListConsentChangesResponse:
        changes = await privacy.consent_history(
            tenant_of(request.tenant_id), request.member_id, request.limit, self._uow
        )
        return pb.ListConsentChangesResponse(changes=[consent_change_message(c) for c in changes])

    async def ListAuditEntries(
        self, request: pb.ListAuditEntriesRequest, context: Context
    ) -> pb.ListAuditEntriesResponse:
        page = await privacy.list_audit(
            tenant_of(request.tenant_id),
            request.member_id,
            request.cursor,
            request.limit or 50,
            self._uow,
        )
        return pb.ListAuditEntriesResponse(
            entries=[audit_message(e) for e in page.entries], next_cursor=page.next_cursor
        )
