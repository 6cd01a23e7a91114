"""Benchmarks: ``python -m bench.NAME``; results and how to read them are in docs/benchmarks.md."""
