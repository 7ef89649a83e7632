"""A composed servicer answers each RPC through the one part that has it."""

from __future__ import annotations

import pytest

from libs.grpc.compose import compose


class GreeterServicer:
    """Shaped like a generated `*Servicer` base: every RPC it declares answers
    "unimplemented" until a part provides it."""

    def Hello(self, request: str, context: object) -> str:
        raise NotImplementedError

    def Goodbye(self, request: str, context: object) -> str:
        raise NotImplementedError


class Hellos:
    def Hello(self, request: str, context: object) -> str:
        return f"hello {request}"


class Goodbyes:
    def __init__(self, word: str) -> None:
        self._word = word

    def Goodbye(self, request: str, context: object) -> str:
        return f"{self._word} {request}"


def test_each_rpc_is_answered_by_the_part_that_has_it() -> None:
    servicer = compose(GreeterServicer, Hellos(), Goodbyes("bye"))

    assert servicer.Hello("ann", None) == "hello ann"
    assert servicer.Goodbye("ann", None) == "bye ann"


def test_an_rpc_without_a_part_stops_the_start() -> None:
    with pytest.raises(TypeError, match="Goodbye"):
        compose(GreeterServicer, Hellos())


def test_an_rpc_with_two_parts_stops_the_start() -> None:
    with pytest.raises(TypeError, match="Hello"):
        compose(GreeterServicer, Hellos(), Hellos(), Goodbyes("bye"))


def test_a_part_answering_an_rpc_the_service_lacks_stops_the_start() -> None:
    class Extra(Goodbyes):
        def Wave(self, request: str, context: object) -> str:
            return request

    with pytest.raises(TypeError, match="Wave"):
        compose(GreeterServicer, Hellos(), Extra("bye"))
