"""The console's scripts parse as ES modules: node checks each one (a process per script,
so not a unit test)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gateway.console.assets import STATIC_DIR

SCRIPT_NAMES = [path.name for path in sorted(STATIC_DIR.glob("*.js"))]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to parse JavaScript")
@pytest.mark.parametrize("name", SCRIPT_NAMES)
def test_each_console_script_parses_as_an_es_module(tmp_path: Path, name: str) -> None:
    node = shutil.which("node")
    assert node is not None
    module = tmp_path / name.replace(".js", ".mjs")
    shutil.copy(STATIC_DIR / name, module)

    checked = subprocess.run(
        [node, "--check", str(module)], capture_output=True, text=True, check=False, timeout=30
    )

    assert checked.returncode == 0, checked.stderr
