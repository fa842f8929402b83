"""The revision calendar: its models, its TOML loading with every problem located, and the diff
of two calendars.
"""
