"""The harness drives a well-behaved bot the way users would: commands, options, autocomplete, buttons,
deferrals, ephemeral answers, permissions and contexts."""

from __future__ import annotations

import asyncio

import discord
import pytest

from fake_discord import DiscordUser, FakeDiscord, InvalidInvocation, Perm
from fake_discord.bots import InProcessBot
from fake_discord.demo_bot import DemoBot
from fake_discord.pytest_plugin import StartBot
from fake_discord.rawbot import RawBot


@pytest.fixture
async def demo(start_bot: StartBot) -> InProcessBot:
    return await start_bot(DemoBot)


async def test_connects_with_the_intents_it_asked_for_and_syncs_its_commands(
    fake_discord: FakeDiscord,
    demo: InProcessBot,
) -> None:
    assert fake_discord.gateway.stats.identifies == 1
    assert fake_discord.gateway.stats.intents == [demo.client.intents.value]
    assert {"ping", "echo", "moment", "rank", "about"} <= set(fake_discord.command_names())
    assert len(fake_discord.requests("PUT", "/applications/{application_id}/commands")) == 1
    assert {g.name for g in demo.client.guilds} == {"K-Drama Fans", "Drama Club"}


async def test_a_slash_command_answers_with_what_the_user_sees(discord_user: DiscordUser, demo: InProcessBot) -> None:
    reply = await discord_user.invoke("/ping")
    assert reply.kind == "message"
    assert reply.content == "pong"
    assert not reply.ephemeral


async def test_typed_options_arrive_as_the_bot_expects(discord_user: DiscordUser, demo: InProcessBot) -> None:
    assert (await discord_user.invoke("/echo", text="hi", times=2, shout=True)).content == "HI HI"
    assert (await discord_user.invoke("/whois", who="alice")).content == "alice manages the server"
    assert (await discord_user.invoke("/whois", who=discord_user)).content == "bob is a fan"
    where = await discord_user.invoke("/where", place="trivia")
    assert where.ephemeral
    assert discord_user.guild is not None
    assert where.content == f"That is <#{discord_user.guild.channel('trivia').id}>"


async def test_options_the_discord_client_would_refuse_are_refused(
    discord_user: DiscordUser,
    demo: InProcessBot,
) -> None:
    with pytest.raises(InvalidInvocation, match="required"):
        await discord_user.invoke("/echo")
    with pytest.raises(InvalidInvocation, match="1 to 5"):
        await discord_user.invoke("/echo", text="x", times=9)
    with pytest.raises(InvalidInvocation, match="not registered"):
        await discord_user.invoke("/nope")
    with pytest.raises(InvalidInvocation, match="needs a subcommand"):
        await discord_user.invoke("/moment")


async def test_subcommands_and_autocomplete(discord_user: DiscordUser, demo: InProcessBot) -> None:
    choices = await discord_user.autocomplete("/moment show", title="goblin")
    assert [c.value for c in choices] == ["The first snow (Goblin)"]
    reply = await discord_user.invoke("/moment show", title=choices[0].value)
    assert reply.embed["title"] == "#1: The first snow (Goblin)"
    assert "A perfect moment." in reply.text()


async def test_clicking_buttons_edits_the_message(discord_user: DiscordUser, demo: InProcessBot) -> None:
    first = await discord_user.invoke("/rank", number=1)
    assert first.button("Previous").disabled
    second = await discord_user.click(first, "Next")
    assert second.kind == "update"
    assert second.id == first.id
    assert second.embed["title"].startswith("#2")
    assert not second.button("Previous").disabled
    with pytest.raises(InvalidInvocation, match="disabled"):
        await discord_user.click(await discord_user.invoke("/rank", number=5), "Next")


async def test_deferred_answers_are_awaited(discord_user: DiscordUser, demo: InProcessBot) -> None:
    public = await discord_user.invoke("/slow")
    assert (public.kind, public.content, public.ephemeral) == ("deferred", "Done thinking.", False)
    private = await discord_user.invoke("/slow", private=True)
    assert private.ephemeral
    edited = await discord_user.invoke("/slowedit")
    assert (edited.content, edited.ephemeral) == ("Edited after thinking.", True)


async def test_a_deferred_update_then_an_edit(
    fake_discord: FakeDiscord,
    discord_user: DiscordUser,
    discord_admin: DiscordUser,
    demo: InProcessBot,
) -> None:
    poll = await discord_user.invoke("/poll")
    clicked = await discord_user.click(poll, "Vote")
    assert clicked.kind == "deferred_update"
    assert (await fake_discord.wait_for_edit(poll)).content == "Votes: 1"
    again = await discord_user.click(poll, "Vote")
    assert (again.kind, again.content, again.ephemeral) == ("message", "You already voted.", True)
    await discord_admin.click(poll, "Vote")
    assert (await fake_discord.wait_for_edit(poll, predicate=lambda r: r.content == "Votes: 2")).version >= 2


async def test_permissions_and_contexts(
    fake_discord: FakeDiscord,
    discord_user: DiscordUser,
    discord_admin: DiscordUser,
    demo: InProcessBot,
) -> None:
    assert discord_admin.permissions & Perm.MANAGE_GUILD
    assert (await discord_admin.invoke("/admin")).content == "admin ok"
    with pytest.raises(InvalidInvocation, match="does not see /admin"):
        await discord_user.invoke("/admin")
    assert (await discord_user.invoke("/admin", granted=True)).content == "you lack Manage Server"
    assert (await discord_user.in_dm().invoke("/about")).embed["description"] == "Hi from a DM"
    assert (await discord_user.in_private_channel().invoke("/about")).embed["description"] == "Hi from a DM"
    with pytest.raises(InvalidInvocation, match="not offered in a DM"):
        await discord_user.in_dm().invoke("/admin")
    dave = fake_discord.user("dave")
    assert dave.guild is not None and dave.guild.name == "Drama Club"
    assert (await dave.invoke("/about")).embed["description"] == "Hi from a server"


async def test_channel_posts_can_be_awaited(
    fake_discord: FakeDiscord,
    discord_admin: DiscordUser,
    demo: InProcessBot,
) -> None:
    trivia = fake_discord.channel("trivia")
    reply = await discord_admin.invoke("/post", channel=trivia, text="Round 1")
    posted = await fake_discord.wait_for_message(trivia)
    assert reply.content == f"posted {posted.id}"
    assert posted.content == "Round 1"
    assert fake_discord.messages_in(trivia, include_replies=False)[0].content == "Round 1"


async def test_restart_keeps_the_registered_commands(
    fake_discord: FakeDiscord,
    discord_user: DiscordUser,
    start_bot: StartBot,
) -> None:
    bot = await start_bot(DemoBot)
    await bot.stop()
    bot.factory = lambda: DemoBot(sync=False)
    await bot.start()
    assert len(fake_discord.requests("PUT", "/applications/{application_id}/commands")) == 1
    assert (await discord_user.invoke("/ping")).content == "pong"
    assert fake_discord.gateway.stats.identifies == 2


async def test_the_other_routes_answer_what_discord_py_parses(
    fake_discord: FakeDiscord,
    start_bot: StartBot,
    discord_user: DiscordUser,
) -> None:
    """Followup edits, @original get/delete, channel fetch, message get/edit/delete, DMs, guild lookups,
    single-command routes: each answers in a shape discord.py 2.7 turns into its objects."""
    bot = RawBot()
    seen: dict[str, object] = {}
    trivia = fake_discord.channel("trivia")
    done = asyncio.Event()

    @bot.command("tour")
    async def tour(interaction: discord.Interaction) -> None:
        try:
            await visit(interaction)
        finally:
            done.set()

    async def visit(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("original")
        followup = await interaction.followup.send("followup", wait=True)
        await followup.edit(content="followup edited")
        seen["original"] = (await interaction.original_response()).content
        await interaction.delete_original_response()
        channel = await bot.fetch_channel(trivia.id)
        assert isinstance(channel, discord.TextChannel)
        posted = await channel.send("posted")
        await (await channel.fetch_message(posted.id)).edit(content="posted edited")
        seen["history"] = [m.content async for m in channel.history(limit=5)]
        await posted.delete()
        dm = await (await bot.fetch_user(discord_user.id)).create_dm()
        seen["dm"] = (await dm.send("hello")).content
        guild = await bot.fetch_guild(fake_discord.guild.id)
        seen["member"] = (await guild.fetch_member(discord_user.id)).name
        seen["channels"] = len(await guild.fetch_channels())
        commands = await bot.tree.fetch_commands()
        seen["commands"] = [(await bot.tree.fetch_command(c.id)).name for c in commands]

    await start_bot(lambda: bot)
    record = await discord_user.send_command("/tour")
    await asyncio.wait_for(done.wait(), 5)
    assert record.original is not None and record.original.deleted
    assert [m.content for m in record.followups] == ["followup edited"]
    assert seen == {
        "original": "original",
        "history": ["posted edited"],
        "dm": "hello",
        "member": "bob",
        "channels": 3,
        "commands": ["tour"],
    }
    assert fake_discord.messages_in(trivia) == []


async def test_a_menu_is_chosen_in_as_discords_client_allows(discord_user: DiscordUser, demo: InProcessBot) -> None:
    menu = await discord_user.invoke("/pick")
    for bad in ([], ["0", "1", "2"], ["9"]):
        with pytest.raises(InvalidInvocation, match="the menu offers"):
            await discord_user.choose(menu, bad)
    picked = await discord_user.choose(menu, ["0", "2"])
    assert picked.kind == "update" and picked.content == "Picked: The first snow (Goblin), The confession (Reply 1988)"
    assert picked.components == []


async def test_a_form_is_filled_in_and_sent(discord_user: DiscordUser, demo: InProcessBot) -> None:
    form = await discord_user.invoke("/feedback")
    assert form.kind == "modal" and form.modal is not None and form.modal["title"] == "Feedback"
    with pytest.raises(InvalidInvocation, match="offers"):
        await discord_user.submit(form, {"mood": ["angry"]})
    thanks = await discord_user.submit(form, {"mood": ["happy"], "note": "lovely"})
    assert thanks.ephemeral and thanks.content == "Thanks: happy / lovely"
    with pytest.raises(InvalidInvocation, match="not a form"):
        await discord_user.submit(thanks, {})


async def test_a_user_speaking_korean_sends_the_locale_ko(
    fake_discord: FakeDiscord, start_bot: StartBot, discord_user: DiscordUser
) -> None:
    bot = RawBot()

    @bot.tree.command(name="language", description="The language of the member's Discord")
    async def language(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(str(interaction.locale))

    await start_bot(lambda: bot)
    korean, english = discord_user.speaking("ko"), discord_user.speaking("en-US")
    answers = await asyncio.gather(korean.invoke("/language"), english.invoke("/language"))
    assert [a.content for a in answers] == ["ko", "en-US"]
    assert korean.in_dm().locale == "ko" and discord_user.locale == "en-US"
