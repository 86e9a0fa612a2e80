"""The interface's own words, in English and Chinese."""

from __future__ import annotations

from casebook.model.text import Lang

_WORDS: dict[str, tuple[str, str]] = {
    "overview": ("Overview", "概览"),
    "timeline": ("Timeline", "时间线"),
    "metrics": ("Metrics", "指标"),
    "challenges": ("Challenges", "挑战"),
    "people": ("People & sources", "人物与来源"),
    "discussion": ("Discussion", "讨论"),
    "overview_short": ("Overview", "概览"),
    "timeline_short": ("Timeline", "时间线"),
    "metrics_short": ("Metrics", "指标"),
    "challenges_short": ("Challenges", "挑战"),
    "people_short": ("People", "人物"),
    "discussion_short": ("Discussion", "讨论"),
    "panes": ("Panes", "分栏"),
    "introduction": ("Introduction", "导言"),
    "cases": ("Cases", "案例"),
    "quit": ("Quit", "退出"),
    "language": ("中文", "English"),
    "help": ("Help", "帮助"),
    "list": ("List", "列表"),
    "problems": ("Problems", "问题"),
    "no_problems": ("No problems: every file loaded.", "没有问题：所有文件均已载入。"),
    "problem_count": ("{n} problem(s) — press ! to list", "{n} 个问题 — 按 ! 查看"),
    "pick_case": ("Pick a case on the left and press Enter.", "在左侧选择案例并按回车。"),
    "no_cases": ("No valid cases found.", "没有找到有效的案例。"),
    "company": ("Company", "公司"),
    "legal_name": ("Registered name", "注册名称"),
    "former_names": ("Formerly", "曾用名"),
    "location": ("Location", "地点"),
    "industry": ("Industry", "行业"),
    "recognitions": ("Recognitions", "荣誉与认定"),
    "chapter": ("Chapter", "章节"),
    "summary": ("Summary", "概要"),
    "headline": ("Headline figures", "关键数字"),
    "metric": ("Metric", "指标"),
    "before": ("Before", "之前"),
    "after": ("After", "之后"),
    "value": ("Value", "数值"),
    "change": ("Change", "变化"),
    "unit": ("Unit", "单位"),
    "period": ("Period", "时期"),
    "source": ("Source", "来源"),
    "problem": ("Problem", "问题"),
    "solution": ("Solution", "对策"),
    "outcome": ("Outcome", "结果"),
    "moved": ("Figures it moved", "相关指标"),
    "people_title": ("People", "人物"),
    "sources_title": ("Sources", "来源"),
    "objectives": ("Learning objectives", "学习目标"),
    "questions": ("Discussion questions", "讨论题"),
    "context": ("Context", "背景"),
    "chapters": ("Chapters", "章节"),
    "nothing_here": ("Nothing here for this entry.", "此条目没有相关内容。"),
    "no_events": ("No dated events.", "没有带日期的事件。"),
    "keys": ("Keys", "按键"),
    "close": ("Close", "关闭"),
    "was": ("was", "原为"),
}


def t(key: str, lang: Lang, **values: object) -> str:
    """The interface text ``key`` in ``lang``."""
    en, zh = _WORDS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text
