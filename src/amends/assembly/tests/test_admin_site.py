"""The Django admin carries the house's name, speaks the reader's language and is linked from the staff pages."""


def test_the_admin_is_branded_translated_and_linked(client, world):
    client.cookies["django_language"] = "zh-hans"
    client.force_login(world.admin)
    assert 'href="/admin/"' in client.get("/").content.decode()
    page = client.get("/admin/").content.decode()
    assert "Amends 系统管理" in page and "基础数据与记录" in page
    assert 'href="/"' in page  # "view site" goes back to the staff pages
    assert "Django administration" not in page


def test_staff_without_the_admin_see_no_link(client, world):
    client.force_login(world.handler)
    assert 'href="/admin/"' not in client.get("/").content.decode()
