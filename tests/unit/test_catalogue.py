"""The seed file loads, and every mistake in it is named by entry and field."""

from pathlib import Path

import pytest

from bot.catalogue import SeedError, load_catalogue, parse_catalogue

SOURCE = {"title": "t", "publisher": "p", "url": "https://example.invalid/"}


def moment(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "rank": 5,
        "scene": "A scene",
        "drama": "A drama",
        "year": 2020,
        "synopsis": "Our words.",
        "why": "Our reasons.",
        "cast": [{"actor": "Some One", "character": "Someone"}],
    }
    base.update(overrides)
    return base


def test_seed_file_has_ranks_10_to_2_and_no_1() -> None:
    catalogue = load_catalogue()
    assert catalogue.ranks == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert catalogue.by_rank(1) is None


def test_neighbours_skip_missing_ranks() -> None:
    catalogue = load_catalogue()
    assert catalogue.neighbours(2) == (None, 3)
    assert catalogue.neighbours(10) == (9, None)
    assert catalogue.neighbours(7) == (6, 8)


def test_an_added_entry_is_served_without_code_changes() -> None:
    catalogue = parse_catalogue({"source": SOURCE, "moment": [moment(rank=11), moment(rank=12, scene="B")]})
    assert catalogue.ranks == [11, 12]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (moment(year="2020"), "moment with rank 5: field 'year' must be a whole number"),
        (moment(scene=""), "moment with rank 5: field 'scene' must be non-empty text"),
        (moment(episode=0), "moment with rank 5: field 'episode' is 0, outside 1-500"),
        (moment(synopsis="x" * 601), "moment with rank 5: field 'synopsis' is 601 characters"),
        (moment(colour="red"), "moment with rank 5: unknown field 'colour'"),
        (moment(cast=[{"actor": "A"}]), "moment with rank 5, cast #1: field 'character' must be non-empty text"),
        (moment(songs=[{"title": "S", "by": "x"}]), "moment with rank 5, song #1: unknown field 'by'"),
        ({"scene": "no rank"}, "moment #1 in the file: field 'rank' must be a whole number"),
    ],
)
def test_mistakes_name_the_entry_and_field(entry: dict[str, object], message: str) -> None:
    with pytest.raises(SeedError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_catalogue({"source": SOURCE, "moment": [entry]})


def test_duplicate_ranks_are_refused() -> None:
    with pytest.raises(SeedError, match="two moments share the rank 5"):
        parse_catalogue({"source": SOURCE, "moment": [moment(), moment(scene="Other")]})


def test_broken_toml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[[moment]\nrank = ", encoding="utf-8")
    with pytest.raises(SeedError, match="not valid TOML"):
        load_catalogue(path)
