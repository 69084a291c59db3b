#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Pools on two NUMA nodes: run by run-guest with --numa (a guest of two
# nodes, one CPU each; tools/testing/run-tests does). A pool on node 0 and
# one on node 1 must take their memory from their nodes (their physical
# ranges lie in the memory blocks /sys/devices/system/node/nodeN lists),
# run their zeroers on their nodes' CPUs, serve exact first fit each
# without touching the other, count in sysfs and debugfs what pool info
# counts, and give every page of both nodes back at rmmod.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh
setup numa "NUMA pool tests"

if ! [ -d /sys/devices/system/node/node1 ]; then
	not_ok "the guest has two NUMA nodes" "no node1 (run with --numa)"
	finish
fi
ok "the guest has two NUMA nodes"

# node_free N: free memory of node N in kB, as memfree_kb counts it for
# the machine: MemFree with caches dropped, plus the pages in the per-CPU
# lists of the node's zones.
node_free() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk -v node="$1" '
		FILENAME ~ /meminfo$/ && /MemFree:/ { f = $4 }
		FILENAME ~ /zoneinfo$/ && /^Node/ { n = $2 + 0 }
		FILENAME ~ /zoneinfo$/ && /^ *count:/ && n == node { c += $2 }
		END { print f + c * 4 }' \
		/sys/devices/system/node/node"$1"/meminfo /proc/zoneinfo
}

# in_node N PHYS BYTES: [PHYS, PHYS + BYTES) lies in memory blocks of node N.
in_node() {
	local _bs _b _last

	_bs=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
	_b=$(($2 / _bs))
	_last=$((($2 + $3 - 1) / _bs))
	while [ "$_b" -le "$_last" ]; do
		[ -e /sys/devices/system/node/node"$1"/memory"$_b" ] || return 1
		_b=$((_b + 1))
	done
}

free0=$(node_free 0)
free1=$(node_free 1)
insmod_ok pools=n0:128M:node=0:bgzero=0,n1:128M:node=1 || finish

for n in 0 1; do
	phys=$(dmesg | sed -n "s/.*pagepool: n$n: 128 MiB at \(0x[0-9a-f]*\) (allocated, node $n).*/\1/p" |
		tail -n 1)
	if [ -z "$phys" ]; then
		not_ok "pool n$n: load line" "$(dmesg | grep "n$n:" | tail -n 1)"
	elif in_node "$n" "$((phys))" $((128 << 20)); then
		ok "pool n$n: [$phys, +128 MiB) lies in node $n's memory"
	else
		not_ok "pool n$n: [$phys, +128 MiB) is not in node $n's memory"
	fi
	[ "$(cat /sys/kernel/pagepool/n$n/node 2>/dev/null)" = "$n" ] &&
		ok "pool n$n: sysfs node is $n" ||
		not_ok "pool n$n: sysfs node" \
			"$(cat /sys/kernel/pagepool/n$n/node 2>&1)"
done

pagepoolctl pools >"$T/pools" 2>&1 &&
	[ "$(grep -c '^n[01] ' "$T/pools")" = 2 ] &&
	ok "pagepoolctl pools lists n0 and n1" ||
	not_ok "pagepoolctl pools" "$(cat "$T/pools")"
while read -r line; do note "  $line"; done <"$T/pools"

# The zeroer of n1 (bgzero=1), pagepool/n1, runs on node 1's CPU only;
# n0 has none.
pid=
for c in /proc/[0-9]*/comm; do
	[ "$(cat "$c" 2>/dev/null)" = pagepool/n1 ] && pid=${c%/comm} &&
		pid=${pid#/proc/}
done
if [ -n "$pid" ]; then
	cpus=$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/"$pid"/status)
	[ "$cpus" = "$(cat /sys/devices/system/node/node1/cpulist)" ] &&
		ok "n1's zeroer runs on node 1's CPUs ($cpus)" ||
		not_ok "n1's zeroer CPUs" "$cpus"
else
	not_ok "n1's zeroer thread" "$(ps | grep pagepool)"
fi
grep -qx pagepool/n0 /proc/[0-9]*/comm 2>/dev/null &&
	not_ok "n0 has a zeroer with bgzero=0" || ok "n0 (bgzero=0) has no zeroer"

# Exact first fit in n0 leaves n1 alone; the figures agree everywhere.
before1=$(pagepoolctl --pool n1 info --raw | sed -n 's/^free_pages=//p')
printf 'alloc 10\nalloc 20\nfree 0 10\nalloc 5\nalloc 512 512\n' |
	pagepool-test --pool n0 replay --hold 30 >"$T/replay" 2>&1 &
rpid=$!
if wait_for 20 holding "$T/replay"; then
	offs=$(grep -v '^#' "$T/replay" | grep -v holding | awk '{ print $1 }' |
		tr '\n' ' ')
	[ "$offs" = "0 10 0 512 " ] && ok "n0: exact first fit (0 10 0 512)" ||
		not_ok "n0: first fit" "offsets $offs"
	pagepoolctl --pool n0 info --raw >"$T/info0"
	free=$(sed -n 's/^free_pages=//p' "$T/info0")
	alive=$(sed -n 's/^allocations=//p' "$T/info0")
	[ "$free" = $((32768 - 537)) ] && [ "$alive" = 3 ] &&
		ok "n0: pool info: 537 pages in 3 buffers" ||
		not_ok "n0: pool info" "free_pages=$free allocations=$alive"
	s=/sys/kernel/pagepool/n0
	[ "$(cat $s/free_pages)" = "$free" ] &&
	[ "$(cat $s/buffers)" = "$alive" ] &&
		ok "n0: sysfs agrees with pool info" ||
		not_ok "n0: sysfs" "free_pages=$(cat $s/free_pages) buffers=$(cat $s/buffers)"
	d=/sys/kernel/debug/pagepool/n0/stats
	grep -q "^free_pages $free$" $d &&
	grep -q "^allocations_alive $alive$" $d &&
		ok "n0: debugfs stats agree with pool info" ||
		not_ok "n0: debugfs stats" "$(head -n 4 $d | tr '\n' ' ')"
	[ "$(pagepoolctl --pool n1 info --raw |
		sed -n 's/^free_pages=//p')" = "$before1" ] &&
		ok "n1 untouched by n0's allocations" ||
		not_ok "n1's free pages changed"
else
	not_ok "n0: replay" "$(tail -n 1 "$T/replay")"
fi
kill "$rpid" 2>/dev/null
wait "$rpid" 2>/dev/null
run "n1: alloc, map, fill, verify" pagepoolctl --pool n1 alloc 300 --fill 0x11
for n in 0 1; do
	run "n$n: check, pool whole" pagepoolctl --pool n$n check --idle
done

rmmod_ok "rmmod of both pools"
for n in 0 1; do
	if [ $n = 0 ]; then was=$free0; else was=$free1; fi
	now=$(node_free $n)
	# Allow what the guest itself took meanwhile: 2 MiB and 1%.
	if [ $((now + 2048 + was / 100)) -ge "$was" ]; then
		ok "node $n's memory is back ($was -> $now kB)"
	else
		not_ok "node $n's memory not back" "$was -> $now kB"
	fi
done
finish
