"""The commented template that ``casebook new`` writes for an author to fill in."""

from __future__ import annotations

from casebook.model.format.schema import MODELINE

_TEMPLATE = """\
{modeline}
# A casebook case. Every text field is either plain text or {{en: ..., zh: ...}}.
# Check your work with: casebook validate {case_id}.yaml

id: {case_id}                # unique; lower-case letters, digits and hyphens

company:
  name: {{en: Company name, zh: 公司简称}}
  # legal_name: {{zh: 公司全称}}       # full registered name, when the source gives it
  # former_names: [{{zh: 曾用名}}]

location:                    # only what the source states
  province: {{en: Province, zh: 省份}}
  # city: {{en: City, zh: 城市}}
  # district: {{en: District or zone, zh: 区县或园区}}

industry: {{en: Industry, zh: 行业}}
recognitions:                # awards and designations the source states
  - name: {{en: A recognition, zh: 一项认定}}
    source: article
# chapter: chapter-id        # the collection chapter this case illustrates
hook: {{en: One line that makes a student want to read on, zh: 一句话引子}}

summary:
  en: Two to four sentences on who the company is and what the case is about.
  zh: 用两到四句话介绍公司和案例要点。

timeline:                    # dates: 2017, 2017-09, "2017-09-14", 2004-2008, late 1990s
  - date: 2017
    title: {{en: What happened, zh: 发生了什么}}
    # detail: {{en: More about it, zh: 详细说明}}
    source: article

metrics:                     # give value, or before and after (the change is computed)
  - id: first-metric
    label: {{en: What is measured, zh: 衡量什么}}
    before: 22
    after: {{value: 10, qualifier: under}}   # qualifier: exact, under, over or about
    unit: {{en: days, zh: 天}}
    # period: {{en: after the project, zh: 项目实施后}}
    # kind: cycle-time       # to line metrics up when comparing cases
    headline: true           # show among the big figures
    source: article

challenges:
  - title: {{en: The challenge in a few words, zh: 挑战概述}}
    problem: {{en: What stood in the way, zh: 遇到的问题}}
    solutions:
      - {{en: What the company did, zh: 采取的措施}}
    outcome: {{en: What came of it, zh: 结果}}
    metrics: [first-metric]  # ids of the metrics it moved

people:
  - name: {{en: Name in pinyin, zh: 姓名}}
    role: {{en: Role, zh: 职务}}
    said:                    # paraphrase; never copy a quotation
      - {{en: "What they said, in our words", zh: 用我们的话转述}}
    source: article

sources:
  - id: article
    outlet: {{en: Publisher, zh: 发布方}}
    # authors: [{{en: Name, zh: 姓名}}]
    # year: 2022

learning_objectives:
  - {{en: What a student should be able to do after the case, zh: 学习目标}}

discussion_questions:        # at least three, to make a class argue
  - {{en: A question with a trade-off in it?, zh: 一个涉及取舍的问题？}}
  - {{en: What would you have done instead?, zh: 换作你会怎么做？}}
  - {{en: What carries over to other firms?, zh: 哪些经验可以推广？}}

# For instructors only (never shown in the student edition):
# teaching_notes:
#   segments:
#     - {{title: {{en: Opening, zh: 导入}}, minutes: 10}}
#   board_plan: [{{en: Board column, zh: 板书}}]
#   key_points: [{{en: Key point, zh: 要点}}]
# epilogue: {{en: What happened next, zh: 后续}}
"""


def case_template(case_id: str) -> str:
    """A valid, commented case file with id ``case_id``."""
    return _TEMPLATE.format(modeline=MODELINE, case_id=case_id)
