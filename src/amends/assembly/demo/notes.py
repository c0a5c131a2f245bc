"""What demo staff write on cases: the five steps (道歉, 修复, 同情, 补偿, 跟踪), decisions, extension reasons.

Notes read like real notes: short, first person, naming the customer as staff address them (`{title}`,
e.g. 陈先生) and the touchpoint (`{touch}`). Compensation here is symbolic (象征性补偿) and modest; larger
amounts belong to 应变权 and its approvals. Pure data; `cases` picks from it with the seeded random stream.
"""

from __future__ import annotations

APOLOGY = (
    "致电{title}，就{touch}环节给您带来的不便诚恳道歉，没有推诿，说明问题出在我们这边。",
    "约{title}到营业部当面道歉，承认是我们工作没做到位，请客户慢慢说完。",
    "电话联系{title}，先道歉，耐心听完客户的陈述，复述了客户的诉求并得到确认。",
    "代表公司向{title}致歉，告知已立案专人跟进，并留下本人直线电话。",
    "给{title}回电道歉：{touch}这一步让您失望了，是我们的责任。",
)
EMPATHY = (
    "向{title}表示理解：为这件事耽误了工作、来回奔波，换了谁都会着急。",
    "{title}情绪比较激动，耐心倾听了二十分钟，认可客户的感受，没有辩解。",
    "{title}提到家里老人住院、经济压力大，已说明会优先跟进，请客户放心。",
    "告诉{title}：您反映的问题对我们改进服务很重要，谢谢您愿意告诉我们。",
    "理解{title}对公司的失望，说明这次的处理过程会全程告知，不会再让您追着问。",
)
ATONEMENT = (
    "赠送{title}价值200元的加油卡一张，表达歉意，客户接受。",
    "为{title}免费升级一年道路救援服务，客户表示感谢。",
    "赠送洗车券5张，客户接受。",
    "为{title}安排一次免费上门体检服务。",
    "寄送总经理致歉信和一份小礼品，客户已签收。",
    "赠送本保单年度内免费代驾服务3次。",
    "为{title}续保时办理VIP快速理赔通道一年。",
)
ATONEMENT_SKIPPED = (
    "客户明确表示不需要补偿，只要问题解决。",
    "客户诉求已全部满足，婉拒了补偿。",
    "经核实客户自身原因为主，已解释清楚，不适用补偿。",
)
FIX_SKIPPED = (
    "无可修复的业务差错：投诉为沟通方式问题，已当面致歉并纳入员工辅导。",
    "受理时问题已当场解决，无需另行修复。",
)
DECISIONS = (
    "关于您反映的{touch}问题，经核查情况属实，系我司服务不到位。已按您的诉求处理完毕，特此告知。",
    "经核查，投诉部分属实：我司已纠正相关差错；对超出合同约定的诉求已向您说明依据，您表示理解。",
    "经核查，相关处理符合合同约定，已向您详细解释条款依据；就沟通不到位向您致歉。",
    "经调查，问题源于我司内部系统与告知材料不一致，已按告知材料为准处理，并同步整改相关流程。",
)
FOLLOW_UP_RECOVERED = (
    "回访{title}，对处理结果满意，表示会继续在我司投保。",
    "回访{title}，问题已解决，认可处理过程，满意度评价“满意”。",
    "电话回访，{title}表示虽然有些波折，但处理得很及时，愿意推荐给朋友。",
    "回访{title}：问题已经解决，补偿也已收到，对专员的跟进表示感谢。",
)
FOLLOW_UP_NOT_RECOVERED = (
    "回访{title}，客户对处理结果仍不满意，认为补偿与损失不相称，要求重新处理。",
    "回访时{title}表示问题没有真正解决，同样的情况又发生了一次。",
    "回访{title}，客户说答应的回电一直没有打来，仍不认可处理结果。",
)
FOLLOW_UP_UNREACHABLE = (
    "致电{title}无人接听，已发送短信告知回访事项。",
    "回访电话关机，已通过APP消息留言。",
    "拨打{title}登记电话无人接听，改时段再拨仍未接通。",
)
EXTENSION_LEVEL_1 = (
    "案情复杂，需调取修理厂维修记录和定损照片核实，申请延长至30日。",
    "需要医院补充出具诊断证明，涉及第三方，申请延长处理时限至30日。",
    "涉及理赔、财务、销售多个部门协同调查，申请延长至30日。",
)
EXTENSION_LEVEL_2 = (
    "涉及销售误导调查，需调取双录资料并约谈已离职业务员，情况特别复杂，申请再延长30日。",
    "客户申请第三方鉴定，需等待鉴定结论，申请再延长30日。",
)
EXTENSION_APPROVED = "同意延长，请按新时限办结，并每周向客户通报一次进度。"
# Recovery inside the encounter (进攻型补救): at the counter, or on the same phone call.
ON_THE_SPOT = {
    "counter": {
        "apology": "当场向{title}道歉，承认是我们的疏忽。",
        "empathy": "理解{title}跑了几趟的辛苦，请客户坐下喝杯水，耐心说明处理办法。",
        "atonement": "当场赠送一份小礼品（雨伞），客户接受。",
        "decision": "当场处理完毕并告知{title}处理结果，客户认可。",
    },
    "hotline": {
        "apology": "电话中向{title}道歉，承认是我们的疏忽。",
        "empathy": "理解{title}反复打电话的烦躁，没有让客户再转接，由我一次处理到底。",
        "atonement": "为{title}登记赠送洗车券2张，短信发送兑换码，客户接受。",
        "decision": "通话中处理完毕并告知{title}处理结果，客户认可。",
    },
}
# A second round after a failed follow-up: the first fix did not hold, so someone more senior looks again.
ROUND_2_FIX = (
    "重新核查第一轮处理：问题仍未解决，已升级主管督办，由主管牵头当日重新处理完毕。",
    "与{title}逐项确认仍未解决的部分，协调相关部门重新处理，并书面告知处理结果。",
)
# Words that make a complaint risky: the regulator's 12378 line, the press, a lawyer.
ESCALATIONS = (
    "再不解决我就打12378投诉。",
    "如果今天还没有答复，我会找媒体曝光。",
    "我已经咨询了律师，不行就起诉。",
    "我会向金融监管局反映这个问题。",
)
REGULATOR_PREFIX = "【12378转办】"
# A second complaint about the same claim or policy while the case is open: it joins the case.
JOINED = (
    ("{days}天前已经投诉过一次，到现在还没有处理结果，只好再次投诉。", "要求尽快处理，并给出明确的答复时间。"),
    ("之前打热线反映过，说会有专人联系，一直没人联系我。", "要求专人对接，今天之内给我回电。"),
)
