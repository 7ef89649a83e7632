"""The lean Redis client's wire format: commands packed as RESP arrays, replies parsed
whole or not at all."""

from __future__ import annotations

import pytest
from redis.asyncio.connection import parse_url

from libs.lean_redis import LeanRedisError, ReplyError, pack, parse, setup_commands


def parsed_whole(data: bytes) -> object:
    reply, end = parse(data, 0)
    assert end == len(data)
    return reply


def test_commands_are_packed_as_arrays_of_bulk_strings_one_after_another() -> None:
    packed = pack([("EXISTS", "flag"), ("GET", "ключ")])

    assert packed == (
        b"*2\r\n$6\r\nEXISTS\r\n$4\r\nflag\r\n*2\r\n$3\r\nGET\r\n$8\r\n" + "ключ".encode() + b"\r\n"
    )


@pytest.mark.parametrize(
    ("data", "reply"),
    [
        (b":1\r\n", 1),
        (b"$5\r\nhe\r\no\r\n", b"he\r\no"),
        (b"$-1\r\n", None),
        (b"+OK\r\n", b"OK"),
        (b"*2\r\n:3\r\n$1\r\nx\r\n", [3, b"x"]),
        (b"*-1\r\n", None),
    ],
)
def test_each_kind_of_reply_is_read_to_its_end(data: bytes, reply: object) -> None:
    assert parsed_whole(data) == reply


def test_an_error_reply_is_a_value_not_an_exception() -> None:
    reply = parsed_whole(b"-NOSCRIPT No matching script.\r\n")

    assert reply == ReplyError("NOSCRIPT No matching script.")


@pytest.mark.parametrize("data", [b":1", b"$5\r\nhel", b"$5\r\nhello\r", b"*2\r\n:3\r\n"])
def test_a_reply_cut_short_is_not_read_until_the_rest_arrives(data: bytes) -> None:
    reply, end = parse(data, 0)

    assert end == 0
    assert reply not in (None, 1, 3)


def test_the_second_reply_starts_where_the_first_ended() -> None:
    data = b":0\r\n$2\r\n[]\r\n"
    first, end = parse(data, 0)

    assert (first, parse(data, end)) == (0, (b"[]", len(data)))


def test_an_unknown_reply_type_is_an_error() -> None:
    with pytest.raises(LeanRedisError):
        parse(b"%1\r\n", 0)


@pytest.mark.parametrize(
    ("url", "setup"),
    [
        ("redis://127.0.0.1:6379", []),
        ("redis://127.0.0.1:6379/0", []),
        ("redis://:secret@redis:6379/0", [["AUTH", "secret"]]),
        ("redis://app:secret@redis/2", [["AUTH", "app", "secret"], ["SELECT", "2"]]),
    ],
)
def test_a_connection_authenticates_and_selects_its_database_as_the_url_says(
    url: str, setup: list[list[str]]
) -> None:
    assert setup_commands(parse_url(url)) == setup
