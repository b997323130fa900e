"""Alembic migrations of the dossier store (run by ``Store.init`` / ``mot-cua store init``)."""
