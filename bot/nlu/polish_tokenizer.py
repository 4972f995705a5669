"""PolishTokenizer: spaCy's Polish tokenisation with folded Polish lemmas.

Tokens keep the text as written (entities are cut from it), while each token's lemma,
which the count-vector featurizers use, is the Morfeusz lemma without diacritics:
"zasiłku", "zasilku" and "ZASIŁEK" all become "zasilek". Training learns which
diacritic-less forms belong to which lemma (see `bot.nlu.lemmas`) and stores that map
with the model; nothing is downloaded.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import rasa_speedups
from bot.nlu.lemmas import Lemmatizer

rasa_speedups.install()  # the Rasa server loads this module: see bot/nlu/rasa_speedups.py

FORM_MAP_FILE = "folded_forms.json"


def _blank_polish() -> Any:
    import spacy

    return spacy.blank("pl")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class PolishTokenizer(Tokenizer):
    """Tokenizer for Polish that makes features insensitive to missing diacritics."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # learn diacritic-less forms of the training vocabulary's lemmas
            "learn_folded_forms": True,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["spacy", "morfeusz2"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        form_map: dict[str, str] | None = None,
    ) -> None:
        super().__init__(config)
        self._model_storage = model_storage
        self._resource = resource
        self._nlp = _blank_polish()
        self.lemmatizer = Lemmatizer(form_map)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PolishTokenizer:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> PolishTokenizer:
        form_map: dict[str, str] = {}
        try:
            with model_storage.read_from(resource) as directory:
                form_map = json.loads((directory / FORM_MAP_FILE).read_text("utf-8"))
        except (ValueError, FileNotFoundError):
            form_map = {}
        return cls(config, model_storage, resource, form_map)

    def train(self, training_data: TrainingData) -> Resource:
        if self._config["learn_folded_forms"]:
            words = {
                token.text
                for example in training_data.training_examples
                if isinstance(example.get(TEXT), str)
                for token in self._nlp.make_doc(example.get(TEXT))
                if token.is_alpha
            }
            self.lemmatizer.learn(words)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / FORM_MAP_FILE).write_text(
                json.dumps(self.lemmatizer.form_map, ensure_ascii=False, sort_keys=True),
                encoding="utf-8",
            )
        return self._resource

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute)
        tokens = []
        for word in self._nlp.make_doc(text):
            if word.is_space:
                continue
            lemma = self.lemmatizer.lemma(word.text) if word.is_alpha else word.text.lower()
            tokens.append(Token(word.text, word.idx, lemma=lemma))
        return self._apply_token_pattern(tokens)
