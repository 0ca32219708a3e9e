"""Bulk: one council (the unit head's) approving many nominations in one action.

    python -m bench bulk [--n 10000] [--db URL]
"""
import time

from sqlalchemy import select, update

from bench.common import arguments, NOW, emit, machine, scratch_database
from bench.transitions import seed_drafts
from workflow.models import Nomination, User
from workflow.nominations import actions


def main(argv=None) -> dict:
    args = arguments("bulk", __doc__, 10000, "nominations approved in one action").parse_args(argv)
    with scratch_database(args.db) as db:
        ids, users = seed_drafts(db, args.n)
        with db.write() as s:  # all of them voted and waiting for the unit head
            head = s.execute(select(User).where(User.username == "vtc.thutruong")).scalar_one()
            s.execute(update(Nomination).where(Nomination.id.in_(ids)).values(
                state="unit_review", level="unit", submitted_at=NOW, due_at=NOW))
        t = time.perf_counter()
        results = actions.bulk_perform(db, head.id, "approve", ids, {}, now=NOW)
        elapsed = time.perf_counter() - t
        ok = sum(r.ok for r in results)
        dialect = db.dialect
    figures = {"db": dialect, "n": args.n, "succeeded": ok, "seconds": round(elapsed, 3),
               "nominations_per_s": round(ok / elapsed, 1), "machine": machine()}
    print(f"bulk approve on {dialect}: {ok}/{args.n} in {elapsed:.2f} s = {figures['nominations_per_s']} nominations/s")
    return emit("bulk", figures)


if __name__ == "__main__":
    main()
