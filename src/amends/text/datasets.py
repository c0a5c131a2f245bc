"""Labelled texts to train and evaluate on: the insurer's own coded complaints, the starter set (the demo
insurer's texts), and two real public datasets we did not write (see each folder's SOURCE.md):

- `tipdm`: 495 Chinese citizen messages to a provincial government board, 7 first-level classes
  (2020 TipDM Cup problem C, attachment 2).
- `cfpb-product`, `cfpb-issue`: 3,101 CFPB consumer complaint narratives of 2015, by product and by issue.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

REAL = ("tipdm", "cfpb-product", "cfpb-issue")


@dataclass
class Dataset:
    name: str
    texts: list[str]
    labels: dict[str, list[str | None]] = field(default_factory=dict)
    # Texts of one group (one demo text with different fill-ins) stay in one fold, so CV is not fooled.
    groups: list[int] | None = None
    # Per text, whether it came from another system's history (`Complaint.source`); None: not known.
    imported: list[bool] | None = None
    # What was left out of the texts and why, e.g. {"imported": 281400, "template copies": 1200}.
    left_out: dict[str, int] = field(default_factory=dict)


def real_data_dir() -> Path:
    return Path(settings.AMENDS_REAL_DATA_DIR)


def tipdm(path: Path | None = None) -> Dataset:
    path = path or real_data_dir() / "zh-gov-complaints-tipdm2020" / "attachment2_sample_labeled.csv"
    texts, labels = [], []
    seen: set[str] = set()
    for row in _rows(path):
        key = row["留言编号"]
        if key in seen:  # one message appears twice in the file
            continue
        seen.add(key)
        detail = row["留言详情"].replace("_x000D_", "\n").strip()
        texts.append(f"{row['留言主题'].strip()}\n{detail}")
        labels.append(row["一级分类"].strip())
    return Dataset("tipdm", texts, {"class": list(labels)})


def cfpb(target: str, path: Path | None = None) -> Dataset:
    """`target` is "product" or "issue". The file's header names 18 columns but every row has 19 (a leading
    unnamed index), so columns are read by the header shifted by one."""
    path = path or real_data_dir() / "cfpb-2015-narratives" / "complaints_2015.csv"
    column = {"product": "Product", "issue": "Issue"}[target]
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        shift = 1
        text_at, label_at = header.index("Consumer complaint narrative") + shift, header.index(column) + shift
        texts, labels = [], []
        for row in reader:
            if len(row) != len(header) + shift or not row[text_at].strip():
                continue
            texts.append(row[text_at])
            labels.append(row[label_at].strip())
    return Dataset(f"cfpb-{target}", texts, {target: list(labels)})


def real(name: str) -> Dataset:
    if name == "tipdm":
        return tipdm()
    if name in ("cfpb-product", "cfpb-issue"):
        return cfpb(name.split("-", 1)[1])
    raise ValueError(name)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        yield from csv.DictReader(f)
