"""Questions asked of a shortlist: the cost-coverage frontier, sensitivity, the budget walk,
what-if overrides and explain.

May import: solve, match, files.
"""
