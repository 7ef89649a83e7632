"""The member domain stays plain Python: cryptography lives behind ports, in adapters."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
FORBIDDEN = {"cryptography", "hmac", "hashlib", "secrets", "bson", "pymongo", "grpc", "loyalty"}


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("module", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_no_domain_module_imports_cryptography_or_storage(module: Path) -> None:
    assert imported_roots(module) & FORBIDDEN == set()


def test_the_scan_sees_the_adapters_crypto_imports() -> None:
    crypto = DOMAIN.parent / "adapters" / "crypto.py"
    assert {"cryptography", "hmac"} <= imported_roots(crypto)
