"""Benchmarks and load tests, run from the repository root with ``python -m bench.<module>``.

Load: ``python -m bench.loadsite --users 50 --duration 60`` prepares a throwaway site (SQLite,
or a fresh PostgreSQL database when ``DATABASE_URL`` points at one), serves it with gunicorn
(2 workers, ``RATE_LIMITS_ENABLED=false``), runs ``bench.load`` against it from a second process
and then counts the posts in the database. ``make load`` / ``make soak`` wrap it.
"""
