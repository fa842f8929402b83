"""Writers that turn plans, timelines and triage results into files people read."""
