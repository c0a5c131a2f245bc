"""The seed stories (see ../seeds/), written out as demo cases at fixed times before today.

- 残值扣款: a parts list stamped by the company did not name a part the claims system wanted returned, so the
  customer was to lose ¥300. In the seed he was a key account and got paid in full after a report up the
  line; here he is an individual customer, because authority must not depend on the segment.
- 9点的定损员: an assessor promised 9:00 and did not come; the fix promises 13:00, a time that can be kept.
- 回避: a complaint about a handler by name; the case must go to someone else.
- A key-account fleet whose payments stalled, and a walk-in who was ignored at the counter.
- The same ¥300 salvage deduction for an online customer and for a key account, weeks ago: both waived on the
  spot by whoever faced them, within their authority, with nobody's report up the line (应变权).
"""

from __future__ import annotations

from .cases import DAY, EPOCH_DAYS, Action, CasePlan


def at(days_ago: int, hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return (EPOCH_DAYS - days_ago) * DAY + int(hours) * 60 + int(minutes)


def _plan(key: str, customer: int, touchpoint: str, claim_seq: int | None, actions: list[Action]) -> CasePlan:
    return CasePlan(key, "story", customer, touchpoint, 0, claim_seq, actions[0].t, actions)


def _receive(t: int, actor: str, channel: str, description: str, request: str, **extra: object) -> Action:
    args: dict[str, object] = {"actor": actor, "channel": channel, "description": description, "request": request}
    args.setdefault("loss", None)
    args.setdefault("confirmed", True)
    return Action(t, "receive", {**args, **extra})


def _step(t: int, step: str, note: str) -> Action:
    return Action(t, "step", {"actor": "owner", "step": step, "note": note})


def seed_stories(first_claim_seq: int) -> list[CasePlan]:
    seq = first_claim_seq
    salvage = _plan(
        "S-SALVAGE",
        1,
        "auto_claim.salvage",
        seq + 1,
        [
            _receive(
                at(2, "14:20"),
                "frontline",
                "counter",
                "追尾事故的理赔资料我都按换件清单交齐了，残件也按清单上列的交了。现在理赔中心说系统里还有一个零件"
                "要求交残，我没交，要扣残值300元。可换件清单上根本没写这个零件要交残，盖着你们理赔专用章的清单"
                "就是这么写的。",
                "按换件清单全额赔付，不应扣这300元残值。",
                loss=300,
            ),
            Action(at(2, "14:35"), "assign", {"actor": "supervisor", "to": "handler"}),
            _step(
                at(2, "15:10"),
                "apology",
                "致电陈先生道歉：换件清单是我们盖章交给您的，清单没写要交残，不是您的问题。已立案，由我负责跟进。",
            ),
        ],
    )
    assessor = _plan(
        "S-ASSESSOR",
        2,
        "auto_claim.assessment",
        seq + 2,
        [
            _receive(
                at(3, "10:40"),
                "gd_hotline",
                "hotline",
                "定损员昨天在电话里答应今天早上9点到修理厂定损，我专门请了半天假，9点前就到了，一直等到10点半"
                "还没人来，打他电话也不接。说好的事情做不到，还不如一开始就说下午。",
                "今天之内必须安排定损，并对耽误我的时间给个说法。",
            ),
            Action(at(3, "10:50"), "assign", {"actor": "supervisor", "to": "handler"}),
            _step(at(3, "11:05"), "apology", "致电李先生道歉：约好9点却没人到，也没人提前通知，是我们失信在先。"),
            _step(
                at(3, "11:30"),
                "fix",
                "改派定损员吴师傅，与李先生重新约定下午1点到场（留足路上时间，只承诺做得到的时间）；13:00准时到达，"
                "13:40完成定损，定损单当场交给客户。原定损员因上一现场超时未及时告知，已纳入查勘调度整改。",
            ),
            _step(
                at(3, "14:10"),
                "empathy",
                "理解李先生请了半天假白等一上午的恼火，换作我们也会生气；告诉他之后的每一步都会提前电话确认。",
            ),
            _step(
                at(2, "10:00"),
                "atonement",
                "赠送洗车券5张和价值200元的加油卡，维修期间提供代步车，客户接受。",
            ),
            Action(
                at(2, "16:30"),
                "decide",
                {
                    "actor": "owner",
                    "text": "经核查情况属实：定损员未按约定时间到场且未提前告知，属我司服务失信。已于当日下午完成定损，"
                    "并对查勘调度的预约规则进行整改。",
                },
            ),
        ],
    )
    recusal = _plan(
        "S-RECUSAL",
        3,
        "health_claim.review",
        seq + 3,
        [
            _receive(
                at(1, "16:10"),
                "gd_hotline",
                "hotline",
                "上周打电话问住院理赔进度，接电话的投诉专员陈刚态度生硬，没听我说完就说“等通知”挂了电话，"
                "后来再打也不接。住院花的一万二到现在还没赔。",
                "要求换人处理我的理赔，并对陈刚的态度给个说法。",
                loss=12000,
                subject="sz_chengang",
            ),
        ],
    )
    fleet = _plan(
        "S-FLEET",
        0,
        "auto_claim.payment",
        seq + 4,
        [
            _receive(
                at(6, "09:15"),
                "gd_hotline",
                "email",
                "我司车队今年以来7起事故的赔款共计86,400元至今未付，已经影响车辆周转。多次催问，答复都是“在走流程”。"
                "我们与贵司合作八年，如本月仍不解决，将考虑更换承保公司。",
                "要求本周内支付全部赔款，并指定专人对接。",
                loss=86400,
            ),
            _step(
                at(6, "10:30"),
                "apology",
                "致电华运物流刘经理道歉，说明已立案并由我专人对接，每天下午五点通报进度。",
            ),
            _step(
                at(5, "15:00"),
                "fix",
                "逐笔核对7起赔案：5笔因收款账户变更未同步导致支付失败，已更正并重新支付；2笔缺维修发票，已派人上门收取。",
            ),
        ],
    )
    walk_in = _plan(
        "S-WALKIN",
        -1,
        "sale.consultation",
        None,
        [
            _receive(
                at(4, "11:20"),
                "frontline",
                "counter",
                "来营业部咨询少儿重疾险，工作人员一直低头看手机，问了两遍都说“自己看宣传册”，我站了十分钟没人理。",
                "希望有人认真讲解产品，并对服务态度道歉。",
                new_customer={"name": "黄雅婷", "phone": "13715320846", "segment": "individual"},
            ),
            Action(
                at(4, "11:35"),
                "on_the_spot",
                {
                    "actor": "frontline",
                    "notes": {
                        "apology": "当场向黄女士道歉，营业部负责人亲自接待。",
                        "fix": "当场处理：营业部负责人为客户逐条讲解少儿重疾险的保障责任和免责条款，并留下联系方式。",
                        "empathy": "理解黄女士带着孩子等了十分钟的不快，请她坐下慢慢看，不催促投保。",
                        "atonement": "当场赠送一份小礼品（儿童水杯），客户接受。",
                    },
                },
            ),
            Action(
                at(4, "11:50"), "decide", {"actor": "frontline", "text": "当场处理完毕并告知黄女士处理结果，客户认可。"}
            ),
        ],
    )
    salvage_online = _plan(
        "S-SALVAGE-ONLINE",
        -1,
        "auto_claim.salvage",
        seq + 5,
        [
            _receive(
                at(20, "10:05"),
                "frontline",
                "counter",
                "网上投保的车险，追尾后按定损员给的换件清单交了残件。今天来领赔款，说系统里还有一个零件要交残，"
                "不交就扣300元残值。清单上根本没有这个零件。",
                "按换件清单全额赔付，不扣这300元。",
                loss=300,
                new_customer={"name": "周雨涵", "phone": "13823457716", "segment": "online"},
            ),
            Action(
                at(20, "10:12"),
                "discretion",
                {
                    "actor": "frontline",
                    "kind": "waiver",
                    "amount": "300",
                    "reason": "换件清单由我司盖章交给客户，清单未列该零件，客户按清单交残并无过错："
                    "当场减免300元残值扣款。",
                },
            ),
            Action(
                at(20, "10:15"),
                "on_the_spot",
                {
                    "actor": "frontline",
                    "notes": {
                        "apology": "向周女士道歉：清单是我们给的，漏写零件是我们的问题。",
                        "fix": "当场减免300元残值扣款，按换件清单全额赔付，赔款当日到账。",
                        "empathy": "理解周女士专门请假来办理，白跑一趟会很生气。",
                        "atonement": "已通报理赔中心核对换件清单与系统的交残要求，避免再次发生。",
                    },
                },
            ),
            Action(at(20, "10:30"), "decide", {"actor": "frontline", "text": "当场减免300元残值扣款，全额赔付。"}),
            Action(
                at(17, "15:00"),
                "step",
                {"actor": "owner", "step": "follow_up", "note": "回访：赔款已到账，客户满意。", "outcome": "recovered"},
            ),
        ],
    )
    salvage_key = _plan(
        "S-SALVAGE-KEY",
        0,
        "auto_claim.salvage",
        seq + 6,
        [
            _receive(
                at(25, "09:40"),
                "gd_hotline",
                "email",
                "我司一辆货车追尾后按贵司换件清单交了残件，理赔中心却说还有一个零件系统要求交残，要扣残值300元。"
                "换件清单上没有这一项。",
                "按换件清单全额赔付。",
                loss=300,
            ),
            Action(
                at(25, "10:10"),
                "discretion",
                {
                    "actor": "owner",
                    "kind": "waiver",
                    "amount": "300",
                    "reason": "换件清单未列该零件，客户按清单交残并无过错：减免300元残值扣款，与个人客户同一标准。",
                },
            ),
            Action(
                at(25, "10:20"),
                "on_the_spot",
                {
                    "actor": "owner",
                    "notes": {
                        "apology": "致电华运物流刘经理道歉：清单漏列零件是我们的问题。",
                        "fix": "减免300元残值扣款，按换件清单全额赔付。",
                        "empathy": "理解车队理赔多、最怕来回扯皮。",
                        "atonement": "已通报理赔中心核对换件清单与系统的交残要求。",
                    },
                },
            ),
            Action(at(25, "10:40"), "decide", {"actor": "owner", "text": "减免300元残值扣款，全额赔付。"}),
            Action(
                at(22, "11:00"),
                "step",
                {
                    "actor": "owner",
                    "step": "follow_up",
                    "note": "回访：赔款已到账，刘经理满意。",
                    "outcome": "recovered",
                },
            ),
        ],
    )
    return [salvage, assessor, recusal, fleet, walk_in, salvage_online, salvage_key]
