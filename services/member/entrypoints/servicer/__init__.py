"""The MemberService gRPC servicer, composed of its parts in one place."""

from __future__ import annotations

from libs.grpc.compose import compose
from loyalty.member.v1.member_pb2_grpc import MemberServiceServicer
from services.member.domain.ports import MemberCodes, UnitOfWork
from services.member.entrypoints.servicer.admin import AdminRpcs
from services.member.entrypoints.servicer.birthdays import BirthdayRpcs
from services.member.entrypoints.servicer.members import MemberRpcs
from services.member.entrypoints.servicer.merge import MergeRpcs


def member_servicer(uow: UnitOfWork, codes: MemberCodes) -> MemberServiceServicer:
    # The stub marks the generated class abstract; compose fills in every one of its RPCs.
    return compose(
        MemberServiceServicer,  # type: ignore[type-abstract]
        MemberRpcs(uow, codes),
        AdminRpcs(uow),
        MergeRpcs(uow),
        BirthdayRpcs(uow),
    )
