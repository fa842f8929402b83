"""Reading the coordinator's files: CSV encodings and headers, the registry (agencies,
readiness, evidence) and the operators' logs.
"""
