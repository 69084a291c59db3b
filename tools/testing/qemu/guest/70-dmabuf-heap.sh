#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own dma-buf heap conformance test
# (tools/testing/selftests/dmabuf-heaps/dmabuf-heap.c of Linux 6.1, built
# statically), with vgem loaded so that its import test runs. It tests
# every heap under /dev/dma_heap/ (on 6.12 also the kernel's "system"
# heap) and stops at the first failure. Skipped when the binary was not
# put in the guest (/bin/dmabuf-heap or /files/dmabuf-heap).

KO=/lib/modules/pagepool.ko
T=/tmp/pp-heaptest.$$
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

bin=
for b in /bin/dmabuf-heap /files/dmabuf-heap; do
	[ -x "$b" ] && bin=$b && break
done
if [ -z "$bin" ]; then
	ok "dmabuf-heap selftest # SKIP not in the guest"
	exit 0
fi
if ! [ -e "$KO" ]; then
	not_ok "dmabuf-heap selftest" "no $KO in the guest"
	exit 0
fi
[ -e /sys/module/pagepool ] && rmmod pagepool
start_mf=$(memfree_kb)
klog

load-vgem >/dev/null 2>&1 || note "vgem did not load: the import test is skipped"
if out=$(insmod "$KO" size=64M 2>&1); then
	ok "insmod size=64M"
	"$bin" >"$T/out" 2>&1
	rc=$?
	sed 's/^/#   /' "$T/out"
	if [ $rc = 0 ] && ! grep -q FAIL "$T/out" &&
	   grep -q 'Testing heap: pagepool' "$T/out"; then
		ok "dmabuf-heap selftest passes on $(ls /dev/dma_heap | tr '\n' ' ')"
	else
		not_ok "dmabuf-heap selftest" \
			"exit $rc: $(grep -m 1 FAIL "$T/out" || tail -n 1 "$T/out")"
	fi
	if out=$(pagepoolctl check --idle 2>&1); then
		ok "debugfs check ok, pool whole after the selftest"
	else
		not_ok "debugfs check ok, pool whole after the selftest" \
			"$(echo "$out" | tail -n 1)"
	fi
	if out=$(rmmod pagepool 2>&1); then
		ok "rmmod"
	else
		not_ok "rmmod" "$out"
	fi
else
	not_ok "insmod size=64M" "$out"
fi
load-vgem -r >/dev/null 2>&1

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
