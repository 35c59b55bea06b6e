"""Servers' own questions end to end, through the fake Discord with the real bot, on SQLite and PostgreSQL: a
member proposes in the form, an admin accepts, the next round asks it and its reveal credits the member without a
ping; who may do what, checked at every click; packs out of one server and into another, all or nothing."""

from __future__ import annotations

import asyncio
from typing import Any

from fake_discord import DiscordUser, FakeDiscord, FakeFile
from fake_discord.bots import InProcessBot
from fake_discord.reply import Reply
from fake_discord.users import answer_of
from tests.conftest import FakeClock
from tests.e2e.test_trivia import labels, revealed, set_up_channel, shown_name, start_round

SNEAKY = "Who sang @everyone **loud** at <@1234> https://evil.example [here](https://x.example)?"
GOOD_PACK = """
[[question]]
prompt = "Which snack did our server vote best in 2024?"
options = ["Tteokbokki", "Kimbap", "Hotteok"]
answer = 3
why = "The poll in #snacks said so."

[[question]]
prompt = "How many members came to our first watch party?"
options = ["12", "20"]
answer = 1
"""


async def propose(member: DiscordUser, prompt: str, options: str, right: str, why: str = "") -> Reply:
    form = await member.invoke("/trivia question add")
    assert form.kind == "modal" and form.modal is not None, form.content
    return await member.submit(form, {"prompt": prompt, "options": options, "right": [right], "why": why})


async def forged_click(fake: FakeDiscord, member: DiscordUser, message: Reply, custom_id: str) -> Reply:
    """A click carrying a custom id the member was never shown (a crafted interaction)."""
    assert message.message is not None
    record = await member._send(3, {"custom_id": custom_id, "component_type": 2}, "forged", clicked=message.message)
    return await answer_of(fake, record, timeout=5)


async def forged_submit(fake: FakeDiscord, member: DiscordUser, custom_id: str) -> Reply:
    """A form submission with a custom id the member was never shown (an edit of someone's question)."""
    fields = [
        {"type": 18, "component": {"type": 4, "custom_id": "prompt", "value": "Hijacked question here?"}},
        {"type": 18, "component": {"type": 4, "custom_id": "options", "value": "a\nb"}},
        {"type": 18, "component": {"type": 3, "custom_id": "right", "values": ["1"]}},
    ]
    record = await member._send(5, {"custom_id": custom_id, "components": fields}, "forged form")
    return await answer_of(fake, record, timeout=5)


async def test_a_member_proposes_an_admin_accepts_and_the_next_round_asks_it_crediting_them_without_a_ping(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    bob = fake_discord.user("bob")
    await set_up_channel(discord_admin)
    closed = await bob.invoke("/trivia question add")
    assert closed.kind == "message" and closed.ephemeral and "only members with Manage Server" in closed.content
    opened = await discord_admin.invoke("/trivia config", submissions=True)
    assert "Every member may now propose questions" in opened.content

    refused = await propose(bob, SNEAKY, "Suzy\n  \nNobody", "1")
    assert refused.ephemeral and "option 2 is empty" in refused.content
    thanks = await propose(bob, SNEAKY, "Suzy\nThe @here choir\nNobody", "2", "Because *they* did.")
    assert thanks.ephemeral and thanks.content.startswith("Thank you: your question waits")

    not_admin = await bob.invoke("/trivia question review")
    assert not_admin.ephemeral and "Manage Server" in not_admin.content
    card = await discord_admin.invoke("/trivia question review")
    text = card.text()
    assert card.ephemeral and "1 proposal waiting" in text and f"by {shown_name(bob)}" in text
    assert "@everyone" not in text and "<@1234>" not in text and "https://evil" not in text and "**loud**" not in text
    accept = card.button("Accept")
    assert accept is not None and accept.custom_id is not None

    forged = await forged_click(fake_discord, bob, card, accept.custom_id)  # the admin's private card's button
    assert forged.ephemeral and "Manage Server" in forged.content
    edit = await forged_submit(fake_discord, bob, f"pmf:qform:{accept.custom_id.rsplit(':', 1)[1]}")
    assert edit.ephemeral and "Manage Server" in edit.content
    done = await discord_admin.click(card, "Accept")
    assert "Accepted: it joins this server's rounds." in done.content and "Nothing waits for review" in done.content
    mine = await bob.invoke("/trivia question mine")
    assert mine.ephemeral and "**accepted**" in mine.text()

    config = await discord_admin.invoke("/trivia config")
    menu = config.message.selects()[0] if config.message else {}
    assert "Server questions (1)" in [o["label"] for o in menu["options"]]
    await discord_admin.choose(config, ["server"])
    posted = await start_round(fake_discord, discord_admin)
    description = posted.embed["description"]
    assert "Who sang @\u200beveryone \\*\\*loud\\*\\* at <@\u200b1234\\> https:\u200b//evil.example" in description
    assert "\\[here\\](https:\u200b//x.example)" in description
    assert sorted(labels(posted)) == sorted(["Suzy", "The @\u200bhere choir", "Nobody"])
    await bob.click(posted, "The @\u200bhere choir")
    clock.advance(31)
    reveal = await revealed(fake_discord, posted)
    shown = reveal.embed["description"]
    assert "Because \\*they\\* did." in shown and f"Question by {shown_name(bob)}" in shown
    assert str(bob.id) not in shown and "<@" not in reveal.text().replace("<@\u200b", "")
    form = await bob.click(reveal, "Report a problem")
    assert "your report is in" in (await bob.submit(form, {"reason": ["wrong_answer"]})).content
    cog: Any = trivia_bot.client.get_cog("TriviaCog")
    assert await cog.store.reports() == []  # not the operator's: the server's own review queue
    reported = await discord_admin.invoke("/trivia question review")
    assert reported.embed["title"] == "Reported: a question of this server" and "1 report" in reported.text()
    retired = await discord_admin.click(reported, "Retire")
    assert retired.content.startswith("Retired: no more rounds ask it.") and "Nothing waits" in retired.content
    assert "**retired**" in (await bob.invoke("/trivia question mine")).text()


async def test_two_admins_accepting_at_once_accept_once_and_another_server_never_sees_it(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_admin: DiscordUser
) -> None:
    gina = fake_discord.add_member("gina", manage_guild=True)
    await propose(discord_admin, "Which of us has seen Goblin twice?", "Alice\nGina", "1")
    first, second = await discord_admin.invoke("/trivia question review"), await gina.invoke("/trivia question review")
    answers = await asyncio.gather(discord_admin.click(first, "Accept"), gina.click(second, "Accept"))
    said = sorted(a.content for a in answers)
    assert len([s for s in said if s.startswith("Accepted")]) == 1, said
    assert len([s for s in said if "Another admin has dealt with that question already" in s]) == 1, said
    cog: Any = trivia_bot.client.get_cog("TriviaCog")
    fans = discord_admin.guild
    assert fans is not None and await cog.questions.store.count(fans.id) == 1

    erin = fake_discord.user("erin")  # the Drama Club's admin
    assert "Nothing waits for review" in (await erin.invoke("/trivia question review")).content
    assert "no accepted questions to export" in (await erin.invoke("/trivia question export")).content
    config = await erin.invoke("/trivia config")
    assert "Server questions" not in str(config.message.selects() if config.message else "")


async def test_a_pack_with_one_bad_question_imports_nothing_and_an_export_imports_whole_elsewhere(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_admin: DiscordUser
) -> None:
    bad = GOOD_PACK + '\n[[question]]\nprompt = "A third question, broken?"\noptions = ["yes", ""]\nanswer = 1\n'
    refused = await discord_admin.invoke("/trivia question import", file=FakeFile("pack.toml", bad.encode()))
    assert refused.ephemeral and "Nothing was imported: question 3: option 2 is empty" in refused.content
    for data, said in [
        (b"{not toml", "the file is not valid TOML"),
        (b"x" * (2 * 1024 * 1024), "a pack may be at most 1 MB"),
        (b'[[question]]\nprompt = "Only a prompt, no options?"\nanswer = 1\n', "question 1: the key 'options'"),
    ]:
        answer = await discord_admin.invoke("/trivia question import", file=FakeFile("pack.toml", data))
        assert answer.ephemeral and said in answer.content, answer.content
    bob = fake_discord.user("bob")
    assert "Manage Server" in (await bob.invoke("/trivia question import", file=FakeFile("p.toml", b""))).content
    assert "Manage Server" in (await bob.invoke("/trivia question export")).content

    done = await discord_admin.invoke("/trivia question import", file=FakeFile("pack.toml", GOOD_PACK.encode()))
    assert "Imported 2 questions" in done.content
    again = await discord_admin.invoke("/trivia question import", file=FakeFile("pack.toml", GOOD_PACK.encode()))
    assert "Imported 0 questions; 2 exact duplicates of questions this server has skipped" in again.content

    exported = await discord_admin.invoke("/trivia question export")
    assert exported.ephemeral and "2 accepted questions" in exported.content
    name, data = fake_discord.uploads[-1]
    assert name == "trivia-questions.toml" and b"Tteokbokki" in data
    erin = fake_discord.user("erin")
    moved = await erin.invoke("/trivia question import", file=FakeFile(name, data))
    assert "Imported 2 questions" in moved.content
    cog: Any = trivia_bot.client.get_cog("TriviaCog")
    fans, club = fake_discord.world.guilds[0].id, fake_discord.world.guilds[1].id
    ours = [q.question for q in await cog.questions.store.accepted(fans)]
    theirs = [q.question for q in await cog.questions.store.accepted(club)]
    assert ours == theirs and len(ours) == 2


async def test_an_admin_edits_a_proposal_in_its_form_filled_in(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_admin: DiscordUser
) -> None:
    await propose(discord_admin, "Which drama did we watch in March?", "Goblin\nHealer", "2", "We voted.")
    card = await discord_admin.invoke("/trivia question review")
    form = await discord_admin.click(card, "Edit")
    assert form.kind == "modal" and form.modal is not None and form.modal["title"] == "Edit this question"
    fields = {c["component"]["custom_id"]: c["component"] for c in form.modal["components"]}
    assert fields["prompt"]["value"] == "Which drama did we watch in March?"
    assert fields["options"]["value"] == "Goblin\nHealer" and fields["why"]["value"] == "We voted."
    assert [o["value"] for o in fields["right"]["options"] if o.get("default")] == ["2"]
    saved = await discord_admin.submit(
        form, {"prompt": "Which drama did we watch in April?", "options": "Goblin\nHealer", "right": ["1"]}
    )
    assert saved.ephemeral and saved.content.startswith("Saved")
    again = await discord_admin.invoke("/trivia question review")
    assert "Which drama did we watch in April?" in again.text() and "✅ Goblin" in again.text()


async def test_forget_me_and_delete_server_data_remove_proposals_names_and_a_servers_questions(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_admin: DiscordUser
) -> None:
    bob = fake_discord.user("bob")
    await discord_admin.invoke("/trivia config", submissions=True)
    await propose(bob, "Which of our watch parties was the loudest?", "March\nApril", "1")
    await discord_admin.click(await discord_admin.invoke("/trivia question review"), "Accept")
    await propose(bob, "Which of our snacks ran out first last time?", "Kimbap\nHotteok", "1")

    prompt = await bob.in_dm().invoke("/forget-me")
    assert "1 proposed question" in prompt.text() and "your name on 1 accepted question" in prompt.text()
    done = await bob.in_dm().click(prompt, "Delete my data")
    assert "1 proposed question and your name on 1 accepted question (the questions stay)" in done.content
    cog: Any = trivia_bot.client.get_cog("TriviaCog")
    fans = fake_discord.world.guilds[0].id
    [kept] = await cog.questions.store.accepted(fans)
    assert (kept.author_id, kept.author_name) == (None, "")
    assert await cog.questions.store.count(fans, "pending") == 0
    assert "Nothing waits for review" in (await discord_admin.invoke("/trivia question review")).content

    prompt = await discord_admin.invoke("/trivia delete-server-data")
    assert "1 question of the server's own (proposed or accepted)" in prompt.text()
    await discord_admin.click(prompt, "Delete server data")
    assert await cog.questions.store.count(fans) == 0
