"""A MongoDB-protocol server (SecantusDB) for these tests, when the root conftest has none."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pymongo import MongoClient
from pymongo.errors import PyMongoError

STARTUP_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for_mongo(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"secantusd-py exited with {process.returncode}")
        client: MongoClient[dict[str, object]] = MongoClient(url, serverSelectionTimeoutMS=250)
        try:
            client.admin.command("ping")
        except PyMongoError:
            time.sleep(0.1)
        else:
            return
        finally:
            client.close()
    raise RuntimeError(f"secantusd-py did not answer within {STARTUP_SECONDS}s")


@contextmanager
def run_secantus(storage: Path) -> Iterator[str]:
    port = free_port()
    executable = Path(sys.executable).with_name("secantusd-py")
    argv = [str(executable), "--port", str(port), "--storage-path", str(storage)]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"mongodb://127.0.0.1:{port}/?directConnection=true"
    try:
        _wait_for_mongo(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
