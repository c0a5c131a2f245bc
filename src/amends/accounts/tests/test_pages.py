"""Sign-in pages: anonymous visitors land on the login page, which already offers the three languages."""

from amends.assembly.testing import PASSWORD


def test_pages_need_a_signed_in_user(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


def test_the_login_page_offers_the_three_languages(client, db):
    page = client.get("/accounts/login/").content.decode()
    for label in ("简体", "繁體", "English"):
        assert label in page
    assert 'action="/i18n/setlang/"' in page


def test_signing_in_leads_to_the_queue_and_signing_out_back_to_login(client, world):
    response = client.post("/accounts/login/", {"username": "handler", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_a_wrong_password_is_refused_on_the_page(client, world):
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"username": "handler", "password": "nope"})
    assert response.status_code == 200
    assert "alert--error" in response.content.decode()


def test_the_language_switch_changes_the_labels(client, world):
    client.force_login(world.handler)
    assert "我的待办" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "My queue" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    assert "我的待辦" in client.get("/").content.decode()
