import base64
import stat
from pathlib import Path

from libs.stack.apps import PII_KEY_FILE, member_pii_key


def test_the_first_run_writes_a_private_32_byte_key_and_later_runs_reuse_it(
    tmp_path: Path,
) -> None:
    var_dir = tmp_path / "var"
    first = member_pii_key(var_dir, {})
    assert len(base64.b64decode(first)) == 32
    mode = stat.S_IMODE((var_dir / PII_KEY_FILE).stat().st_mode)
    assert mode == 0o600
    assert member_pii_key(var_dir, {}) == first


def test_a_key_in_the_environment_wins_and_writes_nothing(tmp_path: Path) -> None:
    given = base64.b64encode(b"k" * 32).decode()
    assert member_pii_key(tmp_path, {"MEMBER_PII_KEY": given}) == given
    assert not (tmp_path / PII_KEY_FILE).exists()
