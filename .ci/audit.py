"""Dependency audit (pip-audit over the installed environment, newsdesk itself skipped).

Fails on any known vulnerability. pip-audit alone says "No known vulnerabilities found" even
when it could audit nothing (a registry mirror without PyPI's JSON API, no route to OSV): this
says how many packages were really audited and warns loudly when none were."""

from __future__ import annotations

import json
import subprocess
import sys

found = subprocess.run([sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off", "-f", "json"],
                       capture_output=True, text=True)
if found.returncode not in (0, 1) or not found.stdout.strip():
    print(f"audit: pip-audit failed: {(found.stderr.strip().splitlines() or ['no output'])[-1]}")
    sys.exit(2)
report = json.loads(found.stdout)["dependencies"]
vulnerable = [d for d in report if d.get("vulns")]
audited = [d for d in report if "skip_reason" not in d]
for dep in vulnerable:
    ids = ", ".join(v["id"] for v in dep["vulns"])
    print(f"audit: {dep['name']} {dep['version']} has known vulnerabilities: {ids}")
print(f"audit: {len(audited)} of {len(report)} installed packages audited, {len(vulnerable)} vulnerable")
if not audited:
    print("audit: WARNING: nothing could be audited (the vulnerability service is out of reach from here); "
          "run `make audit` where PyPI's JSON API or OSV can be reached")
sys.exit(1 if vulnerable else 0)
