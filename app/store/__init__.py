"""The history store's engines, schema and migrations (SQLite by default, PostgreSQL for a team):
app.store.engine (addresses, credentials, engines, migrations), app.store.schema (tables),
app.store.transfer (copy between stores, portable backup), app.store.cli (`store`, `import`).
The store's interface itself is app.history.History."""
