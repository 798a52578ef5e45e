#!/usr/bin/env python3
"""The architecture check: the layers' arrows point one way, flows reach the world only
through their ports, and the generic machine stays small. Fails (exit 1) naming each file
and line that breaks a rule; run by `make test` (ctest: arch)."""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')

# The UI sees the core only through these headers (what CMake links into its include tree).
UI_MAY = {"kiosk/core.h", "kiosk/cmdq.h", "kiosk/config.h", "kiosk/errors.h",
          "kiosk/neighbourhood.h", "kiosk/caches.h", "kiosk/coverage_view.h"}
# What a flow may include of the core: its contract, the domain services, the wire formats.
FLOW_MAY_PREFIX = ("kiosk/flow/flow.h", "kiosk/store/store.h", "kiosk/sync/wire.h",
                   "kiosk/crypto.h", "kiosk/core.h", "kiosk/cmdq.h", "kiosk/errors.h",
                   "kiosk/config.h", "kiosk/loop.h", "kiosk/vend_event.h", "kiosk/flow/vend_int.h",
                   "kiosk/receipt.h", "kiosk/assets.h",
                   "hal/base/")
CORE_SYMBOL = re.compile(r"\bkiosk_(core|locker|sync|lock_bus|bus)_\w+")
MAX_LINES = {"kiosk/core.c": 400}
MAX_KIOSK_LINES = 700


def sources(top):
    for d, _, files in os.walk(os.path.join(ROOT, top)):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                yield os.path.relpath(os.path.join(d, f), ROOT)


def check(path, errors):
    rel = path
    with open(os.path.join(ROOT, path), encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    in_flow = rel.startswith("kiosk/flow/")
    programs = rel in ("kiosk/main.c",) or rel.startswith("kiosk/ctl/")
    for n, line in enumerate(lines, 1):
        m = INCLUDE.match(line)
        inc = m.group(1) if m else None
        where = f"{rel}:{n}"
        if inc and rel.startswith("hal/"):
            if inc.startswith(("kiosk/", "screens/")) or inc.split("/")[0] in (
                    "SDL2", "sqlite3.h", "cjson", "curl"):
                errors.append(f"{where}: hal/ includes {inc} (hal/ sees nothing of ours above it)")
        if inc and rel.startswith("kiosk/") and not programs:
            if inc.startswith("screens/") or inc.startswith("SDL2"):
                errors.append(f"{where}: the core includes {inc} (kiosk/ knows nothing of the UI)")
        if inc and rel.startswith("screens/"):
            if inc.startswith("kiosk/") and inc not in UI_MAY:
                errors.append(f"{where}: a screen includes {inc} (only the core's public headers)")
            if inc.startswith("hal/") and not inc.startswith("hal/base/"):
                errors.append(f"{where}: a screen includes {inc} (never hal/ beyond hal/base/)")
            if inc == "sqlite3.h":
                errors.append(f"{where}: a screen includes sqlite3.h (never SQL)")
        if in_flow and inc and inc.startswith(("kiosk/", "hal/")):
            if not inc.startswith(FLOW_MAY_PREFIX):
                errors.append(f"{where}: a flow includes {inc} (flows see kiosk/flow/flow.h and the domain services)")
        used = CORE_SYMBOL.search(line) if in_flow and not inc else None
        if used:
            errors.append(f"{where}: a flow uses the core's own symbol {used.group(0)} "
                          "(reach it through the ports)")
        if rel == "kiosk/core.c" and re.search(r"\bkiosk_flow_(?!s\b)\w+", line):
            errors.append(f"{where}: core.c names a flow (flows are found in the table)")
    limit = MAX_LINES.get(rel, MAX_KIOSK_LINES if rel.startswith("kiosk/") else None)
    if limit and len(lines) - 1 > limit:
        errors.append(f"{rel}: {len(lines) - 1} lines, more than {limit} (split it as it falls apart)")


def main():
    errors = []
    for top in ("hal", "kiosk", "screens"):
        for path in sources(top):
            check(path, errors)
    for e in errors:
        print(e)
    print(f"architecture: {len(errors)} problem(s)" if errors else "architecture: ok")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
