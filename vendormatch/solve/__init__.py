"""Choosing each product's best edition and add-ons: offer blocks, the PuLP model, scoring, stacks,
results, traces and the shortlist.

May import: match, files.
"""
