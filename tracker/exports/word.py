"""DOCX of a report (python-docx): the same content as the PDF, as a document an office can edit,
sign and number.

NĐ 30/2020 layout: A4, margins 20/15/20/30 mm, Times New Roman (the font the decree names, present
on every office machine, so nothing is embedded), page numbers “Trang 2/6” centred in the header
from the second page on, the letterhead and the signature block as borderless tables. Sections are
real headings and tables (the header row repeats on each page); the chart is a PNG.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from tracker.exports.charts import bar_chart_png, chart_size_mm
from tracker.exports.document import ReportDocument, Section
from tracker.exports.pdf import display_cell

FONT = "Times New Roman"
TEXT_WIDTH_MM = 165  # A4 210 mm less 30 + 15 mm of margins


def _font(run: Any, *, size: float | None = None, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    # East-Asian and complex-script slots too, or Word falls back to another font for “ệ”.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    if size is not None:
        run.font.size = Pt(size)
    run.bold = bold or None
    run.italic = italic or None


def _paragraph(
    container: Any,
    text: str,
    *,
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
    align: Any = None,
    indent: bool = False,
    after: float = 3,
) -> Any:
    paragraph = container.add_paragraph()
    _font(paragraph.add_run(text), size=size, bold=bold, italic=italic)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    return paragraph


def _field(paragraph: Any, instruction: str, size: float) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the pages out."""
    run = paragraph.add_run()
    _font(run, size=size)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(code)
    run._r.append(end)


def _no_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _page(document: Any, page_label: str) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    # NĐ 30: no number on the first page.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(header.add_run(f"{page_label} "), size=12)
    _field(header, "PAGE", 12)
    _font(header.add_run("/"), size=12)
    _field(header, "NUMPAGES", 12)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)


def _letterhead(document: Any, report: ReportDocument) -> None:
    head = report.letterhead
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    left.paragraphs[0].text = ""
    if head.parent_body:
        _font(left.paragraphs[0].add_run(head.parent_body), size=12)
        left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _paragraph(left, head.issuing_body, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    else:
        _font(left.paragraphs[0].add_run(head.issuing_body), size=12, bold=True)
        left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(left, "———", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _paragraph(left, head.number_line, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _font(right.paragraphs[0].add_run(head.quoc_hieu), size=12, bold=True)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(right, head.tieu_ngu, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _paragraph(right, "—————————", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _paragraph(right, head.place_date, size=13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)


def _table(document: Any, section: Section, *, size: float) -> None:
    total = sum(column.width for column in section.columns) or 1
    table = document.add_table(rows=1, cols=len(section.columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(TEXT_WIDTH_MM * column.width / total) for column in section.columns]
    header = table.rows[0]
    # The header row repeats on every page the table runs onto.
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(flag)
    for i, column in enumerate(section.columns):
        cell = header.cells[i]
        cell.width = widths[i]
        _shade(cell, "EEF1F5")
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(paragraph.add_run(column.title), size=size, bold=True)
    for row in section.rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            shown = display_cell(value, section.columns[i])
            cells[i].width = widths[i]
            paragraph = cells[i].paragraphs[0]
            if shown.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(paragraph.add_run(shown.text), size=size)


def _section(document: Any, section: Section) -> None:
    heading = document.add_heading(level=2)
    _font(heading.add_run(section.title), size=13, bold=True)
    heading.runs[0].font.color.rgb = RGBColor(0, 0, 0)
    if section.intro:
        _paragraph(document, section.intro, indent=True)
    if section.rows:
        _table(document, section, size=8 if section.small else 9)
    else:
        _paragraph(document, section.empty_text, italic=True)


def _signature(document: Any, report: ReportDocument) -> None:
    head = report.letterhead
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(80), Mm(85)
    _font(left.paragraphs[0].add_run(head.recipients_label), size=12, bold=True, italic=True)
    for recipient in head.recipients:
        _paragraph(left, f"- {recipient}", size=11, after=0)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = [line for line in (head.signer_authority, head.signer_title) if line]
    _font(right.paragraphs[0].add_run(lines[0] if lines else ""), size=13, bold=True)
    for line in lines[1:]:
        _paragraph(right, line, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    for _blank in range(4):
        _paragraph(right, "", size=13, after=0)
    _paragraph(right, head.signer_name, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)


def write_docx(report: ReportDocument) -> bytes:
    document = Document()
    _page(document, report.page_label or _("Trang"))
    _letterhead(document, report)
    _paragraph(
        document, report.title, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0
    ).paragraph_format.space_before = Pt(12)
    _paragraph(document, report.subject, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=8)
    for paragraph in report.intro:
        _paragraph(document, paragraph, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    if report.chart is not None and report.chart.bars:
        _paragraph(document, report.chart.title, size=10, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
        width, _height = chart_size_mm(report.chart, TEXT_WIDTH_MM)
        document.add_picture(io.BytesIO(bar_chart_png(report.chart)), width=Mm(width))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if report.legend:
        legend = document.add_paragraph()
        _font(legend.add_run(_("Chú giải tình trạng:") + " "), size=9, italic=True)
        for label, meaning in report.legend:
            _font(legend.add_run(label), size=9, bold=True)
            _font(legend.add_run(f": {meaning} "), size=9)
    for section in report.sections:
        if not section.small:
            _section(document, section)
    for paragraph in report.closing:
        _paragraph(document, paragraph, indent=True)
    _signature(document, report)
    appendix = [section for section in report.sections if section.small]
    for section in appendix:
        document.add_page_break()
        _section(document, section)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
