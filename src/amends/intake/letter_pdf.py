"""The decision letter (处理决定告知书) as a PDF with Chinese fonts, beside its printable page.

Drawn with fpdf2 from the letter's stored text (`DecisionLetter.body`, kept unchanged once sent), line for line as
the printable page shows it, its first line (the title) larger; the font is embedded as a subset, so the file
reads the same on any machine. A sent letter's PDF is written once through Django's storage API
(`letters/<id>.pdf`) and served from there after: the record it comes from cannot change, so neither can the
file. A draft's PDF is drawn each time and never stored. Decision 0050 says why fpdf2 and these fonts.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.utils.translation import gettext as _

from amends.core.errors import AmendsError

from .models import DecisionLetter, LetterStatus


class FontMissing(AmendsError):
    code = "letter_font_missing"
    status = 503


def _face(language: str) -> int:
    """The face of a font collection for the language (0, the only one, for a single font file)."""
    path = settings.AMENDS_LETTER_FONT
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    faces: dict[str, int] = settings.AMENDS_LETTER_FONT_FACES
    return faces.get((language or settings.LANGUAGE_CODE).lower(), faces.get(settings.LANGUAGE_CODE.lower(), 0))


def render(body: str, *, language: str, title: str) -> bytes:
    """The letter's text on A4 pages: the first line as its heading, the others as they are (blank lines kept)."""
    from fpdf import FPDF  # imported when a PDF is drawn: the web process does not load it otherwise
    from fpdf.enums import WrapMode

    regular, bold = settings.AMENDS_LETTER_FONT, settings.AMENDS_LETTER_FONT_BOLD
    if not Path(regular).is_file():
        raise FontMissing(
            _(
                "The decision letter's font is not installed (%(path)s): install fonts-noto-cjk or set "
                "AMENDS_LETTER_FONT."
            )
            % {"path": regular}
        )
    face = _face(language)
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("Amends")
    pdf.set_margins(22, 22, 22)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_font("letter", style="", fname=regular, collection_font_number=face)
    has_bold = bool(bold) and Path(bold).is_file()
    if has_bold:
        pdf.add_font("letter", style="B", fname=bold, collection_font_number=face)
    pdf.add_page()
    lines = body.strip("\n").split("\n")
    first, rest = (lines[0], lines[1:]) if lines else ("", [])
    pdf.set_font("letter", style="B" if has_bold else "", size=17)
    pdf.multi_cell(0, 11, first.strip(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("letter", size=11.5)
    # Chinese lines break between any two characters (as the page does), not at the last space.
    wrap = WrapMode.WORD if (language or "").lower().startswith("en") else WrapMode.CHAR
    for line in rest:
        if line.strip():
            pdf.multi_cell(0, 7, line.rstrip(), align="L", new_x="LMARGIN", new_y="NEXT", wrapmode=wrap)
        else:
            pdf.ln(4)
    return bytes(pdf.output())


def letter_pdf(letter: DecisionLetter, body: str, *, title: str) -> bytes:
    """The letter's PDF: a sent letter's from storage (drawn and stored the first time), a draft's drawn now."""
    if letter.status != LetterStatus.SENT:
        return render(body, language=letter.language, title=title)
    name = f"letters/{letter.pk}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    data = render(letter.body, language=letter.language, title=title)
    default_storage.save(name, ContentFile(data))
    return data


def pdf_response(letter: DecisionLetter, body: str) -> HttpResponse:
    """The PDF of a letter, shown in the browser (a refusal, such as the font missing, as plain text)."""
    reference = letter.complaint.reference
    try:
        data = letter_pdf(letter, body, title=_("Complaint decision letter %(ref)s") % {"ref": reference})
    except AmendsError as exc:
        return HttpResponse(exc.detail, status=exc.status, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{reference}.pdf"'
    return response
