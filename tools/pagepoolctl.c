// SPDX-License-Identifier: GPL-2.0
/*
 * pagepoolctl: look at and exercise the pagepool module from userspace.
 *
 *	info		the pool, from PAGEPOOL_IOC_POOL_INFO
 *	alloc		allocate, map, fill, verify, hold and free buffers
 *	map		a fragmentation map drawn from debugfs "chunks"
 *	replay		run "alloc N" / "free P N" lines through /dev/pagepool
 *	stress		processes that allocate, share buffers over unix
 *			sockets and free them, then check the pool is whole
 *	import		import a buffer into vgem and check its lifetime
 *	abi		the ioctls' error cases
 *	check		debugfs "check", and with --idle that nothing is held
 *
 * "pagepoolctl --help" lists the options and the exit codes. The tool is
 * built statically so that it runs in a minimal initramfs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/pagepool.h>

#define PROG		"pagepoolctl"
#define POOL_DEV	"/dev/pagepool"
#define HEAP_DEV	"/dev/dma_heap/pagepool"
#define DEBUGFS_DIR	"/sys/kernel/debug/pagepool"
#define BGZERO_PARAM	"/sys/module/pagepool/parameters/bgzero"
#define CHUNK_PAGES	512ULL
#define UNKNOWN		(~0ULL)
#define GOLDEN		0x9e3779b97f4a7c15ULL
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* How long the pool may take to become whole after the last close. */
#define SETTLE_MS	30000

/* Exit codes; print_usage() documents them. */
enum {
	RC_OK = 0,
	RC_INTERNAL = 1,	/* the tool itself ran out of memory */
	RC_USAGE = 2,		/* bad arguments, or a malformed replay line */
	RC_OPEN = 3,		/* a device or debugfs file cannot be opened */
	RC_IOCTL = 4,		/* an ioctl failed (not for lack of room) */
	RC_NOMEM = 5,		/* the pool has no room for the allocation */
	RC_MAP = 6,		/* mmap or DMA_BUF_IOCTL_SYNC failed */
	RC_DATA = 7,		/* a buffer did not hold the expected bytes */
	RC_POOL = 8,		/* the pool is not whole, or check is not ok */
	RC_SYS = 9,		/* fork, socket and other system calls */
	RC_IMPORT = 10,		/* import into vgem failed or misbehaved */
	RC_ABI = 11,		/* an ioctl error case answered wrongly */
	RC_CRASH = 12,		/* a stress process died of a signal */
	RC_TIMEOUT = 13,	/* stress did not finish in time */
};

/*
 * The DRM ioctls the vgem import uses, laid out as in <drm/drm.h>, which
 * Debian's linux-libc-dev does not ship. They are fixed ABI.
 */
struct drm_version_arg {
	int version_major;
	int version_minor;
	int version_patchlevel;
	size_t name_len;
	char *name;
	size_t date_len;
	char *date;
	size_t desc_len;
	char *desc;
};

struct drm_gem_close_arg {
	__u32 handle;
	__u32 pad;
};

struct drm_prime_handle_arg {
	__u32 handle;
	__u32 flags;
	__s32 fd;
};

#define DRM_VERSION_IOC	_IOWR('d', 0x00, struct drm_version_arg)
#define DRM_GEM_CLOSE_IOC	_IOW('d', 0x09, struct drm_gem_close_arg)
#define DRM_HANDLE_TO_FD_IOC	_IOWR('d', 0x2d, struct drm_prime_handle_arg)
#define DRM_FD_TO_HANDLE_IOC	_IOWR('d', 0x2e, struct drm_prime_handle_arg)

/* Where the devices and debugfs are; the global options change them. */
static const char *pool_path = POOL_DEV;
static const char *heap_path = HEAP_DEV;
static const char *debugfs_path = DEBUGFS_DIR;

/* Prefix of every message: the program, or a stress process. */
static char who[48] = PROG;

/* The open devices (-1 when not open) and the pool's page size. */
struct ctx {
	int dev;
	int heap;
	size_t page_size;
};

/* One buffer: a dma-buf fd (or -1 once closed) and its mapping. */
struct pbuf {
	int fd;
	int heap;
	unsigned char *map;
	size_t len;
	unsigned long long pages;
	unsigned long long offset;
	unsigned long long clean;
	unsigned long long phys;
	unsigned long long tag;
};

static void vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", who);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

static noreturn void die(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(rc);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die(RC_INTERNAL, "out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		die(RC_INTERNAL, "out of memory");
	p = realloc(p, n && size ? n * size : 1);
	if (!p)
		die(RC_INTERNAL, "out of memory");
	return p;
}

/* Parse a whole number (decimal, 0x hex or 0 octal); no sign, no junk. */
static int parse_ull(const char *s, unsigned long long *val)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*val = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	return 0;
}

/* Parse option @name's value @s, which must lie in [@min, @max]. */
static unsigned long long opt_num(const char *name, const char *s,
				  unsigned long long min,
				  unsigned long long max)
{
	unsigned long long v;

	if (!s)
		die(RC_USAGE, "%s needs a value (see --help)", name);
	if (parse_ull(s, &v) || v < min || v > max)
		die(RC_USAGE, "bad value '%s' for %s: expected %llu to %llu",
		    s, name, min, max);
	return v;
}

static int open_path(const char *path, int flags, int must)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0 && must)
		die(RC_OPEN, "cannot open %s: %s%s", path, strerror(errno),
		    errno == ENOENT ? " (is pagepool.ko loaded?)" : "");
	return fd;
}

static void pool_info(int dev, struct pagepool_pool_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	if (ioctl(dev, PAGEPOOL_IOC_POOL_INFO, pi) < 0)
		die(RC_IOCTL, "PAGEPOOL_IOC_POOL_INFO on %s: %s", pool_path,
		    strerror(errno));
}

/*
 * Open /dev/pagepool (needed unless @heap_only allows it to be missing)
 * and, when @want_heap, the heap device; learn the page size.
 */
static void ctx_open(struct ctx *cx, int want_heap, int heap_only)
{
	struct pagepool_pool_info pi;

	cx->page_size = sysconf(_SC_PAGESIZE);
	cx->dev = open_path(pool_path, O_RDWR, !heap_only);
	cx->heap = want_heap ? open_path(heap_path, O_RDWR, 1) : -1;
	if (cx->dev < 0) {
		warnx("cannot open %s (%s): no buffer information",
		      pool_path, strerror(errno));
		return;
	}
	pool_info(cx->dev, &pi);
	if (pi.page_size != cx->page_size)
		die(RC_POOL, "pool page size %llu is not the CPU page size %zu",
		    (unsigned long long)pi.page_size, cx->page_size);
}

/* Allocate @pages from /dev/pagepool; 0 or a negative errno. */
static int pool_alloc(int dev, unsigned long long pages, __u32 fd_flags,
		      struct pbuf *b)
{
	struct pagepool_alloc a;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	memset(&a, 0, sizeof(a));
	a.pages = pages;
	a.fd_flags = fd_flags;
	if (ioctl(dev, PAGEPOOL_IOC_ALLOC, &a) < 0)
		return -errno;
	b->fd = (int)a.fd;
	b->pages = pages;
	b->offset = a.offset;
	b->clean = a.clean_pages;
	b->phys = UNKNOWN;
	return 0;
}

/* Allocate @pages pages through the dma-buf heap; 0 or a negative errno. */
static int heap_alloc(int heap, unsigned long long pages, size_t page_size,
		      struct pbuf *b)
{
	struct dma_heap_allocation_data d;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	if (pages > (~0ULL) / page_size)
		return -EOVERFLOW;
	memset(&d, 0, sizeof(d));
	d.len = pages * page_size;
	d.fd_flags = O_RDWR | O_CLOEXEC;
	if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d) < 0)
		return -errno;
	b->fd = (int)d.fd;
	b->heap = 1;
	b->pages = pages;
	b->offset = UNKNOWN;
	b->clean = UNKNOWN;
	b->phys = UNKNOWN;
	return 0;
}

/* Fill in @b's place in the pool; 0 or a negative errno. */
static int buffer_info(int dev, struct pbuf *b)
{
	struct pagepool_buffer_info bi;

	memset(&bi, 0, sizeof(bi));
	bi.fd = b->fd;
	if (ioctl(dev, PAGEPOOL_IOC_BUFFER_INFO, &bi) < 0)
		return -errno;
	if (bi.pages != b->pages)
		die(RC_POOL, "buffer info says %llu pages, allocated %llu",
		    (unsigned long long)bi.pages, b->pages);
	if (b->offset != UNKNOWN && bi.offset != b->offset)
		die(RC_POOL, "buffer info says offset %llu, allocation said %llu",
		    (unsigned long long)bi.offset, b->offset);
	b->offset = bi.offset;
	b->phys = bi.phys;
	return 0;
}

static void buf_map(struct pbuf *b, size_t page_size)
{
	void *p;

	b->len = b->pages * page_size;
	p = mmap(NULL, b->len, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	if (p == MAP_FAILED)
		die(RC_MAP, "mmap of %llu pages (MAP_SHARED): %s", b->pages,
		    strerror(errno));
	b->map = p;
}

static void buf_sync(const struct pbuf *b, __u64 flags)
{
	struct dma_buf_sync s;
	int ret;

	memset(&s, 0, sizeof(s));
	s.flags = flags | DMA_BUF_SYNC_RW;
	do {
		ret = ioctl(b->fd, DMA_BUF_IOCTL_SYNC, &s);
	} while (ret < 0 && (errno == EINTR || errno == EAGAIN));
	if (ret < 0)
		die(RC_MAP, "DMA_BUF_IOCTL_SYNC %s: %s",
		    flags & DMA_BUF_SYNC_END ? "end" : "start",
		    strerror(errno));
}

static void buf_release(struct pbuf *b)
{
	if (b->map && munmap(b->map, b->len))
		die(RC_MAP, "munmap: %s", strerror(errno));
	b->map = NULL;
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}

/* Index of the first byte of @p[0, @len) that is not @val, or @len. */
static size_t find_not(const unsigned char *p, size_t len, unsigned char val)
{
	unsigned long long word = val * 0x0101010101010101ULL;
	size_t i = 0;

	for (; i + 8 <= len; i += 8)
		if (*(const unsigned long long *)(p + i) != word)
			break;
	for (; i < len; i++)
		if (p[i] != val)
			break;
	return i;
}

static unsigned long long pattern_word(unsigned long long tag, size_t k)
{
	return tag ^ (k * GOLDEN) ^ (k << 40);
}

static void pattern_fill(struct pbuf *b)
{
	unsigned long long *w = (unsigned long long *)b->map;
	size_t k;

	for (k = 0; k < b->len / 8; k++)
		w[k] = pattern_word(b->tag, k);
}

/* Byte offset of the first word that breaks @b's pattern, or @b->len. */
static size_t pattern_check(const struct pbuf *b)
{
	const unsigned long long *w = (const unsigned long long *)b->map;
	size_t k;

	for (k = 0; k < b->len / 8; k++)
		if (w[k] != pattern_word(b->tag, k))
			return k * 8;
	return b->len;
}

static char *read_file(const char *path, int must)
{
	size_t cap = 8192, n = 0;
	char *buf = xcalloc(cap, 1);
	ssize_t got;
	int fd = open_path(path, O_RDONLY, must);

	if (fd < 0) {
		free(buf);
		return NULL;
	}
	for (;;) {
		if (cap - n < 4096) {
			cap *= 2;
			buf = xrealloc(buf, cap, 1);
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			die(RC_OPEN, "cannot read %s: %s", path,
			    strerror(errno));
		if (!got)
			break;
		n += got;
	}
	close(fd);
	buf[n] = '\0';
	return buf;
}

static char *debugfs_file(const char *name, int must)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", debugfs_path, name);
	return read_file(path, must);
}

/* Value of "key value" line @key of debugfs "stats", or UNKNOWN. */
static unsigned long long stats_value(const char *stats, const char *key)
{
	size_t klen = strlen(key);
	const char *s = stats;

	while (s && *s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!strncmp(s, key, klen) && (s[klen] == ' ' ||
					       s[klen] == '\t' ||
					       s[klen] == '='))
			return strtoull(s + klen + 1, NULL, 0);
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	return UNKNOWN;
}

/* Whether the loaded module zeroes in the background (bgzero=1). */
static int bgzero_on(void)
{
	char *v = read_file(BGZERO_PARAM, 0);
	int on = !v || v[0] == 'Y' || v[0] == 'y' || v[0] == '1';

	free(v);
	return on;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Check debugfs "check" says ok and, with @idle, that the pool is whole
 * and no buffer is alive (waiting up to SETTLE_MS for releases to land).
 * Returns 0, or RC_POOL / RC_OPEN after printing why.
 */
static int pool_check(int dev, int idle)
{
	struct pagepool_pool_info pi;
	unsigned int waited = 0;
	char *text, *nl, *stats;
	unsigned long long alive, bytes;
	int whole, bg = bgzero_on();

	for (;;) {
		pool_info(dev, &pi);
		stats = debugfs_file("stats", 1);
		alive = stats_value(stats, "allocations_alive");
		bytes = stats_value(stats, "bytes_alive");
		free(stats);
		whole = pi.free_pages == pi.pages && !pi.allocations &&
			!alive && !bytes;
		if (!idle || (whole && (pi.largest_free == pi.pages || bg)) ||
		    waited >= SETTLE_MS)
			break;
		sleep_ms(50);
		waited += 50;
	}
	text = debugfs_file("check", 1);
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	if (strcmp(text, "ok")) {
		warnx("debugfs check: %s", text[0] ? text : "(empty)");
		free(text);
		return RC_POOL;
	}
	free(text);
	if (!idle)
		return 0;
	if (pi.free_pages != pi.pages || pi.allocations || alive || bytes) {
		warnx("pool not whole: %llu of %llu pages free, %llu buffers",
		      (unsigned long long)pi.free_pages,
		      (unsigned long long)pi.pages,
		      (unsigned long long)pi.allocations);
		warnx("debugfs stats: allocations_alive %llu, bytes_alive %llu",
		      alive, bytes);
		return RC_POOL;
	}
	/*
	 * The background zeroer holds up to 1 MiB of free pages out of the
	 * allocator while it zeroes them: free_pages counts them, the largest
	 * run may not. Without it the largest run must be the whole pool.
	 */
	if (pi.zeroed_pages > pi.free_pages ||
	    (pi.largest_free != pi.pages && !bg)) {
		warnx("idle pool: %llu zeroed of %llu free, largest run %llu",
		      (unsigned long long)pi.zeroed_pages,
		      (unsigned long long)pi.free_pages,
		      (unsigned long long)pi.largest_free);
		return RC_POOL;
	}
	return 0;
}

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
	return 0;
}

/* ---- alloc ---- */

static void print_buffer(const struct pbuf *b)
{
	printf("offset=%llu pages=%llu", b->offset, b->pages);
	if (b->clean != UNKNOWN)
		printf(" clean_pages=%llu", b->clean);
	if (b->phys != UNKNOWN && b->phys)
		printf(" phys=0x%llx", b->phys);
	printf(" device=%s\n", b->heap ? heap_path : pool_path);
}

/* A private mapping must be refused: buffers are MAP_SHARED only. */
static void check_no_private(const struct pbuf *b)
{
	void *p = mmap(NULL, b->len, PROT_READ, MAP_PRIVATE, b->fd, 0);

	if (p != MAP_FAILED)
		die(RC_MAP, "a MAP_PRIVATE mapping of the buffer was allowed");
}

static int cmd_alloc(int argc, char **argv)
{
	unsigned long long pages = 0, count = 1, hold = 0, fill = 0;
	int use_heap = 0, do_fill = 0, map_only = 0, no_private = 0;
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
	ctx_open(&cx, use_heap, use_heap);
	bufs = xcalloc(count, sizeof(*bufs));
	for (i = 0; i < count; i++) {
		struct pbuf *b = &bufs[i];

		if (use_heap)
			err = heap_alloc(cx.heap, pages, cx.page_size, b);
		else
			err = pool_alloc(cx.dev, pages, O_RDWR | O_CLOEXEC, b);
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

/* ---- replay ---- */

struct live {
	unsigned long long offset;
	unsigned long long pages;
	int fd;
};

static void raise_nofile(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Split @line into at most @max words; returns how many there were. */
static unsigned int split_words(char *line, char **word, unsigned int max)
{
	unsigned int n = 0;
	char *save, *tok;

	for (tok = strtok_r(line, " \t\r", &save); tok;
	     tok = strtok_r(NULL, " \t\r", &save)) {
		if (n < max)
			word[n] = tok;
		n++;
	}
	return n;
}

/* A plain decimal number, as in the traces of pagealloc-replay. */
static int parse_dec(const char *s, unsigned long long *val)
{
	unsigned long long v = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > (~0ULL - 9) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	*val = v;
	return p == s ? -1 : 0;
}

static int cmd_replay(int argc, char **argv)
{
	struct live *live = NULL;
	size_t nlive = 0, cap = 0, i;
	unsigned long long lineno = 0, n, p, hold = 0;
	char *line = NULL, *hash, *word[3];
	size_t lcap = 0;
	unsigned int nw;
	struct pbuf b;
	struct ctx cx;
	int err, a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--hold"))
			hold = opt_num("--hold", argv[++a], 0, 86400);
		else
			die(RC_USAGE, "replay: unknown argument '%s' (reads stdin)",
			    argv[a]);
	}
	ctx_open(&cx, 0, 0);
	raise_nofile();
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (getline(&line, &lcap, stdin) >= 0) {
		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		line[strcspn(line, "\n")] = '\0';
		nw = split_words(line, word, 3);
		if (!nw)
			continue;
		if (!strcmp(word[0], "alloc")) {
			if (nw != 2)
				die(RC_USAGE, "line %llu: 'alloc' takes 1 argument, got %u",
				    lineno, nw - 1);
			if (parse_dec(word[1], &n))
				die(RC_USAGE, "line %llu: bad number '%.40s'",
				    lineno, word[1]);
			err = pool_alloc(cx.dev, n, O_RDWR | O_CLOEXEC, &b);
			if (err == -ENOMEM) {
				printf("fail\n");
				continue;
			}
			if (err) {
				printf("error alloc %llu: %s\n", n,
				       strerror(-err));
				continue;
			}
			printf("%llu %llu\n", b.offset, b.clean);
			if (nlive == cap) {
				cap = cap ? 2 * cap : 256;
				live = xrealloc(live, cap, sizeof(*live));
			}
			live[nlive].offset = b.offset;
			live[nlive].pages = n;
			live[nlive].fd = b.fd;
			nlive++;
		} else if (!strcmp(word[0], "free")) {
			if (nw != 3)
				die(RC_USAGE, "line %llu: 'free' takes 2 arguments, got %u",
				    lineno, nw - 1);
			if (parse_dec(word[1], &p))
				die(RC_USAGE, "line %llu: bad number '%.40s'",
				    lineno, word[1]);
			if (parse_dec(word[2], &n))
				die(RC_USAGE, "line %llu: bad number '%.40s'",
				    lineno, word[2]);
			for (i = 0; i < nlive; i++)
				if (live[i].offset == p)
					break;
			if (i == nlive) {
				printf("error free %llu %llu: no such allocation\n",
				       p, n);
				continue;
			}
			if (live[i].pages != n) {
				printf("error free %llu %llu: it has %llu pages\n",
				       p, n, live[i].pages);
				continue;
			}
			close(live[i].fd);
			live[i] = live[--nlive];
		} else {
			die(RC_USAGE, "line %llu: unknown command '%.40s'",
			    lineno, word[0]);
		}
	}
	if (ferror(stdin))
		die(RC_SYS, "reading standard input: %s", strerror(errno));
	if (hold) {
		fprintf(stderr, "%s: holding %zu allocations for %llu s\n",
			who, nlive, hold);
		sleep_ms(hold * 1000);
	}
	for (i = 0; i < nlive; i++)
		close(live[i].fd);
	free(live);
	free(line);
	return 0;
}

/* ---- stress ---- */

enum { MSG_BUF = 1, MSG_DONE = 2 };

struct stress_msg {
	__u32 kind;
	__u32 from;
	__u64 tag;
	__u64 pages;
	__u64 offset;
};

struct stress {
	struct ctx cx;
	unsigned int id;
	unsigned long long ops;
	unsigned long long max_pages;
	unsigned int live_max;
	unsigned long long rng;
	unsigned long long rx_rng;
	int tx;
	int rx;
	int peer_done;
	struct pbuf *live;
	unsigned int nlive;
	unsigned long long allocs;
	unsigned long long heap_allocs;
	unsigned long long fails;
	unsigned long long sent;
	unsigned long long received;
	unsigned long long freed;
};

/* splitmix64: a small, good generator, so that runs repeat given a seed. */
static unsigned long long rng_next(unsigned long long *state)
{
	unsigned long long z;

	*state += GOLDEN;
	z = *state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long long rng_below(unsigned long long *state,
				    unsigned long long n)
{
	return rng_next(state) % n;
}

/* Let go of live buffer @i (passed on, or freed when @freed). */
static void st_drop(struct stress *st, unsigned int i, int freed)
{
	buf_release(&st->live[i]);
	st->live[i] = st->live[--st->nlive];
	st->freed += freed;
}

/* Verify @b holds its pattern; @what says where it came from. */
static void st_verify(struct pbuf *b, const char *what)
{
	size_t bad;

	buf_sync(b, DMA_BUF_SYNC_START);
	bad = pattern_check(b);
	if (bad < b->len)
		die(RC_DATA, "%s buffer %llu+%llu: bad pattern at byte %zu",
		    what, b->offset, b->pages, bad);
	buf_sync(b, DMA_BUF_SYNC_END);
}

/* Learn where @b lies, and check it against what is already known. */
static void st_info(struct stress *st, struct pbuf *b)
{
	int err;

	if (st->cx.dev < 0)
		return;
	err = buffer_info(st->cx.dev, b);
	if (err)
		die(RC_IOCTL, "PAGEPOOL_IOC_BUFFER_INFO: %s", strerror(-err));
}

static void st_alloc(struct stress *st)
{
	unsigned long long r = rng_below(&st->rng, 100), pages;
	struct pbuf *b = &st->live[st->nlive];
	int heap = rng_below(&st->rng, 2) || st->cx.dev < 0;
	size_t bad;
	int err;

	if (r < 60)
		pages = 1 + rng_below(&st->rng, 8);
	else if (r < 95)
		pages = 1 + rng_below(&st->rng, st->max_pages);
	else
		pages = st->max_pages + rng_below(&st->rng, 3 * st->max_pages);
	if (heap)
		err = heap_alloc(st->cx.heap, pages, st->cx.page_size, b);
	else
		err = pool_alloc(st->cx.dev, pages, O_RDWR | O_CLOEXEC, b);
	if (err == -ENOMEM) {
		st->fails++;
		return;
	}
	if (err)
		die(RC_IOCTL, "allocating %llu pages through %s: %s", pages,
		    heap ? heap_path : pool_path, strerror(-err));
	st->allocs++;
	st->heap_allocs += heap;
	st_info(st, b);
	buf_map(b, st->cx.page_size);
	buf_sync(b, DMA_BUF_SYNC_START);
	bad = find_not(b->map, b->len, 0);
	if (bad < b->len)
		die(RC_DATA, "new buffer %llu+%llu not zero: byte %zu is 0x%02x",
		    b->offset, pages, bad, b->map[bad]);
	b->tag = rng_next(&st->rng);
	pattern_fill(b);
	buf_sync(b, DMA_BUF_SYNC_END);
	st->nlive++;
	st_verify(b, "new");
}

/* Take in one message; @block waits for it. Returns 0 when none came. */
static int st_recv(struct stress *st, int block)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct stress_msg m;
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr mh;
	struct cmsghdr *cm;
	struct pbuf *b;
	ssize_t n;
	int fd = -1;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	do {
		n = recvmsg(st->rx, &mh,
			    MSG_CMSG_CLOEXEC | (block ? 0 : MSG_DONTWAIT));
	} while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0)
		die(RC_SYS, "recvmsg: %s", strerror(errno));
	if (n == 0) {
		if (st->peer_done)
			return 0;
		die(RC_SYS, "the previous process went away before it was done");
	}
	if (n != sizeof(m) || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
		die(RC_SYS, "short or truncated message (%zd bytes)", n);
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
	if (m.kind == MSG_DONE) {
		st->peer_done = 1;
		return 1;
	}
	if (m.kind != MSG_BUF || fd < 0)
		die(RC_SYS, "bad message (kind %u, fd %d)", m.kind, fd);
	/* Its own stream: arrivals depend on timing, the operations not. */
	if (st->nlive == st->live_max)
		st_drop(st, rng_below(&st->rx_rng, st->nlive), 1);
	b = &st->live[st->nlive];
	memset(b, 0, sizeof(*b));
	b->fd = fd;
	b->pages = m.pages;
	b->offset = m.offset;
	b->tag = m.tag;
	b->clean = UNKNOWN;
	b->phys = UNKNOWN;
	st_info(st, b);
	buf_map(b, st->cx.page_size);
	st->nlive++;
	st->received++;
	st_verify(b, "received");
	return 1;
}

/* Send @m (with @fd unless it is -1), taking in messages meanwhile. */
static void st_send(struct stress *st, struct stress_msg *m, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { m, sizeof(*m) };
	struct pollfd pfd[2];
	struct msghdr mh;
	struct cmsghdr *cm;
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	memset(cbuf, 0, sizeof(cbuf));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (fd >= 0) {
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
	}
	for (;;) {
		n = sendmsg(st->tx, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == sizeof(*m))
			return;
		if (n >= 0)
			die(RC_SYS, "short send (%zd bytes)", n);
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			die(RC_SYS, "sendmsg: %s", strerror(errno));
		pfd[0].fd = st->tx;
		pfd[0].events = POLLOUT;
		pfd[1].fd = st->peer_done ? -1 : st->rx;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			die(RC_SYS, "poll: %s", strerror(errno));
		if (pfd[1].revents)
			st_recv(st, 0);
	}
}

static void st_pass(struct stress *st, unsigned int i)
{
	struct pbuf *b = &st->live[i];
	struct stress_msg m;

	/* The receiver must see this process's pattern, so write a new one. */
	buf_sync(b, DMA_BUF_SYNC_START);
	b->tag = rng_next(&st->rng);
	pattern_fill(b);
	buf_sync(b, DMA_BUF_SYNC_END);
	memset(&m, 0, sizeof(m));
	m.kind = MSG_BUF;
	m.from = st->id;
	m.tag = b->tag;
	m.pages = b->pages;
	m.offset = b->offset;
	st_send(st, &m, b->fd);
	st->sent++;
	st_drop(st, i, 0);
}

static noreturn void st_run(struct stress *st)
{
	struct stress_msg done;
	unsigned long long op, r;
	unsigned int i;

	for (op = 0; op < st->ops; op++) {
		while (st_recv(st, 0))
			;
		r = rng_below(&st->rng, 100);
		if (!st->nlive || (r < 45 && st->nlive < st->live_max))
			st_alloc(st);
		else if (r < 70)
			st_pass(st, rng_below(&st->rng, st->nlive));
		else if (r < 95)
			st_drop(st, rng_below(&st->rng, st->nlive), 1);
		else
			for (i = 0; i < st->nlive; i++)
				st_verify(&st->live[i], "held");
	}
	memset(&done, 0, sizeof(done));
	done.kind = MSG_DONE;
	done.from = st->id;
	st_send(st, &done, -1);
	while (!st->peer_done)
		st_recv(st, 1);
	for (i = 0; i < st->nlive; i++)
		st_verify(&st->live[i], "held");
	while (st->nlive)
		st_drop(st, st->nlive - 1, 1);
	printf("proc %u: %llu allocations (%llu heap), %llu refused, ",
	       st->id, st->allocs, st->heap_allocs, st->fails);
	printf("%llu sent, %llu received, %llu freed\n", st->sent,
	       st->received, st->freed);
	fflush(stdout);
	exit(0);
}

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static int cmd_stress(int argc, char **argv)
{
	unsigned long long procs = 4, ops = 200, seed = 1, max_pages = 64;
	unsigned long long live_max = 16, timeout = 600;
	int (*pairs)[2], status, rc = 0, a, failed_any = 0;
	unsigned int i, j, left;
	unsigned long long deadline;
	struct stress st;
	pid_t *pids, pid, parent = getpid();
	int dev, heap;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--procs"))
			procs = opt_num("--procs", argv[++a], 1, 256);
		else if (!strcmp(argv[a], "--ops"))
			ops = opt_num("--ops", argv[++a], 0, 100000000);
		else if (!strcmp(argv[a], "--seed"))
			seed = opt_num("--seed", argv[++a], 0, ~0ULL);
		else if (!strcmp(argv[a], "--max-pages"))
			max_pages = opt_num("--max-pages", argv[++a], 1,
					    1ULL << 20);
		else if (!strcmp(argv[a], "--live"))
			live_max = opt_num("--live", argv[++a], 1, 1024);
		else if (!strcmp(argv[a], "--timeout"))
			timeout = opt_num("--timeout", argv[++a], 1, 86400);
		else
			die(RC_USAGE, "stress: unknown argument '%s'",
			    argv[a]);
	}
	memset(&st, 0, sizeof(st));
	ctx_open(&st.cx, 1, 0);
	raise_nofile();
	dev = st.cx.dev;
	heap = st.cx.heap;
	pairs = xcalloc(procs, sizeof(*pairs));
	pids = xcalloc(procs, sizeof(*pids));
	for (i = 0; i < procs; i++)
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
			       pairs[i]))
			die(RC_SYS, "socketpair: %s", strerror(errno));
	fflush(stdout);
	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die(RC_SYS, "fork: %s", strerror(errno));
		if (pids[i])
			continue;
		/* Die with the parent, so that kill -9 of it ends the run. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			exit(RC_SYS);
		snprintf(who, sizeof(who), PROG " stress proc %u", i);
		/* Process i sends on pair i and hears on pair i - 1. */
		for (j = 0; j < procs; j++) {
			if (j != i)
				close(pairs[j][0]);
			if (j != (i + procs - 1) % procs)
				close(pairs[j][1]);
		}
		st.id = i;
		st.ops = ops;
		st.max_pages = max_pages;
		st.live_max = live_max;
		st.rng = seed * 0x100000001b3ULL + i;
		st.rx_rng = ~st.rng;
		st.tx = pairs[i][0];
		st.rx = pairs[(i + procs - 1) % procs][1];
		st.live = xcalloc(live_max, sizeof(*st.live));
		st_run(&st);
	}
	for (i = 0; i < procs; i++) {
		close(pairs[i][0]);
		close(pairs[i][1]);
	}
	close(heap);

	deadline = now_ms() + timeout * 1000;
	for (left = procs; left;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (!pid && now_ms() > deadline && !rc) {
			warnx("timed out after %llu s; killing the processes",
			      timeout);
			for (i = 0; i < procs; i++)
				if (pids[i] > 0)
					kill(pids[i], SIGKILL);
			rc = RC_TIMEOUT;
			failed_any = 1;
		}
		if (!pid) {
			sleep_ms(20);
			continue;
		}
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			die(RC_SYS, "waitpid: %s", strerror(errno));
		for (i = 0; i < procs && pids[i] != pid; i++)
			;
		if (i == procs)
			continue;
		pids[i] = 0;
		left--;
		if (WIFEXITED(status) && !WEXITSTATUS(status))
			continue;
		if (WIFEXITED(status)) {
			warnx("stress proc %u failed (exit %d)", i,
			      WEXITSTATUS(status));
			if (!rc)
				rc = WEXITSTATUS(status);
		} else if (WIFSIGNALED(status) && !failed_any) {
			warnx("stress proc %u died of signal %d (%s)", i,
			      WTERMSIG(status), strsignal(WTERMSIG(status)));
			if (!rc)
				rc = RC_CRASH;
		}
		if (!failed_any) {
			failed_any = 1;
			for (j = 0; j < procs; j++)
				if (pids[j] > 0)
					kill(pids[j], SIGKILL);
		}
	}
	a = pool_check(dev, 1);
	close(dev);
	if (a && !rc)
		rc = a;
	if (!rc)
		printf("stress: %llu procs x %llu ops, seed %llu: ok\n",
		       procs, ops, seed);
	else
		warnx("stress: %llu procs x %llu ops, seed %llu: FAILED",
		      procs, ops, seed);
	free(pairs);
	free(pids);
	return rc;
}

/* ---- import ---- */

/* Open the vgem card: @card, or the first /dev/dri/cardN that is vgem. */
static int open_vgem(const char *card)
{
	struct drm_version_arg v;
	char path[64], name[16];
	int fd, i;

	for (i = 0; i < 16; i++) {
		if (card && i)
			break;
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open_path(card ? card : path, O_RDWR, !!card);
		if (fd < 0)
			continue;
		memset(&v, 0, sizeof(v));
		memset(name, 0, sizeof(name));
		v.name = name;
		v.name_len = sizeof(name) - 1;
		if (!ioctl(fd, DRM_VERSION_IOC, &v) && !strcmp(name, "vgem"))
			return fd;
		close(fd);
	}
	die(RC_OPEN, "no vgem device%s%s (is vgem loaded?)",
	    card ? " at " : " under /dev/dri", card ? card : "");
}

static void expect_pool(int dev, unsigned long long free_pages,
			unsigned long long allocations, const char *when)
{
	struct pagepool_pool_info pi;
	unsigned int waited = 0;

	for (;;) {
		pool_info(dev, &pi);
		if ((pi.free_pages == free_pages &&
		     pi.allocations == allocations) || waited >= SETTLE_MS)
			break;
		sleep_ms(50);
		waited += 50;
	}
	if (pi.free_pages != free_pages || pi.allocations != allocations)
		die(RC_IMPORT, "%s: want %llu free, %llu buffers; got %llu, %llu",
		    when, free_pages, allocations,
		    (unsigned long long)pi.free_pages,
		    (unsigned long long)pi.allocations);
}

static int cmd_import(int argc, char **argv)
{
	struct drm_prime_handle_arg ph;
	struct drm_gem_close_arg gc;
	struct pagepool_pool_info before;
	const char *card = NULL;
	unsigned long long pages = 0;
	int use_heap = 0, card_fd, a, err;
	struct pbuf b, again;
	struct stat st1, st2;
	struct ctx cx;
	size_t bad;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--heap"))
			use_heap = 1;
		else if (!strcmp(argv[a], "--card") && a + 1 < argc)
			card = argv[++a];
		else if (argv[a][0] == '-' || pages)
			die(RC_USAGE, "import: unknown argument '%s'", argv[a]);
		else
			pages = opt_num("import PAGES", argv[a], 1, ~0ULL);
	}
	if (!pages)
		die(RC_USAGE, "import: how many pages? (see --help)");
	ctx_open(&cx, use_heap, 0);
	card_fd = open_vgem(card);
	pool_info(cx.dev, &before);

	if (use_heap)
		err = heap_alloc(cx.heap, pages, cx.page_size, &b);
	else
		err = pool_alloc(cx.dev, pages, O_RDWR | O_CLOEXEC, &b);
	if (err)
		die(err == -ENOMEM ? RC_NOMEM : RC_IOCTL,
		    "allocating %llu pages: %s", pages, strerror(-err));
	err = buffer_info(cx.dev, &b);
	if (err)
		die(RC_IOCTL, "PAGEPOOL_IOC_BUFFER_INFO: %s", strerror(-err));
	print_buffer(&b);
	buf_map(&b, cx.page_size);
	b.tag = 0x7067706f6f6cULL ^ b.offset;
	buf_sync(&b, DMA_BUF_SYNC_START);
	pattern_fill(&b);
	buf_sync(&b, DMA_BUF_SYNC_END);

	memset(&ph, 0, sizeof(ph));
	ph.fd = b.fd;
	if (ioctl(card_fd, DRM_FD_TO_HANDLE_IOC, &ph) < 0)
		die(RC_IMPORT, "DRM_IOCTL_PRIME_FD_TO_HANDLE into vgem: %s",
		    strerror(errno));
	printf("imported into vgem as handle %u\n", ph.handle);

	/* Exporting the import again must give back the same dma-buf. */
	ph.fd = -1;
	ph.flags = O_RDWR | O_CLOEXEC;
	if (ioctl(card_fd, DRM_HANDLE_TO_FD_IOC, &ph) < 0)
		die(RC_IMPORT, "DRM_IOCTL_PRIME_HANDLE_TO_FD from vgem: %s",
		    strerror(errno));
	if (fstat(b.fd, &st1) || fstat(ph.fd, &st2) ||
	    st1.st_ino != st2.st_ino || st1.st_dev != st2.st_dev)
		die(RC_IMPORT, "vgem exported a different file for the import");
	memset(&again, 0, sizeof(again));
	again.fd = ph.fd;
	again.pages = pages;
	again.tag = b.tag;
	buf_map(&again, cx.page_size);
	buf_sync(&again, DMA_BUF_SYNC_START);
	bad = pattern_check(&again);
	if (bad < again.len)
		die(RC_DATA, "the buffer exported back by vgem differs at byte %zu",
		    bad);
	buf_sync(&again, DMA_BUF_SYNC_END);
	buf_release(&again);

	/* Only vgem holds the buffer now: it must stay allocated. */
	buf_release(&b);
	expect_pool(cx.dev, before.free_pages - pages, before.allocations + 1,
		    "with only vgem holding the buffer");
	printf("closed our fds and mappings; the buffer stays while vgem holds it\n");

	memset(&gc, 0, sizeof(gc));
	gc.handle = ph.handle;
	if (ioctl(card_fd, DRM_GEM_CLOSE_IOC, &gc) < 0)
		die(RC_IMPORT, "DRM_IOCTL_GEM_CLOSE: %s", strerror(errno));
	close(card_fd);
	expect_pool(cx.dev, before.free_pages, before.allocations,
		    "after vgem closed the handle");
	printf("vgem closed its handle; the pages are back in the pool\n");
	return 0;
}

/* ---- abi ---- */

static int abi_failed;

static void abi_result(const char *name, int got, int want, int alt)
{
	if (got == want || (alt && got == alt)) {
		printf("ok - abi %s\n", name);
		return;
	}
	printf("not ok - abi %s: expected %s, got %s\n", name,
	       want ? strerror(want) : "success",
	       got ? strerror(got) : "success");
	abi_failed = 1;
}

static int abi_ioctl(int fd, unsigned long req, void *arg)
{
	struct dma_heap_allocation_data *heap_arg = arg;
	struct pagepool_alloc *pool_arg = arg;

	if (ioctl(fd, req, arg) < 0)
		return errno;
	if (req == PAGEPOOL_IOC_ALLOC)
		close((int)pool_arg->fd);
	if (req == DMA_HEAP_IOCTL_ALLOC)
		close((int)heap_arg->fd);
	return 0;
}

static void abi_alloc(int dev, const char *name, __u64 pages,
		      __u32 fd_flags, __u64 flags, __u64 reserved, int want)
{
	struct pagepool_alloc a;

	memset(&a, 0, sizeof(a));
	a.pages = pages;
	a.fd_flags = fd_flags;
	a.flags = flags;
	a.reserved[1] = reserved;
	abi_result(name, abi_ioctl(dev, PAGEPOOL_IOC_ALLOC, &a), want, 0);
}

static void abi_heap(int heap, const char *name, __u64 len, __u32 fd_flags,
		     __u64 heap_flags, int want)
{
	struct dma_heap_allocation_data d;

	memset(&d, 0, sizeof(d));
	d.len = len;
	d.fd_flags = fd_flags;
	d.heap_flags = heap_flags;
	abi_result(name, abi_ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d), want, 0);
}

static int map_errno(int fd, size_t len, int prot, int flags, off_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, len);
	return 0;
}

static void abi_info(int dev, const char *name, int fd, __u32 reserved0,
		     __u64 reserved, int want, int alt)
{
	struct pagepool_buffer_info bi;

	memset(&bi, 0, sizeof(bi));
	bi.fd = fd;
	bi.reserved0 = reserved0;
	bi.reserved[1] = reserved;
	abi_result(name, abi_ioctl(dev, PAGEPOOL_IOC_BUFFER_INFO, &bi), want,
		   alt);
}

static int cmd_abi(int argc, char **argv)
{
	const int rw = O_RDWR | O_CLOEXEC;
	struct pagepool_pool_info pi;
	struct pbuf b, ro;
	struct ctx cx;
	size_t ps;
	int other, err;

	if (argc > 1)
		die(RC_USAGE, "abi: unknown argument '%s'", argv[1]);
	ctx_open(&cx, 1, 0);
	ps = cx.page_size;

	abi_alloc(cx.dev, "alloc of 1 page", 1, rw, 0, 0, 0);
	abi_alloc(cx.dev, "alloc of 0 pages is EINVAL", 0, rw, 0, 0, EINVAL);
	abi_alloc(cx.dev, "alloc with flags is EINVAL", 1, rw, 1, 0, EINVAL);
	abi_alloc(cx.dev, "alloc with reserved set is EINVAL", 1, rw, 0, 1,
		  EINVAL);
	abi_alloc(cx.dev, "alloc with bad fd_flags is EINVAL", 1,
		  rw | O_NONBLOCK, 0, 0, EINVAL);
	abi_alloc(cx.dev, "alloc beyond the pool is ENOMEM", 1ULL << 40, rw, 0,
		  0, ENOMEM);
	memset(&pi, 0, sizeof(pi));
	pi.reserved[3] = 1;
	abi_result("pool info with reserved set is EINVAL",
		   abi_ioctl(cx.dev, PAGEPOOL_IOC_POOL_INFO, &pi), EINVAL, 0);
	abi_result("unknown ioctl is ENOTTY",
		   abi_ioctl(cx.dev, _IOWR(PAGEPOOL_IOC_MAGIC, 0x7f,
					   struct pagepool_pool_info), &pi),
		   ENOTTY, 0);

	abi_heap(cx.heap, "heap alloc of 1 page", ps, rw, 0, 0);
	abi_heap(cx.heap, "heap alloc of 1 byte", 1, rw, 0, 0);
	abi_heap(cx.heap, "heap alloc of 0 bytes is EINVAL", 0, rw, 0, EINVAL);
	abi_heap(cx.heap, "heap alloc with heap_flags is EINVAL", ps, rw, 1,
		 EINVAL);
	abi_heap(cx.heap, "heap alloc with bad fd_flags is EINVAL", ps,
		 rw | O_NONBLOCK, 0, EINVAL);
	abi_heap(cx.heap, "heap alloc beyond the pool is ENOMEM", 1ULL << 52,
		 rw, 0, ENOMEM);

	err = pool_alloc(cx.dev, 2, rw, &b);
	if (err)
		die(RC_IOCTL, "allocating 2 pages: %s", strerror(-err));
	abi_info(cx.dev, "buffer info", b.fd, 0, 0, 0, 0);
	abi_info(cx.dev, "buffer info with reserved0 set is EINVAL", b.fd, 1,
		 0, EINVAL, 0);
	abi_info(cx.dev, "buffer info with reserved set is EINVAL", b.fd, 0,
		 1, EINVAL, 0);
	abi_info(cx.dev, "buffer info of a non-dma-buf fd is EINVAL", cx.dev,
		 0, 0, EINVAL, 0);
	abi_info(cx.dev, "buffer info of a closed fd is EBADF", 1000000, 0, 0,
		 EBADF, 0);
	other = open_path("/dev/dma_heap/system", O_RDWR, 0);
	if (other >= 0) {
		struct pbuf sb;

		if (!heap_alloc(other, 1, ps, &sb)) {
			abi_info(cx.dev, "buffer info of another exporter's dma-buf is EINVAL",
				 sb.fd, 0, 0, EINVAL, 0);
			close(sb.fd);
		}
		close(other);
	}
	abi_result("mmap MAP_SHARED",
		   map_errno(b.fd, 2 * ps, PROT_READ | PROT_WRITE, MAP_SHARED,
			     0), 0, 0);
	abi_result("mmap of the second page alone",
		   map_errno(b.fd, ps, PROT_READ | PROT_WRITE, MAP_SHARED, ps),
		   0, 0);
	abi_result("mmap MAP_PRIVATE is refused",
		   map_errno(b.fd, 2 * ps, PROT_READ, MAP_PRIVATE, 0), EINVAL,
		   EACCES);
	abi_result("mmap past the end is refused",
		   map_errno(b.fd, 3 * ps, PROT_READ, MAP_SHARED, 0), EINVAL,
		   ENXIO);
	abi_result("mmap at an offset past the end is refused",
		   map_errno(b.fd, ps, PROT_READ, MAP_SHARED, 2 * ps), EINVAL,
		   ENXIO);
	buf_release(&b);

	err = pool_alloc(cx.dev, 1, O_RDONLY | O_CLOEXEC, &ro);
	abi_result("alloc of a read-only fd", -err, 0, 0);
	if (!err) {
		abi_result("read-only fd: mmap PROT_READ",
			   map_errno(ro.fd, ps, PROT_READ, MAP_SHARED, 0), 0,
			   0);
		abi_result("read-only fd: mmap PROT_WRITE is EACCES",
			   map_errno(ro.fd, ps, PROT_READ | PROT_WRITE,
				     MAP_SHARED, 0), EACCES, 0);
		close(ro.fd);
	}
	err = pool_check(cx.dev, 1);
	abi_result("pool whole afterwards", err ? EBUSY : 0, 0, 0);
	return abi_failed ? RC_ABI : 0;
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

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Look at and exercise the pagepool module.\n"
		"\n"
		"Commands:\n"
		"  info [--raw]        the pool (--raw: key=value lines)\n"
		"  alloc PAGES [--fill BYTE] [--hold SECONDS] [--heap]\n"
		"        [--count N] [--map-only] [--no-private]\n"
		"                      allocate PAGES pages (--heap: through\n"
		"                      the dma-buf heap), print where they\n"
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
		"  replay [--hold SECONDS]\n"
		"                      run \"alloc N\" and \"free P N\" lines\n"
		"                      from standard input; prints \"P S\"\n"
		"                      (offset, pages already zero) or\n"
		"                      \"fail\" per alloc, \"error ...\" for\n"
		"                      a rejected line; '#' starts a comment;\n"
		"                      --hold keeps what is left allocated\n"
		"                      for SECONDS at the end (to look at)\n"
		"  stress [--procs K] [--ops N] [--seed S] [--max-pages M]\n"
		"         [--live L] [--timeout SECONDS]\n"
		"                      K processes (4) do N operations (200)\n"
		"                      each: allocate buffers of up to M\n"
		"                      pages (64; a few up to 4M) through\n"
		"                      both devices, holding at most L (16),\n"
		"                      write a pattern, verify, pass buffers\n"
		"                      over unix sockets, free; then the\n"
		"                      pool must be whole; deterministic per\n"
		"                      seed S (1); gives up after SECONDS\n"
		"  import PAGES [--heap] [--card PATH]\n"
		"                      import a buffer into vgem, check it\n"
		"                      stays while only vgem holds it and\n"
		"                      comes back when vgem lets go\n"
		"  abi                 the ioctls' error cases (TAP lines)\n"
		"  check [--idle]      debugfs check is ok; --idle: and the\n"
		"                      pool is whole with no buffer alive\n"
		"\n"
		"Options:\n"
		"  --dev PATH          pagepool device (" POOL_DEV ")\n"
		"  --heap-dev PATH     heap device (" HEAP_DEV ")\n"
		"  --debugfs DIR       debugfs directory (" DEBUGFS_DIR ")\n"
		"  -h, --help          this help\n"
		"\n"
		"Exit codes:\n"
		"  0  success\n"
		"  1  out of memory in the tool\n"
		"  2  bad arguments, or a malformed replay line\n"
		"  3  a device or debugfs file cannot be opened or read\n"
		"  4  an ioctl failed (other than for lack of room)\n"
		"  5  no room in the pool\n"
		"  6  mmap, munmap or DMA_BUF_IOCTL_SYNC failed, or\n"
		"     MAP_PRIVATE was allowed\n"
		"  7  a buffer did not hold the expected bytes\n"
		"  8  the pool is not whole or debugfs check is not ok\n"
		"  9  a system call failed (fork, socket, ...)\n"
		" 10  the vgem import failed or the buffer's lifetime was\n"
		"     wrong\n"
		" 11  an ioctl error case answered wrongly (abi)\n"
		" 12  a stress process died of a signal\n"
		" 13  stress timed out\n");
}

/**
 * main() - run one pagepoolctl command
 * @argc: argument count
 * @argv: global options, then the command and its arguments
 *
 * Return: 0 on success, else one of the exit codes print_usage() lists.
 */
int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {
		{ "info", cmd_info },
		{ "alloc", cmd_alloc },
		{ "map", cmd_map },
		{ "replay", cmd_replay },
		{ "stress", cmd_stress },
		{ "import", cmd_import },
		{ "abi", cmd_abi },
		{ "check", cmd_check },
	};
	unsigned int i;
	int a;

	signal(SIGPIPE, SIG_IGN);
	for (a = 1; a < argc && argv[a][0] == '-'; a++) {
		if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
			print_usage(stdout);
			return 0;
		}
		if (a + 1 >= argc)
			die(RC_USAGE, "%s needs a value (see --help)", argv[a]);
		if (!strcmp(argv[a], "--dev"))
			pool_path = argv[++a];
		else if (!strcmp(argv[a], "--heap-dev"))
			heap_path = argv[++a];
		else if (!strcmp(argv[a], "--debugfs"))
			debugfs_path = argv[++a];
		else
			die(RC_USAGE, "unknown option '%s' (see --help)",
			    argv[a]);
	}
	if (a == argc) {
		print_usage(stderr);
		return RC_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!strcmp(argv[a], cmds[i].name)) {
			int rc = cmds[i].fn(argc - a, argv + a);

			if (fflush(stdout))
				die(RC_SYS, "writing output: %s",
				    strerror(errno));
			return rc;
		}
	}
	die(RC_USAGE, "unknown command '%s' (see --help)", argv[a]);
}
