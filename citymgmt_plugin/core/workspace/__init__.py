"""Where the tables live: schema per domain, column types, connections, migrations."""
