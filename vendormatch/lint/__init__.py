"""Linting catalogues, strategies and lock files (`vendormatch validate`) and the diagnostic formats.

May import: files, and match for the lock files' types.
"""
