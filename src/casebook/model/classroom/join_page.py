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

WORDS = (
    *("join_title", "join_your_name", "join_join", "join_waiting", "join_connecting"),
    *("join_lost", "join_ended", "join_your_answer", "join_send", "join_received"),
    *("join_closed", "join_slide", "join_switch"),
)
"""The interface words the page uses, sent in both languages."""

_PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{ title }}</title>
<style nonce="{{ nonce }}">
body{margin:0;padding:12px;font:17px/1.5 system-ui,sans-serif;background:#fafafa;color:#111;
max-width:40em;margin:auto;word-wrap:break-word}
header{display:flex;justify-content:space-between;align-items:center;gap:8px}
h1{font-size:1.1em;margin:0}h2{font-size:1.25em;margin:.6em 0 .3em}
#status{color:#555;font-size:.9em;min-height:1.4em}
#lines p{margin:.4em 0;white-space:pre-wrap}
section{border-top:1px solid #ccc;margin-top:12px;padding-top:8px}
input,textarea,button{font:inherit;box-sizing:border-box;max-width:100%}
input,textarea{width:100%;padding:6px;border:1px solid #888;border-radius:4px}
textarea{min-height:6em}
button{padding:8px 14px;margin:6px 6px 0 0;border:1px solid #246;border-radius:4px;
background:#fff;color:#124}
button.chosen{background:#246;color:#fff}
[hidden]{display:none!important}
</style></head>
<body data-code="{{ code }}" data-lang="{{ lang }}">
<header><h1 id="title">{{ title }}</h1><button id="switch" type="button"></button></header>
<p id="status"></p>
<form id="join"><label for="name" id="name-label"></label>
<input id="name" maxlength="{{ max_name }}" autocomplete="nickname" required>
<button id="join-button" type="submit"></button></form>
<main id="class" hidden><p id="counter"></p><h2 id="slide-title"></h2><div id="lines"></div>
<section id="question" hidden><p id="question-text"></p><div id="choices"></div>
<form id="answer-form"><label for="answer" id="answer-label"></label>
<textarea id="answer" maxlength="{{ max_answer }}"></textarea>
<button id="send" type="submit"></button></form><p id="answer-state"></p></section></main>
<script type="application/json" id="words">{{ words|tojson }}</script>
<script nonce="{{ nonce }}">
"use strict";
const $ = (id) => document.getElementById(id);
const W = JSON.parse($("words").textContent), code = document.body.dataset.code;
const store = "casebook-class-" + code;
let lang = localStorage.getItem("casebook-lang") || document.body.dataset.lang;
let me = JSON.parse(localStorage.getItem(store) || "null"), ws = null, state = "";
let slide = null, question = null, chosen = null, retry = 0, done = false;
const w = (key, n) => W[lang][key].replace("{n}", n);
const pick = (both) => (both ? both[lang] || both.en || both.zh || "" : "");
function status(key, text) { state = key; $("status").textContent = text || w(key); }
function words() {
  document.documentElement.lang = lang;
  $("switch").textContent = w("join_switch"); $("name-label").textContent = w("join_your_name");
  $("join-button").textContent = w("join_join"); $("send").textContent = w("join_send");
  $("answer-label").textContent = w("join_your_answer");
  if (state.startsWith("join_")) status(state);
  showSlide(); showQuestion();
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
    b.onclick = () => { chosen = i + 1; showQuestion();
      send({type: "answer", question: q.question, choice: i + 1}); };
    return b; }));
  if (!q.open) $("answer-state").textContent = w("join_closed");
}
function send(message) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(message)); }
function connect(name) {
  status("join_connecting");
  const here = location.href.replace(/[?#].*$/, "").replace(/\\/$/, "");
  ws = new WebSocket(here.replace(/^http/, "ws") + "/ws");
  ws.onopen = () => send(Object.assign({type: "join", code, name, client: "browser"},
    me && me.key ? {student: me.key} : {}));
  ws.onmessage = (event) => {
    const m = JSON.parse(event.data);
    if (m.type === "welcome") { retry = 0; me = {key: m.student, name: m.name};
      localStorage.setItem(store, JSON.stringify(me)); $("join").hidden = true;
      $("class").hidden = false; $("title").textContent = m.title; status("join_waiting", m.name); }
    else if (m.type === "slide_text") { slide = m; showSlide(); }
    else if (m.type === "question") { question = m; chosen = m.choice || null;
      if (m.answer !== undefined) $("answer").value = m.answer || "";
      $("answer-state").textContent = ""; showQuestion(); }
    else if (m.type === "received") $("answer-state").textContent = w("join_received", m.revision);
    else if (m.type === "refused") { done = true; status("refused", m.reason);
      if (!me || $("class").hidden) $("join").hidden = false; }
    else if (m.type === "ended") { done = true; status("join_ended");
      question = null; showQuestion(); }
  };
  ws.onclose = () => { if (done) return;
    status("join_lost"); retry = Math.min(retry + 1, 5);
    setTimeout(() => connect(name), (250 * 2 ** retry) * (0.5 + Math.random() / 2)); };
}
$("join").onsubmit = (event) => { event.preventDefault(); me = null; done = false;
  localStorage.removeItem(store); connect($("name").value); };
$("answer-form").onsubmit = (event) => { event.preventDefault();
  if (question) send({type: "answer", question: question.question, text: $("answer").value}); };
$("switch").onclick = () => { lang = lang === "zh" ? "en" : "zh";
  localStorage.setItem("casebook-lang", lang); words(); };
words();
if (me && me.key) { $("join").hidden = true; connect(me.name); }
</script></body></html>
"""


@functools.cache
def _template() -> jinja2.Template:
    return jinja2.Environment(autoescape=True).from_string(_PAGE)


def new_nonce() -> str:
    """A fresh nonce for the page's inline style and script (its Content-Security-Policy)."""
    return secrets.token_urlsafe(16)


def render(*, code: str, title: str, lang: Lang, nonce: str, max_name: int, max_answer: int) -> str:
    """The join page of a class."""
    words = {each: {key: t(key, each) for key in WORDS} for each in LANGS}
    return _template().render(
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
        f"connect-src 'self' ws://{host} wss://{host}; img-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
