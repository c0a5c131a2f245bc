"""Pure decisions of correspondence: filling a template, which channel reaches the customer, when to try a
failed message again, what kind of file an upload really is and how its name may be shown. No ORM, no settings,
no clock: callers pass them in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

PLACEHOLDERS = ("customer", "case", "complaint", "due", "text")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace each `{name}` that `values` knows; an unknown one stays as written, so a template edited with a
    typo still sends readable text rather than failing."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def choose_channel(preferred: str | None, *, email: str, phone: str) -> str | None:
    """The channel the customer asked for if its address is on file, else e-mail, else text; None if neither.
    A phone call preference is met by a text message (this app does not call)."""
    if preferred == "email" and email:
        return "email"
    if preferred in ("sms", "phone") and phone:
        return "sms"
    if email:
        return "email"
    if phone:
        return "sms"
    return None


def retry_delay(attempts: int, *, base_seconds: int) -> timedelta:
    """After the n-th failed try, wait base·2ⁿ⁻¹ (capped at a day): a gateway that is down for minutes is not
    hammered, one down for hours is still tried daily."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), 86400))


def gives_up(attempts: int, *, max_attempts: int) -> bool:
    return attempts >= max_attempts


_SMS_SEGMENT = 70  # characters of one Chinese (UCS-2) text message


def sms_segments(text: str) -> int:
    return max(1, -(-len(text) // _SMS_SEGMENT))


# Evidence files: what a complaint department receives (photos, scans, letters, recordings, office documents),
# recognised by their first bytes, never by the name or the browser's word for it. (type, extension, is_image)
_SIGNATURES: list[tuple[bytes, int, str, str, bool]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg", ".jpg", True),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", ".png", True),
    (b"GIF87a", 0, "image/gif", ".gif", True),
    (b"GIF89a", 0, "image/gif", ".gif", True),
    (b"II*\x00", 0, "image/tiff", ".tif", True),
    (b"MM\x00*", 0, "image/tiff", ".tif", True),
    (b"%PDF-", 0, "application/pdf", ".pdf", False),
    (b"ID3", 0, "audio/mpeg", ".mp3", False),
    (b"\xff\xfb", 0, "audio/mpeg", ".mp3", False),
    (b"\xff\xf3", 0, "audio/mpeg", ".mp3", False),
    (b"#!AMR\n", 0, "audio/amr", ".amr", False),
]


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    image: bool


def sniff(head: bytes, *, zip_names: list[str] | None = None) -> FileKind | None:
    """The kind of file its first bytes (at least 16) say it is, or None if it is not one we accept. An office
    document is a zip: `zip_names` (its member names, read by the caller) tell Word from Excel from any zip."""
    for signature, offset, content_type, extension, image in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return FileKind(content_type, extension, image)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileKind("image/webp", ".webp", True)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return FileKind("audio/wav", ".wav", False)
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return FileKind("audio/mp4", ".m4a", False)
        if brand in (b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"qt  "):
            return FileKind("video/mp4", ".mp4", False)
        if brand in (b"heic", b"heix", b"mif1"):
            return FileKind("image/heic", ".heic", False)  # kept, but no thumbnail: Pillow cannot read it
    if head[:4] == b"PK\x03\x04" and zip_names is not None and "[Content_Types].xml" in zip_names:
        if any(n.startswith("word/") for n in zip_names):
            return FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", False)
        if any(n.startswith("xl/") for n in zip_names):
            return FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", False)
    return None


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def clean_name(name: str, *, limit: int = 120) -> str:
    """The file name as shown and offered on download: the last path part only, no control or path characters,
    no leading dots, at most `limit` characters with the extension kept; Chinese names stay as they are."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    if not base:
        return "file"
    if len(base) > limit:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: limit - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else base[:limit]
    return base
