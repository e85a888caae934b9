"""Matching requirement text to catalogue features: normalisation, the feature index, lexical and
optional semantic scoring, decisions, lock files, and resolving each requirement's features.

May import: files.
"""
