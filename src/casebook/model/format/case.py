"""The case format: what a case file and a collection file may hold.

Each struct is strict (unknown keys are errors) and carries the field
descriptions that ``casebook schema`` publishes to authors' editors.
"""

# No `from __future__ import annotations`: msgspec reads these types as they are
# and builds its decoders without evaluating strings (quicker at start).
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct, field

from casebook.model.format.dates import FuzzyDate, parse_date
from casebook.model.format.text import Lang, Text, pick

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
    Meta(
        description=(
            "A year (2017), month (2017-09), day (2017-09-14), range (2004-2008) "
            "or fuzzy period ('late 1990s', '1990s', 'early 2010')."
        )
    ),
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
                "The source's own phrasing of the figure, unit included "
                "('about half', 'under 10 days'), shown instead of number and unit."
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


class Metric(_Strict, kw_only=True):
    """A key figure: one value, or a before and after pair whose change is computed."""

    id: Annotated[Slug, Meta(description="Short id that challenges link to.")]
    label: Annotated[Text, Meta(description="What is measured.")]
    value: Quantity | None = None
    before: Quantity | None = None
    after: Quantity | None = None
    unit: Annotated[Text | None, Meta(description="days, %, yuan, people...")] = None
    period: Annotated[Text | None, Meta(description="When the figure holds.")] = None
    kind: Annotated[
        Slug | None,
        Meta(description="What sort of figure, to compare cases: cycle-time, headcount..."),
    ] = None
    headline: Annotated[bool, Meta(description="Show among the case's big figures.")] = False
    note: Text | None = None
    source: SourceRef | None = None

    def __post_init__(self) -> None:
        pair = (self.before is not None, self.after is not None)
        if self.value is not None and any(pair):
            raise ValueError("give either value, or before and after, not both")
        if self.value is None and not all(pair):
            missing = "after" if pair[0] else "before" if pair[1] else "value"
            raise ValueError(f"metric {self.id!r} needs {missing!r}")


class Location(_Strict, kw_only=True):
    """Where the company is."""

    province: Text | None = None
    city: Text | None = None
    district: Annotated[Text | None, Meta(description="District, county or zone.")] = None


def place_name(location: Location | None, lang: Lang) -> str:
    """'Zhuji, Zhejiang' in English; '浙江省诸暨市' in Chinese (largest first)."""
    if location is None:
        return ""
    parts = [pick(p, lang) for p in (location.province, location.city, location.district) if p]
    return "".join(parts) if lang == "zh" else ", ".join(reversed(parts))


class Company(_Strict, kw_only=True):
    """The company's names."""

    name: Annotated[Text, Meta(description="Short name, e.g. {en: Huayi Precision, zh: 华益精密}.")]
    legal_name: Annotated[Text | None, Meta(description="Full registered name.")] = None
    former_names: list[Text] = field(default_factory=list)


class Recognition(_Strict, kw_only=True):
    """An award or designation the source states."""

    name: Text
    source: SourceRef | None = None


class Challenge(_Strict, kw_only=True):
    """A problem, what was done about it, and what came of it."""

    title: Text
    problem: Text
    solutions: list[Text]
    outcome: Text | None = None
    metrics: Annotated[list[str], Meta(description="Ids of the metrics it moved.")] = field(
        default_factory=list
    )


class Person(_Strict, kw_only=True):
    """Someone the source quotes, with what they said in our own words."""

    name: Text
    role: Text
    said: Annotated[list[Text], Meta(description="Paraphrases, never quotations.")] = field(
        default_factory=list
    )
    source: SourceRef | None = None


MINUTES_A_DAY = 24 * 60
"""The longest a segment of a class session may be planned to last."""


class Segment(_Strict, kw_only=True):
    """One part of a class session."""

    title: Text
    minutes: Annotated[int, Meta(gt=0, le=MINUTES_A_DAY, description="Planned length in minutes.")]
    notes: Text | None = None


class TeachingNotes(_Strict, kw_only=True):
    """For instructors only: never shown in the student edition."""

    segments: list[Segment] = field(default_factory=list)
    board_plan: list[Text] = field(default_factory=list)
    key_points: list[Text] = field(default_factory=list)


class Case(_Strict, kw_only=True):
    """One company's case study."""

    kind: Annotated[Literal["case"], Meta(description="Optional; 'case' is the default.")] = "case"
    id: Annotated[Slug, Meta(description="Unique id of the case, used on the command line.")]
    company: Company
    location: Location | None = None
    industry: Text | None = None
    recognitions: list[Recognition] = field(default_factory=list)
    chapter: Annotated[
        Slug | None,
        Meta(description="Id of the collection chapter it illustrates."),
    ] = None
    hook: Annotated[Text | None, Meta(description="One line for the case list.")] = None
    summary: Text
    timeline: list[Event] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    challenges: list[Challenge] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    learning_objectives: list[Text] = field(default_factory=list)
    discussion_questions: list[Text] = field(default_factory=list)
    teaching_notes: TeachingNotes | None = None
    epilogue: Annotated[Text | None, Meta(description="For instructors only.")] = None


class Region(_Strict, kw_only=True):
    """National or regional context: its figures and events."""

    id: Slug
    name: Text
    summary: Text | None = None
    figures: list[Metric] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)


class Chapter(_Strict, kw_only=True):
    """A theme of the casebook and the cases that illustrate it, in order."""

    id: Slug
    title: Text
    summary: Text | None = None
    cases: Annotated[list[Slug], Meta(description="Case ids in reading order.")] = field(
        default_factory=list
    )


class Collection(_Strict, kw_only=True):
    """The casebook itself: introduction, context and chapters."""

    kind: Annotated[Literal["collection"], Meta(description="Marks the collection file.")]
    id: Slug
    title: Text
    subtitle: Text | None = None
    introduction: Text
    context: list[Region] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


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
