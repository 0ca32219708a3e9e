"""`python -m web.cli ...` runs the `khenthuong` command."""
from web.cli.main import main

main()
