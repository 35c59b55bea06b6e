"""The layout the README promises: Discord-free modules stay Discord-free, and the top-level packages depend on
each other only one way (bot <- fake_discord <- tests, bench; tests and bench never import each other)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DISCORD_FREE = "(no discord import)"


def readme_tree() -> list[tuple[str, str]]:
    """(path, description) for each file of the README's "Design in brief" tree."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Design in brief", 1)[1]
    block = section.split("```", 2)[1]
    entries: list[tuple[str, str]] = []
    folders: list[str] = []
    for line in block.splitlines():
        match = re.match(r"^( *)(\S+)\s*(.*)$", line)
        if not match or not re.search(r"(/|\.py|\.toml|\.md)$", match[2]):
            continue
        depth = len(match[1]) // 2
        folders[depth:] = []
        if match[2].endswith("/"):
            folders.append(match[2])
        else:
            entries.append(("".join(folders) + match[2], match[3]))
    return entries


def discord_free_modules() -> list[str]:
    paths = [path for path, what in readme_tree() if what.rstrip().endswith(DISCORD_FREE)]
    return [path.removesuffix(".py").removesuffix("/__init__").replace("/", ".") for path in paths]


def source_of(module: str) -> Path:
    """The file of a module: bot/x.py, or bot/x/__init__.py for a package."""
    plain = ROOT / (module.replace(".", "/") + ".py")
    return plain if plain.is_file() else ROOT / module.replace(".", "/") / "__init__.py"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_readme_names_the_discord_free_modules_and_they_exist() -> None:
    modules = discord_free_modules()
    assert {"bot.catalogue", "bot.replies", "bot.lookups.answers", "bot.trivia.store"} <= set(modules), modules
    for module in modules:
        assert source_of(module).is_file(), module


def test_every_file_in_the_readme_tree_exists_and_every_module_of_bot_is_in_it() -> None:
    listed = {path for path, _ in readme_tree()}
    for path in listed:
        assert (ROOT / path).exists(), f"the README's tree lists {path}, which does not exist"
    for module in (ROOT / "bot").rglob("*.py"):
        relative = module.relative_to(ROOT).as_posix()
        if relative == "bot/__init__.py":
            continue  # the package marker
        assert relative in listed, f"{relative} is missing from the README's design tree"


@pytest.mark.parametrize("module", discord_free_modules())
def test_a_discord_free_module_never_imports_discord(module: str) -> None:
    source = source_of(module)
    direct = {name for name in imported_modules(source) if name.split(".")[0] == "discord"}
    assert not direct, f"{module} imports {direct}"
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'discord'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"importing {module} loads {result.stdout.strip()}"


def top_level_imports(folder: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / folder).rglob("*.py"):
        tops = {name.split(".")[0] for name in imported_modules(path)}
        found[path.relative_to(ROOT).as_posix()] = tops & {"bot", "tests", "bench", "fake_discord"}
    return found


def test_packages_depend_on_each_other_one_way() -> None:
    for path, tops in top_level_imports("bot").items():
        assert tops <= {"bot"}, f"{path} imports {tops - {'bot'}}"
    for path, tops in top_level_imports("fake_discord").items():
        assert "bot" not in tops and "tests" not in tops and "bench" not in tops, f"{path} imports {tops}"
    for path, tops in top_level_imports("bench").items():
        assert "tests" not in tops, f"{path} imports tests"
    for path, tops in top_level_imports("tests").items():
        if path != "tests/e2e/test_bench_smoke.py":
            assert "bench" not in tops, f"{path} imports bench (only the benchmark's smoke test may)"
