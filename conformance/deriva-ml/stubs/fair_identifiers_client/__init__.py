"""Stand-in for fair-identifiers-client, which only deriva-py's MINID post-processor imports.

The conformance run mints no MINIDs; using the stand-in says so instead of failing at import.
"""
