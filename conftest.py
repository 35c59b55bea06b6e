"""Loads the fake Discord's fixtures for every test folder (tests/ and fake_discord/tests/)."""

pytest_plugins = ("fake_discord.pytest_plugin",)
