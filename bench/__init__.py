"""Benchmarks: `make bench` (or `python -m bench`). They print ratios measured in one run."""
