"""The templates staff start from, in the three languages customers read (loaded by a data migration, and by
tests after a flush). Edited wording is kept: a row that exists is never overwritten. Another app adds its
keys from a data migration of its own: `seed.load(apps.get_model("correspondence", "MessageTemplate"), {...})`."""

from __future__ import annotations

from typing import Any

TEMPLATES: dict[str, dict[str, tuple[str, str, str]]] = {
    "update": {
        "zh-hans": ("案件进展", "关于您的案件 {case}", "{customer}您好：关于您的案件{case}，{text}"),
        "zh-hant": ("案件進展", "關於您的案件 {case}", "{customer}您好：關於您的案件{case}，{text}"),
        "en": ("Case update", "About your case {case}", "Dear {customer}, about your case {case}: {text}"),
    },
    "playbook_apology": {
        "zh-hans": (
            "致歉（服务方案用语）",
            "关于您的案件 {case}",
            "{customer}您好：{text} 如有任何疑问，请直接回复本消息或致电客服热线。",
        ),
        "zh-hant": (
            "致歉（服務方案用語）",
            "關於您的案件 {case}",
            "{customer}您好：{text} 如有任何疑問，請直接回覆本訊息或致電客服熱線。",
        ),
        "en": (
            "Apology (playbook wording)",
            "About your case {case}",
            "Dear {customer}, {text} If anything is unclear, reply to this message or call our hotline.",
        ),
    },
    "decision": {
        "zh-hans": (
            "处理决定",
            "关于您的投诉 {complaint} 的处理决定",
            "{customer}您好：关于您的投诉{complaint}，我们的处理决定是：{text} "
            "如对处理决定有异议，可回复本消息申请核查。",
        ),
        "zh-hant": (
            "處理決定",
            "關於您的投訴 {complaint} 的處理決定",
            "{customer}您好：關於您的投訴{complaint}，我們的處理決定是：{text} "
            "如對處理決定有異議，可回覆本訊息申請核查。",
        ),
        "en": (
            "Decision",
            "Our decision on your complaint {complaint}",
            "Dear {customer}, our decision on your complaint {complaint}: {text} If you disagree, reply to this "
            "message to ask for a review.",
        ),
    },
    "promise": {
        "zh-hans": (
            "我们的承诺",
            "我们对您的承诺（案件 {case}）",
            "{customer}您好：我们承诺：{text}，将于{due}前完成。如届时未做到，请直接联系我们。",
        ),
        "zh-hant": (
            "我們的承諾",
            "我們對您的承諾（案件 {case}）",
            "{customer}您好：我們承諾：{text}，將於{due}前完成。如屆時未做到，請直接聯繫我們。",
        ),
        "en": (
            "Our promise",
            "Our promise to you (case {case})",
            "Dear {customer}, we promise: {text}, by {due}. If we do not keep it, please contact us directly.",
        ),
    },
}


def load(model: Any, templates: dict[str, dict[str, tuple[str, str, str]]] | None = None) -> None:
    """Create each (key, language) row that is missing: `{key: {language: (name, subject, body)}}`."""
    for key, languages in (TEMPLATES if templates is None else templates).items():
        for language, (name, subject, body) in languages.items():
            model.objects.get_or_create(
                key=key, language=language, defaults={"name": name, "subject": subject, "body": body}
            )
