"""What the privacy commands say: the policy card, the confirmations and their results. No discord import.

The confirmation buttons are persistent like every button of the bot (a custom id that says what to do), so
a click is answered even after a restart and nothing is kept in memory per message. The id carries when the
confirmation was offered, and a click more than `CONFIRM_SECONDS` later deletes nothing: it would delete
what was there then *and* what came since. The data deleted is always the clicker's own (or, for a server,
the server the click comes from, by a member with Manage Server), never one named in the button.
"""

from __future__ import annotations

from bot.i18n import ENGLISH
from bot.privacy import policy
from bot.privacy.store import MemberData, ServerData
from bot.replies import GREY, Button, Card, Field, Reply, notice
from bot.trivia.cards.common import words

FORGET_ACTION = "forget_me"  # the confirm buttons' actions (their handlers are registered by the privacy cog)
DELETE_SERVER_ACTION = "delete_server"
KEEP_ACTION = "keep_data"
CONFIRM_SECONDS = 600
CLOCK_SKEW = 60  # a confirmation "from the future" by more than this is not trusted either
FORGET_COMMAND = "forget_me"  # the commands an expired confirmation names (`privacy.command.<name>`)
DELETE_SERVER_COMMAND = "delete_server"
DELETE_WAYS = ("member", "server", "operator")  # policy.DELETE's ways, in order (`privacy.delete.<way>`)


def privacy_card(language: str = ENGLISH) -> Reply:
    """/privacy: what is kept, why, how long, how to delete it (privately, in the member's language: the policy's
    words are `privacy.*` in the catalogues, its English the same as bot/privacy/policy.py's)."""
    w = words(language)
    return Reply(
        card=Card(
            title=w("privacy.title"),
            description=w("privacy.why"),
            colour=GREY,
            fields=(
                *(
                    Field(w(f"privacy.kept.{kept.table}.name"), w(f"privacy.kept.{kept.table}.details"))
                    for kept in policy.KEPT
                ),
                Field(w("privacy.how_long.title"), w("privacy.how_long", days=policy.RETENTION_DAYS_AFTER_REMOVAL)),
                Field(w("privacy.delete.title"), "\n".join(f"• {w(f'privacy.delete.{way}')}" for way in DELETE_WAYS)),
                Field(w("privacy.not_kept.title"), w("privacy.not_kept")),
            ),
            footer=w("privacy.footer"),
        ),
        ephemeral=True,
    )


# --- summaries --------------------------------------------------------------------------------------


def member_summary(data: MemberData, language: str = ENGLISH) -> str:
    """`12 answers, scores in 2 servers and 1 question report`: a member's data, or what was deleted of it."""
    counts = (
        ("answers", data.answers),
        ("servers", data.servers),
        ("season_boards", data.season_scores),
        ("reports", data.reports),
        ("proposals", data.proposals),
        ("credits", data.credits),
    )
    return _listed([words(language).count(f"privacy.count.{key}", n) for key, n in counts if n], language)


def server_summary(data: ServerData, language: str = ENGLISH) -> str:
    """`the trivia settings and schedule, 5 rounds, 40 answers, ...`: a server's data, or what was deleted."""
    w = words(language)
    parts = [w("privacy.count.settings")] if data.settings else []
    counts = (
        ("rounds", data.rounds),
        ("answers", data.answers),
        ("scores", data.scores),
        ("season_places", data.season_scores),
        ("seasons", data.seasons),
        ("reports", data.reports),
        ("cycle", data.questions),
        ("daily", data.daily),
        ("server_questions", data.server_questions),
    )
    parts += [w.count(f"privacy.count.{key}", n) for key, n in counts if n]
    return _listed(parts, language)


def _listed(parts: list[str], language: str = ENGLISH) -> str:
    """`a`, `a and b`, `a, b and c` (in Korean `a, b, c`); `nothing`."""
    w = words(language)
    if not parts:
        return w("privacy.nothing")
    if len(parts) == 1:
        return parts[0]
    return w("privacy.list_comma").join(parts[:-1]) + w("privacy.and") + parts[-1]


# --- confirmations ------------------------------------------------------------------------------------


def confirmation_argument(now: float) -> str:
    return str(int(now))


def is_fresh(argument: str, now: float) -> bool:
    """Was this confirmation offered less than CONFIRM_SECONDS ago?"""
    if not argument.isdigit():
        return False
    offered = int(argument)
    return offered - CLOCK_SKEW <= now and now - offered <= CONFIRM_SECONDS


def forget_me_prompt(data: MemberData, now: float, language: str = ENGLISH) -> Reply:
    w = words(language)
    if data.empty:
        return notice(w("privacy.forget.nothing_kept"))
    return Reply(
        card=Card(
            title=w("privacy.forget.title"),
            description=w("privacy.forget.description", summary=member_summary(data, language)),
            colour=GREY,
            footer=w("privacy.confirm_footer", minutes=CONFIRM_SECONDS // 60),
            buttons=(
                Button(w("privacy.forget.button"), FORGET_ACTION, confirmation_argument(now), style="danger"),
                Button(w("privacy.keep_button"), KEEP_ACTION),
            ),
        ),
        ephemeral=True,
    )


def member_forgotten(deleted: MemberData, language: str = ENGLISH) -> Reply:
    """What was deleted: the followup to the confirmation's click (private)."""
    w = words(language)
    if deleted.empty:
        return notice(w("privacy.forget.nothing_left"))
    return Reply(text=w("privacy.forget.done", summary=member_summary(deleted, language)), ephemeral=True)


def delete_server_prompt(data: ServerData, server: str, now: float, language: str = ENGLISH) -> Reply:
    w = words(language)
    if data.empty:
        return notice(w("privacy.server.nothing_kept"))
    return Reply(
        card=Card(
            title=w("privacy.server.title", server=server),
            description=w("privacy.server.description", summary=server_summary(data, language)),
            colour=GREY,
            footer=w("privacy.confirm_footer", minutes=CONFIRM_SECONDS // 60),
            buttons=(
                Button(w("privacy.server.button"), DELETE_SERVER_ACTION, confirmation_argument(now), style="danger"),
                Button(w("privacy.keep_button"), KEEP_ACTION),
            ),
        ),
        ephemeral=True,
    )


def server_forgotten(deleted: ServerData, language: str = ENGLISH) -> Reply:
    w = words(language)
    if deleted.empty:
        return notice(w("privacy.server.nothing_left"))
    return Reply(text=w("privacy.server.done", summary=server_summary(deleted, language)), ephemeral=True)


def server_deletion_running(language: str = ENGLISH) -> Reply:
    return notice(words(language)("privacy.server.running"))


def kept(language: str = ENGLISH) -> Reply:
    return Reply(text=words(language)("privacy.kept"))


def expired(command: str, language: str = ENGLISH) -> Reply:
    """`command`: FORGET_COMMAND or DELETE_SERVER_COMMAND, named as the member's Discord names it."""
    w = words(language)
    return Reply(text=w("privacy.expired", minutes=CONFIRM_SECONDS // 60, command=w(f"privacy.command.{command}")))


def this_server(language: str = ENGLISH) -> str:
    return words(language)("privacy.server.this")


def offline_forget_me(language: str = ENGLISH) -> Reply:
    return notice(words(language)("privacy.offline"))
