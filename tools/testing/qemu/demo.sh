#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of "make demo": a short tour of pagepool in a booted
# Debian kernel. Run by tools/testing/qemu/run-guest --interactive.

step() {
	echo
	echo "### $*"
}

run() {
	echo "\$ $*"
	"$@"
}

step "Load the module: a 64 MiB pool, zeroed in the background"
run insmod /lib/modules/pagepool.ko size=64M
run ls -l /dev/pagepool /dev/dma_heap/
sleep 1
run pagepoolctl info

step "Allocate 300 pages, map them, write 0x5a everywhere, read it back"
run pagepoolctl alloc 300 --fill 0x5a

step "Hold some buffers while we look inside (in the background)"
pagepoolctl alloc 1000 --count 3 --hold 5 >/tmp/hold.log 2>&1 &
holder=$!
sleep 1
run cat /tmp/hold.log

step "The radix tree of summaries (debugfs)"
run head -n 12 /sys/kernel/debug/pagepool/summary

step "The fragmentation map"
run pagepoolctl map

step "Counters, and the consistency checker"
run cat /sys/kernel/debug/pagepool/stats
run cat /sys/kernel/debug/pagepool/check

step "Free: the holder exits, its buffers go back to the pool"
wait "$holder"
run pagepoolctl check --idle
run pagepoolctl info

step "Unload: the pool's memory goes back to the kernel"
run rmmod pagepool
echo "\$ dmesg | grep pagepool"
dmesg | grep pagepool | tail -n 3
