"""`khenthuong audit ...`: verify the log is intact, sign a checkpoint, export events.

Exit codes: 0 done (verify: intact), 1 verify found the log altered, 2 could not run
(bad option, database unreachable).
"""
import json
import sys
import time
from datetime import datetime, UTC

import click

from workflow.config import load_settings


def _db():
    from workflow.kernel.db import Database
    settings = load_settings()
    return Database(settings.database_url, settings=settings)


def _fail(err: Exception) -> None:
    from workflow.errors import DomainError
    if isinstance(err, DomainError):
        click.echo(f"{err.message_vi}\n{err.message_en}", err=True)
    else:
        click.echo(f"Không chạy được / could not run: {type(err).__name__}: {err}", err=True)
    sys.exit(2)


def _progress():
    """Report progress on stderr at most every two seconds (a million events take a while)."""
    last = [time.monotonic()]

    def report(events: int) -> None:
        if time.monotonic() - last[0] >= 2:
            last[0] = time.monotonic()
            click.echo(f"… {events:,} events checked / đã kiểm tra", err=True)
    return report


@click.group(help="The audit log (nhật ký): verify it is intact, sign a checkpoint, export it.")
def audit():
    pass


def _print_gap(r) -> None:
    g = r.gap or {}
    anchors = "no anchor file" if not r.anchors else f"{r.anchors:,} anchored checkpoint(s) read"
    if g.get("events"):
        click.echo(f"  Not yet covered by a checkpoint / chưa có điểm kiểm tra: {g['events']:,} event(s) "
                   f"since {g['first_at']} ({anchors})")
    else:
        click.echo(f"  Every event is covered by a checkpoint ({anchors})")


def _print_result(r) -> None:
    if r.ok:
        cp = f"; checkpoint #{r.checkpoint['id']} digest {r.checkpoint['digest']}" if r.checkpoint else \
            "; no checkpoint yet (run `khenthuong audit checkpoint`)"
        what = "events after the checkpoint" if r.mode == "since-checkpoint" else "events"
        click.echo(f"Toàn vẹn / intact: {r.events:,} {what} in {r.chains:,} chains{cp} ({r.seconds:.1f}s)")
        _print_gap(r)
        return
    p = r.first
    click.echo(f"KHÔNG TOÀN VẸN / NOT INTACT: {r.problems_count} problem(s) in {r.events:,} events")
    where = (f"event #{p.event_id}" if p.event_id is not None
             else "missing event(s)" if p.kind == "deleted" else "the checkpoint")
    seq = f", seq {p.seq}" if p.seq is not None else ""
    click.echo(f"First problem: {p.kind}: {where}, chain {p.chain}{seq}")
    click.echo(f"  {p.message_vi}\n  {p.message_en}")
    for other in r.problems[1:10]:
        click.echo(f"  also: {other.kind}: {other.message_en}")
    _print_gap(r)


@audit.command("verify", help="Check every hash chain, the rows they prove, the heads kept on "
                              "nominations, dossiers and obligations, the latest signed checkpoint and "
                              "every checkpoint named in the anchor file (KHENTHUONG_AUDIT_ANCHORS, "
                              "default <instance>/audit-anchors.jsonl). Reports the events written "
                              "since the last checkpoint. Exit 0 when intact; exit 1 naming the first "
                              "problem. Progress goes to stderr.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@click.option("--since-checkpoint", "since", is_flag=True,
              help="Check only the events after the latest anchored checkpoint (fast; run the full "
                   "check regularly too).")
@click.option("--anchors", "anchor_file", type=click.Path(dir_okay=False),
              help="Read the anchors from this file (e.g. a copy kept on another machine).")
def verify_cmd(as_json, quiet, since, anchor_file):
    from pathlib import Path
    from workflow.audit.anchors import anchor_path
    from workflow.audit.chain import signing_key
    from workflow.audit.verify import CheckpointPolicy, verify
    try:
        settings = load_settings()
        result = verify(_db(), signing_key(settings), progress=None if quiet else _progress(),
                        anchor_file=Path(anchor_file) if anchor_file else anchor_path(settings),
                        since_checkpoint=since, policy=CheckpointPolicy.from_settings(settings))
    except Exception as e:
        _fail(e)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        _print_result(result)
    sys.exit(0 if result.ok else 1)


@audit.command("checkpoint", help="Sign the heads of all chains now (HMAC-SHA256 with the instance "
                                  "key), append it to the anchor file (KHENTHUONG_AUDIT_ANCHORS, default "
                                  "<instance>/audit-anchors.jsonl) and, with SMTP set, mail it to the "
                                  "auditors. Keep the anchor file outside this machine too.")
def checkpoint_cmd():
    from workflow.audit.anchors import anchor_path, checkpoint_now
    try:
        settings = load_settings()
        info = checkpoint_now(_db(), settings, datetime.now(UTC))
    except Exception as e:
        _fail(e)
    if info is None:
        click.echo("Không có sự kiện mới từ điểm kiểm tra trước / nothing new since the latest checkpoint")
        return
    click.echo(f"Checkpoint #{info.id}: {info.chains:,} chains, {info.events_count:,} events, "
               f"digest {info.digest}; anchored in {anchor_path(settings)}")


FILTER_OPTIONS = (
    click.option("--nomination-id", help="Events of this nomination (hồ sơ)."),
    click.option("--actor", help="Events by this username."),
    click.option("--action", help="Action, e.g. submit, approve, decide, login_failed, plan_create."),
    click.option("--org-id", help="Events of this org unit and every unit under it."),
    click.option("--state", help="From or to this state, e.g. ministry_review."),
    click.option("--since", help="From this time (ISO 8601; no offset = Hà Nội time; a date = its start)."),
    click.option("--until", help="Up to this time (ISO 8601; a date = through its end)."),
    click.option("--q", help="Text in the reason (lý do), case-insensitive; % and _ match literally."),
)


def _filter_options(f):
    for option in reversed(FILTER_OPTIONS):
        f = option(f)
    return f


@audit.command("export", help="Export audit events, oldest first, as CSV (UTF-8 with BOM) or XLSX. "
                              "An operator command: it exports every event the filters match.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="File to write.")
@_filter_options
def export_cmd(fmt, output, **filters):
    from workflow.audit import log as audit_log
    started = time.monotonic()
    try:
        db, checked = _db(), audit_log.parse_filter(filters)  # a bad filter leaves no file behind
        with open(output, "wb") as out:
            if fmt == "csv":
                for chunk in audit_log.export_csv(db, None, checked):
                    out.write(chunk)
                count = None
            else:
                count = audit_log.export_xlsx(db, None, checked, out)
    except Exception as e:
        _fail(e)
    what = f"{count:,} events" if count is not None else "events"
    click.echo(f"Exported {what} to {output} in {time.monotonic() - started:.1f}s", err=True)
