"""PlaceGazetteer: marks tokens that can be read as part of a Polish locality name.

People write place names in lower case, in capitals, inflected and without Polish
letters ("w zyrardowie", "KROTOSZYN", "lancut"); a CRF that sees only the shape of a
word learns "capitalised after w/z" and misses them. This featurizer looks every word
(and every run of two or three words) up in the TERYT locality register shipped in
bot/data/teryt, through the same index the place resolver uses (inflected forms,
folding, suffix rules; no typo guesses), and writes the result into the token's
`pattern` dict, which CRFEntityExtractor uses as features:

- `place`: the word alone reads as a locality name (any form);
- `place_exact`: it is a locality name in its dictionary form;
- `place_multi`: it belongs to a run of two or three words that reads as one name
  ("grodzisk mazowiecki", "bielsku bialej");
- `common_word`: an everyday word that also names some locality ("praca", "las").

Nothing is trained; the register is loaded once per process.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.places.extract import STOP_WORDS
from bot.places.query import NEAR_PREPS, PLAIN_PREPS
from bot.places.resolver import get_index
from bot.textnorm import fold

PATTERN = "pattern"
PREPOSITIONS = PLAIN_PREPS | NEAR_PREPS
MAX_RUN = 3


def place_flags(words: list[str]) -> list[dict[str, bool]]:
    """The gazetteer flags of each folded word of a message."""
    index = get_index()
    flags = [
        {"place": False, "place_exact": False, "place_multi": False, "common_word": False}
        for _ in words
    ]
    for i, word in enumerate(words):
        if not word.isalpha():
            continue
        after_prep = i > 0 and words[i - 1] in PREPOSITIONS
        cost = index.match_span([word], after_prep)
        flags[i]["place"] = cost is not None
        flags[i]["place_exact"] = cost == 0
        flags[i]["common_word"] = word in STOP_WORDS or len(word) < 3
        for length in range(MAX_RUN, 1, -1):
            run = words[i : i + length]
            if len(run) < length or not all(w.isalpha() for w in run):
                continue
            if index.match_span(run, after_prep) is not None:
                for j in range(i, i + length):
                    flags[j]["place_multi"] = True
                break
    return flags


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class PlaceGazetteer(GraphComponent):
    """Adds locality-register flags to each token's `pattern` (see the module doc)."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PlaceGazetteer:
        get_index()  # load the register now, not on the first message (about 2 s)
        return cls()

    def _mark(self, message: Message) -> None:
        tokens: list[Token] = message.get(TOKENS_NAMES[TEXT]) or []
        if not tokens:
            return
        words = [fold(token.text) for token in tokens]
        for token, flags in zip(tokens, place_flags(words), strict=True):
            token.set(PATTERN, {**(token.get(PATTERN) or {}), **flags})

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._mark(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._mark(message)
        return messages
