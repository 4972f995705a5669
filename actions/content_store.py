"""The assistant's answers, read from actions/content/ (see its README for the schema)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from actions.content_format import RUNTIME_RE, render_text

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
    starts: str | None = None  # a form that asks its questions right after the messages


@dataclass(frozen=True)
class Step:
    """One step of the release checklist (actions/content/tools/release_checklist.yml)."""

    id: str
    phase: str
    text: str
    office: str | None
    deadline_fact: str | None


@dataclass(frozen=True)
class Tool:
    """The texts of an interactive tool (actions/content/tools/<name>.yml), facts
    rendered; words in [brackets] are filled in at run time with `fill`."""

    name: str
    checked: str
    messages: dict[str, str]
    phases: dict[str, str]
    steps: tuple[Step, ...]
    buttons: tuple[Button, ...] = ()

    def text(self, key: str, **values: str) -> str:
        return fill(self.messages[key], **values)


def fill(text: str, **values: str) -> str:
    """Replace [name] by values[name]; every bracketed word must be given."""
    def value(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return RUNTIME_RE.sub(value, text)



class Content:
    def __init__(self, topics: dict[str, Topic], sources: dict[str, dict[str, Any]],
                 facts: dict[str, dict[str, Any]] | None = None,
                 tools: dict[str, Tool] | None = None) -> None:
        self.topics = topics
        self.sources = sources
        self.facts = facts or {}
        self.tools = tools or {}

    def fact_value(self, fact_id: str) -> float:
        return float(self.facts[fact_id]["value"])

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
                starts=raw.get("starts"),
            )
    tools: dict[str, Tool] = {}
    for path in sorted((directory / "tools").glob("*.yml")):
        raw_tool = _read(path)
        tools[path.stem] = Tool(
            name=path.stem,
            checked=str(raw_tool["checked"]),
            messages={key: render_text(m["text"], facts)
                      for key, m in (raw_tool.get("messages") or {}).items()},
            phases=dict(raw_tool.get("phases") or {}),
            steps=tuple(
                Step(id=st["id"], phase=st["phase"], text=render_text(st["text"], facts),
                     office=st.get("office"), deadline_fact=st.get("deadline_fact"))
                for st in raw_tool.get("steps") or ()
            ),
            buttons=tuple(Button(b["title"], b["payload"]) for b in raw_tool.get("buttons") or ()),
        )
    return Content(topics, sources, facts, tools)


@cache
def content() -> Content:
    """The content, loaded once per process."""
    return load_content()
