"""The demo insurer (演示保险公司) loaded by `amends demo`: an organisation, 2,000 customers, a year of cases.

Reference data (org units, staff, customers, policies) is written directly; every case, complaint, step,
decision and extension goes through the services with the clock set to its moment, so the demo's cases
look and behave exactly like real ones. Deterministic: a seeded random stream, history relative to today.
"""

from .loader import DEFAULT_CUSTOMERS, SEED, Summary, demo_today, is_loaded, load
from .org import DEMO_LOGINS, DEMO_PASSWORD, HEAD_OFFICE_CODE, STAFF

__all__ = [
    "DEFAULT_CUSTOMERS",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "HEAD_OFFICE_CODE",
    "SEED",
    "STAFF",
    "Summary",
    "demo_today",
    "is_loaded",
    "load",
]
