"""A fake Discord on loopback for end-to-end tests of the bot with the real discord.py client.

See README.md in this folder for the fixtures and an example test.
"""

from .invocation import InvalidInvocation
from .messages import FakeMessage
from .model import Channel, FakeFile, Guild, Intent, Perm, User, World, default_world
from .reply import Button, Choice, InteractionFailed, Reply
from .server import APPLICATION_ID, BOT_TOKEN, FakeDiscord, FakeTimeout
from .users import DiscordUser
from .violations import KINDS as VIOLATION_KINDS
from .violations import Violation

__all__ = [
    "APPLICATION_ID",
    "BOT_TOKEN",
    "VIOLATION_KINDS",
    "Button",
    "Channel",
    "Choice",
    "DiscordUser",
    "FakeDiscord",
    "FakeFile",
    "FakeMessage",
    "FakeTimeout",
    "Guild",
    "Intent",
    "InteractionFailed",
    "InvalidInvocation",
    "Perm",
    "Reply",
    "User",
    "Violation",
    "World",
    "default_world",
]
