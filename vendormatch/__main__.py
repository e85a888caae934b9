"""`python -m vendormatch` runs the command line."""

from vendormatch.cli import main

main()
