"""The demo insurer's organisation: 总公司 → four provincial branches → city branches → outlets, and its staff.

Five demo logins (`frontline`, `handler`, `supervisor`, `quality`, `admin`) sit in 深圳 and above, so the
Shenzhen queue is the busy one; two dozen more staff across the branches give assignment and workload
something to do. Org units and users are reference data, written by the world builder (`assembly.world`).
"""

from __future__ import annotations

from dataclasses import dataclass

from amends.accounts.models import OrgKind, OrgUnit, Role, User
from amends.assembly import world
from amends.assembly.world import StaffSpec, UnitSpec

HEAD_OFFICE_CODE = "HO"
DEMO_PASSWORD = "amends-demo"


@dataclass(frozen=True)
class DemoUnit(UnitSpec):
    area: str  # six-digit administrative code, used in policy and claim numbers
    weight: int  # share of the branch's customers served here (outlets: individuals; cities: companies)


HO, PROV, CITY, OUTLET = OrgKind.HEAD_OFFICE, OrgKind.PROVINCE, OrgKind.CITY, OrgKind.OUTLET

UNITS: tuple[DemoUnit, ...] = (
    DemoUnit("HO", "总公司", HO, None, "全国", "110000", 0),
    DemoUnit("GD", "广东分公司", PROV, "HO", "广东", "440000", 0),
    DemoUnit("GD-SZ", "深圳中心支公司", CITY, "GD", "深圳", "440300", 5),
    DemoUnit("GD-SZ-NS", "南山营业部", OUTLET, "GD-SZ", "深圳", "440300", 14),
    DemoUnit("GD-SZ-FT", "福田营业部", OUTLET, "GD-SZ", "深圳", "440300", 10),
    DemoUnit("GD-SZ-BA", "宝安营业部", OUTLET, "GD-SZ", "深圳", "440300", 7),
    DemoUnit("GD-GZ", "广州中心支公司", CITY, "GD", "广州", "440100", 4),
    DemoUnit("GD-GZ-TH", "天河营业部", OUTLET, "GD-GZ", "广州", "440100", 8),
    DemoUnit("GD-GZ-YX", "越秀营业部", OUTLET, "GD-GZ", "广州", "440100", 5),
    DemoUnit("GD-DG", "东莞中心支公司", CITY, "GD", "东莞", "441900", 2),
    DemoUnit("GD-DG-NC", "南城营业部", OUTLET, "GD-DG", "东莞", "441900", 5),
    DemoUnit("BJ", "北京分公司", PROV, "HO", "北京", "110000", 0),
    DemoUnit("BJ-CY", "朝阳支公司", CITY, "BJ", "北京", "110105", 3),
    DemoUnit("BJ-CY-WJ", "望京营业部", OUTLET, "BJ-CY", "北京", "110105", 7),
    DemoUnit("BJ-CY-GM", "国贸营业部", OUTLET, "BJ-CY", "北京", "110105", 5),
    DemoUnit("BJ-HD", "海淀支公司", CITY, "BJ", "北京", "110108", 2),
    DemoUnit("BJ-HD-ZGC", "中关村营业部", OUTLET, "BJ-HD", "北京", "110108", 7),
    DemoUnit("JS", "江苏分公司", PROV, "HO", "江苏", "320000", 0),
    DemoUnit("JS-NJ", "南京中心支公司", CITY, "JS", "南京", "320100", 3),
    DemoUnit("JS-NJ-XJK", "新街口营业部", OUTLET, "JS-NJ", "南京", "320100", 7),
    DemoUnit("JS-NJ-HX", "河西营业部", OUTLET, "JS-NJ", "南京", "320100", 5),
    DemoUnit("JS-SU", "苏州中心支公司", CITY, "JS", "苏州", "320500", 2),
    DemoUnit("JS-SU-YQ", "工业园区营业部", OUTLET, "JS-SU", "苏州", "320500", 6),
    DemoUnit("SC", "四川分公司", PROV, "HO", "四川", "510000", 0),
    DemoUnit("SC-CD", "成都中心支公司", CITY, "SC", "成都", "510100", 3),
    DemoUnit("SC-CD-JJ", "锦江营业部", OUTLET, "SC-CD", "成都", "510100", 7),
    DemoUnit("SC-CD-GX", "高新营业部", OUTLET, "SC-CD", "成都", "510100", 6),
    DemoUnit("SC-MY", "绵阳中心支公司", CITY, "SC", "绵阳", "510700", 1),
    DemoUnit("SC-MY-FC", "涪城营业部", OUTLET, "SC-MY", "绵阳", "510700", 4),
)
UNIT_BY_CODE = {u.code: u for u in UNITS}
OUTLETS = tuple(u for u in UNITS if u.kind == OUTLET)
CITIES = tuple(u for u in UNITS if u.kind == CITY)


FL, HD, SV, QM, AD = Role.FRONTLINE, Role.HANDLER, Role.SUPERVISOR, Role.QUALITY_MANAGER, Role.ADMIN

# The first five are the demo logins printed by `amends demo`; the rest share the same password.
STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("frontline", "柜员李晓", FL, "GD-SZ-NS"),
    StaffSpec("handler", "投诉专员王芳", HD, "GD-SZ"),
    StaffSpec("supervisor", "客服主管赵敏", SV, "GD-SZ"),
    StaffSpec("quality", "品质经理孙悦", QM, "GD"),
    StaffSpec("admin", "系统管理员", AD, "HO"),
    StaffSpec("sz_chengang", "投诉专员陈刚", HD, "GD-SZ"),
    StaffSpec("ft_frontline", "柜员黄晓婷", FL, "GD-SZ-FT"),
    StaffSpec("gd_hotline", "客服坐席周婷", FL, "GD"),
    StaffSpec("gd_supervisor", "客服部经理梁伟强", SV, "GD"),
    StaffSpec("gz_handler", "投诉专员刘洋", HD, "GD-GZ"),
    StaffSpec("gz_supervisor", "客服主管何佳慧", SV, "GD-GZ"),
    StaffSpec("th_frontline", "柜员邓嘉怡", FL, "GD-GZ-TH"),
    StaffSpec("dg_handler", "投诉专员叶志明", HD, "GD-DG"),
    StaffSpec("bj_hotline", "客服坐席高雪", FL, "BJ"),
    StaffSpec("bj_supervisor", "客服部经理马国庆", SV, "BJ"),
    StaffSpec("bj_quality", "品质经理郝文静", QM, "BJ"),
    StaffSpec("cy_handler", "投诉专员张磊", HD, "BJ-CY"),
    StaffSpec("wj_frontline", "柜员田雨桐", FL, "BJ-CY-WJ"),
    StaffSpec("hd_handler", "投诉专员赵丽娟", HD, "BJ-HD"),
    StaffSpec("js_hotline", "客服坐席顾佳", FL, "JS"),
    StaffSpec("js_supervisor", "客服部经理陆建平", SV, "JS"),
    StaffSpec("nj_handler", "投诉专员吴海燕", HD, "JS-NJ"),
    StaffSpec("xjk_frontline", "柜员沈思琪", FL, "JS-NJ-XJK"),
    StaffSpec("su_handler", "投诉专员钱晓峰", HD, "JS-SU"),
    StaffSpec("sc_hotline", "客服坐席罗丹丹", FL, "SC"),
    StaffSpec("sc_supervisor", "客服部经理彭永刚", SV, "SC"),
    StaffSpec("cd_handler", "投诉专员杨雪梅", HD, "SC-CD"),
    StaffSpec("cd_handler2", "投诉专员曾浩宇", HD, "SC-CD"),
    StaffSpec("jj_frontline", "柜员唐可馨", FL, "SC-CD-JJ"),
    StaffSpec("my_handler", "投诉专员蒋德华", HD, "SC-MY"),
    StaffSpec("ho_quality", "总公司品质管理部经理许慧敏", QM, "HO"),
    # Head-office senior management: decides further (level-2) extensions of the complaint clock.
    StaffSpec("ho_senior", "总公司副总经理周强", Role.SENIOR_MANAGER, "HO"),
)
DEMO_LOGINS = STAFF[:5]


def ancestors(code: str) -> list[str]:
    """The unit's own code first, then each parent up to the head office."""
    out = []
    unit: DemoUnit | None = UNIT_BY_CODE[code]
    while unit is not None:
        out.append(unit.code)
        unit = UNIT_BY_CODE[unit.parent] if unit.parent else None
    return out


def nearest(code: str, role: str) -> str:
    """Username of the nearest staff member with `role` at or above the unit (a city handler, a supervisor…)."""
    for unit in ancestors(code):
        for s in STAFF:
            if s.unit == unit and s.role == role:
                return s.username
    raise LookupError(f"no {role} above {code}")


def province_of(code: str) -> str:
    return next(u for u in ancestors(code) if UNIT_BY_CODE[u].kind == PROV)


def create_org() -> tuple[dict[str, OrgUnit], dict[str, User]]:
    """Write the org units and staff; every demo login gets the one printed demo password."""
    units = world.units(UNITS)
    return units, world.staff(STAFF, password=DEMO_PASSWORD, units=units)
