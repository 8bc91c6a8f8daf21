"""The working store (SQLAlchemy Core; SQLite or PostgreSQL): engine.py opens it, one module per feature."""
