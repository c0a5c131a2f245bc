"""The portal publishes the complaint routes and rules from configuration, as the measure asks."""

from django.test import override_settings


@override_settings(
    AMENDS_COMPLAINT_OFFICE={
        "counter": "深圳市南山区科技园营业部",
        "address": "深圳市福田区深南大道1号 投诉处理中心 518000",
        "email": "complaints@insurer.example",
        "regulator_hotline": "12378",
        "mediation": "深圳市保险消费者权益服务中心",
    }
)
def test_the_rules_page_lists_every_route_and_period(client, db):
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/complain/rules/")
    text = page.content.decode()
    assert page.status_code == 200
    for words in ("深南大道1号", "complaints@insurer.example", "科技园营业部", "12378", "保险消费者权益服务中心"):
        assert words in text
    for days in ("15", "30", "60"):
        assert days in text
    assert 'href="/complain/rules/"' in client.get("/complain/").content.decode()
