"""A long operation as the API answers it (shared with the slices that start one)."""

from gateway.shared.operation_answers import OperationListOut, OperationOut, operation_out

__all__ = ["OperationListOut", "OperationOut", "operation_out"]
