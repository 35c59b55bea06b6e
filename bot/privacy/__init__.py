"""Privacy: what the bot keeps about people and servers, and deleting it on request.

`store` (the deletions, in the database) has no discord import.
"""
