#!/usr/bin/env python3
"""Independent computation of the audit-log hash chain (issue 16) for ReliabilityIssue16Tests.

row_hash = SHA-256(prev_hash + canonical), canonical = one line per field in this order,
`name=null` or `name=<UTF-8 byte count>:<text>`; the first row's prev_hash is 64 zeros.
Also the stored value of the values check: original x unit factor x oxide factor x dilution.
Run: python3 audit_chain_expected.py  (prints the numbers hard-coded in the Swift test).
"""
import hashlib

FIELDS = ["id", "at", "operator", "action", "table_name", "record_id", "sample_id", "batch_id",
          "summary", "old_value", "new_value", "reason"]

def canonical(row):
    out = ""
    for name in FIELDS:
        value = row[name]
        if value is None:
            out += f"{name}=null\n"
        else:
            text = str(value)
            out += f"{name}={len(text.encode('utf-8'))}:{text}\n"
    return out

def row_hash(prev, row):
    return hashlib.sha256((prev + canonical(row)).encode("utf-8")).hexdigest()

genesis = "0" * 64
first = dict(id=1, at="2019-03-14T09:30:00.000Z", operator="tester", action="insert", table_name="sample",
             record_id=1, sample_id=1, batch_id=None, summary="sample C1-S registered", old_value=None,
             new_value='{"code":"C1-S","plot":"C1"}', reason=None)
second = dict(id=2, at="2019-03-14T09:31:00.500Z", operator="Lǐ Nà", action="correct", table_name="measurement",
              record_id=7, sample_id=1, batch_id=3, summary="La 41.7 → 4.17\nline two", old_value='{"value":41.7}',
              new_value='{"value":4.17}', reason="transcription error")
h1 = row_hash(genesis, first)
h2 = row_hash(h1, second)
print("row 1:", h1)
print("row 2:", h2)

# Values check: 0.0123 wt% (x 10 000 mg/kg per wt%) at dilution 2 -> mg/kg
print("La stored:", 0.0123 * 10000 * 2)
