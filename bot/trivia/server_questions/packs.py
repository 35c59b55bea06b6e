"""The operator's packs: TOML files in data/packs/ that give every server more questions. No discord import.

The same format as a server's pack (pack.py), under the operator's responsibility. Only `*.toml` files are
loaded; the folder ships with `example.toml.example`, which is not. A bad pack stops start-up (and
`python -m bot check-data`) with one line naming the file, the question and the field.
"""

from __future__ import annotations

from pathlib import Path

from bot.catalogue import SeedError
from bot.matching import inert_text
from bot.trivia.questions import OPERATOR_QUESTION, QuestionTemplate
from bot.trivia.server_questions.pack import Proposed, QuestionError, parse_pack

PACKS_FOLDER = "packs"  # beside the catalogue file


def packs_folder(seed_path: Path) -> Path:
    return seed_path.parent / PACKS_FOLDER


def load_operator_packs(folder: Path) -> list[QuestionTemplate]:
    """Every question of the folder's `*.toml` packs, in file order, as templates of the pool (keys
    `pack:<file>:<number>`). Raises SeedError with one line naming the file, question and field."""
    templates: list[QuestionTemplate] = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            found = parse_pack(path.read_bytes())
        except QuestionError as exc:
            raise SeedError(f"{path}: {exc}") from None
        except OSError as exc:
            raise SeedError(f"{path}: cannot read it: {exc.strerror or exc}") from None
        templates += [_template(path.stem, number, q) for number, q in enumerate(found, start=1)]
    return templates


def _template(stem: str, number: int, q: Proposed) -> QuestionTemplate:
    options = [inert_text(o) for o in q.options]
    right = options.pop(q.answer)
    return QuestionTemplate(f"pack:{stem}:{number}", OPERATOR_QUESTION, inert_text(q.prompt), right, tuple(options))
