"""Search latency on a large synthetic casebook (a script, not a test).

    python bench/search_bench.py --cases 2000

Generates N valid bilingual cases in memory (about the size of the bundled ones),
builds the search index and prints the build time and the per-query latency of
queries typed a character at a time, as a student would type them.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time

from casebook.model.format.case import Case, Collection, convert
from casebook.model.load.library import Library
from casebook.model.views.search import SearchIndex

TYPED = ["r", "ro", "rob", "robo", "robot", "机", "机器", "机器人"]
MISSES = ["zqxj", "鲸鱼座"]  # found nowhere: every query scans the whole index

EN_TEXT = (
    "the company plant line robot robots forging brass copper rods die press workers "
    "skill shortage production cycle energy use unit cost customers market share export "
    "quality inspection digital transformation sensors data platform cloud managers "
    "investment yuan million days percent output capacity automated process supplier "
    "textile yarn spinning film medical device patents research engineers province city "
    "niche little giant SRDI policy fund bank credit pilot programme batch ranking first"
)
EN_WORDS = EN_TEXT.split()
ZH_TEXT = (
    "公司 工厂 产线 机器人 红冲 锻压 铜棒 模具 工人 技能 招工难 生产周期 能耗 单位成本 客户 "
    "市场份额 出口 质量 检测 数字化转型 传感器 数据 平台 上云 管理 投资 万元 天 百分比 产量 "
    "产能 自动化 工序 供应商 纺织 纱线 纺丝 薄膜 医疗器械 专利 研发 工程师 省 市 细分 小巨人 "
    "专精特新 政策 资金 银行 信贷 试点 批次 排名第一"
)
ZH_WORDS = ZH_TEXT.split()
PROVINCES = [
    ("Zhejiang", "浙江省"),
    ("Fujian", "福建省"),
    ("Jiangsu", "江苏省"),
    ("Guangdong", "广东省"),
]
INDUSTRIES = [
    ("Precision brass components", "精密黄铜零部件制造"),
    ("Textiles", "纺织"),
    ("Medical devices", "医疗器械"),
    ("Packaging film", "包装薄膜"),
]
KINDS = ["cycle-time", "headcount", "energy", "investment", "customers", "market-share", None]


def _en(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(EN_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _zh(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(ZH_WORDS) for _ in range(words)) + "。"


def _text(rng: random.Random, words: int) -> dict[str, str]:
    return {"en": _en(rng, words), "zh": _zh(rng, max(2, words * 2 // 3))}


def _metric(rng: random.Random, number: int) -> dict[str, object]:
    metric: dict[str, object] = {
        "id": f"m{number}",
        "label": _text(rng, 6),
        "unit": rng.choice([{"en": "days", "zh": "天"}, {"en": "people", "zh": "人"}, "%"]),
        "period": _text(rng, 5),
        "headline": number < 3,
    }
    kind = rng.choice(KINDS)
    if kind:
        metric["kind"] = kind
    if rng.random() < 0.5:
        metric["before"] = rng.randint(10, 500)
        metric["after"] = {"value": rng.randint(1, 9), "qualifier": "under"}
    else:
        metric["value"] = rng.randint(1, 100_000)
    if rng.random() < 0.3:
        metric["note"] = _text(rng, 10)
    return metric


def synthetic_case(rng: random.Random, number: int) -> Case:
    province = rng.choice(PROVINCES)
    industry = rng.choice(INDUSTRIES)
    data = {
        "id": f"case-{number:05d}",
        "company": {
            "name": {"en": f"Company {number}", "zh": f"企业{number}号"},
            "legal_name": {"zh": f"某某精密机械有限公司{number}"},
        },
        "location": {"province": {"en": province[0], "zh": province[1]}},
        "industry": {"en": industry[0], "zh": industry[1]},
        "recognitions": [{"name": _text(rng, 5)}],
        "hook": _text(rng, 12),
        "summary": _text(rng, 110),
        "timeline": [
            {
                "date": 1995 + 3 * i + rng.randint(0, 2),
                "title": _text(rng, 10),
                "detail": _text(rng, 35),
            }
            for i in range(5)
        ],
        "metrics": [_metric(rng, i) for i in range(7)],
        "challenges": [
            {
                "title": _text(rng, 6),
                "problem": _text(rng, 45),
                "solutions": [_text(rng, 15), _text(rng, 15)],
                "outcome": _text(rng, 25),
            }
            for _ in range(3)
        ],
        "people": [
            {"name": _text(rng, 2), "role": _text(rng, 5), "said": [_text(rng, 30), _text(rng, 25)]}
            for _ in range(2)
        ],
        "sources": [
            {"id": "article", "outlet": _text(rng, 4), "authors": [_text(rng, 2)], "year": 2022}
        ],
        "learning_objectives": [_text(rng, 18) for _ in range(4)],
        "discussion_questions": [_text(rng, 40) for _ in range(5)],
    }
    case = convert(data, Case)
    assert isinstance(case, Case)
    return case


def synthetic_library(count: int, seed: int = 7) -> Library:
    rng = random.Random(seed)
    cases = {case.id: case for case in (synthetic_case(rng, n) for n in range(count))}
    ids = list(cases)
    collection = convert(
        {
            "kind": "collection",
            "id": "synthetic",
            "title": "Synthetic casebook",
            "introduction": _text(rng, 200),
            "chapters": [
                {"id": f"chapter-{c}", "title": _text(rng, 4), "cases": ids[c::10]}
                for c in range(10)
            ],
        },
        Collection,
    )
    assert isinstance(collection, Collection)
    return Library(cases=cases, collection=collection)


def _ms(index: SearchIndex, query: str) -> tuple[float, int]:
    start = time.perf_counter()
    found = len(index.search(query))
    return (time.perf_counter() - start) * 1000, found


def _row(label: str, found: int | str, times: list[float], note: str = "") -> None:
    median, worst = statistics.median(times), max(times)
    print(f"{label:<10} {found!s:>5} {median:>10.3f} {worst:>8.3f}  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000, help="how many cases (default 2000)")
    parser.add_argument("--repeat", type=int, default=25, help="runs per query (default 25)")
    parser.add_argument("--builds", type=int, default=3, help="index builds to time (default 3)")
    args = parser.parse_args()

    start = time.perf_counter()
    library = synthetic_library(args.cases)
    print(f"{args.cases} cases generated in {time.perf_counter() - start:.2f} s")

    builds = []
    for _ in range(args.builds):
        start = time.perf_counter()
        index = SearchIndex.build(library)
        builds.append((time.perf_counter() - start) * 1000)
    chars = sum(len(text) for _, _, _, text in index.texts())
    print(
        f"index: {len(index):,} texts, {chars:,} characters; build median "
        f"{statistics.median(builds):.0f} ms (min {min(builds):.0f}, max {max(builds):.0f})"
    )
    # Collect the generated library's garbage now and keep the collector off the
    # long-lived objects, as a loaded app would, so timings are of search itself.
    gc.collect()
    gc.freeze()

    header = f"{'query':<10} {'hits':>5} {'median ms':>10} {'max ms':>8}"
    print("\nTyped a character at a time (each keystroke may reuse the one before):")
    print(header)
    typed: dict[str, list[float]] = {query: [] for query in TYPED}
    counts: dict[str, int] = {}
    for _ in range(args.repeat):
        index.forget()
        for query in TYPED:
            elapsed, counts[query] = _ms(index, query)
            typed[query].append(elapsed)
    for query, times in typed.items():
        _row(query, counts[query], times)
    _row("all", "", [t for times in typed.values() for t in times], "every keystroke above")

    print("\nEach query alone, nothing reused (full cost):")
    print(header)
    for query in TYPED + MISSES:
        times = []
        for _ in range(args.repeat):
            index.forget()
            elapsed, found = _ms(index, query)
            times.append(elapsed)
        _row(query, found, times, "miss: scans everything" if query in MISSES else "")


if __name__ == "__main__":
    main()
