"""`khenthuong scheduler ...` commands."""
import click


@click.group(help="The deadline scheduler: run it, or run one sweep.")
def scheduler():
    pass
