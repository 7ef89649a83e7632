from pathlib import Path

from libs.process_status import ProcessStatus, read_status, write_status


def test_what_the_launcher_writes_the_gateway_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "stack-status.json"
    written = {
        "mongo": ProcessStatus("running", 2, -9, 4242),
        "points": ProcessStatus("given_up", 4, 1, None),
    }

    write_status(path, written)

    assert read_status(path) == written
    assert [p.name for p in tmp_path.iterdir()] == ["stack-status.json"]


def test_a_missing_or_garbled_file_reads_as_no_processes(tmp_path: Path) -> None:
    garbled = tmp_path / "garbled.json"
    garbled.write_text('{"mongo": {"state": "asleep", "restarts": 1}, "redis": 3', "utf-8")
    odd = tmp_path / "odd.json"
    odd.write_text('{"mongo": {"state": "asleep", "restarts": 1}, "nats": []}', "utf-8")

    assert read_status(tmp_path / "missing.json") == {}
    assert read_status(garbled) == {}
    assert read_status(odd) == {}
