"""Where a member's personal data could hide: every database, every stream, every key.

Each reader returns the places (database.collection/_id, stream:sequence, redis key) whose
raw bytes contain any of the values looked for; the erasure test wants none.
"""

from __future__ import annotations

from collections.abc import Sequence

import nats
import redis.asyncio as redis
from bson import json_util
from bson.raw_bson import RawBSONDocument
from nats.js.errors import NotFoundError
from pymongo import AsyncMongoClient

from libs.stack.platform import Stack

Needles = Sequence[str]


def _found(raw: bytes, needles: Needles) -> bool:
    return any(needle.encode() in raw for needle in needles)


async def in_databases(mongo_url: str, needles: Needles) -> list[str]:
    """Every document of every collection of every database, as raw BSON and as JSON."""
    places: list[str] = []
    client: AsyncMongoClient[RawBSONDocument] = AsyncMongoClient(
        mongo_url, document_class=RawBSONDocument
    )
    try:
        for name in await client.list_database_names():
            if name in ("admin", "local", "config"):
                continue
            db = client[name]
            for collection in await db.list_collection_names():
                async for doc in db[collection].find({}):
                    text = json_util.dumps(doc).encode()
                    if _found(bytes(doc.raw), needles) or _found(text, needles):
                        places.append(f"{name}.{collection}/{doc.get('_id')!r}")
    finally:
        await client.close()
    return places


async def in_streams(nats_url: str, needles: Needles) -> list[str]:
    """Every message still held by every JetStream stream, its headers and its data."""
    places: list[str] = []
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        for stream in await js.streams_info():
            name, state = str(stream.config.name), stream.state
            for seq in range(state.first_seq, state.last_seq + 1):
                try:
                    msg = await js.get_msg(name, seq)
                except NotFoundError:
                    continue
                headers = repr(msg.headers or {}).encode()
                if _found(msg.data or b"", needles) or _found(headers, needles):
                    places.append(f"{name}:{seq} {msg.subject}")
    finally:
        await connection.close()
    return places


async def in_redis(redis_url: str, needles: Needles) -> list[str]:
    """Every key and what it holds, whatever its type (read as the type's own values)."""
    places: list[str] = []
    client = redis.from_url(redis_url)
    try:
        async for key in client.scan_iter(count=500):
            held = await _held(client, key)
            if _found(repr((key, held)).encode(), needles):
                places.append(repr(key))
    finally:
        await client.aclose()
    return places


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


async def _held(client: redis.Redis, key: bytes | str) -> object:
    kind = _text(await client.type(key))
    if kind == "string":
        return await client.get(key)
    if kind == "hash":
        return await client.hgetall(key)
    if kind == "list":
        return await client.lrange(key, 0, -1)
    if kind == "set":
        return await client.smembers(key)
    if kind == "zset":
        return await client.zrange(key, 0, -1)
    return await client.dump(key)


async def everywhere(stack: Stack, needles: Needles) -> list[str]:
    servers = stack.servers
    return [
        *await in_databases(servers.mongo.url, needles),
        *await in_streams(servers.nats.url, needles),
        *await in_redis(servers.redis.url, needles),
    ]
