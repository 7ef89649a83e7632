"""Profile patches and consent changes as MemberService requests."""

from __future__ import annotations

from gateway.members.profile_bodies import ProfilePatchBody
from gateway.members.translate import attribute_to_proto
from loyalty.member.v1 import member_pb2

SCALARS = ("name", "birthday", "email", "gender", "preferred_store_id")


def profile_patch_request(
    body: ProfilePatchBody, *, tenant_id: str, member_id: str, actor: member_pb2.Actor
) -> member_pb2.UpdateProfileRequest:
    """Fields present in the body go in the update mask; null (or absent attribute) clears."""
    request = member_pb2.UpdateProfileRequest(tenant_id=tenant_id, member_id=member_id, actor=actor)
    for name in SCALARS:
        if name in body.model_fields_set:
            value = getattr(body, name)
            text = value.isoformat() if hasattr(value, "isoformat") else value
            setattr(request.profile, name, text or "")
            request.update_mask.append(name)
    for name, value in body.attributes.items():
        request.update_mask.append(f"attributes.{name}")
        if value is not None:
            request.profile.typed_attributes[name].CopyFrom(attribute_to_proto(value))
    return request
