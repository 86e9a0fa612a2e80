"""The commented template that ``casebook new`` writes for an author to fill in.

Its comments are the model's field descriptions (see :mod:`.comments`): ``#: Key`` at
the end of a line below marks where field ``Key``'s comment goes, alone on a line it
marks a comment line.
"""

from __future__ import annotations

from casebook.model.author.comments import comment, commented
from casebook.model.format.schema import MODELINE
from casebook.model.format.text import TEXT_HELP

_TEMPLATE = """\
{modeline}
# A casebook case. {text_help}
# Check your work with: casebook validate {case_id}.yaml

id: {case_id}  #: Case.id

company:  #: Case.company
  name: {{en: Company name, zh: 公司简称}}  #: Company.name
  # legal_name: {{zh: 公司全称}}  #: Company.legal_name
  # former_names: [{{zh: 曾用名}}]  #: Company.former_names

location:  #: Case.location
  province: {{en: Province, zh: 省份}}
  # city: {{en: City, zh: 城市}}
  # district: {{en: District or zone, zh: 区县或园区}}  #: Location.district

industry: {{en: Industry, zh: 行业}}  #: Case.industry
recognitions:  #: Case.recognitions
  - name: {{en: A recognition, zh: 一项认定}}
    source: article  #: Recognition.source
# chapter: chapter-id  #: Case.chapter
hook: {{en: One line that makes a student want to read on, zh: 一句话引子}}  #: Case.hook

summary:  #: Case.summary
  en: Two to four sentences on who the company is and what the case is about.
  zh: 用两到四句话介绍公司和案例要点。

timeline:  #: Case.timeline
  - date: 2017  #: Event.date
    title: {{en: What happened, zh: 发生了什么}}  #: Event.title
    # detail: {{en: More about it, zh: 详细说明}}  #: Event.detail
    source: article

metrics:  #: Case.metrics
  - id: first-metric  #: Metric.id
    label: {{en: What is measured, zh: 衡量什么}}  #: Metric.label
    before: 22  #: Metric.before
    after:  #: Metric.after
      value: 10  #: Amount.value
      qualifier: under  #: Amount.qualifier
    unit: {{en: days, zh: 天}}  #: Metric.unit
    # period: {{en: after the project, zh: 项目实施后}}  #: Metric.period
    # kind: cycle-time  #: Metric.kind
    headline: true  #: Metric.headline
    source: article
    passage: {{start: first words, end: last words}}  #: Metric.passage

challenges:  #: Case.challenges
  - title: {{en: The challenge in a few words, zh: 挑战概述}}
    problem: {{en: What stood in the way, zh: 遇到的问题}}
    solutions:
      - {{en: What the company did, zh: 采取的措施}}
    outcome: {{en: What came of it, zh: 结果}}
    metrics: [first-metric]  #: Challenge.metrics

people:  #: Case.people
  - name: {{en: Name in pinyin, zh: 姓名}}  #: Person.name
    role: {{en: Role, zh: 职务}}  #: Person.role
    said:  #: Person.said
      - en: What they said, in our words
        zh: 用我们的话转述
        passage: {{start: first words, end: last words}}  #: Saying.passage
    source: article

sources:  #: Case.sources
  - id: article  #: Source.id
    outlet: {{en: Publisher, zh: 发布方}}  #: Source.outlet
    # authors: [{{en: Name, zh: 姓名}}]  #: Source.authors
    # year: 2022  #: Source.year

learning_objectives:  #: Case.learning_objectives
  - {{en: What a student should be able to do after the case, zh: 学习目标}}

discussion_questions:  #: Case.discussion_questions
  - {{en: A question with a trade-off in it?, zh: 一个涉及取舍的问题？}}
  - {{en: What would you have done instead?, zh: 换作你会怎么做？}}
  - {{en: What carries over to other firms?, zh: 哪些经验可以推广？}}

#: Case.teaching_notes
# teaching_notes:
#   segments:  #: TeachingNotes.segments
#     - {{title: {{en: Opening, zh: 导入}}, minutes: 10}}
#   board_plan: [{{en: Board column, zh: 板书}}]  #: TeachingNotes.board_plan
#   key_points: [{{en: Key point, zh: 要点}}]  #: TeachingNotes.key_points
# epilogue: {{en: What happened next, zh: 后续}}  #: Case.epilogue
"""

_MARK = "#: "


def _render(text: str) -> str:
    """Each ``#: Key`` mark replaced by the comment of field ``Key``."""
    lines: list[str] = []
    for line in text.splitlines():
        body, mark, key = line.partition(_MARK)
        if not mark:
            lines.append(line)
        elif body.strip():
            lines += commented(body.rstrip(), key.strip())
        else:  # a comment line of its own
            lines.append(f"{body}# {comment(key.strip())}:")
    return "\n".join(lines) + "\n"


def case_template(case_id: str) -> str:
    """A valid, commented case file with id ``case_id``."""
    return _render(_TEMPLATE.format(modeline=MODELINE, text_help=TEXT_HELP, case_id=case_id))
