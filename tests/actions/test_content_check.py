"""The content check of `make test`: sources, dates, length, numbers only from facts.yml."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from actions.content import check_content
from bot.settings import PROJECT_ROOT

CONTENT = PROJECT_ROOT / "actions" / "content"


def test_the_content_passes_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_content.main(["--root", str(CONTENT)]) == 0, capsys.readouterr()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the content and the domain, laid out as in the repository."""
    shutil.copytree(CONTENT, tmp_path / "actions" / "content")
    shutil.copytree(PROJECT_ROOT / "bot" / "domain", tmp_path / "bot" / "domain")
    return tmp_path / "actions" / "content"


def check(root: Path) -> int:
    return check_content.main(["--root", str(root), "--no-brief"])


def test_a_bare_number_in_an_answer_fails(copy: Path) -> None:
    shelter = copy / "topics" / "shelter.yml"
    shelter.write_text(shelter.read_text().replace("Pomaga w tym", "Pomaga w 24 godziny", 1))
    assert check(copy) == 1


def test_a_message_without_a_source_fails(copy: Path) -> None:
    shelter = copy / "topics" / "shelter.yml"
    text = shelter.read_text()
    text = text.replace("sources: [gops-stargard-schronienie, mopr-kielce-schronienie]",
                        "sources: []", 1)
    shelter.write_text(text)
    assert check(copy) == 1


def test_an_overlong_message_fails(copy: Path) -> None:
    shelter = copy / "topics" / "shelter.yml"
    long = "Idź do ośrodka. " * 30
    shelter.write_text(shelter.read_text().replace("Pomaga w tym", long, 1))
    assert check(copy) == 1


def test_a_phone_number_in_a_domain_response_must_be_a_fact(copy: Path) -> None:
    assert check(copy) == 0
    crisis = copy.parent.parent / "bot" / "domain" / "crisis.yml"
    crisis.write_text(crisis.read_text().replace("116 123", "116 124"))
    assert check(copy) == 1
