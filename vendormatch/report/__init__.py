"""Rendering results: terminal tables, JSON, CSV, Markdown and HTML with SVG charts.

May import: analysis, solve, match, files.
"""
