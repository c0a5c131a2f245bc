def test_no_two_touchpoints_share_a_name():
    import json

    from amends.journeys.catalogue import CATALOGUE

    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    for lang in ("zh-hans", "zh-hant", "en"):
        names = [t["names"][lang] for j in data["journeys"] for t in j["touchpoints"]]
        assert len(names) == len(set(names)), lang
