"""Benchmarks: ours against the stock pipeline, in one run, ratios printed."""
