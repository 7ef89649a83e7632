"""Wait until a server answers, failing fast if its process has already exited.

Each `check_*` function makes one attempt and returns None when the server is ready, or
why it is not yet; `wait_until` repeats an attempt until a deadline.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

import grpc
import redis
from grpc_health.v1 import health_pb2, health_pb2_grpc
from pymongo import MongoClient
from pymongo.errors import PyMongoError

from libs.grpc.tls import TlsFiles, channel_credentials
from libs.stack.errors import StackStartError
from libs.stack.process import ManagedProcess

Check = Callable[[], str | None]
ATTEMPT_TIMEOUT = 1.0
# Probes go to local or given addresses directly, whatever proxy the shell configures.
_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_GRPC_OPTIONS = [("grpc.enable_http_proxy", 0)]


def wait_until(
    name: str,
    check: Check,
    *,
    process: ManagedProcess | None = None,
    timeout: float = 60.0,
    interval: float = 0.1,
) -> None:
    """Repeat `check` until it reports ready; raise StackStartError on exit or deadline."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and (code := process.returncode) is not None:
            raise StackStartError(name, f"exited with code {code}", process.last_lines())
        not_ready = check()
        if not_ready is None:
            return
        if time.monotonic() >= deadline:
            lines = process.last_lines() if process is not None else []
            raise StackStartError(name, f"not ready after {timeout:.0f}s: {not_ready}", lines)
        time.sleep(interval)


def waiter(name: str, *checks: Check, timeout: float) -> Callable[[ManagedProcess | None], None]:
    """A readiness wait for a handle: each check in turn, each within `timeout`."""

    def ready(process: ManagedProcess | None) -> None:
        for check in checks:
            wait_until(name, check, process=process, timeout=timeout)

    return ready


def redact(url: str) -> str:
    """The URL with any password masked, for logs and summaries."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    userinfo, _, hosts = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return parts._replace(netloc=f"{user}:***@{hosts}").geturl()


def check_port(host: str, port: int) -> str | None:
    try:
        with socket.create_connection((host, port), timeout=ATTEMPT_TIMEOUT):
            return None
    except OSError as error:
        return f"{host}:{port} refuses connections ({error})"


def check_mongo(url: str) -> str | None:
    timeout_ms = int(ATTEMPT_TIMEOUT * 1000)
    client: MongoClient[dict[str, object]] = MongoClient(
        url, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms
    )
    try:
        client.admin.command("ping")
    except PyMongoError as error:
        return f"MongoDB at {redact(url)} does not answer ping ({error})"
    finally:
        client.close()
    return None


def check_redis(url: str) -> str | None:
    client = redis.Redis.from_url(
        url, socket_timeout=ATTEMPT_TIMEOUT, socket_connect_timeout=ATTEMPT_TIMEOUT
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return f"Redis at {url} does not answer PING ({error})"
    finally:
        client.close()
    return None


def check_nats(url: str) -> str | None:
    """The server's INFO greeting arrives and advertises JetStream."""
    first = urlsplit(url.split(",", maxsplit=1)[0].strip())
    host, port = first.hostname or "127.0.0.1", first.port or 4222
    try:
        with socket.create_connection((host, port), timeout=ATTEMPT_TIMEOUT) as conn:
            greeting = conn.makefile("rb").readline(64 * 1024).decode("utf-8", "replace")
    except OSError as error:
        return f"NATS at {host}:{port} does not greet ({error})"
    verb, _, payload = greeting.partition(" ")
    if verb != "INFO":
        return f"NATS at {host}:{port} greeted with {greeting[:40]!r}"
    try:
        info = json.loads(payload)
    except ValueError:
        return f"NATS at {host}:{port} sent an unreadable INFO"
    if not info.get("jetstream"):
        return f"NATS at {host}:{port} runs without JetStream (start it with -js)"
    return None


def check_nats_monitor(host: str, monitor_port: int) -> str | None:
    """nats-server's own health endpoint, which waits for JetStream to be ready."""
    return check_http(f"http://{host}:{monitor_port}/healthz?js-enabled-only=true")


def check_http(url: str) -> str | None:
    try:
        with _NO_PROXY_OPENER.open(url, timeout=ATTEMPT_TIMEOUT) as response:
            status = int(response.status)
    except urllib.error.HTTPError as error:
        status = error.code
    except (OSError, ValueError) as error:
        return f"GET {url} failed ({error})"
    return None if status == 200 else f"GET {url} answered {status}"


def _grpc_channel(addr: str, tls: TlsFiles | None) -> grpc.Channel:
    if tls is None:
        return grpc.insecure_channel(addr, options=_GRPC_OPTIONS)
    return grpc.secure_channel(addr, channel_credentials(tls), options=_GRPC_OPTIONS)


def check_grpc_health(addr: str, service: str = "", *, tls: TlsFiles | None = None) -> str | None:
    """The server answers SERVING; with `tls`, over mutual TLS as the launcher."""
    request = health_pb2.HealthCheckRequest(service=service)
    with _grpc_channel(addr, tls) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(request, timeout=ATTEMPT_TIMEOUT)
        except grpc.RpcError as error:
            return f"gRPC health at {addr} failed ({error.code()})"
    if reply.status != health_pb2.HealthCheckResponse.SERVING:
        status = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
        return f"gRPC health at {addr} is {status}"
    return None
