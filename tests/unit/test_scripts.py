"""scripts/ensure-venv, which scripts/run and scripts/test call first: what it decides, in a copy of the
project's layout (`--check` says rebuild, install or nothing, and does it not: no network)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """scripts/ensure-venv and pyproject.toml, with a .venv whose python is python3 itself."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "ensure-venv", tmp_path / "scripts" / "ensure-venv")
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    python3 = shutil.which("python3")
    assert python3 is not None
    (tmp_path / ".venv" / "bin" / "python").symlink_to(python3)
    return tmp_path


def decision(project: Path, *extra: str) -> str:
    result = subprocess.run(
        [str(project / "scripts" / "ensure-venv"), "--check", *extra],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout.strip()


def stamp(project: Path, name: str) -> None:
    digest = hashlib.sha256((project / "pyproject.toml").read_bytes()).hexdigest()
    (project / ".venv" / name).write_text(digest + "\n")


def test_an_installed_project_is_not_installed_again(project: Path) -> None:
    assert decision(project) == "install"  # never installed
    stamp(project, ".installed")
    assert decision(project) == "nothing"
    assert decision(project, "test") == "install"  # the test extra has its own stamp
    stamp(project, ".installed-test")
    assert decision(project, "test") == "nothing"
    (project / ".venv" / ".installed").unlink()
    assert decision(project) == "nothing"  # scripts/run after scripts/test: the test extra includes the bot


def test_a_changed_pyproject_is_installed_again(project: Path) -> None:
    stamp(project, ".installed")
    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write("\n# a new dependency\n")
    assert decision(project) == "install"


@pytest.mark.parametrize("python", ["missing", "broken", "another version"])
def test_a_venv_of_another_python_or_none_is_rebuilt(project: Path, python: str) -> None:
    stamp(project, ".installed")
    venv_python = project / ".venv" / "bin" / "python"
    venv_python.unlink()
    if python == "broken":
        venv_python.symlink_to(project / "no-such-python3.9")
    elif python == "another version":
        venv_python.write_text("#!/bin/sh\necho '3.9.2 (default, Feb 28 2021)'\n")
        venv_python.chmod(0o755)
    assert decision(project) == "rebuild"


def test_the_scripts_set_up_through_it() -> None:
    for script in ("run", "test", "bench"):
        text = (ROOT / "scripts" / script).read_text()
        assert "scripts/ensure-venv" in text and "-e ." not in text, script
