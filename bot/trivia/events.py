"""What trivia reports as it runs, for whoever counts it. No discord import.

The cog calls these as rounds open, post, close or fail and as answers are recorded. This base does
nothing, so a bot without metrics pays one empty call; `bot.operations.metrics.TriviaMetrics` counts them.
"""

from __future__ import annotations


class TriviaEvents:
    def round_opened(self) -> None:
        """A round was opened in the database (by /trivia start or by a schedule)."""

    def round_posted(self) -> None:
        """A round's message is in its channel."""

    def round_closed(self) -> None:
        """A round was closed and scored."""

    def round_failed(self) -> None:
        """A round could not be opened, or its message could not be posted (it was discarded)."""

    def answer_recorded(self) -> None:
        """A member's first (and final) answer to a round was recorded."""
