"""The performance benchmark (issue 10): `python -m bench` or `make bench`.

A bulk-loaded forum at realistic scale, served by gunicorn on SQLite and PostgreSQL, driven
by wrk, measured against two floors (Flask hello world; one SELECT of 30 rows through
SQLAlchemy and Jinja) in the same run. Results go to bench/RESULTS.md.
"""
