"""The `khenthuong` command line: `main` is the click group (see `khenthuong --help`)."""
from web.cli.main import main

__all__ = ["main"]
