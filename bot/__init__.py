"""Perfect Moments: a Discord bot serving "10 perfect K-drama moments", with trivia."""
