"""Our engine side by side with a peer and with the storage floor, in one run, on one workload.

Each of `--n` nominations takes the five steps of the central route (submit → vote → approve →
approve → decide), one command and one commit per step, on one scratch database:

- **engine**: khenthuong's own command path (`bench.transitions.run_engine`): actor and row
  lookup, permission, conditional UPDATE, chained audit event, deadline row, notices;
- **spiff**: SpiffWorkflow (a BPMN process of five sequential user tasks), as a service built on
  it would run: read the serialised workflow, deserialise → complete the ready task →
  serialise → version-guarded UPDATE + audit INSERT → commit;
- **floor**: a conditional UPDATE plus an audit INSERT on two small tables, commit each.

    pip install -e '.[bench]'
    python -m bench peers [--n 1000] [--db URL]

Prints the three rates and the ratios engine/spiff and engine/floor, with the machine and its
load average during the run (other work on the machine lowers every figure alike).
"""
import os
import sys
import time

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, insert, select, update

from bench.common import arguments, emit, machine, scratch_database
from bench.transitions import STEPS, run_engine, seed_drafts
from workflow.kernel.db import WRITE_OPTION

TASKS = [f"step_{i}_{action}" for i, (_, action, _) in enumerate(STEPS)]
META = MetaData()
SPIFF_ROWS = Table("bench_spiff_workflows", META, Column("id", Integer, primary_key=True),
                   Column("version", Integer, nullable=False), Column("state", String(40), nullable=False),
                   Column("data", Text, nullable=False))
FLOOR_ROWS = Table("bench_floor_rows", META, Column("id", Integer, primary_key=True),
                   Column("version", Integer, nullable=False), Column("state", String(40), nullable=False))
EVENT_COLUMNS = lambda: (Column("id", Integer, primary_key=True), Column("row_id", Integer, nullable=False),  # noqa: E731
                         Column("seq", Integer, nullable=False), Column("action", String(40), nullable=False))
SPIFF_EVENTS = Table("bench_spiff_events", META, *EVENT_COLUMNS())
FLOOR_EVENTS = Table("bench_floor_events", META, *EVENT_COLUMNS())


def bpmn() -> bytes:
    """A process of the route's five user tasks in sequence."""
    ids = ["start", *TASKS, "end"]
    tasks = "".join(f'<bpmn:userTask id="{t}" name="{t}"/>' for t in TASKS)
    flows = "".join(f'<bpmn:sequenceFlow id="f{i}" sourceRef="{a}" targetRef="{b}"/>'
                    for i, (a, b) in enumerate(zip(ids, ids[1:])))
    return (f'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions '
            f'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="bench">'
            f'<bpmn:process id="nomination" isExecutable="true"><bpmn:startEvent id="start"/>{tasks}'
            f'<bpmn:endEvent id="end"/>{flows}</bpmn:process></bpmn:definitions>').encode()


def spiff():
    try:
        from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
        from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState
    except ImportError:
        sys.exit("SpiffWorkflow is not installed: pip install -e '.[bench]'")
    parser = BpmnParser()
    parser.add_bpmn_str(bpmn())
    return parser.get_spec("nomination"), BpmnWorkflow, BpmnWorkflowSerializer(), TaskState


def seed_spiff(engine, n: int) -> list[int]:
    spec, workflow_cls, serializer, _ = spiff()
    wf = workflow_cls(spec)
    wf.do_engine_steps()
    data = serializer.serialize_json(wf)
    with engine.begin() as conn:
        conn.execute(insert(SPIFF_ROWS), [{"id": i + 1, "version": 1, "state": "draft", "data": data}
                                          for i in range(n)])
    return list(range(1, n + 1))


def run_spiff(engine, ids: list[int]) -> float:
    spec, _, serializer, task_state = spiff()
    t = time.perf_counter()
    for rid in ids:
        for seq, name in enumerate(TASKS, 1):
            with engine.begin() as conn:
                version, data = conn.execute(select(SPIFF_ROWS.c.version, SPIFF_ROWS.c.data)
                                             .where(SPIFF_ROWS.c.id == rid)).one()
                wf = serializer.deserialize_json(data)
                ready = wf.get_tasks(state=task_state.READY, manual=True)
                if len(ready) != 1 or ready[0].task_spec.name != name:
                    raise RuntimeError(f"spiff: {rid} expected {name}, has {[r.task_spec.name for r in ready]}")
                ready[0].run()
                wf.do_engine_steps()
                moved = conn.execute(update(SPIFF_ROWS).where(SPIFF_ROWS.c.id == rid, SPIFF_ROWS.c.version == version)
                                     .values(version=version + 1, state=name,
                                             data=serializer.serialize_json(wf))).rowcount
                if moved != 1:
                    raise RuntimeError(f"spiff: {rid} lost its version")
                conn.execute(insert(SPIFF_EVENTS).values(row_id=rid, seq=seq, action=name))
    return time.perf_counter() - t


def run_floor(engine, ids: list[int]) -> float:
    with engine.begin() as conn:
        conn.execute(insert(FLOOR_ROWS), [{"id": i, "version": 1, "state": "draft"} for i in ids])
    t = time.perf_counter()
    for rid in ids:
        for seq, name in enumerate(TASKS, 1):
            with engine.begin() as conn:
                conn.execute(update(FLOOR_ROWS).where(FLOOR_ROWS.c.id == rid, FLOOR_ROWS.c.version == seq)
                             .values(version=seq + 1, state=name))
                conn.execute(insert(FLOOR_EVENTS).values(row_id=rid, seq=seq, action=name))
    return time.perf_counter() - t


def main(argv=None) -> dict:
    args = arguments("peers", __doc__, 1000, "nominations, five steps each").parse_args(argv)
    spiff()  # refuse before any work when the peer is missing
    load_before = os.getloadavg()[0]
    with scratch_database(args.db) as db:
        writer = db.engine.execution_options(**{WRITE_OPTION: True})
        META.create_all(db.engine)
        ids, users = seed_drafts(db, args.n)
        engine_s = run_engine(db, ids, users)
        spiff_s = run_spiff(writer, seed_spiff(writer, args.n))
        floor_s = run_floor(writer, list(range(1, args.n + 1)))
        dialect = db.dialect
    steps = args.n * len(STEPS)
    rate = lambda seconds: round(steps / seconds, 1)  # noqa: E731
    figures = {"db": dialect, "n": args.n, "steps": steps, "engine_steps_per_s": rate(engine_s),
               "spiff_steps_per_s": rate(spiff_s), "floor_steps_per_s": rate(floor_s),
               "engine_vs_spiff": round(spiff_s / engine_s, 2), "engine_vs_floor": round(floor_s / engine_s, 3),
               "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
               "machine": machine()}
    print(f"peers on {dialect}, {steps} steps: engine {figures['engine_steps_per_s']} steps/s, "
          f"SpiffWorkflow {figures['spiff_steps_per_s']} steps/s, floor {figures['floor_steps_per_s']} steps/s; "
          f"engine = {figures['engine_vs_spiff']}× SpiffWorkflow, {figures['engine_vs_floor']:.0%} of the floor "
          f"(load average {figures['load_before']} → {figures['load_after']})")
    emit("peers", figures)
    return figures


if __name__ == "__main__":
    main()
