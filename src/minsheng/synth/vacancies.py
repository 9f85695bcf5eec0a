"""Synthetic vacancies (and the job seekers who look for them) for the matching benchmark
and the demo: titles, duties and skills of common jobs, coded by GB/T 6565 occupation,
spread over Chongqing's districts. Deterministic for a seed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from minsheng.platform import regions

#: (title, occupation, education required, pay floor, duties …, skills …)
JOBS: tuple[tuple[str, str, int, int, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Java开发工程师",
        "4-04",
        4,
        9000,
        ("后端服务开发", "接口设计与数据库优化", "参与系统架构"),
        ("Java", "Spring Boot", "MySQL", "Redis"),
    ),
    (
        "前端开发工程师",
        "4-04",
        3,
        8000,
        ("网页与小程序开发", "前端性能优化"),
        ("Vue", "JavaScript", "小程序", "CSS"),
    ),
    ("软件测试工程师", "4-04", 3, 7000, ("编写测试用例", "自动化测试"), ("Python", "自动化测试")),
    (
        "网络运维工程师",
        "4-04",
        3,
        7000,
        ("服务器与网络维护", "机房值班"),
        ("Linux", "网络", "运维"),
    ),
    (
        "会计",
        "2-06",
        3,
        5500,
        ("账务处理", "财务报表编制", "税务申报"),
        ("会计证", "用友软件", "Excel"),
    ),
    ("出纳", "2-06", 3, 4500, ("现金与银行收付", "票据管理"), ("出纳", "Excel")),
    ("叉车司机", "4-02", 1, 5000, ("仓库装卸", "货物搬运"), ("叉车证", "仓库管理")),
    ("快递员", "4-02", 1, 5500, ("快递收派", "客户服务"), ("驾驶", "电动车")),
    ("货车司机", "4-02", 2, 7000, ("城市配送", "长途运输"), ("B2驾照", "货运")),
    ("仓库管理员", "4-02", 2, 4800, ("出入库登记", "库存盘点"), ("仓库管理", "ERP")),
    ("厨师", "4-03", 1, 6000, ("中餐烹饪", "后厨管理"), ("川菜", "火锅", "厨师证")),
    ("服务员", "4-03", 1, 4000, ("餐厅接待", "点菜传菜"), ("服务", "沟通")),
    ("酒店前台", "4-03", 2, 4200, ("入住接待", "客房预订"), ("英语", "接待")),
    ("收银员", "4-01", 2, 4000, ("超市收银", "商品整理"), ("收银", "服务")),
    ("销售代表", "4-01", 2, 5000, ("客户开发", "产品推广", "完成销售业绩"), ("销售", "沟通")),
    (
        "电商运营",
        "4-01",
        3,
        6000,
        ("网店运营", "直播带货策划"),
        ("电商运营", "直播带货", "数据分析"),
    ),
    ("保洁员", "4-10", 1, 3200, ("楼宇保洁", "公共区域清洁"), ("保洁",)),
    ("育婴师", "4-10", 2, 6500, ("婴幼儿照护", "辅食制作"), ("育婴师证", "早教")),
    ("养老护理员", "4-14", 2, 5000, ("老人生活照料", "康复护理"), ("护理", "养老护理员证")),
    ("护士", "2-05", 3, 6000, ("临床护理", "病房管理"), ("护士执业证书",)),
    ("小学教师", "2-08", 4, 6500, ("语文教学", "班级管理"), ("教师资格证", "普通话")),
    ("行政文员", "3-01", 3, 4500, ("文件收发", "会议安排", "办公室日常事务"), ("Office", "文秘")),
    (
        "数控车床操作工",
        "6-18",
        2,
        6500,
        ("数控车床加工零件", "设备日常保养"),
        ("数控车床", "看图纸"),
    ),
    ("电焊工", "6-18", 1, 7000, ("钢结构焊接", "管道焊接"), ("电焊工证", "氩弧焊")),
    ("汽车装配工", "6-22", 2, 6000, ("整车装配", "零部件检验"), ("装配", "汽车")),
    ("汽修技师", "6-22", 2, 6500, ("汽车维修保养", "故障诊断"), ("汽修", "钣金")),
    ("建筑施工员", "6-29", 3, 7000, ("现场施工管理", "质量安全检查"), ("施工员证", "CAD")),
    ("钢筋工", "6-29", 1, 7500, ("钢筋绑扎", "钢筋下料"), ("钢筋",)),
    ("食品包装工", "6-02", 1, 4200, ("火锅底料包装", "生产线操作"), ("包装", "普工")),
    ("普工", "6-31", 1, 4500, ("流水线作业", "产品搬运"), ("普工",)),
    ("农业技术员", "5-01", 3, 5000, ("柑橘种植指导", "病虫害防治"), ("种植", "农技")),
    ("水产养殖员", "5-04", 1, 4500, ("鱼类养殖", "水质管理"), ("养殖", "渔业")),
)
SUFFIXES = ("", "（长白班）", "（五险一金）", "（包食宿）", "（可实习）")


@dataclass(frozen=True)
class SyntheticVacancy:
    title: str
    occupation_code: str
    region: str
    education_required: int
    pay_min: Decimal
    pay_max: Decimal
    description: str
    posted_date: date


@dataclass(frozen=True)
class SyntheticSeeker:
    region: str
    occupation_code: str
    education: int
    min_pay: Decimal
    skills: str


def chongqing_districts() -> list[str]:
    return [d.code for d in regions.current_counties("50")]


def generate_vacancies(
    count: int, seed: int = 7, today: date | None = None
) -> Iterator[SyntheticVacancy]:
    """``count`` vacancies. Descriptions are one or two duties and one or two skills of
    the job, so the texts repeat (their segmentation is cached)."""
    rng = random.Random(seed)
    districts = chongqing_districts()
    today = today or date.today()
    for _ in range(count):
        title, occupation, education, floor, duties, skills = rng.choice(JOBS)
        low = floor + rng.randrange(0, 21) * 100
        high = low + rng.randrange(5, 41) * 100
        duty = "、".join(rng.sample(duties, k=min(len(duties), rng.choice((1, 2)))))
        skill = "、".join(rng.sample(skills, k=min(len(skills), rng.choice((1, 2)))))
        yield SyntheticVacancy(
            title=title + rng.choice(SUFFIXES),
            occupation_code=occupation,
            region=rng.choice(districts),
            education_required=education,
            pay_min=Decimal(low),
            pay_max=Decimal(high),
            description=f"岗位职责：{duty}。任职要求：熟悉{skill}。",
            posted_date=today - timedelta(days=rng.randrange(0, 180)),
        )


def generate_seekers(count: int, seed: int = 11) -> Iterator[SyntheticSeeker]:
    rng = random.Random(seed)
    districts = chongqing_districts()
    for _ in range(count):
        title, occupation, education, floor, _duties, skills = rng.choice(JOBS)
        yield SyntheticSeeker(
            region=rng.choice(districts),
            occupation_code=occupation,
            education=min(6, education + rng.choice((0, 0, 1))),
            min_pay=Decimal(floor + rng.randrange(0, 11) * 100),
            skills=" ".join([title, *rng.sample(skills, k=min(2, len(skills)))]),
        )
