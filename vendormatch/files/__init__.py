"""The files and what they mean: the YAML loader with positions, the pydantic models, catalogue and
strategy loading with their cross-file checks, the catalogue cache, prices and levels of offers,
and atomic output files.

May import: nothing else of vendormatch.
"""
