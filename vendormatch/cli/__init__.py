"""The `vendormatch` command: a thin click shell that parses options, calls one library function,
renders its result and picks the exit code.

May import: every other layer; none may import it.
"""
