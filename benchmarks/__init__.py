"""Benchmarks: speed and memory against generated data at realistic scale.

`make bench` runs every ``benchmarks/bench_*.py`` module's ``run()`` against a
disposable embedded PostgreSQL and Redis (or the servers DATABASE_URL and
REDIS_URL name) in a database of its own, and prints one line per measurement.
Timings belong here, never in the test suite.
"""
