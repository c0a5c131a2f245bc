"""Mapping files: how the columns of another system's complaint export become Amends complaint fields.

A mapping is a TOML file (format in docs/operations.md): the source's name (half of every imported
complaint's natural key), its time zone, and per field a column, a template over columns or a constant, with
value maps, defaults and date formats. Shipped mappings live in `mappings/` beside this module; an insurer
passes a path to its own. Everything that can be checked without the data is checked here, at load, with an
error that names the field; columns are checked against the file's header by `reading`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext as _

from amends.core.errors import InvalidInput
from amends.customers.models import Line, Segment

from ..models import Category, Channel, Result

SHIPPED = Path(__file__).parent / "mappings"
SOURCE_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,15}$")
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

# The fields a mapping may fill, by kind: what a value is checked against and turned into.
DATES = ("received_at", "closed_at")
CHOICES: dict[str, set[str]] = {
    "channel": set(Channel.values),
    "category": set(Category.values),
    "line": set(Line.values),
    "segment": set(Segment.values),
    "touchpoint": set(),  # checked against the journey catalogue when the import starts
    "result": set(Result.values),  # the source's finding: upheld, partly_upheld, not_upheld
}
TEXTS: tuple[str, ...] = ("external_ref", "customer_key", "customer_name", "description", "request", "decision")
TEXTS += ("region", "policy_no", "claim_no", "coverage")
BOOLEANS = ("at_fault",)
AMOUNTS = ("loss_amount",)
FIELDS = set(DATES) | set(CHOICES) | set(TEXTS) | set(BOOLEANS) | set(AMOUNTS)
REQUIRED = ("external_ref", "received_at", "closed_at", "channel", "description")
SPEC_KEYS = {"column", "template", "value", "map", "default", "split", "date_format", "required"}


class MappingError(InvalidInput):
    code = "bad_mapping"


@dataclass(frozen=True)
class FieldSpec:
    """Where one field's value comes from: exactly one of `column`, `template` (lines joined, a line whose
    placeholders are all empty left out) or `value` (a constant)."""

    name: str
    column: str | None = None
    template: tuple[str, ...] = ()
    value: Any = None
    mapping: dict[str, Any] | None = None
    default: Any = None
    split: str | None = None
    date_formats: tuple[str, ...] = ()
    required: bool = False

    @property
    def columns(self) -> list[str]:
        if self.column is not None:
            return [self.column]
        return [name for line in self.template for name in PLACEHOLDER.findall(line)]


@dataclass(frozen=True)
class Mapping:
    source: str
    title: str
    timezone: ZoneInfo
    fields: dict[str, FieldSpec]
    path: Path
    encoding: str = "utf-8-sig"
    sheet: str | None = None
    notes: str = ""
    # Rows whose `open_column` holds one of `open_values` are still open in the source: rejected, not imported.
    open_column: str | None = None
    open_values: frozenset[str] = frozenset()

    def needed_columns(self) -> list[str]:
        needed = {c for spec in self.fields.values() for c in spec.columns}
        return sorted(needed | ({self.open_column} if self.open_column else set()))


def shipped_names() -> list[str]:
    return sorted(p.stem for p in SHIPPED.glob("*.toml"))


def resolve(name_or_path: str) -> Path:
    """A shipped mapping by name (`tx-tdi`) or an insurer's own file by path."""
    if name_or_path in shipped_names():
        return SHIPPED / f"{name_or_path}.toml"
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise MappingError(_("No mapping file at %(path)s.") % {"path": path})
        return path
    raise MappingError(
        _("Unknown mapping “%(name)s”: use one of %(names)s, or the path of a .toml mapping file.")
        % {"name": name_or_path, "names": ", ".join(shipped_names())}
    )


def load(name_or_path: str) -> Mapping:
    path = resolve(name_or_path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(
            _("The mapping %(path)s is not valid TOML: %(error)s") % {"path": path, "error": exc}
        ) from exc
    return parse(data, path)


def parse(data: dict[str, Any], path: Path) -> Mapping:
    where = path.name
    unknown = set(data) - {"source", "title", "timezone", "encoding", "sheet", "notes", "fields", "open_when"}
    if unknown:
        raise _error(where, _("unknown setting(s) %(names)s") % {"names": _names(unknown)})
    source = data.get("source")
    if not isinstance(source, str) or not SOURCE_CODE.match(source):
        raise _error(where, _("“source” must be a short code of lower-case letters, digits and hyphens, e.g. tx-tdi"))
    try:
        tz = ZoneInfo(str(data.get("timezone", "UTC")))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise _error(where, _("unknown time zone “%(tz)s”") % {"tz": data.get("timezone")}) from exc
    raw_fields = data.get("fields")
    if not isinstance(raw_fields, dict) or not raw_fields:
        raise _error(where, _("a [fields] table is required"))
    unknown = set(raw_fields) - FIELDS
    if unknown:
        raise _error(
            where,
            _("unknown field(s) %(names)s; the fields are %(all)s") % {"names": _names(unknown), "all": _names(FIELDS)},
        )
    missing = [name for name in REQUIRED if name not in raw_fields]
    if missing:
        raise _error(where, _("field(s) %(names)s must be mapped") % {"names": _names(missing)})
    fields = {name: _spec(where, name, raw) for name, raw in raw_fields.items()}
    open_when = data.get("open_when", {})
    if (
        not isinstance(open_when, dict)
        or set(open_when) - {"column", "values"}
        or (open_when and not (isinstance(open_when.get("column"), str) and isinstance(open_when.get("values"), list)))
    ):
        raise _error(where, _("open_when is a table with a column and a list of values"))
    return Mapping(
        source=source,
        title=str(data.get("title", source)),
        timezone=tz,
        fields=fields,
        path=path,
        encoding=str(data.get("encoding", "utf-8-sig")),
        sheet=data.get("sheet"),
        notes=str(data.get("notes", "")),
        open_column=open_when.get("column"),
        open_values=frozenset(str(v) for v in open_when.get("values", [])),
    )


def _spec(where: str, name: str, raw: Any) -> FieldSpec:
    at = f"{where} [fields.{name}]"
    if isinstance(raw, str):
        raw = {"column": raw}
    if not isinstance(raw, dict):
        raise _error(at, _("give a column name or a table with column, template or value"))
    unknown = set(raw) - SPEC_KEYS
    if unknown:
        raise _error(at, _("unknown key(s) %(names)s") % {"names": _names(unknown)})
    sources = [k for k in ("column", "template", "value") if k in raw]
    if len(sources) != 1:
        raise _error(at, _("give exactly one of column, template or value"))
    template = raw.get("template", ())
    if isinstance(template, str):
        template = (template,)
    if not all(isinstance(line, str) for line in template):
        raise _error(at, _("a template is a string or a list of strings"))
    formats = raw.get("date_format", ())
    formats = (formats,) if isinstance(formats, str) else tuple(formats)
    if name in DATES and "value" not in raw and not formats:
        raise _error(at, _('a date needs date_format, e.g. "%Y-%m-%d" (several allowed, tried in order)'))
    mapping = raw.get("map")
    if mapping is not None and not isinstance(mapping, dict):
        raise _error(at, _("map must be a table of source value = Amends value"))
    spec = FieldSpec(
        name=name,
        column=raw.get("column"),
        template=tuple(template),
        value=raw.get("value"),
        mapping=mapping,
        default=raw.get("default"),
        split=raw.get("split"),
        date_formats=formats,
        required=bool(raw.get("required", name in REQUIRED)),
    )
    _check_values(at, spec)
    return spec


def _check_values(at: str, spec: FieldSpec) -> None:
    """Every constant, mapped value and default must already be a valid Amends value."""
    produced = [spec.value, spec.default, *(spec.mapping or {}).values()]
    produced = [v for v in produced if v is not None and not (v == "" and not spec.required)]
    allowed = CHOICES.get(spec.name)
    if allowed:
        bad = sorted({str(v) for v in produced if v not in allowed})
        if bad:
            raise _error(
                at, _("%(bad)s is not one of %(allowed)s") % {"bad": _names(bad), "allowed": _names(sorted(allowed))}
            )
    elif spec.name in BOOLEANS:
        if any(not isinstance(v, bool) for v in produced):
            raise _error(at, _("map to true or false"))
    elif any(not isinstance(v, str) for v in produced):
        raise _error(at, _("map to text"))


def _error(where: str, message: str) -> MappingError:
    return MappingError(_("Bad mapping %(where)s: %(message)s.") % {"where": where, "message": message})


def _names(names: Any) -> str:
    return ", ".join(f"“{n}”" for n in sorted(names))
