#!/usr/bin/env python3
"""Sanity checker for Drogowskaz NLU data (no Rasa needed, only PyYAML).

Usage:  python3 tests/nlu/check_data.py [--verbose]

Checks
  * every file under nlu_data/nlu/*.yml and tests/nlu/test_nlu.yml is valid
    Rasa-3 style YAML (version "3.1", `nlu:` list of `intent` / `examples: |`)
  * entity annotation syntax `[text](entity)` -- balanced brackets, known
    entity names, no leading/trailing spaces, no preposition inside a `city`
    span, and the annotated text really occurs in the plain example at the
    computed offset
  * counts per intent (train / test) against required minimums
  * duplicates inside training data (same or other intent) and between
    training and test (exact after normalisation, plus near-duplicates)
  * share of examples without Polish letters (overall, per intent, per set)
  * `city` statistics: number of annotations, distinct surface forms,
    approximate number of distinct places, most frequent place share
Exit code 1 if any ERROR was found (warnings do not fail).
"""
import difflib
import glob
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TRAIN_GLOB = os.path.join(ROOT, "nlu_data", "nlu", "*.yml")
TEST_FILE = os.path.join(ROOT, "tests", "nlu", "test_nlu.yml")

GENERAL = ["greet", "goodbye", "thank", "affirm", "deny", "bot_challenge",
           "ask_capabilities"]
DOMAIN = ["ask_shelter", "ask_office_contact", "ask_financial_aid",
          "ask_income_criterion", "ask_housing_allowance",
          "ask_disability_assessment", "ask_family_benefits",
          "ask_food_clothing", "ask_employment", "ask_health_insurance",
          "ask_id_documents", "ask_postpenitentiary_help", "ask_probation",
          "ask_application_process", "ask_addiction_help",
          "ask_release_checklist", "crisis", "request_human", "inform_city"]
ALL_INTENTS = GENERAL + DOMAIN + ["out_of_scope"]
MIN_TRAIN = {i: 18 for i in GENERAL}
MIN_TRAIN.update({i: 45 for i in DOMAIN})
MIN_TRAIN.update({"out_of_scope": 60, "crisis": 60, "inform_city": 60})
MIN_TEST = 12
ENTITIES = {"city"}
# intents in which a city annotation is expected at least sometimes
CITY_INTENTS = {"ask_shelter", "ask_office_contact", "ask_financial_aid",
                "ask_housing_allowance", "ask_disability_assessment",
                "ask_family_benefits", "ask_food_clothing", "ask_employment",
                "ask_id_documents", "ask_postpenitentiary_help",
                "ask_addiction_help", "ask_application_process",
                "ask_release_checklist", "inform_city"}
PREPOSITIONS = {"w", "we", "z", "ze", "do", "koło", "kolo", "pod", "na", "od",
                "przy", "obok", "nad", "za", "dla", "u", "po"}
POLISH = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
LONG_ENDINGS = {"iec", "iek", "ach", "ami", "ego", "iem", "kiem", "cem",
                "ich", "ymi", "emu", "owi", "ieg", "ecu", "eca"}
ANNOT = re.compile(r"\[([^\[\]]*)\]\(([^()]*)\)")

errors, warnings = [], []


def err(msg):
    errors.append(msg)


def warn(msg):
    warnings.append(msg)


def strip_diacritics(s):
    s = s.replace("ł", "l").replace("Ł", "L")
    return "".join(c for c in unicodedata.normalize("NFKD", s)
                   if not unicodedata.combining(c))


def norm(text):
    t = strip_diacritics(text.lower())
    t = re.sub(r"[^\w\s]", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def parse_example(raw, where):
    """Return (plain_text, [(start, end, value, entity)])."""
    ents, plain, pos = [], [], 0
    for m in ANNOT.finditer(raw):
        plain.append(raw[pos:m.start()])
        start = sum(len(p) for p in plain)
        value, ent = m.group(1), m.group(2)
        plain.append(value)
        ents.append((start, start + len(value), value, ent))
        pos = m.end()
    plain.append(raw[pos:])
    text = "".join(plain)
    if any(c in text for c in "[]"):
        err(f"{where}: stray bracket / malformed annotation: {raw!r}")
    if re.search(r"\]\s+\(", raw):
        err(f"{where}: space between ] and ( : {raw!r}")
    for start, end, value, ent in ents:
        if ent not in ENTITIES:
            err(f"{where}: unknown entity {ent!r} in {raw!r}")
        if not value.strip():
            err(f"{where}: empty entity text in {raw!r}")
        if value != value.strip():
            err(f"{where}: entity text with surrounding spaces {value!r}")
        if text[start:end] != value or value not in text:
            err(f"{where}: entity text {value!r} not found in {text!r}")
        first = value.split()[0].lower() if value.split() else ""
        if ent == "city" and first in PREPOSITIONS:
            err(f"{where}: preposition inside city span {value!r}")
        # entity should be a whole word: not glued to letters around it
        if start > 0 and text[start - 1].isalnum():
            warn(f"{where}: entity {value!r} glued to previous char: {text!r}")
        if end < len(text) and text[end].isalnum():
            warn(f"{where}: entity {value!r} glued to next char: {text!r}")
    return text, ents


def load(path):
    with open(path, encoding="utf-8") as fh:
        raw_text = fh.read()
    try:
        data = yaml.safe_load(raw_text)
    except yaml.YAMLError as e:
        err(f"{path}: YAML error {e}")
        return []
    rel = os.path.relpath(path, ROOT)
    if not isinstance(data, dict) or str(data.get("version")) != "3.1":
        err(f"{rel}: missing version: \"3.1\"")
    if not raw_text.startswith('version: "3.1"'):
        warn(f"{rel}: file does not start with version: \"3.1\"")
    blocks = (data or {}).get("nlu")
    if not isinstance(blocks, list):
        err(f"{rel}: no `nlu:` list")
        return []
    out = []
    for b in blocks:
        if not isinstance(b, dict) or "intent" not in b or "examples" not in b:
            err(f"{rel}: block without intent/examples: {b!r}"[:200])
            continue
        intent = b["intent"]
        if intent not in ALL_INTENTS:
            err(f"{rel}: unknown intent {intent!r}")
        if not isinstance(b["examples"], str):
            err(f"{rel}: examples of {intent} is not a literal block")
            continue
        for line in b["examples"].splitlines():
            if not line.strip():
                continue
            if not line.startswith("- "):
                err(f"{rel}/{intent}: line does not start with '- ': {line!r}")
                continue
            raw = line[2:].strip()
            if not raw:
                err(f"{rel}/{intent}: empty example")
                continue
            text, ents = parse_example(raw, f"{rel}/{intent}")
            out.append(dict(file=rel, intent=intent, raw=raw, text=text,
                            ents=ents, norm=norm(text)))
    return out


# ---------------------------------------------------------------- cities
def place_key_cluster(forms):
    """Group normalised city surface forms into approximate places.
    Two forms are merged when they have the same number of words and every
    word pair shares a prefix of length >= max(3, min_len - 3)."""
    forms = sorted(forms)
    parent = {f: f for f in forms}

    def find(f):
        while parent[f] != f:
            parent[f] = parent[parent[f]]
            f = parent[f]
        return f

    def same(a, b):
        wa, wb = a.split(), b.split()
        if len(wa) != len(wb):
            return False
        for x, y in zip(wa, wb, strict=True):
            cp = len(os.path.commonprefix([x, y]))  # noqa: RUF071 - a character prefix is meant
            if cp < max(3, min(len(x), len(y)) - 3):
                return False
            # what is left after the common prefix must look like an
            # inflectional ending (Sosnow-iec / Sosnow-cu, Krakow- / -ie),
            # otherwise Lubin/Lublin or Opole/Opoczno would be merged
            for rest in (x[cp:], y[cp:]):
                if len(rest) > 2 and rest not in LONG_ENDINGS:
                    return False
        return True

    for i, a in enumerate(forms):
        for b in forms[i + 1:]:
            if same(a, b):
                parent[find(b)] = find(a)
    groups = defaultdict(list)
    for f in forms:
        groups[find(f)].append(f)
    return groups


def city_form(value):
    return norm(value.replace("-", " "))


def main():
    verbose = "--verbose" in sys.argv
    train = []
    files = sorted(glob.glob(TRAIN_GLOB))
    if not files:
        err("no training files found")
    for f in files:
        train.extend(load(f))
    test = load(TEST_FILE) if os.path.exists(TEST_FILE) else []
    if not test:
        warn("no test data (tests/nlu/test_nlu.yml)")

    # ---- counts
    tr_cnt = Counter(e["intent"] for e in train)
    te_cnt = Counter(e["intent"] for e in test)
    print(f"{'intent':28s} {'train':>6s} {'test':>5s} {'noPL%tr':>8s} "
          f"{'noPL%te':>8s} {'city_tr':>7s}")
    for i in ALL_INTENTS:
        tr = [e for e in train if e["intent"] == i]
        te = [e for e in test if e["intent"] == i]
        nopl_tr = 100 * sum(not (set(e["text"]) & POLISH) for e in tr) / max(1, len(tr))
        nopl_te = 100 * sum(not (set(e["text"]) & POLISH) for e in te) / max(1, len(te))
        ncity = sum(1 for e in tr for x in e["ents"] if x[3] == "city")
        print(f"{i:28s} {len(tr):6d} {len(te):5d} {nopl_tr:7.1f}% {nopl_te:7.1f}% {ncity:7d}")
        if tr_cnt[i] < MIN_TRAIN[i]:
            err(f"{i}: only {tr_cnt[i]} training examples (min {MIN_TRAIN[i]})")
        if test and te_cnt[i] < MIN_TEST:
            err(f"{i}: only {te_cnt[i]} test examples (min {MIN_TEST})")
        if i in CITY_INTENTS and ncity == 0:
            warn(f"{i}: no city annotations in training data")
    print(f"{'TOTAL':28s} {len(train):6d} {len(test):5d}")

    def nopl_share(xs):
        return 100 * sum(not (set(e["text"]) & POLISH) for e in xs) / max(1, len(xs))
    print(f"\nshare without Polish letters: train {nopl_share(train):.1f}%, "
          f"test {nopl_share(test):.1f}%")
    # examples that *should* have Polish letters (some word of theirs is
    # spelled with diacritics elsewhere in the data) but are written without
    pl_words = {w for e in train + test for w in re.findall(r"\w+", e["text"].lower())
                if set(w) & POLISH}
    stripped_forms = {strip_diacritics(w) for w in pl_words}
    for s, name in ((train, "train"), (test, "test")):
        needs = [e for e in s if (set(e["text"]) & POLISH) or any(
            w in stripped_forms for w in re.findall(r"\w+", e["text"].lower()))]
        without = [e for e in needs if not set(e["text"]) & POLISH]
        print(f"  {name}: of {len(needs)} examples that need Polish letters, "
              f"{len(without)} ({100 * len(without) / max(1, len(needs)):.1f}%) "
              f"are written without them")
    for s, name in ((train, "train"), (test, "test")):
        sh = nopl_share(s)
        if s and not 25 <= sh <= 50:
            warn(f"{name}: share without Polish letters {sh:.1f}% "
                 f"(target about one third)")

    # ---- duplicates in training
    seen, norm_dups = {}, []
    for e in train:
        k = e["norm"]
        if k in seen:
            o = seen[k]
            if o["intent"] != e["intent"]:
                err(f"duplicate across intents: {o['intent']}:{o['raw']!r} / "
                    f"{e['intent']}:{e['raw']!r}")
            elif o["raw"] == e["raw"]:
                err(f"exact duplicate in {e['intent']}: {e['raw']!r}")
            else:
                # same words, only case / diacritics differ: different tokens
                # for the featurizer, deliberately kept; counted, not listed
                norm_dups.append((o["raw"], e["raw"]))
        else:
            seen[k] = e

    print(f"training pairs differing only by case/diacritics: {len(norm_dups)}")
    if verbose:
        for a, b in norm_dups:
            print(f"    {a!r} / {b!r}")

    # ---- duplicates inside test
    tseen = {}
    for e in test:
        if e["norm"] in tseen:
            err(f"duplicate inside test: {e['raw']!r}")
        tseen[e["norm"]] = e

    # ---- train/test leakage: exact, city-masked and near duplicates
    def masked(e):
        t, shift = e["text"], 0
        for s, en, _value, _entity in e["ents"]:
            t = t[:s + shift] + "CITY" + t[en + shift:]
            shift += 4 - (en - s)
        return norm(t)
    train_masked = defaultdict(list)
    for e in train:
        train_masked[masked(e)].append(e)
    near = bare = 0
    for e in test:
        if e["norm"] in seen:
            o = seen[e["norm"]]
            err(f"test example also in training ({o['intent']}): {e['raw']!r}")
            continue
        m = masked(e)
        if e["ents"] and m in train_masked and len(m.split()) <= 2:
            bare += 1  # "Kutno", "w Kutnie": frame is only the city itself
        elif e["ents"] and m in train_masked:
            err(f"test example is a city-swap of training: {e['raw']!r} ~ "
                f"{train_masked[m][0]['raw']!r}")
            continue
        best, bo = 0.0, None
        for o in train:
            sm = difflib.SequenceMatcher(None, e["norm"], o["norm"])
            if sm.real_quick_ratio() < 0.85 or sm.quick_ratio() < 0.85:
                continue
            r = sm.ratio()
            if r > best:
                best, bo = r, o
        if best >= 0.85 and len(e["norm"]) > 12:
            near += 1
            # the same intent: the test example is as good as in training (leak);
            # another intent: a near-miss the model must tell apart (allowed)
            report = err if bo["intent"] == e["intent"] else warn
            report(f"test near-copy of training ({best:.2f}): {e['raw']!r} ~ "
                   f"{bo['intent']}:{bo['raw']!r}")
    print(f"test near-copies of training (ratio>=0.85): {near}; "
          f"bare-city test examples (frame = city only): {bare}")

    # ---- template detection inside training (same city-masked frame)
    frames = Counter()
    for e in train:
        if e["ents"]:
            frames[(e["intent"], masked(e))] += 1
    per_intent = Counter(e["intent"] for e in train)
    shared = Counter()
    for (i, fr), v in frames.items():
        if v > 1:
            shared[i] += v
            if v > 3 and not (i == "inform_city" and fr == "city"):
                warn(f"{i}: frame used {v}x with different cities: {fr!r}")
    for i, v in shared.items():
        share = v / per_intent[i]
        flag = "  <-- high" if share > 0.15 and i != "inform_city" else ""
        print(f"  {i}: {v} examples share a city-masked frame "
              f"({100 * share:.0f}%){flag}")

    # ---- cities
    for s, name in ((train, "train"), (test, "test")):
        vals = [city_form(x[2]) for e in s for x in e["ents"] if x[3] == "city"]
        if not vals:
            continue
        groups = place_key_cluster(set(vals))
        form2place = {f: k for k, fs in groups.items() for f in fs}
        per_place = Counter(form2place[v] for v in vals)
        top = per_place.most_common(8)
        print(f"\n{name}: city annotations {len(vals)}, distinct surface forms "
              f"{len(set(vals))}, approx. distinct places {len(groups)}")
        print("  most frequent places: " + ", ".join(
            f"{k} {c} ({100 * c / len(vals):.1f}%)" for k, c in top))
        if name == "train":
            for k, c in per_place.items():
                if c / len(vals) > 0.03 and c > 3:
                    warn(f"city {k!r} is {100 * c / len(vals):.1f}% of "
                         f"training city annotations (> 3%)")
        if verbose:
            for k in sorted(groups):
                print(f"    {k}: {', '.join(sorted(groups[k]))} [{per_place[k]}]")
    if train and test:
        trp = set(place_key_cluster({city_form(x[2]) for e in train for x in e["ents"]}))
        tep = {city_form(x[2]) for e in test for x in e["ents"]}
        allg = place_key_cluster(trp | tep)
        f2p = {f: k for k, fs in allg.items() for f in fs}
        trp_places = {f2p[f] for f in trp}
        unseen = {f2p[f] for f in tep} - trp_places
        print(f"test places not seen in training: {len(unseen)} of "
              f"{len({f2p[f] for f in tep})}")

    print(f"\n{len(errors)} errors, {len(warnings)} warnings")
    for w in warnings if verbose or len(warnings) < 60 else warnings[:60]:
        print("WARNING:", w)
    if len(warnings) >= 60 and not verbose:
        print(f"... {len(warnings) - 60} more warnings (use --verbose)")
    for e in errors:
        print("ERROR:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
