#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Owners and the per-user limit (user_pages=): the pool is opened to a
# group with mode=0660; users of that group allocate (pagepool-test asuser
# drops root to a uid and gids), each buffer is charged to the process and
# uid that made it (debugfs owners, pagepoolctl owners), a uid cannot hold
# more than user_pages (EDQUOT, one log line, the pool unchanged) while
# another uid and root (CAP_SYS_RESOURCE) can, a user outside the group
# cannot open the devices, and a killed holder's charge ends.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh
setup owners "owner and limit tests"

GRP=1234
insmod_ok size=64M user_pages=1000 mode=0660 || finish
chgrp $GRP /dev/pagepool /dev/dma_heap/pagepool
[ "$(cat /sys/kernel/pagepool/pagepool/user_pages)" = 1000 ] &&
	ok "sysfs user_pages is 1000" ||
	not_ok "sysfs user_pages" "$(cat /sys/kernel/pagepool/pagepool/user_pages)"

as1000() { pagepool-test asuser 1000 $GRP "$@"; }

# uid 1000 holds 300 pages; its process is the owner.
: >"$T/h"
pagepool-test asuser 1000 $GRP pagepoolctl alloc 300 --hold 60 >"$T/h" 2>&1 &
holder=$!
if wait_for 20 holding "$T/h"; then
	ok "uid 1000 in group $GRP allocates 300 pages"
	line=$(grep "^$holder " /sys/kernel/debug/pagepool/owners)
	[ "$line" = "$holder pagepoolctl 1000 1 300" ] &&
		ok "owners: pid $holder, pagepoolctl, uid 1000, 1 buffer, 300 pages" ||
		not_ok "owners line" "'$line' in $(tr '\n' ';' </sys/kernel/debug/pagepool/owners)"
	pagepoolctl owners >"$T/table"
	while read -r line; do note "  $line"; done <"$T/table"
	head -n 1 "$T/table" | grep -q "PID.*COMMAND.*UID.*BUFFERS.*PAGES" &&
	grep -q "^ *$holder pagepoolctl  *1000  *1  *300$" "$T/table" &&
		ok "pagepoolctl owners shows it" ||
		not_ok "pagepoolctl owners" "$(tr '\n' ';' <"$T/table")"
	free=$(info free_pages)
	klog >/dev/null
	if out=$(as1000 pagepoolctl alloc 800 2>&1); then
		not_ok "uid 1000 beyond its limit was allowed"
	elif echo "$out" | grep -q "Disk quota exceeded"; then
		ok "uid 1000 beyond its limit (300 + 800 > 1000) is EDQUOT"
	else
		not_ok "uid 1000 beyond its limit" "$out"
	fi
	[ "$(info free_pages)" = "$free" ] && [ "$(info allocations)" = 1 ] &&
		ok "the refusal left the pool as it was" ||
		not_ok "pool after the refusal" "free $(info free_pages), was $free"
	n=$(klog | grep -c "pool pagepool: uid 1000 would hold 1100 pages, over its limit of 1000")
	[ "$n" = 1 ] && ok "one log line names the uid and the pool" ||
		not_ok "log lines about the limit: $n"
	run "uid 1000 within its limit (300 + 700)" as1000 pagepoolctl alloc 700
	run "uid 1001 has a limit of its own" \
		pagepool-test asuser 1001 $GRP pagepoolctl alloc 800
	run "root (CAP_SYS_RESOURCE) is not limited" pagepoolctl alloc 2000
	kill -9 "$holder"
	wait "$holder" 2>/dev/null
	wait_for 10 info_is allocations 0 &&
	! grep -q "^$holder " /sys/kernel/debug/pagepool/owners &&
		ok "a killed holder's charge ends with its buffer" ||
		not_ok "after kill -9" "$(cat /sys/kernel/debug/pagepool/owners)"
else
	not_ok "uid 1000 in group $GRP allocates 300 pages" "$(tail -n 1 "$T/h")"
	kill -9 "$holder" 2>/dev/null
fi

# Buffers passed between processes over unix sockets (stress) are freed
# by others than their owners: every charge still ends.
run "stress, buffers passed between processes" \
	pagepool-test stress --procs 3 --ops 200 --seed 14 --max-pages 16
[ -z "$(cat /sys/kernel/debug/pagepool/owners)" ] &&
	ok "no owner left once every buffer is freed" ||
	not_ok "owners left" "$(cat /sys/kernel/debug/pagepool/owners)"

# Outside the group: the devices do not open.
if out=$(pagepool-test asuser 1002 1002 pagepoolctl alloc 1 2>&1); then
	not_ok "uid 1002 outside group $GRP opened the pool"
elif echo "$out" | grep -q "Permission denied"; then
	ok "uid 1002 outside group $GRP cannot open the devices"
else
	not_ok "uid 1002 outside the group" "$out"
fi
unload "owners"
finish
