"""The case format: what a case file and a collection file may hold.

Each struct is strict (unknown keys are errors) and carries the field
descriptions that ``casebook schema`` publishes to authors' editors.
"""

# No `from __future__ import annotations`: msgspec reads these types as they are
# and builds its decoders without evaluating strings (quicker at start).
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct, field

from casebook.model.format.dates import DATE_HELP, FuzzyDate, parse_date
from casebook.model.format.text import Bilingual, Lang, Text, pick

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$(?!\n)"
# "$(?!\n)": the very end, in Python (whose "$" also matches before a last newline)
# and in the JSON Schema's JavaScript alike (which has no "\Z").
Slug = Annotated[
    str,
    Meta(
        pattern=SLUG_PATTERN,
        description="Lower-case letters, digits and single hyphens, e.g. huayi-precision.",
    ),
]
DateValue = Annotated[
    FuzzyDate,
    Meta(description=f"As precise as the source. {DATE_HELP[0].upper()}{DATE_HELP[1:]}."),
]
MAX_NUMBER = 10**15
"""The largest size of a number in a case (a quadrillion): anything larger is a mistake,
and would not survive the cache's encoding or the handouts' formatting."""
Number = (
    Annotated[int, Meta(ge=-MAX_NUMBER, le=MAX_NUMBER)]
    | Annotated[float, Meta(ge=-float(MAX_NUMBER), le=float(MAX_NUMBER))]
)
"""A number of at most :data:`MAX_NUMBER` either way (the bounds also rule out NaN)."""
Qualifier = Literal["exact", "under", "over", "about"]
SourceRef = Annotated[str, Meta(description="The id of an entry in this file's sources.")]


class _Strict(Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True, gc=False):
    """Base for every part of a case file: unknown keys are errors."""


class Amount(_Strict, kw_only=True):
    """A number as precise as its source: 'under 10', 'more than 1,500', 'about half'."""

    value: Annotated[Number, Meta(description="The number itself, in the metric's unit.")]
    to: Annotated[
        Number | None,
        Meta(description="Upper end when the source gives a range."),
    ] = None
    qualifier: Annotated[
        Qualifier, Meta(description="exact, under (below), over (more than) or about.")
    ] = "exact"
    wording: Annotated[
        Text | None,
        Meta(
            description=(
                "The source's own phrasing, unit included. Shown instead of number and "
                "unit: 'about half', 'under 10 days'."
            )
        ),
    ] = None

    def __post_init__(self) -> None:
        if self.to is not None and self.to < self.value:
            raise ValueError("'to' must not be below 'value'")


Quantity = Annotated[
    Number | Amount,
    Meta(description="A plain number (exact) or {value, qualifier, to, wording}."),
]


PASSAGE_WORDS_MAX = 20
"""The most characters of a passage's start or end: a pointer into the source, never a
copy of it."""
PassageWords = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=PASSAGE_WORDS_MAX,
        description=(
            "A short run of the source's own words (1 to 20 characters, on one line), "
            "copied exactly."
        ),
    ),
]


class Passage(_Strict, kw_only=True):
    """Where in its source a figure, event or saying comes from, as a browser's text
    fragment (#:~:text=start,end) points into a page: by a few of the source's words."""

    start: Annotated[
        PassageWords,
        Meta(description="The first words of the passage; found exactly once in the source."),
    ]
    end: Annotated[
        PassageWords | None,
        Meta(
            description=(
                "The last words of the passage, after start in the same paragraph; "
                "without it, the passage is the start words alone."
            )
        ),
    ] = None


URL_MAX = 2000
"""The longest address a source may give."""
Url = Annotated[
    str,
    Meta(
        pattern=r"^https?://[^\s/?#]+[^\s]*$(?!\n)",
        max_length=URL_MAX,
        description="The source's address: http:// or https://, no spaces.",
    ),
]


class Source(_Strict, kw_only=True):
    """Where facts come from."""

    id: Annotated[Slug, Meta(description="Short id that facts cite, e.g. article.")]
    outlet: Annotated[Text, Meta(description="Who published it.")]
    authors: Annotated[list[Text], Meta(description="Authors and correspondents.")] = field(
        default_factory=list
    )
    year: Annotated[int, Meta(ge=1, le=9999, description="Year of publication.")] | None = None
    title: Annotated[Text | None, Meta(description="Title, when known.")] = None
    note: Annotated[Text | None, Meta(description="Anything else a reader needs.")] = None
    url: Annotated[
        Url | None, Meta(description="Its address (http or https), where known; never guessed.")
    ] = None


def citation(source: Source, lang: Lang) -> str:
    """A citation in ``lang``: 'Wang Yajing, Chen Wenjing. “Title.” CCDI and NSC website, 2022.'"""
    authors = [pick(author, lang) for author in source.authors]
    title = pick(source.title, lang)
    note = pick(source.note, lang)
    outlet = pick(source.outlet, lang)
    if lang == "zh":
        parts = ["、".join(authors), f"《{title}》" if title else "", outlet]
        parts.append(f"{source.year}年" if source.year else "")
        text = "，".join(p for p in parts if p) + "。"
        return text + note if note else text
    parts = [", ".join(authors), f"“{title}”" if title else ""]
    parts.append(outlet + (f", {source.year}" if source.year else ""))
    parts.append(note.rstrip(".") if note else "")
    return ". ".join(p for p in parts if p) + "."


class Event(_Strict, kw_only=True):
    """One dated step in a timeline."""

    date: DateValue
    title: Annotated[Text, Meta(description="What happened, in a line.")]
    detail: Annotated[Text | None, Meta(description="More on what happened.")] = None
    source: SourceRef | None = None
    passage: Annotated[
        Passage | None, Meta(description="Where in its source the event is told.")
    ] = None


class Metric(_Strict, kw_only=True):
    """A key figure: one value, or a before and after pair whose change is computed."""

    id: Annotated[Slug, Meta(description="Short id that challenges link to.")]
    label: Annotated[Text, Meta(description="What is measured.")]
    value: Annotated[
        Quantity | None,
        Meta(description="One figure: a plain number (exact) or {value, qualifier, to, wording}."),
    ] = None
    before: Annotated[Quantity | None, Meta(description="The figure before, as value.")] = None
    after: Annotated[Quantity | None, Meta(description="The figure after, as value.")] = None
    unit: Annotated[Text | None, Meta(description="The unit: days, %, yuan, people...")] = None
    period: Annotated[Text | None, Meta(description="When the figure holds.")] = None
    kind: Annotated[
        Slug | None,
        Meta(
            description=(
                "What sort of figure, to line metrics up when comparing cases: "
                "cycle-time, headcount..."
            )
        ),
    ] = None
    headline: Annotated[bool, Meta(description="Show among the case's big figures.")] = False
    note: Annotated[Text | None, Meta(description="Anything else a reader needs.")] = None
    source: SourceRef | None = None
    passage: Annotated[
        Passage | None,
        Meta(description="Where in its source the figure is; every number of it is there."),
    ] = None

    def __post_init__(self) -> None:
        pair = (self.before is not None, self.after is not None)
        if self.value is not None and any(pair):
            raise ValueError("give either value, or before and after, not both")
        if self.value is None and not all(pair):
            missing = "after" if pair[0] else "before" if pair[1] else "value"
            raise ValueError(f"metric {self.id!r} needs {missing!r}")


class Location(_Strict, kw_only=True):
    """Where the company is."""

    province: Annotated[Text | None, Meta(description="Province.")] = None
    city: Annotated[Text | None, Meta(description="City.")] = None
    district: Annotated[Text | None, Meta(description="District, county or zone.")] = None


def place_name(location: Location | None, lang: Lang) -> str:
    """'Zhuji, Zhejiang' in English; '浙江省诸暨市' in Chinese (largest first)."""
    if location is None:
        return ""
    parts = [pick(p, lang) for p in (location.province, location.city, location.district) if p]
    return "".join(parts) if lang == "zh" else ", ".join(reversed(parts))


class Company(_Strict, kw_only=True):
    """The company's names."""

    name: Annotated[Text, Meta(description="Short name, as the case calls the company throughout.")]
    legal_name: Annotated[
        Text | None, Meta(description="Full registered name, when the source gives it.")
    ] = None
    former_names: Annotated[list[Text], Meta(description="Earlier names, if any.")] = field(
        default_factory=list
    )


class Recognition(_Strict, kw_only=True):
    """An award or designation the source states."""

    name: Annotated[Text, Meta(description="The award or designation.")]
    source: SourceRef | None = None


class Challenge(_Strict, kw_only=True):
    """A problem, what was done about it, and what came of it."""

    title: Annotated[Text, Meta(description="The challenge in a few words.")]
    problem: Annotated[Text, Meta(description="What stood in the way.")]
    solutions: Annotated[list[Text], Meta(description="What the company did, step by step.")]
    outcome: Annotated[Text | None, Meta(description="What came of it.")] = None
    metrics: Annotated[list[str], Meta(description="Ids of the metrics it moved.")] = field(
        default_factory=list
    )


class Saying(Bilingual, kw_only=True):
    """What someone said, in our own words ({en, zh}), and where the source tells it."""

    passage: Annotated[
        Passage | None, Meta(description="Where in the person's source they say it.")
    ] = None


Said = str | Saying
"""One thing a person said: plain text, or {en, zh} with an optional passage (a Saying is
a Bilingual text, so it reads wherever text does)."""


class Person(_Strict, kw_only=True):
    """Someone the source quotes, with what they said in our own words."""

    name: Annotated[Text, Meta(description="Name, in pinyin in English.")]
    role: Annotated[Text, Meta(description="Role or title, as the source gives it.")]
    said: Annotated[
        list[Said],
        Meta(description="Paraphrases, never quotations: text, or {en, zh, passage}."),
    ] = field(default_factory=list)
    source: SourceRef | None = None


MIN_CHOICES, MAX_CHOICES = 2, 10
"""How many choices a discussion question may offer, when it offers any."""


class Question(Bilingual, kw_only=True):
    """A discussion question ({en, zh}) that may offer choices to answer in a live class."""

    choices: Annotated[
        list[Text],
        Meta(
            max_length=MAX_CHOICES,
            description=(
                f"Options students pick from in a live class ({MIN_CHOICES} to "
                f"{MAX_CHOICES}); without them, students answer in their own words."
            ),
        ),
    ] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.choices) == 1:
            raise ValueError(f"give {MIN_CHOICES} to {MAX_CHOICES} choices, or none")


Asked = str | Question
"""One discussion question: plain text, or {en, zh} with optional choices (a Question is
a Bilingual text, so it reads wherever text does)."""


MINUTES_A_DAY = 24 * 60
"""The longest a segment of a class session may be planned to last."""


class Segment(_Strict, kw_only=True):
    """One part of a class session."""

    title: Annotated[Text, Meta(description="What this part of the class is.")]
    minutes: Annotated[int, Meta(gt=0, le=MINUTES_A_DAY, description="Planned length in minutes.")]
    notes: Annotated[Text | None, Meta(description="What to do in it.")] = None


class TeachingNotes(_Strict, kw_only=True):
    """For instructors only: never shown in the student edition."""

    segments: Annotated[
        list[Segment], Meta(description="The class plan, with minutes for the timer.")
    ] = field(default_factory=list)
    board_plan: Annotated[list[Text], Meta(description="What goes on the board.")] = field(
        default_factory=list
    )
    key_points: Annotated[list[Text], Meta(description="What students should take away.")] = field(
        default_factory=list
    )


class Case(_Strict, kw_only=True):
    """One company's case study."""

    kind: Annotated[Literal["case"], Meta(description="Optional; 'case' is the default.")] = "case"
    id: Annotated[
        Slug,
        Meta(
            description=(
                "Unique; lower-case letters, digits and hyphens. The case's name on the "
                "command line, in its file name and in the collection's chapters."
            )
        ),
    ]
    company: Annotated[Company, Meta(description="The company's names.")]
    location: Annotated[
        Location | None, Meta(description="Where the company is: only what the source states.")
    ] = None
    industry: Annotated[Text | None, Meta(description="What the company makes or does.")] = None
    recognitions: Annotated[
        list[Recognition], Meta(description="Awards and designations the source states.")
    ] = field(default_factory=list)
    chapter: Annotated[
        Slug | None,
        Meta(description="The collection chapter this case illustrates (its id)."),
    ] = None
    hook: Annotated[
        Text | None,
        Meta(
            description=(
                "One line that makes a student want to read on. Shown under the "
                "company's name in the case list."
            )
        ),
    ] = None
    summary: Annotated[
        Text,
        Meta(
            description=("Two to four sentences on who the company is and what the case is about.")
        ),
    ]
    timeline: Annotated[
        list[Event], Meta(description="Events, dated 2017, 2017-09, 2017-09-14, 2004-2008...")
    ] = field(default_factory=list)
    metrics: Annotated[
        list[Metric],
        Meta(description="Key figures: give value, or before and after (the change is computed)."),
    ] = field(default_factory=list)
    challenges: Annotated[
        list[Challenge],
        Meta(description="Problems, what was done about each, and what came of it."),
    ] = field(default_factory=list)
    people: Annotated[list[Person], Meta(description="People the source quotes.")] = field(
        default_factory=list
    )
    sources: Annotated[
        list[Source], Meta(description="Where facts come from; facts cite them by id.")
    ] = field(default_factory=list)
    learning_objectives: Annotated[
        list[Text], Meta(description="What a student should be able to do after the case.")
    ] = field(default_factory=list)
    discussion_questions: Annotated[
        list[Asked],
        Meta(description="At least three, to make a class argue: text, or {en, zh, choices}."),
    ] = field(default_factory=list)
    teaching_notes: Annotated[
        TeachingNotes | None,
        Meta(description="For instructors only (never shown in the student edition)."),
    ] = None
    epilogue: Annotated[
        Text | None, Meta(description="What happened next; for instructors only.")
    ] = None


class Region(_Strict, kw_only=True):
    """National or regional context: its figures and events."""

    id: Annotated[Slug, Meta(description="Short id of the region.")]
    name: Annotated[Text, Meta(description="The region's name.")]
    summary: Annotated[Text | None, Meta(description="The region in a few sentences.")] = None
    figures: Annotated[list[Metric], Meta(description="Its key figures, as a case's metrics.")] = (
        field(default_factory=list)
    )
    timeline: Annotated[list[Event], Meta(description="Its events, as a case's timeline.")] = field(
        default_factory=list
    )


class Chapter(_Strict, kw_only=True):
    """A theme of the casebook and the cases that illustrate it, in order."""

    id: Annotated[Slug, Meta(description="Short id that cases name as their chapter.")]
    title: Annotated[Text, Meta(description="The theme in a few words.")]
    summary: Annotated[Text | None, Meta(description="What the chapter's cases show.")] = None
    cases: Annotated[list[Slug], Meta(description="Case ids in reading order.")] = field(
        default_factory=list
    )


class Collection(_Strict, kw_only=True):
    """The casebook itself: introduction, context and chapters."""

    kind: Annotated[Literal["collection"], Meta(description="Marks the collection file.")]
    id: Annotated[Slug, Meta(description="Short id of the casebook.")]
    title: Annotated[Text, Meta(description="The casebook's title.")]
    subtitle: Annotated[Text | None, Meta(description="A line under the title.")] = None
    introduction: Annotated[
        Text, Meta(description="What the casebook is about and how to read it.")
    ]
    context: Annotated[
        list[Region],
        Meta(description="National or regional context: figures and events beside the cases."),
    ] = field(default_factory=list)
    chapters: Annotated[
        list[Chapter], Meta(description="The casebook's themes in reading order, with their cases.")
    ] = field(default_factory=list)
    sources: Annotated[
        list[Source], Meta(description="Where the collection's facts come from.")
    ] = field(default_factory=list)


Document = Case | Collection


def document_type(data: dict[object, object]) -> type[Case] | type[Collection]:
    """The struct a parsed file should become, chosen by its ``kind`` key."""
    return Collection if data.get("kind") == "collection" else Case


def dec_hook(kind: type, value: object) -> object:
    """Build the format's own value types (dates) while converting parsed YAML."""
    if kind is FuzzyDate:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"expected a date, got {type(value).__name__}")
        return parse_date(value)
    raise NotImplementedError(kind)


def enc_hook(value: object) -> object:
    """Turn the format's own value types back into what an author writes."""
    if isinstance(value, FuzzyDate):
        return int(value.text) if value.text.isdigit() else value.text
    raise NotImplementedError(type(value))


def convert(data: object, kind: type[Document]) -> Document:
    """Validate parsed YAML as ``kind``; raises msgspec.ValidationError at the first problem."""
    return msgspec.convert(data, kind, dec_hook=dec_hook)


def to_builtins(document: Document) -> object:
    """Plain data for a document (round-trips through the loader)."""
    return msgspec.to_builtins(document, enc_hook=enc_hook)
