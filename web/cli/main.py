"""The `khenthuong` command line (shared/API.md)."""
import json
import logging
import signal
import sys
from datetime import datetime, UTC

import click

from workflow.config import load_settings


def _now() -> datetime:
    return datetime.now(UTC)


def _db():
    from workflow.kernel.db import Database
    settings = load_settings()
    return Database(settings.database_url, settings=settings)


@click.group(help="khenthuong: quy trình xét duyệt hồ sơ thi đua, khen thưởng "
                  "(workflow engine for Vietnamese commendation nominations).")
def main():
    pass


@main.command("init-db", help="Create or upgrade the schema (Alembic) at KHENTHUONG_DATABASE_URL "
                             "(default: SQLite file instance/khenthuong.db).")
def init_db():
    from workflow.kernel.migrate import upgrade
    from workflow.catalogue.service import sync_catalogue
    settings = load_settings()
    click.echo(f"Upgrading schema at {_safe(settings.database_url)} ...")
    upgrade(settings.database_url)
    db = _db()
    with db.write() as s:
        added = sync_catalogue(s, datetime.now(UTC))
    click.echo(f"Schema is current; award catalogue: {added} type(s) added.")


@main.command(help="Load the demo organisation, users, award catalogue, the five seed plans and one "
                   "open plan of this year (idempotent). Without --password one is generated and "
                   "printed once.")
@click.option("--password", help="Password for every demo user (the password policy applies: at least "
                                 "10 characters).")
def demo(password):
    from workflow.auth.policy import valid_password
    from workflow.demo.loader import load_demo
    from workflow.errors import InvalidInput
    from workflow.kernel.migrate import upgrade
    if password is not None:
        try:
            valid_password(password, "--password")
        except InvalidInput as e:
            raise click.BadParameter(f"{e.message_vi} / {e.message_en}", param_hint="--password") from None
    settings = load_settings()
    upgrade(settings.database_url)
    result = load_demo(_db(), now=_now(), password=password, strict_before=settings.strict_before)
    click.echo(f"Demo data: {result.orgs_added} org(s), {result.users_added} user(s), "
               f"{result.plans_added} plan(s), {result.awards_added} award type(s) added.")
    if result.users_added and result.password:
        click.echo(f"Password of every demo user (shown once): {result.password}")
    elif not result.users_added:
        click.echo("Demo users already existed; their passwords were not changed.")


@main.command(help="Serve the web UI and the API (waitress, a production WSGI server), with the "
                   "scheduler in-process unless --no-scheduler. Ctrl+C stops it.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Requests served at once.")
@click.option("--no-scheduler", is_flag=True, help="Do not run the deadline scheduler in this process.")
@click.option("--supervised/--no-supervised", default=True, show_default=True,
              help="Serve from a child process that is started again if a signal kills it (SIGBUS "
                   "when SQLite's -shm file is truncated under it, SIGSEGV, the OOM killer).")
def serve(host, port, threads, no_scheduler, supervised):
    from workflow.kernel.migrate import current
    settings = load_settings()
    if current(settings.database_url) is None:
        click.echo(f"The database at {_safe(settings.database_url)} has no schema yet: run "
                   "`khenthuong demo` (demo data) or `khenthuong init-db` first.", err=True)
        sys.exit(2)
    from web.cli.supervise import listen, supervise

    def run(sock) -> None:
        from waitress import serve as waitress_serve
        from web import create_app
        app = create_app()
        sched = None
        if not no_scheduler:
            from scheduler.runner import start_background
            sched = start_background(app.extensions["khenthuong"].db, load_settings())
        click.echo(f"khenthuong serving on http://{host}:{port}/ (scheduler: {'on' if sched else 'off'})")
        # "Task queue depth is N" on every queued request is noise at an office's peak, not news.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)

        def leave(*_) -> None:  # a service manager stops with SIGTERM: leave like Ctrl+C, once
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            sys.exit(0)

        signal.signal(signal.SIGTERM, leave)
        try:
            # The body limit is the app's (MAX_CONTENT_LENGTH, 413); waitress only must not cut first.
            waitress_serve(app, sockets=[sock], threads=threads, ident="khenthuong",
                           max_request_body_size=app.config["MAX_CONTENT_LENGTH"] + 1024 * 1024,
                           _quiet=True)
        except KeyboardInterrupt:
            pass
        finally:
            if sched:
                sched.stop()  # releases the scheduler's lease: the next process may sweep at once

    try:
        sock = listen(host, port)
    except OSError as e:
        click.echo(f"Cannot listen on {host}:{port}: {e.strerror}", err=True)
        sys.exit(2)
    if not supervised:
        run(sock)
        return
    sys.exit(supervise(run, sock))


@main.group(help="Deadline phrases (thời hạn) as officials write them.")
def deadlines():
    pass


@deadlines.command("parse", help="Normalise a deadline phrase, e.g. \"trước quý II năm 2015\". "
                                 "Exit 2 with the phrase quoted when it cannot be read.")
@click.argument("text")
@click.option("--issued", type=click.DateTime(formats=["%Y-%m-%d"]), help="Issue date of the plan (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def deadlines_parse(text, issued, as_json):
    from workflow.calendar.deadlines import DeadlineParseError, parse_deadline
    try:
        d = parse_deadline(text, issued=issued.date() if issued else None,
                           strict_before=load_settings().strict_before)
    except DeadlineParseError as e:
        click.echo(e.message_en if as_json else f"{e.message_vi}\n{e.message_en}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(d.to_dict(), ensure_ascii=False))
        return
    click.echo(f"{d.text}{' (dự kiến / expected)' if d.expected else ''}")
    for p in d.periods:
        start = p.start.strftime("%d/%m/%Y") if p.start else "…"
        click.echo(f"  {start} → {p.end.strftime('%d/%m/%Y')} (hạn cuối, còn trong hạn / last day on time)")


@main.group(help="The Vietnamese working-day calendar.")
def calendar():
    pass


@calendar.command("add-working-days", help="The date N Vietnamese working days after DATE "
                                           "(counting starts the next day; holidays, Tết and swapped "
                                           "Saturdays included).")
@click.argument("day", metavar="DATE", type=click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"]))
@click.argument("n", type=click.IntRange(min=0, max=3650))
def add_working_days(day, n):
    from workflow.calendar.timelimits import calendar_for
    db = _db()
    try:
        with db.read() as s:
            cal = calendar_for(s)
    except Exception:
        from workflow.calendar.workdays import WorkCalendar
        cal = WorkCalendar()  # no database yet: the public calendar alone
    click.echo(cal.add_working_days(day.date(), n).isoformat())


@main.group(help="Users and API tokens.")
def users():
    pass


@users.command("token", help="Print a new API token for USERNAME (valid 30 days).")
@click.argument("username")
@click.option("--hours", default=24 * 30, show_default=True, type=click.IntRange(1, 24 * 365))
def users_token(username, hours):
    from workflow.errors import DomainError
    from workflow.auth.service import token_for_username
    try:
        token, expires = token_for_username(_db(), username, now=_now(), ttl_hours=hours)
    except DomainError as e:
        click.echo(e.message_en, err=True)
        sys.exit(1)
    click.echo(token)
    click.echo(f"expires {expires.isoformat()}", err=True)


def _safe(url: str) -> str:
    """The URL without a password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':')[0]}:***@{host}" if ":" in creds else url
    return url


def _register_groups():
    from web.cli.audit import audit
    from web.cli.papers import papers
    from web.cli.scheduler import scheduler
    main.add_command(audit)
    main.add_command(papers)
    main.add_command(scheduler)


_register_groups()
