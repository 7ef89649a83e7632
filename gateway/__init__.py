"""The HTTP gateway: the public contract for touchpoints and operators, over gRPC services."""
