"""Reading the environment: unset gives the default, a good value is read as before, a bad one names itself."""

import traceback

import pytest
from django.core.exceptions import ImproperlyConfigured

from amends.core.environment import env_bool, env_float, env_int, env_list, env_str

VAR = "AMENDS_TEST_VARIABLE"


def read(reader, raw, *args, **kwargs):
    with pytest.MonkeyPatch.context() as mp:
        if raw is None:
            mp.delenv(VAR, raising=False)
        else:
            mp.setenv(VAR, raw)
        return reader(VAR, *args, **kwargs)


@pytest.mark.parametrize(
    ("reader", "raw", "args", "kwargs", "expected"),
    [
        (env_int, None, (15,), {}, 15),
        (env_int, "56", (15,), {}, 56),
        (env_int, " 7 ", (15,), {"minimum": 0}, 7),
        (env_int, "0", (15,), {"minimum": 0}, 0),
        (env_float, None, (10,), {}, 10.0),
        (env_float, "0.25", (0.05,), {"minimum": 0}, 0.25),
        (env_bool, None, (), {}, False),
        (env_bool, "1", (), {}, True),
        (env_bool, "On", (), {}, True),
        (env_bool, "0", (True,), {}, False),
        (env_bool, "", (True,), {}, False),
        (env_str, None, ("400-100-2026",), {}, "400-100-2026"),
        (env_str, "", ("400-100-2026",), {}, ""),
        (env_list, None, (int,), {"default": "0,1,2"}, [0, 1, 2]),
        (env_list, "a.example.cn, b.example.cn,", (str,), {}, ["a.example.cn", "b.example.cn"]),
        (env_list, "", (str,), {"default": "x"}, []),
    ],
)
def test_a_good_value_or_none_is_read(reader, raw, args, kwargs, expected):
    value = read(reader, raw, *args, **kwargs)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("reader", "raw", "args", "kwargs", "message"),
    [
        (env_int, "abc", (15,), {}, "must be a whole number, not 'abc'"),
        (env_int, "1.5", (15,), {}, "must be a whole number, not '1.5'"),
        (env_int, "", (15,), {}, "must be a whole number, not ''"),
        (env_int, "-1", (15,), {"minimum": 0}, "must be a whole number of at least 0, not '-1'"),
        (env_float, "five", (4.0,), {}, "must be a number, not 'five'"),
        (env_float, "nan", (4.0,), {}, "must be a number, not 'nan'"),
        (env_float, "-0.5", (4.0,), {"minimum": 0}, "must be a number of at least 0, not '-0.5'"),
        (env_bool, "maybe", (), {}, "must be 1 or 0 (or true/false, yes/no, on/off), not 'maybe'"),
        (env_list, "0,x", (int,), {"expected": "weekdays"}, "must be a comma-separated list of weekdays, not '0,x'"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable_and_what_it_should_be(reader, raw, args, kwargs, message):
    with pytest.raises(ImproperlyConfigured) as refused:
        read(reader, raw, *args, **kwargs)
    assert str(refused.value) == f"{VAR} {message}"
    assert "ValueError" not in "".join(traceback.format_exception(refused.value))  # one sentence, no parse error
