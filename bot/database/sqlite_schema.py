"""The schema in SQLite's words: MIGRATIONS, appended to and never edited once released. No discord import.

Number for number the same schema as bot/database/postgresql_schema.py; expand-then-contract (bot/database/versions.py,
CONTRIBUTING.md "Add a database migration").
"""

from __future__ import annotations

from collections.abc import Sequence

MIGRATIONS: Sequence[str] = (
    # 1: the catalogue, rebuilt from the seed file, and a key-value table for the bot's own state.
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE moments (
        rank          INTEGER PRIMARY KEY,
        scene         TEXT NOT NULL UNIQUE,
        drama         TEXT NOT NULL,
        year          INTEGER NOT NULL,
        episode       INTEGER,
        episode_note  TEXT,
        synopsis      TEXT NOT NULL,
        why           TEXT NOT NULL
    );
    CREATE TABLE drama_aliases (
        rank   INTEGER NOT NULL REFERENCES moments(rank) ON DELETE CASCADE,
        alias  TEXT NOT NULL,
        PRIMARY KEY (rank, alias)
    );
    CREATE TABLE cast_members (
        rank               INTEGER NOT NULL REFERENCES moments(rank) ON DELETE CASCADE,
        position           INTEGER NOT NULL,
        actor              TEXT NOT NULL,
        character          TEXT NOT NULL,
        character_aliases  TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (rank, position)
    );
    CREATE INDEX cast_members_by_actor ON cast_members(actor);
    CREATE TABLE songs (
        rank      INTEGER NOT NULL REFERENCES moments(rank) ON DELETE CASCADE,
        position  INTEGER NOT NULL,
        title     TEXT NOT NULL,
        artist    TEXT,
        PRIMARY KEY (rank, position)
    );
    """,
    # 2: trivia. Settings and schedules per guild, rounds, answers (one per member per round,
    # enforced here), scores, and which questions a guild has seen in its current cycle.
    # Times are Unix seconds. A round's `question` is the JSON of the question as asked (options in order).
    # Leaderboard order: most points first, then fewer rounds answered (the more accurate) first.
    """
    CREATE TABLE guild_settings (
        guild_id          INTEGER PRIMARY KEY,
        channel_id        INTEGER,
        interval_minutes  INTEGER,
        answer_seconds    INTEGER NOT NULL DEFAULT 30,
        next_round_at     REAL,
        last_error        TEXT,
        last_error_at     REAL
    );
    CREATE INDEX guild_settings_due ON guild_settings(next_round_at) WHERE next_round_at IS NOT NULL;
    CREATE TABLE rounds (
        id            INTEGER PRIMARY KEY,
        guild_id      INTEGER NOT NULL,
        channel_id    INTEGER NOT NULL,
        message_id    INTEGER,
        question_key  TEXT NOT NULL,
        question      TEXT NOT NULL,
        opened_at     REAL NOT NULL,
        closes_at     REAL NOT NULL,
        closed_at     REAL
    );
    CREATE UNIQUE INDEX rounds_one_open_per_guild ON rounds(guild_id) WHERE closed_at IS NULL;
    CREATE INDEX rounds_open_by_close_time ON rounds(closes_at) WHERE closed_at IS NULL;
    CREATE INDEX rounds_by_guild ON rounds(guild_id, id);
    CREATE TABLE answers (
        round_id      INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        user_id       INTEGER NOT NULL,
        choice        INTEGER NOT NULL,
        display_name  TEXT NOT NULL DEFAULT '',
        answered_at   REAL NOT NULL,
        PRIMARY KEY (round_id, user_id)
    ) WITHOUT ROWID;
    CREATE TABLE scores (
        guild_id         INTEGER NOT NULL,
        user_id          INTEGER NOT NULL,
        display_name     TEXT NOT NULL DEFAULT '',
        points           INTEGER NOT NULL DEFAULT 0,
        rounds_answered  INTEGER NOT NULL DEFAULT 0,
        streak           INTEGER NOT NULL DEFAULT 0,
        best_streak      INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (guild_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX scores_leaderboard ON scores(guild_id, points DESC, rounds_answered, user_id);
    CREATE TABLE asked_questions (
        guild_id      INTEGER NOT NULL,
        question_key  TEXT NOT NULL,
        PRIMARY KEY (guild_id, question_key)
    ) WITHOUT ROWID;
    """,
    # 3: a round is its message. Round ids are never reused (AUTOINCREMENT, and rounds are no longer deleted
    # when their post fails: they are kept, closed, as failed). A round's answer time starts when its message
    # is posted, so `closes_at` stays NULL until then; `revealed_at` says its message shows the answer.
    # A guild remembers whether the bot was removed from it, and why its schedule was paused.
    """
    CREATE TABLE rounds_v3 (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        guild_id        INTEGER NOT NULL,
        channel_id      INTEGER NOT NULL,
        message_id      INTEGER,
        question_key    TEXT NOT NULL,
        question        TEXT NOT NULL,
        answer_seconds  INTEGER NOT NULL,
        opened_at       REAL NOT NULL,
        posted_at       REAL,
        closes_at       REAL,
        closed_at       REAL,
        revealed_at     REAL,
        failed          INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO rounds_v3 (id, guild_id, channel_id, message_id, question_key, question, answer_seconds,
                           opened_at, posted_at, closes_at, closed_at, revealed_at)
        SELECT id, guild_id, channel_id, message_id, question_key, question,
               CAST(ROUND(closes_at - opened_at) AS INTEGER), opened_at, opened_at, closes_at, closed_at, closed_at
        FROM rounds;
    DROP TABLE rounds;
    ALTER TABLE rounds_v3 RENAME TO rounds;
    CREATE UNIQUE INDEX rounds_one_open_per_guild ON rounds(guild_id) WHERE closed_at IS NULL;
    CREATE INDEX rounds_open_by_close_time ON rounds(closes_at) WHERE closed_at IS NULL;
    CREATE INDEX rounds_by_guild ON rounds(guild_id, id);
    CREATE INDEX rounds_to_reveal ON rounds(closed_at) WHERE revealed_at IS NULL AND failed = 0;
    ALTER TABLE guild_settings ADD COLUMN removed_at REAL;
    ALTER TABLE guild_settings ADD COLUMN post_failures INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE guild_settings ADD COLUMN paused_reason TEXT
    """,
    # 4: privacy (bot/privacy). A member's answers and scores in every server are found by index, for
    # /forget-me. A display name is kept as last seen: scores take it from each round the member answers
    # (at its close), and a round's answers keep theirs only until the server's next round closes (the
    # trigger; that round's reveal needs them until then). This clears the names of rounds closed before,
    # all but each server's latest. The trigger finds the previous round on rounds_by_guild, and its
    # answers by their primary key.
    """
    CREATE INDEX answers_by_user ON answers(user_id);
    CREATE INDEX scores_by_user ON scores(user_id);
    UPDATE answers SET display_name = '' WHERE display_name <> '' AND round_id IN (
        SELECT r.id FROM rounds AS r WHERE r.closed_at IS NOT NULL AND r.id < (
            SELECT MAX(l.id) FROM rounds AS l WHERE l.guild_id = r.guild_id AND l.closed_at IS NOT NULL
        )
    );
    CREATE TRIGGER answers_keep_only_the_last_names AFTER UPDATE OF closed_at ON rounds
    WHEN OLD.closed_at IS NULL AND NEW.closed_at IS NOT NULL
    BEGIN
        UPDATE answers SET display_name = '' WHERE display_name <> '' AND round_id = (
            SELECT id FROM rounds WHERE guild_id = NEW.guild_id AND id < NEW.id AND closed_at IS NOT NULL
            ORDER BY id DESC LIMIT 1
        );
    END;
    """,
    # 5: leaderboards by period, and seasons (bot/trivia). `period_scores` holds a member's points and rounds
    # answered per week (period_key: its Monday, UTC, '2026-11-30'), per month ('2026-12') and per season
    # ('3'), added to in the transaction that closes a round; `scores` stays the all-time board (and the
    # streaks). Each board is one range of period_scores_board (guild, kind, key, then the board's order), so
    # a weekly, monthly or season board reads its top 10 and a member's place without a scan; a member's rows
    # are found by period_scores_by_user (/forget-me). `guild_settings.season` is the season rounds count in
    # now; `seasons` keeps when each ended one ended. Points so far become season 1, and weeks and months are
    # rebuilt from the answers still kept. `question_kinds` is the JSON list of the kinds of question a server
    # chose (/trivia config); NULL is every kind. `question_reports`: a member's report of a problem with a
    # round's question (one per member per round, by its primary key), listed for the operator newest first
    # (question_reports_newest), found by member for /forget-me and by server for its deletion.
    """
    ALTER TABLE guild_settings ADD COLUMN season INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE guild_settings ADD COLUMN question_kinds TEXT;
    CREATE TABLE seasons (
        guild_id  INTEGER NOT NULL,
        number    INTEGER NOT NULL,
        ended_at  REAL NOT NULL,
        PRIMARY KEY (guild_id, number)
    ) WITHOUT ROWID;
    CREATE TABLE period_scores (
        guild_id         INTEGER NOT NULL,
        period_kind      TEXT NOT NULL,
        period_key       TEXT NOT NULL,
        user_id          INTEGER NOT NULL,
        points           INTEGER NOT NULL DEFAULT 0,
        rounds_answered  INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (guild_id, period_kind, period_key, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX period_scores_board
        ON period_scores(guild_id, period_kind, period_key, points DESC, rounds_answered, user_id);
    CREATE INDEX period_scores_by_user ON period_scores(user_id);
    CREATE TABLE question_reports (
        round_id      INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        user_id       INTEGER NOT NULL,
        guild_id      INTEGER NOT NULL,
        question_key  TEXT NOT NULL,
        reason        TEXT NOT NULL,
        reported_at   REAL NOT NULL,
        PRIMARY KEY (round_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX question_reports_newest ON question_reports(reported_at);
    CREATE INDEX question_reports_by_user ON question_reports(user_id);
    CREATE INDEX question_reports_by_guild ON question_reports(guild_id);
    INSERT INTO period_scores (guild_id, period_kind, period_key, user_id, points, rounds_answered)
        SELECT guild_id, 'season', '1', user_id, points, rounds_answered FROM scores WHERE rounds_answered > 0;
    INSERT INTO period_scores (guild_id, period_kind, period_key, user_id, points, rounds_answered)
        SELECT r.guild_id, 'week', date(r.closed_at, 'unixepoch', 'weekday 0', '-6 days'), a.user_id,
               COALESCE(SUM(a.choice = json_extract(r.question, '$.answer')), 0), COUNT(*)
        FROM answers AS a JOIN rounds AS r ON r.id = a.round_id
        WHERE r.closed_at IS NOT NULL AND r.failed = 0 AND json_valid(r.question)
        GROUP BY 1, 2, 3, 4;
    INSERT INTO period_scores (guild_id, period_kind, period_key, user_id, points, rounds_answered)
        SELECT r.guild_id, 'month', strftime('%Y-%m', r.closed_at, 'unixepoch'), a.user_id,
               COALESCE(SUM(a.choice = json_extract(r.question, '$.answer')), 0), COUNT(*)
        FROM answers AS a JOIN rounds AS r ON r.id = a.round_id
        WHERE r.closed_at IS NOT NULL AND r.failed = 0 AND json_valid(r.question)
        GROUP BY 1, 2, 3, 4;
    """,
    # 6: shards. A scheduled round claims its slot (the schedule's next_round_at it opened for): at most one
    # round per server and slot, by this unique index, even when two processes run the same shards (a rolling
    # restart). The claim is made in the transaction that opens the round. Rounds started by hand have none.
    """
    ALTER TABLE rounds ADD COLUMN slot_at REAL;
    CREATE UNIQUE INDEX rounds_one_per_slot ON rounds(guild_id, slot_at) WHERE slot_at IS NOT NULL
    """,
    # 7: every trivia table carries its server's id (a distributed PostgreSQL shards them all by it: README,
    # "Scaling out"); answers had it only through their round. Answers are found by (guild, round) from now on.
    """
    ALTER TABLE answers ADD COLUMN guild_id INTEGER NOT NULL DEFAULT 0;
    UPDATE answers SET guild_id = (SELECT r.guild_id FROM rounds AS r WHERE r.id = answers.round_id)
    """,
    # 8: one row per member and server for every board. A member's `scores` row carries, beside all time, the
    # week (its Monday), month and season they last scored in with their points and rounds there, each board
    # one range of its own index (scores_week_board, ...): a round's close updates one row per answer instead
    # of four, and a member who hasn't played this week is simply not on this week's board. Past weeks and
    # months are not kept; an ended season's final board is copied to `season_scores` when it ends. Filled
    # from period_scores (each member's latest week and month, the server's current season, the ended ones),
    # through a temporary table keyed by member: 2 s for the benchmark's 794,007 rows, where a subquery per
    # member took 193 s.
    """
    ALTER TABLE scores ADD COLUMN week TEXT;
    ALTER TABLE scores ADD COLUMN week_points INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE scores ADD COLUMN week_rounds INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE scores ADD COLUMN month TEXT;
    ALTER TABLE scores ADD COLUMN month_points INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE scores ADD COLUMN month_rounds INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE scores ADD COLUMN season INTEGER;
    ALTER TABLE scores ADD COLUMN season_points INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE scores ADD COLUMN season_rounds INTEGER NOT NULL DEFAULT 0;
    CREATE TEMP TABLE latest (
        guild_id         INTEGER NOT NULL,
        user_id          INTEGER NOT NULL,
        kind             TEXT NOT NULL,
        key              TEXT NOT NULL,
        points           INTEGER NOT NULL,
        rounds_answered  INTEGER NOT NULL,
        PRIMARY KEY (guild_id, user_id, kind)
    ) WITHOUT ROWID;
    INSERT INTO latest
        SELECT guild_id, user_id, period_kind, MAX(period_key), points, rounds_answered FROM period_scores
        WHERE period_kind IN ('week', 'month') GROUP BY guild_id, user_id, period_kind;
    INSERT INTO latest
        SELECT p.guild_id, p.user_id, 'season', p.period_key, p.points, p.rounds_answered
        FROM period_scores AS p LEFT JOIN guild_settings AS g ON g.guild_id = p.guild_id
        WHERE p.period_kind = 'season' AND CAST(p.period_key AS INTEGER) = COALESCE(g.season, 1);
    UPDATE scores SET (week, week_points, week_rounds) = (
        SELECT key, points, rounds_answered FROM latest AS l
        WHERE l.guild_id = scores.guild_id AND l.user_id = scores.user_id AND l.kind = 'week'
    ) WHERE EXISTS (
        SELECT 1 FROM latest AS l WHERE l.guild_id = scores.guild_id AND l.user_id = scores.user_id AND l.kind = 'week'
    );
    UPDATE scores SET (month, month_points, month_rounds) = (
        SELECT key, points, rounds_answered FROM latest AS l
        WHERE l.guild_id = scores.guild_id AND l.user_id = scores.user_id AND l.kind = 'month'
    ) WHERE EXISTS (
        SELECT 1 FROM latest AS l WHERE l.guild_id = scores.guild_id AND l.user_id = scores.user_id AND l.kind = 'month'
    );
    UPDATE scores SET (season, season_points, season_rounds) = (
        SELECT CAST(key AS INTEGER), points, rounds_answered FROM latest AS l
        WHERE l.guild_id = scores.guild_id AND l.user_id = scores.user_id AND l.kind = 'season'
    ) WHERE EXISTS (
        SELECT 1 FROM latest AS l
        WHERE l.guild_id = scores.guild_id AND l.user_id = scores.user_id AND l.kind = 'season'
    );
    DROP TABLE latest;
    CREATE TABLE season_scores (
        guild_id         INTEGER NOT NULL,
        season           INTEGER NOT NULL,
        user_id          INTEGER NOT NULL,
        points           INTEGER NOT NULL,
        rounds_answered  INTEGER NOT NULL,
        PRIMARY KEY (guild_id, season, user_id)
    ) WITHOUT ROWID;
    INSERT INTO season_scores (guild_id, season, user_id, points, rounds_answered)
        SELECT p.guild_id, s.number, p.user_id, p.points, p.rounds_answered
        FROM period_scores AS p
        JOIN seasons AS s ON s.guild_id = p.guild_id AND CAST(p.period_key AS INTEGER) = s.number
        WHERE p.period_kind = 'season';
    DROP TABLE period_scores;
    CREATE INDEX scores_week_board ON scores(guild_id, week, week_points DESC, week_rounds, user_id);
    CREATE INDEX scores_month_board ON scores(guild_id, month, month_points DESC, month_rounds, user_id);
    CREATE INDEX scores_season_board ON scores(guild_id, season, season_points DESC, season_rounds, user_id);
    CREATE INDEX season_scores_board ON season_scores(guild_id, season, points DESC, rounds_answered, user_id);
    CREATE INDEX season_scores_by_user ON season_scores(user_id);
    """,
    # 9 (expand: the previous release ignores it): a posting lease. The process posting a round renews it while the
    # round waits for its turn; recovery fails an unposted round only once its lease has run out (its poster is
    # gone), never while a live process, old or new, is posting it. And a server whose data is being deleted
    # (`deleting`), so that a deletion a shutdown interrupted is finished by the next retention sweep.
    """
    ALTER TABLE rounds ADD COLUMN posting_until REAL;
    ALTER TABLE guild_settings ADD COLUMN deleting INTEGER NOT NULL DEFAULT 0;
    """,
    # 10 (expand: the previous release ignores it): a server's own clock (bot/trivia/clock.py) and the moment of the
    # day (bot/daily). `timezone` is the server's IANA zone (NULL: UTC); a change of it takes effect for the boards
    # from the next week or month, so `previous_timezone` and `timezone_changed_at` say which zone counts until
    # then. A daily schedule is `daily_time` (minutes after local midnight) on `daily_weekdays` (a bit per weekday,
    # Monday the lowest); its slot is precomputed into next_round_at, so guilds_due stays on guild_settings_due.
    # A daily schedule keeps `interval_minutes` at 1440 so that the previous release, which reads it, still runs
    # it (a day apart). `ping_role_id`: the one role mentioned when a round opens (NULL: none).
    # `daily_moments`: a server's moment of the day, due by daily_moments_due; `daily_posts` claims each slot
    # once (its primary key), in the transaction that moves the schedule on, and keeps the moment it showed.
    """
    ALTER TABLE guild_settings ADD COLUMN timezone TEXT;
    ALTER TABLE guild_settings ADD COLUMN previous_timezone TEXT;
    ALTER TABLE guild_settings ADD COLUMN timezone_changed_at REAL;
    ALTER TABLE guild_settings ADD COLUMN daily_time INTEGER;
    ALTER TABLE guild_settings ADD COLUMN daily_weekdays INTEGER;
    ALTER TABLE guild_settings ADD COLUMN ping_role_id INTEGER;
    CREATE TABLE daily_moments (
        guild_id       INTEGER PRIMARY KEY,
        channel_id     INTEGER NOT NULL,
        post_time      INTEGER NOT NULL,
        next_post_at   REAL,
        remaining      TEXT NOT NULL DEFAULT '[]',
        post_failures  INTEGER NOT NULL DEFAULT 0,
        paused_reason  TEXT,
        last_error     TEXT,
        last_error_at  REAL
    );
    CREATE INDEX daily_moments_due ON daily_moments(next_post_at) WHERE next_post_at IS NOT NULL;
    CREATE TABLE daily_posts (
        guild_id    INTEGER NOT NULL,
        slot_at     REAL NOT NULL,
        rank        INTEGER NOT NULL,
        channel_id  INTEGER NOT NULL,
        message_id  INTEGER,
        posted_at   REAL,
        PRIMARY KEY (guild_id, slot_at)
    );
    """,
    # 11 (expand: the previous release ignores it): servers' own questions (bot/trivia/server_questions). One row
    # per proposal, waiting, accepted, declined or retired; a round asks an accepted one by the key `server:<id>`,
    # so asked_questions works unchanged. Hot queries: the review queue and the pool by (guild_id, status, id)
    # (server_questions_queue: the oldest waiting, the count accepted, the next not yet asked from a random id
    # on); a member's proposals by author_id (server_questions_by_author: /trivia question mine, /forget-me).
    # And two settings: which questions a server's rounds ask (question_mix: NULL for both, 'catalogue' or
    # 'server') and whether every member may propose (submissions_open).
    """
    CREATE TABLE server_questions (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        guild_id     INTEGER NOT NULL,
        status       TEXT NOT NULL,
        prompt       TEXT NOT NULL,
        options      TEXT NOT NULL,
        answer       INTEGER NOT NULL,
        why          TEXT,
        author_id    INTEGER,
        author_name  TEXT,
        proposed_at  REAL NOT NULL,
        decided_at   REAL,
        reviewed_at  REAL
    );
    CREATE INDEX server_questions_queue ON server_questions(guild_id, status, id);
    CREATE INDEX server_questions_by_author ON server_questions(author_id);
    ALTER TABLE guild_settings ADD COLUMN question_mix TEXT;
    ALTER TABLE guild_settings ADD COLUMN submissions_open INTEGER NOT NULL DEFAULT 0;
    """,
    # 12 (expand: the previous release ignores it): the language a server's trivia is posted in ('ko' or 'en';
    # NULL: the server's preferred locale decides). Read with the rest of the server's settings row.
    """
    ALTER TABLE guild_settings ADD COLUMN language TEXT;
    """,
)
