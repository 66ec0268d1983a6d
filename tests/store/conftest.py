"""The store tests' PostgreSQL fixtures (pg_server, pg_url) are in tests/conftest.py: the web
tests serve PostgreSQL editions too, from the same server."""
