"""The storage layer: models, database connections, migrations and queries."""
