"""Chinese names for the demo district: streets, communities, roads, people, departments.

Place names are in the style of Suzhou's old town (姑苏区); the demo district is invented,
so they are not a map of the real one.
"""

from __future__ import annotations

import numpy as np

DISTRICT_CODE = "320508"
DISTRICT_NAME = "姑苏区"

STREET_NAMES = (
    "平江街道",
    "沧浪街道",
    "双塔街道",
    "金阊街道",
    "观前街道",
    "虎丘街道",
    "白洋湾街道",
    "吴门桥街道",
)

# Community name stems; with the suffix 社区 they name ~100 communities.
COMMUNITY_STEMS = (
    "平江",
    "大儒",
    "钮家",
    "菉葭",
    "狮林",
    "拙政",
    "观前",
    "察院场",
    "怡园",
    "醋库",
    "双塔",
    "定慧寺",
    "网师",
    "南园",
    "沧浪亭",
    "葑门",
    "望星桥",
    "竹辉",
    "新桥",
    "杨枝",
    "阊门",
    "石路",
    "山塘",
    "留园",
    "西园",
    "虎丘",
    "彩香",
    "三香",
    "胥江",
    "桐泾",
    "吴门桥",
    "盘门",
    "瑞光",
    "南门",
    "万年桥",
    "泰让桥",
    "新市",
    "养育巷",
    "道前",
    "景德",
    "皮市",
    "北寺塔",
    "齐门",
    "桃花坞",
    "西北街",
    "东北街",
    "娄门",
    "相门",
    "干将",
    "十全",
    "凤凰",
    "乌鹊桥",
    "草桥",
    "官太尉",
    "饮马桥",
    "人民桥",
    "锦帆",
    "仓街",
    "白塔",
    "临顿",
    "悬桥",
    "中张家",
    "丁香",
    "卫道",
    "混堂",
    "大郎桥",
    "尚义桥",
    "平四",
    "庆元坊",
    "钟楼",
    "天赐庄",
    "十梓",
    "带城桥",
    "滚绣坊",
    "金狮",
    "侍其巷",
    "学士",
    "剪金桥",
    "专诸巷",
    "南浩",
    "上塘",
    "广济",
    "硕房",
    "枫桥",
    "白莲",
    "虎阜",
    "新庄",
    "长青",
    "金门",
    "西园弄",
    "菱塘",
    "梅巷",
    "江枫",
    "半塘",
    "寒山",
    "星桥",
    "渔郎",
    "运河",
    "横塘",
    "北码头",
    "东大街",
    "南石皮",
    "由巷",
    "马医科",
    "颜家巷",
    "史家巷",
    "潘儒巷",
    "迎春",
    "彩云",
    "桂花",
)

# Arterials: north-south (纵) and east-west (横) main roads.
NS_ROADS = (
    "人民路",
    "临顿路",
    "凤凰街",
    "广济路",
    "西环路",
    "东环路",
    "金门路",
    "相门路",
    "学士街",
    "齐门路",
    "平门路",
    "苏站路",
    "桐泾路",
    "南门路",
    "娄门路",
)
EW_ROADS = (
    "干将路",
    "十全街",
    "竹辉路",
    "白塔路",
    "景德路",
    "道前街",
    "西北街",
    "东北街",
    "三香路",
    "北环路",
    "南环路",
    "石路",
    "留园路",
    "狮山路",
    "新市路",
)
CANAL_NAME = "外城河"

WINDOW_AREAS = (
    "观前街商圈",
    "苏州火车站",
    "拙政园景区",
    "平江路历史街区",
    "石路商圈",
    "山塘街景区",
    "盘门景区",
)

_ROAD_FIRST = "东西南北新长大小金银桃柳梅竹兰菊枫桐丁钮花石宝吉仓庙"
_ROAD_SECOND = "家香林桥园塘浜井坊门桂庆宁乐安平和春秋泉"
_ROAD_SUFFIX = ("巷", "弄", "街", "路")

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
    "许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅晨斌鹏飞辉峰燕琴云兵健波宁"

# 主管部门 per major component class: (code, name).
DEPARTMENTS = {
    "01": ("GS-SZ", "姑苏区市政设施管理处"),
    "02": ("GS-JT", "苏州市公安局姑苏分局交通警察大队"),
    "03": ("GS-HW", "姑苏区城市管理局环境卫生管理处"),
    "04": ("GS-YL", "姑苏区园林和绿化管理所"),
    "05": ("GS-FW", "姑苏区住房和建设局"),
    "06": ("GS-SW", "姑苏区水务局"),
}
# 权属单位 for classes owned by utilities rather than the department.
OWNERS = {
    "0101": ("SZ-ZLS", "苏州市自来水有限公司"),
    "0102": ("SZ-PS", "苏州市排水有限公司"),
    "0103": ("SZ-PS", "苏州市排水有限公司"),
    "0104": ("SZ-PS", "苏州市排水有限公司"),
    "0105": ("SZ-GD", "国网苏州供电公司"),
    "0107": ("SZ-DX", "中国电信苏州分公司"),
    "0111": ("SZ-RQ", "苏州港华燃气有限公司"),
    "0116": ("SZ-GD", "国网苏州供电公司"),
    "0134": ("SZ-GD", "国网苏州供电公司"),
}
MAINTAINERS = (
    ("YH-01", "苏州城建养护工程有限公司"),
    ("YH-02", "姑苏市政养护中心"),
    ("YH-03", "苏州园林绿化工程有限公司"),
)


def road_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct minor road names (…巷, …弄, …街, …路), in a seeded order."""
    pool = [a + b + s for a in _ROAD_FIRST for b in _ROAD_SECOND for s in _ROAD_SUFFIX]
    order = rng.permutation(len(pool))
    names = [pool[i] for i in order]
    if n > len(names):  # more roads than names: number the repeats
        names += [f"{names[i % len(pool)]}{i // len(pool) + 1}号" for i in range(n - len(pool))]
    return names[:n]


def person_names(rng: np.random.Generator, n: int) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        s = _SURNAMES[rng.integers(len(_SURNAMES))]
        k = 1 + int(rng.random() < 0.6)
        g = "".join(_GIVEN[i] for i in rng.integers(len(_GIVEN), size=k))
        if s + g not in seen:
            seen.add(s + g)
            out.append(s + g)
    return out


def community_names(n: int) -> list[str]:
    stems = list(COMMUNITY_STEMS)
    names = [stems[i % len(stems)] + "社区" for i in range(n)]
    for i in range(len(stems), n):  # only past 110 communities
        names[i] = stems[i % len(stems)] + f"{i // len(stems) + 1}社区"
    return names
