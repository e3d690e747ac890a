"""Evidence files are what their content is: accepted types by magic bytes, programs refused."""

from __future__ import annotations

import io
import zipfile

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
