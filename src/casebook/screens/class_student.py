"""The student's side of a live class (``casebook join``): follow the trainer's slides,
browse them freely, answer the questions the trainer opens.

A :class:`~casebook.model.classroom.client.ClassClient` runs in a worker on the app's
loop and hands every message and status change to :meth:`ClassStudentScreen.deliver`,
which posts it to the screen as a :class:`Delivered` message. The case is the student's
own copy when its id and digest match the class's; otherwise the one the trainer sends,
decoded as strictly as a file, in the student edition only. Everything the trainer or
the server sends is shown as text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, OptionList, Static

from casebook.actions import CLASS_STUDENT_ACTIONS, Action, bindings, footer_label
from casebook.model.classroom import protocol
from casebook.model.classroom.casedata import CaseDataError, case_digest, case_from_bytes
from casebook.model.classroom.client import ClassClient, Status, parse_address
from casebook.model.format.case import Case
from casebook.model.format.text import Lang, pick, strip_unsafe
from casebook.model.format.words import t
from casebook.model.load.library import Library
from casebook.model.views.slide_pages import Pages, paginate, unsplit
from casebook.model.views.slides import Deck, build_deck
from casebook.screens.language import Bilingual
from casebook.screens.present import SlideArea
from casebook.state.class_keys import ClassKeys
from casebook.state.notes import Store
from casebook.widgets.key_bar import KeyBar
from casebook.widgets.render import plain, say
from casebook.widgets.slide_view import PADDING, flow_lines

Phase = str
"""What the screen shows: "name", "connecting", "waiting", "lesson", "lost", "ended" or
"refused"."""


@dataclass(frozen=True)
class Trainer:
    """Where the trainer is: a logical slide, the steps shown, the slides in all."""

    slide: int
    step: int
    slides: int


def _either(text: protocol.Both | None, lang: Lang) -> str:
    """A text the server sent in both languages, in ``lang`` (else in the other)."""
    if text is None:
        return ""
    return (text.zh or text.en) if lang == "zh" else (text.en or text.zh)


class ClassStudentScreen(Bilingual, Screen[None]):
    """A live class as a student sees it: the trainer's slide, or a clear word on why not."""

    CSS_PATH = "class_student.tcss"
    BINDINGS = bindings(CLASS_STUDENT_ACTIONS)
    ACTIONS: ClassVar[tuple[Action, ...]] = CLASS_STUDENT_ACTIONS
    HELP_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (("ctrl+p", "about_palette"),)
    AUTO_FOCUS = ""
    """Keys act on the slides until a question opens (or the name is asked for)."""

    @dataclass
    class Delivered(Message):
        """A protocol message or a :class:`Status` from the class client."""

        item: object

    def __init__(
        self,
        address: str,
        name: str | None,
        library: Library,
        *,
        store: Store | None = None,
        keys: ClassKeys | None = None,
        lang: Lang = "en",
    ) -> None:
        super().__init__()
        self.address = address
        self.code = parse_address(address)[1]
        self.student_name = name.strip() if name is not None else ""
        self.library = library
        self.store = store
        self.keys = keys if keys is not None else ClassKeys()
        self.set_reactive(ClassStudentScreen.lang, lang)
        self.client: ClassClient | None = None
        self.phase: Phase = "name" if not self.student_name else "connecting"
        self.detail = ""
        """The reason shown with "lost" or "refused"."""
        self.welcome: protocol.Welcome | None = None
        self.case: Case | None = None
        self.deck: Deck | None = None
        self.pages: Pages | None = None
        """The deck split into pages that fit the slide area (see :meth:`_paginate`)."""
        self.room: tuple[int, int] | None = None
        self._sent_case: bytes | None = None
        """A case the server sent before its welcome said which case the class teaches."""
        self.trainer: Trainer | None = None
        self.following = True
        self.position = 0
        """The position shown (the trainer's while following): an index into the pages."""
        self.asked: protocol.Question | None = None
        self.feedback: tuple[str, dict[str, object]] | None = None
        """What became of the answer: a word and its values (drawn in the language shown)."""
        self._ready = False
        """Whether the screen's widgets are there to draw on."""

    # -- building -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="class-bar"):
            yield Static(id="bar-title")
            yield Static(id="bar-place")
        with ContentSwitcher(initial="notice", id="class-body"):
            with Vertical(id="ask-name"):
                yield Static(id="ask-label")
                yield Input(id="name-input", max_length=protocol.MAX_NAME)
                yield Static(id="ask-error")
            yield Static(id="notice")
            with Vertical(id="lesson"):
                yield SlideArea(id="slide-area")
                with Vertical(id="question"):
                    yield Static(id="question-text")
                    yield Static(id="answer-label")
                    yield Input(  # focused again after a reconnect: a keystroke adds
                        id="answer-input", max_length=protocol.MAX_ANSWER, select_on_focus=False
                    )
                    yield OptionList(id="answer-choices")
                    yield Static(id="answer-status")
        yield KeyBar(footer_label, lang=self.lang).data_bind(ClassStudentScreen.lang)

    def on_mount(self) -> None:
        self._ready = True
        if self.phase == "name":
            self.query_one("#name-input", Input).focus()
        else:
            self._start()
        self._show()

    def on_unmount(self) -> None:
        if self.client is not None:
            self.client.stop()

    def watch_lang(self) -> None:
        self._paginate()
        self._show(slide=True)

    def on_slide_area_resized(self) -> None:
        self._paginate()

    # -- the connection -----------------------------------------------------

    def _start(self) -> None:
        """Join the class, as the same student as last time when this class was joined."""
        joined = self.keys.get(self.code)
        own = self.library.cases.get(joined.case_id) if joined is not None else None
        self.client = ClassClient(
            self.address,
            self.student_name,
            student=joined.student if joined is not None else None,
            digest=case_digest(own) if own is not None else None,
            lang=self.lang,
        )
        self.run_worker(self._run(self.client), name="class-client", exclusive=True)

    async def _run(self, client: ClassClient) -> None:
        await client.run(self.deliver)

    def deliver(self, item: object) -> None:
        """Hand the client's ``item`` to the screen (called on the app's loop)."""
        self.post_message(self.Delivered(item))

    def on_class_student_screen_delivered(self, message: Delivered) -> None:
        item = message.item
        if self.phase in ("ended", "refused"):
            return  # the last word stays
        if isinstance(item, Status):
            self._status(item)
        elif isinstance(item, protocol.Welcome):
            self._welcomed(item)
        elif isinstance(item, protocol.CaseData):
            self._case_sent(item.case)
        elif isinstance(item, protocol.Slide):
            self.trainer = Trainer(item.slide, item.step, item.slides)
            if self.following:
                self._go_to_trainer()
        elif isinstance(item, protocol.Question):
            self._question(item)
        elif isinstance(item, protocol.Received):
            if self.asked is not None and item.question == self.asked.question:
                self.feedback = ("answer_received", {"n": item.revision})
        elif isinstance(item, protocol.Refused):
            self._stop("refused", item.reason)
        elif isinstance(item, protocol.Ended):
            self._stop("ended")
        self._show(slide=isinstance(item, (protocol.Slide, protocol.CaseData, protocol.Welcome)))

    def _status(self, status: Status) -> None:
        if status.state in ("ended", "refused"):
            self._stop(status.state, status.detail)
        elif status.state == "lost":
            self.phase, self.detail = "lost", status.detail
        elif status.state == "connecting" and self.phase != "lost":
            self.phase = "connecting"
        elif status.state == "connected":
            self.phase = "waiting"

    def _stop(self, phase: Phase, detail: str = "") -> None:
        self.phase, self.detail = phase, detail or self.detail
        if self.client is not None:
            self.client.stop()

    def _welcomed(self, welcome: protocol.Welcome) -> None:
        self.welcome = welcome
        self.phase = "waiting"
        if not self.keys.remember(self.code, welcome.student, welcome.case_id):
            self.notify(t("key_not_kept", self.lang, path=self.keys.path), severity="warning")
        if self.case is not None and self.case.id == welcome.case_id:
            return  # a reconnect: the case is known
        own = self.library.cases.get(welcome.case_id)
        if own is not None and case_digest(own) == welcome.digest:
            self._use(own)
        elif self._sent_case is not None:
            self._case_sent(self._sent_case)

    def _case_sent(self, data: bytes) -> None:
        """The trainer's case: used when the student has no copy of the class's own."""
        if self.welcome is None:
            self._sent_case = data  # used once the welcome says which case it must be
            return
        self._sent_case = None
        if self.case is not None and self.case.id == self.welcome.case_id:
            return
        try:
            case = case_from_bytes(data)
        except CaseDataError as error:
            self._stop("refused", t("class_bad_case", self.lang, error=error))
            return
        if case.id != self.welcome.case_id:
            wrong = t("class_wrong_case", self.lang, got=case.id, want=self.welcome.case_id)
            self._stop("refused", t("class_bad_case", self.lang, error=wrong))
            return
        self._use(case)

    def _use(self, case: Case) -> None:
        """Teach from ``case``: a reconnect then asks for no copy of it."""
        self.case = case
        self.deck = build_deck(case, "student")
        self.pages, self.room = unsplit(self.deck, self.lang), None
        self.call_after_refresh(self._paginate)
        if self.client is not None and self.welcome is not None:
            self.client.digest = self.welcome.digest

    # -- following and browsing ---------------------------------------------

    @property
    def place(self) -> tuple[int, int]:
        """The logical slide and step shown (both 1-based)."""
        return self.pages.place(self.position) if self.pages is not None else (1, 1)

    def _go_to_trainer(self) -> None:
        if self.pages is None or self.trainer is None or self.deck is None:
            return
        slide, step = self.trainer.slide, self.trainer.step
        if slide > len(self.deck.slides):  # an instructor-only slide (the epilogue):
            slide, step = len(self.deck.slides), len(self.deck.positions)  # the last, whole
        self.position = self.pages.position_of(slide, step)

    def _paginate(self) -> None:
        """Split the deck again for the slide area's size and the language, keeping the
        place shown (a hidden area keeps the pages it had)."""
        if self.deck is None or self.pages is None or not self._ready:
            return
        size = self.query_one("#slide-area", SlideArea).content_size
        if size.width < 1 or size.height < 1:
            return
        room = (max(1, size.width - 2 * PADDING[0]), max(1, size.height - 2 * PADDING[1]))
        if room == self.room and self.pages.lang == self.lang:
            return
        place = self.place
        self.room = room
        self.pages = paginate(self.deck, self.lang, *room, flow_lines)
        self.position = self.pages.position_of(*place)
        if self.following:
            self._go_to_trainer()
        self._show(slide=True)

    def action_follow(self) -> None:
        """Stop following the trainer, or follow again (back on the trainer's slide)."""
        self.following = not self.following
        if self.following:
            self._go_to_trainer()
        self._show(slide=True)

    def _browse(self, by: int) -> None:
        if self.pages is None:
            return
        self.following = False
        self.position = self.pages.clamp(self.position + by)
        self._show(slide=True)

    def action_class_next(self) -> None:
        self._browse(1)

    def action_class_previous(self) -> None:
        self._browse(-1)

    # -- questions ----------------------------------------------------------

    def _question(self, asked: protocol.Question) -> None:
        new = self.asked is None or self.asked.question != asked.question
        self.asked = asked
        if not asked.open:
            self.feedback = ("join_closed", {})
            return
        answer = self.query_one("#answer-input", Input)
        if new or not answer.value:
            answer.value = asked.answer
            self.feedback = None
        choices = self.query_one("#answer-choices", OptionList)
        choices.clear_options()
        choices.add_options([self._choice_text(n, c) for n, c in enumerate(self._choices(), 1)])
        if choices.option_count:
            choices.highlighted = asked.choice - 1 if asked.choice is not None else 0
        self.call_after_refresh(self.action_focus_answer)

    def _question_text(self) -> Text:
        """The open question as the case words it (or as the server does, without one)."""
        assert self.asked is not None
        number = self.asked.question
        questions = self.case.discussion_questions if self.case is not None else []
        title = Text(t("question_n", self.lang, n=number) + "\n", style="bold")
        if 1 <= number <= len(questions):
            return title.append_text(say(questions[number - 1], self.lang))
        return title.append_text(plain(_either(self.asked.text, self.lang)))

    def _choices(self) -> list[str]:
        """The open question's choices, in the reader's language (none: free text)."""
        assert self.asked is not None
        number = self.asked.question
        questions = self.case.discussion_questions if self.case is not None else []
        if 1 <= number <= len(questions):
            own = getattr(questions[number - 1], "choices", [])
            return [pick(choice, self.lang) for choice in own]
        return [_either(choice, self.lang) for choice in self.asked.choices]

    def _choice_text(self, number: int, choice: str) -> Text:
        line = Text(f"{number}. ", style="bold")
        line.append(strip_unsafe(choice))
        return line

    def _open(self) -> bool:
        return self.asked is not None and self.asked.open and self.phase == "lesson"

    def action_focus_answer(self) -> None:
        if self._open():
            answer = "#answer-choices" if self._choices() else "#answer-input"
            self.query_one(answer).focus()

    def action_blur_answer(self) -> None:
        self.set_focus(None)

    def action_send_answer(self) -> None:
        if not self._open():
            return
        if self._choices():
            highlighted = self.query_one("#answer-choices", OptionList).highlighted
            if highlighted is not None:
                self._send(choice=highlighted + 1)
            return
        self._send(text=self.query_one("#answer-input", Input).value)

    def action_send_draft(self) -> None:
        """Send the answer prepared for this question (the prep sheet's), as it is."""
        if not self._open() or self.case is None or self.store is None:
            return
        assert self.asked is not None
        number = self.asked.question
        draft = self.store.answers_for(self.case.id).get(number - 1, "").strip()
        if not draft:
            self.notify(t("no_draft", self.lang, n=number), severity="warning")
            return
        draft = draft[: protocol.MAX_ANSWER]
        self.query_one("#answer-input", Input).value = draft
        self._send(text=draft)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "name-input":
            self._named(event.value)
        else:
            self.action_send_answer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self._open():
            self._send(choice=event.option_index + 1)

    def _send(self, text: str = "", choice: int | None = None) -> None:
        if choice is None and not text.strip():
            self.feedback = ("answer_empty", {})
            self._show()
            return
        assert self.asked is not None and self.client is not None
        self.feedback = ("answer_sending", {})
        self._show()
        question, client = self.asked.question, self.client

        self.run_worker(client.answer(question, text=text.strip(), choice=choice), group="answer")

    # -- the name -----------------------------------------------------------

    def _named(self, value: str) -> None:
        name = value.strip()
        if not name:
            return
        if len(name) > protocol.MAX_NAME:
            error = t("name_too_long", self.lang, n=protocol.MAX_NAME)
            self.query_one("#ask-error", Static).update(error)
            return
        self.student_name = name
        self.phase = "connecting"
        self.set_focus(None)
        self._start()
        self._show()

    # -- drawing ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("follow", "class_next", "class_previous"):
            return self.phase == "lesson"
        if action in ("focus_answer", "send_answer"):
            return self._open()
        if action == "send_draft":
            return self._open() and not self._choices() and self.store is not None
        return True

    def _show(self, *, slide: bool = False) -> None:
        """Draw the phase: a notice, the name asked for, or the slide and the question."""
        if not self._ready:
            return
        lang = self.lang
        if self.phase == "waiting" and self.deck is not None and self.trainer is not None:
            self.phase = "lesson"
        if self.phase == "lesson" and (self.deck is None or self.trainer is None):
            self.phase = "waiting"
        body = self.query_one("#class-body", ContentSwitcher)
        body.current = {"name": "ask-name", "lesson": "lesson"}.get(self.phase, "notice")
        self._show_bar()
        if self.phase == "name":
            self.query_one("#ask-label", Static).update(t("your_name", lang))
        elif self.phase == "lesson":
            if slide:
                self._show_slide()
            self._show_question()
        else:
            self.query_one("#notice", Static).update(self._notice())
        self.refresh_bindings()

    def _notice(self) -> Text:
        lang = self.lang
        words = {
            "connecting": t("join_connecting", lang),
            "waiting": t("join_waiting", lang),
            "lost": t("join_lost", lang),
            "ended": t("join_ended", lang),
            "refused": t("class_refused", lang, reason=strip_unsafe(self.detail)),
        }
        notice = Text(words.get(self.phase, ""), style="bold")
        if self.phase == "lost" and self.detail:
            notice.append("\n\n").append(plain(self.detail, "dim"))
        if self.phase in ("ended", "refused"):
            notice.append("\n\n").append(t("class_quit_hint", lang), style="dim")
        return notice

    def _show_bar(self) -> None:
        lang = self.lang
        title = Text("casebook", style="bold")
        if self.welcome is not None:
            title.append("  ").append_text(plain(self.welcome.title))
        if self.student_name:
            title.append("  · ", style="dim").append_text(plain(self.student_name, "italic"))
        self.query_one("#bar-title", Static).update(title)
        place = Text()
        if self.phase == "lesson" and self.deck is not None and self.trainer is not None:
            total = len(self.deck.slides)
            number = self.place[0]
            if self.following:
                place.append(t("following", lang, n=number, total=total))
            else:
                place.append(t("browsing", lang, n=number, total=total), style="dim")
                trainer = t("trainer_at", lang, n=self.trainer.slide, total=total)
                place.append("  ").append(f" {trainer} ", style="bold reverse")
        self.query_one("#bar-place", Static).update(place)

    def _show_slide(self) -> None:
        assert self.pages is not None
        self.query_one("#slide-area", SlideArea).show(self.pages, self.position, self.room)

    def _show_question(self) -> None:
        panel = self.query_one("#question", Vertical)
        panel.display = self.asked is not None
        if self.asked is None:
            return
        lang = self.lang
        choices = self._choices()
        self.query_one("#question-text", Static).update(self._question_text())
        label = "" if not self.asked.open else t("answer_pick" if choices else "answer_write", lang)
        self.query_one("#answer-label", Static).update(label)
        answer = self.query_one("#answer-input", Input)
        answer.display = not choices
        answer.disabled = not self.asked.open
        options = self.query_one("#answer-choices", OptionList)
        options.display = bool(choices)
        options.disabled = not self.asked.open
        said = t(self.feedback[0], lang, **self.feedback[1]) if self.feedback else ""
        self.query_one("#answer-status", Static).update(Text(said, style="italic"))
