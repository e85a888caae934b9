"""`python -m vendormatch` runs the command line."""

from vendormatch.cli.entry import main

main()
