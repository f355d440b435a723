#!/usr/bin/env python3
"""Makes the input-layer fixtures and prints the values the Swift tests hard-code.

Run from the package root:  python3 Tests/Fixtures/input/make_input_fixtures.py
It writes (deterministically) into Tests/Fixtures/input/:
  small_openpyxl.xlsx   two sheets written by openpyxl: shared strings, rich-text inline string,
                        numbers, a date and a datetime, booleans, a gap column, a gap row
  handmade_parts.xlsx   written part by part with zipfile (stored + deflated entries): rich-text
                        shared strings with a phonetic run, xml:space, inline strings, a 1904 date
                        system, a custom date format, an error cell, a formula string, cells and
                        rows without r attributes, no <dimension>
  long_results_small.xlsx   the long results fixture as a workbook (numbers as numbers, dates as dates)
  long_results_utf16le_bom.txt / _utf16be_bom.txt / _utf16le_nobom.txt   UTF-16 copies (tab-delimited
                        for the LE BOM copy, as Excel's "Unicode text" is)
  encodings_sample.csv  UTF-8 text with non-ASCII and astral characters (source of the UTF-16 tests)
and prints, for every sheet of every workbook (and of the two real instrument workbooks in
../shared/fixtures/instruments/), what openpyxl reads: non-empty row count, last row, last
column, non-empty cell count and a SHA-256 over "COORD\\tVALUE\\n" lines of every non-empty
cell in row order, where VALUE is the text, or '%.17g' of the number for numbers and for
texts that look like decimal numbers (so both sides compare numbers, not their formatting),
TRUE/FALSE for booleans, and ISO 8601 for dates.
"""
import datetime, hashlib, io, os, re, sys, zipfile
import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared", "fixtures", "instruments"))
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$")
FIXED = datetime.datetime(2020, 1, 1, 0, 0, 0)


def canon(value):
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return "%.17g" % float(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.replace(microsecond=0).isoformat()
    text = str(value)
    return "%.17g" % float(text) if NUMBER.match(text) else text


def summary(path):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    print(f"== {os.path.basename(path)} (epoch {wb.epoch.date()})")
    for ws in wb.worksheets:
        digest = hashlib.sha256()
        rows = cells = last_row = last_col = 0
        for row in ws.iter_rows():
            any_cell = False
            for cell in row:
                if cell.value is None or cell.value == "":
                    continue
                any_cell = True
                cells += 1
                last_row = max(last_row, cell.row)
                last_col = max(last_col, cell.column)
                digest.update(f"{cell.coordinate}\t{canon(cell.value)}\n".encode("utf-8"))
            rows += any_cell
        print(f"  {ws.title!r}: rows={rows} last_row={last_row} last_col={last_col} cells={cells} sha256={digest.hexdigest()}")
    return wb


def make_small_openpyxl(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Results"
    ws.append(["sample", "analyte", "value", "unit", None, "measured_on", "ok"])
    ws.append(["C1-S", "La", 45.2, "mg/kg", None, datetime.date(2019, 3, 14), True])
    ws.append(["C1-S", "Ce", 0.111, "mg/kg", None, datetime.datetime(2019, 3, 14, 13, 45, 30), False])
    ws.append([])  # row 4 left empty: a gap row
    ws.append(["C2-S", "Nd", 1.50694863922671, "µg/g", None, None, None])
    ws.append(["C2-S", "Sm", -0.01, "mg/kg", None, datetime.date(1900, 1, 5), None])
    ws["C7"] = 1.2e-05
    ws["A7"] = CellRichText([TextBlock(InlineFont(b=True), "rich "), "inline"])
    ws["F2"].number_format = "yyyy-mm-dd"
    ws["F3"].number_format = "yyyy-mm-dd hh:mm:ss"
    ws["F6"].number_format = "d-mmm-yy"
    second = wb.create_sheet("Notes 2")
    second["B2"] = "La 139\n(mg/L)"
    second["D2"] = 7
    second["B3"] = "  padded  "
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(path)


def part(text):
    return text.strip().encode("utf-8")


def make_handmade(path):
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml": part('''<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/data.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>'''),
        "_rels/.rels": part('''<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>'''),
        "xl/workbook.xml": part(f'''<?xml version="1.0" encoding="UTF-8"?>
<workbook {ns}><workbookPr date1904="1"/>
<sheets><sheet name="Data &amp; QC" sheetId="3" r:id="rId7"/></sheets></workbook>'''),
        "xl/_rels/workbook.xml.rels": part('''<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>
<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>'''),
        "xl/sharedStrings.xml": part(f'''<?xml version="1.0" encoding="UTF-8"?>
<sst {ns} count="4" uniqueCount="4">
<si><t>Sample Id</t></si>
<si><r><rPr><b/></rPr><t xml:space="preserve">Ce </t></r><r><t>140</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>
<si><t xml:space="preserve">  OREAS 45d &lt;QC&gt; </t></si>
<si><t>line one&#10;line two</t></si>
</sst>'''),
        "xl/styles.xml": part(f'''<?xml version="1.0" encoding="UTF-8"?>
<styleSheet {ns}>
<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\\ hh:mm"/><numFmt numFmtId="165" formatCode="0.000&quot; mg/kg&quot;"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>
</styleSheet>'''),
        "xl/worksheets/data.xml": part(f'''<?xml version="1.0" encoding="UTF-8"?>
<worksheet {ns}><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><r><t>Nd</t></r><r><t xml:space="preserve"> 146</t></r></is></c></row>
<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="2"><v>0.111</v></c><c r="C3" s="1"><v>42000.5</v></c><c r="D3" s="3"><v>0</v></c></row>
<row><c t="s"><v>3</v></c><c><v>1.50694863922671</v></c><c t="e"><v>#N/A</v></c><c t="str"><v>=text</v></c><c t="b"><v>0</v></c></row>
</sheetData></worksheet>'''),
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            # Some parts stored, some deflated: the reader must do both.
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".rels") or name == "xl/styles.xml" else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def make_long_xlsx(path):
    source = os.path.join(ROOT, "Tests", "Fixtures", "instruments", "long_results_small.csv")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "long_results_small"
    with open(source, encoding="utf-8") as handle:
        for n, line in enumerate(handle.read().splitlines()):
            row = []
            for text in line.split(","):
                if n > 0 and NUMBER.match(text):
                    row.append(float(text))
                elif n > 0 and re.match(r"^\d{4}-\d\d-\d\d$", text):
                    row.append(datetime.datetime.strptime(text, "%Y-%m-%d"))
                else:
                    row.append(text if text else None)
            ws.append(row)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(path)


def make_text_copies():
    source = os.path.join(ROOT, "Tests", "Fixtures", "instruments", "long_results_small.csv")
    text = open(source, encoding="utf-8").read()
    open(os.path.join(HERE, "long_results_utf16le_bom.txt"), "wb").write(b"\xff\xfe" + text.replace(",", "\t").encode("utf-16-le"))
    open(os.path.join(HERE, "long_results_utf16be_bom.csv"), "wb").write(b"\xfe\xff" + text.encode("utf-16-be"))
    open(os.path.join(HERE, "long_results_utf16le_nobom.csv"), "wb").write(text.encode("utf-16-le"))
    sample = "sample;analyte;note\r\nC1-S;La;µg/L ≥ 0.5 — ok\r\nC2-S;Ce;\"𝛼 and 🧪, quoted\"\r\nC3-S;Nd;Ünïcödé\r\n"
    open(os.path.join(HERE, "encodings_sample.csv"), "wb").write(sample.encode("utf-8"))
    print("== encodings_sample.csv: utf-8 bytes", len(sample.encode("utf-8")), "utf-16 code units",
          len(sample.encode("utf-16-le")) // 2, "characters", len(sample),
          "astral", sum(1 for c in sample if ord(c) > 0xFFFF))


if __name__ == "__main__":
    make_small_openpyxl(os.path.join(HERE, "small_openpyxl.xlsx"))
    make_handmade(os.path.join(HERE, "handmade_parts.xlsx"))
    make_long_xlsx(os.path.join(HERE, "long_results_small.xlsx"))
    make_text_copies()
    for name in ["small_openpyxl.xlsx", "handmade_parts.xlsx", "long_results_small.xlsx"]:
        wb = summary(os.path.join(HERE, name))
    wb = openpyxl.load_workbook(os.path.join(HERE, "small_openpyxl.xlsx"), data_only=True)
    for coord in ["A1", "C2", "C3", "C5", "C6", "C7", "F2", "F3", "F6", "G2", "G3", "A7"]:
        print("  small Results", coord, repr(wb["Results"][coord].value))
    for coord in ["B2", "D2", "B3"]:
        print("  small Notes 2", coord, repr(wb["Notes 2"][coord].value))
    with zipfile.ZipFile(os.path.join(HERE, "handmade_parts.xlsx")) as archive:
        for info in archive.infolist():
            data = archive.read(info.filename)
            print("  zip entry", info.filename, "method", info.compress_type, "size", len(data),
                  "crc %08x" % info.CRC, "sha256", hashlib.sha256(data).hexdigest())
    wb = openpyxl.load_workbook(os.path.join(HERE, "handmade_parts.xlsx"), data_only=True)
    ws = wb.worksheets[0]
    print("  handmade sheet", repr(ws.title), "epoch", wb.epoch)
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                print("  handmade", cell.coordinate, repr(cell.value))
    for name in ["agilent8900_masshunter_jpquast.xlsx", "perkinelmer_nexion350x_syngistix.xlsx"]:
        path = os.path.join(SHARED, name)
        if not os.path.exists(path):
            print("missing", path); continue
        summary(path)
    wb = openpyxl.load_workbook(os.path.join(SHARED, "perkinelmer_nexion350x_syngistix.xlsx"), read_only=True, data_only=True)
    ws = wb["Concentrations"]
    for row in ws.iter_rows(min_row=1, max_row=3):
        for cell in row[:10]:
            if cell.value is not None:
                print("  PE Concentrations", cell.coordinate, repr(cell.value))
    wb = openpyxl.load_workbook(os.path.join(SHARED, "agilent8900_masshunter_jpquast.xlsx"), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=1, max_row=5):
        for cell in row[:8]:
            if cell.value is not None:
                print("  Agilent input", cell.coordinate, repr(cell.value))
