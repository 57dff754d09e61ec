"""Benchmarks of otterhelm against the real helm v4.3.1 on the same machine in the same run.

`python -m bench` runs them and writes docs/benchmarks.md; see bench/cli.py for the flags."""
