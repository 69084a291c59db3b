#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Import into vgem: pagepoolctl import allocates a buffer, writes a
# pattern, imports it into vgem with DRM_IOCTL_PRIME_FD_TO_HANDLE (vgem
# attaches and maps it), exports the handle again and checks it is the same
# dma-buf with the same bytes, closes its own fds and mappings and checks
# the buffer stays allocated while vgem holds it, then closes the GEM
# handle and checks the pages are back in the pool.

KO=/lib/modules/pagepool.ko
T=/tmp/pp-vgem.$$
mkdir -p "$T"

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1: $2"; }
note() { echo "# $*"; }
# memfree_kb: MemFree plus the free pages parked on per-CPU lists (which
# MemFree leaves out and which come and go), after dropping caches.
memfree_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^MemFree:/ { f = $2 } /^ *count:/ { c += $2 }
	     END { print f + c * 4 }' /proc/meminfo /proc/zoneinfo
}
klog() { dmesg -c >>"$T/klog"; }

run() {
	_rn=$1
	shift
	_ro=$("$@" 2>&1)
	_rr=$?
	if [ $_rr = 0 ]; then
		ok "$_rn"
	else
		not_ok "$_rn" "$(echo "$_ro" | tail -n 1) (exit $_rr)"
	fi
	return $_rr
}

if ! command -v pagepoolctl >/dev/null || ! [ -e "$KO" ]; then
	not_ok "vgem import tests" "no pagepoolctl or $KO in the guest"
	exit 0
fi
[ -e /sys/module/pagepool ] && rmmod pagepool
start_mf=$(memfree_kb)
klog

if ! out=$(load-vgem 2>&1); then
	not_ok "vgem loads" "$out"
	exit 0
fi
ok "vgem loads"

if out=$(insmod "$KO" size=32M 2>&1); then
	ok "insmod size=32M"
	run "import 1 page into vgem" pagepoolctl import 1
	run "import 16 pages into vgem" pagepoolctl import 16
	run "import a 300-page heap buffer into vgem" \
		pagepoolctl import 300 --heap
	run "import 1500 pages (across chunks) into vgem" \
		pagepoolctl import 1500
	run "debugfs check ok, pool whole" pagepoolctl check --idle
	if out=$(rmmod pagepool 2>&1); then
		ok "rmmod"
	else
		not_ok "rmmod" "$out"
	fi
else
	not_ok "insmod size=32M" "$out"
fi
if out=$(load-vgem -r 2>&1); then
	ok "vgem unloads"
else
	not_ok "vgem unloads" "$out"
fi

now=$(memfree_kb)
if [ $((now + 2048 + start_mf / 100)) -ge "$start_mf" ]; then
	ok "MemFree back after rmmod ($start_mf -> $now kB)"
else
	not_ok "MemFree back after rmmod" "$start_mf -> $now kB"
fi
klog
if grep -E 'WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|Call Trace' \
	"$T/klog" >"$T/bad"; then
	not_ok "no kernel warnings" "$(head -n 1 "$T/bad")"
else
	ok "no kernel warnings"
fi
rm -rf "$T"
exit 0
