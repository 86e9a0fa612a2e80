"""The page a browser student joins from: one small HTML page, its style and a few lines
of plain script inline (nothing fetched from elsewhere), readable on a 360 px phone.

Everything from outside (slide text, the question, names, reasons) is set with
``textContent``, never as HTML; the page itself is rendered by jinja2 with autoescape,
and its words travel as JSON in a data block (``tojson`` escapes ``<``, ``>``, ``&``).
"""

from __future__ import annotations

import functools
import secrets

import jinja2

from casebook.model.format.text import LANGS, Lang
from casebook.model.format.words import t

REFUSALS = (
    *("refused_code", "refused_version", "refused_join_first", "refused_name"),
    *("refused_taken", "refused_full", "refused_malformed", "refused_too_fast"),
    *("refused_answer", "refused_elsewhere", "refused_slow"),
)
"""The server's refusals: the page finds which one a reason is (in the class's language)
and says it in the page's language."""

WORDS = (
    *("join_title", "join_your_name", "join_join", "join_connecting", "join_as"),
    *("join_lost", "join_ended", "join_your_answer", "join_send", "join_received"),
    *("join_closed", "join_slide", "join_switch", "join_saved", "join_write_first"),
    *REFUSALS,
)
"""The interface words the page uses, sent in both languages."""

_PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>{{ title }}</title>
<style nonce="{{ nonce }}">
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0 auto;padding:12px;max-width:40em;background:#fafafa;color:#111;
font:17px/1.55 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB",
"Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;overflow-wrap:anywhere}
header{display:flex;justify-content:space-between;align-items:flex-start;gap:10px}
h1{font-size:1.15em;margin:.3em 0;min-width:0}h2{font-size:1.25em;margin:.5em 0 .3em}
#status{margin:8px 0;padding:6px 10px;border-radius:6px;background:#e8eef5;color:#123}
#status:empty{display:none}
#status.bad{background:#fdecea;color:#611}#status.end{background:#333;color:#fff;font-weight:600}
#counter{color:#555;margin:.2em 0;font-size:.9em}
#lines p{margin:.4em 0;white-space:pre-wrap}
section{border-top:1px solid #ccc;margin-top:12px;padding-top:8px}
fieldset{border:0;margin:0;padding:0}legend{font-size:1.15em;font-weight:600;padding:0}
label{display:block;margin:.6em 0 .2em}
input,textarea,button{font:inherit;box-sizing:border-box;max-width:100%}
input,textarea{width:100%;padding:8px;border:1px solid #888;border-radius:6px;background:#fff}
textarea{min-height:7em;resize:vertical}
button{min-height:44px;padding:8px 16px;margin:8px 0 0;border:1px solid #246;border-radius:6px;
background:#fff;color:#124;cursor:pointer}
button[type=submit]{background:#246;color:#fff;min-width:7em}
#switch{flex:none;margin:0;white-space:nowrap}
#choices button{display:block;width:100%;text-align:left}
button.chosen{background:#246;color:#fff}button:disabled{opacity:.55;cursor:default}
#answer-state{color:#235;min-height:1.5em}
[hidden]{display:none!important}
</style></head>
<body data-code="{{ code }}" data-lang="{{ lang }}" data-max-name="{{ max_name }}">
<header><h1 id="title">{{ title }}</h1><button id="switch" type="button"></button></header>
<p id="status" role="status" aria-live="polite"></p>
<form id="join"><fieldset><legend id="join-title"></legend>
<label for="name" id="name-label"></label>
<input id="name" maxlength="{{ max_name }}" autocomplete="nickname" enterkeyhint="go">
<button id="join-button" type="submit"></button></fieldset></form>
<main id="class" hidden><p id="counter"></p><h2 id="slide-title"></h2><div id="lines"></div>
<section id="question" hidden><p id="question-text"></p><div id="choices"></div>
<form id="answer-form"><label for="answer" id="answer-label"></label>
<textarea id="answer" maxlength="{{ max_answer }}"></textarea>
<button id="send" type="submit"></button></form>
<p id="answer-state" aria-live="polite"></p></section></main>
<script type="application/json" id="words">{{ words|tojson }}</script>
<script nonce="{{ nonce }}">
"use strict";
const $ = (id) => document.getElementById(id);
const W = JSON.parse($("words").textContent), body = document.body.dataset;
const code = body.code, store = "casebook-class-" + code, REFUSALS = {{ refusals|tojson }};
let lang = localStorage.getItem("casebook-lang") || body.lang;
if (!W[lang]) lang = body.lang;
let me = JSON.parse(localStorage.getItem(store) || "null"), ws = null, timer = 0;
let slide = null, question = null, chosen = null, retry = 0, done = false, held = false;
let said = null, note = null;
const w = (key, n) => W[lang][key].replace("{n}", () => n);
const pick = (both) => (both ? both[lang] || both.en || both.zh || "" : "");
function status(key, n, look) { said = key && {key, n, look}; paint(); }
function paint() {
  const el = $("status"); el.textContent = said ? w(said.key, said.n) : "";
  el.className = said && said.look || "";
  $("answer-state").textContent = note ? w(note.key, note.n) : "";
}
function reason(text) {
  for (const key of REFUSALS) {
    const [a, b] = W[body.lang][key].split("{n}");
    if (b === undefined ? text === a : text.startsWith(a) && text.endsWith(b))
      return {key, n: b === undefined ? "" : text.slice(a.length, text.length - b.length)};
  }
  return {key: "refused_malformed", n: ""};
}
function words() {
  document.documentElement.lang = lang;
  for (const [id, key] of [["switch", "join_switch"], ["join-title", "join_title"],
    ["name-label", "join_your_name"], ["join-button", "join_join"], ["send", "join_send"],
    ["answer-label", "join_your_answer"]]) $(id).textContent = w(key);
  paint(); showSlide(); showQuestion();
}
function showSlide() {
  if (!slide) return;
  $("counter").textContent =
    W[lang].join_slide.replace("{k}", slide.slide).replace("{n}", slide.slides);
  $("slide-title").textContent = pick(slide.title);
  $("lines").replaceChildren(...(slide.lines || []).map((line) => {
    const p = document.createElement("p"); p.textContent = pick(line); return p; }));
}
function showQuestion() {
  const q = question; $("question").hidden = !q;
  if (!q) return;
  $("question-text").textContent = pick(q.text);
  const choices = q.choices || [];
  $("answer-form").hidden = !q.open || choices.length > 0;
  $("choices").replaceChildren(...choices.map((c, i) => {
    const b = document.createElement("button"); b.type = "button"; b.textContent = pick(c);
    b.disabled = !q.open; if (chosen === i + 1) b.className = "chosen";
    b.setAttribute("aria-pressed", String(chosen === i + 1));
    b.onclick = () => { chosen = i + 1; showQuestion();
      send({type: "answer", question: q.question, choice: i + 1}); };
    return b; }));
}
function send(message) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(message)); }
function connect(name) {
  clearTimeout(timer); done = false; held = false;
  if (ws) { const old = ws; ws = null; old.close(); }
  if (!said || said.key !== "join_lost") status("join_connecting");
  const here = location.href.replace(/[?#].*$/, "").replace(/\\/$/, "");
  const sock = new WebSocket(here.replace(/^http/, "ws") + "/ws"); ws = sock;
  sock.onopen = () => send(Object.assign({type: "join", code, name, client: "browser"},
    me && me.key ? {student: me.key} : {}));
  sock.onmessage = (event) => { if (sock === ws) receive(JSON.parse(event.data)); };
  sock.onclose = () => { if (sock !== ws || done) return;
    if (!held) status("join_lost", "", "bad");
    retry = Math.min(retry + 1, 5);
    timer = setTimeout(() => connect(name), (250 * 2 ** retry) * (0.5 + Math.random() / 2)); };
}
function receive(m) {
  if (m.type === "welcome") { retry = 0; me = {key: m.student, name: m.name};
    localStorage.setItem(store, JSON.stringify(me)); $("join").hidden = true;
    $("class").hidden = false; $("title").textContent = m.title; document.title = m.title;
    status("join_as", m.name); }
  else if (m.type === "slide_text") { slide = m; showSlide(); }
  else if (m.type === "question") {
    const same = question && question.question === m.question;
    if (!same || (m.answer && !$("answer").value)) $("answer").value = m.answer || "";
    question = m; chosen = m.choice || null;
    note = !m.open ? {key: "join_closed"} : (m.answer || m.choice) ? {key: "join_saved"} : null;
    paint(); showQuestion(); }
  else if (m.type === "received") { note = {key: "join_received", n: m.revision}; paint(); }
  else if (m.type === "refused") { const why = reason(m.reason);
    if ($("class").hidden || ["refused_elsewhere", "refused_code", "refused_version"]
      .includes(why.key)) { done = true; $("join").hidden = !$("class").hidden; }
    else held = true;
    status(why.key, why.n, "bad"); }
  else if (m.type === "ended") { done = true; question = null; showQuestion();
    status("join_ended", "", "end"); }
}
function wake() { if (!done && me && me.key && (!ws || ws.readyState > 1)) connect(me.name); }
$("join").onsubmit = (event) => { event.preventDefault();
  const name = $("name").value.trim();
  if (!name) { status("refused_name", body.maxName, "bad"); return; }
  if (!me || me.name !== name) { me = null; localStorage.removeItem(store); }
  $("class").hidden = true; connect(name); };
$("answer-form").onsubmit = (event) => { event.preventDefault();
  if (!question) return;
  if (!$("answer").value.trim()) { note = {key: "join_write_first"}; paint(); return; }
  send({type: "answer", question: question.question, text: $("answer").value}); };
$("switch").onclick = () => { lang = lang === "zh" ? "en" : "zh";
  localStorage.setItem("casebook-lang", lang); words(); };
window.addEventListener("online", wake);
document.addEventListener("visibilitychange", () => { if (!document.hidden) wake(); });
words();
if (me && me.name) $("name").value = me.name;
if (me && me.key) { $("join").hidden = true; connect(me.name); }
</script></body></html>
"""

_NOT_FOUND = """<!DOCTYPE html>
<html lang="{{ first }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ said[0] }}</title></head>
<body>{% for text in said %}<p lang="{{ loop.cycle(first, second) }}">{{ text }}</p>{% endfor %}
</body></html>
"""


@functools.cache
def _template(source: str) -> jinja2.Template:
    return jinja2.Environment(autoescape=True).from_string(source)


def new_nonce() -> str:
    """A fresh nonce for the page's inline style and script (its Content-Security-Policy)."""
    return secrets.token_urlsafe(16)


def render(*, code: str, title: str, lang: Lang, nonce: str, max_name: int, max_answer: int) -> str:
    """The join page of a class."""
    words = {each: {key: t(key, each) for key in WORDS} for each in LANGS}
    return _template(_PAGE).render(
        refusals=REFUSALS,
        code=code,
        title=title,
        lang=lang,
        nonce=nonce,
        words=words,
        max_name=max_name,
        max_answer=max_answer,
    )


def policy(nonce: str, host: str) -> str:
    """The page's Content-Security-Policy: its own inline style and script (by nonce), its
    own websocket, nothing from elsewhere, never framed."""
    return (
        f"default-src 'self'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
        f"connect-src 'self' ws://{host} wss://{host}; img-src data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def not_found(lang: Lang) -> str:
    """The page for an address with no class behind it (a wrong or old code), in the
    class's language first, then the other."""
    second: Lang = "en" if lang == "zh" else "zh"
    said = [t("join_no_class", lang), t("join_no_class", second)]
    return _template(_NOT_FOUND).render(first=lang, second=second, said=said)
