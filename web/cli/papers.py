"""`khenthuong papers ...`: the papers' settings kept by the administrator; for now the trusted
root certificates (chứng thư gốc tin cậy) that digital signatures are verified against.

Each change is made as an administrator account (`--admin`, default `admin`) and recorded in the
audit log like the same change made on /admin/trust-roots. Exit codes: 0 done, 1 refused
(a bad or duplicate certificate, no such root), 2 could not run.
"""
import json
import sys
from datetime import datetime, UTC
from pathlib import Path

import click

from workflow.config import load_settings


def _db():
    from workflow.kernel.db import Database
    settings = load_settings()
    return Database(settings.database_url, settings=settings)


def _refused(err: Exception) -> None:
    from workflow.errors import DomainError
    if isinstance(err, DomainError):
        click.echo(f"{err.message_vi}\n{err.message_en}", err=True)
        sys.exit(1)
    click.echo(f"Không chạy được / could not run: {type(err).__name__}: {err}", err=True)
    sys.exit(2)


ADMIN_OPTION = click.option("--admin", "admin", default="admin", show_default=True, metavar="USERNAME",
                            help="The administrator account the change is made and audited as.")


@click.group(help="The papers (văn bản): settings the administrator keeps.")
def papers():
    pass


@papers.group("trust-roots", help="Trusted root certificates (chứng thư gốc tin cậy): a digital signature "
                                  "is trusted when its certificate chains to one of them. Uploaded PDFs are "
                                  "judged against the roots configured when they are read.")
def trust_roots():
    pass


def _row(r) -> dict:
    return {"id": r.id, "name": r.name, "subject": r.subject, "issuer": r.issuer, "sha256": r.sha256,
            "not_before": r.not_before.isoformat() if r.not_before else None,
            "not_after": r.not_after.isoformat() if r.not_after else None, "added_by": r.added_by,
            "added_at": r.added_at.isoformat()}


def _show(r) -> None:
    valid = (f"{r.not_before:%d/%m/%Y} – {r.not_after:%d/%m/%Y}" if r.not_before and r.not_after else "?")
    click.echo(f"#{r.id}  {r.name}\n    subject: {r.subject}\n    issuer:  {r.issuer}\n"
               f"    sha256:  {r.sha256}\n    valid:   {valid}\n"
               f"    added:   {r.added_at:%d/%m/%Y %H:%M} UTC by {r.added_by or 'the system (demo)'}")


@trust_roots.command("list", help="List the trusted root certificates.")
@ADMIN_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one array).")
def list_roots(admin, as_json):
    from workflow.documents import trust
    try:
        db = _db()
        roots = trust.list_roots(db, trust.administrator(db, admin))
    except Exception as e:
        _refused(e)
    if as_json:
        click.echo(json.dumps([_row(r) for r in roots], ensure_ascii=False, indent=2))
        return
    if not roots:
        click.echo("Chưa có chứng thư gốc nào / no trusted roots yet.")
    for r in roots:
        _show(r)


@trust_roots.command("add", help="Trust the CA certificate in FILE (PEM or DER). Refused, with nothing "
                                 "saved, when FILE is not one certificate, not a CA's, expired, or "
                                 "already trusted.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", help="A name to list it under (default: the certificate's common name).")
@ADMIN_OPTION
def add_root(file, name, admin):
    from workflow.documents import trust
    try:
        db = _db()
        root = trust.add_root(db, trust.administrator(db, admin), file.read_bytes(), now=datetime.now(UTC), name=name)
    except Exception as e:
        _refused(e)
    click.echo("Đã thêm / added:")
    _show(root)


@trust_roots.command("remove", help="Stop trusting the root with id ID (see `list`): signatures that "
                                    "chained only to it read as untrusted from now on.")
@click.argument("root_id", metavar="ID", type=click.IntRange(min=1))
@ADMIN_OPTION
def remove_root(root_id, admin):
    from workflow.documents import trust
    try:
        db = _db()
        root = trust.remove_root(db, trust.administrator(db, admin), root_id, now=datetime.now(UTC))
    except Exception as e:
        _refused(e)
    click.echo(f"Đã gỡ / removed: #{root.id} {root.name} ({root.sha256})")
