#!/usr/bin/env python3
"""Check the answer content in actions/content/ (sources, facts, topics).

Usage:
    python3 actions/content/check_content.py            # check; exit 1 on any violation
    python3 actions/content/check_content.py --render   # also print every topic as shown
    python3 actions/content/check_content.py --brief PATH --today 2026-11-22

Needs only the standard library and PyYAML. The rules are listed in README.md; each
check below names the rule it enforces. When the fact brief
(/work/shared/reference/facts-brief.md by default) is readable, sources and fact
values are also cross-checked against it; when it is not, those checks are skipped
with a note (everything else still runs).

How a placeholder is shown to the user (``format_fact``, ``render_text``) lives in
``actions/content_format.py``, shared with the assistant: what is checked is what is shown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
# Run as a script from anywhere: make the project importable for actions.content_format.
sys.path.insert(0, str(HERE.parent.parent))

# One implementation for the checker and the assistant: actions/content_format.py.
from actions.content_format import (  # noqa: E402
    PLACEHOLDER_RE,
    RUNTIME_RE,
    STRING_UNITS,
    UNIT_FORMS,
    number_text,
    render_text,
)

# shared/ sits beside the repository (developers and CI); the cross-checks skip without it.
DEFAULT_BRIEF = HERE.parent.parent.parent / "shared" / "reference" / "facts-brief.md"

# --------------------------------------------------------------------------- schema
TOPIC_FILES = {
    "shelter",
    "money",
    "housing",
    "disability",
    "family",
    "food_clothing",
    "employment",
    "health",
    "documents",
    "after_prison",
    "addiction",
    "offices",
    "human",
}
# Which file holds the topics of each intent.
INTENT_FILE = {
    "ask_shelter": "shelter",
    "ask_financial_aid": "money",
    "ask_income_criterion": "money",
    "ask_application_process": "money",
    "ask_housing_allowance": "housing",
    "ask_disability_assessment": "disability",
    "ask_family_benefits": "family",
    "ask_food_clothing": "food_clothing",
    "ask_employment": "employment",
    "ask_health_insurance": "health",
    "ask_id_documents": "documents",
    "ask_postpenitentiary_help": "after_prison",
    "ask_probation": "after_prison",
    "ask_release_checklist": "after_prison",
    "ask_addiction_help": "addiction",
    "ask_office_contact": "offices",
}
# Intents whose root topic this folder must provide (request_human is answered elsewhere).
REQUIRED_ROOT_INTENTS = sorted(INTENT_FILE)
BUTTON_INTENTS = set(INTENT_FILE) | {"request_human", "ask_capabilities"}
REQUIRED_SUBTOPICS = {
    "shelter_tonight",
    "shelter_schronisko",
    "shelter_which_gmina",
    "zasilek_staly",
    "zasilek_okresowy",
    "zasilek_celowy",
    "specjalny_zasilek_celowy",
    "income_how_counted",
    "application_documents",
    "application_interview",
    "application_decision_appeal",
    "dodatek_mieszkaniowy_who",
    "dodatek_mieszkaniowy_how",
    "dodatek_energetyczny",
    "disability_levels",
    "disability_how_to_apply",
    "disability_appeal",
    "family_zasilek_rodzinny",
    "family_800plus",
    "family_fundusz_alimentacyjny",
    "employment_register",
    "employment_zasilek",
    "health_uninsured",
    "id_card",
    "meldunek",
    "postpenitentiary_fund",
    "release_what_prison_gives",
    "probation_kurator",
    "addiction_helplines",
}
DIRECTORY_KINDS = {
    "ops",
    "pcpr",
    "pup",
    "zon",
    "shelter",
    "night_shelter",
    "warming_centre",
    "food",
    "addiction",
    "ngo",
}
NUMERIC_UNITS = {"zł", "dni", "dni robocze", "miesiące", "%", "m²"}
UNITS = NUMERIC_UNITS | STRING_UNITS

SOURCE_KEYS = {"title", "url", "source_date", "brief_section"}
FACT_KEYS = {
    "value",
    "unit",
    "label",
    "valid_from",
    "valid_until",
    "show_date",
    "legal_basis",
    "sources",
    "checked",
}
TOPIC_KEYS_REQUIRED = {"intent", "checked", "messages", "buttons"}
TOPIC_KEYS = TOPIC_KEYS_REQUIRED | {"directory", "starts"}
# A topic may start an interactive tool (a Rasa form) right after its messages; the form
# asks the next question itself, so such a topic has no buttons.
TOOL_FORMS = {"eligibility_form", "release_form"}
TOOL_FILES = {"release_checklist", "eligibility"}
TOOL_KEYS = {"checked", "messages", "phases", "steps", "buttons"}
STEP_KEYS = {"id", "phase", "text", "sources", "office", "deadline_fact"}
MESSAGE_KEYS = {"text", "sources"}
BUTTON_KEYS = {"title", "payload"}

SOURCE_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SNAKE_ID_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
PAYLOAD_RE = re.compile(r"^/([a-z_]+)(\{.*\})?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SOURCE_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PHONE_RE = re.compile(r"^\d{2,4}( \d{2,4})*$")
HOURS_RE = re.compile(r"^\d{1,2}:\d{2}–\d{1,2}:\d{2}$")

# ------------------------------------------------------------------- text rules
MAX_TEXT_CHARS = 300
PLACEHOLDER_ASSUMED_CHARS = 12
MAX_SENTENCE_WORDS = 20
MIN_MESSAGES, MAX_MESSAGES = 2, 5
MIN_BUTTONS, MAX_BUTTONS = 2, 4
MAX_BUTTON_TITLE = 30

# Formal address instead of the "ty" form.
FORMAL_RE = re.compile(r"\b(Pan|Pani|Pana|Panu|Panią|Panem|Państwo|Państwa|Państwu)\b")
# Second-person pronouns are capitalised, as in the rest of the assistant.
LOWER_PRONOUN_RE = re.compile(
    r"\b(ciebie|cię|tobie|tobą|twój|twoja|twoje|twojego|twojej|twoim|twoją|twoich|twoimi)\b"
)
# Bureaucratic style: passive voice with "zostać"/"być" + passive participle, officialese.
PASSIVE_RE = re.compile(
    r"\b(zostanie|zostaną|zostaje|zostają|zostać|został|została|zostało|zostały)\b"
    r"|\b(jest|są|będzie|będą|był|była|było|były)\s+\w+(any|ana|ane|ani|ony|ona|one|eni|ęty|ęta|ęte|ęci)\b",
    re.IGNORECASE,
)
# Past-tense 2nd-person forms show the user's gender ("byłeś/byłaś"): avoid them.
GENDERED_RE = re.compile(r"\b\w+(łeś|łaś|łbyś|łabyś)\b", re.IGNORECASE)
OFFICIALESE_RE = re.compile(
    r"\b(należy|winien|winna|niniejsz\w*|wnioskodawc\w*|świadczeniobiorc\w*|przysługuj\w*"
    r"|uprawnion\w*|celem|tzw\.|ww\.|w/w|art\.|ust\.|pkt|Dz\.\s?U\.)|§",
    re.IGNORECASE,
)
# Jargon that must be explained in the message where a topic first uses it: that
# message must contain an explanation marker ("czyli", " to ", a colon, a dash or a
# parenthesis) after the term.
JARGON = {
    "kontrakt socjalny": r"kontrakt\w* socjaln\w*",
    "kryterium": r"kryteri\w*",
    "SKO": r"\bSKO\b|kolegi\w* odwoławcz\w*",
    "dozór": r"dozor\w*|dozór",
    "brutto": r"\bbrutto\b",
    "netto": r"\bnetto\b",
    "meldunek": r"meldun\w*|zameldowa\w*",
    "noclegownia": r"noclegowni\w*",
    "ogrzewalnia": r"ogrzewalni\w*",
    "schronisko": r"schronisk\w*",
    "świadectwo zwolnienia": r"świadectw\w* zwolnieni\w*",
    "komisja penitencjarna": r"komisj\w* penitencjarn\w*",
    "wywiad": r"\bwywiad\w*",
}
EXPLAIN_RE = re.compile(r"czyli|\bto\b|:|–|—|\(")
# Cardinal numbers written as words are numbers too: they must be facts. Allowed:
# ordinals ("pierwszy"), "jeden z" ("one of"), "raz na" ("once per", part of a fact)
# and the programme name "osiemset plus" (Rodzina 800+; the amount itself is a fact).
NUMBER_WORD_RE = re.compile(
    r"\b(dwa|dwie|dwóch|dwoma|dwu|trzy|trzech|trzema|cztery|czterech|czterema|pięć|pięciu|"
    r"sześć|sześciu|siedem|siedmiu|osiem|ośmiu|dziewięć|dziewięciu|dziesięć|dziesięciu|"
    r"\w*naście|\w*naście\w+|\w*dzieści\w*|sto|stu|dwieście|trzysta|czterysta|\w+set|"
    r"tysiąc\w*|tysięc\w*|milion\w*|pół|półtora|połow\w*|ćwierć)\b",
    re.IGNORECASE,
)
NUMBER_WORD_ALLOWED_RE = re.compile(r"„?osiemset plus”?", re.IGNORECASE)
# The last message of a topic must tell the user what to do now.
NEXT_STEP_RE = re.compile(
    r"\b(idź|zgłoś|zapytaj|zadzwoń|dzwoń|napisz|wybierz|poproś|złóż|przyjdź|weź|zabierz|"
    r"sprawdź|pokaż|zarejestruj|odwołaj|powiedz|porozmawiaj|przynieś|zanieś|wejdź|"
    r"zamelduj|postaraj|pilnuj|oddaj)\b",
    re.IGNORECASE,
)
# Things the brief marks UNCONFIRMED: these values must never become facts, and these
# claims must never appear in texts or legal bases.
UNCONFIRMED_VALUES = [
    (418, "zł", "cap on zasiłek okresowy (brief 1.3: UNCONFIRMED)"),
    (40, "m²", "normative area for 2 persons (brief 3.1: UNCONFIRMED)"),
    (1970.60, "zł", "renta socjalna from March 2026 (forecast only)"),
]
UNCONFIRMED_PHONES = {
    "800 70 2222": "ITAKA line closed 31 Dec 2020, relaunch UNCONFIRMED",
    "801 889 880": "behavioural addictions line, current operation UNCONFIRMED",
    "222 309 900": "victims' helpline, current operation UNCONFIRMED",
    "801 199 990": "old paid number; the brief says use 800 199 990",
}
UNCONFIRMED_TEXT_RE = re.compile(
    r"jedn\w+ trzeci\w*|trzeci\w* część|przeciętnego wynagrodzenia|średniej pensji",
    re.IGNORECASE,
)
UNCONFIRMED_LEGAL_RE = re.compile(
    r"art\.\s*13\b|art\.\s*5c\b|art\.\s*166\s*§\s*3|art\.\s*40\s*ust\.\s*3",
)


# ------------------------------------------------------------------ formatting
# Formatting lives in actions/content_format.py (imported above).


# ----------------------------------------------------------------------- brief
MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "stycznia": 1,
    "lutego": 2,
    "marca": 3,
    "kwietnia": 4,
    "maja": 5,
    "czerwca": 6,
    "lipca": 7,
    "sierpnia": 8,
    "września": 9,
    "października": 10,
    "listopada": 11,
    "grudnia": 12,
}


def dates_in(text: str) -> set[str]:
    """Dates written in a brief parenthesis, normalised to YYYY[-MM[-DD]]."""
    found: set[str] = set()
    for y, m, d in re.findall(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b", text):
        found.add(f"{y}-{m}-{d}" if d else f"{y}-{m}")
    for d, m, y in re.findall(r"\b(\d{1,2})\.(\d{2})\.(\d{4})\b", text):
        found.add(f"{y}-{m}-{int(d):02d}")
    for d, name, y in re.findall(r"\b(\d{1,2}) ([A-Za-ząćęłńóśźż]+)\.? (\d{4})\b", text):
        if name.lower() in MONTHS:
            found.add(f"{y}-{MONTHS[name.lower()]:02d}-{int(d):02d}")
    for y in re.findall(r"(?<![\d.-])(\d{4})(?![\d-])", text):
        found.add(y)
    return found


class Brief:
    def __init__(self, text: str) -> None:
        self.text = text
        self.sections: dict[str, str] = {}
        heads = list(re.finditer(r"^(##+)\s+(\d+(?:\.\d+)?)\.?\s", text, re.MULTILINE))
        for i, h in enumerate(heads):
            level = len(h.group(1))
            end = len(text)
            for later in heads[i + 1 :]:
                if len(later.group(1)) <= level:
                    end = later.start()
                    break
            self.sections[h.group(2)] = text[h.start() : end]

    def parentheticals_after(self, section: str, url: str) -> list[str]:
        body = self.sections.get(section, "")
        out = []
        for m in re.finditer(re.escape(url), body):
            rest = body[m.end() : m.end() + 200]
            p = re.match(r"[;,.]?\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)", rest)
            out.append(p.group(1) if p else "")
        return out

    def has_value(self, value: Any, unit: str) -> bool:
        if unit in STRING_UNITS:
            return str(value) in self.text
        cands = {str(value)}
        num = number_text(value).replace("\u00a0", " ")
        cands |= {num, num.replace(" ", ""), num.replace(" ", "\u202f")}
        if isinstance(value, float) and not value.is_integer():
            cands.add(f"{value:.2f}")
        body = self.text.replace("\u202f", " ")
        return any(re.search(rf"(?<![\d,]){re.escape(c)}(?![\d]|,\d)", body) for c in cands)


# ----------------------------------------------------------------------- checks
class Checker:
    def __init__(self, root: Path, brief: Brief | None, today: dt.date) -> None:
        self.root = root
        self.brief = brief
        self.today = today
        self.errors: list[str] = []
        self.sources: dict[str, Any] = {}
        self.facts: dict[str, Any] = {}
        self.topics: dict[str, dict[str, Any]] = {}
        self.topic_file: dict[str, str] = {}

    def err(self, where: str, msg: str) -> None:
        self.errors.append(f"{where}: {msg}")

    # -- helpers
    def load(self, path: Path) -> Any:
        try:
            with path.open(encoding="utf-8") as fh:
                return yaml.safe_load(fh)
        except (OSError, yaml.YAMLError) as exc:
            self.err(str(path.relative_to(self.root)), f"cannot read YAML: {exc}")
            return None

    def check_date(
        self, where: str, value: Any, *, nullable: bool, not_future: bool = False
    ) -> None:
        if value is None:
            if not nullable:
                self.err(where, "date is required")
            return
        if not isinstance(value, str) or not DATE_RE.match(value):
            self.err(where, f"date must be a quoted 'YYYY-MM-DD' string, got {value!r}")
            return
        try:
            d = dt.date.fromisoformat(value)
        except ValueError:
            self.err(where, f"not a real date: {value}")
            return
        if not_future and d > self.today:
            self.err(where, f"date {value} is in the future (today {self.today})")

    def check_keys(self, where: str, obj: Any, allowed: set[str], required: set[str]) -> bool:
        if not isinstance(obj, dict):
            self.err(where, "must be a mapping")
            return False
        for k in sorted(set(obj) - allowed):
            self.err(where, f"unknown key {k!r}")
        for k in sorted(required - set(obj)):
            self.err(where, f"missing key {k!r}")
        return True

    def check_source_list(self, where: str, ids: Any) -> None:
        if not isinstance(ids, list) or not ids:
            self.err(where, "sources must be a non-empty list of source ids")
            return
        if len(set(map(str, ids))) != len(ids):
            self.err(where, "duplicate source ids")
        for sid in ids:
            if sid not in self.sources:
                self.err(where, f"unknown source id {sid!r}")

    # -- sources.yml
    def check_sources(self) -> None:
        data = self.load(self.root / "sources.yml")
        if (
            not isinstance(data, dict)
            or set(data) != {"sources"}
            or not isinstance(data["sources"], dict)
        ):
            self.err("sources.yml", "must contain exactly one top-level mapping 'sources'")
            return
        self.sources = data["sources"]
        urls: dict[str, str] = {}
        for sid, src in self.sources.items():
            where = f"sources.yml:{sid}"
            if not SOURCE_ID_RE.match(str(sid)):
                self.err(where, "id must be lowercase letters/digits separated by single dashes")
            if not self.check_keys(where, src, SOURCE_KEYS, SOURCE_KEYS):
                continue
            if not isinstance(src["title"], str) or not src["title"].strip():
                self.err(where, "title must be a non-empty string")
            url = src["url"]
            if not isinstance(url, str) or not re.match(r"^https?://\S+$", url):
                self.err(where, "url must be an http(s) URL")
                continue
            if url in urls:
                self.err(where, f"same url as {urls[url]}")
            urls[url] = sid
            sdate = src["source_date"]
            if sdate is not None:
                if not isinstance(sdate, str) or not SOURCE_DATE_RE.match(sdate):
                    self.err(where, "source_date must be null or 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'")
                elif len(sdate) == 10:
                    self.check_date(where + ".source_date", sdate, nullable=False, not_future=True)
            section = src["brief_section"]
            if not isinstance(section, str) or not re.match(r"^\d+(\.\d+)?$", section):
                self.err(where, "brief_section must be a string like '1.4' or '7'")
                continue
            if self.brief is None:
                continue
            if section not in self.brief.sections:
                self.err(where, f"brief has no section {section}")
                continue
            parens = self.brief.parentheticals_after(section, url)
            if not parens:
                self.err(where, f"url not found in brief section {section}")
                continue
            if sdate is None:
                if not any("undated" in p or "not shown" in p or not dates_in(p) for p in parens):
                    self.err(
                        where, f"source_date is null but the brief dates this source: {parens}"
                    )
            elif not any(sdate in dates_in(p) for p in parens):
                self.err(where, f"source_date {sdate} not what the brief shows: {parens}")

    # -- facts.yml
    def check_facts(self) -> None:
        data = self.load(self.root / "facts.yml")
        if (
            not isinstance(data, dict)
            or set(data) != {"facts"}
            or not isinstance(data["facts"], dict)
        ):
            self.err("facts.yml", "must contain exactly one top-level mapping 'facts'")
            return
        self.facts = data["facts"]
        for fid, fact in self.facts.items():
            where = f"facts.yml:{fid}"
            if not SNAKE_ID_RE.match(str(fid)):
                self.err(where, "id must be snake_case (lowercase letters, digits, underscores)")
            if not self.check_keys(where, fact, FACT_KEYS, FACT_KEYS):
                continue
            unit, value = fact["unit"], fact["value"]
            if unit not in UNITS:
                self.err(where, f"unit {unit!r} not one of {sorted(UNITS)}")
                continue
            if unit in STRING_UNITS:
                if not isinstance(value, str):
                    self.err(where, f"value of a {unit} fact must be a quoted string")
                elif unit == "phone" and not PHONE_RE.match(value):
                    self.err(
                        where, f"phone number {value!r} must be digit groups separated by spaces"
                    )
                elif unit == "godziny" and not HOURS_RE.match(value):
                    self.err(where, f"hours {value!r} must look like '16:00–21:00'")
                if unit == "phone" and value in UNCONFIRMED_PHONES:
                    self.err(where, f"UNCONFIRMED number {value}: {UNCONFIRMED_PHONES[value]}")
            else:
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                    self.err(where, "value must be a positive number")
                    continue
                if unit in UNIT_FORMS and not float(value).is_integer():
                    self.err(where, f"a count of {unit} must be a whole number")
                for bad, bad_unit, why in UNCONFIRMED_VALUES:
                    if unit == bad_unit and abs(float(value) - bad) < 0.005:
                        self.err(where, f"value {value} {unit} is UNCONFIRMED: {why}")
            for key in ("label", "legal_basis"):
                if not isinstance(fact[key], str) or not fact[key].strip():
                    self.err(where, f"{key} must be a non-empty string")
            if isinstance(fact["legal_basis"], str) and UNCONFIRMED_LEGAL_RE.search(
                fact["legal_basis"]
            ):
                self.err(where, "legal_basis cites an article number the brief marks UNCONFIRMED")
            self.check_date(where + ".valid_from", fact["valid_from"], nullable=True)
            self.check_date(where + ".valid_until", fact["valid_until"], nullable=True)
            self.check_date(where + ".checked", fact["checked"], nullable=False, not_future=True)
            if (
                fact["valid_from"]
                and fact["valid_until"]
                and fact["valid_from"] > fact["valid_until"]
            ):
                self.err(where, "valid_from is after valid_until")
            if not isinstance(fact["show_date"], bool):
                self.err(where, "show_date must be true or false")
            has_date = bool(fact["valid_from"] or fact["valid_until"])
            if fact["show_date"] is not has_date:
                self.err(
                    where,
                    "show_date must be true exactly when valid_from or valid_until is set "
                    "(a dated value is always shown with its date)",
                )
            start = fact["valid_from"]
            if isinstance(start, str) and DATE_RE.match(start) and start > self.today.isoformat():
                self.err(where, "valid_from is in the future: the value is not in force yet")
            self.check_source_list(where, fact["sources"])
            if self.brief is not None and not self.brief.has_value(value, unit):
                self.err(where, f"value {value!r} does not appear in the fact brief")

    # -- topics/*.yml
    def check_topic_files(self) -> None:
        tdir = self.root / "topics"
        files = sorted(tdir.glob("*.yml")) if tdir.is_dir() else []
        names = {p.stem for p in files}
        for name in sorted(names - TOPIC_FILES):
            self.err(f"topics/{name}.yml", f"unexpected topic file; allowed: {sorted(TOPIC_FILES)}")
        for name in sorted(TOPIC_FILES - names):
            self.err(f"topics/{name}.yml", "missing topic file")
        for path in files:
            data = self.load(path)
            where = f"topics/{path.name}"
            if not isinstance(data, dict) or set(data) != {"topics"}:
                self.err(where, "must contain exactly one top-level key 'topics'")
                continue
            topics = data["topics"] or {}
            if not isinstance(topics, dict):
                self.err(where, "'topics' must be a mapping (may be empty: {})")
                continue
            for tid, topic in topics.items():
                if tid in self.topics:
                    self.err(
                        f"{where}:{tid}", f"topic id already defined in {self.topic_file[tid]}"
                    )
                    continue
                self.topics[tid] = topic
                self.topic_file[tid] = path.stem

    def root_of(self, intent: str) -> str:
        return intent[len("ask_") :] if intent.startswith("ask_") else intent

    def parse_payload(self, where: str, payload: Any) -> tuple[str | None, str | None]:
        if not isinstance(payload, str):
            self.err(where, "payload must be a string")
            return None, None
        m = PAYLOAD_RE.match(payload)
        if not m:
            self.err(
                where, f'payload {payload!r} must look like /intent or /intent{{"topic": "id"}}'
            )
            return None, None
        intent, raw = m.group(1), m.group(2)
        if intent not in BUTTON_INTENTS:
            self.err(where, f"payload intent {intent!r} not allowed")
            return None, None
        if raw is None:
            return intent, None
        try:
            ents = json.loads(raw)
        except json.JSONDecodeError:
            self.err(where, f"entities in {payload!r} are not valid JSON")
            return intent, None
        if (
            not isinstance(ents, dict)
            or set(ents) != {"topic"}
            or not isinstance(ents["topic"], str)
        ):
            self.err(where, f'entities in {payload!r} may only be {{"topic": "<id>"}}')
            return intent, None
        return intent, ents["topic"]

    def check_text(self, where: str, text: str, sources: list[str]) -> None:
        used = PLACEHOLDER_RE.findall(text)
        for fid in used:
            if fid not in self.facts:
                self.err(where, f"unknown fact placeholder {{{fid}}}")
        bare = PLACEHOLDER_RE.sub("", text)
        if re.search(r"\d", bare):
            self.err(where, "digit outside a {fact} placeholder (every number must be a fact)")
        if m := NUMBER_WORD_RE.search(NUMBER_WORD_ALLOWED_RE.sub("", bare)):
            self.err(where, f"number written as a word {m.group(0)!r}: make it a fact placeholder")
        if "{" in bare or "}" in bare:
            self.err(where, "stray brace: placeholders are {fact_id} in snake_case")
        assumed = len(bare) + PLACEHOLDER_ASSUMED_CHARS * len(used)
        if assumed > MAX_TEXT_CHARS:
            self.err(
                where,
                f"{assumed} characters with placeholders counted as "
                f"{PLACEHOLDER_ASSUMED_CHARS} (max {MAX_TEXT_CHARS})",
            )
        if all(f in self.facts for f in used):
            shown = render_text(text, self.facts)
            if len(shown) > MAX_TEXT_CHARS:
                self.err(where, f"{len(shown)} characters as shown (max {MAX_TEXT_CHARS})")
        for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
            words = len(PLACEHOLDER_RE.sub("X Y", sentence).split())
            if words > MAX_SENTENCE_WORDS:
                self.err(
                    where, f"sentence of {words} words (max {MAX_SENTENCE_WORDS}): {sentence!r}"
                )
        plain = PLACEHOLDER_RE.sub("X", text)  # style checks must not see fact ids
        if m := FORMAL_RE.search(plain):
            self.err(where, f"formal address {m.group(0)!r}: use the 'ty' form")
        if m := LOWER_PRONOUN_RE.search(plain):
            self.err(where, f"write the pronoun {m.group(0)!r} with a capital letter")
        if m := PASSIVE_RE.search(plain):
            self.err(where, f"bureaucratic passive {m.group(0)!r}: say who does what")
        if m := GENDERED_RE.search(plain):
            self.err(where, f"{m.group(0)!r} shows the user's gender: rephrase (present tense)")
        if m := OFFICIALESE_RE.search(plain):
            self.err(where, f"officialese / legal reference {m.group(0)!r}: use plain words")
        if m := UNCONFIRMED_TEXT_RE.search(plain):
            self.err(where, f"{m.group(0)!r}: the brief marks this UNCONFIRMED")
        if re.search(r"\s[,.!?]|\s{2,}|^\s|\s$", text):
            self.err(where, "stray whitespace")
        # traceability: a message using a fact cites at least one of the fact's sources
        for fid in used:
            fact = self.facts.get(fid)
            if isinstance(fact, dict) and isinstance(fact.get("sources"), list):
                if not set(fact["sources"]) & set(sources):
                    self.err(
                        where, f"uses {{{fid}}} but cites none of its sources {fact['sources']}"
                    )
                until = fact.get("valid_until")
                if (
                    until
                    and until < self.today.isoformat()
                    and not re.search(r"nie wiem|nie znam|sprawdź|zapytaj", text, re.IGNORECASE)
                ):
                    self.err(
                        where,
                        f"{{{fid}}} is no longer in force ({until}); the message must "
                        "say the current value is not known and where to ask",
                    )
                if fact.get("unit") == "godziny" and not re.search(r"sprawdź", text, re.IGNORECASE):
                    self.err(where, f"{{{fid}}}: opening hours must come with 'sprawdź'")

    def check_topics(self) -> None:
        referenced: dict[str, list[str]] = {}
        used_facts: set[str] = set()
        for tid, topic in self.topics.items():
            where = f"topics/{self.topic_file[tid]}.yml:{tid}"
            if not SNAKE_ID_RE.match(str(tid)):
                self.err(where, "topic id must be snake_case")
            if not self.check_keys(where, topic, TOPIC_KEYS, TOPIC_KEYS_REQUIRED):
                continue
            intent = topic["intent"]
            if intent not in INTENT_FILE:
                self.err(where, f"intent {intent!r} is not one of this folder's intents")
                continue
            if INTENT_FILE[intent] != self.topic_file[tid]:
                self.err(where, f"topics of {intent} belong in topics/{INTENT_FILE[intent]}.yml")
            for other, root in ((i, self.root_of(i)) for i in INTENT_FILE):
                if tid == root and other != intent:
                    self.err(
                        where, f"id {tid!r} is the root name of {other}, but intent is {intent}"
                    )
            self.check_date(where + ".checked", topic["checked"], nullable=False, not_future=True)
            # messages
            msgs = topic["messages"]
            if not isinstance(msgs, list) or not MIN_MESSAGES <= len(msgs) <= MAX_MESSAGES:
                self.err(where, f"messages: {MIN_MESSAGES} to {MAX_MESSAGES} items")
                msgs = msgs if isinstance(msgs, list) else []
            texts: list[str] = []
            for i, msg in enumerate(msgs, 1):
                mw = f"{where}.messages[{i}]"
                if not self.check_keys(mw, msg, MESSAGE_KEYS, MESSAGE_KEYS):
                    continue
                if not isinstance(msg["text"], str) or not msg["text"].strip():
                    self.err(mw, "text must be a non-empty string")
                    continue
                self.check_source_list(mw, msg["sources"])
                srcs = msg["sources"] if isinstance(msg["sources"], list) else []
                self.check_text(mw, msg["text"], srcs)
                used_facts.update(PLACEHOLDER_RE.findall(msg["text"]))
                texts.append(PLACEHOLDER_RE.sub("X", msg["text"]))
            if texts and not NEXT_STEP_RE.search(texts[-1]):
                self.err(
                    where,
                    "the last message must make the next step clear "
                    "(an imperative such as 'idź', 'zapytaj', 'zadzwoń', 'złóż')",
                )
            if len(set(texts)) != len(texts):
                self.err(where, "two messages are identical")
            # jargon explained at first use in the topic
            for name, pattern in JARGON.items():
                for text in texts:
                    m = re.search(pattern, text, re.IGNORECASE)
                    if m:
                        if not EXPLAIN_RE.search(text[m.start() :]):
                            self.err(
                                where,
                                f"'{name}' first used without a one-line explanation "
                                f"(add 'czyli ...', ' to ...', ':' or '(...)' after it)",
                            )
                        break
            # directory
            if "directory" in topic:
                d = topic["directory"]
                if not isinstance(d, list) or not d:
                    self.err(where, "directory must be a non-empty list (or left out)")
                else:
                    for kind in d:
                        if kind not in DIRECTORY_KINDS:
                            self.err(
                                where,
                                f"directory kind {kind!r} not one of {sorted(DIRECTORY_KINDS)}",
                            )
                    if len(set(d)) != len(d):
                        self.err(where, "directory lists a kind twice")
            # buttons
            btns = topic["buttons"]
            if "starts" in topic:
                if topic["starts"] not in TOOL_FORMS:
                    self.err(where, f"starts: must be one of {sorted(TOOL_FORMS)}")
                if btns:
                    self.err(where, "a topic that starts a form has no buttons (buttons: [])")
            elif not isinstance(btns, list) or not MIN_BUTTONS <= len(btns) <= MAX_BUTTONS:
                self.err(where, f"buttons: {MIN_BUTTONS} to {MAX_BUTTONS} items")
                btns = btns if isinstance(btns, list) else []
            seen_payloads: set[str] = set()
            seen_titles: set[str] = set()
            for i, btn in enumerate(btns, 1):
                bw = f"{where}.buttons[{i}]"
                if not self.check_keys(bw, btn, BUTTON_KEYS, BUTTON_KEYS):
                    continue
                title = btn["title"]
                if not isinstance(title, str) or not title.strip():
                    self.err(bw, "title must be a non-empty string")
                else:
                    if len(title) > MAX_BUTTON_TITLE:
                        self.err(
                            bw,
                            f"title {title!r} has {len(title)} characters (max {MAX_BUTTON_TITLE})",
                        )
                    if re.search(r"\d", title):
                        self.err(bw, "no digits in button titles")
                    if title in seen_titles:
                        self.err(bw, "duplicate title in this topic")
                    seen_titles.add(title)
                b_intent, b_topic = self.parse_payload(bw, btn["payload"])
                if isinstance(btn["payload"], str):
                    if btn["payload"] in seen_payloads:
                        self.err(bw, "duplicate payload in this topic")
                    seen_payloads.add(btn["payload"])
                if b_intent is None:
                    continue
                target = (
                    b_topic
                    if b_topic is not None
                    else (self.root_of(b_intent) if b_intent in INTENT_FILE else None)
                )
                if b_topic is not None:
                    if b_topic not in self.topics:
                        self.err(bw, f"topic {b_topic!r} does not exist")
                        continue
                    t_intent = (
                        self.topics[b_topic].get("intent")
                        if isinstance(self.topics[b_topic], dict)
                        else None
                    )
                    if t_intent != b_intent:
                        self.err(bw, f"topic {b_topic!r} belongs to {t_intent}, not {b_intent}")
                    if b_topic == self.root_of(b_intent):
                        self.err(bw, f"use plain /{b_intent} for a root topic")
                    referenced.setdefault(b_topic, []).append(tid)
                if target == tid:
                    self.err(bw, "button leads back to the same topic")
        # coverage
        for intent in REQUIRED_ROOT_INTENTS:
            root = self.root_of(intent)
            if root not in self.topics:
                self.err(
                    f"topics/{INTENT_FILE[intent]}.yml", f"missing root topic {root!r} for {intent}"
                )
        for sub in sorted(REQUIRED_SUBTOPICS - set(self.topics)):
            self.err("topics", f"missing required sub-topic {sub!r}")
        roots = {self.root_of(i) for i in INTENT_FILE}
        for tid in self.topics:
            if tid not in roots and tid not in referenced:
                self.err(f"topics:{tid}", "sub-topic is not reachable: no button points to it")
        used_facts |= self.check_domain_numbers()
        tool_facts, tool_sources = self.check_tools()
        used_facts |= tool_facts
        for fid in sorted(set(self.facts) - used_facts):
            self.err(f"facts.yml:{fid}", "fact is not used in any message")
        cited = {
            s
            for t in self.topics.values()
            if isinstance(t, dict)
            for m in (t.get("messages") or [])
            if isinstance(m, dict)
            for s in (m.get("sources") or [])
        }
        cited |= {
            s for f in self.facts.values() if isinstance(f, dict) for s in (f.get("sources") or [])
        }
        cited |= tool_sources
        for sid in sorted(set(self.sources) - cited):
            self.err(f"sources.yml:{sid}", "source is cited by no message and no fact")

    def check_domain_numbers(self) -> set[str]:
        """Numbers in Rasa's own responses (bot/domain/*.yml) must be phone facts here.

        The crisis answer is a domain response so that it works even when the action
        server is down; its phone numbers still come from facts.yml. Returns the ids of
        the facts those responses use.
        """
        domain_dir = self.root.parent.parent / "bot" / "domain"
        phones = {
            str(f.get("value")): fid
            for fid, f in self.facts.items()
            if isinstance(f, dict) and f.get("unit") == "phone"
        }
        used: set[str] = set()
        for path in sorted(domain_dir.glob("*.yml")):
            domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for name, variants in (domain.get("responses") or {}).items():
                for variant in variants or []:
                    text = str(variant.get("text", ""))
                    for number in re.findall(r"\d[\d ]*\d|\d", text):
                        if number in phones:
                            used.add(phones[number])
                        else:
                            self.err(f"{path.name}:{name}",
                                     f"number {number!r} is not a phone fact in facts.yml")
        return used

    # -- tools/*.yml: the release checklist and the eligibility pre-check
    def check_tools(self) -> tuple[set[str], set[str]]:
        """Checks tools/*.yml; returns the facts and sources they use."""
        facts: set[str] = set()
        cited: set[str] = set()
        tdir = self.root / "tools"
        found = {p.stem for p in tdir.glob("*.yml")} if tdir.is_dir() else set()
        for name in sorted(TOOL_FILES - found):
            self.err(f"tools/{name}.yml", "missing tool file")
        for name in sorted(found - TOOL_FILES):
            self.err(f"tools/{name}.yml",
                     f"unexpected tool file; allowed: {sorted(TOOL_FILES)}")
        for name in sorted(found & TOOL_FILES):
            where = f"tools/{name}.yml"
            data = self.load(tdir / f"{name}.yml")
            if not self.check_keys(where, data, TOOL_KEYS, {"checked", "messages"}):
                continue
            self.check_date(where + ".checked", data["checked"], nullable=False, not_future=True)
            items: list[tuple[str, Any]] = []
            messages = data["messages"]
            if not isinstance(messages, dict) or not messages:
                self.err(where, "messages must be a non-empty mapping")
                messages = {}
            items += [(f"{where}:messages.{k}", m) for k, m in messages.items()]
            for i, btn in enumerate(data.get("buttons") or [], 1):
                bw = f"{where}:buttons[{i}]"
                if self.check_keys(bw, btn, BUTTON_KEYS, BUTTON_KEYS):
                    if len(str(btn["title"])) > MAX_BUTTON_TITLE:
                        self.err(bw, f"title longer than {MAX_BUTTON_TITLE} characters")
                    if re.search(r"\d", str(btn["title"])):
                        self.err(bw, "digit in a button title")
            phases = data.get("phases") or {}
            steps = data.get("steps") or []
            if not isinstance(steps, list):
                self.err(where, "steps must be a list")
                steps = []
            seen: set[str] = set()
            for i, step in enumerate(steps, 1):
                sw = f"{where}:steps[{i}]"
                required = {"id", "phase", "text", "sources"}
                if not self.check_keys(sw, step, STEP_KEYS, required):
                    continue
                if step["id"] in seen:
                    self.err(sw, f"duplicate step id {step['id']!r}")
                seen.add(step["id"])
                if step["phase"] not in phases:
                    self.err(sw, f"phase {step['phase']!r} is not one of {sorted(phases)}")
                if step.get("office") is not None and step["office"] not in DIRECTORY_KINDS:
                    self.err(sw, f"office {step['office']!r} is not a directory kind")
                deadline = step.get("deadline_fact")
                if deadline is not None:
                    fact = self.facts.get(deadline)
                    if not isinstance(fact, dict) or fact.get("unit") != "dni":
                        self.err(sw, f"deadline_fact {deadline!r} must be a fact in days")
                    else:
                        facts.add(deadline)
                items.append((sw, step))
            for mw, msg in items:
                if not isinstance(msg, dict) or not isinstance(msg.get("text"), str):
                    self.err(mw, "needs a text")
                    continue
                self.check_source_list(mw, msg.get("sources"))
                srcs = msg["sources"] if isinstance(msg.get("sources"), list) else []
                cited.update(srcs)
                text = msg["text"]
                self.check_text(mw, RUNTIME_RE.sub("X", text), srcs)
                facts.update(PLACEHOLDER_RE.findall(text))
        return facts, cited

    def run(self) -> None:
        self.check_sources()
        self.check_facts()
        self.check_topic_files()
        self.check_topics()

    def render_all(self) -> str:
        out = []
        for tid, topic in self.topics.items():
            if not isinstance(topic, dict):
                continue
            out.append(f"=== {tid} [{topic.get('intent')}] ({self.topic_file[tid]}.yml)")
            for m in topic.get("messages") or []:
                try:
                    out.append("  • " + render_text(m["text"], self.facts).replace("\u00a0", " "))
                except (KeyError, TypeError):
                    out.append("  • (cannot render) " + str(m))
            if topic.get("directory"):
                out.append(f"  [directory: {', '.join(topic['directory'])}]")
            out.append("  " + " | ".join(f"[{b.get('title')}]" for b in topic.get("buttons") or []))
        return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=HERE, help="content folder (default: this folder)")
    ap.add_argument(
        "--brief", type=Path, default=DEFAULT_BRIEF, help="facts-brief.md to cross-check"
    )
    ap.add_argument(
        "--no-brief", action="store_true", help="skip the cross-checks against the brief"
    )
    ap.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        help="date used for 'checked'/validity checks (YYYY-MM-DD)",
    )
    ap.add_argument("--render", action="store_true", help="print every topic as the user sees it")
    args = ap.parse_args(argv)

    brief = None
    if not args.no_brief:
        if args.brief.is_file():
            brief = Brief(args.brief.read_text(encoding="utf-8"))
        else:
            print(f"note: {args.brief} not found; brief cross-checks skipped", file=sys.stderr)
    checker = Checker(args.root, brief, args.today)
    checker.run()
    if args.render:
        print(checker.render_all())
        print()
    n_sub = len([t for t in checker.topics if t not in {checker.root_of(i) for i in INTENT_FILE}])
    summary = (
        f"{len(checker.sources)} sources, {len(checker.facts)} facts, "
        f"{len(checker.topics)} topics ({len(checker.topics) - n_sub} root, {n_sub} sub)"
        f"{', brief cross-checked' if brief else ''}"
    )
    if checker.errors:
        for e in checker.errors:
            print(f"ERROR {e}")
        print(f"{len(checker.errors)} violation(s); {summary}")
        return 1
    print(f"OK: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
