"""The operator's commands of `python -m bot`: backup. Each prints one line saying what it did.

python -m bot backup FILE [--force]   a consistent copy of the live database (safe while the bot runs)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.config import Settings
from bot.operations.backup import BackupError, backup_database

COMMANDS = ("backup",)


class CommandError(RuntimeError):
    """An operator's command could not do what was asked; the message is one line saying why."""


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = commands.add_parser("backup", help="copy the live database to FILE (safe while the bot runs)")
    backup.add_argument("file", metavar="FILE", type=Path, help="where the copy goes")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the operator's command in `args`; raises CommandError with one line when it can't."""
    if args.command == "backup":
        return _backup(settings, args)
    raise CommandError(f"unknown command {args.command!r}")


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    try:
        made = backup_database(settings.database_path, args.file, force=args.force)
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    print(f"Backed up {settings.database_path} to {made.path} ({_size(made.size)}, schema {made.schema}, checked).")
    return 0


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"
