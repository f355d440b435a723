#!/usr/bin/env python3
"""Lab sheets saved as Excel workbooks (openpyxl), for `lims import KIND FILE.xlsx`:
- lab/samples.xlsx: lab/samples.csv (Windows-1252) as a workbook, numbers as numbers;
- bad/samples-text-in-number.xlsx: the same with "about 850" in H2 (mass_g).
ALL VALUES INVENTED (the CSV fixtures'). Run: python3 make_sheet_workbooks.py"""
import csv, os
import openpyxl

here = os.path.dirname(os.path.abspath(__file__))
rows = list(csv.reader(open(os.path.join(here, 'lab', 'samples.csv'), newline='', encoding='cp1252')))

def cell(text):
    try:
        return float(text) if text and text.replace('.', '', 1).isdigit() else (text or None)
    except ValueError:
        return text

for path, bad in (('lab/samples.xlsx', False), ('bad/samples-text-in-number.xlsx', True)):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = 'Samples'
    ws.append(rows[0])
    for row in rows[1:]:
        ws.append([cell(c) for c in row])
    if bad:
        ws['H2'] = 'about 850'
    wb.save(os.path.join(here, path))
