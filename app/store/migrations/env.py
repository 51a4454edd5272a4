"""Alembic environment: the store passes its open connection (app.store.engine.migrate)."""

from alembic import context

from app.store.schema import metadata


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


# Alembic runs this file as a script; imported by anything else (the layering test imports every
# file under app/) there is no migration to run
if hasattr(context, "config"):
    run()
