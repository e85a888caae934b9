"""`python -m vendormatch` runs the command line."""

from vendormatch.cli.commands import main

main()
