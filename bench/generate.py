"""Write a synthetic casebook: N realistic, valid, bilingual case files and a collection.

    python bench/generate.py OUT_DIR --cases 2000

Every case is built from bilingual sentence templates (about 2.7 KB of YAML, like a
short real case), with fuzzy dates, before/after figures with qualifiers, challenges
linked to metrics, a quoted person, a cited source and, for one case in five,
instructor-only teaching notes. The same seed writes the same bytes.
``big_case`` builds one case of about 100 KB for the explorer benchmark.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

SYLLABLES = [
    ("Hua", "华"), ("Yi", "益"), ("Jing", "景"), ("Feng", "丰"), ("Zhong", "众"),
    ("Cheng", "成"), ("Wei", "唯"), ("Mai", "迈"), ("Xin", "鑫"), ("Tai", "泰"),
    ("Long", "隆"), ("Rui", "瑞"), ("Kang", "康"), ("Da", "达"), ("Heng", "恒"),
    ("Sheng", "盛"), ("Yuan", "源"), ("Bo", "博"), ("Tong", "通"), ("Ming", "明"),
]  # fmt: skip
INDUSTRIES = [  # company-name word, industry, main product: each in English and Chinese
    ("Precision", "精密", "Precision brass components", "精密黄铜零部件制造",
     "brass valve parts", "黄铜阀门零件"),
    ("Technology", "科技", "Differentiated textile yarn", "差别化纺织纱线",
     "polyester yarn", "涤纶纱线"),
    ("Medical", "医疗", "Medical imaging devices", "医学影像设备",
     "vascular imaging systems", "血管造影系统"),
    ("Materials", "材料", "Packaging film", "包装薄膜", "shrink film", "热收缩膜"),
    ("Machinery", "机械", "Industrial machinery", "工业机械",
     "injection moulding machines", "注塑机"),
    ("Electronics", "电子", "Electronic components", "电子元器件", "power inductors", "功率电感"),
]  # fmt: skip
PLACES = [
    ("Zhejiang", "浙江省", "Zhuji", "诸暨市"),
    ("Zhejiang", "浙江省", "Taizhou", "台州市"),
    ("Jiangsu", "江苏省", "Suzhou", "苏州市"),
    ("Guangdong", "广东省", "Dongguan", "东莞市"),
    ("Fujian", "福建省", "Jinjiang", "晋江市"),
    ("Shandong", "山东省", "Weifang", "潍坊市"),
]
CHAPTERS = [
    ("niche-focus", "Decades in one niche", "深耕细分领域"),
    ("digital-transformation", "Digital transformation", "数字化转型"),
    ("innovation-ecosystem", "An innovation ecosystem", "创新生态"),
    ("export-growth", "Growing abroad", "开拓海外市场"),
    ("green-manufacturing", "Greener plants", "绿色制造"),
    ("talent", "People and skills", "人才与技能"),
]
SUMMARY = [
    (
        "{name} makes {product} in {city}, {province}.",
        "{name_zh}位于{province_zh}{city_zh}，主要生产{product_zh}。",
    ),
    (
        "Its hardest problem was {problem}, which held back both output and quality.",
        "企业最大的难题是{problem_zh}，产量和质量都因此受限。",
    ),
    (
        "In {year} the company invested {money} million yuan in {project}; afterwards "
        "the production cycle fell from {before} days to under {after}.",
        "{year}年公司投入{money}百万元用于{project_zh}，此后生产周期由{before}天缩短到{after}天以下。",
    ),
]
PROBLEMS = [
    ("a shortage of skilled forging workers", "熟练锻压工人短缺"),
    ("high energy use per unit of output", "单位产品能耗高"),
    ("slow manual quality inspection", "人工质检速度慢"),
    ("dependence on imported core parts", "核心部件依赖进口"),
    ("long delivery times for custom orders", "定制订单交期长"),
]
PROJECTS = [
    ("two hot forging robots", "两台红冲机器人"),
    ("a cloud data platform for the plant", "工厂云端数据平台"),
    ("automated optical inspection", "自动光学检测"),
    ("a new research centre with a university", "与高校共建研发中心"),
    ("energy-saving furnaces and rooftop solar", "节能炉和屋顶光伏"),
]
ROLES = [("Chairman", "董事长"), ("General manager", "总经理"), ("Chief engineer", "总工程师")]
SURNAMES = [("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Chen", "陈"), ("Zhou", "周")]
GIVEN = [("Wei", "伟"), ("Fang", "芳"), ("Jun", "军"), ("Min", "敏"), ("Tao", "涛")]
OUTLETS = [
    ("Zhejiang Daily", "浙江日报"),
    ("Economic Daily", "经济日报"),
    ("China SME News", "中国中小企业报"),
]


def _b(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


def _fill(pair: tuple[str, str], slots: dict[str, object]) -> dict[str, str]:
    return _b(pair[0].format(**slots), pair[1].format(**slots))


def _date(rng: random.Random, year: int) -> int | str:
    """A date as authors write them: a year, a month, a day, a period or a range."""
    form = rng.randrange(5)
    if form == 0:
        return year
    if form == 1:
        return f"{year}-{rng.randint(1, 12):02d}"
    if form == 2:
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if form == 3:
        return f"{rng.choice(['early', 'mid', 'late'])} {year}"
    return f"{year}-{year + rng.randint(1, 3)}"


def case_data(rng: random.Random, number: int) -> dict[str, object]:
    """One valid case as plain data (what a YAML file holds)."""
    first, second = rng.sample(SYLLABLES, 2)
    kind_en, kind_zh, industry_en, industry_zh, product_en, product_zh = rng.choice(INDUSTRIES)
    province, province_zh, city, city_zh = rng.choice(PLACES)
    problem, problem_zh = rng.choice(PROBLEMS)
    project, project_zh = rng.choice(PROJECTS)
    founded = rng.randint(1988, 2008)
    year = rng.randint(2012, 2020)
    award_year = rng.randint(year + 1, 2023)
    before, after = rng.randint(8, 30), rng.randint(2, 7)
    name_en, name_zh = f"{first[0]}{second[0].lower()} {kind_en}", f"{first[1]}{second[1]}{kind_zh}"
    slots = {
        "name": name_en,
        "name_zh": name_zh,
        "product": product_en,
        "product_zh": product_zh,
        "city": city,
        "city_zh": city_zh,
        "province": province,
        "province_zh": province_zh,
        "problem": problem,
        "problem_zh": problem_zh,
        "project": project,
        "project_zh": project_zh,
        "year": year,
        "money": rng.randint(2, 90),
        "before": before,
        "after": after,
    }
    summary = [_fill(pair, slots) for pair in SUMMARY]
    surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
    role = rng.choice(ROLES)
    outlet = rng.choice(OUTLETS)
    project_title = project[0].upper() + project[1:]
    timeline = [
        {
            "date": founded,
            "title": _b(f"{name_en} is founded in {city}", f"{name_zh}在{city_zh}成立"),
        },
        {
            "date": _date(rng, year),
            "title": _b(f"Starts work on {project}", f"启动{project_zh}"),
            "source": "article",
        },
        {
            "date": _date(rng, award_year),
            "title": _b("Named a national little giant", "入选国家级专精特新“小巨人”"),
            "source": "article",
        },
    ]
    metrics = [
        {
            "id": "cycle",
            "label": _b("Production cycle", "生产周期"),
            "before": before,
            "after": {
                "value": after,
                "qualifier": "under",
                "wording": _b(f"under {after} days", f"{after}天以下"),
            },
            "unit": _b("days", "天"),
            "kind": "cycle-time",
            "headline": True,
            "source": "article",
        },
        {
            "id": "energy",
            "label": _b("Drop in energy use per unit", "单位产品能耗降幅"),
            "value": rng.randint(5, 30),
            "unit": "%",
            "kind": "energy",
            "headline": True,
        },
    ]
    challenge = {
        "title": _b(problem[0].upper() + problem[1:], problem_zh),
        "problem": _b("Output and quality were held back.", "产量和质量受限。"),
        "solutions": [_b(f"Invest in {project}", f"投资{project_zh}")],
        "metrics": ["cycle"],
    }
    person = {
        "name": _b(f"{surname[0]} {given[0]}", f"{surname[1]}{given[1]}"),
        "role": _b(role[0], role[1]),
        "said": [_b("Robots took over the hardest post", "机器人接过了最难的岗位")],
        "source": "article",
    }
    source = {"id": "article", "outlet": _b(*outlet), "year": rng.randint(2021, 2023)}
    data: dict[str, object] = {
        "id": f"case-{number:05d}",
        "company": {"name": _b(name_en, name_zh)},
        "location": {"province": _b(province, province_zh), "city": _b(city, city_zh)},
        "industry": _b(industry_en, industry_zh),
        "chapter": CHAPTERS[number % len(CHAPTERS)][0],
        "hook": _b(f"{project_title} against {problem}", f"以{project_zh}破解{problem_zh}"),
        "summary": _b(" ".join(s["en"] for s in summary), "".join(s["zh"] for s in summary)),
        "timeline": timeline,
        "metrics": metrics,
        "challenges": [challenge],
        "people": [person],
        "sources": [source],
        "learning_objectives": [
            _b(f"Weigh the costs and gains of {project}", f"权衡{project_zh}的成本与收益")
        ],
        "discussion_questions": [
            _b(f"What else could fix {problem}?", f"还有什么办法应对{problem_zh}？")
        ],
    }
    if number % 5 == 0:
        data["teaching_notes"] = {
            "key_points": [_b("Ask what the robots replaced", "请学生说说机器人替代了什么")],
            "segments": [{"title": _b("Warm-up", "导入"), "minutes": 10}],
        }
    return data


def collection_data(ids: list[str]) -> dict[str, object]:
    """The collection: every case in its chapter, in order."""
    chapters = []
    for index, (chapter_id, en, zh) in enumerate(CHAPTERS):
        members = ids[index :: len(CHAPTERS)]
        chapters.append({"id": chapter_id, "title": _b(en, zh), "cases": members})
    return {
        "kind": "collection",
        "id": "synthetic",
        "title": _b("A synthetic casebook", "合成案例集"),
        "introduction": _b(
            "Generated cases for benchmarks: realistic in shape, invented in content.",
            "用于性能测试的生成案例：结构真实，内容虚构。",
        ),
        "chapters": chapters,
    }


def big_case(target_bytes: int = 100_000, seed: int = 1) -> dict[str, object]:
    """One valid case of about ``target_bytes`` of YAML: a long timeline and many figures."""
    rng = random.Random(seed)
    data = case_data(rng, 99999)
    data["id"] = "big-case"
    data.pop("chapter")
    timeline: list[object] = data["timeline"]  # type: ignore[assignment]
    metrics: list[object] = data["metrics"]  # type: ignore[assignment]
    challenges: list[object] = data["challenges"]  # type: ignore[assignment]
    steps = 0
    while len(dump(data).encode()) < target_bytes:
        for number in range(steps + 1, steps + 9):  # 8 steps between size checks
            _big_step(rng, number, timeline, metrics, challenges)
        steps += 8
    return data


def _big_step(
    rng: random.Random, number: int, timeline: list, metrics: list, challenges: list
) -> None:
    """One more step of the big case: an event, a figure and, every fourth, a challenge."""
    timeline.append(
        {
            "date": _date(rng, 1990 + number % 34),
            "title": _b(f"Step {number} of the upgrade programme", f"升级计划第{number}步"),
            "detail": _b(
                f"Line {number} moved to automated loading, which cut changeover time and "
                "let one operator run two machines.",
                f"第{number}号产线改为自动上料，换线时间缩短，一名操作工可以同时看两台设备。",
            ),
            "source": "article",
        }
    )
    metrics.append(
        {
            "id": f"line-{number}",
            "label": _b(f"Output of line {number}", f"第{number}号产线产量"),
            "before": rng.randint(100, 500),
            "after": rng.randint(500, 900),
            "unit": _b("pieces a day", "件/天"),
            "kind": "output",
        }
    )
    if number % 4 == 0:
        challenges.append(
            {
                "title": _b(f"Bottleneck at line {number}", f"第{number}号产线瓶颈"),
                "problem": _b("Manual loading limited output.", "人工上料限制了产量。"),
                "solutions": [_b("Automated loading", "自动上料")],
                "metrics": [f"line-{number}"],
            }
        )


def slides_case(slides: int = 60, seed: int = 2) -> dict[str, object]:
    """One valid case whose student deck has about ``slides`` slides (a slide a challenge)."""
    data = case_data(random.Random(seed), 99998)
    data["id"] = "slides-case"
    data.pop("chapter")
    challenges: list[object] = data["challenges"]  # type: ignore[assignment]
    # The title, context, timeline, figures (at most 4) and discussion slides, then one a challenge.
    for number in range(1, slides - 6 - len(challenges) + 1):
        challenges.append(
            {
                "title": _b(f"Question {number} for the board", f"董事会的第{number}个问题"),
                "problem": _b("Orders outgrew the plant.", "订单超出了工厂的产能。"),
                "solutions": [_b("A second shift", "增开第二班")],
            }
        )
    return data


class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):  # type: ignore[misc]
    """Never writes anchors or aliases (case files may not hold them)."""

    def ignore_aliases(self, data):
        return True


def dump(data: dict[str, object]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=88)


def generate(out_dir: Path, n: int, seed: int = 2024) -> list[Path]:
    """Write ``n`` case files and ``collection.yaml`` into ``out_dir``; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written = []
    ids = []
    for number in range(n):
        data = case_data(rng, number)
        ids.append(str(data["id"]))
        path = out_dir / f"{data['id']}.yaml"
        path.write_text(dump(data), encoding="utf-8")
        written.append(path)
    path = out_dir / "collection.yaml"
    path.write_text(dump(collection_data(ids)), encoding="utf-8")
    written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--cases", type=int, default=2000, help="how many cases (default 2000)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--big", action="store_true", help="also write big-case.yaml (~100 KB)")
    args = parser.parse_args()
    written = generate(args.out_dir, args.cases, args.seed)
    if args.big:
        path = args.out_dir / "big-case.yaml"
        path.write_text(dump(big_case()), encoding="utf-8")
        written.append(path)
    size = sum(path.stat().st_size for path in written)
    print(f"wrote {len(written)} files ({size / 1024:.0f} KiB) to {args.out_dir}")


if __name__ == "__main__":
    main()
