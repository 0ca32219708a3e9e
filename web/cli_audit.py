"""`khenthuong audit ...` commands."""
import click


@click.group(help="The audit log: verify it is intact, export it.")
def audit():
    pass
