"""A rates file read at the gateway: every malformed row named at once, or every row."""

from __future__ import annotations

import pytest

from gateway.edge.problems import ApiProblem
from gateway.points.exchange_rates.translate import read_rates_file


def test_a_well_formed_file_gives_every_row_with_its_time_and_rate() -> None:
    rows = read_rates_file(
        b"currency,valid_from,rate\nUSD,2026-12-01T00:00:00+08:00,7.1234\n\nEUR,2026-12-01T00:00:00Z,7.7\n"
    )
    assert [(r.currency, r.valid_from.ToJsonString(), r.rate) for r in rows] == [
        ("USD", "2026-11-30T16:00:00Z", "7.1234"),
        ("EUR", "2026-12-01T00:00:00Z", "7.7"),
    ]


def test_a_file_with_malformed_rows_is_refused_naming_each_of_them() -> None:
    with pytest.raises(ApiProblem) as refused:
        read_rates_file(
            b"currency,valid_from,rate\n"
            b"usd,2026-12-01T00:00:00Z,7\n"
            b"USD,2026-12-01T00:00:00,7\n"
            b"USD,2026-12-01T00:00:00Z,seven\n"
            b"USD,2026-12-01T00:00:00Z,7.1234\n"
            b"USD,2026-12-01T00:00:00Z\n"
        )
    assert refused.value.status == 422
    locations = [e["location"] for e in refused.value.extra["errors"]]
    assert locations == ["rows[1].currency", "rows[2].valid_from", "rows[3].rate", "rows[5]"]


@pytest.mark.parametrize(
    "raw", [b"", b"member_id,points,reason\nm1,1,x\n", b"currency,valid_from,rate\n", b"\xff\xfe"]
)
def test_a_file_that_is_not_a_rates_file_is_refused_as_a_whole(raw: bytes) -> None:
    with pytest.raises(ApiProblem) as refused:
        read_rates_file(raw)
    assert [e["location"] for e in refused.value.extra["errors"]] == ["body"]
