"""`python -m bench.baseline_servers http|grpc PORT`: the bare servers the platform is
compared with, configured like the platform's own (uvicorn with uvloop and httptools, no
access log; `grpc.aio` on loopback), doing nothing but answer."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence

import grpc
import uvicorn
from fastapi import FastAPI
from grpc import aio

ECHO_METHOD = "/bench.Echo/Echo"


def http_app() -> FastAPI:
    app = FastAPI()

    @app.get("/v1/ping")
    async def ping() -> dict[str, int]:
        return {"available": 1200, "held": 0}

    return app


def serve_http(port: int) -> None:
    config = uvicorn.Config(
        http_app(),
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
        server_header=False,
    )
    uvicorn.Server(config).run()


async def _echo(request: bytes, context: aio.ServicerContext[bytes, bytes]) -> bytes:
    return request


async def serve_grpc(port: int) -> None:
    server = aio.server()
    handler = grpc.unary_unary_rpc_method_handler(_echo)
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler("bench.Echo", {"Echo": handler}),)
    )
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    await server.wait_for_termination()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline_servers")
    parser.add_argument("kind", choices=("http", "grpc"))
    parser.add_argument("port", type=int)
    args = parser.parse_args(argv)
    if args.kind == "http":
        serve_http(args.port)
    else:
        asyncio.run(serve_grpc(args.port))


if __name__ == "__main__":
    main()
