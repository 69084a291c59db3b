#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own dma-buf heap conformance test
# (tools/testing/selftests/dmabuf-heaps/dmabuf-heap.c of Linux 6.1, built
# statically), with vgem loaded so that its import test runs. It tests
# every heap under /dev/dma_heap/ (from 6.12 on also the kernel's "system"
# heap, which Debian builds in from then: Debian's 6.1 has no dma-buf heaps)
# and stops at the first failure. Skipped when the binary was not put in
# the guest (/bin/dmabuf-heap or /files/dmabuf-heap).
#
# On a kernel with DMA_API_DEBUG_SG (the debug kernel) the selftest sees
# pagepool's heap only, in a mount namespace of its own: the kernel's
# system heap hands vgem segments of up to 1 MiB where vgem's device takes
# 64 KiB (it sets no max_segment_size), which the DMA-API checker reports
# from system_heap_map_dma_buf(), Linux's own code. pagepool's heap builds
# each importer's scatterlist within the device's limits.

# shellcheck source=SCRIPTDIR/../guest-lib.sh
. /lib/pagepool-tests.sh

bin=$(guest_bin dmabuf-heap)
if [ -z "$bin" ]; then
	ok "dmabuf-heap selftest # SKIP not in the guest"
	exit 0
fi
setup heaptest "dmabuf-heap selftest"

load-vgem >/dev/null 2>&1 || note "vgem did not load: the import test is skipped"
case $(uname -r) in
6.1.*) ;;
*)	if [ -c /dev/dma_heap/system ]; then
		ok "the kernel's system heap is there beside pagepool's"
	else
		not_ok "the kernel's system heap" "no /dev/dma_heap/system on $(uname -r)"
	fi ;;
esac
# only_pagepool_heap CMD...: CMD with /dev/dma_heap holding pagepool's
# heap alone.
only_pagepool_heap() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare -m sh -c 'mount -t tmpfs heaps /dev/dma_heap &&
		mknod /dev/dma_heap/pagepool c \
			$(tr : " " </sys/class/misc/pagepool-heap/dev) &&
		exec "$@"' sh "$@"
}

heaps=all
if zcat /proc/config.gz 2>/dev/null | grep -q '^CONFIG_DMA_API_DEBUG_SG=y$'
then
	heaps=pagepool
fi
if insmod_ok size=64M; then
	if [ $heaps = all ]; then
		"$bin" >"$T/out" 2>&1
	else
		note "DMA-API debugging kernel: the selftest sees pagepool's heap only"
		only_pagepool_heap "$bin" >"$T/out" 2>&1
	fi
	rc=$?
	sed 's/^/#   /' "$T/out"
	if [ $rc = 0 ] && ! grep -q FAIL "$T/out" &&
	   grep -q 'Testing heap: pagepool' "$T/out"; then
		ok "dmabuf-heap selftest passes on $(grep -o 'Testing heap: [a-z0-9_-]*' "$T/out" | cut -d' ' -f3 | tr '\n' ' ')"
	else
		not_ok "dmabuf-heap selftest" \
			"exit $rc: $(grep -m 1 FAIL "$T/out" || tail -n 1 "$T/out")"
	fi
	run "debugfs check ok, pool whole after the selftest" \
		pagepoolctl check --idle
	rmmod_ok "rmmod"
fi
load-vgem -r >/dev/null 2>&1

finish
