"""Benchmarks: run with `make bench*`; each prints JSON lines on stdout."""
