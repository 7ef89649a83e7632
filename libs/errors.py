"""The one error vocabulary.

Domain code raises these; the gRPC interceptor turns them into a status and the gateway
turns that status into problem+json. Each error carries a machine `code` (for example
`identity_taken`) that travels with it to the HTTP answer. This module imports nothing
from gRPC so that domain code may raise its errors.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """The gRPC status an error maps to, by name."""

    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    ABORTED = "ABORTED"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    UNAVAILABLE = "UNAVAILABLE"


class DomainError(Exception):
    """A rule said no. The message is safe to show to the caller."""

    status: Status = Status.FAILED_PRECONDITION
    code: str = "failed_precondition"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidArgument(DomainError):
    """The request is malformed: a field is missing, of the wrong shape or out of range."""

    status = Status.INVALID_ARGUMENT
    code = "validation_error"


class NotFound(DomainError):
    """Nothing with that id in the caller's tenant."""

    status = Status.NOT_FOUND
    code = "not_found"


class AlreadyExists(DomainError):
    """Something unique is already taken."""

    status = Status.ALREADY_EXISTS
    code = "already_exists"


class FailedPrecondition(DomainError):
    """The request is well formed but the current state does not allow it."""

    status = Status.FAILED_PRECONDITION
    code = "failed_precondition"


class Conflict(DomainError):
    """A concurrent or earlier request disagrees with this one; retrying will not help."""

    status = Status.ABORTED
    code = "conflict"


class PermissionDenied(DomainError):
    """The caller may not do this."""

    status = Status.PERMISSION_DENIED
    code = "forbidden"


class TransactionTooLarge(Exception):
    """The database refused one transaction's writes as more than it can hold at once
    (its cache, or its limit on a transaction's size). The same writes fit in smaller
    transactions; retrying them as they are would only meet the same refusal."""
