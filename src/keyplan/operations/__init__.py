"""Running an installation for years: the production web server (``keyplan serve``),
the background worker that survives a busy or restarting database (``keyplan
db_worker``), and backups that are safe while keyplan runs (``keyplan backup`` /
``keyplan restore``)."""
