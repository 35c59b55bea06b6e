"""discord.py cogs: thin adapters from slash commands and buttons to the plain modules."""
