"""LinearIntentClassifier: TF-IDF of folded text and Polish lemmas, logistic regression.

Measured against DIET on the development set (reports/nlu/README.md): with about
75 examples per intent, a linear model over sub-linear TF-IDF of character n-grams
(2-5, on the folded text, so typos and missing diacritics share most n-grams) and of
word uni- and bigrams (on the folded Morfeusz lemmas from PolishTokenizer) separates
the intents better, trains in seconds instead of minutes and classifies a message in
well under a millisecond. Class weights are balanced so the large `crisis` and
`out_of_scope` sets do not pull short greetings towards them.

The probabilities feed FallbackClassifier, so the threshold in config.yml is tuned
for this classifier.
"""

from __future__ import annotations

from typing import Any

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.textnorm import fold

MODEL_FILE = "linear_intent_classifier.joblib"


class TfidfRow:
    """A fitted TfidfVectorizer's transform of one text, as (feature indices, values).

    The same n-grams (sklearn's own analyzer), the same sub-linear tf, idf and L2 norm as
    `TfidfVectorizer.transform`, without building a sparse matrix and re-checking the
    fitted state on every call: that cost about 2 ms per message, 8% of the Rasa
    server's time under load (bench/load_bench.py), for a few hundred non-zero values.
    """

    def __init__(self, vectorizer: TfidfVectorizer, offset: int = 0) -> None:
        if vectorizer.norm != "l2" or not vectorizer.use_idf or vectorizer.binary:
            raise ValueError("TfidfRow covers l2-normalised, idf-weighted, non-binary tf")
        self._analyse = vectorizer.build_analyzer()
        self._vocabulary: dict[str, int] = vectorizer.vocabulary_
        self._idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self._sublinear = bool(vectorizer.sublinear_tf)
        self._offset = offset

    def __call__(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        counts: dict[int, int] = {}
        vocabulary = self._vocabulary
        for gram in self._analyse(text):
            index = vocabulary.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        indices = np.fromiter(counts, dtype=np.intp, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if self._sublinear:
            values = np.log(values) + 1.0
        values *= self._idf[indices]
        norm = np.sqrt(values @ values)
        if norm > 0:
            values /= norm
        return indices + self._offset, values


def folded_text(message: Message) -> str:
    """The message's text, folded (bot.textnorm.fold: no diacritics, lower case)."""
    return fold(message.get(TEXT) or "")


def lemma_text(message: Message) -> str:
    """The message's lemmas (from the tokenizer) joined by spaces."""
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    return " ".join(token.lemma or token.text.lower() for token in tokens)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Intent classification by logistic regression over TF-IDF features."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "char_ngram_range": [2, 5],
            "word_ngram_range": [1, 2],
            # inverse regularisation strength of the logistic regression
            "C": 30.0,
            "max_iter": 3000,
            # how many intents are listed in the ranking
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: dict[str, Any] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model
        # scores = features @ weights + bias; a C-ordered copy of the weights makes the
        # sparse product cheap (sklearn's predict_proba copies them on every call)
        self._weights: np.ndarray | None = None
        self._bias: np.ndarray | None = None
        self._classes: list[str] = []
        self._rows: tuple[TfidfRow, TfidfRow] | None = None
        if model is not None and "classifier" in model:
            self._prepare(model["classifier"])

    def _prepare(self, classifier: LogisticRegression) -> None:
        self._weights = np.ascontiguousarray(classifier.coef_.T)
        self._bias = classifier.intercept_.copy()
        self._classes = [str(name) for name in classifier.classes_]
        assert self._model is not None
        chars, words = self._model["chars"], self._model["words"]
        self._rows = (TfidfRow(chars), TfidfRow(words, offset=len(chars.vocabulary_)))

    def probabilities(self, messages: list[Message]) -> np.ndarray:
        """Softmax over the intents for each message (as LogisticRegression.predict_proba)."""
        assert self._weights is not None and self._bias is not None and self._rows is not None
        chars, words = self._rows
        scores = np.tile(self._bias, (len(messages), 1))
        for row, message in enumerate(messages):
            for indices, values in (chars(folded_text(message)), words(lemma_text(message))):
                if len(indices):
                    scores[row] += values @ self._weights[indices]
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            model = None
        return cls(config, model_storage, resource, model)

    def _features(self, messages: list[Message]) -> csr_matrix:
        assert self._model is not None
        folded = [folded_text(message) for message in messages]
        lemmas = [lemma_text(message) for message in messages]
        return hstack(
            [self._model["chars"].transform(folded), self._model["words"].transform(lemmas)]
        ).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            example
            for example in training_data.intent_examples
            if isinstance(example.get(TEXT), str) and example.get(INTENT)
        ]
        if len({example.get(INTENT) for example in examples}) < 2:
            raise ValueError("LinearIntentClassifier needs examples of at least two intents")
        chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(self._config["char_ngram_range"]),
            sublinear_tf=True,
        )
        words = TfidfVectorizer(
            analyzer="word",
            ngram_range=tuple(self._config["word_ngram_range"]),
            sublinear_tf=True,
            token_pattern=r"\S+",  # noqa: S106 (a regex, not a password)
        )
        chars.fit([folded_text(example) for example in examples])
        words.fit([lemma_text(example) for example in examples])
        self._model = {"chars": chars, "words": words}
        classifier = LogisticRegression(
            C=self._config["C"],
            max_iter=self._config["max_iter"],
            class_weight="balanced",
            multi_class="multinomial",
        )
        classifier.fit(self._features(examples), [example.get(INTENT) for example in examples])
        self._model["classifier"] = classifier
        self._prepare(classifier)
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / MODEL_FILE)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._weights is None:
            return messages
        texts = [message for message in messages if isinstance(message.get(TEXT), str)]
        if not texts:
            return messages
        for message, row in zip(texts, self.probabilities(texts), strict=True):
            order = np.argsort(row)[::-1][: self._config["ranking_length"]]
            ranking = [
                {INTENT_NAME_KEY: self._classes[i], PREDICTED_CONFIDENCE_KEY: float(row[i])}
                for i in order
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
