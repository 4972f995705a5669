"""The assistant's answers, read from actions/content/ (see its README for the schema)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from actions.content_format import render_text

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Topic:
    id: str
    intent: str
    checked: str
    messages: tuple[str, ...]
    sources: tuple[tuple[str, ...], ...]
    directory: tuple[str, ...]
    buttons: tuple[Button, ...]


class Content:
    def __init__(self, topics: dict[str, Topic], sources: dict[str, dict[str, Any]]) -> None:
        self.topics = topics
        self.sources = sources

    def topic(self, intent: str, topic_id: str | None = None) -> Topic | None:
        """The sub-topic asked for (when it belongs to `intent`), else the intent's root."""
        if topic_id:
            chosen = self.topics.get(topic_id)
            if chosen is not None and chosen.intent == intent:
                return chosen
        return self.topics.get(intent.removeprefix("ask_"))


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top")
    return data


def load_content(directory: Path = CONTENT_DIR) -> Content:
    facts = _read(directory / "facts.yml").get("facts") or {}
    sources = _read(directory / "sources.yml").get("sources") or {}
    topics: dict[str, Topic] = {}
    for path in sorted((directory / "topics").glob("*.yml")):
        for topic_id, raw in (_read(path).get("topics") or {}).items():
            messages = raw["messages"]
            topics[topic_id] = Topic(
                id=topic_id,
                intent=raw["intent"],
                checked=str(raw["checked"]),
                messages=tuple(render_text(m["text"], facts) for m in messages),
                sources=tuple(tuple(m["sources"]) for m in messages),
                directory=tuple(raw.get("directory") or ()),
                buttons=tuple(Button(b["title"], b["payload"]) for b in raw["buttons"]),
            )
    return Content(topics, sources)


@cache
def content() -> Content:
    """The content, loaded once per process."""
    return load_content()
