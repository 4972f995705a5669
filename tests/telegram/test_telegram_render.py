"""Splitting long answers and rendering Rasa messages for Telegram (no network)."""

from __future__ import annotations

from bot.telegram.render import MAX_MESSAGE_CHARS, split_text, tappable_phones, to_out_messages


def test_short_text_is_one_part() -> None:
    assert split_text("Dzień dobry.") == ["Dzień dobry."]


def test_long_text_splits_at_sentence_ends_within_the_limit() -> None:
    sentence = "To jest zdanie o pomocy społecznej w mieście. "
    long = sentence * 300
    parts = split_text(long)
    assert len(parts) > 1
    assert all(len(p) <= MAX_MESSAGE_CHARS for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts) == long.strip()


def test_text_without_sentence_ends_still_fits() -> None:
    parts = split_text("x" * 9000)
    assert [len(p) for p in parts] == [4096, 4096, 808]


def test_buttons_go_on_the_last_part_and_cards_keep_phones_plain() -> None:
    out = to_out_messages([
        {"text": "Zdanie. " * 1000, "buttons": [{"title": "Nocleg", "payload": "/ask_shelter"}]},
        {"custom": {"text": "", "card": {"kind": "MOPS", "name": "MOPS Kraków",
                                         "address": "ul. Józefińska 14, 30-529 Kraków",
                                         "phone": "12 616 54 00", "hours": "pn-pt 8-15"}}},
    ])
    assert not out[0].buttons and out[-2].buttons == [("Nocleg", "/ask_shelter")]
    keyboard = out[-2].keyboard()
    assert keyboard is not None
    assert keyboard.inline_keyboard[0][0].callback_data == "/ask_shelter"
    assert out[-1].text == ("MOPS: MOPS Kraków\nAdres: ul. Józefińska 14, 30-529 Kraków\n"
                            "Telefon: +48 12 616 54 00\nGodziny: pn-pt 8-15")


def test_phone_numbers_become_tappable_but_amounts_and_short_numbers_do_not() -> None:
    assert tappable_phones("Zadzwoń: 800 120 002.") == "Zadzwoń: +48 800 120 002."
    assert tappable_phones("Tel. 12 616-54-00 lub 123456789") == (
        "Tel. +48 12 616 54 00 lub +48 123456789")
    assert tappable_phones("+48 22 123 45 67") == "+48 22 123 45 67"
    unchanged = "Dzwoń 112 albo 116 123. Zasiłek 1 229 zł, kod 30-529, 100 200 300 zł."
    assert tappable_phones(unchanged) == unchanged
