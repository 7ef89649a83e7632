"""`python -m libs.stack run` starts the local platform; see libs/stack/cli.py."""

import sys

from libs.stack.cli import main

sys.exit(main())
