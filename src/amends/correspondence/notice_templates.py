"""The wording of the notices the 2020 measure requires (receipt, extension, pause and its end, decision,
withdrawal, review and its decision), in the three languages customers read. Seeded by migration
0005_complaint_notice_templates under the keys `complaint.<kind>`; editable in the admin afterwards. Besides
`{customer}` and `{case}`, each may use `{complaint}` and the values intake passes with the notice."""

from __future__ import annotations

NOTICE_TEMPLATES: dict[str, dict[str, tuple[str, str, str]]] = {
    "complaint.receipt": {
        "zh-hans": (
            "投诉受理告知",
            "您的投诉 {complaint} 已受理",
            "{customer}您好：我们已于{received}收到您的投诉{complaint}，将在{due}前作出处理决定并告知您。",
        ),
        "zh-hant": (
            "投訴受理告知",
            "您的投訴 {complaint} 已受理",
            "{customer}您好：我們已於{received}收到您的投訴{complaint}，將在{due}前作出處理決定並告知您。",
        ),
        "en": (
            "Complaint received",
            "We received your complaint {complaint}",
            "Dear {customer}, we received your complaint {complaint} on {received}. We will decide and tell you "
            "by {due}.",
        ),
    },
    "complaint.extension": {
        "zh-hans": (
            "处理期限延长告知",
            "您的投诉 {complaint} 处理期限延长",
            "{customer}您好：因{reason}，您的投诉{complaint}的处理期限延长至{due}。",
        ),
        "zh-hant": (
            "處理期限延長告知",
            "您的投訴 {complaint} 處理期限延長",
            "{customer}您好：因{reason}，您的投訴{complaint}的處理期限延長至{due}。",
        ),
        "en": (
            "Extension of the time limit",
            "More time for your complaint {complaint}",
            "Dear {customer}, your complaint {complaint} needs more time: we will decide and tell you by {due}. "
            "Reason: {reason}",
        ),
    },
    "complaint.pause": {
        "zh-hans": (
            "鉴定、检测、评估期间告知",
            "您的投诉 {complaint} 进入鉴定、检测、评估",
            "{customer}您好：您的投诉{complaint}需进行鉴定、检测或评估（{reason}），所需时间不计入处理期限，"
            "完成后我们将告知您。",
        ),
        "zh-hant": (
            "鑑定、檢測、評估期間告知",
            "您的投訴 {complaint} 進入鑑定、檢測、評估",
            "{customer}您好：您的投訴{complaint}需進行鑑定、檢測或評估（{reason}），所需時間不計入處理期限，"
            "完成後我們將告知您。",
        ),
        "en": (
            "Outside appraisal",
            "Your complaint {complaint} waits for an outside appraisal",
            "Dear {customer}, your complaint {complaint} waits for an outside appraisal ({reason}). The time it "
            "takes is not counted; we will tell you when it is done.",
        ),
    },
    "complaint.resume": {
        "zh-hans": (
            "鉴定、检测、评估结束告知",
            "您的投诉 {complaint} 恢复处理",
            "{customer}您好：您的投诉{complaint}的鉴定、检测或评估已完成，我们将在{due}前作出处理决定并告知您。",
        ),
        "zh-hant": (
            "鑑定、檢測、評估結束告知",
            "您的投訴 {complaint} 恢復處理",
            "{customer}您好：您的投訴{complaint}的鑑定、檢測或評估已完成，我們將在{due}前作出處理決定並告知您。",
        ),
        "en": (
            "Appraisal done",
            "Your complaint {complaint} is handled again",
            "Dear {customer}, the appraisal for your complaint {complaint} is done. We will decide and tell you "
            "by {due}.",
        ),
    },
    "complaint.decision": {
        "zh-hans": (
            "处理决定告知",
            "关于您的投诉 {complaint} 的处理决定",
            "{customer}您好：您的投诉{complaint}的处理结果为：{result}。处理决定告知书载明事实、理由和依据。"
            "如有异议，可在{review_until}前申请核查，也可申请调解、仲裁或向人民法院提起诉讼。",
        ),
        "zh-hant": (
            "處理決定告知",
            "關於您的投訴 {complaint} 的處理決定",
            "{customer}您好：您的投訴{complaint}的處理結果為：{result}。處理決定告知書載明事實、理由和依據。"
            "如有異議，可在{review_until}前申請核查，也可申請調解、仲裁或向人民法院提起訴訟。",
        ),
        "en": (
            "Decision",
            "Our decision on your complaint {complaint}",
            "Dear {customer}, our decision on your complaint {complaint}: {result}. The decision letter gives the "
            "facts, reasons and basis. If you disagree you may ask for a review until {review_until}, or turn to "
            "mediation, arbitration or the courts.",
        ),
    },
    "complaint.withdrawal": {
        "zh-hans": (
            "投诉撤回告知",
            "您的投诉 {complaint} 已撤回",
            "{customer}您好：您的投诉{complaint}已于{at}撤回，投诉处理程序终止。",
        ),
        "zh-hant": (
            "投訴撤回告知",
            "您的投訴 {complaint} 已撤回",
            "{customer}您好：您的投訴{complaint}已於{at}撤回，投訴處理程序終止。",
        ),
        "en": (
            "Complaint withdrawn",
            "Your complaint {complaint} was withdrawn",
            "Dear {customer}, your complaint {complaint} was withdrawn on {at}; its handling has ended.",
        ),
    },
    "complaint.review": {
        "zh-hans": (
            "核查申请受理告知",
            "您对投诉 {complaint} 的核查申请已受理",
            "{customer}您好：我们已收到您对投诉{complaint}处理决定的核查申请，将在{due}前告知核查结果。",
        ),
        "zh-hant": (
            "核查申請受理告知",
            "您對投訴 {complaint} 的核查申請已受理",
            "{customer}您好：我們已收到您對投訴{complaint}處理決定的核查申請，將在{due}前告知核查結果。",
        ),
        "en": (
            "Review request received",
            "Your request for a review of complaint {complaint}",
            "Dear {customer}, we received your request for a review of complaint {complaint}. We will tell you "
            "by {due}.",
        ),
    },
    "complaint.review_decision": {
        "zh-hans": (
            "核查结果告知",
            "您的投诉 {complaint} 核查结果",
            "{customer}您好：您的投诉{complaint}核查结果为：{outcome}。{decision}",
        ),
        "zh-hant": (
            "核查結果告知",
            "您的投訴 {complaint} 核查結果",
            "{customer}您好：您的投訴{complaint}核查結果為：{outcome}。{decision}",
        ),
        "en": (
            "Review decision",
            "The review of your complaint {complaint}",
            "Dear {customer}, the review of your complaint {complaint} is decided: {outcome}. {decision}",
        ),
    },
}
