from datetime import timedelta

import pytest

from amends.correspondence import rules


def test_fill_replaces_known_placeholders_and_keeps_unknown_ones():
    assert (
        rules.fill("{customer}您好：{text}{oops}", {"customer": "张伟", "text": "已赔付。"})
        == "张伟您好：已赔付。{oops}"
    )


@pytest.mark.parametrize(
    ("preferred", "email", "phone", "expected"),
    [
        ("email", "a@b.cn", "138", "email"),
        ("sms", "a@b.cn", "138", "sms"),
        ("phone", "a@b.cn", "138", "sms"),
        ("sms", "a@b.cn", "", "email"),
        ("email", "", "138", "sms"),
        (None, "a@b.cn", "138", "email"),
        (None, "", "", None),
    ],
)
def test_the_preferred_channel_wins_when_its_address_is_on_file(preferred, email, phone, expected):
    assert rules.choose_channel(preferred, email=email, phone=phone) == expected


def test_retries_wait_twice_as_long_each_time_and_at_most_a_day():
    waits = [rules.retry_delay(n, base_seconds=60) for n in (1, 2, 3)]
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert rules.retry_delay(30, base_seconds=60) == timedelta(days=1)


def test_gives_up_after_the_last_attempt():
    assert not rules.gives_up(4, max_attempts=5) and rules.gives_up(5, max_attempts=5)
