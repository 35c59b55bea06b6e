"""The operator's commands of `python -m bot`. Each prints one line saying what it did; all are safe to run
while the bot runs (SQLite lets the bot wait a moment for a deletion's write).

python -m bot backup FILE [--force]     a consistent copy of the live database
python -m bot forget-user USER_ID       delete a member's answers and scores in every server
python -m bot forget-server SERVER_ID   delete a server's settings, schedule, rounds, answers and scores
python -m bot reports                   the questions members reported, newest first, grouped by question
python -m bot migrate --to URL          copy the SQLite database into an empty PostgreSQL database (bot stopped)
python -m bot questions import SERVER_ID FILE   add a pack's questions to a server's own (all or nothing)
python -m bot questions export SERVER_ID FILE   a server's accepted questions, as a pack file
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from bot import database
from bot.config import Settings
from bot.operations.backup import BackupError, backup_database
from bot.privacy.cards import member_summary, server_summary
from bot.privacy.store import PrivacyStore
from bot.text import plural
from bot.trivia.cards import reports_text
from bot.trivia.server_questions.cards import pack_header
from bot.trivia.server_questions.pack import QuestionError, dump_pack, parse_pack
from bot.trivia.server_questions.store import QuestionsError, ServerQuestionStore
from bot.trivia.store import TriviaStore

COMMANDS = ("backup", "forget-user", "forget-server", "reports", "migrate", "questions")


class CommandError(RuntimeError):
    """An operator's command could not do what was asked; the message is one line saying why."""


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = commands.add_parser("backup", help="copy the live database to FILE (safe while the bot runs)")
    backup.add_argument("file", metavar="FILE", type=Path, help="where the copy goes")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    user = commands.add_parser("forget-user", help="delete a member's trivia data in every server")
    user.add_argument("id", metavar="USER_ID", help="the member's Discord user id")
    server = commands.add_parser("forget-server", help="delete everything kept for a server")
    server.add_argument("id", metavar="SERVER_ID", help="the server's Discord id")
    commands.add_parser("reports", help="list the trivia questions members reported, newest first, by question")
    migrate = commands.add_parser("migrate", help="copy the SQLite database into an empty PostgreSQL database")
    migrate.add_argument("--to", required=True, metavar="URL", help="postgresql://user:password@host:5432/name")
    packs = commands.add_parser("questions", help="import or export a server's own trivia questions (a pack file)")
    packs.add_argument("action", choices=("import", "export"))
    packs.add_argument("id", metavar="SERVER_ID", help="the server's Discord id")
    packs.add_argument("file", metavar="FILE", type=Path, help="the pack (TOML)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the operator's command in `args`; raises CommandError with one line when it can't."""
    if args.command == "backup":
        return _backup(settings, args)
    if args.command == "forget-user":
        return asyncio.run(_forget_user(settings, _discord_id(args.id, "USER_ID")))
    if args.command == "forget-server":
        return asyncio.run(_forget_server(settings, _discord_id(args.id, "SERVER_ID")))
    if args.command == "reports":
        return asyncio.run(_reports(settings))
    if args.command == "migrate":
        return asyncio.run(_migrate(settings, args.to))
    if args.command == "questions":
        guild_id = _discord_id(args.id, "SERVER_ID")
        if args.action == "import":
            return asyncio.run(_import_questions(settings, guild_id, args.file))
        return asyncio.run(_export_questions(settings, guild_id, args.file))
    raise CommandError(f"unknown command {args.command!r}")


async def _reports(settings: Settings) -> int:
    db = await _open(settings)
    try:
        found = await TriviaStore(db).reports()
    finally:
        await db.close()
    print(reports_text(found))
    return 0


async def _migrate(settings: Settings, url: str) -> int:
    from bot.operations.migrate import MigrationError, migrate_to_postgresql  # asyncpg: only when asked

    if not database.is_postgresql_url(url):
        raise CommandError(f"--to must be a PostgreSQL URL such as postgresql://user@host:5432/name, not {url[:40]!r}")
    if settings.database_url:
        raise CommandError("migrate copies the SQLite database at DATABASE_PATH: unset DATABASE_URL to run it")
    try:
        moved = await migrate_to_postgresql(settings.database_path, url, progress=print)
    except MigrationError as exc:
        raise CommandError(str(exc)) from exc
    print(
        f"Copied {moved.rows:,} rows of {len(moved.tables)} tables from {settings.database_path} to {moved.target}"
        f" in {moved.seconds:.1f} s; every table's count matches. Start the bot with DATABASE_URL set to it."
    )
    return 0


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    if settings.database_url:
        raise CommandError(
            "the database is PostgreSQL (DATABASE_URL): back it up with pg_dump, e.g."
            " pg_dump --format=custom --file=FILE DATABASE_URL (see the README, Backups)"
        )
    try:
        made = backup_database(settings.database_path, args.file, force=args.force)
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    print(f"Backed up {settings.database_path} to {made.path} ({_size(made.size)}, schema {made.schema}, checked).")
    return 0


async def _forget_user(settings: Settings, user_id: int) -> int:
    db = await _open(settings)
    try:
        deleted = await PrivacyStore(db).forget_member(user_id)
    finally:
        await db.close()
    if deleted.empty:
        print(f"Nothing was kept about user {user_id}: there was nothing to delete.")
    else:
        print(f"Deleted what was kept about user {user_id}: {member_summary(deleted)}.")
    return 0


async def _forget_server(settings: Settings, guild_id: int) -> int:
    db = await _open(settings)
    try:
        deleted = await PrivacyStore(db).forget_server(guild_id)
    finally:
        await db.close()
    if deleted.empty:
        print(f"Nothing was kept for server {guild_id}: there was nothing to delete.")
    else:
        print(f"Deleted what was kept for server {guild_id}: {server_summary(deleted)}.")
    return 0


async def _import_questions(settings: Settings, guild_id: int, path: Path) -> int:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        found = parse_pack(data)
    except QuestionError as exc:
        raise CommandError(f"{path}: {exc}; nothing was imported") from exc
    db = await _open(settings)
    try:
        done = await ServerQuestionStore(db).import_pack(guild_id, found, time.time())
    except QuestionsError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        await db.close()
    print(
        f"Server {guild_id}: imported {plural(done.added, 'question')} from {path};"
        f" {plural(done.skipped, 'exact duplicate')} skipped."
    )
    return 0


async def _export_questions(settings: Settings, guild_id: int, path: Path) -> int:
    db = await _open(settings)
    try:
        found = await ServerQuestionStore(db).accepted(guild_id)
    finally:
        await db.close()
    try:
        path.write_text(dump_pack((q.question for q in found), pack_header()), encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from exc
    print(f"Server {guild_id}: exported {plural(len(found), 'accepted question')} to {path}.")
    return 0


async def _open(settings: Settings) -> database.Database:
    if settings.database_url is None and not settings.database_path.is_file():
        raise CommandError(f"there is no database at {settings.database_path} (check DATABASE_PATH)")
    return await database.open_database(settings.database)


def _discord_id(text: str, name: str) -> int:
    value = text.strip()
    if not value.isdigit() or not 15 <= len(value) <= 21:
        raise CommandError(f"{name} must be a Discord id (a number of 15 to 21 digits), not {value[:40]!r}")
    return int(value)


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"
