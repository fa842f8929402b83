"""Planning: each agency's tasks and flags, hearing candidates, progress, the summary, what-if
comparisons.
"""
