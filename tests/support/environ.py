"""The environment a test's own platform starts from."""

from __future__ import annotations

import os

from libs.stack.servers import URL_VARIABLES

LAUNCHER_VARIABLES = {variable for variable, _ in URL_VARIABLES.values()} | {"GATEWAY_PORT"}


# Every sign-in and session of a test run comes from the loopback address; the allowances
# per client address (docs/security.md) are for the world, not for one machine's suite.
PER_ADDRESS_ALLOWANCES = {"SIGN_IN_ADDRESS_BURST": "100000", "SESSION_FAILURES_BURST": "100000"}


def hermetic_environ() -> dict[str, str]:
    """This process's environment without the variables that point the launcher elsewhere,
    with the per-address allowances raised unless set."""
    kept = {k: v for k, v in os.environ.items() if k not in LAUNCHER_VARIABLES}
    return {**PER_ADDRESS_ALLOWANCES, **kept}
