#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Write-combined buffers (PAGEPOOL_ALLOC_WRITECOMBINE): allocated, mapped
# (at a 2 MiB boundary, one page in, in a forked child, split by mprotect
# and munmap), written, read back, imported into vgem, freed. Pool info and
# debugfs count them while they live. The kernel log must never show an
# x86/PAT complaint (no_kernel_warnings looks for one): a write-combined
# mapping of RAM whose memory type was not switched first is silently made
# write-back with such a line. Where the kernel has a page-table dump (the
# debug kernel's PTDUMP_DEBUGFS), pagepool-test checks that the user
# mapping and the kernel's linear map of the buffer are write-combined
# while it lives and that the linear map is write-back after the free.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh
setup wc "write-combined buffer tests"

insmod_ok size=64M || finish

run "a write-combined buffer is zero, filled and verified" \
	pagepoolctl alloc 300 --wc --fill 0x5a

# Four buffers held: counted in pool info and in debugfs.
: >"$T/hold"
pagepoolctl alloc 64 --wc --count 4 --hold 30 >"$T/hold" 2>&1 &
pid=$!
if wait_for 20 holding "$T/hold"; then
	info_is wc_buffers 4 && info_is wc_pages 256 &&
		ok "pool info counts 4 write-combined buffers of 256 pages" ||
		not_ok "pool info while holding" \
			"wc_buffers=$(info wc_buffers) wc_pages=$(info wc_pages)"
	pagepoolctl info | grep -q "^write-combined 4 buffers, 256 pages$" &&
		ok "pagepoolctl info shows them" ||
		not_ok "pagepoolctl info" "$(pagepoolctl info | tail -n 1)"
	s=/sys/kernel/debug/pagepool/stats
	grep -q "^wc_buffers_alive 4$" $s && grep -q "^wc_pages_alive 256$" $s &&
		ok "debugfs stats count them" ||
		not_ok "debugfs stats" "$(grep wc_ $s | tr '\n' ' ')"
else
	not_ok "four write-combined buffers held" "$(tail -n 1 "$T/hold")"
fi
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
wait_for 10 info_is wc_buffers 0 && info_is wc_pages 0 &&
	ok "none counted once they are freed" ||
	not_ok "write-combined counts after the free" \
		"wc_buffers=$(info wc_buffers) wc_pages=$(info wc_pages)"

if out=$(load-vgem 2>&1); then
	ok "vgem loads"
else
	not_ok "vgem loads" "$out"
fi
if pagepool-test hugemap 4096 --wc >"$T/out" 2>&1; then
	ok "16 MiB write-combined buffer: huge and split mappings, fork, read back"
else
	not_ok "write-combined buffer mapped and read back" \
		"$(tail -n 1 "$T/out")"
fi
sed -n 's/^\(ptdump\|vgem\|read back\)/# &/p' "$T/out"
# The debug kernel has the dump (debug.config): it must be there.
case $(uname -r) in
*-pagepool-debug)
	[ -e /sys/kernel/debug/page_tables/current_kernel ] &&
		ok "the debug kernel has a page-table dump" ||
		not_ok "no /sys/kernel/debug/page_tables on the debug kernel"
	;;
esac
if [ -e /sys/kernel/debug/page_tables/current_kernel ]; then
	grep -q "^ptdump: mapped: the mapping is write-combined" "$T/out" &&
	grep -q "^ptdump: mapped: the linear map is write-combined" "$T/out" &&
		ok "page tables: user and linear mappings write-combined" ||
		not_ok "page tables while the buffer lives" \
			"$(grep '^ptdump' "$T/out" | head -n 2 | tr '\n' ' ')"
	grep -q "^ptdump: freed: the linear map is write-back" "$T/out" &&
		ok "page tables: the linear map is write-back after the free" ||
		not_ok "page tables after the free" "$(tail -n 1 "$T/out")"
	if pagepool-test hugemap 1024 >"$T/wb" 2>&1 &&
	   grep -q "^ptdump: mapped: the mapping is write-back" "$T/wb"; then
		ok "page tables: an ordinary buffer is write-back"
	else
		not_ok "page tables of an ordinary buffer" "$(tail -n 1 "$T/wb")"
	fi
fi
grep -q "^read back through vgem" "$T/out" &&
	ok "read back through vgem's mapping" ||
	not_ok "no read back through vgem" "$(tail -n 1 "$T/out")"
run "write-combined buffer imported into vgem twice, synced in ranges" \
	pagepool-test import 256 --wc --twice
load-vgem -r >/dev/null 2>&1

run "stress beside write-combined buffers" \
	pagepool-test stress --procs 2 --ops 100 --seed 46
run "pool whole after the write-combined buffers" pagepoolctl check --idle
info_is wc_buffers 0 && ok "no write-combined buffer left" ||
	not_ok "write-combined buffers left: $(info wc_buffers)"
unload "wc"
finish
