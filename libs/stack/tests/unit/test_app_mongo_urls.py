from pathlib import Path

from libs.stack.apps import AppPorts, app_handles
from libs.stack.mongo_auth import MongoUsers

GIVEN = "mongodb://db1,db2/?replicaSet=rs0"


def mongo_urls(env: dict[str, str], users: MongoUsers | None = None) -> dict[str, str]:
    handles = app_handles(AppPorts(), env, sink=None, timeout=1, mongo_users=users)
    return {name: (handle.env or {})["MONGO_URL"] for name, handle in handles.items()}


def test_each_process_gets_its_own_user_on_the_embedded_server() -> None:
    users = MongoUsers(
        Path("unused"),
        {n: f"pw-{n}" for n in ("member", "points", "campaign", "analytics", "gateway")},
    )
    urls = mongo_urls({"MONGO_URL": "mongodb://127.0.0.1:1/?directConnection=true"}, users)
    assert urls["points"] == "mongodb://points:pw-points@127.0.0.1:1/?directConnection=true"
    assert urls["gateway"].startswith("mongodb://gateway:pw-gateway@")
    assert urls["analytics"].startswith("mongodb://analytics:pw-analytics@")


def test_with_a_given_server_a_process_takes_its_own_url_where_one_is_set() -> None:
    own = "mongodb://points:secret@db1,db2/?replicaSet=rs0&authSource=admin"
    urls = mongo_urls({"MONGO_URL": GIVEN, "MONGO_URL_POINTS": own})
    assert urls == {
        "member": GIVEN,
        "campaign": GIVEN,
        "points": own,
        "analytics": GIVEN,
        "gateway": GIVEN,
    }
