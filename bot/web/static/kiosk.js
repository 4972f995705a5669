"use strict";
// Minimal kiosk client: one fresh conversation id per person, nothing stored in the browser.
(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("ask");
  const input = document.getElementById("text");
  let sessionId = newSessionId();

  function newSessionId() {
    return "k" + crypto.randomUUID().replace(/-/g, "");
  }

  function bubble(text, who) {
    const div = document.createElement("div");
    div.className = "msg " + who;
    div.textContent = text; // never innerHTML: user and bot text render as text
    log.appendChild(div);
    div.scrollIntoView({ block: "end" });
  }

  function chips(buttons) {
    if (!buttons.length) return;
    const row = document.createElement("div");
    row.className = "chips";
    for (const b of buttons) {
      const btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b.title;
      btn.addEventListener("click", () => send({ payload: b.payload }, b.title));
      row.appendChild(btn);
    }
    log.appendChild(row);
  }

  async function send(body, shown, attempt = 0) {
    if (shown && attempt === 0) bubble(shown, "user");
    try {
      const res = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(Object.assign({ session_id: sessionId }, body)),
      });
      const data = await res.json();
      if (res.status === 503 && data.retry && attempt < 3) {
        if (attempt === 0) for (const m of data.messages) bubble(m.text, "bot");
        setTimeout(() => send(body, shown, attempt + 1), 5000);
        return;
      }
      if (!res.ok && !data.messages) {
        bubble("Nie udało się wysłać. Spróbuj jeszcze raz.", "bot");
        return;
      }
      for (const m of data.messages) {
        if (m.text) bubble(m.text, "bot");
        chips(m.buttons || []);
      }
    } catch (e) {
      if (attempt < 3) { setTimeout(() => send(body, shown, attempt + 1), 5000); return; }
      bubble("Brak połączenia. Spróbuj za chwilę.", "bot");
    }
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text: text }, text);
  });

  document.getElementById("end").addEventListener("click", () => {
    log.textContent = "";
    sessionId = newSessionId();
    send({ payload: "/greet" });
  });

  send({ payload: "/greet" });
})();
