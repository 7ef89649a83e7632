"""The environment a test's own platform starts from."""

from __future__ import annotations

import os

from libs.stack.servers import URL_VARIABLES

LAUNCHER_VARIABLES = {variable for variable, _ in URL_VARIABLES.values()} | {"GATEWAY_PORT"}


def hermetic_environ() -> dict[str, str]:
    """This process's environment without the variables that point the launcher elsewhere."""
    return {k: v for k, v in os.environ.items() if k not in LAUNCHER_VARIABLES}
