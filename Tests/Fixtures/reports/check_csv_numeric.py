#!/usr/bin/env python3
"""Reads every CSV that `lims report … --format csv --out FOLDER` wrote, with Python's csv module,
and checks that each column datapackage.json declares `number` holds numbers (or is empty) and that
every row has the header's width. Run by hand:

    lims --db lab.sqlite report all --format csv --out /tmp/report-csv
    python3 Tests/Fixtures/reports/check_csv_numeric.py /tmp/report-csv

The Swift test ReportCommandTests.assertEveryCSVNumeric does the same with the project's CSVReader.
"""
import csv
import json
import pathlib
import sys

folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
described = {r["path"] for r in package["resources"]}
on_disk = {p.name for p in folder.glob("*.csv")}
problems = [f"not described in datapackage.json: {n}" for n in sorted(on_disk - described)]
numbers = 0
for resource in package["resources"]:
    fields = resource["schema"]["fields"]
    with open(folder / resource["path"], newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if rows[0] != [f["name"] for f in fields]:
        problems.append(f"{resource['path']}: header {rows[0]} differs from the schema")
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(fields):
            problems.append(f"{resource['path']}:{line}: {len(row)} fields, expected {len(fields)}")
        for value, field in zip(row, fields):
            if field["type"] == "number" and value != "":
                try:
                    float(value)
                    numbers += 1
                except ValueError:
                    problems.append(f"{resource['path']}:{line}: column {field['name']}: {value!r} is not a number")
print(f"{len(package['resources'])} CSV files, {numbers} numeric cells checked, {len(problems)} problem(s)")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
