// SPDX-License-Identifier: GPL-2.0
/*
 * pagepoolctl: look at the pagepool module and allocate from it.
 *
 *	info		the pool, from PAGEPOOL_IOC_POOL_INFO
 *	alloc		allocate, map, fill, verify, hold and free buffers
 *	map		a fragmentation map drawn from debugfs "chunks"
 *	check		debugfs "check", and with --idle that nothing is held
 *	pools		the pools the module has: size, node, free pages
 *
 * The global option --pool NAME chooses the pool the other commands use
 * (by default the only one there is).
 * "pagepoolctl --help" lists the options and the exit codes. The tool is
 * built statically so that it runs in a minimal initramfs. The test
 * driver, tools/testing/pagepool-test, shares its library, tools/lib/.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <linux/dma-buf.h>

#include "pagepool-lib.h"

/* ---- info ---- */

static void print_bytes(unsigned long long b)
{
	static const char * const unit[] = { "bytes", "KiB", "MiB", "GiB",
					     "TiB" };
	unsigned int u = 0;
	double v = b;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (!u)
		printf("%llu bytes", b);
	else if (v == (unsigned long long)v)
		printf("%llu %s", (unsigned long long)v, unit[u]);
	else
		printf("%.1f %s", v, unit[u]);
}

static double percent(unsigned long long part, unsigned long long whole)
{
	return whole ? 100.0 * part / whole : 0.0;
}

static int cmd_info(int argc, char **argv)
{
	struct pagepool_pool_info pi;
	int raw = 0, i, dev;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--raw"))
			raw = 1;
		else
			die(RC_USAGE, "info: unknown argument '%s'", argv[i]);
	}
	dev = open_path(pool_path, O_RDWR, 1);
	pool_info(dev, &pi);
	close(dev);
	if (raw) {
		printf("size=%llu\npage_size=%llu\npages=%llu\n",
		       (unsigned long long)pi.size,
		       (unsigned long long)pi.page_size,
		       (unsigned long long)pi.pages);
		printf("free_pages=%llu\nlargest_free=%llu\nchunks=%llu\n",
		       (unsigned long long)pi.free_pages,
		       (unsigned long long)pi.largest_free,
		       (unsigned long long)pi.chunks);
		printf("zeroed_pages=%llu\nallocations=%llu\n",
		       (unsigned long long)pi.zeroed_pages,
		       (unsigned long long)pi.allocations);
		printf("wc_buffers=%llu\nwc_pages=%llu\n",
		       (unsigned long long)pi.wc_buffers,
		       (unsigned long long)pi.wc_pages);
		return 0;
	}
	printf("pool size      ");
	print_bytes(pi.size);
	printf(" (%llu bytes)\n", (unsigned long long)pi.size);
	printf("page size      %llu bytes\n", (unsigned long long)pi.page_size);
	printf("pages          %llu in %llu chunks of %llu\n",
	       (unsigned long long)pi.pages, (unsigned long long)pi.chunks,
	       CHUNK_PAGES);
	printf("free pages     %llu (%.1f%%)\n",
	       (unsigned long long)pi.free_pages,
	       percent(pi.free_pages, pi.pages));
	printf("known zero     %llu (%.1f%% of free)\n",
	       (unsigned long long)pi.zeroed_pages,
	       percent(pi.zeroed_pages, pi.free_pages));
	printf("largest free   %llu pages (",
	       (unsigned long long)pi.largest_free);
	print_bytes(pi.largest_free * pi.page_size);
	printf(")\nallocations    %llu\n", (unsigned long long)pi.allocations);
	printf("write-combined %llu buffers, %llu pages\n",
	       (unsigned long long)pi.wc_buffers,
	       (unsigned long long)pi.wc_pages);
	return 0;
}

/* ---- alloc ---- */

/* A private mapping must be refused: buffers are MAP_SHARED only. */
static void check_no_private(const struct pbuf *b)
{
	void *p = mmap(NULL, b->len, PROT_READ, MAP_PRIVATE, b->fd, 0);

	if (p != MAP_FAILED)
		die(RC_MAP, "a MAP_PRIVATE mapping of the buffer was allowed");
}

static int cmd_alloc(int argc, char **argv)
{
	unsigned long long pages = 0, count = 1, hold = 0, fill = 0, align = 0;
	int use_heap = 0, do_fill = 0, map_only = 0, no_private = 0, wc = 0;
	unsigned long long i;
	struct pbuf *bufs;
	struct ctx cx;
	size_t bad;
	int a, err;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--fill")) {
			fill = opt_num("--fill", argv[++a], 0, 255);
			do_fill = 1;
		} else if (!strcmp(argv[a], "--hold")) {
			hold = opt_num("--hold", argv[++a], 0, 86400);
		} else if (!strcmp(argv[a], "--count")) {
			count = opt_num("--count", argv[++a], 1, 100000);
		} else if (!strcmp(argv[a], "--align")) {
			align = opt_num("--align", argv[++a], 0, 1ULL << 35);
		} else if (!strcmp(argv[a], "--wc")) {
			wc = 1;
		} else if (!strcmp(argv[a], "--heap")) {
			use_heap = 1;
		} else if (!strcmp(argv[a], "--map-only")) {
			map_only = 1;
		} else if (!strcmp(argv[a], "--no-private")) {
			no_private = 1;
		} else if (argv[a][0] == '-' || pages) {
			die(RC_USAGE, "alloc: unknown argument '%s'", argv[a]);
		} else {
			pages = opt_num("alloc PAGES", argv[a], 1, ~0ULL);
		}
	}
	if (!pages)
		die(RC_USAGE, "alloc: how many pages? (see --help)");
	if (use_heap && (align || wc))
		die(RC_USAGE, "alloc: --%s needs /dev/pagepool, not --heap",
		    align ? "align" : "wc");
	ctx_open(&cx, use_heap, use_heap);
	bufs = xcalloc(count, sizeof(*bufs));
	for (i = 0; i < count; i++) {
		struct pbuf *b = &bufs[i];

		if (use_heap)
			err = heap_alloc(cx.heap, pages, cx.page_size, b);
		else
			err = pool_alloc_aligned(cx.dev, pages, align,
						 wc ? PAGEPOOL_ALLOC_WRITECOMBINE :
						 0, O_RDWR | O_CLOEXEC, b);
		if (err == -ENOMEM)
			die(RC_NOMEM, "no room in the pool for %llu pages",
			    pages);
		if (err)
			die(RC_IOCTL, "allocating %llu pages through %s: %s",
			    pages, use_heap ? heap_path : pool_path,
			    strerror(-err));
		if (cx.dev >= 0) {
			err = buffer_info(cx.dev, b);
			if (err)
				die(RC_IOCTL, "PAGEPOOL_IOC_BUFFER_INFO: %s",
				    strerror(-err));
		}
		print_buffer(b);
		buf_map(b, cx.page_size);
		if (no_private)
			check_no_private(b);
		buf_sync(b, DMA_BUF_SYNC_START);
		bad = find_not(b->map, b->len, 0);
		if (bad < b->len)
			die(RC_DATA, "new buffer not zero: byte %zu is 0x%02x",
			    bad, b->map[bad]);
		if (do_fill) {
			memset(b->map, (int)fill, b->len);
			bad = find_not(b->map, b->len, (unsigned char)fill);
			if (bad < b->len)
				die(RC_DATA, "byte %zu reads 0x%02x after filling with 0x%02llx",
				    bad, b->map[bad], fill);
		}
		buf_sync(b, DMA_BUF_SYNC_END);
		if (map_only) {
			close(b->fd);
			b->fd = -1;
		}
	}
	printf("verified %llu buffer%s: zero on allocation", count,
	       count == 1 ? "" : "s");
	if (do_fill)
		printf(", then 0x%02llx", fill);
	printf("\n");
	if (hold) {
		printf("holding for %llu s%s\n", hold,
		       map_only ? " (mappings only)" : "");
		fflush(stdout);
		sleep_ms(hold * 1000);
	}
	for (i = 0; i < count; i++) {
		struct pbuf *b = &bufs[i];

		if (do_fill && b->fd >= 0) {
			buf_sync(b, DMA_BUF_SYNC_START);
			bad = find_not(b->map, b->len, (unsigned char)fill);
			if (bad < b->len)
				die(RC_DATA, "byte %zu changed to 0x%02x while held",
				    bad, b->map[bad]);
			buf_sync(b, DMA_BUF_SYNC_END);
		}
		buf_release(b);
	}
	printf("freed\n");
	free(bufs);
	return 0;
}

/* ---- map ---- */

struct run {
	unsigned long long start;
	unsigned long long len;
};

struct chunkmap {
	unsigned long long nchunks;
	unsigned long long *used;
	unsigned long long *scav;
	struct run *runs;
	size_t nruns;
	size_t runs_cap;
};

/* Parse "a+n" into @r; -1 when it is not that. */
static int parse_run(const char *tok, struct run *r)
{
	char *end;

	if (*tok < '0' || *tok > '9')
		return -1;
	r->start = strtoull(tok, &end, 10);
	if (*end != '+' || end[1] < '0' || end[1] > '9')
		return -1;
	r->len = strtoull(end + 1, &end, 10);
	return *end ? -1 : 0;
}

static void chunkmap_grow(struct chunkmap *m, unsigned long long c)
{
	unsigned long long i;

	if (c < m->nchunks)
		return;
	m->used = xrealloc(m->used, c + 1, sizeof(*m->used));
	m->scav = xrealloc(m->scav, c + 1, sizeof(*m->scav));
	for (i = m->nchunks; i <= c; i++) {
		m->used[i] = 0;
		m->scav[i] = 0;
	}
	m->nchunks = c + 1;
}

/*
 * Parse debugfs "chunks": "chunk C used a+n ... scav a+n ..." lines.
 * Unknown words are skipped, so that later additions do not break it.
 */
static void chunkmap_parse(struct chunkmap *m, char *text, const char *src)
{
	char *line, *save_line, *tok, *save_tok;
	unsigned long long c, lineno = 0;
	struct run r;
	int kind;

	memset(m, 0, sizeof(*m));
	for (line = strtok_r(text, "\n", &save_line); line;
	     line = strtok_r(NULL, "\n", &save_line)) {
		lineno++;
		tok = strtok_r(line, " \t", &save_tok);
		if (!tok || strcmp(tok, "chunk"))
			continue;
		tok = strtok_r(NULL, " \t", &save_tok);
		if (!tok || parse_ull(tok, &c) || c > (1ULL << 32))
			die(RC_POOL, "%s line %llu: bad chunk number", src,
			    lineno);
		chunkmap_grow(m, c);
		kind = 0;
		while ((tok = strtok_r(NULL, " \t", &save_tok))) {
			if (!strcmp(tok, "used")) {
				kind = 1;
				continue;
			}
			if (!strcmp(tok, "scav")) {
				kind = 2;
				continue;
			}
			if (!kind || parse_run(tok, &r))
				continue;
			if (kind == 2) {
				m->scav[c] += r.len;
				continue;
			}
			m->used[c] += r.len;
			if (m->nruns == m->runs_cap) {
				m->runs_cap = m->runs_cap ? 2 * m->runs_cap
							  : 256;
				m->runs = xrealloc(m->runs, m->runs_cap,
						   sizeof(*m->runs));
			}
			m->runs[m->nruns++] = r;
		}
	}
	if (!m->nchunks)
		die(RC_POOL, "%s: no chunk lines", src);
}

static int run_cmp(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static char map_char(unsigned long long used, unsigned long long scav,
		     unsigned long long total)
{
	unsigned long long tenths;

	if (used >= total)
		return '#';
	if (!used)
		return scav >= total ? '.' : ':';
	tenths = used * 10 / total;
	if (tenths < 1)
		tenths = 1;
	if (tenths > 9)
		tenths = 9;
	return '0' + tenths;
}

static int cmd_map(int argc, char **argv)
{
	unsigned long long width = 64, group = 0, pages, used = 0, scav = 0;
	unsigned long long c, g, col, cur, gap, largest = 0, nfree = 0;
	const char *file = NULL;
	char path[512];
	struct chunkmap m;
	char *text;
	size_t i;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--width"))
			width = opt_num("--width", argv[++a], 8, 200);
		else if (!strcmp(argv[a], "--group"))
			group = opt_num("--group", argv[++a], 1, 1ULL << 32);
		else if (!strcmp(argv[a], "--file") && a + 1 < argc)
			file = argv[++a];
		else
			die(RC_USAGE, "map: unknown argument '%s'", argv[a]);
	}
	if (!file) {
		snprintf(path, sizeof(path), "%s/chunks", debugfs_path);
		file = path;
	}
	text = read_file(file, 1);
	chunkmap_parse(&m, text, file);
	free(text);
	pages = m.nchunks * CHUNK_PAGES;
	/* By default at most 32 lines: a power of two chunks a character. */
	if (!group)
		for (group = 1; (m.nchunks + group - 1) / group > 32 * width;)
			group *= 2;

	printf("pagepool map: %llu chunks of %llu pages; a character: %llu pages\n",
	       m.nchunks, CHUNK_PAGES, group * CHUNK_PAGES);
	cur = (m.nchunks + group - 1) / group;
	printf("%12s  ", "page");
	for (col = 0; col < width && col < cur; col++)
		putchar(col % 8 ? ' ' : '|');
	putchar('\n');
	col = 0;
	for (c = 0; c < m.nchunks; c += group) {
		unsigned long long u = 0, s = 0, n = 0;

		for (g = c; g < c + group && g < m.nchunks; g++, n++) {
			u += m.used[g];
			s += m.scav[g];
		}
		if (!col)
			printf("%12llu  ", c * CHUNK_PAGES);
		putchar(map_char(u, s, n * CHUNK_PAGES));
		if (++col == width) {
			putchar('\n');
			col = 0;
		}
		used += u;
		scav += s;
	}
	if (col)
		putchar('\n');

	qsort(m.runs, m.nruns, sizeof(*m.runs), run_cmp);
	cur = 0;
	for (i = 0; i <= m.nruns; i++) {
		unsigned long long next = i < m.nruns ? m.runs[i].start : pages;

		gap = next > cur ? next - cur : 0;
		if (gap) {
			nfree++;
			if (gap > largest)
				largest = gap;
		}
		if (i < m.nruns && m.runs[i].start + m.runs[i].len > cur)
			cur = m.runs[i].start + m.runs[i].len;
	}

	printf("\nlegend: '.' free, zero  ':' free, some dirty  '#' allocated\n");
	printf("        '1'..'9' partly allocated, in tenths\n");
	printf("pages:  %llu, allocated %llu (%.1f%%)\n", pages, used,
	       percent(used, pages));
	printf("free:   %llu (zero %llu, dirty %llu)\n", pages - used, scav,
	       pages - used - scav);
	printf("runs:   %llu free run%s, largest %llu pages\n", nfree,
	       nfree == 1 ? "" : "s", largest);
	free(m.used);
	free(m.scav);
	free(m.runs);
	return 0;
}

/* ---- check ---- */

static int cmd_check(int argc, char **argv)
{
	int idle = 0, dev, rc, a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--idle"))
			idle = 1;
		else
			die(RC_USAGE, "check: unknown argument '%s'", argv[a]);
	}
	dev = open_path(pool_path, O_RDWR, 1);
	rc = pool_check(dev, idle);
	close(dev);
	if (!rc)
		printf("ok%s\n", idle ? ": pool whole, no buffer alive" : "");
	return rc;
}

/* ---- pools ---- */

/* One pool's line of "pools"; UNKNOWN for what could not be learnt. */
struct pool_row {
	unsigned long long size;
	unsigned long long free_pages;
	unsigned long long largest_free;
	char node[24];
};

/* /sys/kernel/pagepool/NAME/KEY's first line, to be freed; or NULL. */
static char *sysfs_text(const char *name, const char *key)
{
	char path[PATH_MAX], *text;

	snprintf(path, sizeof(path), "%s/%s/%s", SYSFS_DIR, name, key);
	text = read_file(path, 0);
	if (text)
		text[strcspn(text, "\n")] = '\0';
	return text;
}

/* /sys/kernel/pagepool/NAME/KEY as a number; UNKNOWN when it is not one. */
static unsigned long long sysfs_num(const char *name, const char *key)
{
	unsigned long long v;
	char *text = sysfs_text(name, key);

	if (!text || parse_ull(text, &v))
		v = UNKNOWN;
	free(text);
	return v;
}

/*
 * What "pools" says of pool @name: from sysfs when it has it, else from
 * PAGEPOOL_IOC_POOL_INFO on its device; the node only from sysfs.
 * Return: 0, or -1 (with a message) when neither could tell.
 */
static int pool_row(const char *name, struct pool_row *r)
{
	struct pagepool_pool_info pi;
	unsigned long long node;
	char path[PATH_MAX], *text;
	int dev;

	r->size = sysfs_num(name, "size");
	r->free_pages = sysfs_num(name, "free_pages");
	r->largest_free = sysfs_num(name, "largest_free");
	/* A number, or -1 should sysfs say so for no node. */
	text = sysfs_text(name, "node");
	if (text && (!parse_ull(text, &node) || !strcmp(text, "-1")))
		snprintf(r->node, sizeof(r->node), "%s", text);
	else
		snprintf(r->node, sizeof(r->node), "-");
	free(text);
	if (r->size != UNKNOWN && r->free_pages != UNKNOWN &&
	    r->largest_free != UNKNOWN)
		return 0;
	pool_dev_path(name, path, sizeof(path));
	dev = open_path(path, O_RDWR, 0);
	if (dev < 0) {
		warnx("pool %s: no figures in %s/%s and cannot open %s: %s",
		      name, SYSFS_DIR, name, path, strerror(errno));
		return -1;
	}
	memset(&pi, 0, sizeof(pi));
	if (ioctl(dev, PAGEPOOL_IOC_POOL_INFO, &pi) < 0) {
		warnx("PAGEPOOL_IOC_POOL_INFO on %s: %s", path,
		      strerror(errno));
		close(dev);
		return -1;
	}
	close(dev);
	r->size = pi.size;
	r->free_pages = pi.free_pages;
	r->largest_free = pi.largest_free;
	return 0;
}

/* A size as the load parameters write it: 32M, 1G; else in bytes. */
static void size_text(unsigned long long b, char *buf, size_t len)
{
	if (b == UNKNOWN)
		snprintf(buf, len, "-");
	else if (b && !(b % (1ULL << 30)))
		snprintf(buf, len, "%lluG", b >> 30);
	else if (b && !(b % (1ULL << 20)))
		snprintf(buf, len, "%lluM", b >> 20);
	else if (b && !(b % (1ULL << 10)))
		snprintf(buf, len, "%lluK", b >> 10);
	else
		snprintf(buf, len, "%llu", b);
}

static void num_text(unsigned long long v, char *buf, size_t len)
{
	if (v == UNKNOWN)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%llu", v);
}

static int cmd_pools(int argc, char **argv)
{
	char **names, size[32], free_pages[32], largest[32];
	int width = 4, rc = 0;
	struct pool_row r;
	size_t n, i;

	if (argc > 1)
		die(RC_USAGE, "pools: unknown argument '%s'", argv[1]);
	n = pool_list(&names);
	if (!n)
		die(RC_OPEN, "no pools in %s, %s or /dev (is pagepool.ko loaded?)",
		    SYSFS_DIR, DEBUGFS_DIR);
	for (i = 0; i < n; i++)
		if ((int)strlen(names[i]) > width)
			width = strlen(names[i]);
	printf("%-*s %8s %5s %12s %12s\n", width, "NAME", "SIZE", "NODE",
	       "FREE_PAGES", "LARGEST_FREE");
	for (i = 0; i < n; i++) {
		/* With --pool, that pool's line only. */
		if (pool_name && strcmp(names[i], pool_name))
			continue;
		memset(&r, 0, sizeof(r));
		if (pool_row(names[i], &r))
			rc = RC_OPEN;
		size_text(r.size, size, sizeof(size));
		num_text(r.free_pages, free_pages, sizeof(free_pages));
		num_text(r.largest_free, largest, sizeof(largest));
		printf("%-*s %8s %5s %12s %12s\n", width, names[i], size,
		       r.node, free_pages, largest);
	}
	pool_list_free(names, n);
	return rc;
}

/* ---- owners ---- */

/* One line of debugfs owners: "PID COMM UID BUFFERS PAGES". */
struct owner_line {
	long long pid;
	char comm[32];
	unsigned long long uid, buffers, pages;
};

static int cmp_owner(const void *a, const void *b)
{
	const struct owner_line *x = a, *y = b;

	if (x->pages != y->pages)
		return x->pages < y->pages ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int cmd_owners(int argc, char **argv)
{
	struct owner_line *v = NULL;
	char path[PATH_MAX], *text, *line, *save;
	size_t n = 0, cap = 0, i;

	if (argc > 1)
		die(RC_USAGE, "owners: unknown argument '%s'", argv[1]);
	snprintf(path, sizeof(path), "%s/owners", debugfs_path);
	text = read_file(path, 1);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap, sizeof(*v));
		}
		if (sscanf(line, "%lld %31s %llu %llu %llu", &v[n].pid,
			   v[n].comm, &v[n].uid, &v[n].buffers,
			   &v[n].pages) != 5)
			die(RC_POOL, "%s: malformed line '%s'", path, line);
		n++;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_owner);
	printf("%8s %-16s %8s %8s %12s\n", "PID", "COMMAND", "UID",
	       "BUFFERS", "PAGES");
	for (i = 0; i < n; i++)
		printf("%8lld %-16s %8llu %8llu %12llu\n", v[i].pid,
		       v[i].comm, v[i].uid, v[i].buffers, v[i].pages);
	free(v);
	free(text);
	return 0;
}

static const struct tool_cmd cmds[] = {
	{ "owners", cmd_owners },
	{ "info", cmd_info },
	{ "alloc", cmd_alloc },
	{ "map", cmd_map },
	{ "check", cmd_check },
	{ "pools", cmd_pools },
};

static const struct tool pagepoolctl = {
	.name = "pagepoolctl",
	.about = "Look at the pagepool module and allocate from it.",
	.commands =
		"  info [--raw]        the pool (--raw: key=value lines)\n"
		"  alloc PAGES [--fill BYTE] [--hold SECONDS] [--heap]\n"
		"        [--count N] [--map-only] [--no-private]\n"
		"        [--align PAGES] [--wc]\n"
		"                      allocate PAGES pages (--heap: through\n"
		"                      the dma-buf heap; --align: at a\n"
		"                      physical address that is a multiple of\n"
		"                      PAGES pages; --wc: write-combined),\n"
		"                      print where they\n"
		"                      are, map them, check they are zero,\n"
		"                      fill and verify, hold, free; --count\n"
		"                      makes N buffers, --map-only keeps only\n"
		"                      the mappings while holding,\n"
		"                      --no-private checks MAP_PRIVATE fails\n"
		"  map [--width N] [--group N] [--file PATH]\n"
		"                      fragmentation map from debugfs chunks:\n"
		"                      '.' free and zero, ':' free and some\n"
		"                      dirty, '#' all allocated, '1'..'9'\n"
		"                      tenths allocated\n"
		"  check [--idle]      debugfs check is ok; --idle: and the\n"
		"                      pool is whole with no buffer alive\n"
		"  owners              who holds the pool's buffers: one line\n"
		"                      a process (pid, command, uid, buffers,\n"
		"                      pages), most pages first (debugfs)\n"
		"  pools               list the pools, after a header line:\n"
		"                      name, size, NUMA node ('-' when\n"
		"                      unknown), free pages and largest free\n"
		"                      run in pages (from " SYSFS_DIR ",\n"
		"                      else each pool's device); with\n"
		"                      --pool, that pool only\n",
	.cmds = cmds,
	.ncmds = ARRAY_SIZE(cmds),
	.last_rc = RC_SYS,
	.bad_input = NULL,
	.poolless = "pools",
};

/**
 * main() - run one pagepoolctl command
 * @argc: argument count
 * @argv: global options, then the command and its arguments
 *
 * Return: 0 on success, else one of the exit codes --help lists.
 */
int main(int argc, char **argv)
{
	return tool_main(&pagepoolctl, argc, argv);
}
