#!/usr/bin/env python3
"""Workbook fixtures of the vendor-reader tests (openpyxl), from the project's own CSV fixtures:
- syngistix_blocks_small.xlsx: syngistix_blocks_small.csv as a Syngistix-like workbook, with an
  intensity sheet first ("Raw Intensities", cps headers) that the importer must pass over;
- long_results_bad_cell.xlsx: ../long_results_small.csv with the text "abc" in cell C3 (a value).
ALL VALUES INVENTED. Run: python3 make_xlsx_fixtures.py"""
import csv, os
import openpyxl

here = os.path.dirname(os.path.abspath(__file__))

def number_or_text(text):
    try:
        return float(text) if text.strip() and not text.strip().startswith(('[', '-[')) else text
    except ValueError:
        return text

wb = openpyxl.Workbook()
raw = wb.active
raw.title = 'Raw Intensities'
raw.append([' ', 'Sample Id', 'R', 'Acquisition Time', 'QC Status', 'Dataset File', 'Method File', 'La 139\n(cps)', 'Ce 140\n(cps)'])
raw.append([1, 'BLK', None, '14/03/19 09:01:10 AM', None, 'BLK.1', 'REE.mth', 198.0, 390.7])
conc = wb.create_sheet('Concentrations')
for row in csv.reader(open(os.path.join(here, 'syngistix_blocks_small.csv'), newline='')):
    conc.append([number_or_text(c) if i >= 7 or i == 0 else (c if c else None) for i, c in enumerate(row)])
wb.save(os.path.join(here, 'syngistix_blocks_small.xlsx'))

wb = openpyxl.Workbook()
ws = wb.active
ws.title = 'Results'
for i, row in enumerate(csv.reader(open(os.path.join(here, '..', 'long_results_small.csv'), newline=''))):
    ws.append(row)
ws['C3'] = 'abc'
wb.save(os.path.join(here, 'long_results_bad_cell.xlsx'))
