"""Output of `newsdesk claims` for people and spreadsheets: a table for reading and CSV (the
JSON contract is jsonout.claims_to_dict)."""

from __future__ import annotations

import csv
import io

from ..model import ClaimLedger
from .jsonout import claims_to_dict

CSV_FIELDS = ("item", "speaker", "actor", "cue", "content", "hedges", "figures", "when", "date",
              "start", "end", "source_span", "cue_span", "content_span")


def render_claims(ledger: ClaimLedger, fmt: str) -> str:
    data = claims_to_dict(ledger)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for c in data["claims"]:
            row = {k: c.get(k) for k in CSV_FIELDS}
            row["hedges"] = "; ".join(c["hedges"])
            row["figures"] = "; ".join(_figure(q) for q in c["figures"])
            for k in ("source_span", "cue_span", "content_span"):
                row[k] = " ".join(f"{s}-{e}" for s, e in c[k]) if c[k] else ""
            writer.writerow(row)
        return out.getvalue()
    return _table(data, ledger)


def _figure(q: dict) -> str:
    notes = [q["measure"]] if q.get("measure") else []
    notes += [f"as of {q['as_of']}"] if q.get("as_of") else []
    return f"{q['value']} ({', '.join(notes)})" if notes else q["value"]


def _table(data: dict, ledger: ClaimLedger) -> str:
    lines = []
    for c in data["claims"]:
        who = c["speaker"] if not c["actor"] or c["actor"] == c["speaker"] else f"{c['speaker']} ({c['actor']})"
        when = f" [{c['when']}{' = ' + c['date'] if c['date'] else ''}]" if c["when"] else ""
        lines.append(f"[{c['item']}] {who} — {c['cue']}{when}: {' '.join(c['content'].split())}")
        extra = []
        if c["hedges"]:
            extra.append("hedges: " + ", ".join(c["hedges"]))
        if c["figures"]:
            extra.append("figures: " + "; ".join(_figure(q) for q in c["figures"]))
        if extra:
            lines.append("      " + " · ".join(extra))
    counts = {s: sum(e.status == s for e in ledger.items) for s in ("used", "merged", "translation", "dropped")}
    lines.append(f"{len(data['claims'])} claims from {counts['used']} items "
                 f"({counts['merged']} merged as duplicates, "
                 + (f"{counts['translation']} translations, " if counts["translation"] else "")
                 + f"{counts['dropped']} dropped)")
    return "\n".join(lines) + "\n"
