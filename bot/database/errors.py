"""The one error storage raises on purpose. No discord import."""


class DatabaseError(RuntimeError):
    """The database cannot be opened, migrated or used; the message says which one and why, in one line."""
