"""The baselines, measured on the same machine in the same run: a purchase's writes done
directly with PyMongo in one transaction (the storage limit), a bare FastAPI endpoint and
a bare `grpc.aio` echo call."""

from __future__ import annotations

import copy
import random
import sys
from functools import partial
from pathlib import Path
from typing import TextIO

from grpc import aio

from bench.baseline_servers import ECHO_METHOD
from bench.dataset.loader import POINTS_DB
from bench.lean_http import LeanClient
from bench.scenarios import outcome
from libs.ids import new_id
from libs.mongo import Doc, MongoClient, Session, run_in_transaction
from libs.stack.handle import LOOPBACK, ServerHandle
from libs.stack.readiness import check_port, waiter
from libs.stack.servers import free_port
from services.points.adapters.repositories import ensure_indexes

BASELINE_DB = "bench_baseline"
WALLETS = 1000


def baseline_server(kind: str, sink: TextIO | None, repo_root: Path) -> ServerHandle:
    port = free_port()
    argv = [sys.executable, "-m", "bench.baseline_servers", kind, str(port)]
    ready = waiter(f"bare-{kind}", partial(check_port, LOOPBACK, port), timeout=30)
    url = f"http://{LOOPBACK}:{port}" if kind == "http" else f"{LOOPBACK}:{port}"
    return ServerHandle(f"bare-{kind}", url, port, None, argv, None, ready, sink, cwd=repo_root)


class DirectPurchase:
    """What the points service writes for one purchase, with none of the platform around
    it: read the wallet; insert the order, its ledger entry and its outbox row; write the
    wallet back under its version; commit. On copies of real wallets, in a database of
    its own, so the platform's data stays as it was."""

    def __init__(self, client: MongoClient) -> None:
        self._client = client
        self._db = client[BASELINE_DB]
        self._wallet_ids: list[str] = []
        self._order: Doc = {}
        self._entry: Doc = {}
        self._rng = random.Random(11)

    async def prepare(self) -> None:
        source = self._client[POINTS_DB]
        await self._client.drop_database(BASELINE_DB)
        await ensure_indexes(self._db)
        wallets = await source["wallets"].find({}).limit(WALLETS).to_list()
        order = await source["orders"].find_one({})
        entry = await source["ledger_entries"].find_one({})
        if not wallets or order is None or entry is None:
            raise RuntimeError("the baseline copies loaded wallets, orders and entries: load first")
        await self._db["wallets"].insert_many(wallets)
        self._wallet_ids = [w["_id"] for w in wallets]
        self._order, self._entry = order, entry

    async def _purchase(self, wallet_id: str, session: Session) -> None:
        db = self._db
        wallet = await db["wallets"].find_one({"_id": wallet_id}, session=session)
        assert wallet is not None
        order = {**copy.deepcopy(self._order), "_id": new_id("o")}
        entry = {
            **copy.deepcopy(self._entry),
            "_id": new_id("e"),
            "member_id": wallet["member_id"],
            "seq": wallet["next_seq"],
        }
        outbox = {"_id": new_id("ev"), "subject": "bench", "payload": b"x" * 300}
        await db["orders"].insert_one(order, session=session)
        await db["ledger_entries"].insert_one(entry, session=session)
        await db["outbox"].insert_one(outbox, session=session)
        version = wallet["version"]
        wallet.update(version=version + 1, next_seq=wallet["next_seq"] + 1)
        written = await db["wallets"].replace_one(
            {"_id": wallet_id, "version": version}, wallet, session=session
        )
        if written.matched_count != 1:
            raise RuntimeError("stale wallet")

    async def call(self, i: int) -> str | None:
        wallet_id = self._rng.choice(self._wallet_ids)
        await run_in_transaction(self._client, partial(self._purchase, wallet_id))
        return None


class BareHttp:
    def __init__(self, http: LeanClient) -> None:
        self._http = http

    async def call(self, i: int) -> str | None:
        return outcome(await self._http.get("/v1/ping"))


class GrpcEcho:
    def __init__(self, addr: str) -> None:
        self._channel = aio.insecure_channel(addr)
        self._echo = self._channel.unary_unary(ECHO_METHOD, None, None)

    async def call(self, i: int) -> str | None:
        await self._echo(b"x" * 64, timeout=5)
        return None

    async def close(self) -> None:
        await self._channel.close(None)
