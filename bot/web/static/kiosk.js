"use strict";
// Drogowskaz kiosk. One fresh conversation id per person; nothing is stored in the
// browser (no cookies, no local or session storage). Every text from the person or the
// assistant is set with textContent, never as HTML.
(function () {
  const body = document.body;
  const $ = (id) => document.getElementById(id);

  const IDLE_SECONDS = positiveInt(body.dataset.idleSeconds, 120);
  const COUNTDOWN_SECONDS = positiveInt(body.dataset.countdownSeconds, 20);
  const SLOW_AFTER_MS = 8000;        // "this takes longer than usual"
  const GIVE_UP_AFTER_MS = 20000;    // no answer at all: abort and retry
  const RETRY_DELAYS_S = [3, 5, 10, 20, 30];
  const MAX_TEXT = 2000;
  const MAX_SPEECH = 1000;

  const TEXT = {
    thinking: "Szukam odpowiedzi…",
    slow: "To trwa dłużej niż zwykle. Proszę, poczekaj chwilę…",
    unavailable: "Przepraszam, chwilowo nie mogę odpowiedzieć.",
    offline: "Brak połączenia z asystentem.",
    noAnswer: "Asystent długo nie odpowiada.",
    retryIn: (s) => "Następna próba za " + s + " s.",
    retrying: "Próbuję ponownie…",
    gaveUp: "Asystent jest teraz niedostępny. Spróbuj za kilka minut albo poproś o pomoc wychowawcę.",
    tryAgain: "Spróbuj ponownie",
    rejected: "Nie udało się wysłać tej wiadomości. Napisz ją inaczej albo wybierz temat.",
    readAloud: "Przeczytaj na głos",
    loadingAudio: "Wczytuję…",
    stopReading: "Zatrzymaj czytanie",
    audioFailed: "Nie udało się przeczytać na głos. Spróbuj jeszcze raz.",
    print: "Wydrukuj",
    printCard: "Wydrukuj kartkę",
    printAll: "Wydrukuj wszystko",
    printThisCard: "Wydrukuj tę kartkę",
    chooseTopic: "Wybierz temat:",
    codePrompt: "Wpisz kod z kartki (sześć znaków, np. KF7-M3X) i dotknij Wyślij.",
    codeCancel: "Anuluj",
    codeShown: (code) => "Kod: " + code,
    codeFailed: "Chwilowo nie mogę sprawdzić kodu. Spróbuj za chwilę.",
    staffAnswer: "Odpowiedź pracownika:",
    yourCode: "Twój kod:",
    checklistDeadline: (d) => " (do " + d + ")",
    wiped: "Rozmowa została usunięta z ekranu.",
    cardAddress: "Adres",
    cardPhone: "Telefon",
    cardHours: "Godziny",
    cardDistance: "Odległość",
    cardUpdated: "Stan z",
  };

  const KEY_ROWS = [
    ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"],
    ["q", "w", "e", "r", "t", "y", "u", "i", "o", "p"],
    ["a", "s", "d", "f", "g", "h", "j", "k", "l", "?"],
    ["z", "x", "c", "v", "b", "n", "m", ",", ".", "-"],
    ["ą", "ć", "ę", "ł", "ń", "ó", "ś", "ź", "ż"],
    [{ key: " ", label: "Spacja", cls: "wide" }, { key: "Backspace", label: "Usuń", cls: "back", aria: "Usuń ostatnią literę" }],
  ];

  const start = $("start");
  const conversation = $("conversation");
  const log = $("log");
  const form = $("composer");
  const input = $("text");
  const keyboard = $("keyboard");
  const overlay = $("idle");
  const countLabel = $("idle-count");
  const player = $("player");
  const topicsAgain = $("topics-again");
  const wipedNote = $("wiped");
  const more = $("more");

  // ------------------------------------------------------------------ session state
  let sessionId = newSessionId();
  let generation = 0;           // bumped by every wipe: late answers of an old session are dropped
  let busy = false;
  let awaitingCode = false;     // the next text is an answer code, not a question
  let used = false;             // anything sent or typed since the last wipe
  let inflight = null;          // AbortController of the running chat request
  const timers = new Set();     // retry and status timers of this session
  let speech = null;            // {item, button, parts, url}
  let idleTimer = null;
  let countdownTimer = null;
  let wipedTimer = null;

  function positiveInt(value, fallback) {
    const n = Number.parseInt(value, 10);
    return Number.isFinite(n) && n > 0 ? n : fallback;
  }

  function newSessionId() {
    // crypto.getRandomValues works on plain http too (crypto.randomUUID needs https)
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "k" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function later(fn, ms) {
    const id = setTimeout(() => { timers.delete(id); fn(); }, ms);
    timers.add(id);
    return id;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, className, onClick) {
    const b = el("button", className, label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  // ------------------------------------------------------------------ views
  function showConversation() {
    if (!conversation.hidden) return;
    start.hidden = true;
    conversation.hidden = false;
    topicsAgain.hidden = false;
    body.classList.remove("view-start");
    body.classList.add("view-conversation");
  }

  function showStart() {
    conversation.hidden = true;
    start.hidden = false;
    topicsAgain.hidden = true;
    body.classList.remove("view-conversation");
    body.classList.add("view-start");
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
    updateMore();
  }

  // "Czytaj dalej" when part of the conversation is below the visible area
  // (it keeps its place when not needed, so nothing moves under a finger)
  function updateMore() {
    const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
    more.classList.toggle("is-hidden", atEnd); // visibility: hidden, also for screen readers
  }

  // ------------------------------------------------------------------ chat
  function ask(message, shown) {
    if (busy) return;
    used = true;
    showConversation();
    if (shown) {
      const mine = el("div", "msg user");
      mine.appendChild(el("p", "text", shown));
      log.appendChild(mine);
    }
    busy = true;
    body.classList.add("busy");
    const waiting = el("div", "msg pending");
    waiting.setAttribute("role", "status");
    waiting.appendChild(el("p", "text", TEXT.thinking));
    log.appendChild(waiting);
    scrollToEnd();
    attempt(message, waiting, generation, 0);
  }

  function done(waiting) {
    waiting.remove();
    busy = false;
    body.classList.remove("busy");
  }

  async function attempt(message, waiting, gen, tries) {
    const controller = new AbortController();
    inflight = controller;
    const slow = later(() => setPending(waiting, TEXT.slow), SLOW_AFTER_MS);
    let timedOut = false;
    const giveUp = later(() => { timedOut = true; controller.abort(); }, GIVE_UP_AFTER_MS);
    let response = null;
    let data = null;
    try {
      response = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(Object.assign({ session_id: sessionId }, message)),
        signal: controller.signal,
        cache: "no-store",
        credentials: "omit",
      });
      try { data = await response.json(); } catch (e) { data = null; }
    } catch (e) {
      response = null; // network error or no answer in time
    } finally {
      clearTimeout(slow); timers.delete(slow);
      clearTimeout(giveUp); timers.delete(giveUp);
      if (inflight === controller) inflight = null;
    }
    if (gen !== generation) return; // the person ended the conversation meanwhile

    if (response && response.ok && data && Array.isArray(data.messages)) {
      const question = waiting.previousElementSibling;
      done(waiting);
      const reply = renderReply(data.messages);
      // show the start of the answer (and the question above it), not its end
      const top = question && question.classList.contains("user") ? question : reply;
      log.scrollTop = Math.max(0, top.offsetTop - 8);
      updateMore();
      return;
    }
    if (response && response.status >= 400 && response.status < 500) {
      done(waiting);
      renderNotice(TEXT.rejected);
      return;
    }
    // 5xx (503 with "retry": true when Rasa is down), network error or timeout: retry
    const friendly = data && Array.isArray(data.messages) && data.messages[0] &&
      typeof data.messages[0].text === "string" ? data.messages[0].text
      : (response ? TEXT.unavailable : timedOut ? TEXT.noAnswer : TEXT.offline);
    if (tries >= RETRY_DELAYS_S.length) {
      done(waiting);
      const notice = renderNotice(TEXT.gaveUp);
      notice.appendChild(button(TEXT.tryAgain, "chip", () => {
        notice.remove();
        ask(message);
      }));
      return;
    }
    const retryAfter = response ? positiveInt(response.headers.get("Retry-After"), 0) : 0;
    let wait = Math.min(Math.max(RETRY_DELAYS_S[tries], retryAfter), 30);
    waiting.classList.add("trouble");
    const tick = () => {
      if (gen !== generation) return;
      if (wait <= 0) {
        setPending(waiting, TEXT.retrying);
        attempt(message, waiting, gen, tries + 1);
        return;
      }
      setPending(waiting, friendly + "\n" + TEXT.retryIn(wait));
      wait -= 1;
      later(tick, 1000);
    };
    tick();
  }

  function setPending(waiting, text) {
    const p = waiting.querySelector(".text");
    if (p) p.textContent = text;
  }

  function renderNotice(text) {
    const notice = el("div", "msg notice");
    notice.setAttribute("role", "status");
    notice.appendChild(el("p", "text", text));
    log.appendChild(notice);
    scrollToEnd();
    return notice;
  }

  // One reply (all messages of one answer) is one bubble: its texts and office cards,
  // one "read aloud" and one "print" for it, then the buttons of all its messages.
  function renderReply(messages) {
    const item = el("div", "msg bot");
    const spoken = [];
    const buttons = [];
    let cards = 0;
    for (const message of messages) {
      if (!message || typeof message !== "object") continue;
      const text = typeof message.text === "string" ? message.text.trim() : "";
      const card = message.card && typeof message.card === "object" ? renderCard(message.card)
        : message.checklist && typeof message.checklist === "object" ? renderChecklist(message.checklist)
        : message.ticket && typeof message.ticket === "object" ? renderTicket(message.ticket)
        : null;
      if (card && !message.card) { // a checklist or a code: printed with the whole answer
        item.appendChild(card.node);
        spoken.push(card.spoken);
      } else if (card) {
        // the text of a card message is the card in plain words, for channels without cards
        item.appendChild(card.node);
        spoken.push(card.spoken);
        cards += 1;
      } else if (text) {
        item.appendChild(el("p", "text", text));
        spoken.push(text);
      }
      if (Array.isArray(message.buttons)) buttons.push(...message.buttons);
    }
    if (spoken.length) {
      const actions = el("div", "actions");
      const read = button(TEXT.readAloud, "action read", () => readAloud(item, read, spoken.join("\n")));
      actions.appendChild(read);
      const label = cards > 1 ? TEXT.printAll : cards ? TEXT.printCard : TEXT.print;
      actions.appendChild(button(label, "action print", () => printItem(item)));
      item.appendChild(actions);
    }
    if (buttons.length) item.appendChild(chips(buttons));
    if (cards > 1) { // several offices: each can also be printed on its own
      for (const card of item.querySelectorAll(".card")) {
        const own = el("div", "actions");
        own.appendChild(button(TEXT.printThisCard, "action print", () => printItem(item, card)));
        card.appendChild(own);
      }
    }
    if (item.childElementCount) log.appendChild(item);
    return item;
  }

  // The release checklist: {title, notes[], sections[{title, steps[{text, deadline?,
  // office?: {name, address?, phone?} | null}]}]}, as numbered steps under their phases.
  function renderChecklist(list) {
    const str = (v) => (typeof v === "string" ? v.trim() : "");
    const node = el("section", "checklist");
    const spoken = [];
    node.appendChild(el("h3", "checklist-title", str(list.title)));
    spoken.push(str(list.title));
    for (const note of Array.isArray(list.notes) ? list.notes : []) {
      node.appendChild(el("p", "checklist-note", str(note)));
      spoken.push(str(note));
    }
    let number = 0;
    for (const section of Array.isArray(list.sections) ? list.sections : []) {
      node.appendChild(el("h4", "checklist-phase", str(section.title)));
      spoken.push(str(section.title));
      const steps = el("ol", "checklist-steps");
      steps.start = number + 1;
      for (const step of Array.isArray(section.steps) ? section.steps : []) {
        number += 1;
        const li = el("li", "checklist-step");
        const when = str(step.deadline) ? TEXT.checklistDeadline(str(step.deadline)) : "";
        li.appendChild(el("span", "step-text", str(step.text)));
        if (when) li.appendChild(el("strong", "step-deadline", when));
        spoken.push(str(step.text) + when);
        if (step.office && typeof step.office === "object") {
          const details = [str(step.office.address), str(step.office.phone)].filter(Boolean);
          li.appendChild(el("span", "step-office",
            str(step.office.name) + (details.length ? ": " + details.join(", ") : "")));
        }
        steps.appendChild(li);
      }
      node.appendChild(steps);
    }
    return { node: node, spoken: spoken.join("\n") };
  }

  // The code that reads a staff answer later ("Mam kod odpowiedzi"), large and printable.
  function renderTicket(ticket) {
    const code = typeof ticket.code === "string" ? ticket.code.trim() : "";
    const node = el("section", "ticket");
    node.appendChild(el("p", "ticket-label", TEXT.yourCode));
    node.appendChild(el("p", "ticket-code", code));
    return { node: node, spoken: TEXT.yourCode + " " + code.split("").join(" ") };
  }

  // ------------------------------------------------------------------ answer codes
  function askForCode() {
    if (busy) return;
    used = true;
    showConversation();
    awaitingCode = true;
    const notice = renderNotice(TEXT.codePrompt);
    notice.classList.add("code-prompt");
    notice.appendChild(button(TEXT.codeCancel, "chip", () => {
      awaitingCode = false;
      notice.remove();
    }));
    input.focus();
  }

  async function readAnswer(typed) {
    const gen = generation;
    const mine = el("div", "msg user");
    mine.appendChild(el("p", "text", TEXT.codeShown(typed)));
    log.appendChild(mine);
    busy = true;
    body.classList.add("busy");
    let response = null;
    let data = null;
    try {
      response = await fetch("/api/answer", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ code: typed }),
        cache: "no-store",
        credentials: "omit",
      });
      try { data = await response.json(); } catch (e) { data = null; }
    } catch (e) {
      response = null;
    }
    if (gen !== generation) return;
    busy = false;
    body.classList.remove("busy");
    if (response && response.ok && data) {
      awaitingCode = false;
      for (const prompt of log.querySelectorAll(".code-prompt")) prompt.remove();
      const messages = [{ text: String(data.status_text || "") }];
      for (const answer of Array.isArray(data.answers) ? data.answers : []) {
        messages.push({ text: TEXT.staffAnswer + "\n" + String(answer.text || "") });
      }
      renderReply(messages);
    } else {
      renderNotice(data && typeof data.error === "string" ? data.error : TEXT.codeFailed);
    }
    scrollToEnd();
  }

  // An office from the directory: {kind, name, for_whom, distance, address, phone, hours,
  // open_now, updated}; only name, address, phone, hours and updated are always there.
  function renderCard(card) {
    const str = (v) => (typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : "");
    const name = str(card.name);
    const kind = [str(card.kind), str(card.for_whom)].filter(Boolean).join(", ");
    const rows = [
      [TEXT.cardAddress, str(card.address)],
      [TEXT.cardPhone, str(card.phone)],
      [TEXT.cardHours, str(card.hours)],
      [TEXT.cardDistance, str(card.distance)],
    ].filter((row) => row[1]);
    const openNow = str(card.open_now);
    let updated = str(card.updated);
    if (/^\d{4}-\d{2}-\d{2}$/.test(updated)) updated = TEXT.cardUpdated + " " + updated;
    if (!name && !rows.length) return null;

    const node = el("section", "card");
    if (kind) node.appendChild(el("p", "card-kind", kind));
    if (name) node.appendChild(el("h3", "card-name", name));
    const list = el("dl", "card-rows");
    for (const [label, value] of rows) {
      const row = el("div", "card-row");
      row.appendChild(el("dt", "", label));
      row.appendChild(el("dd", "", value));
      list.appendChild(row);
    }
    node.appendChild(list);
    if (openNow) node.appendChild(el("p", "card-open", openNow));
    if (updated) node.appendChild(el("p", "card-updated", updated));
    const spoken = [kind, name]
      .concat(rows.slice(0, 3).map((r) => r[0] + ": " + r[1] + "."), [openNow])
      .filter(Boolean).join("\n");
    return { node: node, spoken: spoken };
  }

  function chips(buttons) {
    const row = el("div", "chips");
    for (const b of buttons) {
      if (!b || typeof b.payload !== "string" || !b.payload) continue;
      const title = typeof b.title === "string" && b.title ? b.title : b.payload;
      row.appendChild(button(title, "chip", () => ask({ payload: b.payload }, title)));
    }
    return row;
  }

  function topicChips() {
    const item = el("div", "msg menu");
    item.appendChild(el("p", "text", TEXT.chooseTopic));
    const buttons = Array.from(document.querySelectorAll("#topics .topic[data-payload]"), (t) => ({
      title: t.firstChild.textContent.replace(/\u00a0/g, " ").trim(),
      payload: t.dataset.payload,
    }));
    item.appendChild(chips(buttons));
    log.appendChild(item);
    scrollToEnd();
  }

  // ------------------------------------------------------------------ read aloud
  function speechParts(text) {
    const parts = [];
    let rest = text.trim();
    while (rest.length > MAX_SPEECH) {
      let cut = Math.max(rest.lastIndexOf(". ", MAX_SPEECH), rest.lastIndexOf("\n", MAX_SPEECH));
      if (cut < MAX_SPEECH / 2) cut = rest.lastIndexOf(" ", MAX_SPEECH);
      if (cut <= 0) cut = MAX_SPEECH - 1;
      parts.push(rest.slice(0, cut + 1).trim());
      rest = rest.slice(cut + 1).trim();
    }
    if (rest) parts.push(rest);
    return parts;
  }

  function stopSpeech() {
    if (!speech) return;
    player.pause();
    player.removeAttribute("src");
    player.load();
    if (speech.url) URL.revokeObjectURL(speech.url);
    speech.button.textContent = TEXT.readAloud;
    if (speech.item.dataset.audio !== "ended") speech.item.dataset.audio = "stopped";
    speech = null;
  }

  function readAloud(item, read, text) {
    if (speech && speech.item === item) { stopSpeech(); return; }
    stopSpeech();
    const old = item.querySelector(".audio-error");
    if (old) old.remove();
    speech = { item: item, button: read, parts: speechParts(text), url: null, gen: generation };
    playNext(speech);
  }

  async function playNext(current) {
    const part = current.parts.shift();
    if (part === undefined) {
      current.item.dataset.audio = "ended";
      stopSpeech();
      return;
    }
    current.button.textContent = TEXT.loadingAudio;
    current.item.dataset.audio = "loading";
    try {
      const response = await fetch("/api/tts", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: part }),
        cache: "no-store",
        credentials: "omit",
      });
      if (!response.ok) throw new Error("tts " + response.status);
      const blob = await response.blob();
      if (speech !== current || current.gen !== generation) return;
      if (current.url) URL.revokeObjectURL(current.url);
      current.url = URL.createObjectURL(blob);
      player.src = current.url;
      await player.play();
      if (speech !== current) return;
      current.button.textContent = TEXT.stopReading;
      current.item.dataset.audio = "playing";
      touched();
    } catch (e) {
      if (speech !== current) return;
      current.item.dataset.audio = "error";
      stopSpeech();
      current.item.dataset.audio = "error";
      const note = el("p", "audio-error", TEXT.audioFailed);
      note.setAttribute("role", "status");
      const actions = current.item.querySelector(".actions");
      if (actions) actions.after(note);
    }
  }

  player.addEventListener("ended", () => {
    touched();
    if (speech) playNext(speech);
  });

  // ------------------------------------------------------------------ printing
  function clearPrint() {
    body.classList.remove("print-selection", "print-one-card");
    for (const n of log.querySelectorAll(".print-target")) n.classList.remove("print-target");
  }

  // Print one answer, or one office card of it, as a slip (see @media print in kiosk.css).
  function printItem(item, card) {
    clearPrint();
    item.classList.add("print-target");
    body.classList.add("print-selection");
    if (card) {
      card.classList.add("print-target");
      body.classList.add("print-one-card");
    }
    $("print-date").textContent = new Date().toLocaleString("pl-PL", {
      dateStyle: "long", timeStyle: "short",
    });
    window.print();
  }

  window.addEventListener("afterprint", clearPrint);

  // ------------------------------------------------------------------ on-screen keyboard
  function buildKeyboard() {
    for (const keys of KEY_ROWS) {
      const row = el("div", "key-row");
      for (const k of keys) {
        const spec = typeof k === "string" ? { key: k, label: k } : k;
        const key = button(spec.label, "key" + (spec.cls ? " " + spec.cls : ""),
          () => pressKey(spec.key));
        if (spec.aria) key.setAttribute("aria-label", spec.aria);
        key.dataset.key = spec.key;
        row.appendChild(key);
      }
      keyboard.appendChild(row);
    }
    // keep the caret in the text box while keys are tapped
    keyboard.addEventListener("mousedown", (e) => e.preventDefault());
  }

  function pressKey(key) {
    const focused = document.activeElement === input;
    const startAt = focused && input.selectionStart !== null ? input.selectionStart : input.value.length;
    const endAt = focused && input.selectionEnd !== null ? input.selectionEnd : input.value.length;
    if (key === "Backspace") {
      if (startAt !== endAt) input.setRangeText("", startAt, endAt, "end");
      else if (startAt > 0) input.setRangeText("", startAt - 1, startAt, "end");
    } else if (input.value.length < MAX_TEXT) {
      input.setRangeText(key, startAt, endAt, "end");
    }
    if (input.value) used = true;
    input.scrollLeft = input.scrollWidth;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.replace(/\s+/g, " ").trim();
    if (!text || busy) return;
    input.value = "";
    if (awaitingCode) readAnswer(text);
    else ask({ text: text }, text);
  });

  input.addEventListener("input", () => { if (input.value) used = true; });

  // ------------------------------------------------------------------ idle and wipe
  function touched() {
    if (!overlay.hidden) return; // only "Kontynuuj" continues once the countdown runs
    clearTimeout(idleTimer);
    idleTimer = setTimeout(idle, IDLE_SECONDS * 1000);
  }

  function idle() {
    if (speech && !player.paused) { touched(); return; } // someone is listening
    if (!used && !input.value) { // nothing to hide: just start afresh
      sessionId = newSessionId();
      touched();
      return;
    }
    let left = COUNTDOWN_SECONDS;
    countLabel.textContent = String(left);
    overlay.hidden = false;
    body.classList.add("idle");
    $("continue").focus();
    countdownTimer = setInterval(() => {
      left -= 1;
      countLabel.textContent = String(Math.max(left, 0));
      if (left <= 0) wipe();
    }, 1000);
  }

  function closeCountdown() {
    clearInterval(countdownTimer);
    countdownTimer = null;
    overlay.hidden = true;
    body.classList.remove("idle");
  }

  function clearBrowserStorage() {
    // The kiosk stores nothing; this only makes sure nothing is left behind.
    try { window.localStorage.clear(); } catch (e) { /* storage may be disabled */ }
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
    for (const cookie of document.cookie.split(";")) {
      const name = cookie.split("=")[0].trim();
      if (name) document.cookie = name + "=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/";
    }
  }

  function wipe() {
    generation += 1;
    if (inflight) inflight.abort();
    inflight = null;
    for (const id of timers) clearTimeout(id);
    timers.clear();
    stopSpeech();
    closeCountdown();
    clearPrint();
    busy = false;
    used = false;
    awaitingCode = false;
    body.classList.remove("busy");
    log.replaceChildren();
    updateMore();
    input.value = "";
    clearBrowserStorage();
    sessionId = newSessionId();
    showStart();
    if (document.activeElement && document.activeElement !== body) document.activeElement.blur();
    start.scrollTop = 0;
    wipedNote.textContent = TEXT.wiped;
    clearTimeout(wipedTimer);
    wipedTimer = setTimeout(() => { wipedNote.textContent = ""; }, 6000);
    touched();
  }

  for (const type of ["pointerdown", "keydown", "touchstart", "wheel"]) {
    document.addEventListener(type, touched, { capture: true, passive: true });
  }
  $("continue").addEventListener("click", () => { closeCountdown(); touched(); });
  $("end-now").addEventListener("click", wipe);
  $("end").addEventListener("click", wipe);
  topicsAgain.addEventListener("click", topicChips);
  log.addEventListener("scroll", updateMore, { passive: true });
  window.addEventListener("resize", updateMore);
  more.addEventListener("click", () => {
    log.scrollBy({ top: Math.round(log.clientHeight * 0.75), behavior: "smooth" });
  });

  $("have-code").addEventListener("click", askForCode);
  for (const topic of document.querySelectorAll("#topics .topic[data-payload]")) {
    topic.addEventListener("click", () => {
      const label = topic.firstChild.textContent.replace(/\u00a0/g, " ").trim();
      ask({ payload: topic.dataset.payload }, label);
    });
  }

  buildKeyboard();
  touched();
})();
