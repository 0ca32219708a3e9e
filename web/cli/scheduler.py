"""`khenthuong scheduler ...`: run the scheduler, or run one sweep as if at a given time."""
import json
import logging
import os
import socket
import sys
from datetime import date, datetime, time, UTC

import click

from workflow.config import load_settings


# A sweep "as if" far in the past or future would date events 0001 or 9999 and use up every
# escalation: --now must fall in these years (exit 2 otherwise).
YEARS = range(2000, 2101)


def parse_now(value: str | None) -> datetime:
    """--now: ISO 8601; without an offset it is Vietnam time; a date alone is its midnight."""
    from workflow.calendar.workdays import TZ
    if not value:
        return datetime.now(UTC)
    try:
        if len(value) == 10:
            at = datetime.combine(date.fromisoformat(value), time(0, 0), TZ)
        else:
            at = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not an ISO 8601 time, e.g. 2026-12-01T09:00:00+07:00",
                                 param_hint="--now") from None
    if at.year not in YEARS:
        raise click.BadParameter(f"'{value}' is out of range: years {YEARS.start}–{YEARS.stop - 1} only / "
                                 f"ngoài khoảng cho phép", param_hint="--now")
    return (at if at.tzinfo else at.replace(tzinfo=TZ)).astimezone(UTC)


def _db(settings):
    from workflow.kernel.db import Database
    return Database(settings.database_url, settings=settings)


@click.group(help="The deadline scheduler: reminders, escalations, expiry and e-mail.")
def scheduler():
    pass


@scheduler.command("tick", help="Rehearse one sweep now (or as if at --now) and print what it would do: "
                                "reminders, escalations, expired drafts. Nothing is changed and no "
                                "e-mail is sent unless --apply is given; then the sweep really runs "
                                "and the outbox is sent. Exit 1 when some item failed, 2 when --now "
                                "is not a time in 2000–2100.")
@click.option("--now", "at", metavar="ISO", help="The time to sweep at, e.g. 2026-12-01T09:00:00+07:00.")
@click.option("--apply", "apply_", is_flag=True, help="Really apply the sweep and send the e-mail.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def tick(at, apply_, as_json):
    from workflow.notices import digest
    from workflow.notices.outbox import deliver
    from workflow.sweep import Policy, run_sweep
    from workflow.sweep.rehearsal import Rehearsal
    settings = load_settings()
    now = parse_now(at)
    db = _db(settings)
    worker = f"tick:{socket.gethostname()}:{os.getpid()}"
    try:
        if apply_:
            report = run_sweep(db, now, policy=Policy.from_settings(settings), worker=worker)
            report.digests = digest.send_due(db, now).to_dict()
            report.mail = deliver(db, settings.smtp_url, now=now).to_dict()
        else:
            rehearsal = Rehearsal(db)
            try:
                report = run_sweep(rehearsal, now, policy=Policy.from_settings(settings), worker=worker)
                report.digests = digest.send_due(rehearsal, now).to_dict()
            finally:
                rehearsal.close()
            report.mail = {"sent": 0, "failed": 0, "dry_run": True}
        report.dry_run = not apply_
    finally:
        db.dispose()
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        _print_report(report)
    sys.exit(1 if report.failed else 0)


def _print_report(report) -> None:
    s = report.summary()
    if report.dry_run:
        click.echo("Diễn tập, không thay đổi gì / DRY RUN, nothing changed (use --apply to apply):")
    click.echo(f"Sweep at {s['now']}: {s['reminded']} reminder(s), {s['escalated']} escalation(s), "
               f"{s['expired']} expired draft(s), {s['retired']} retired deadline(s), "
               f"{s['failed']} failure(s); daily digest(s) {s.get('digests', {}).get('sent', 0)}; "
               f"e-mail sent {s['mail']['sent']}, failed {s['mail']['failed']} ({s['duration_ms']:.0f} ms)")
    for e in report.events:
        level = f" level {e['level']}" if "level" in e else ""
        click.echo(f"  {e['action']}{level}: {e['subject']} #{e['id']}")
    for e in report.errors:
        click.echo(f"  FAILED {e['subject']} #{e['id']}: {e['error']}", err=True)


@scheduler.command("run", help="Run the scheduler alone (for deployments with several web processes; "
                               "start those with `serve --no-scheduler`). Only one scheduler is active "
                               "at a time: a second waits and takes over when the first stops.")
def run():
    from scheduler.runner import run_forever
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    db = _db(settings)
    click.echo(f"scheduler running every {settings.sweep_seconds}s (Ctrl-C to stop)")
    try:
        run_forever(db, settings)
    finally:
        db.dispose()


@scheduler.command("status", help="Which process holds the scheduler lease, and the last sweep.")
def status():
    from scheduler.lease import current
    settings = load_settings()
    db = _db(settings)
    try:
        lease = current(db)
    finally:
        db.dispose()
    click.echo(json.dumps(lease, default=str, ensure_ascii=False) if lease else "no scheduler has run yet")
