"""Alembic migrations of the review store, shipped inside the package (no alembic.ini: desk/store.py configures them)."""
