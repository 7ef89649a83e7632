"""A bulk adjustment file applied by the gateway's operation runner (gateway/shared/
operation_runner.py), `STEP_ROWS` rows a step, from the step its record got to."""

from __future__ import annotations

from gateway.points.admin_bulk import adjust_from_file
from gateway.points.admin_bulk_steps import STEP_ROWS, add_step, input_rows
from gateway.shared.operation_runner import Running

KIND = "bulk_adjustment"


async def run_bulk_adjustment(running: Running) -> None:
    work = running.input
    rows = input_rows(work)
    done = int(running.op["done"])
    report = dict(running.op["result"])
    container = running.container
    while done < len(rows) and not running.stopping:
        part = rows[done : done + STEP_ROWS]
        step = await adjust_from_file(
            container.points,
            container.member,
            tenant_id=running.op["tenant_id"],
            actor=work["actor"],
            file_id=work["file_id"],
            rows=part,
            problems=[],
        )
        report = add_step(report, step)
        done += len(part)
        await running.step(done, report)
