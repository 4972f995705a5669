"""PolishTokenizer and CrisisGuard as Rasa runs them: real Messages, real model storage."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.crisis_guard import CrisisGuard
from bot.nlu.crisis_patterns import crisis_phrase
from bot.nlu.polish_tokenizer import PolishTokenizer

CONTEXT = ExecutionContext(GraphSchema({}), "test")


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def make_tokenizer(storage: LocalModelStorage) -> PolishTokenizer:
    config = {**PolishTokenizer.get_default_config()}
    return PolishTokenizer.create(config, storage, Resource("tokenizer"), CONTEXT)


def lemmas(tokenizer: PolishTokenizer, text: str) -> list[str]:
    message = Message(data={TEXT: text})
    return [token.lemma for token in tokenizer.tokenize(message, TEXT)]


def test_tokens_keep_the_text_and_its_offsets(storage: LocalModelStorage) -> None:
    tokenizer = make_tokenizer(storage)
    text = "Szukam noclegu w Bielsku-Białej!!"
    tokens = tokenizer.tokenize(Message(data={TEXT: text}), TEXT)
    for token in tokens:
        assert text[token.start : token.end] == token.text
    assert [t.text for t in tokens][:3] == ["Szukam", "noclegu", "w"]


def test_lemmas_ignore_case_and_diacritics(storage: LocalModelStorage) -> None:
    tokenizer = make_tokenizer(storage)
    assert lemmas(tokenizer, "ZASIŁKU zasiłek Noclegownię") == ["zasilek", "zasilek", "noclegownia"]


def test_training_teaches_forms_written_without_diacritics(storage: LocalModelStorage) -> None:
    tokenizer = make_tokenizer(storage)
    before = lemmas(tokenizer, "zasilku swiadczenia")
    tokenizer.train(TrainingData([Message(data={TEXT: "chcę zasiłek i świadczenie"})]))
    assert before == ["zasilku", "swiadczenia"]
    assert lemmas(tokenizer, "zasilku swiadczenia") == ["zasilek", "swiadczenie"]


def test_the_learned_forms_are_saved_with_the_model(storage: LocalModelStorage) -> None:
    resource = make_tokenizer(storage).train(
        TrainingData([Message(data={TEXT: "gdzie jest noclegownia"})])
    )
    loaded = PolishTokenizer.load(PolishTokenizer.get_default_config(), storage, resource, CONTEXT)
    assert lemmas(loaded, "noclegowni") == ["noclegownia"]


@pytest.mark.parametrize(
    "text",
    [
        "nie chcę już żyć",
        "nie chce mi sie zyc",
        "CHCE SIE ZABIC",
        "mysle o samobojstwie",
        "pocięłam się wczoraj",
        "skocze z mostu dzisiaj",
        "maz mnie bije codziennie",
        "on mi grozi ze mnie zabije, chce mnie zabic",
        "nałykałem się tabletek... nie, zjadlem wszystkie tabletki",
        "skoncze ze soba",
        "kupiłem sznur, wiem co zrobić",
        "szykuje sobie sznurek, nikt nie zauwazy",
        "mam już pętlę",
        "napisałem list pożegnalny",
        "nazbieralem tabletek na czarna godzine",
        "sąsiad grozi mi nożem",
        "groza mi ze mnie dopadna",
    ],
)
def test_crisis_phrases_are_caught(text: str) -> None:
    assert crisis_phrase(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "szukam noclegu w Sosnowcu",
        "zabić czas w kolejce",
        "dodatek mieszkaniowy",
        "pies mnie ugryzl",
        "kupiłem sznurówki do butów",
        "długi za czynsz, grozi mi eksmisja",
        "grozi mi kara za niepłacenie alimentów",
        "grozi mi odwieszenie wyroku",
    ],
)
def test_ordinary_questions_are_left_alone(text: str) -> None:
    assert crisis_phrase(text) is None


def test_crisis_guard_overrides_a_wrong_or_unsure_prediction() -> None:
    guard = CrisisGuard.create({}, None, None, CONTEXT)  # type: ignore[arg-type]
    unsure = Message(data={TEXT: "juz nie dam rady zyc", INTENT: {"name": "nlu_fallback",
                                                                  "confidence": 0.3}})
    unsure.set("intent_ranking", [{"name": "goodbye", "confidence": 0.3},
                                  {"name": "crisis", "confidence": 0.2}])
    ordinary = Message(data={TEXT: "gdzie jest mops", INTENT: {"name": "ask_office_contact",
                                                               "confidence": 0.9}})
    guard.process([unsure, ordinary])
    assert unsure.get(INTENT) == {"name": "crisis", "confidence": 1.0}
    assert [r["name"] for r in unsure.get("intent_ranking")] == ["crisis", "goodbye"]
    assert unsure.get("crisis_guard") == "nie dam rady zyc"
    assert ordinary.get(INTENT)["name"] == "ask_office_contact"
