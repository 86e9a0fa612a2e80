"""The interface's own words, in English and Chinese (shared by the app and the exports)."""

from __future__ import annotations

from casebook.model.format.text import Lang

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
    "present": ("Present", "放映"),
    "next": ("Next", "下一步"),
    "back": ("Back", "上一步"),
    "first": ("First", "第一张"),
    "last": ("Last", "最后"),
    "goto": ("Go to", "跳转"),
    "blackout": ("Blackout", "黑屏"),
    "timer": ("Timer", "计时"),
    "notes": ("Notes", "备注"),
    "leave": ("Leave", "返回"),
    "slide": ("Slide", "幻灯片"),
    "slide_number": ("Slide number (1–{n})", "幻灯片编号（1–{n}）"),
    "on_time": ("on time", "进度正常"),
    "ahead": ("{n} min ahead", "提前 {n} 分钟"),
    "behind": ("{n} min behind", "落后 {n} 分钟"),
    "segment": (
        "Segment {k}/{n}: {title} ({minutes} min)",
        "第 {k}/{n} 段：{title}（{minutes} 分钟）",
    ),
    "key_points": ("Key points", "要点"),
    "board_plan": ("Board plan", "板书"),
    "up_next": ("Next", "下一步"),
    "now": ("Now", "当前"),
    "end_of_deck": ("End of the presentation", "放映结束"),
    "instructor_only": (
        "Speaker notes are in the instructor edition (--instructor).",
        "讲者备注仅在教师版中提供（--instructor）。",
    ),
    "console_title": ("Presenter console", "讲者控制台"),
    "link_off": (
        "Slides and presenter console are not linked: {reason}. Use a private folder "
        "(CASEBOOK_RUNTIME_DIR, mode 0700).",
        "幻灯片与讲者控制台未联动：{reason}。请使用私有文件夹（CASEBOOK_RUNTIME_DIR，权限 0700）。",
    ),
    "screenshot": ("Screenshot", "截图"),
    "saved": ("Saved {path}", "已保存 {path}"),
    "screenshot_served": (
        "Screenshots are off in a served session: nothing is written on the server. "
        "Use your browser's or system's screenshot instead.",
        "网页会话中不能截图：服务器上不写入任何文件。请使用浏览器或系统的截图功能。",
    ),
    "served_notice": (
        "Served session: your notes, bookmarks and progress are kept only for this "
        "browser tab and are lost when it closes. Files cannot be edited from here.",
        "网页会话：你的笔记、书签和阅读进度只保存在本浏览器标签页中，关闭即丢失。此处不能编辑文件。",
    ),
    "served_note": (
        "(kept only for this browser session)",
        "（只保存在本次浏览器会话中）",
    ),
    "not_a_case": ("Open a case first, then press p.", "请先打开一个案例，再按 p。"),
    "your_note": ("Your note (e to edit)", "你的笔记（按 e 编辑）"),
    "note_help": (
        "ctrl+s save · escape cancel · an empty note is deleted",
        "ctrl+s 保存 · escape 取消 · 清空即删除",
    ),
    "note": ("Note", "笔记"),
    "bookmark": ("Bookmark", "书签"),
    "bookmarks": ("Bookmarks", "书签"),
    "no_bookmarks": (
        "No bookmarks yet: press m on a case to add one.",
        "还没有书签：在案例中按 m 添加。",
    ),
    "bookmarked": ("Bookmarked: {label}", "已加书签：{label}"),
    "unbookmarked": ("Bookmark removed: {label}", "已删除书签：{label}"),
    "note_saved": ("Note saved", "笔记已保存"),
    "note_deleted": ("Note deleted", "笔记已删除"),
    "store_failed": ("Could not save: {error}", "无法保存：{error}"),
    "note_not_saved": (
        "Could not save the note: {error}. Your text stays here; ctrl+s tries again.",
        "无法保存笔记：{error}。文字仍保留在此，按 ctrl+s 重试。",
    ),
    "note_draft_restored": (
        "Your unsaved text from a failed save, restored: ctrl+s saves it.",
        "已恢复上次未能保存的文字：按 ctrl+s 保存。",
    ),
    "store_moved": (
        "Your notes file was unreadable; it was moved to {path} and a new one started.",
        "你的笔记文件无法读取，已移到 {path}，并新建了一个。",
    ),
    "store_newer": (
        "Your notes file {path} was written by a newer casebook (format {version}): it is"
        " shown read-only, and nothing you change will be saved.",
        "你的笔记文件 {path} 由更新版本的 casebook 写入（格式 {version}）：现以只读方式显示，"
        "所做更改不会保存。",
    ),
    "store_newer_write": (
        "your notes file {path} was written by a newer casebook (format {version}) and is"
        " read-only here; update casebook to change it",
        "笔记文件 {path} 由更新版本的 casebook 写入（格式 {version}），此处只读；"
        "请升级 casebook 后再修改",
    ),
    "store_skipped": (
        "Skipped unreadable entries in your notes file {path} ({count}); they are kept in"
        " the file.",
        "你的笔记文件 {path} 中有 {count} 条无法读取的记录，已跳过；它们仍保留在文件中。",
    ),
    "store_stuck": (
        "Your notes file {path} is unreadable and could not be moved aside ({error}):"
        " notes, bookmarks and progress cannot be saved until it is fixed.",
        "你的笔记文件 {path} 无法读取，也无法移开（{error}）：修复之前，笔记、书签和阅读进度都无法保存。",
    ),
    "store_stuck_write": (
        "your notes file {path} is unreadable and could not be moved aside ({error})",
        "笔记文件 {path} 无法读取，也无法移开（{error}）",
    ),
    "store_unreadable": (
        "Could not read your notes file {path} ({error}): notes, bookmarks and progress"
        " cannot be saved until it is fixed.",
        "无法读取你的笔记文件 {path}（{error}）：修复之前，笔记、书签和阅读进度都无法保存。",
    ),
    "handout": ("Case handout", "案例讲义"),
    "figures": ("Figures", "数据"),
    "metric_note": ("Note", "备注"),
    "solutions": ("Solutions", "对策"),
    "said": ("In their words (paraphrased)", "观点（转述）"),
    "instructors": ("For instructors", "教师专用"),
    "instructors_only": (
        "Instructor edition: not for distribution to students.",
        "教师版：请勿分发给学生。",
    ),
    "class_plan": ("Class plan ({n} min)", "课堂安排（共{n}分钟）"),
    "segment_col": ("Segment", "环节"),
    "minutes": ("Minutes", "分钟"),
    "segment_notes": ("Notes", "说明"),
    "epilogue": ("Epilogue", "后记"),
    "search": ("Search", "搜索"),
    "search_hint": ("Search every case, in English or 中文…", "搜索所有案例，中英文皆可…"),
    "results": ("{n} result(s)", "{n} 条结果"),
    "filters": ("Filters", "筛选"),
    "filter": ("Filter", "筛选"),
    "clear_filters": ("Clear filters", "清除筛选"),
    "filtered": ("Filtered: {what} (F clears)", "筛选：{what}（F 清除）"),
    "filter_by": ("Filter by {field}: {value}", "按{field}筛选：{value}"),
    "region": ("Region", "地区"),
    "any": ("Any", "全部"),
    "apply": ("Apply", "应用"),
    "clear": ("Clear", "清除"),
    "compare": ("Compare", "比较"),
    "compare_pick": ("Pick 2 to 4 cases to compare", "选择 2 到 4 个案例进行比较"),
    "merged_timeline": ("Timelines on one axis", "时间线合并"),
    "date": ("Date", "日期"),
    "all_events": ("All events", "全部事件"),
    "timeline_owners": ("Show events of", "显示以下事件"),
    "problem_counts": (
        "{errors} error(s), {warnings} warning(s)",
        "{errors} 个错误，{warnings} 个警告",
    ),
    "problems_help": (
        "enter opens the file in $EDITOR at that line · escape closes",
        "回车在 $EDITOR 中打开该行 · escape 关闭",
    ),
    "problems_help_served": (
        "editing is off in a served session: fix files on the server · escape closes",
        "网页会话中不能编辑：请在服务器上修改文件 · escape 关闭",
    ),
    "editing_off": (
        "{where}: editing is off in a served session; fix the file on the server.",
        "{where}：网页会话中不能编辑，请在服务器上修改该文件。",
    ),
    "no_editor": (
        "Set $EDITOR (or $VISUAL) to open files from here.",
        "请设置 $EDITOR（或 $VISUAL）以便从这里打开文件。",
    ),
    "editor_failed": ("Could not start the editor: {error}", "无法启动编辑器：{error}"),
    "stale": (
        "⚠ stale: the file has errors; showing its last good version (! lists them)",
        "⚠ 已过期：文件有错误，显示的是上一个有效版本（按 ! 查看）",
    ),
    "reloaded": ("Reloaded: {n} case(s)", "已重新载入：{n} 个案例"),
    "language_palette": ("Language: English ⇄ 中文 (Chinese)", "语言：中文 ⇄ English（英文）"),
    "loading": ("Loading cases… {done} of {total} read", "正在载入案例… 已读 {done} / {total}"),
    "panes": ("Panes", "分栏"),
    "introduction": ("Introduction", "导言"),
    "cases": ("Cases", "案例"),
    "and_more": ("and {n} more", "另有 {n} 家"),
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
