"""Every fact in data/moments.toml is in the article, and no sentence of the article is in the project.

The article lives beside the repository (../shared/seed/); where it is absent these checks are skipped.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

from bot.catalogue import Moment, load_catalogue

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = Path(
    os.environ.get("PERFECT_MOMENTS_ARTICLE", ROOT.parent / "shared" / "seed" / "perfect-kdrama-moments.txt")
)
NUMBER_WORDS = {16: "sixteen"}
COPY_RUN = 10

pytestmark = pytest.mark.skipif(not ARTICLE.exists(), reason=f"the source article is not at {ARTICLE}")


def article() -> str:
    return ARTICLE.read_text(encoding="utf-8").replace("’", "'")


def section(moment: Moment) -> str:
    """The article's text for one entry: from its heading to the next heading."""
    text = article()
    start = text.index(f"\n{moment.rank} {moment.scene}\n")
    following = re.search(r"\n\d{1,2} [A-Z].*\n", text[start + 1 :])
    return text[start : start + 1 + following.start()] if following else text[start:]


MOMENTS = load_catalogue().moments


def test_the_article_has_no_entry_1_and_neither_do_we() -> None:
    assert not re.search(r"^1 \w", article(), flags=re.MULTILINE)
    assert all(m.rank != 1 for m in MOMENTS)


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: f"rank{m.rank}")
def test_title_drama_year_and_aliases(moment: Moment) -> None:
    text = section(moment)
    assert f"'{moment.drama}' ({moment.year})" in text
    for alias in moment.drama_aliases:
        assert alias in text


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: f"rank{m.rank}")
def test_cast_as_the_article_credits_it(moment: Moment) -> None:
    text = section(moment)
    for member in moment.cast:
        spellings = (member.character, *member.character_aliases)
        assert any(f"{s} ({member.actor})" in text for s in spellings), member
        for spelling in spellings:
            assert spelling in text, spelling


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: f"rank{m.rank}")
def test_episode_only_where_given(moment: Moment) -> None:
    text = section(moment).lower()
    if moment.episode is None:
        assert not re.search(r"episode \d+", text)
    elif moment.episode in NUMBER_WORDS and "last episode" in text:
        assert f"{NUMBER_WORDS[moment.episode]}-episode" in text
    else:
        assert f"episode {moment.episode}" in text


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: f"rank{m.rank}")
def test_songs(moment: Moment) -> None:
    text = section(moment)
    for song in moment.songs:
        assert f'"{song.title}"' in text
        if song.artist:
            assert f'"{song.title}" by {song.artist}' in text
    assert len(moment.songs) == text.count('"') // 2


def words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text.lower())


def project_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True
    )
    return [ROOT / p for p in listed.stdout.split()] if listed.returncode == 0 else list(ROOT.rglob("*.*"))


def test_no_run_of_ten_words_from_the_article() -> None:
    source = words(ARTICLE.read_text(encoding="utf-8"))
    runs = {tuple(source[i : i + COPY_RUN]) for i in range(len(source) - COPY_RUN + 1)}
    copied = []
    for path in project_files():
        try:
            found = words(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        copied += [
            f"{path.name}: {' '.join(found[i : i + COPY_RUN])}"
            for i in range(len(found) - COPY_RUN + 1)
            if tuple(found[i : i + COPY_RUN]) in runs
        ]
    assert not copied, copied[:5]
