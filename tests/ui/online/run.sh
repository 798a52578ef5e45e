#!/bin/sh
# Runs one UI script with the local platform next to the kiosk, then checks what reached
# the platform. The platform gets a free loopback port and the secret this run makes.
#   run.sh KIOSK PLATFORM CONFIG SCRIPT SHOTS A11Y_REPORT CHECK_SQL EXPECTED [CHANGES]
# CHECK_SQL runs on the platform's database after the kiosk ended; its one value must
# equal EXPECTED. CHANGES (a JSON file) is queued on the platform before the kiosk starts,
# through its admin API, as an operator would. The script's own comments may set the
# platform up too:
#   # platform: booking {JSON}    a send booking (POST /admin/send-bookings)
#   # platform: demo-meals        a week of menus at two canteens (POST /admin/demo-meals)
#   # platform: pay-after SECONDS  a payer's phone: every QR payment pending that long is
#                                  paid (POST /admin/payments/ID/pay)
set -eu
kiosk=$1 platform=$2 cfg=$3 script=$4 shots=$5 report=$6 sql=$7 want=$8 changes=${9:-}
rm -f kiosk.db kiosk.db-wal kiosk.db-shm device.key platform.db* platform.port
# 64 hex digits: a random binary secret ends in a newline one time in 256, and a
# trailing newline is not part of a secret
(umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n" >device.secret)
"$platform" --db platform.db --device K-TEST=device.secret --listen 127.0.0.1:0 \
	--port-file platform.port 2>platform.log &
plat=$!
trap 'kill $plat 2>/dev/null; wait $plat 2>/dev/null || true' EXIT
i=0
while [ ! -s platform.port ]; do
	kill -0 $plat 2>/dev/null || { cat platform.log >&2; exit 1; }
	[ $i -lt 200 ] || { echo "platform did not start" >&2; exit 1; }
	sleep 0.05
	i=$((i + 1))
done
if [ -n "$changes" ]; then
	python3 - "$(cat platform.port)" "$changes" <<'PY'
import sys, urllib.request
body = open(sys.argv[2], "rb").read()
req = urllib.request.Request("http://127.0.0.1:%s/admin/changes" % sys.argv[1], data=body,
                             headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=10).read()
PY
fi
python3 - "$(cat platform.port)" "$script" <<'PY'
import sys, urllib.request
for line in open(sys.argv[2], encoding="utf-8"):
    if line.strip() == "# platform: demo-meals":
        urllib.request.urlopen(urllib.request.Request(
            "http://127.0.0.1:%s/admin/demo-meals" % sys.argv[1], data=b""), timeout=10).read()
    if line.startswith("# platform: booking "):
        req = urllib.request.Request(
            "http://127.0.0.1:%s/admin/send-bookings" % sys.argv[1],
            data=line[len("# platform: booking "):].strip().encode(),
            headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=10).read()
PY
after=$(sed -n 's/^# platform: pay-after \([0-9.]*\)$/\1/p' "$script")
if [ -n "$after" ]; then
	python3 - "$(cat platform.port)" "$after" <<'PY' &
import json, sys, time, urllib.request
base, after, seen = "http://127.0.0.1:%s" % sys.argv[1], float(sys.argv[2]), {}
while True:
    try:
        now = time.time()
        for p in json.load(urllib.request.urlopen(base + "/admin/payments", timeout=5)):
            if now - seen.setdefault(p["payment"], now) >= after:
                urllib.request.urlopen(urllib.request.Request(
                    base + "/admin/payments/%s/pay" % p["payment"], data=b""), timeout=5).read()
    except (OSError, ValueError):
        pass
    time.sleep(0.2)
PY
	payer=$!
	trap 'kill $plat $payer 2>/dev/null; wait $plat 2>/dev/null || true' EXIT
fi
python3 - "$cfg" run.json "$(cat platform.port)" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c.setdefault("platform", {})["url"] = "http://127.0.0.1:%s" % sys.argv[3]
c.setdefault("device", {})["secret_file"] = "device.secret"
json.dump(c, open(sys.argv[2], "w"))
PY
"$kiosk" --headless --simulate --config run.json --script "$script" --screenshots "$shots" \
	--a11y-report "$report"
got=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' platform.db "$sql")
if [ "$got" != "$want" ]; then
	echo "$script: on the platform, $sql gave $got, expected $want" >&2
	exit 1
fi
