#!/bin/sh
# Installs exactly the Debian 12 packages the build, the tests and `make run` need (and
# python3-networkx, the coverage bench's baseline in `make bench`).
# Idempotent: when every package is already present it does nothing and says so.
# Works as root, or through sudo for a normal user; otherwise it prints the apt-get line.
set -eu

PKGS="
build-essential
cmake
pkg-config
clang
libclang-rt-14-dev
libsdl2-dev
libsdl2-ttf-dev
libsdl2-image-dev
libusb-1.0-0-dev
libcurl4-openssl-dev
libcjson-dev
libsqlite3-dev
libqrencode-dev
libexpat1-dev
zlib1g-dev
libssl-dev
libfontconfig-dev
libespeak-ng-dev
libzinnia-dev
tegaki-zinnia-simplified-chinese
libmicrohttpd-dev
openssl
espeak-ng-data
fonts-noto-cjk
unicode-data
python3
python3-networkx
"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "install-deps: all $(echo $PKGS | wc -w) Debian packages present"
	exit 0
fi

echo "install-deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
else
	echo "install-deps: need root to install packages. Run as root, or:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
echo "install-deps: done"
