#!/usr/bin/env python3
"""Reads a .docx with python-docx, a reader independent of the writer, and prints what the
bulletin test checks as JSON: the core title, the paragraphs, every table's cells, the page size
in millimetres."""
import json
import sys

try:
    import docx
except ImportError:
    sys.exit(77)

document = docx.Document(sys.argv[1])
section = document.sections[0]
print(json.dumps({
    "title": document.core_properties.title,
    "paragraphs": [p.text for p in document.paragraphs],
    "tables": [[[cell.text for cell in row.cells] for row in table.rows]
               for table in document.tables],
    "page_mm": [round(section.page_width.mm), round(section.page_height.mm)],
}, ensure_ascii=False))
