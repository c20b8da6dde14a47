"""Schema migrations: mNNNN_name.py modules, each with a SQL string."""
