"""Saving openpyxl workbooks byte for byte reproducibly: fixed document dates and fixed zip entry times."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

# The end of the wave's fieldwork: a fixed moment, never the clock, so regenerated files are identical.
FIXED_MOMENT = datetime(2024, 1, 31, 12, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def save_reproducibly(workbook: Workbook, path: Path) -> None:
    """Save like `workbook.save`, but with the same bytes for the same cells.

    openpyxl stamps the save time into docProps/core.xml and into every zip entry; both are replaced
    by FIXED_MOMENT so the committed sample does not change each time it is regenerated.
    """
    workbook.properties.creator = "verkenning.sample"
    workbook.properties.created = FIXED_MOMENT
    workbook.properties.modified = FIXED_MOMENT
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = FIXED_MOMENT.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_MOMENT.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, data)
