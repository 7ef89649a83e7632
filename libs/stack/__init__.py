"""The local stack launcher: backing servers, services, gateway, and test fixtures' pieces.

`python -m libs.stack run` is what `make run` calls; `Stack` and `Servers` are the same
launcher as context managers for tests.
"""

from libs.stack.errors import StackStartError
from libs.stack.handle import ServerHandle
from libs.stack.platform import Stack
from libs.stack.process import ManagedProcess
from libs.stack.servers import Servers, free_port

__all__ = ["ManagedProcess", "ServerHandle", "Servers", "Stack", "StackStartError", "free_port"]
