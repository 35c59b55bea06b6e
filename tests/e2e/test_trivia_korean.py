"""Trivia in a server's language through the fake Discord, with the real bot: a Korean server's rounds and
reveals in Korean, each member's own replies in their Discord's language, and `/trivia config language:`
switching the next round."""

from __future__ import annotations

from typing import Any

from bot.trivia import cards as trivia_cards
from bot.trivia.questions import DRAMA_OF_SCENE, YEAR_OF_DRAMA
from fake_discord import DiscordUser, FakeDiscord, FakeFile, Reply
from fake_discord.bots import InProcessBot
from tests.conftest import FakeClock
from tests.e2e.test_trivia import labels, revealed, set_up_channel, start_round
from tests.e2e.test_trivia_server_questions import GOOD_PACK, forged_click, propose


async def _question(bot: InProcessBot, posted: Reply) -> Any:
    cog: Any = bot.client.get_cog("TriviaCog")
    return (await cog.store.round(int(posted.buttons[0].custom_id.split(":")[2]))).question


async def test_a_korean_server_asks_and_reveals_in_korean_while_each_member_is_answered_in_their_language(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    admin = discord_admin.speaking("ko")
    await set_up_channel(discord_admin)
    config = await admin.invoke("/trivia config", language="ko")
    assert config.ephemeral and "다음 문제부터 퀴즈를 한국어로 올릴게요." in config.text(), config.text()
    assert "한국어" in config.text()
    posted = await start_round(fake_discord, discord_admin)
    question = await _question(trivia_bot, posted)
    korean = trivia_cards.asked_in(question, trivia_bot.client.catalogue, "ko")
    assert posted.embed["title"].startswith("퀴즈: ")
    assert f"**{korean.prompt}**" in posted.embed["description"] and korean.prompt != question.prompt
    assert "마감돼요" in posted.embed["description"] and "처음 누른 답이 최종 답" in posted.embed["footer"]["text"]
    assert labels(posted) == list(korean.options)
    english, hangul = fake_discord.user("bob").speaking("en-US"), fake_discord.user("carol").speaking("ko")
    right = labels(posted)[question.answer]
    en_reply = await english.click(posted, right)
    ko_reply = await hangul.click(posted, right)
    assert en_reply.ephemeral and en_reply.content.startswith(f"Your answer **{question.right}** is in"), en_reply
    assert ko_reply.ephemeral and f"**{korean.right}**, 답이 접수됐어요." in ko_reply.content, ko_reply.content
    again = await english.click(posted, labels(posted)[0])
    assert "You already answered this round" in again.content
    clock.advance(30)
    reveal = await revealed(fake_discord, posted)
    assert reveal.embed["title"].startswith("퀴즈: ") and reveal.embed["title"].endswith("(마감)")
    assert f"정답: **{korean.right}**" in reveal.embed["description"]
    fields = {f["name"]: f["value"] for f in reveal.embed["fields"]}
    assert "맞힌 사람 (2명 중 2명)" in fields and "서버 멤버들의 선택" in fields
    assert "이번 문제는 마감됐어요" in reveal.embed["footer"]["text"]
    assert "오류 신고" in labels(reveal)


async def test_trivia_config_language_switches_the_next_round_and_the_question_keeps_its_key(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    first = await start_round(fake_discord, discord_admin)
    assert first.embed["title"].startswith("Trivia: ")  # the fake's server prefers en-US: English by default
    clock.advance(30)
    await revealed(fake_discord, first)
    await discord_admin.invoke("/trivia config", language="ko")
    second = await start_round(fake_discord, discord_admin)
    assert second.embed["title"].startswith("퀴즈: ")
    clock.advance(30)
    await revealed(fake_discord, second)
    reply = await discord_admin.invoke("/trivia config", language="en")
    assert "Trivia will be posted in English from the next round on." in reply.text()
    third = await start_round(fake_discord, discord_admin)
    assert third.embed["title"].startswith("Trivia: ")
    question = await _question(trivia_bot, second)
    korean = trivia_cards.asked_in(question, trivia_bot.client.catalogue, "ko")
    assert (korean.key, korean.kind, korean.answer, len(korean.options)) == (
        question.key,
        question.kind,
        question.answer,
        len(question.options),
    )


async def test_boards_scores_and_seasons_follow_the_member_and_the_final_board_the_server(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    await discord_admin.invoke("/trivia config", language="ko")
    posted = await start_round(fake_discord, discord_admin)
    question = await _question(trivia_bot, posted)
    english, hangul = fake_discord.user("bob").speaking("en-US"), fake_discord.user("carol").speaking("ko")
    await english.click(posted, labels(posted)[question.answer])
    await hangul.click(posted, labels(posted)[question.answer])
    clock.advance(30)
    await revealed(fake_discord, posted)
    score_ko, score_en = await hangul.invoke("/trivia score"), await english.invoke("/trivia score")
    assert score_ko.embed["title"].startswith("퀴즈 점수: ") and "1문제 중 1점" in score_ko.text(), score_ko.text()
    assert score_en.embed["title"].startswith("Trivia score: ") and "1 point in 1 round" in score_en.text()
    board_ko = await hangul.invoke("/trivia leaderboard")
    assert board_ko.embed["title"].startswith("퀴즈 순위표: ") and "시즌 1" in board_ko.embed["title"]
    assert "내 순위는 **" in board_ko.text()
    prompt = await discord_admin.invoke("/trivia season new")  # the admin's Discord speaks English
    assert "End season 1?" in prompt.text()
    done = await discord_admin.click(prompt, "End season 1")
    assert "Season 1 has ended" in done.text()
    assert discord_admin.guild is not None
    final = await fake_discord.wait_for_message(discord_admin.guild.channel("trivia"), timeout=5)
    assert final.embed["title"].startswith("시즌 1 최종 순위: ") and "1문제 중 1점" in final.embed["description"]


async def test_a_korean_members_about_and_report_replies_are_korean(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    admin = discord_admin.speaking("ko")
    channel = await admin.invoke("/trivia channel", channel=admin.guild.channel("trivia") if admin.guild else None)
    assert "이제 퀴즈 문제를" in channel.content, channel.content
    posted = await start_round(fake_discord, discord_admin)
    clock.advance(30)
    reveal = await revealed(fake_discord, posted)
    about = next(label for label in labels(reveal) if label.startswith("About "))
    hangul = fake_discord.user("carol").speaking("ko")
    drama = await hangul.click(reveal, about)
    assert drama.ephemeral and "출연" in drama.text() and "줄거리와 소개는 저희가 직접 썼어요" in drama.text()
    stopped = await admin.invoke("/trivia stop")
    assert stopped.content.startswith("멈출 퀴즈 일정이 없었어요."), stopped.content


async def test_the_config_card_follows_the_admins_language_and_names_the_servers(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_admin: DiscordUser
) -> None:
    await set_up_channel(discord_admin)
    english = await discord_admin.invoke("/trivia config")
    fields = {f["name"]: f["value"] for f in english.embed["fields"]}
    assert english.embed["title"] == "Trivia settings" and fields["Language"].startswith("English (the server's own")
    korean = await discord_admin.speaking("ko").invoke("/trivia schedule", minutes=60)
    assert korean.content
    card = await discord_admin.speaking("ko").invoke("/trivia config", language="ko")
    fields = {f["name"]: f["value"] for f in card.embed["fields"]}
    assert card.embed["title"] == "퀴즈 설정" and fields["언어"] == "한국어"
    assert fields["일정"].startswith("60분마다, 다음 문제 <t:"), fields["일정"]
    assert fields["답변 시간"] == "30초" and fields["알림"] == "끔"


async def test_errors_and_settings_changes_are_told_in_the_admins_language(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, discord_admin: DiscordUser
) -> None:
    admin = discord_admin.speaking("ko")
    denied = await fake_discord.user("bob").speaking("ko").invoke("/trivia start")
    assert denied.ephemeral and denied.content.startswith("이 명령을 쓰려면 서버 관리 권한이 필요해요."), denied.content
    denied_en = await fake_discord.user("bob").invoke("/trivia start")
    assert denied_en.content.startswith("You need the Manage Server permission to do that.")
    usage = await admin.invoke("/trivia schedule")
    assert usage.content.startswith("`간격`(몇 분마다 한 문제)과 `시각`"), usage.content
    await set_up_channel(discord_admin)
    scheduled = await admin.invoke("/trivia schedule", time="21:00", days="mon-fri")
    assert "월–금 21:00에 (UTC 기준) 퀴즈를 열어요." in scheduled.content, scheduled.content
    changed = await admin.invoke("/trivia config", answer_seconds=60, submissions=True)
    assert "답변 시간: 1분 (다음 문제부터 적용돼요)." in changed.text(), changed.text()
    assert "이제 모든 멤버가" in changed.text()
    fields = {f["name"]: f["value"] for f in changed.embed["fields"]}
    assert fields["일정"].startswith("월–금 21:00 (UTC), 다음 문제 <t:"), fields["일정"]


async def test_store_and_clock_errors_the_kinds_notice_and_the_report_form_follow_the_members_language(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    admin = discord_admin.speaking("ko")
    no_channel = await admin.invoke("/trivia schedule", minutes=60)
    assert no_channel.content.startswith("이 서버에는 아직 퀴즈 채널이 없어요."), no_channel.content
    await set_up_channel(discord_admin)
    bad_time = await admin.invoke("/trivia schedule", time="25:00")
    assert bad_time.content.startswith("`25:00`은(는) 쓸 수 있는 시각이 아니에요."), bad_time.content
    bad_days = await admin.invoke("/trivia schedule", time="21:00", days="someday")
    assert bad_days.content.startswith("`someday`에는 요일이 하나도 없어요."), bad_days.content
    bad_zone = await admin.invoke("/trivia config", timezone="Mars/Olympus")
    assert "`Mars/Olympus`은(는) 제가 아는 시간대가 아니에요." in bad_zone.content, bad_zone.content
    assert "is not a time of day" in (await discord_admin.invoke("/trivia schedule", time="25:00")).content

    config = await admin.invoke("/trivia config")
    changed = await admin.choose(config, [YEAR_OF_DRAMA])
    assert changed.content.startswith("다음 문제부터는 이런 문제만 나와요: 드라마 방영 연도("), changed.content
    every = await discord_admin.choose(await discord_admin.invoke("/trivia config"), [YEAR_OF_DRAMA, DRAMA_OF_SCENE])
    assert every.content.startswith("From the next round on, rounds ask only:"), every.content

    posted = await start_round(fake_discord, discord_admin)
    clock.advance(30)
    reveal = await revealed(fake_discord, posted)
    form = await fake_discord.user("carol").speaking("ko").click(reveal, "Report a problem")
    assert form.modal is not None and form.modal["title"] == "이 문제의 오류 신고"
    [field] = form.modal["components"]
    assert field["label"] == "어떤 점이 잘못됐나요?"
    assert [o["label"] for o in field["component"]["options"]] == ["정답이 틀렸어요", "문제가 애매해요", "기타"]
    english = await fake_discord.user("bob").speaking("en-US").click(reveal, "Report a problem")
    assert english.modal is not None and english.modal["title"] == "Report a problem with this question"


async def test_server_questions_speak_each_members_language_and_the_reveal_credits_in_the_servers(
    fake_discord: FakeDiscord, trivia_bot: InProcessBot, clock: FakeClock, discord_admin: DiscordUser
) -> None:
    admin = discord_admin.speaking("ko")
    hangul, english = fake_discord.user("carol").speaking("ko"), fake_discord.user("bob").speaking("en-US")
    await set_up_channel(discord_admin)
    closed_ko, closed_en = await hangul.invoke("/trivia question add"), await english.invoke("/trivia question add")
    assert "서버 관리 권한이 있는 멤버만 문제를 제안할 수 있어요" in closed_ko.content, closed_ko.content
    assert "only members with Manage Server propose questions" in closed_en.content
    await discord_admin.invoke("/trivia config", submissions=True)

    form = await hangul.invoke("/trivia question add")
    assert form.modal is not None and form.modal["title"] == "퀴즈 문제 제안하기"
    parts = {c["component"]["custom_id"]: c for c in form.modal["components"]}
    assert (
        parts["prompt"]["label"] == "문제"
        and parts["options"]["component"]["placeholder"] == "도깨비\n힐러\n오징어 게임"
    )
    assert [o["label"] for o in parts["right"]["component"]["options"]][:2] == ["첫 번째 줄", "두 번째 줄"]
    form_en = await english.invoke("/trivia question add")
    assert form_en.modal is not None and form_en.modal["title"] == "Propose a trivia question"
    refused = await propose(hangul, "우리 서버가 처음 함께 본 드라마는?", "도깨비\n  \n힐러", "1")
    assert "이 문제는 받을 수 없어요: 2번 보기가 비어 있어요." in refused.content, refused.content
    refused_en = await propose(english, "Which drama did we watch first?", "Goblin\n  \nHealer", "1")
    assert "That question can't be taken: option 2 is empty." in refused_en.content
    thanks = await propose(
        hangul, "우리 서버가 처음 함께 본 드라마는?", "도깨비\n힐러", "2", "2022년에 힐러로 시작했어요."
    )
    assert thanks.content.startswith("고마워요!") and "10개 중 1개 사용" in thanks.content, thanks.content
    mine = await hangul.invoke("/trivia question mine")
    assert mine.embed["title"] == "내가 제안한 문제" and "**검토 대기 중**" in mine.text()
    assert "You haven't proposed a question" in (await english.invoke("/trivia question mine")).content

    card = await admin.invoke("/trivia question review")
    assert card.embed["title"] == "검토: 제안된 퀴즈 문제" and "검토를 기다리는 제안 1개" in card.text(), card.text()
    assert labels(card) == ["승인", "거절", "수정"] and {f["name"] for f in card.embed["fields"]} == {"보기", "이유"}
    accept = card.button("승인")
    assert accept is not None and accept.custom_id is not None
    not_admin = await forged_click(fake_discord, hangul, card, accept.custom_id)
    assert "문제를 검토하려면 서버 관리 권한이 필요해요." in not_admin.content
    done = await admin.click(card, "승인")
    assert (
        "승인했어요. 이제 이 서버의 퀴즈에 나와요." in done.content and "검토를 기다리는 문제가 없어요" in done.content
    )
    assert "**승인됨**" in (await hangul.invoke("/trivia question mine")).text()

    bad = GOOD_PACK + '\n[[question]]\nprompt = "A third question, broken?"\noptions = ["yes", ""]\nanswer = 1\n'
    import_ko = await admin.invoke("/trivia question import", file=FakeFile("pack.toml", bad.encode()))
    assert "아무것도 가져오지 않았어요: 3번 문제: 2번 보기가 비어 있어요." in import_ko.content, import_ko.content
    imported = await admin.invoke("/trivia question import", file=FakeFile("pack.toml", GOOD_PACK.encode()))
    assert "문제 2개를 가져왔어요." in imported.content, imported.content
    exported = await admin.invoke("/trivia question export")
    assert "승인된 문제 3개를 팩으로 만들었어요" in exported.content, exported.content
    assert "3 accepted questions" in (await discord_admin.invoke("/trivia question export")).content

    await discord_admin.invoke("/trivia config", language="ko")
    config = await discord_admin.invoke("/trivia config")
    await discord_admin.choose(config, ["server"])
    for _ in range(3):  # the server's three questions, in some order: the reveal of carol's credits her in Korean
        posted = await start_round(fake_discord, discord_admin)
        clock.advance(31)
        reveal = await revealed(fake_discord, posted)
        if "우리 서버가" in posted.embed["description"]:
            assert "✍️ 출제: " in reveal.embed["description"] and "Question by" not in reveal.embed["description"]
            break
    else:
        raise AssertionError("carol's question was never asked")


async def test_a_server_whose_discord_speaks_korean_gets_korean_rounds_until_its_admins_choose(
    fake_discord: FakeDiscord, trivia_database: Any, start_bot: Any, clock: FakeClock
) -> None:
    """No `/trivia config language:`: the server's preferred locale (its Discord settings) decides."""
    from tests.conftest import trivia_bot_factory

    fake_discord.guild.preferred_locale = "ko"  # before the bot's session: its GUILD_CREATE says so
    await start_bot(trivia_bot_factory(trivia_database, clock))
    admin = fake_discord.user("alice")
    await set_up_channel(admin)
    posted = await start_round(fake_discord, admin)
    assert posted.embed["title"].startswith("퀴즈: "), posted.embed
    english = await admin.invoke("/trivia config", language="en")
    assert english.ephemeral, english.content
    clock.advance(30)
    await revealed(fake_discord, posted)
    again = await start_round(fake_discord, admin)
    assert again.embed["title"].startswith("Trivia: "), again.embed
