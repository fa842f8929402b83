"""The revision's timeline (networkx): derived dates, slack, the critical path, conflicts and
what-if shifts.
"""
