"""CrisisGuard: crisis phrases always classify as `crisis`, whatever the model says.

Runs after the classifiers (and after FallbackClassifier), so a low-confidence or
misclassified crisis message still reaches the crisis answer. The phrase that
matched is stored on the message as `crisis_guard` for the logs and tests.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.crisis_patterns import crisis_phrase

CRISIS_INTENT = "crisis"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class CrisisGuard(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisGuard:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            phrase = crisis_phrase(text)
            if phrase is None:
                continue
            crisis = {INTENT_NAME_KEY: CRISIS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [
                item
                for item in message.get("intent_ranking") or []
                if item.get(INTENT_NAME_KEY) != CRISIS_INTENT
            ]
            message.set(INTENT, crisis, add_to_output=True)
            message.set("intent_ranking", [crisis, *ranking], add_to_output=True)
            message.set("crisis_guard", phrase, add_to_output=True)
        return messages
