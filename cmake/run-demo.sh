#!/bin/sh
# `make run`: the local platform next to the kiosk on simulated hardware. Makes the demo's
# device secret once (0600), starts kiosk-platform on a free loopback port, writes the
# kiosk's config with that URL, runs the kiosk, and stops the platform when the kiosk ends
# (or when make run is interrupted).
#   cmake/run-demo.sh BUILD_DIR DEMO_CONFIG [kiosk options...]
set -eu
build=$1
cfg=$2
shift 2
demo=$build/demo
mkdir -p "$demo"
chmod 700 "$demo"
if [ ! -s "$demo/device.secret" ]; then
	# 64 hex digits (a binary one would end in a newline one time in 256)
	(umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n" >"$demo/device.secret")
fi
rm -f "$demo/platform.port"
"$build/kiosk-platform" --db "$demo/platform.db" --device "K-DEMO=$demo/device.secret" \
	--demo-meals --listen 127.0.0.1:0 --port-file "$demo/platform.port" 2>"$demo/platform.log" &
plat=$!
trap 'kill $plat 2>/dev/null; wait $plat 2>/dev/null || true' EXIT INT TERM
i=0
while [ ! -s "$demo/platform.port" ]; do
	if ! kill -0 $plat 2>/dev/null || [ $i -ge 100 ]; then
		echo "make run: the local platform did not start (see $demo/platform.log);" \
			"running offline" >&2
		break
	fi
	sleep 0.05
	i=$((i + 1))
done
port=$(cat "$demo/platform.port" 2>/dev/null || echo 0)
python3 - "$cfg" "$demo/kiosk-run.json" "$port" "$demo/device.secret" <<'PY'
import json, sys
src, dst, port, secret = sys.argv[1:5]
c = json.load(open(src))
if port != "0":
    c.setdefault("platform", {})["url"] = "http://127.0.0.1:%s" % port
    c.setdefault("device", {})["secret_file"] = secret
json.dump(c, open(dst, "w"), indent=2, ensure_ascii=False)
PY
if [ "$port" != 0 ]; then
	# a send booked in an app, to try 我有寄件码 with (once; used, it says so)
	python3 - "$port" <<'PY' || true
import urllib.request, sys
body = ('{"code": "SF2468", "carrier": "SF", "size": "M", "paid": true, "amount_fen": 1800,'
        ' "receiver_city": "广州"}').encode()
try:
    urllib.request.urlopen(urllib.request.Request(
        "http://127.0.0.1:%s/admin/send-bookings" % sys.argv[1], data=body), timeout=5)
except OSError:
    pass  # made on an earlier run: the platform keeps it
PY
	echo "make run: local platform at http://127.0.0.1:$port/ (pay QR codes there;" \
		"booking code SF2468)"
fi
"$build/kiosk" --simulate --config "$demo/kiosk-run.json" "$@"
