"""Made-up Chinese names and mobile numbers for large generated worlds (the simulator, the benchmarks): one
from a row's number, so SQL and Python agree on it, or drawn from a seeded stream. The demo has its own richer
lists (`assembly.demo.names`), weighted like real ones, because people read its pages.
"""

from __future__ import annotations

import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲建国志红文斌宇浩凯健俊帆晨"


def numbered_name(n: int) -> str:
    return SURNAMES[(n * 7) % len(SURNAMES)] + GIVEN[(n * 13) % len(GIVEN)]


def numbered_phone(n: int) -> str:
    return f"13{(n * 7919) % 1_000_000_000:09d}"


def drawn_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
