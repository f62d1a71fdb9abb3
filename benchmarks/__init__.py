"""The benchmark harness of issue 7: `python -m benchmarks.run` prints one table."""
