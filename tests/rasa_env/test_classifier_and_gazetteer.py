"""LinearIntentClassifier and PlaceGazetteer as Rasa runs them: real Messages and storage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear_intent_classifier import LinearIntentClassifier, TfidfRow
from bot.nlu.place_gazetteer import PlaceGazetteer, place_flags
from bot.nlu.polish_tokenizer import PolishTokenizer

CONTEXT = ExecutionContext(GraphSchema({}), "test")

EXAMPLES = {
    "ask_shelter": [
        "szukam noclegu", "gdzie jest noclegownia", "nie mam gdzie spać",
        "schronisko dla bezdomnych", "potrzebuje dachu nad glowa na noc",
        "gdzie przenocowac", "ogrzewalnia w poblizu", "spie na dworcu, gdzie isc",
    ],
    "ask_employment": [
        "szukam pracy", "jak sie zarejestrowac w urzedzie pracy", "pup co trzeba",
        "praca po wyroku", "chce zarobic, gdzie szukac roboty", "czy dostane prace z kartoteka",
        "status bezrobotnego", "kursy zawodowe z urzedu pracy",
    ],
    "greet": ["czesc", "dzien dobry", "hej", "witam", "siema", "dobry wieczor", "elo", "hejka"],
}


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def tokenized(tokenizer: PolishTokenizer, text: str, intent: str | None = None) -> Message:
    data = {TEXT: text, **({INTENT: intent} if intent else {})}
    message = Message(data=data)
    message.set(TOKENS_NAMES[TEXT], tokenizer.tokenize(message, TEXT))
    return message


def trained(storage: LocalModelStorage) -> tuple[PolishTokenizer, Resource]:
    tokenizer = PolishTokenizer.create(
        PolishTokenizer.get_default_config(), storage, Resource("tok"), CONTEXT
    )
    examples = [
        tokenized(tokenizer, text, intent) for intent, texts in EXAMPLES.items() for text in texts
    ]
    classifier = LinearIntentClassifier.create({}, storage, Resource("clf"), CONTEXT)
    return tokenizer, classifier.train(TrainingData(examples))


def test_classifies_unseen_wording_typos_and_missing_diacritics(
    storage: LocalModelStorage,
) -> None:
    tokenizer, resource = trained(storage)
    loaded = LinearIntentClassifier.load({}, storage, resource, CONTEXT)
    messages = [
        tokenized(tokenizer, text)
        for text in ("gdzie moge przenocować dziś", "PRACA DLA BYŁEGO WIĘŹNIA",
                     "dzien dobry wszystkim")
    ]
    loaded.process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == ["ask_shelter", "ask_employment", "greet"]
    ranking = messages[0].get("intent_ranking")
    assert ranking[0]["name"] == "ask_shelter"
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6
    assert ranking == sorted(ranking, key=lambda r: -r["confidence"])


def test_probabilities_are_those_of_the_fitted_logistic_regression(
    storage: LocalModelStorage,
) -> None:
    tokenizer, resource = trained(storage)
    loaded = LinearIntentClassifier.load({}, storage, resource, CONTEXT)
    texts = ("szukam roboty", "hej", "gdzie spac", "", "   ", "🙂🙂", "x" * 3000,
             "Gdzie  SPAĆ\tw\nKrakowie?? <b>noc</b>", "' OR 1=1 --", "praca praca praca")
    messages = [tokenized(tokenizer, t) for t in texts]
    assert loaded._model is not None
    expected = loaded._model["classifier"].predict_proba(loaded._features(messages))
    assert np.allclose(loaded.probabilities(messages), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("which", ["chars", "words"])
def test_tfidf_row_equals_sklearn_transform(storage: LocalModelStorage, which: str) -> None:
    _tokenizer, resource = trained(storage)
    loaded = LinearIntentClassifier.load({}, storage, resource, CONTEXT)
    assert loaded._model is not None
    vectorizer = loaded._model[which]
    row = TfidfRow(vectorizer, offset=5)
    texts = [t for ts in EXAMPLES.values() for t in ts] + [
        "", " ", "nieznane slowo", "spac spac spac noc", "a  b\t\tc", "ŻÓŁĆ", "🙂"]
    for text in texts:
        expected = vectorizer.transform([text]).toarray()[0]
        indices, values = row(text)
        got = np.zeros_like(expected)
        got[indices - 5] = values
        assert np.allclose(got, expected, rtol=0, atol=1e-12), text


def test_a_message_without_text_is_left_alone(storage: LocalModelStorage) -> None:
    _tokenizer, resource = trained(storage)
    loaded = LinearIntentClassifier.load({}, storage, resource, CONTEXT)
    message = Message(data={"intent": {"name": "greet", "confidence": 1.0}})
    loaded.process([message])
    assert message.get(INTENT) == {"name": "greet", "confidence": 1.0}


def test_an_untrained_model_changes_nothing(storage: LocalModelStorage) -> None:
    empty = LinearIntentClassifier.load({}, storage, Resource("missing"), CONTEXT)
    message = Message(data={TEXT: "czesc"})
    empty.process([message])
    assert message.get(INTENT) is None


def test_training_needs_two_intents(storage: LocalModelStorage) -> None:
    classifier = LinearIntentClassifier.create({}, storage, Resource("clf"), CONTEXT)
    only_one = [Message(data={TEXT: "czesc", INTENT: "greet"})]
    with pytest.raises(ValueError, match="two intents"):
        classifier.train(TrainingData(only_one))


@pytest.mark.parametrize(
    ("words", "marked"),
    [
        (["noclegownia", "w", "zyrardowie"], [False, False, True]),
        (["krotoszyn"], [True]),
        (["mops", "z", "katowic"], [False, False, True]),
        (["szukam", "pracy"], [False, True]),  # "Praca" is a village: flagged, but common
    ],
)
def test_gazetteer_marks_inflected_and_folded_names(words: list[str], marked: list[bool]) -> None:
    assert [f["place"] for f in place_flags(words)] == marked


def test_gazetteer_marks_every_word_of_a_two_word_name() -> None:
    flags = place_flags(["noclegownia", "w", "bielsku", "bialej"])
    assert [f["place_multi"] for f in flags] == [False, False, True, True]
    assert place_flags(["szukam", "pracy"])[1]["common_word"]


def test_gazetteer_writes_the_flags_into_the_token_patterns(storage: LocalModelStorage) -> None:
    tokenizer = PolishTokenizer.create(
        PolishTokenizer.get_default_config(), storage, Resource("tok"), CONTEXT
    )
    message = tokenized(tokenizer, "Noclegownia w ŻYRARDOWIE?")
    tokens = message.get(TOKENS_NAMES[TEXT])
    tokens[0].set("pattern", {"from_regex": True})
    PlaceGazetteer.create({}, storage, Resource("gaz"), CONTEXT).process([message])
    assert tokens[0].get("pattern")["from_regex"] is True
    assert [t.get("pattern")["place"] for t in tokens[:3]] == [False, False, True]
