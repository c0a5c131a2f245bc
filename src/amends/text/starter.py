"""The starter model: trained on the complaint texts of `text.corpus` (what the demo insurer's customers say)
with their codes,
for a new install that has no coded history of its own yet (`amends text train` replaces it).

It ships trained, as `starter.npz` beside this file: training it in a web process imports scikit-learn and
cost each worker about 90 MB of memory and seconds of CPU on its first complaint (decision 0080). After
changing the corpus or the codes below, write it anew with `python -m amends.text.starter`; a test checks
that the shipped file is what training gives.

The business category follows the journey of each text's touchpoint; cause and perception dimension were
coded by hand below, one pair per complaint text in the order the demo lists them (`complaints`, then
`by_companies`). Fill-ins such as {amount} are given a few values, so numbers do not become the signal.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .classifier import Classifier, dumps, loads, train
from .corpus import CLAIMS, SERVICE

CO, UN, CU = "company", "uncontrollable", "customer"
REL, RESP, COMP, ATT, STD = "reliability", "responsiveness", "competence", "attitude", "standards"

CATEGORY_OF_JOURNEY = {
    "auto_claim": "claims",
    "health_claim": "claims",
    "renewal": "renewal",
    "surrender": "surrender",
    "sale": "sales",
}

CODES: dict[str, tuple[tuple[str, str], ...]] = {
    "auto_claim.report": ((CO, RESP), (CO, REL), (CO, COMP)),
    "auto_claim.assessment": ((CO, REL), (CO, ATT), (CO, COMP), (UN, RESP)),
    "auto_claim.salvage": ((CO, COMP), (CO, STD)),
    "auto_claim.documents": ((CO, COMP), (CO, RESP), (CO, COMP)),
    "auto_claim.payment": ((CO, REL), (CO, STD), (CO, RESP)),
    "health_claim.report": ((CO, REL), (CO, COMP), (CO, RESP)),
    "health_claim.documents": ((CO, COMP), (CO, COMP), (CO, REL)),
    "health_claim.review": ((CO, REL), (CO, STD), (CO, ATT), (CO, RESP)),
    "health_claim.payment": ((CO, RESP), (CO, STD), (CU, COMP)),
    "renewal.notice": ((CU, REL), (CO, STD), (CO, REL)),
    "renewal.quote": ((CO, COMP), (CO, STD), (CO, COMP)),
    "renewal.payment": ((CO, COMP), (UN, RESP), (CO, COMP)),
    "surrender.request": ((CO, ATT), (CO, RESP), (CO, COMP)),
    "surrender.calculation": ((CO, STD), (CO, COMP), (CO, STD)),
    "surrender.payment": ((CO, REL), (CO, STD)),
    "sale.consultation": ((CO, STD), (CO, STD), (CO, ATT)),
    "sale.underwriting": ((CO, RESP), (CO, COMP), (CO, COMP)),
    "sale.delivery": ((CO, RESP), (CO, STD), (CO, COMP)),
}
FILL = ({"amount": "300", "days": "10"}, {"amount": "1,850", "days": "21"}, {"amount": "6000", "days": "45"})


def examples() -> tuple[list[str], dict[str, list[str | None]], list[int]]:
    """The starter texts, their codes per field, and which demo text each came from."""
    texts: list[str] = []
    groups: list[int] = []
    labels: dict[str, list[str | None]] = {"category": [], "touchpoint": [], "cause": [], "dimension": []}
    for touchpoint, source in {**CLAIMS, **SERVICE}.items():
        said = [*source.complaints, *source.by_companies]
        codes = CODES[touchpoint]
        assert len(codes) == len(said), f"code every demo text of {touchpoint}"
        for (description, request), (cause, dimension) in zip(said, codes, strict=True):
            for fill in FILL:
                groups.append(len(texts) // len(FILL))
                texts.append(f"{description.format(**fill)}\n{request.format(**fill)}")
                labels["category"].append(CATEGORY_OF_JOURNEY[touchpoint.split(".")[0]])
                labels["touchpoint"].append(touchpoint)
                labels["cause"].append(cause)
                labels["dimension"].append(dimension)
    return texts, labels, groups


_lock = threading.Lock()
_model: list[Classifier] = []


SHIPPED = Path(__file__).with_name("starter.npz")


def train_starter() -> Classifier:
    """Train it afresh (deterministic: the same texts always give the same model)."""
    texts, labels, _groups = examples()
    return train(texts, labels, label="starter", min_df=1)


def starter_model() -> Classifier:
    """The shipped model, loaded once per process on first use (NumPy only); trained here only if the file is
    missing."""
    with _lock:
        if not _model:
            _model.append(loads(SHIPPED.read_bytes(), "starter") if SHIPPED.exists() else train_starter())
        return _model[0]


if __name__ == "__main__":
    SHIPPED.write_bytes(dumps(train_starter()))
    print(f"wrote {SHIPPED}")
