"""Tables as editors keep them: CSV (comma, semicolon or tab) and XLSX, read as text.

Nothing in a spreadsheet is executed or evaluated: a formula is kept as the text of the formula
(openpyxl is asked for formulas, not cached results, and never computes anything), and XLSX
files are checked for zip bombs before anything is decompressed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

from ..diagnostics import Diagnostics
from .xml import xml_text

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # an office file larger than this unpacked is refused
MAX_RATIO = 200  # nor one member that expands more than this


class TableError(ValueError):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def check_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """Open an office file (DOCX, XLSX) as a zip after checking its declared sizes; raise
    :class:`TableError` for a corrupt file or one that would unpack too large (a zip bomb)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise TableError(f"not a valid {what} file (corrupt or not a zip archive: {e})") from None
    total = 0
    for info in infos:
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise TableError(
                f"{what} member {info.filename} expands {info.file_size // info.compress_size}x "
                "(a zip bomb?); refused"
            )
    if total > MAX_UNCOMPRESSED:
        raise TableError(
            f"{what} unpacks to {total // 1_000_000} MB, more than the "
            f"{MAX_UNCOMPRESSED // 1_000_000} MB allowed; refused"
        )
    return zf


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return " ".join(str(v).split())


def csv_header(data: bytes) -> list[str]:
    """The column names of a CSV file's first row (lower case), or [] when unreadable."""
    first = data[:65536].split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    delim = max((",", ";", "\t"), key=first.count)
    try:
        return [h.strip().lower() for h in next(csv.reader([first], delimiter=delim), [])]
    except csv.Error:
        return []


def read_table(
    data: bytes, path: str, diags: Diagnostics
) -> tuple[list[str], list[tuple[int, dict]]]:
    """(column names, rows as (line or row number, {column: text})). Raises TableError when the
    table as a whole cannot be read; a bad row is reported and left out, the others are kept."""
    if path.lower().endswith(".xlsx"):
        return _xlsx(data, path)
    return _csv(data, path, diags)


def _csv(data: bytes, path: str, diags: Diagnostics):
    try:
        text = xml_text(data.decode("utf-8-sig"), path, diags)
    except UnicodeDecodeError as e:
        raise TableError(
            f"not UTF-8 text (byte {e.start}); save the CSV as UTF-8",
            data[: e.start].count(b"\n") + 1,
        ) from None
    first = text.split("\n", 1)[0]
    delim = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            line = reader.line_num
            if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
                row_diag(
                    diags,
                    path,
                    line,
                    "bad-row",
                    f"{len(values)} cells but the header names {len(header)} columns; the row "
                    "is skipped: quote cells that contain the separator",
                )
                continue
            cells = {h: " ".join(v.split()) for h, v in zip(header, values, strict=False) if h}
            rows.append((line, cells))
    except csv.Error as e:
        raise TableError(f"CSV syntax error: {e}", reader.line_num) from None
    return header, rows


def _xlsx(data: bytes, path: str):
    import openpyxl

    check_zip(data, "XLSX")
    try:
        # data_only=False: a formula cell's value is its formula text; nothing is computed
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as e:  # openpyxl raises many kinds for a damaged workbook
        raise TableError(f"not a readable XLSX workbook: {e}") from None
    rows: list = []
    n = 1
    try:
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = [_cell(h).lower() for h in next(it, ())]
        for n, values in enumerate(it, start=2):
            cells = [_cell(v) for v in values]
            if any(cells):
                rows.append((n, {h: v for h, v in zip(header, cells, strict=False) if h}))
    except Exception as e:  # read lazily: a damaged sheet shows while its rows are read
        raise TableError(f"not a readable XLSX worksheet: {e}", n + 1) from None
    finally:
        wb.close()
    return header, rows


def row_diag(diags: Diagnostics, path: str, line: int | None, code: str, message: str) -> None:
    """An error at a spreadsheet row (the row number is the line for CSV and XLSX alike)."""
    diags.error(path, line, code, f"row {line}: {message}" if line else message)
