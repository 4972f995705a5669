"""The shipped seed: rebuilt byte for byte from the shared sources, and its cleaning rules."""

from __future__ import annotations

import pytest

from bot.directory.build_seed import DEFAULT_SRC, EXPECTED_SHA256, build, clean_phones
from bot.directory.seed import SHIPPED_OFFICES


@pytest.mark.skipif(not all((DEFAULT_SRC / name).exists() for name in EXPECTED_SHA256),
                    reason="the shared directory sources are not on this machine")
def test_the_shipped_file_is_what_the_tool_builds() -> None:
    records, report, text = build(DEFAULT_SRC)
    assert text.encode("utf-8") == SHIPPED_OFFICES.read_bytes()
    assert len(records) == sum(report.written.values()) == 443
    # Nothing invented: rows without a value in the source have none here either.
    shelters_without_address = [r for r in records if r.kind == "shelter" and not r.street_address]
    assert len(shelters_without_address) == 1


@pytest.mark.parametrize(
    ("cell", "numbers", "lost"),
    [
        ("(33) 499-56-00", ("(33) 499-56-00",), False),
        ("32 292 48 75; 32 292 55 01", ("32 292 48 75", "32 292 55 01"), False),
        ("(32) 215-44-09 | (32) 215-23-88", ("(32) 215-44-09", "(32) 215-23-88"), False),
        ("(13) 447-00-41, (13) 447-24-80", ("(13) 447-00-41", "(13) 447-24-80"), False),
        ("22 277 02 50 (sekretariat); 22 277 02 00 (Filia nr 1)",
         ("22 277 02 50", "22 277 02 00"), True),
        ("71 78 22 300 do 03 (sekretariat)", ("71 78 22 300",), True),
        ("(32) 649 94 92 (do 97)", ("(32) 649 94 92",), True),
        ("52 325 44 50 (Dział nr 5, ul. Ogrodowa 9)", ("52 325 44 50",), True),
        ("18 354-xx-xx", (), True),
        ("", (), False),
    ],
)
def test_phone_cells_are_split_and_remarks_flagged(
    cell: str, numbers: tuple[str, ...], lost: bool
) -> None:
    assert clean_phones(cell) == (numbers, lost)
