"""Every domain error has one gRPC status and a machine code."""

from __future__ import annotations

import re

import grpc
import pytest

from libs.errors import DomainError, NotFound, Status
from libs.grpc.errors import STATUS_CODES


def every_subclass(cls: type[DomainError]) -> list[type[DomainError]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *every_subclass(sub)]
    return found


@pytest.mark.parametrize("status", list(Status))
def test_every_status_maps_to_the_grpc_code_of_the_same_name(status: Status) -> None:
    assert STATUS_CODES[status] == grpc.StatusCode[status.value]


@pytest.mark.parametrize("error", [DomainError, *every_subclass(DomainError)])
def test_every_domain_error_has_a_mapped_status_and_a_snake_case_code(
    error: type[DomainError],
) -> None:
    assert error.status in STATUS_CODES
    assert re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", error.code)


def test_a_code_given_when_raising_overrides_the_class_code_for_that_error_only() -> None:
    specific = NotFound("no member m-1", code="member_not_found")

    assert (specific.code, specific.message, str(specific)) == (
        "member_not_found",
        "no member m-1",
        "no member m-1",
    )
    assert NotFound("no lot").code == "not_found"
