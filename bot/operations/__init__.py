"""Running the bot in production: logs for machines.

`logs` (JSON log lines) has no discord import.
"""
