"""Alembic environment: runs on the connection :meth:`mot_cua.store.Store.init` passes in."""

from __future__ import annotations

from alembic import context

from mot_cua.store._schema import METADATA, VERSION_TABLE


def run_migrations() -> None:
    """Run the pending migrations on ``config.attributes["connection"]`` (one transaction)."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=METADATA,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # run by Alembic (a doctest collector merely imports it)
    run_migrations()
