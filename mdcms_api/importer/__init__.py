"""The importer: a site folder on disk synced into the database in one transaction."""
