"""Measurements run by hand from the repository root, ``python -m benchmarks.NAME`` (not part of the test suite)."""
