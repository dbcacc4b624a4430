"""Benchmark tools: a data generator (`generate`), a runner (`run`) and its parts.

`make bench` generates a data set of a chosen scale, serves the app with gunicorn
on loopback, loads it from a separate process and reports throughput, latency and
SQL statements per page, beside the framework's own limit on the same app.
"""
