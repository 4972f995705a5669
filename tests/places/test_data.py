"""Tests of the shipped TERYT data and of its build script."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from bot.places import build_data, data

SHIPPED = data.DATA_DIR
SHARED = build_data.DEFAULT_SRC


def test_shipped_files_present_and_small() -> None:
    names = {p.name for p in SHIPPED.iterdir()}
    assert {data.TERC_FILE, data.WMRODZ_FILE, data.SIMC_FILE, data.FORMS_FILE, "SOURCE.md"} <= names
    total = sum(p.stat().st_size for p in SHIPPED.iterdir())
    assert total < 6 * 1024 * 1024


def test_terc_is_the_original_file() -> None:
    digest = hashlib.sha256((SHIPPED / data.TERC_FILE).read_bytes()).hexdigest()
    assert digest == build_data.EXPECTED_SHA256[data.TERC_FILE]
    source = (SHIPPED / "SOURCE.md").read_text(encoding="utf-8")
    for original in build_data.EXPECTED_SHA256.values():
        assert original in source


def test_units_and_localities_counts() -> None:
    units = data.load_units()
    assert len(units.gminas) == 2479
    assert len(units.voivodeships) == 16
    assert all(name == name.lower() for name in units.voivodeships.values())
    loc = data.load_localities()
    assert len(loc.simc) == 101_865
    assert len(set(loc.simc)) == 101_865
    assert sum(1 for rm in loc.rm if rm == "96") == 1026


def test_gmina_key_rule() -> None:
    assert data.gmina_key("1465058") == "146501"  # Mokotów -> Warszawa
    assert data.gmina_key("1261049") == "126101"  # Kraków-Podgórze
    assert data.gmina_key("1218094") == "121809"  # town part of an urban-rural gmina


def test_forms_come_from_morfeusz_build() -> None:
    forms = data.load_forms()
    assert "sosnowiec" in forms["sosnowcu"]
    assert "chelmno" in forms["chelmnie"]
    assert "chelmno" not in forms["chelmie"]


def test_form_generator() -> None:
    pytest.importorskip("morfeusz2")
    gen = build_data.FormGenerator()
    assert {"sosnowca", "sosnowcu", "sosnowcem"} <= gen.forms("Sosnowiec")
    assert "stalowej" in gen.forms("Stalowa")
    assert "wielkopolskim" in gen.forms("Wielkopolski")


def test_build_reproduces_shipped_files(tmp_path: Path) -> None:
    """Regenerating from the shared originals gives byte-identical files."""
    pytest.importorskip("morfeusz2")
    if not (SHARED / build_data.SIMC_NAME).exists():
        pytest.skip("shared TERYT originals not available")
    build_data.build(SHARED, tmp_path)
    for name in (data.TERC_FILE, data.WMRODZ_FILE, data.SIMC_FILE, data.FORMS_FILE):
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name
    shutil.rmtree(tmp_path)
