# SPDX-License-Identifier: GPL-2.0
#
# pagepool: build the module, the userspace tools and the tests.
#
#   make            pagepool.ko against KDIR (the running kernel's build
#                   directory, else the newest installed Debian headers),
#                   and the sample client of its in-kernel API, for the
#                   tests: samples/pagepool-client/pagepool-client.ko (built
#                   with pagepool.ko's Module.symvers) and its test program
#                   samples/pagepool-client/client-test
#   make tools      userspace tools: tools/pagealloc-replay, tools/pagepoolctl,
#                   the QEMU tests' driver tools/testing/pagepool-test, the
#                   fuzzer tools/testing/pagepool-fuzz and the sample
#                   client's samples/pagepool-client/client-test
#   make check      userspace tests (unit, traces, differential), plain and
#                   under ASan + UBSan
#   make kunit      the KUnit suites under UML (kunit/run-kunit)
#   make debug-kernel  a debug kernel (KASAN, UBSAN, lockdep, kmemleak...)
#                   for QEMU from Debian's linux-source-6.12, cached in
#                   ~/.cache/pagepool/debug-kernel; its last two lines are
#                   "kernel: BZIMAGE" and "build: DIR" (make KDIR=DIR)
#                   (tools/testing/debug-kernel/build)
#   make bench      the benchmark (tools/bench/run-bench)
#   make bench-kernel  the in-kernel benchmark: pagealloc against gen_pool
#                   and alloc_pages inside Debian's 6.12 kernel in QEMU
#                   (tools/bench/kernel/run), ns per operation and ratios
#                     KBENCH='reps=5 budget_ms=4000'  parameters of its
#                                     module (tools/bench/kernel/bench.c)
#   make bench-e2e  boot Debian's 6.12 kernel in QEMU and compare pagepool's
#                   dma-buf heap with the kernel's system heap there
#                   (tools/bench/bench-e2e, run by tools/bench/e2e-guest.sh):
#                   alloc/free latency, mmap and touch, processes at once,
#                   a sustained loop with the zeroing split; ratios
#                     E2E_ARGS='...'  bench-e2e options, say
#                                     '--runs 20 --big-runs 5' (none)
#                     E2E_POOL=SIZE   the pool (1G)
#                     E2E_MEM=SIZE    guest memory (4G)
#                     E2E_KERNEL=K    the kernel, as run-guest --kernel
#                                     takes it (6.12)
#                     E2E_TIMEOUT=SEC limit for the whole boot (1200)
#   make bench-debugfs  boot Debian's 6.12 kernel in QEMU with a 16 GiB pool,
#                   fragment it, and measure its debugfs readers
#                   (tools/bench/debugfs-guest.sh): the lock holds of check
#                   and summary under ftrace, and allocation latency alone
#                   and beside a reader of check, summary or chunks
#                   (bench-e2e readers)
#                     DEBUGFS_POOL=SIZE  the pool (16G; its pages are not
#                                     touched: bgzero=0, init_on_alloc=0;
#                                     nokaslr keeps the kernel below it)
#                     DEBUGFS_MEM=SIZE   guest memory (22G)
#                     DEBUGFS_FRAG=N     buffers held to fragment it (4000)
#                     DEBUGFS_ARGS='...' bench-e2e readers options, say
#                                     '--reader-runs 5000' (none)
#                     DEBUGFS_KERNEL=K   the kernel (6.12)
#                     DEBUGFS_TIMEOUT=SEC  limit for the whole boot (1200)
#   make demo       boot Debian's kernel in QEMU and tour the module
#   make fuzz       boot FUZZ_KERNEL in QEMU and run pagepool-fuzz there
#                   (tools/testing/qemu/guest/80-fuzz.sh) for a long run:
#                     OPS=N          operations in all (1000000)
#                     SEED=S         the seed; a failure names it (1)
#                     PROCS=P        processes at once (4)
#                     FUZZ_KERNEL=K  the kernel, as run-guest --kernel
#                                    takes it (debug: the debug kernel,
#                                    on two NUMA nodes)
#                     FUZZ_TIMEOUT=SEC  limit for the whole boot (0: none)
#                   The same SEED, PROCS and OPS replay each process's
#                   sequence of operations.
#   make test       everything the README's test command runs
#   make install    pagepool.ko into /lib/modules/KVER/updates/ (KVER: the
#                   kernel of KDIR; KVER=... alone picks
#                   /lib/modules/KVER/build), pagepoolctl into
#                   $(PREFIX)/sbin (/usr/local/sbin), the udev rule into
#                   $(UDEVDIR) (/etc/udev/rules.d) and the example
#                   /etc/modprobe.d/pagepool.conf.example; DESTDIR=...
#                   installs under a staging root (then no depmod). The
#                   files are listed in $(DESTDIR)/var/lib/pagepool/installed
#   make uninstall  removes what that list names, and the list
#   make deb        the Debian packages pagepool-dkms (the module's source
#                   for DKMS, the udev rule, the modprobe.d example) and
#                   pagepoolctl, with dpkg-deb, into build/deb/
#                   (packaging/deb/build-debs)
#
# The allocator core, pagealloc/pagealloc.c, is the one source for all of
# them; userspace builds reach the kernel API through tools/include/.

# KVER=... alone: that kernel's build directory.
ifneq ($(KVER),)
KDIR ?= /lib/modules/$(KVER)/build
endif
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))

CC ?= cc
# The core is built -O3 everywhere (Kbuild too); on x86-64 userspace also
# gets the popcnt instruction, which the kernel's hweight64() patches in.
CFLAGS ?= -O3 -g $(if $(filter x86_64,$(shell uname -m)),-mpopcnt)
WARN := -Wall -Wextra -Werror
SAN := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
INC := -I tools/include -I pagealloc

CORE := pagealloc/pagealloc.c
CORE_DEPS := $(CORE) pagealloc/pagealloc.h pagealloc/pagealloc_internal.h \
	tools/include/kernel-compat.h
UNIT_SRC := kunit/pagealloc_kunit.c kunit/pagepool_kunit.c \
	pagepool/check.c tools/testing/kunit-shim.c
UNIT_DEPS := $(CORE_DEPS) $(UNIT_SRC) kunit/pagealloc_model.h \
	pagepool/check.h tools/lib/rand.h \
	tools/include/kunit/test.h
DIFF_SRC := tools/testing/pagealloc-difftest.c
DIFF_DEPS := $(CORE_DEPS) $(DIFF_SRC) kunit/pagealloc_model.h tools/lib/rand.h

TESTBIN := tools/testing/bin
CLIENT := samples/pagepool-client
TOOLS := tools/pagealloc-replay tools/pagepoolctl tools/testing/pagepool-test \
	tools/testing/pagepool-fuzz $(CLIENT)/client-test
TESTS := $(TESTBIN)/pagealloc-unittest $(TESTBIN)/pagealloc-unittest-asan \
	$(TESTBIN)/pagealloc-difftest $(TESTBIN)/pagealloc-difftest-asan \
	$(TESTBIN)/pagealloc-replay-asan

.PHONY: all module tools check kunit debug-kernel bench bench-e2e \
	bench-debugfs demo fuzz test clean

all: module $(CLIENT)/client-test

# The sample client links against pagepool.ko's exports: its modpost reads
# pagepool.ko's Module.symvers.
module:
	@test -n "$(KDIR)" || { echo "no kernel headers: set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(CLIENT) \
		KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers modules

tools: $(TOOLS)

# The trace language's parser, shared with tools/bench/genpool-replay.
TRACE_LIB := tools/lib/trace.c
TRACE_DEPS := $(TRACE_LIB) tools/lib/trace.h

tools/pagealloc-replay: tools/pagealloc-replay.c $(CORE_DEPS) $(TRACE_DEPS)
	$(CC) $(CFLAGS) $(WARN) $(INC) -o $@ $< $(CORE) $(TRACE_LIB)

# Static, both: they run in the QEMU tests' minimal initramfs. What they
# share is in tools/lib/.
PPLIB := tools/lib/pagepool-lib.c
PPLIB_DEPS := $(PPLIB) tools/lib/pagepool-lib.h include/uapi/linux/pagepool.h

tools/pagepoolctl: tools/pagepoolctl.c $(PPLIB_DEPS)
	$(CC) -O2 -g $(WARN) -static -I include/uapi -I tools/lib -o $@ $< $(PPLIB)

tools/testing/pagepool-test: tools/testing/pagepool-test.c $(PPLIB_DEPS) \
		tools/lib/rand.h
	$(CC) -O2 -g $(WARN) -static -I include/uapi -I tools/lib -o $@ $< $(PPLIB)

tools/testing/pagepool-fuzz: tools/testing/pagepool-fuzz.c $(PPLIB_DEPS) \
		tools/lib/rand.h
	$(CC) -O2 -g $(WARN) -static -I include/uapi -I tools/lib -o $@ $< $(PPLIB)

# The sample client's test program, for the QEMU guest like the others.
$(CLIENT)/client-test: $(CLIENT)/client-test.c $(CLIENT)/pagepool-client.h \
		$(PPLIB_DEPS)
	$(CC) -O2 -g $(WARN) -static -I include/uapi -I tools/lib -o $@ $< $(PPLIB)

$(TESTBIN):
	mkdir -p $@

$(TESTBIN)/pagealloc-unittest: $(UNIT_DEPS) | $(TESTBIN)
	$(CC) $(CFLAGS) $(WARN) $(INC) -o $@ $(UNIT_SRC) $(CORE)

$(TESTBIN)/pagealloc-unittest-asan: $(UNIT_DEPS) | $(TESTBIN)
	$(CC) $(SAN) $(WARN) $(INC) -o $@ $(UNIT_SRC) $(CORE)

$(TESTBIN)/pagealloc-difftest: $(DIFF_DEPS) | $(TESTBIN)
	$(CC) $(CFLAGS) $(WARN) $(INC) -o $@ $(DIFF_SRC) $(CORE)

$(TESTBIN)/pagealloc-difftest-asan: $(DIFF_DEPS) | $(TESTBIN)
	$(CC) $(SAN) $(WARN) $(INC) -o $@ $(DIFF_SRC) $(CORE)

$(TESTBIN)/pagealloc-replay-asan: tools/pagealloc-replay.c $(CORE_DEPS) \
		$(TRACE_DEPS) | $(TESTBIN)
	$(CC) $(SAN) $(WARN) $(INC) -o $@ $< $(CORE) $(TRACE_LIB)

check: $(TOOLS) $(TESTS)
	tools/testing/run-tests --userspace-only --no-install

kunit:
	kunit/run-kunit

# Quiet (@): the script's standard output is its two result lines.
debug-kernel:
	@tools/testing/debug-kernel/build

bench: $(TOOLS)
	tools/bench/run-bench

# The in-kernel benchmark: builds its module, boots Debian's 6.12 kernel
# and prints the table (see the header).
KBENCH ?=

.PHONY: bench-kernel
bench-kernel:
	tools/bench/kernel/run $(KBENCH)

# The benchmark's tools, which tools/bench/run-bench builds with one
# compiler and set of flags for all (BENCH_CFLAGS, by default the core's
# without -g). bin/flags records them, so that a change rebuilds the tools.
BENCHBIN := tools/bench/bin
BENCH_CFLAGS ?= $(filter-out -g,$(CFLAGS))
BENCH_DEPS := $(CORE_DEPS) $(BENCHBIN)/flags
BENCH_TOOLS := $(BENCHBIN)/gen-workload $(BENCHBIN)/genpool-replay \
	$(BENCHBIN)/pagealloc-replay

.PHONY: bench-tools FORCE

# Quiet when there is nothing to build.
bench-tools: $(BENCH_TOOLS)
	@:

$(BENCHBIN):
	mkdir -p $@

$(BENCHBIN)/flags: FORCE | $(BENCHBIN)
	@{ echo '$(CC) $(BENCH_CFLAGS)'; $(CC) --version | head -n 1; } >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

$(BENCHBIN)/gen-workload: tools/bench/gen-workload.c tools/lib/rand.h \
		$(BENCH_DEPS)
	$(CC) $(BENCH_CFLAGS) $(WARN) $(INC) -o $@ $< $(CORE)

$(BENCHBIN)/genpool-replay: tools/bench/genpool-replay.c $(TRACE_DEPS) \
		$(BENCH_DEPS)
	$(CC) $(BENCH_CFLAGS) $(WARN) $(INC) -o $@ $< $(CORE) $(TRACE_LIB)

# pagealloc-replay again, with the same flags as the others.
$(BENCHBIN)/pagealloc-replay: tools/pagealloc-replay.c $(TRACE_DEPS) \
		$(BENCH_DEPS)
	$(CC) $(BENCH_CFLAGS) $(WARN) $(INC) -o $@ $< $(CORE) $(TRACE_LIB)

FORCE:

# The end-to-end benchmark: static, for the QEMU guest, like the tools.
BENCH_E2E := tools/bench/bench-e2e

$(BENCH_E2E): tools/bench/bench-e2e.c $(PPLIB_DEPS) tools/lib/rand.h
	$(CC) -O2 -g $(WARN) -static -I include/uapi -I tools/lib -o $@ $< $(PPLIB)

# Boots E2E_KERNEL with a pool of E2E_POOL and runs bench-e2e there (see
# the header); the guest script reads its settings from the kernel command
# line, with '~' for each space of E2E_ARGS.
E2E_ARGS ?=
E2E_POOL ?= 1G
E2E_MEM ?= 4G
E2E_KERNEL ?= 6.12
E2E_TIMEOUT ?= 1200
E2E_EMPTY :=
E2E_SPACE := $(E2E_EMPTY) $(E2E_EMPTY)

bench-e2e: $(TOOLS) $(BENCH_E2E)
	tools/testing/qemu/run-guest --kernel $(E2E_KERNEL) --mem $(E2E_MEM) \
		--timeout $(E2E_TIMEOUT) --files $(BENCH_E2E):/bin/bench-e2e \
		--append 'pagepool.bench_pool=$(E2E_POOL)$(if $(strip $(E2E_ARGS)), pagepool.bench_args=$(subst $(E2E_SPACE),~,$(strip $(E2E_ARGS))))' \
		tools/bench/e2e-guest.sh

# Boots DEBUGFS_KERNEL with a pool of DEBUGFS_POOL and measures its debugfs
# readers (see the header); init_on_alloc=0 and the module's bgzero=0 keep
# the pool's pages untouched, so the host backs only what is allocated.
# nokaslr: KASLR may put the kernel's image in the middle of the memory
# above 4 GiB, where no 16 GiB window is then left; 22G leaves room.
DEBUGFS_POOL ?= 16G
DEBUGFS_MEM ?= 22G
DEBUGFS_FRAG ?= 4000
DEBUGFS_ARGS ?=
DEBUGFS_KERNEL ?= 6.12
DEBUGFS_TIMEOUT ?= 1200

bench-debugfs: $(TOOLS) $(BENCH_E2E)
	tools/testing/qemu/run-guest --kernel $(DEBUGFS_KERNEL) \
		--mem $(DEBUGFS_MEM) --timeout $(DEBUGFS_TIMEOUT) \
		--files $(BENCH_E2E):/bin/bench-e2e \
		--append 'init_on_alloc=0 nokaslr pagepool.bench_pool=$(DEBUGFS_POOL) pagepool.bench_frag=$(DEBUGFS_FRAG)$(if $(strip $(DEBUGFS_ARGS)), pagepool.bench_args=$(subst $(E2E_SPACE),~,$(strip $(DEBUGFS_ARGS))))' \
		tools/bench/debugfs-guest.sh

# Boots Debian's 6.1 kernel in QEMU with the module and takes a tour.
demo: $(TOOLS)
	tools/testing/qemu/run-guest --kernel 6.1 --interactive \
		tools/testing/qemu/demo.sh

# A long fuzzing run in QEMU: OPS operations over PROCS processes from
# SEED, on FUZZ_KERNEL (see the header). The guest script reads them from
# the kernel command line.
OPS ?= 1000000
SEED ?= 1
PROCS ?= 4
FUZZ_KERNEL ?= debug
FUZZ_TIMEOUT ?= 0

fuzz: $(TOOLS)
	tools/testing/qemu/run-guest --kernel $(FUZZ_KERNEL) \
		$(if $(filter debug,$(FUZZ_KERNEL)),--numa) \
		--timeout $(FUZZ_TIMEOUT) \
		--append 'pagepool.fuzz_seed=$(SEED) pagepool.fuzz_ops=$(OPS) pagepool.fuzz_procs=$(PROCS)' \
		tools/testing/qemu/guest/80-fuzz.sh

test:
	tools/testing/run-tests

# --- Installation (README.md, Installation) ---
# The kernel KDIR is for, as its headers name it.
KVER ?= $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
PREFIX ?= /usr/local
UDEVDIR ?= /etc/udev/rules.d
MODPROBEDIR ?= /etc/modprobe.d
MANIFEST := $(DESTDIR)/var/lib/pagepool/installed

.PHONY: install uninstall deb

# The module is built against KDIR first (modules_install only copies).
# The kernel's modules_install skips depmod without a System.map (headers
# have none): depmod runs here, for a real install only. Kbuild may
# compress the module (Debian's 6.12 installs pagepool.ko.xz): the list
# records what is there afterwards.
install: tools/pagepoolctl
	@test -n "$(KDIR)" || { echo "no kernel headers: set KDIR" >&2; exit 1; }
	@test -n "$(KVER)" || { echo "no kernel release in $(KDIR): set KVER" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install INSTALL_MOD_DIR=updates \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) KERNELRELEASE=$(KVER)
	install -D -m 0755 tools/pagepoolctl $(DESTDIR)$(PREFIX)/sbin/pagepoolctl
	install -D -m 0644 udev/60-pagepool.rules \
		$(DESTDIR)$(UDEVDIR)/60-pagepool.rules
	install -D -m 0644 modprobe.d/pagepool.conf.example \
		$(DESTDIR)$(MODPROBEDIR)/pagepool.conf.example
	mkdir -p $(dir $(MANIFEST))
	{ test ! -f $(MANIFEST) || cat $(MANIFEST); \
	  ls -1d $(DESTDIR)/lib/modules/$(KVER)/updates/pagepool.ko*; \
	  echo $(DESTDIR)$(PREFIX)/sbin/pagepoolctl; \
	  echo $(DESTDIR)$(UDEVDIR)/60-pagepool.rules; \
	  echo $(DESTDIR)$(MODPROBEDIR)/pagepool.conf.example; } | \
		LC_ALL=C sort -u >$(MANIFEST).tmp
	mv -f $(MANIFEST).tmp $(MANIFEST)
	$(if $(DESTDIR),,depmod -a $(KVER))
	@echo "installed: the list is $(MANIFEST)"

# Everything the list names (each kernel's module, with depmod for those
# in a real install), then the list and its directory.
uninstall:
	@test -f $(MANIFEST) || { echo "$(MANIFEST): nothing installed" >&2; exit 1; }
	@while IFS= read -r f; do \
		echo "rm -f $$f"; rm -f "$$f"; \
		case $$f in */updates/pagepool.ko*) \
			d=$${f%/updates/*}; \
			rmdir "$$d/updates" 2>/dev/null || true; \
			if [ -z "$(DESTDIR)" ]; then depmod -a "$${d##*/}"; fi ;; \
		esac; \
	done <$(MANIFEST)
	rm -f $(MANIFEST)
	rmdir $(dir $(MANIFEST)) 2>/dev/null || true

deb: tools/pagepoolctl
	packaging/deb/build-debs build/deb

clean:
	rm -rf $(TOOLS) $(TESTBIN) $(BENCHBIN) $(BENCH_E2E)
	@if [ -n "$(KDIR)" ] && [ -d "$(KDIR)" ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean; \
		$(MAKE) -C $(KDIR) M=$(CURDIR)/$(CLIENT) clean; fi
