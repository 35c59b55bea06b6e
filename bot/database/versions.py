"""How far a database's schema has come, and which releases may use it. No discord import.

Migrations are expand-then-contract, so that two releases can run on one database at once (a rolling upgrade)
and a release can be rolled back by one:

- an *expand* migration only adds: a table, a column that may be NULL or has a default, an index. The previous
  release does not know it and keeps reading and writing as before.
- a *contract* migration drops or renames what an older release reads or writes. It ships only once no release
  that still runs uses that (the release after the one that stopped using it), and is listed in `CONTRACTS`.

A database keeps two numbers. `applied`: how many migrations it has had (the `schema_applied` table). The
compatibility version: the last migration a release must know to use it, kept where every release since the
first has looked (SQLite's `PRAGMA user_version`, PostgreSQL's `schema_version`). Migrations 1 to 8 predate
this policy and each raised it; from 9 on only a contract does. A release refuses a database whose
compatibility version is past its own last migration, and uses one that only has more expansions than it knows.
"""

from __future__ import annotations

from bot.database.errors import DatabaseError

LEGACY_MIGRATIONS = 8  # 1 to 8 each raised the compatibility version (they predate the policy)
CONTRACTS: frozenset[int] = frozenset()  # later migrations that an older release cannot run beside

CREATE_APPLIED = "CREATE TABLE IF NOT EXISTS schema_applied (version INTEGER NOT NULL)"


def compatibility_version(applied: int) -> int:
    """What the database tells older releases once `applied` migrations have run."""
    contracts = [version for version in CONTRACTS if version <= applied]
    return max([min(applied, LEGACY_MIGRATIONS), *contracts])


def check_usable(compatibility: int, known: int) -> None:
    """Refuse (one line) a database that needs a migration this release does not know."""
    if compatibility > known:
        raise DatabaseError(f"the database is at schema {compatibility}, newer than this bot ({known})")
