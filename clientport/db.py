"""Database connection tuning that settings alone cannot express."""

import sqlite3

# Django assumes SQLite's historical limit of 999 bound parameters and splits every bulk insert
# of a 20-column row into batches of 49. The SQLite that Python ships today allows far more
# (250,000 here); using it makes an import batch a handful of statements instead of dozens.
SQLITE_PARAMS_CEILING = 32_766


def raise_sqlite_parameter_limit(sender, connection, **kwargs):
    if connection.vendor != "sqlite":
        return
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    connection.features.max_query_params = min(limit, SQLITE_PARAMS_CEILING)
