"""The command line: one module per command; no library logic lives here."""
