"""Japan's administrative facts: closed days, wareki and fuzzy dates, the official code list
and check digits, personal numbers, the domain's vocabulary.
"""
