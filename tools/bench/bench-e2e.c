// SPDX-License-Identifier: GPL-2.0
/*
 * bench-e2e: pagepool's dma-buf heap against the kernel's system heap, end
 * to end, on one machine (a QEMU guest: make bench-e2e).
 *
 *	latency		DMA_HEAP_IOCTL_ALLOC, then close(), each timed
 *	mmap		alloc, mmap, a write and a read per page, munmap, close
 *	procs		processes allocating and freeing mixed sizes at once
 *	loop		back-to-back large allocations, and who zeroed them
 *	hugemap		pagepool only: one 2 MiB-aligned buffer (512 MiB)
 *			mapped at a 2 MiB boundary (huge PMD entries, from
 *			Linux 6.12) and one page past one (4 KiB entries),
 *			mmap, a write and a read per page, munmap, each
 *	all		the five, in that order
 *	readers		pagepool only: 1-page allocations alone, then while
 *			another process reads a debugfs file (check,
 *			summary, chunks) over and over on another CPU
 *
 * Both heaps run every step under the same conditions: interleaved, one
 * allocation of each in turn (the loop excepted, which must run back to
 * back: each heap in one block), the first heap alternating. Before each
 * allocation of 16 MiB or more both wait a pause and then until pagepool's
 * background zeroer has zeroed every free page, so that pagepool's large
 * figures are those of an idle pool and the zeroer does not run beside
 * the system heap. Each part prints one table; a row is
 *
 *	WHAT SIZE  pagepool TIME p90 TIME  system TIME p90 TIME  ratio R
 *
 * with R the system heap's figure over pagepool's (for throughput,
 * pagepool's over the system heap's): above 1, pagepool is faster.
 * "hugemap" prints the same rows with the huge mapping in place of pagepool
 * and the 4 KiB one in place of the system heap (R: 4 KiB over huge),
 * and how much PageTables grew while each was mapped.
 * "readers" prints its own rows, one per debugfs file:
 *
 *	reader FILE  alone med T p99 T max T  read med T p99 T max T
 *	  file T reads N
 *
 * (on one line): the allocations' latency without and with the reader,
 * how long one whole read of FILE took and how many the reader made.
 * "bench-e2e --help" lists the options and the exit codes. It is built
 * statically, for the QEMU guest's initramfs, and shares tools/lib/ with
 * pagepoolctl and the test drivers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "pagepool-lib.h"
#include "rand.h"

#define PROG		"bench-e2e"
#define SYSTEM_HEAP	"/dev/dma_heap/system"
#define KIB		1024ULL
#define MIB		(1024 * KIB)
/* Allocations from this size on pause and wait for an idle pool first. */
#define BIG		(16 * MIB)
#define MAX_SIZES	16
#define MAX_SIZE	(4096 * MIB)
/* Buffers each process of "procs" holds at most. */
#define PROC_HOLD	4
/* Reads of a debugfs file whose times "readers" keeps (it counts all). */
#define MAX_READS	65536
/* What one PMD entry maps (x86-64, and arm64 with 4 KiB pages). */
#define PMD_BYTES	(2 * MIB)

enum { PP, SYS, NHEAPS };

static const char * const heap_name[NHEAPS] = { "pagepool", "system" };

/* The options; every command takes them all and uses its own. */
struct opts {
	const char *system_path;
	unsigned long long sizes[MAX_SIZES];
	unsigned int nsizes;
	unsigned long long touch_sizes[MAX_SIZES];
	unsigned int ntouch;
	unsigned long long runs;
	unsigned long long big_runs;
	unsigned long long touch_runs;
	unsigned long long pause_ms;
	unsigned long long idle_ms;
	unsigned long long procs;
	unsigned long long proc_ops;
	unsigned long long rounds;
	unsigned long long loop_iters;
	unsigned long long loop_size;
	unsigned long long reader_runs;
	unsigned long long hugemap_size;
	unsigned long long hugemap_runs;
	unsigned long long seed;
};

/* What the parts share: the devices, the options, the target's tally. */
struct bench {
	struct ctx cx;
	int heap[NHEAPS];
	struct opts o;
	unsigned int idle_timeouts;
	unsigned int rows, rows_met, big_rows, big_met;
	char missed[1024], big_missed[512];
};

/* ---- numbers ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median and 90th percentile (nearest rank) of @n samples, sorted here. */
static void summarize(double *v, size_t n, double *med, double *p90)
{
	size_t r;

	qsort(v, n, sizeof(*v), cmp_double);
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	r = (n * 9 + 9) / 10;
	*p90 = v[r ? r - 1 : 0];
}

/* @ns as "12.3us", "4.56ms" or "1.23s", right-aligned in @w columns. */
static const char *fmt_time(char *buf, size_t len, double ns)
{
	if (ns < 1e6)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.2fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
	return buf;
}

/* @bytes as "4K", "16M", "1G" (whole units) or a page count. */
static const char *fmt_size(char *buf, size_t len, unsigned long long bytes)
{
	if (bytes >= MIB * 1024 && !(bytes % (MIB * 1024)))
		snprintf(buf, len, "%lluG", bytes / (MIB * 1024));
	else if (bytes >= MIB && !(bytes % MIB))
		snprintf(buf, len, "%lluM", bytes / MIB);
	else if (!(bytes % KIB))
		snprintf(buf, len, "%lluK", bytes / KIB);
	else
		snprintf(buf, len, "%llu", bytes);
	return buf;
}

/* ---- the target ---- */

/*
 * The project's target: pagepool at least as fast as the system heap in
 * every alloc and free row, and 100 times faster allocating 16 MiB and
 * more (on an idle pool).
 */
static void target_row(struct bench *b, const char *what, const char *size,
		       unsigned long long bytes, double ratio)
{
	char item[64];

	snprintf(item, sizeof(item), " %s %s (%.3f)", what, size, ratio);
	b->rows++;
	if (ratio >= 1)
		b->rows_met++;
	else if (strlen(b->missed) + strlen(item) < sizeof(b->missed))
		strcat(b->missed, item);
	if (strcmp(what, "alloc") || bytes < BIG)
		return;
	b->big_rows++;
	if (ratio >= 100)
		b->big_met++;
	else if (strlen(b->big_missed) + strlen(item) < sizeof(b->big_missed))
		strcat(b->big_missed, item);
}

static void print_target(const struct bench *b)
{
	if (!b->rows)
		return;
	printf("\n== target ==\n");
	printf("# pagepool >= system in every alloc and free row;\n");
	printf("# >= 100x in the alloc rows from 16M (an idle pool)\n");
	printf("target alloc-free-rows  met %u of %u%s%s\n", b->rows_met,
	       b->rows, b->missed[0] ? "  missed:" : "", b->missed);
	printf("target alloc-100x       met %u of %u%s%s\n", b->big_met,
	       b->big_rows, b->big_missed[0] ? "  missed:" : "",
	       b->big_missed);
}

/* ---- the heaps and the pool ---- */

/* Allocate @bytes from heap @h, dying when it fails. */
static int alloc_fd(struct bench *b, int h, unsigned long long bytes)
{
	struct pbuf buf;
	int err;

	err = heap_alloc(b->heap[h], bytes / b->cx.page_size, b->cx.page_size,
			 &buf);
	if (err)
		die(err == -ENOMEM ? RC_NOMEM : RC_IOCTL,
		    "DMA_HEAP_IOCTL_ALLOC of %llu bytes from the %s heap: %s",
		    bytes, heap_name[h], strerror(-err));
	return buf.fd;
}

/*
 * Wait until every free page of the pool is known to be zero (the
 * background zeroer is done), up to --idle-wait; count the timeouts.
 * Return: the time waited, in nanoseconds.
 */
static unsigned long long wait_idle(struct bench *b)
{
	unsigned long long t0 = now_ns(), limit = b->o.idle_ms * 1000000;
	struct pagepool_pool_info pi;

	if (!b->o.idle_ms)
		return 0;
	for (;;) {
		pool_info(b->cx.dev, &pi);
		if (pi.zeroed_pages >= pi.free_pages)
			return now_ns() - t0;
		if (now_ns() - t0 >= limit) {
			b->idle_timeouts++;
			return now_ns() - t0;
		}
		sleep_ms(2);
	}
}

/* Before an allocation of @bytes: for a large one, pause and wait idle. */
static void settle(struct bench *b, unsigned long long bytes)
{
	if (bytes < BIG)
		return;
	sleep_ms(b->o.pause_ms);
	wait_idle(b);
}

/* Counter @key of debugfs "stats", or UNKNOWN. */
static unsigned long long pool_stat(const char *key)
{
	char *stats = debugfs_file("stats", 0);
	unsigned long long v = stats_value(stats, key);

	free(stats);
	return v;
}

/* ---- part 1: latency ---- */

static void print_pair(const char *what, const char *size, const double *med,
		       const double *p90, double ratio)
{
	char t[4][24];

	printf("%-5s %-5s pagepool %9s p90 %9s  system %9s p90 %9s  ratio %7.2f",
	       what, size, fmt_time(t[0], sizeof(t[0]), med[PP]),
	       fmt_time(t[1], sizeof(t[1]), p90[PP]),
	       fmt_time(t[2], sizeof(t[2]), med[SYS]),
	       fmt_time(t[3], sizeof(t[3]), p90[SYS]), ratio);
}

/* Bytes of pagepool's allocations that the allocations zeroed, as text. */
static const char *fmt_alloc_zeroed(char *buf, size_t len,
				    unsigned long long z0,
				    unsigned long long z1,
				    unsigned long long pages)
{
	if (z0 == UNKNOWN || z1 == UNKNOWN || !pages)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%.0f%%", 100.0 * (z1 - z0) / pages);
	return buf;
}

static void latency_size(struct bench *b, unsigned long long bytes)
{
	unsigned long long n = bytes >= BIG ? b->o.big_runs : b->o.runs;
	unsigned long long i, t0, t1, t2, z0, z1, pages;
	double *al[NHEAPS], *fr[NHEAPS], am[NHEAPS], ap[NHEAPS];
	double fm[NHEAPS], fp[NHEAPS];
	char size[24], zeroed[24];
	int h, k, fd;

	for (h = 0; h < NHEAPS; h++) {
		al[h] = xcalloc(n, sizeof(double));
		fr[h] = xcalloc(n, sizeof(double));
	}
	fmt_size(size, sizeof(size), bytes);
	z0 = pool_stat("alloc_zeroed_pages");
	for (i = 0; i < n; i++) {
		for (k = 0; k < NHEAPS; k++) {
			h = (i + k) % NHEAPS;
			settle(b, bytes);
			t0 = now_ns();
			fd = alloc_fd(b, h, bytes);
			t1 = now_ns();
			close(fd);
			t2 = now_ns();
			al[h][i] = t1 - t0;
			fr[h][i] = t2 - t1;
		}
	}
	z1 = pool_stat("alloc_zeroed_pages");
	pages = n * (bytes / b->cx.page_size);
	for (h = 0; h < NHEAPS; h++) {
		summarize(al[h], n, &am[h], &ap[h]);
		summarize(fr[h], n, &fm[h], &fp[h]);
		free(al[h]);
		free(fr[h]);
	}
	print_pair("alloc", size, am, ap, am[SYS] / am[PP]);
	printf("  zeroed-in-alloc %s\n",
	       fmt_alloc_zeroed(zeroed, sizeof(zeroed), z0, z1, pages));
	print_pair("free", size, fm, fp, fm[SYS] / fm[PP]);
	putchar('\n');
	fflush(stdout);
	target_row(b, "alloc", size, bytes, am[SYS] / am[PP]);
	target_row(b, "free", size, bytes, fm[SYS] / fm[PP]);
}

static void part_latency(struct bench *b)
{
	unsigned int s;
	int h, i;

	printf("\n== alloc/free latency ==\n");
	printf("# DMA_HEAP_IOCTL_ALLOC, then close(), each timed\n");
	printf("# median and p90 of %llu runs; from 16M of %llu, each\n",
	       b->o.runs, b->o.big_runs);
	printf("# after a %llu ms pause and an idle pool\n", b->o.pause_ms);
	printf("# zeroed-in-alloc: pagepool's pages zeroed by allocations\n");
	/* Warm up: the first calls of each heap pay for more than they do. */
	for (i = 0; i < 10; i++)
		for (h = 0; h < NHEAPS; h++)
			close(alloc_fd(b, h, b->cx.page_size));
	for (s = 0; s < b->o.nsizes; s++)
		latency_size(b, b->o.sizes[s]);
}

/* ---- part 2: mmap and touch ---- */

/* Write then read one byte of each page of @p. */
static void touch(unsigned char *p, unsigned long long bytes,
		  size_t page_size)
{
	unsigned long long off, sum = 0;

	for (off = 0; off < bytes; off += page_size)
		p[off] = 1;
	/* Read the pages again, not what the compiler knows was written. */
	__asm__ __volatile__("" : : : "memory");
	for (off = 0; off < bytes; off += page_size)
		sum += p[off];
	if (sum != bytes / page_size)
		die(RC_DATA, "touched pages do not read back what was written");
}

static void mmap_size(struct bench *b, unsigned long long bytes)
{
	unsigned long long n = b->o.touch_runs, i, t0, t1, t2, t3;
	double *tc[NHEAPS], *cy[NHEAPS], tm[NHEAPS], tp[NHEAPS];
	double cm[NHEAPS], cp[NHEAPS];
	char size[24], mibs[2][24];
	int h, k, fd;
	void *p;

	for (h = 0; h < NHEAPS; h++) {
		tc[h] = xcalloc(n, sizeof(double));
		cy[h] = xcalloc(n, sizeof(double));
	}
	fmt_size(size, sizeof(size), bytes);
	for (i = 0; i < n; i++) {
		for (k = 0; k < NHEAPS; k++) {
			h = (i + k) % NHEAPS;
			settle(b, bytes);
			t0 = now_ns();
			fd = alloc_fd(b, h, bytes);
			t1 = now_ns();
			p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
				 MAP_SHARED, fd, 0);
			if (p == MAP_FAILED)
				die(RC_MAP, "mmap of %s from the %s heap: %s",
				    size, heap_name[h], strerror(errno));
			touch(p, bytes, b->cx.page_size);
			if (munmap(p, bytes))
				die(RC_MAP, "munmap: %s", strerror(errno));
			t2 = now_ns();
			close(fd);
			t3 = now_ns();
			tc[h][i] = t2 - t1;
			cy[h][i] = t3 - t0;
		}
	}
	for (h = 0; h < NHEAPS; h++) {
		summarize(tc[h], n, &tm[h], &tp[h]);
		summarize(cy[h], n, &cm[h], &cp[h]);
		free(tc[h]);
		free(cy[h]);
		/* MiB per second of the whole cycle. */
		snprintf(mibs[h], sizeof(mibs[h]), "%.0f",
			 bytes / (double)MIB / (cm[h] / 1e9));
	}
	print_pair("touch", size, tm, tp, tm[SYS] / tm[PP]);
	putchar('\n');
	print_pair("cycle", size, cm, cp, cm[SYS] / cm[PP]);
	printf("  MiB/s pagepool %s system %s\n", mibs[PP], mibs[SYS]);
	fflush(stdout);
}

static void part_mmap(struct bench *b)
{
	unsigned int s;

	printf("\n== mmap and touch ==\n");
	printf("# median and p90 of %llu runs\n", b->o.touch_runs);
	printf("# touch: mmap, a write and a read per page, munmap\n");
	printf("# cycle: alloc, touch, close\n");
	for (s = 0; s < b->o.ntouch; s++)
		mmap_size(b, b->o.touch_sizes[s]);
}

/* ---- part 3: processes at once ---- */

/* The sizes the processes pick from. */
static const unsigned long long proc_sizes[] = {
	4 * KIB, 64 * KIB, 256 * KIB, MIB, 4 * MIB,
};

/*
 * One process: @ops allocations and frees, holding up to PROC_HOLD
 * buffers, from the seed; then it frees what it holds. Exits.
 */
static noreturn void proc_run(struct bench *b, int h, unsigned int id,
			      unsigned long long ops, int go)
{
	unsigned long long rng = b->o.seed * 1000 + id, done = 0;
	int held[PROC_HOLD], n = 0, j;
	char c;

	msg_prefix("%s %s process %u", PROG, heap_name[h], id);
	if (read(go, &c, 1) != 1)
		die(RC_SYS, "start pipe: %s", strerror(errno));
	while (done < ops) {
		if (n == PROC_HOLD ||
		    (n && splitmix64_below(&rng, 2))) {
			j = splitmix64_below(&rng, n);
			close(held[j]);
			held[j] = held[--n];
		} else {
			j = splitmix64_below(&rng, ARRAY_SIZE(proc_sizes));
			held[n++] = alloc_fd(b, h, proc_sizes[j]);
		}
		done++;
	}
	while (n)
		close(held[--n]);
	exit(0);
}

/* @procs processes of heap @h at once; return ops per second. */
static double procs_round(struct bench *b, int h)
{
	unsigned long long per = b->o.proc_ops / b->o.procs, t0, ns;
	unsigned long long i, rc_bad = 0;
	int go[2], status;
	pid_t pid;

	if (pipe(go))
		die(RC_SYS, "pipe: %s", strerror(errno));
	for (i = 0; i < b->o.procs; i++) {
		pid = fork();
		if (pid < 0)
			die(RC_SYS, "fork: %s", strerror(errno));
		if (!pid) {
			close(go[1]);
			proc_run(b, h, i, per, go[0]);
		}
	}
	close(go[0]);
	/* Let them go at once: one byte each. */
	t0 = now_ns();
	for (i = 0; i < b->o.procs; i++)
		if (write(go[1], "g", 1) != 1)
			die(RC_SYS, "start pipe: %s", strerror(errno));
	while ((pid = wait(&status)) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			rc_bad++;
	ns = now_ns() - t0;
	close(go[1]);
	if (rc_bad)
		die(RC_SYS, "%llu %s processes failed", rc_bad, heap_name[h]);
	return per * b->o.procs / (ns / 1e9);
}

static void part_procs(struct bench *b)
{
	unsigned long long r, rounds = b->o.rounds;
	double *rate[NHEAPS], med[NHEAPS], p90[NHEAPS];
	int h, k;

	printf("\n== processes at once ==\n");
	printf("# %llu processes, %llu allocations and frees in all\n",
	       b->o.procs, b->o.proc_ops / b->o.procs * b->o.procs);
	printf("# sizes 4K to 4M, up to %d held by each process\n",
	       PROC_HOLD);
	printf("# ops/s, median of %llu rounds\n", rounds);
	for (h = 0; h < NHEAPS; h++)
		rate[h] = xcalloc(rounds, sizeof(double));
	fflush(stdout);
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < NHEAPS; k++) {
			h = (r + k) % NHEAPS;
			wait_idle(b);
			rate[h][r] = procs_round(b, h);
		}
	}
	for (h = 0; h < NHEAPS; h++) {
		summarize(rate[h], rounds, &med[h], &p90[h]);
		free(rate[h]);
	}
	printf("procs %-5llu pagepool %9.0f ops/s  system %9.0f ops/s  ratio %6.2f\n",
	       b->o.procs, med[PP], med[SYS], med[PP] / med[SYS]);
	fflush(stdout);
}

/* ---- part 4: the sustained loop ---- */

/* One heap's loop: alloc and close back to back. */
static void loop_heap(struct bench *b, int h, double *al, double *fr,
		      double *total)
{
	unsigned long long i, t0, t1, t2, start;
	int fd;

	start = now_ns();
	for (i = 0; i < b->o.loop_iters; i++) {
		t0 = now_ns();
		fd = alloc_fd(b, h, b->o.loop_size);
		t1 = now_ns();
		close(fd);
		t2 = now_ns();
		al[i] = t1 - t0;
		fr[i] = t2 - t1;
	}
	*total = now_ns() - start;
}

static void part_loop(struct bench *b)
{
	unsigned long long n = b->o.loop_iters, bg0, bg1, az0, az1, catch_up;
	unsigned long long pages = n * (b->o.loop_size / b->cx.page_size);
	double *al[NHEAPS], *fr[NHEAPS], am[NHEAPS], ap[NHEAPS];
	double fm[NHEAPS], fp[NHEAPS], total[NHEAPS], mibs[NHEAPS];
	double mib_page = b->cx.page_size / (double)MIB, bg, az;
	char size[24], t[24];
	int h;

	fmt_size(size, sizeof(size), b->o.loop_size);
	printf("\n== sustained ==\n");
	printf("# %llu allocations of %s back to back, each closed at once\n",
	       n, size);
	printf("# pagepool's loop, then the system heap's, from idle\n");
	printf("# median and p90; loop-zeroing: who zeroed pagepool's pages\n");
	printf("# during its loop, and how long the worker took after it\n");
	fflush(stdout);
	for (h = 0; h < NHEAPS; h++) {
		al[h] = xcalloc(n, sizeof(double));
		fr[h] = xcalloc(n, sizeof(double));
	}
	wait_idle(b);
	bg0 = pool_stat("bg_zeroed_pages");
	az0 = pool_stat("alloc_zeroed_pages");
	loop_heap(b, PP, al[PP], fr[PP], &total[PP]);
	bg1 = pool_stat("bg_zeroed_pages");
	az1 = pool_stat("alloc_zeroed_pages");
	catch_up = wait_idle(b);
	loop_heap(b, SYS, al[SYS], fr[SYS], &total[SYS]);
	for (h = 0; h < NHEAPS; h++) {
		summarize(al[h], n, &am[h], &ap[h]);
		summarize(fr[h], n, &fm[h], &fp[h]);
		mibs[h] = n * (b->o.loop_size / (double)MIB) / (total[h] / 1e9);
		free(al[h]);
		free(fr[h]);
	}
	print_pair("loop-alloc", size, am, ap, am[SYS] / am[PP]);
	putchar('\n');
	print_pair("loop-free", size, fm, fp, fm[SYS] / fm[PP]);
	putchar('\n');
	printf("loop-rate %-5s pagepool %7.0f MiB/s  system %7.0f MiB/s  ratio %6.2f\n",
	       size, mibs[PP], mibs[SYS], mibs[PP] / mibs[SYS]);
	if (bg0 == UNKNOWN || bg1 == UNKNOWN || az0 == UNKNOWN ||
	    az1 == UNKNOWN) {
		printf("loop-zeroing %-5s ? (no debugfs stats)\n", size);
	} else {
		bg = (bg1 - bg0) * mib_page;
		az = (az1 - az0) * mib_page;
		printf("loop-zeroing %-5s worker %.0f MiB (%.0f%%)", size, bg,
		       bg + az ? 100 * bg / (bg + az) : 0);
		printf("  allocations %.0f MiB (%.0f%%)", az,
		       bg + az ? 100 * az / (bg + az) : 0);
		printf("  of %.0f MiB allocated  catch-up %s\n",
		       pages * mib_page, fmt_time(t, sizeof(t), catch_up));
	}
	fflush(stdout);
}

/* ---- part 5: huge and 4 KiB mappings ---- */

/* The two mappings of "hugemap", and its rows. */
enum { HUGE, SMALL, NMAPS };
enum { R_MMAP, R_TOUCH, R_MUNMAP, R_TOTAL, R_TABLES, NROWS };

static const char * const hugemap_row[NROWS] = {
	"hugemap-mmap", "hugemap-touch", "hugemap-munmap", "hugemap-total",
	"hugemap-pagetables",
};

/*
 * A buffer of @bytes from /dev/pagepool, 2 MiB-aligned in physical memory
 * (PAGEPOOL_IOC_ALLOC's align), dying when that fails. Return: its fd.
 */
static int alloc_pmd_aligned(struct bench *b, unsigned long long bytes)
{
	struct pbuf pb;
	int err = pool_alloc_aligned(b->cx.dev, bytes / b->cx.page_size,
				     PMD_BYTES / b->cx.page_size, 0,
				     O_RDWR | O_CLOEXEC, &pb);

	if (err)
		die(err == -ENOMEM ? RC_NOMEM : RC_IOCTL,
		    "PAGEPOOL_IOC_ALLOC of %llu bytes aligned to 2 MiB: %s",
		    bytes, strerror(-err));
	return pb.fd;
}

/* The first line of @path, or "?" (into @buf). */
static const char *first_line(char *buf, size_t len, const char *path)
{
	char *text = read_file(path, 0);

	snprintf(buf, len, "%s", text ? text : "?");
	buf[strcspn(buf, "\n")] = '\0';
	free(text);
	return buf;
}

/*
 * One run of "hugemap": map @bytes of buffer @fd from its start at a
 * 2 MiB boundary (@m HUGE) or one page past one (SMALL), inside a
 * PROT_NONE reservation; write and read every page; unmap. Into @v: how
 * long mmap, the touch, munmap and the three took (ns), and by how much
 * PageTables grew while the buffer was mapped and touched (kB).
 */
static void hugemap_run(struct bench *b, int fd, unsigned long long bytes,
			int m, double *v)
{
	size_t ps = b->cx.page_size, len = bytes + PMD_BYTES;
	unsigned long long t0, t1, t2, t3, t4;
	unsigned char *area, *at;
	long long pt0, pt1;
	void *p;

	area = mmap(NULL, len, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (area == MAP_FAILED)
		die(RC_MAP, "reserving %zu bytes: %s", len, strerror(errno));
	at = (unsigned char *)(((unsigned long)area + PMD_BYTES - 1) &
			       ~(PMD_BYTES - 1));
	if (m == SMALL)
		at += ps;
	pt0 = pagetables_kb();
	t0 = now_ns();
	p = mmap(at, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 fd, 0);
	t1 = now_ns();
	if (p == MAP_FAILED)
		die(RC_MAP, "mmap at %s: %s",
		    m == HUGE ? "a 2 MiB boundary" : "one page past 2 MiB",
		    strerror(errno));
	touch(p, bytes, ps);
	t2 = now_ns();
	pt1 = pagetables_kb();
	t3 = now_ns();
	if (munmap(p, bytes))
		die(RC_MAP, "munmap: %s", strerror(errno));
	t4 = now_ns();
	if (munmap(area, len))
		die(RC_MAP, "munmap of the reservation: %s", strerror(errno));
	v[R_MMAP] = t1 - t0;
	v[R_TOUCH] = t2 - t1;
	v[R_MUNMAP] = t4 - t3;
	v[R_TOTAL] = (t2 - t0) + (t4 - t3);
	v[R_TABLES] = pt1 - pt0;
}

/* A row of "hugemap": huge against 4k, as print_pair() prints heaps. */
static void print_maps(const char *what, const char *size, const double *med,
		       const double *p90)
{
	char t[4][24];

	printf("%-18s %-5s huge %9s p90 %9s  4k %9s p90 %9s  ratio %7.2f",
	       what, size, fmt_time(t[0], sizeof(t[0]), med[HUGE]),
	       fmt_time(t[1], sizeof(t[1]), p90[HUGE]),
	       fmt_time(t[2], sizeof(t[2]), med[SMALL]),
	       fmt_time(t[3], sizeof(t[3]), p90[SMALL]),
	       med[SMALL] / med[HUGE]);
}

static void part_hugemap(struct bench *b)
{
	unsigned long long n = b->o.hugemap_runs, bytes = b->o.hugemap_size;
	unsigned long long i, pages = bytes / b->cx.page_size;
	double *v[NROWS][NMAPS], med[NROWS][NMAPS], p90[NROWS][NMAPS];
	double run[NROWS];
	char size[24], thp[128];
	struct utsname u;
	int r, m, k, fd;

	fmt_size(size, sizeof(size), bytes);
	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "?");
	printf("\n== huge mappings ==\n");
	printf("# one %s buffer, 2 MiB-aligned in physical memory, mapped\n",
	       size);
	printf("# from its start at a 2 MiB boundary (huge: a PMD entry per\n");
	printf("# 2 MiB where the kernel allows, from 6.12) or one page past\n");
	printf("# one (4k: 4 KiB entries only)\n");
	printf("# median and p90 of %llu runs of each, interleaved\n", n);
	printf("# mmap; touch: a write, then a read, per page; munmap; total\n");
	printf("# pagetables: PageTables growth while mapped and touched%s\n",
	       fold_vmstat() ? "" : " (not folded: no vm.stat_refresh)");
	printf("# ratio: 4k over huge: above 1, the huge mapping is faster\n");
	printf("# kernel %s, transparent_hugepage %s\n", u.release,
	       first_line(thp, sizeof(thp),
			  "/sys/kernel/mm/transparent_hugepage/enabled"));
	fflush(stdout);
	wait_idle(b);
	fd = alloc_pmd_aligned(b, bytes);
	/* Its pages were zero: the worker has nothing to do meanwhile. */
	wait_idle(b);
	for (r = 0; r < NROWS; r++)
		for (m = 0; m < NMAPS; m++)
			v[r][m] = xcalloc(n, sizeof(double));
	/* Warm up: one run of each, not counted. */
	for (m = 0; m < NMAPS; m++)
		hugemap_run(b, fd, bytes, m, run);
	for (i = 0; i < n; i++) {
		for (k = 0; k < NMAPS; k++) {
			m = (i + k) % NMAPS;
			hugemap_run(b, fd, bytes, m, run);
			for (r = 0; r < NROWS; r++)
				v[r][m][i] = run[r];
		}
	}
	close(fd);
	for (r = 0; r < NROWS; r++) {
		for (m = 0; m < NMAPS; m++) {
			summarize(v[r][m], n, &med[r][m], &p90[r][m]);
			free(v[r][m]);
		}
	}
	for (r = 0; r < R_TABLES; r++) {
		print_maps(hugemap_row[r], size, med[r], p90[r]);
		if (r == R_TOTAL)
			printf("  MiB/s huge %.0f 4k %.0f",
			       bytes / (double)MIB / (med[r][HUGE] / 1e9),
			       bytes / (double)MIB / (med[r][SMALL] / 1e9));
		putchar('\n');
	}
	printf("%-18s %-5s huge %+7.0f kB  4k %+7.0f kB  (all in 4 KiB entries: %llu kB)\n",
	       hugemap_row[R_TABLES], size, med[R_TABLES][HUGE],
	       med[R_TABLES][SMALL], pages * 8 / KIB);
	fflush(stdout);
}

/* ---- part 6: debugfs readers ---- */

/* The debugfs files "readers" reads, one after the other. */
static const char * const reader_files[] = { "check", "summary", "chunks" };

/* What the reading process shares with the allocating one (MAP_SHARED). */
struct reader_share {
	int started;
	int stop;
	unsigned long long reads;
	double ns[MAX_READS];
};

/* The @pct-th percentile (nearest rank) of @n sorted samples. */
static double percentile(const double *v, size_t n, unsigned int pct)
{
	size_t r = (n * pct + 99) / 100;

	return v[r ? r - 1 : 0];
}

/* Run on CPU @cpu only. */
static void pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die(RC_SYS, "sched_setaffinity to CPU %d: %s", cpu,
		    strerror(errno));
}

/*
 * The first two CPUs of @set into @a and @b. Return: false when @set has
 * only one.
 */
static int two_cpus(const cpu_set_t *set, int *a, int *b)
{
	int c, n = 0;

	for (c = 0; c < CPU_SETSIZE && n < 2; c++) {
		if (!CPU_ISSET(c, set))
			continue;
		if (n++)
			*b = c;
		else
			*a = c;
	}
	return n == 2;
}

/*
 * The reader: read debugfs file @name whole, over and over, timing each
 * read (open to close), until told to stop. On CPU @cpu, unless it is -1.
 * Exits.
 */
static noreturn void reader_run(const char *name, struct reader_share *sh,
				int cpu)
{
	static char buf[65536];
	unsigned long long t0, i;
	char path[512];
	ssize_t r;
	int fd;

	msg_prefix("%s reader of %s", PROG, name);
	if (cpu >= 0)
		pin_cpu(cpu);
	snprintf(path, sizeof(path), "%s/%s", debugfs_path, name);
	__atomic_store_n(&sh->started, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE)) {
		t0 = now_ns();
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(RC_OPEN, "%s: %s", path, strerror(errno));
		while ((r = read(fd, buf, sizeof(buf))) > 0)
			;
		if (r < 0)
			die(RC_OPEN, "reading %s: %s", path, strerror(errno));
		close(fd);
		i = sh->reads++;
		if (i < MAX_READS)
			sh->ns[i] = now_ns() - t0;
	}
	exit(0);
}

/* @n allocations of one page, each closed at once; each pair timed. */
static void reader_allocs(struct bench *b, double *v, unsigned long long n)
{
	unsigned long long i, t0;

	for (i = 0; i < n; i++) {
		t0 = now_ns();
		close(alloc_fd(b, PP, b->cx.page_size));
		v[i] = now_ns() - t0;
	}
}

/* The allocations' median, p99 and max, as "med T p99 T max T". */
static const char *fmt_lat(char *buf, size_t len, double *v, size_t n)
{
	char t[3][24];

	qsort(v, n, sizeof(*v), cmp_double);
	snprintf(buf, len, "med %9s p99 %9s max %9s",
		 fmt_time(t[0], sizeof(t[0]), percentile(v, n, 50)),
		 fmt_time(t[1], sizeof(t[1]), percentile(v, n, 99)),
		 fmt_time(t[2], sizeof(t[2]), v[n - 1]));
	return buf;
}

/*
 * One row: the allocations alone, then with a process reading debugfs
 * file @name all the while, on CPU @rcpu (-1: anywhere).
 */
static void reader_file(struct bench *b, const char *name, int rcpu)
{
	unsigned long long n = b->o.reader_runs, reads;
	char alone[80], reading[80], t[24];
	struct reader_share *sh;
	double *al[2], med = 0;
	int status, k;
	pid_t pid;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die(RC_SYS, "mmap of %zu bytes: %s", sizeof(*sh),
		    strerror(errno));
	for (k = 0; k < 2; k++)
		al[k] = xcalloc(n, sizeof(double));
	reader_allocs(b, al[0], n);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die(RC_SYS, "fork: %s", strerror(errno));
	if (!pid)
		reader_run(name, sh, rcpu);
	while (!__atomic_load_n(&sh->started, __ATOMIC_ACQUIRE)) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			die(RC_SYS, "the reader of %s exited at once", name);
		sleep_ms(1);
	}
	reader_allocs(b, al[1], n);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die(RC_SYS, "the reader of %s failed", name);
	reads = sh->reads;
	if (reads) {
		k = reads < MAX_READS ? reads : MAX_READS;
		qsort(sh->ns, k, sizeof(double), cmp_double);
		med = percentile(sh->ns, k, 50);
	}
	printf("reader %-7s alone %s  reading %s  file %9s reads %llu\n",
	       name, fmt_lat(alone, sizeof(alone), al[0], n),
	       fmt_lat(reading, sizeof(reading), al[1], n),
	       reads ? fmt_time(t, sizeof(t), med) : "-", reads);
	fflush(stdout);
	for (k = 0; k < 2; k++)
		free(al[k]);
	munmap(sh, sizeof(*sh));
}

static void part_readers(struct bench *b)
{
	int pcpu = -1, rcpu = -1, pinned;
	cpu_set_t saved;
	unsigned int f;

	if (sched_getaffinity(0, sizeof(saved), &saved))
		die(RC_SYS, "sched_getaffinity: %s", strerror(errno));
	pinned = two_cpus(&saved, &pcpu, &rcpu);
	printf("\n== debugfs readers ==\n");
	printf("# %llu allocations of one page, each closed at once\n",
	       b->o.reader_runs);
	printf("# (a sample: alloc and close), alone, then while another\n");
	printf("# process reads a debugfs file whole over and over;\n");
	if (pinned)
		printf("# allocations on CPU %d, the reader on CPU %d\n", pcpu,
		       rcpu);
	else
		printf("# one CPU: the allocations and the reader share it\n");
	printf("# file: median time of one whole read; reads: how many\n");
	fflush(stdout);
	if (pinned)
		pin_cpu(pcpu);
	/* Warm up, as the latency part does. */
	for (f = 0; f < 10; f++)
		close(alloc_fd(b, PP, b->cx.page_size));
	for (f = 0; f < ARRAY_SIZE(reader_files); f++)
		reader_file(b, reader_files[f], pinned ? rcpu : -1);
	if (sched_setaffinity(0, sizeof(saved), &saved))
		die(RC_SYS, "sched_setaffinity: %s", strerror(errno));
}

/* ---- command line ---- */

/* A size: a number with an optional K, M or G suffix, whole pages. */
static unsigned long long parse_size(const char *s, size_t page_size)
{
	char num[32], *end;
	unsigned long long v, mul = 1;
	size_t len = s ? strlen(s) : 0;

	if (!len || len >= sizeof(num))
		die(RC_USAGE, "bad size '%s'", s ? s : "");
	memcpy(num, s, len + 1);
	end = num + len - 1;
	switch (*end) {
	case 'k': case 'K':
		mul = KIB;
		break;
	case 'm': case 'M':
		mul = MIB;
		break;
	case 'g': case 'G':
		mul = 1024 * MIB;
		break;
	}
	if (mul != 1)
		*end = '\0';
	if (parse_ull(num, &v) || !v || v > MAX_SIZE / mul ||
	    (v * mul) % page_size)
		die(RC_USAGE, "bad size '%s': want whole pages of %zu bytes, up to 4G",
		    s, page_size);
	return v * mul;
}

/* A comma-separated list of sizes into @v (at most MAX_SIZES). */
static unsigned int parse_sizes(const char *name, const char *s,
				unsigned long long *v, size_t page_size)
{
	char *copy, *tok, *save = NULL;
	unsigned int n = 0;

	if (!s)
		die(RC_USAGE, "%s needs a value (see --help)", name);
	copy = strdup(s);
	if (!copy)
		die(RC_INTERNAL, "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n == MAX_SIZES)
			die(RC_USAGE, "%s: at most %d sizes", name, MAX_SIZES);
		v[n++] = parse_size(tok, page_size);
	}
	free(copy);
	if (!n)
		die(RC_USAGE, "%s: no sizes in '%s'", name, s);
	return n;
}

static void parse_opts(struct bench *b, int argc, char **argv)
{
	struct opts *o = &b->o;
	size_t ps = b->cx.page_size;
	const char *a, *v;
	int i;

	o->system_path = SYSTEM_HEAP;
	o->nsizes = parse_sizes("--sizes", "4K,64K,1M,16M,64M,256M",
				o->sizes, ps);
	o->ntouch = parse_sizes("--touch-sizes", "64K,1M,16M,64M",
				o->touch_sizes, ps);
	o->runs = 100;
	o->big_runs = 20;
	o->touch_runs = 10;
	o->pause_ms = 20;
	o->idle_ms = 5000;
	o->procs = 4;
	o->proc_ops = 4000;
	o->rounds = 3;
	o->loop_iters = 50;
	o->loop_size = 64 * MIB;
	o->reader_runs = 20000;
	o->hugemap_size = 512 * MIB;
	o->hugemap_runs = 9;
	o->seed = 1;
	for (i = 1; i < argc; i++) {
		a = argv[i];
		v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--system"))
			o->system_path = v;
		else if (!strcmp(a, "--sizes"))
			o->nsizes = parse_sizes(a, v, o->sizes, ps);
		else if (!strcmp(a, "--touch-sizes"))
			o->ntouch = parse_sizes(a, v, o->touch_sizes, ps);
		else if (!strcmp(a, "--runs"))
			o->runs = opt_num(a, v, 1, 1000000);
		else if (!strcmp(a, "--big-runs"))
			o->big_runs = opt_num(a, v, 1, 1000000);
		else if (!strcmp(a, "--touch-runs"))
			o->touch_runs = opt_num(a, v, 1, 1000000);
		else if (!strcmp(a, "--pause"))
			o->pause_ms = opt_num(a, v, 0, 60000);
		else if (!strcmp(a, "--idle-wait"))
			o->idle_ms = opt_num(a, v, 0, 600000);
		else if (!strcmp(a, "--procs"))
			o->procs = opt_num(a, v, 1, 256);
		else if (!strcmp(a, "--proc-ops"))
			o->proc_ops = opt_num(a, v, 1, 100000000);
		else if (!strcmp(a, "--rounds"))
			o->rounds = opt_num(a, v, 1, 1000);
		else if (!strcmp(a, "--loop"))
			o->loop_iters = opt_num(a, v, 1, 1000000);
		else if (!strcmp(a, "--loop-size"))
			o->loop_size = parse_size(v, ps);
		else if (!strcmp(a, "--reader-runs"))
			o->reader_runs = opt_num(a, v, 1, 10000000);
		else if (!strcmp(a, "--hugemap-size"))
			o->hugemap_size = parse_size(v, ps);
		else if (!strcmp(a, "--hugemap-runs"))
			o->hugemap_runs = opt_num(a, v, 1, 1000000);
		else if (!strcmp(a, "--seed"))
			o->seed = opt_num(a, v, 0, ~0ULL / 1000 - 1000);
		else
			die(RC_USAGE, "%s: unknown argument '%s' (see --help)",
			    argv[0], a);
		if (!v)
			die(RC_USAGE, "%s needs a value (see --help)", a);
		i++;
	}
	if (o->proc_ops < o->procs)
		die(RC_USAGE, "--proc-ops %llu: fewer than --procs %llu",
		    o->proc_ops, o->procs);
	if (o->hugemap_size % PMD_BYTES)
		die(RC_USAGE, "--hugemap-size %llu: not a multiple of 2M",
		    o->hugemap_size);
}

/*
 * Open pagepool's heap and /dev/pagepool, and the system heap unless
 * @pool_only; read the options.
 */
static void bench_open(struct bench *b, int argc, char **argv,
		       int pool_only)
{
	memset(b, 0, sizeof(*b));
	/* The options first: a bad one is told without a device. */
	b->cx.page_size = sysconf(_SC_PAGESIZE);
	parse_opts(b, argc, argv);
	ctx_open(&b->cx, 1, 0);
	b->heap[PP] = b->cx.heap;
	b->heap[SYS] = pool_only ? -1 : open_path(b->o.system_path, O_RDWR, 1);
}

static void print_header(const struct bench *b)
{
	struct pagepool_pool_info pi;

	pool_info(b->cx.dev, &pi);
	printf("bench-e2e: pagepool (%s, pool %llu MiB, %llu MiB zeroed)\n",
	       heap_path, (unsigned long long)pi.size / MIB,
	       (unsigned long long)(pi.zeroed_pages * pi.page_size / MIB));
	printf("against the system heap (%s)\n", b->o.system_path);
	printf("ratio: system over pagepool for times, pagepool over system\n");
	printf("for rates: above 1, pagepool is faster\n");
	fflush(stdout);
}

static int finish(struct bench *b)
{
	print_target(b);
	if (b->idle_timeouts)
		printf("note: %u waits for an idle pool gave up after %llu ms (--idle-wait)\n",
		       b->idle_timeouts, b->o.idle_ms);
	return 0;
}

static int cmd_latency(int argc, char **argv)
{
	struct bench b;

	bench_open(&b, argc, argv, 0);
	print_header(&b);
	part_latency(&b);
	return finish(&b);
}

static int cmd_mmap(int argc, char **argv)
{
	struct bench b;

	bench_open(&b, argc, argv, 0);
	print_header(&b);
	part_mmap(&b);
	return finish(&b);
}

static int cmd_procs(int argc, char **argv)
{
	struct bench b;

	bench_open(&b, argc, argv, 0);
	print_header(&b);
	part_procs(&b);
	return finish(&b);
}

static int cmd_loop(int argc, char **argv)
{
	struct bench b;

	bench_open(&b, argc, argv, 0);
	print_header(&b);
	part_loop(&b);
	return finish(&b);
}

static int cmd_all(int argc, char **argv)
{
	struct bench b;

	bench_open(&b, argc, argv, 0);
	print_header(&b);
	part_latency(&b);
	part_mmap(&b);
	part_procs(&b);
	part_loop(&b);
	part_hugemap(&b);
	return finish(&b);
}

static int cmd_hugemap(int argc, char **argv)
{
	struct pagepool_pool_info pi;
	struct bench b;

	bench_open(&b, argc, argv, 1);
	pool_info(b.cx.dev, &pi);
	printf("bench-e2e: pagepool (%s, pool %llu MiB, %llu MiB zeroed)\n",
	       pool_path, (unsigned long long)pi.size / MIB,
	       (unsigned long long)(pi.zeroed_pages * pi.page_size / MIB));
	printf("huge (PMD) mappings of a buffer against 4 KiB ones\n");
	fflush(stdout);
	part_hugemap(&b);
	return finish(&b);
}

static int cmd_readers(int argc, char **argv)
{
	struct pagepool_pool_info pi;
	struct bench b;

	bench_open(&b, argc, argv, 1);
	pool_info(b.cx.dev, &pi);
	printf("bench-e2e: pagepool (%s, pool %llu MiB in %llu chunks,\n",
	       heap_path, (unsigned long long)pi.size / MIB,
	       (unsigned long long)pi.chunks);
	printf("%llu buffers alive, %llu MiB free, largest run %llu MiB)\n",
	       (unsigned long long)pi.allocations,
	       (unsigned long long)(pi.free_pages * pi.page_size / MIB),
	       (unsigned long long)(pi.largest_free * pi.page_size / MIB));
	printf("against its debugfs readers (%s)\n", debugfs_path);
	fflush(stdout);
	part_readers(&b);
	return 0;
}

static const struct tool_cmd cmds[] = {
	{ "all", cmd_all },
	{ "latency", cmd_latency },
	{ "mmap", cmd_mmap },
	{ "procs", cmd_procs },
	{ "loop", cmd_loop },
	{ "hugemap", cmd_hugemap },
	{ "readers", cmd_readers },
};

static const struct tool bench_e2e = {
	.name = PROG,
	.about =
		"Compare pagepool's dma-buf heap with the kernel's system\n"
		"heap, interleaved on one machine. Times are medians (and\n"
		"90th percentiles); ratio is system over pagepool for times\n"
		"and pagepool over system for rates: above 1, pagepool is\n"
		"faster. Allocations of 16M and more wait --pause, then for\n"
		"an idle pool (every free page zeroed), before each run of\n"
		"either heap.",
	.commands =
		"  all [OPTIONS]       the five parts below (not readers), in\n"
		"                      that order, then whether the target\n"
		"                      is met\n"
		"  latency [OPTIONS]   DMA_HEAP_IOCTL_ALLOC, then close(),\n"
		"                      each timed, per size\n"
		"  mmap [OPTIONS]      alloc, mmap, write and read a byte per\n"
		"                      page, munmap, close, per size\n"
		"  procs [OPTIONS]     processes allocating (4K to 4M) and\n"
		"                      freeing at once, in ops/s\n"
		"  loop [OPTIONS]      allocations back to back, each closed\n"
		"                      at once, and the zeroing split between\n"
		"                      pagepool's worker and its allocations\n"
		"                      (debugfs stats)\n"
		"  hugemap [OPTIONS]   pagepool only: a buffer aligned to\n"
		"                      2 MiB (/dev/pagepool), mapped at a\n"
		"                      2 MiB boundary (huge PMD entries) and\n"
		"                      one page past one (4 KiB entries),\n"
		"                      interleaved: mmap, write and read a\n"
		"                      byte per page, munmap, each timed, and\n"
		"                      the PageTables growth\n"
		"  readers [OPTIONS]   pagepool only (no system heap): 1-page\n"
		"                      allocations, each closed at once,\n"
		"                      alone, then while another process\n"
		"                      on another CPU reads debugfs check,\n"
		"                      summary or chunks over and over: their\n"
		"                      median, p99 and max, and the time of\n"
		"                      one read of the file\n"
		"\n"
		"Command options (defaults in brackets):\n"
		"  --system PATH       the system heap (" SYSTEM_HEAP ")\n"
		"  --sizes LIST        latency sizes, K, M or G\n"
		"                      (4K,64K,1M,16M,64M,256M)\n"
		"  --runs N            latency runs per size below 16M (100)\n"
		"  --big-runs N        runs per size from 16M (20)\n"
		"  --pause MS          pause before each run from 16M (20)\n"
		"  --idle-wait MS      then wait up to MS for an idle pool;\n"
		"                      0: do not wait (5000)\n"
		"  --touch-sizes LIST  mmap sizes (64K,1M,16M,64M)\n"
		"  --touch-runs N      mmap runs per size (10)\n"
		"  --procs N           processes at once (4)\n"
		"  --proc-ops N        their allocations and frees, in all\n"
		"                      (4000)\n"
		"  --rounds N          rounds of each heap (3)\n"
		"  --seed S            the processes' sequences (1)\n"
		"  --loop N            sustained allocations (50)\n"
		"  --loop-size SIZE    their size (64M)\n"
		"  --reader-runs N     readers: allocations alone and with\n"
		"                      each file's reader (20000)\n"
		"  --hugemap-size SIZE hugemap's buffer, a multiple of 2M\n"
		"                      (512M)\n"
		"  --hugemap-runs N    hugemap runs of each mapping (9)\n",
	.cmds = cmds,
	.ncmds = ARRAY_SIZE(cmds),
	.last_rc = RC_SYS,
};

/**
 * main() - run one bench-e2e command
 * @argc: argument count
 * @argv: global options, then the command and its options
 *
 * Return: 0 on success, else one of the exit codes --help lists.
 */
int main(int argc, char **argv)
{
	return tool_main(&bench_e2e, argc, argv);
}
