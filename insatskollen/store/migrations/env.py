"""Alembic environment for the working store. Run only through store/working/engine.migrate(), which passes
an open connection inside a transaction (and holds the lock that serialises concurrent starts)."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transaction_per_migration=False)
context.run_migrations()
