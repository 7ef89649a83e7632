import stat
from pathlib import Path

from libs.stack.mongo_auth import ADMIN_USER, OWN_DATABASES, MongoUsers, roles, with_user


def test_the_first_start_makes_a_password_per_user_and_later_starts_read_the_same_ones(
    tmp_path: Path,
) -> None:
    path = tmp_path / "var" / "mongo-users.json"
    made = MongoUsers.kept(path)
    assert made.fresh
    assert set(made.passwords) == {ADMIN_USER, *OWN_DATABASES}
    assert len(set(made.passwords.values())) == len(made.passwords)
    assert not path.exists()  # written once the server has the users

    made.keep()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = MongoUsers.kept(path)
    assert not again.fresh
    assert again.passwords == made.passwords


def test_a_file_missing_a_user_gives_that_user_a_password_and_says_it_is_fresh(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mongo-users.json"
    path.write_text('{"launcher": "kept-password"}', encoding="utf-8")
    users = MongoUsers.kept(path)
    assert users.fresh
    assert users.passwords["launcher"] == "kept-password"
    assert all(users.passwords[user] for user in OWN_DATABASES)


def test_each_process_may_read_and_write_its_own_database_only_and_the_launcher_anything() -> None:
    assert roles("points") == [{"role": "readWrite", "db": "loyalty_points"}]
    assert roles(ADMIN_USER) == [{"role": "root", "db": "admin"}]


def test_a_url_carries_the_users_name_and_password_in_place_of_any_other() -> None:
    bare = "mongodb://127.0.0.1:27017/?directConnection=true"
    assert with_user(bare, "member", "p/w") == (
        "mongodb://member:p%2Fw@127.0.0.1:27017/?directConnection=true"
    )
    assert with_user(with_user(bare, "a", "b"), "gateway", "c").startswith(
        "mongodb://gateway:c@127.0.0.1:27017/"
    )
