"""The regulator's reason taxonomy and product lines ship as data and are edited in the admin, audited; the
regulator report reads the edited labels."""

from amends.assembly.testing import PASSWORD
from amends.audit.models import AuditEntry
from amends.customers.models import ProductLine
from amends.insights import queries
from amends.intake.models import ComplaintReason, ReasonCategory


def test_the_taxonomy_and_product_lines_ship_as_data(db):
    assert list(ReasonCategory.objects.values_list("name_zh_hans", flat=True)[:4]) == [
        "销售纠纷",
        "理赔纠纷",
        "保全纠纷",
        "退保纠纷",
    ]
    assert ComplaintReason.objects.filter(category__code="claims").count() >= 4
    lines = set(ProductLine.objects.values_list("name_zh_hans", flat=True))
    assert {
        "车险",
        "企财险",
        "家财险",
        "责任险",
        "信用保证险",
        "意外险",
        "健康险",
        "普通寿险",
        "分红险",
        "万能险",
        "投连险",
    } <= lines
    # One default product line per coarse line.
    defaults = dict(ProductLine.objects.filter(default_for_line=True).values_list("line", "code"))
    assert defaults == {
        "auto": "auto",
        "property": "home_property",
        "accident": "accident",
        "health": "health",
        "life": "ordinary_life",
    }


def test_an_admin_renames_a_reason_and_the_return_shows_it(client, world, now):
    client.login(username="admin", password=PASSWORD)
    reason = ComplaintReason.objects.get(code="claims-delay")
    url = f"/admin/intake/complaintreason/{reason.pk}/change/"
    assert client.get(url).status_code == 200
    form = {
        "category": reason.category_id,
        "code": reason.code,
        "name_zh_hans": "理赔时效慢",
        "name_zh_hant": "理賠時效慢",
        "name_en": "Claim too slow",
        "order": reason.order,
        "active": "on",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(action="admin.change", object_type="intake.complaintreason")
    assert entry.before["name_zh_hans"] == "理赔时效" and entry.after["name_zh_hans"] == "理赔时效慢"
    result = queries.run(world.admin, "regulator", {"since": "2026-09-01", "until": "2026-10-31"})
    labels = [r["label"] for r in result.section("by_reason").rows]
    assert "理赔时效慢" in labels
    assert client.get("/admin/customers/productline/").status_code == 200
    client.login(username="handler", password=PASSWORD)
    assert client.get("/admin/intake/complaintreason/").status_code == 302
