"""The RPCs a stand-in does not play: they answer UNIMPLEMENTED, as a server without them
would, so a gateway route that reaches one fails loudly instead of getting a made-up answer."""

from __future__ import annotations

from typing import Any, NoReturn

import grpc
from grpc import aio


async def unserved(self: object, request: Any, context: aio.ServicerContext[Any, Any]) -> NoReturn:
    await context.abort(grpc.StatusCode.UNIMPLEMENTED, "the gateway's stand-in does not serve this")
