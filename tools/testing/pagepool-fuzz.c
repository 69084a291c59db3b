// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool-fuzz: a seeded, bounded random-sequence fuzzer of the pagepool
 * module, the way syzkaller finds driver bugs: several processes at once
 * each run a fixed number of random operations over every entry point
 * the module has, and check invariants as they go and at the end.
 *
 * The operations: both devices' ioctls with random commands, sizes and
 * argument bytes (valid requests, invalid ones, bad addresses, short and
 * long structures) checked against a model of the documented ABI; mmap,
 * munmap, mremap, mprotect and madvise of buffers, reads and writes
 * through the mappings; close, dup, fd passing over unix sockets between
 * the processes, fork with live mappings and kill -9 of the child; import
 * into vgem (when there is one), DMA_BUF_IOCTL_SYNC and the dma-buf's own
 * ioctls; reads of debugfs.
 *
 * The invariants: a new buffer reads zero; a buffer holds the pattern of
 * its tag (the process and buffer that wrote it) until its last reference
 * is dropped, and is checked then; no two live buffers overlap in the
 * pool; debugfs check says ok; every error is one the ABI allows; and at
 * the end, when every process is gone, the pool is whole.
 *
 * Each process's operations come from its own splitmix64 stream derived
 * from the seed, so "-s SEED -p P -n OPS" repeats each process's sequence
 * of operations; the interleaving between processes (which buffers arrive
 * over the sockets, when the pool is full) may differ from run to run.
 * With -p 1 a run repeats exactly. "pagepool-fuzz --help" has the
 * options; Documentation/pagepool.rst ("Testing") describes it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <linux/dma-buf.h>
#include <linux/dma-heap.h>

#include "pagepool-lib.h"
#include "rand.h"

#define PROG		"pagepool-fuzz"
#define MAX_PROCS	64
#define LIVE_MAX	16	/* buffers a process holds at most */
#define MAP_MAX		64	/* pieces of mappings a process holds */
#define FD_MAX		4	/* descriptors of one buffer in a process */
#define FULL_PAGES	64	/* buffers this small are checked whole */
#define SAMPLE_PAGES	32	/* larger ones: pages with the pattern */
#define TAG_MAGIC	0x5046ULL	/* "PF", the top of every tag */
#define ARENA_RW	8	/* read-write pages of the ioctl arena */
#define RING		16	/* operations remembered for a failure */
#define DESC_LEN	200
#define MAX_MODEL_ERRNO	64
#define RC_PEER		14	/* a neighbour went away: not the cause */

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED	24
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE		25
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif

/* A vgem buffer of its own, to export: a dma-buf not from pagepool. */
struct drm_mode_create_dumb_arg {
	__u32 height;
	__u32 width;
	__u32 bpp;
	__u32 flags;
	__u32 handle;
	__u32 pitch;
	__u64 size;
};

#define DRM_CREATE_DUMB_IOC	_IOWR('d', 0xb2, struct drm_mode_create_dumb_arg)
#define SYSTEM_HEAP		"/dev/dma_heap/system"

/* Addresses no process can use: the kernel's text, its direct map... */
#define KERNEL_TEXT	0xffffffff81000000UL
#define KERNEL_DIRECT	0xffff888000000000UL
#define NON_CANONICAL	0x0000800000000000UL
#define TASK_END	0x00007ffffffff000UL
#define LOW_PAGE	0x1000UL

/* ---- operation kinds ---- */

enum kind {
	K_ALLOC,	/* PAGEPOOL_IOC_ALLOC, valid */
	K_HEAP,		/* DMA_HEAP_IOCTL_ALLOC, valid */
	K_CTL_IOCTL,	/* /dev/pagepool: random command and argument */
	K_HEAP_IOCTL,	/* /dev/dma_heap/pagepool: likewise */
	K_BUF_IOCTL,	/* a dma-buf's own ioctls, random */
	K_INFO,		/* PAGEPOOL_IOC_BUFFER_INFO, valid */
	K_POOL_INFO,	/* PAGEPOOL_IOC_POOL_INFO, valid */
	K_MMAP,
	K_MUNMAP,
	K_MREMAP,
	K_MPROTECT,
	K_MADVISE,
	K_WRITE,	/* through a mapping */
	K_READ,		/* through a mapping */
	K_CLOSE,
	K_DUP,
	K_SEND,		/* SCM_RIGHTS to the next process */
	K_FORK,		/* a child with the mappings, maybe killed */
	K_IMPORT,	/* vgem PRIME fd to handle */
	K_EXPORT,	/* vgem PRIME handle to fd */
	K_GEM_CLOSE,
	K_VGEM_REOPEN,	/* close the card with handles open */
	K_SYNC,		/* DMA_BUF_IOCTL_SYNC */
	K_DEBUGFS,
	K_STAT,		/* fstat, lseek, fdinfo of a dma-buf */
	K_REOPEN,	/* a device closed and opened again */
	K_DEVIO,	/* read, write, mmap... of the devices */
	K_DROP_ALL,	/* every reference dropped, in random order */
	K_COMPAT,	/* an ioctl as a 32-bit process makes it */
	K_RECV,		/* not drawn: buffers that arrived */
	NKINDS
};

static const struct {
	const char *name;
	unsigned int weight;
} kinds[NKINDS] = {
	[K_ALLOC] = { "alloc", 90 },
	[K_HEAP] = { "heap", 50 },
	[K_CTL_IOCTL] = { "ctl-ioctl", 80 },
	[K_HEAP_IOCTL] = { "heap-ioctl", 60 },
	[K_BUF_IOCTL] = { "buf-ioctl", 30 },
	[K_INFO] = { "info", 25 },
	[K_POOL_INFO] = { "pool-info", 15 },
	[K_MMAP] = { "mmap", 80 },
	[K_MUNMAP] = { "munmap", 50 },
	[K_MREMAP] = { "mremap", 30 },
	[K_MPROTECT] = { "mprotect", 30 },
	[K_MADVISE] = { "madvise", 40 },
	[K_WRITE] = { "write", 40 },
	[K_READ] = { "read", 50 },
	[K_CLOSE] = { "close", 60 },
	[K_DUP] = { "dup", 25 },
	[K_SEND] = { "send", 45 },
	[K_FORK] = { "fork", 6 },
	[K_IMPORT] = { "import", 20 },
	[K_EXPORT] = { "export", 10 },
	[K_GEM_CLOSE] = { "gem-close", 15 },
	[K_VGEM_REOPEN] = { "vgem-reopen", 2 },
	[K_SYNC] = { "sync", 35 },
	[K_DEBUGFS] = { "debugfs", 12 },
	[K_STAT] = { "stat", 20 },
	[K_REOPEN] = { "reopen", 5 },
	[K_DEVIO] = { "devio", 8 },
	[K_DROP_ALL] = { "drop-all", 2 },
	[K_COMPAT] = { "compat-ioctl", 30 },
	[K_RECV] = { "recv", 0 },
};

/* ---- state ---- */

/* One buffer a process holds, by any references: fds, mappings, vgem. */
struct fbuf {
	int used;
	unsigned long long id;		/* its number in this process */
	unsigned long long pages;
	unsigned long long offset;	/* first pool page */
	unsigned long long tag;		/* 0: all zero */
	unsigned long long ino;		/* the dma-buf's inode */
	int mode;			/* O_ACCMODE of its file */
	int frozen;			/* others may hold it: never written */
	int fds[FD_MAX];
	int nfds;
	__u32 handle;			/* vgem GEM handle, 0 for none */
	int nmaps;
};

/* A piece of a mapping: one VMA or part of one, with one protection. */
struct fmap {
	int used;
	int buf;
	unsigned char *addr;
	unsigned long long pgoff;	/* its first page in the buffer */
	unsigned long long pages;
	int prot;
	int dontfork;
};

/* What other processes may see of one: in memory shared by all. */
struct shared {
	unsigned long long op;		/* the operation it is at */
	unsigned int kind;
	unsigned int done;
	unsigned long long counts[NKINDS];
	unsigned long long errs[MAX_MODEL_ERRNO];
	unsigned long long unverified;
	/* The pool pages of its buffers (seqcount, even when stable). */
	struct {
		unsigned int seq;
		unsigned int valid;
		unsigned long long ino;
		unsigned long long offset;
		unsigned long long pages;
	} live[LIVE_MAX];
};

/* Message on the ring of unix sockets. */
enum { MSG_BUF = 1, MSG_DONE = 2, MSG_DEV = 3 };

struct fmsg {
	__u32 kind;
	__u32 from;
	__u64 tag;
	__u64 pages;
	__u64 offset;
	__u64 ino;
	__u32 mode;
	__u32 frozen;
};

/* Options, the same in every process. */
static unsigned long long seed = 1, total_ops = 20000;
static unsigned int nprocs = 4;
static int verbose, no_vgem, have_vgem, have_debugfs, have_compat;
static int import_may_fail;
static const char *card_path;
static unsigned long long timeout_s;
static unsigned long long pool_pages, max_pages;
static size_t ps;
static struct shared *shm;
static unsigned int *first_failed;	/* shared: 1 + the first to fail */

/* One process's state. */
static struct {
	unsigned int id;
	int child;			/* in a forked child */
	unsigned long long op;
	unsigned int kind;
	unsigned long long rng;		/* kinds and operation seeds */
	unsigned long long rx_rng;	/* decisions on arrivals */
	unsigned long long r;		/* the current operation's stream */
	int dev;
	int heap;
	int card;
	int foreign[2];			/* dma-bufs of other exporters */
	int tx;
	int rx;
	int peer_done;
	unsigned char *arena;
	unsigned char *arena32;		/* the same, below 4 GiB */
	int compat;			/* ioctls through int 0x80 */
	unsigned long long next_id;	/* buffers */
	unsigned long long next_tag;	/* patterns */
	unsigned long long phys_base;	/* pool's physical address */
	struct fbuf bufs[LIVE_MAX];
	struct fmap maps[MAP_MAX];
	struct shared *sh;
	char ring[RING][DESC_LEN];
} z;

/* ---- messages ---- */

static const char *errname(int e)
{
	const char *s = e ? strerrorname_np(e) : "success";

	return s ? s : "unknown errno";
}

/* The current operation's description, as the ring keeps it. */
static char *cur_desc(void)
{
	return z.ring[z.op % RING];
}

/* Add to the description of the current operation. */
static void opf(const char *fmt, ...)
{
	char *d = cur_desc();
	size_t n = strlen(d);
	va_list ap;

	if (n >= DESC_LEN - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(d + n, DESC_LEN - n, fmt, ap);
	va_end(ap);
}

static void print_ring(void)
{
	unsigned long long first = z.op >= RING ? z.op - RING + 1 : 0, i;

	printf("# the last operations of proc %u%s:\n", z.id,
	       z.child ? " before the fork" : "");
	for (i = first; i <= z.op; i++)
		printf("#   op %llu: %s\n", i, z.ring[i % RING]);
}

/*
 * Whether this process is the first to fail (or its forked child was):
 * once one has, what the others see next is no news.
 */
static int first_to_fail(void)
{
	unsigned int none = 0;

	return __atomic_compare_exchange_n(first_failed, &none, z.id + 1, 0,
					   __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST) ||
	       none == z.id + 1;
}

/* A failed invariant: say where, and exit with @rc. */
static noreturn void fail(int rc, const char *fmt, ...)
{
	va_list ap;

	if (!first_to_fail())
		_exit(RC_PEER);
	fflush(stdout);
	printf("FAIL seed=%llu proc=%u op=%llu%s: ", seed, z.id, z.op,
	       z.child ? " (forked child)" : "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	print_ring();
	printf("# replay: %s -s %llu -p %u -n %llu (-v logs each operation)\n",
	       PROG, seed, nprocs, total_ops);
	fflush(stdout);
	_exit(rc);
}

/* A system call the fuzzer itself needs failed. */
#define sys_fail(what)	fail(RC_SYS, "%s: %s", what, strerror(errno))

static void count_err(int e)
{
	z.sh->errs[e < MAX_MODEL_ERRNO ? e : 0]++;
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	char buf[DESC_LEN + 160];
	int n;

	(void)uc;
	if (!first_to_fail())
		_exit(RC_PEER);
	n = snprintf(buf, sizeof(buf),
		     "FAIL seed=%llu proc=%u op=%llu%s: %s at address %p during: %s\n",
		     seed, z.id, z.op, z.child ? " (forked child)" : "",
		     sig == SIGBUS ? "SIGBUS" : "SIGSEGV", si->si_addr,
		     cur_desc());
	if (write(STDOUT_FILENO, buf, n) < 0)
		_exit(RC_CRASH);
	_exit(RC_CRASH);
}

/* ---- random numbers ---- */

static unsigned long long rnd(unsigned long long n)
{
	return splitmix64_below(&z.r, n);
}

static unsigned long long rnd64(void)
{
	return splitmix64_next(&z.r);
}

static int chance(unsigned int percent)
{
	return rnd(100) < percent;
}

/* A buffer size in pages: mostly small, sometimes most of the pool. */
static unsigned long long rand_pages(void)
{
	unsigned int c = rnd(1000);

	if (c < 450)
		return 1 + rnd(4);
	if (c < 750)
		return 5 + rnd(60);
	if (c < 930)
		return 65 + rnd(448);
	if (c < 985)
		return 513 + rnd(pool_pages / 4 > 513 ? pool_pages / 4 - 512 : 1);
	return 1 + rnd(pool_pages + pool_pages / 2);
}

/* Valid fd_flags: an access mode, mostly O_RDWR, and maybe O_CLOEXEC. */
static __u32 rand_fd_flags(void)
{
	unsigned int c = rnd(100);
	__u32 mode = c < 80 ? O_RDWR : c < 92 ? O_RDONLY : c < 96 ? O_WRONLY :
		     O_ACCMODE;

	return mode | (chance(50) ? O_CLOEXEC : 0);
}

/* A fresh tag: the magic, the process (children above 0x80), a number. */
static unsigned long long new_tag(void)
{
	unsigned long long who = (z.id & 0x7f) | (z.child ? 0x80 : 0);

	return TAG_MAGIC << 48 | who << 40 | (++z.next_tag & 0xffffffffffULL);
}

static const char *mode_name(int mode)
{
	static const char * const name[] = { "ro", "wo", "rw", "no-access" };

	return name[mode & O_ACCMODE];
}

static int readable(int mode)
{
	return mode == O_RDONLY || mode == O_RDWR;
}

/* ---- buffer contents ---- */

/* Whether page @p of a buffer of @pages pages is one that is checked. */
static int in_sample(unsigned long long pages, unsigned long long p)
{
	unsigned long long h = p;

	if (pages <= FULL_PAGES || !p || p == pages - 1)
		return 1;
	return splitmix64_next(&h) % (pages / SAMPLE_PAGES) == 0;
}

/* Whether page @p of @b holds its pattern (the others are zero). */
static int patterned(const struct fbuf *b, unsigned long long p)
{
	return b->tag && in_sample(b->pages, p);
}

static void describe_buf(char *s, size_t n, const struct fbuf *b)
{
	snprintf(s, n, "buffer #%llu (%llu pages at pool page %llu, %s%s, tag 0x%llx)",
		 b->id, b->pages, b->offset, mode_name(b->mode),
		 b->frozen ? ", shared" : "", b->tag);
}

/* Check page @p of @b, mapped at @a; fails with what it found. */
static void check_page(const struct fbuf *b, const unsigned char *a,
		       unsigned long long p, const char *when)
{
	unsigned long long got, want, foreign;
	char what[200];
	size_t bad;

	if (patterned(b, p)) {
		bad = pattern_check_at(a, ps, b->tag, p * ps);
		if (bad == ps)
			return;
		describe_buf(what, sizeof(what), b);
		got = *(const unsigned long long *)(a + bad);
		want = pattern_word(b->tag, (p * ps + bad) / 8);
		foreign = got ^ pattern_word(0, (p * ps + bad) / 8);
		fail(RC_DATA, "%s %s: page %llu byte %zu is 0x%016llx, want 0x%016llx%s%s",
		     what, when, p, bad, got, want,
		     !got ? " (zero)" : "",
		     foreign >> 48 == TAG_MAGIC ?
		     " (another buffer's pattern at the same place)" : "");
	}
	bad = find_not(a, ps, 0);
	if (bad == ps)
		return;
	describe_buf(what, sizeof(what), b);
	got = *(const unsigned long long *)(a + (bad & ~7UL));
	fail(RC_DATA, "%s %s: page %llu byte %zu is 0x%02x, want zero (word 0x%016llx)",
	     what, when, p, bad, a[bad], got);
}

/* Check pages [@first, @first + @n) of @b, mapped at @a (sampled). */
static void verify_view(const struct fbuf *b, const unsigned char *a,
			unsigned long long first, unsigned long long n,
			const char *when)
{
	unsigned long long p, i;

	if (!n)
		return;
	if (n <= FULL_PAGES) {
		for (p = first; p < first + n; p++)
			check_page(b, a + (p - first) * ps, p, when);
		return;
	}
	for (p = first; p < first + n; p++)
		if (in_sample(b->pages, p) || p == first ||
		    p == first + n - 1)
			check_page(b, a + (p - first) * ps, p, when);
	for (i = 0; i < 8; i++) {
		p = first + rnd(n);
		check_page(b, a + (p - first) * ps, p, when);
	}
}

/* Write @b's contents into pages [@first, @first + @n), mapped at @a. */
static void fill_view(const struct fbuf *b, unsigned char *a,
		      unsigned long long first, unsigned long long n,
		      int zeros_too)
{
	unsigned long long p;

	for (p = first; p < first + n; p++) {
		if (patterned(b, p))
			pattern_fill_at(a + (p - first) * ps, ps, b->tag,
					p * ps);
		else if (zeros_too && (n <= FULL_PAGES || !rnd(16)))
			memset(a + (p - first) * ps, 0, ps);
	}
}

/* ---- the table of live buffers every process can see ---- */

static void publish(int i, int valid)
{
	const struct fbuf *b = &z.bufs[i];
	__typeof__(z.sh->live[0]) *e = &z.sh->live[i];

	if (z.child)
		return;
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	e->valid = valid;
	e->ino = b->ino;
	e->offset = b->offset;
	e->pages = b->pages;
	__atomic_store_n(&e->seq, e->seq + 1, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static int overlap(unsigned long long a, unsigned long long an,
		   unsigned long long b, unsigned long long bn)
{
	return a < b + bn && b < a + an;
}

/*
 * No two live buffers share a pool page: @b against the others of this
 * process and those every other process has published. A process
 * withdraws a buffer before it drops its last reference, so a range seen
 * here is still allocated.
 */
static void check_overlaps(const struct fbuf *b)
{
	unsigned int q, i, s1, s2;
	unsigned long long ino, off, n;
	char what[200];

	for (i = 0; i < LIVE_MAX; i++) {
		const struct fbuf *o = &z.bufs[i];

		if (!o->used || o == b || o->ino == b->ino ||
		    !overlap(b->offset, b->pages, o->offset, o->pages))
			continue;
		describe_buf(what, sizeof(what), b);
		fail(RC_DATA, "%s overlaps this process's buffer #%llu (%llu pages at %llu)",
		     what, o->id, o->pages, o->offset);
	}
	for (q = 0; q < nprocs; q++) {
		if (q == z.id)
			continue;
		for (i = 0; i < LIVE_MAX; i++) {
			__typeof__(shm[q].live[0]) *e = &shm[q].live[i];

			s1 = __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE);
			if (s1 & 1)
				continue;
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			if (!e->valid)
				continue;
			ino = e->ino;
			off = e->offset;
			n = e->pages;
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			s2 = __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE);
			if (s1 != s2 || ino == b->ino ||
			    !overlap(b->offset, b->pages, off, n))
				continue;
			describe_buf(what, sizeof(what), b);
			fail(RC_DATA, "%s overlaps a live buffer of proc %u (%llu pages at %llu)",
			     what, q, n, off);
		}
	}
}

/* ---- references: descriptors, mapping pieces, vgem handles ---- */

static int refs(const struct fbuf *b)
{
	return b->nfds + b->nmaps + !!b->handle;
}

static int find_ino(unsigned long long ino)
{
	int i;

	for (i = 0; i < LIVE_MAX; i++)
		if (z.bufs[i].used && z.bufs[i].ino == ino)
			return i;
	return -1;
}

static int buf_slot(void)
{
	int i;

	for (i = 0; i < LIVE_MAX; i++)
		if (!z.bufs[i].used)
			return i;
	return -1;
}

static int map_slot(void)
{
	int i;

	for (i = 0; i < MAP_MAX; i++)
		if (!z.maps[i].used)
			return i;
	return -1;
}

static int free_map_slots(void)
{
	int i, n = 0;

	for (i = 0; i < MAP_MAX; i++)
		n += !z.maps[i].used;
	return n;
}

/* A random buffer that @ok accepts, or -1. */
static int pick_buf(int (*ok)(const struct fbuf *b))
{
	int i, n = 0, idx[LIVE_MAX];

	for (i = 0; i < LIVE_MAX; i++)
		if (z.bufs[i].used && (!ok || ok(&z.bufs[i])))
			idx[n++] = i;
	return n ? idx[rnd(n)] : -1;
}

/* A random mapping piece that @ok accepts, or -1. */
static int pick_map(int (*ok)(const struct fmap *m))
{
	int i, n = 0, idx[MAP_MAX];

	for (i = 0; i < MAP_MAX; i++)
		if (z.maps[i].used && (!ok || ok(&z.maps[i])))
			idx[n++] = i;
	return n ? idx[rnd(n)] : -1;
}

static int has_fd(const struct fbuf *b)
{
	return b->nfds > 0;
}

static unsigned long long fstat_ino(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		sys_fail("fstat of a dma-buf");
	return st.st_ino;
}

static int map_add(int buf, unsigned char *addr, unsigned long long pgoff,
		   unsigned long long pages, int prot)
{
	int j = map_slot();

	if (j < 0)
		return -1;
	z.maps[j].used = 1;
	z.maps[j].buf = buf;
	z.maps[j].addr = addr;
	z.maps[j].pgoff = pgoff;
	z.maps[j].pages = pages;
	z.maps[j].prot = prot;
	z.maps[j].dontfork = 0;
	z.bufs[buf].nmaps++;
	return j;
}

/*
 * Split piece @i so that its pages [@a, @e) are a piece of their own,
 * which it returns; takes up to two free slots (the caller checks).
 */
static int map_isolate(int i, unsigned long long a, unsigned long long e)
{
	struct fmap *m = &z.maps[i];
	int j;

	if (e < m->pages) {
		j = map_slot();
		z.maps[j] = *m;
		z.maps[j].addr = m->addr + e * ps;
		z.maps[j].pgoff = m->pgoff + e;
		z.maps[j].pages = m->pages - e;
		z.bufs[m->buf].nmaps++;
		m->pages = e;
	}
	if (a) {
		j = map_slot();
		z.maps[j] = *m;
		z.maps[j].pages = a;
		z.bufs[m->buf].nmaps++;
		m->addr += a * ps;
		m->pgoff += a;
		m->pages -= a;
	}
	return i;
}

/* A random range [*a, *e) of a piece of @n pages: often all of it. */
static void rand_range(unsigned long long n, unsigned long long *a,
		       unsigned long long *e)
{
	if (n == 1 || chance(40)) {
		*a = 0;
		*e = n;
		return;
	}
	*a = rnd(n);
	*e = *a + 1 + rnd(n - *a);
}

/* Map all of @b with @prot through @fd for a moment; NULL if refused. */
static unsigned char *map_whole(const struct fbuf *b, int fd, int prot)
{
	void *p = mmap(NULL, b->pages * ps, prot, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void unmap_whole(const struct fbuf *b, unsigned char *p)
{
	if (munmap(p, b->pages * ps))
		sys_fail("munmap of a whole buffer");
}

static int vgem_export(const struct fbuf *b, __u32 flags)
{
	struct drm_prime_handle_arg ph;

	memset(&ph, 0, sizeof(ph));
	ph.handle = b->handle;
	ph.flags = flags;
	ph.fd = -1;
	if (ioctl(z.card, DRM_HANDLE_TO_FD_IOC, &ph) < 0)
		return -errno;
	return ph.fd;
}

/*
 * Check all of @b holds what it should (sampled for large buffers),
 * through whatever reference it has. A buffer whose file may not be read
 * (O_WRONLY and no access mode) cannot be checked.
 */
static void verify_buf(struct fbuf *b, const char *when)
{
	unsigned char *p;
	int fd = -1, tmp = -1, i;

	if (!readable(b->mode)) {
		z.sh->unverified++;
		return;
	}
	if (b->nfds) {
		fd = b->fds[rnd(b->nfds)];
	} else if (b->handle && z.card >= 0) {
		tmp = vgem_export(b, O_CLOEXEC);
		if (tmp < 0)
			fail(RC_IMPORT, "vgem: handle %u to fd, to check buffer #%llu: %s",
			     b->handle, b->id, errname(-tmp));
		fd = tmp;
	}
	if (fd < 0) {
		/* Mappings only: check what they show. */
		for (i = 0; i < MAP_MAX; i++) {
			struct fmap *m = &z.maps[i];

			if (m->used && &z.bufs[m->buf] == b &&
			    (m->prot & PROT_READ))
				verify_view(b, m->addr, m->pgoff, m->pages,
					    when);
		}
		return;
	}
	p = map_whole(b, fd, PROT_READ);
	if (!p)
		fail(RC_MAP, "mapping buffer #%llu (%llu pages, %s) to check it: %s",
		     b->id, b->pages, mode_name(b->mode), strerror(errno));
	verify_view(b, p, 0, b->pages, when);
	unmap_whole(b, p);
	if (tmp >= 0)
		close(tmp);
}

/*
 * Before one reference of buffer @i goes: when it is the last, check the
 * buffer (unless @check is 0) and withdraw it from the shared table.
 */
static void before_drop(int i, int check, const char *when)
{
	struct fbuf *b = &z.bufs[i];

	if (refs(b) > 1)
		return;
	if (check)
		verify_buf(b, when);
	publish(i, 0);
}

static void after_drop(int i)
{
	struct fbuf *b = &z.bufs[i];

	if (!refs(b))
		memset(b, 0, sizeof(*b));
}

static void drop_fd(int i, int k, int check)
{
	struct fbuf *b = &z.bufs[i];

	before_drop(i, check, "before its last descriptor is closed");
	if (close(b->fds[k]))
		sys_fail("close of a dma-buf");
	b->fds[k] = b->fds[--b->nfds];
	after_drop(i);
}

static void drop_map(int j, int check)
{
	struct fmap *m = &z.maps[j];
	int i = m->buf;

	before_drop(i, check, "before its last mapping goes");
	if (munmap(m->addr, m->pages * ps))
		sys_fail("munmap of a piece");
	m->used = 0;
	z.bufs[i].nmaps--;
	after_drop(i);
}

static void gem_close(__u32 handle, int must)
{
	struct drm_gem_close_arg gc;

	memset(&gc, 0, sizeof(gc));
	gc.handle = handle;
	if (ioctl(z.card, DRM_GEM_CLOSE_IOC, &gc) < 0 && must)
		fail(RC_IMPORT, "vgem: GEM_CLOSE of handle %u: %s", handle,
		     errname(errno));
}

static void drop_handle(int i, int check)
{
	struct fbuf *b = &z.bufs[i];

	before_drop(i, check, "before vgem lets go of it");
	gem_close(b->handle, 1);
	b->handle = 0;
	after_drop(i);
}

/*
 * Drop every reference of buffer @i in a random order; @check: verify it
 * before the last one goes.
 */
static void drop_buf(int i, int check)
{
	struct fbuf *b = &z.bufs[i];
	int j;

	while (b->used) {
		unsigned int c = rnd(3);

		if (c == 0 && b->nfds) {
			drop_fd(i, rnd(b->nfds), check);
		} else if (c == 1 && b->handle) {
			drop_handle(i, check);
		} else if (c == 2 && b->nmaps) {
			for (j = 0; j < MAP_MAX; j++)
				if (z.maps[j].used && z.maps[j].buf == i)
					break;
			drop_map(j, check);
		}
	}
}

/* ---- adopting a new descriptor ---- */

/* PAGEPOOL_IOC_BUFFER_INFO of @fd, which must work. */
static void buffer_info_of(int fd, unsigned long long *offset,
			   unsigned long long *pages)
{
	struct pagepool_buffer_info bi;

	memset(&bi, 0, sizeof(bi));
	bi.fd = fd;
	if (ioctl(z.dev, PAGEPOOL_IOC_BUFFER_INFO, &bi) < 0)
		fail(RC_ABI, "PAGEPOOL_IOC_BUFFER_INFO of dma-buf fd %d: %s",
		     fd, errname(errno));
	*offset = bi.offset;
	*pages = bi.pages;
	if (!bi.phys || bi.phys & (ps - 1))
		fail(RC_ABI, "PAGEPOOL_IOC_BUFFER_INFO: phys 0x%llx for a root caller",
		     (unsigned long long)bi.phys);
	if (!z.phys_base)
		z.phys_base = bi.phys - bi.offset * ps;
	if (bi.phys != z.phys_base + bi.offset * ps)
		fail(RC_ABI, "buffer info: phys 0x%llx for page %llu, pool at 0x%llx",
		     (unsigned long long)bi.phys,
		     (unsigned long long)bi.offset, z.phys_base);
}

/*
 * Take @fd, a dma-buf of @pages pages with access @mode, into the table:
 * a buffer already held (the same file came back) gets one more
 * descriptor. @offset is where it should lie, or UNKNOWN.
 *
 * Return: its index; or -1 when the table is full (@fd stays open).
 */
static int adopt(int fd, unsigned long long pages, int mode,
		 unsigned long long tag, int frozen,
		 unsigned long long offset)
{
	unsigned long long ino = fstat_ino(fd), off, n;
	struct fbuf *b;
	int i = find_ino(ino);

	buffer_info_of(fd, &off, &n);
	if (n != pages || (offset != UNKNOWN && off != offset))
		fail(RC_ABI, "fd %d: buffer info %llu pages at %llu, not %llu at %lld",
		     fd, n, off, pages, offset == UNKNOWN ? -1LL :
		     (long long)offset);
	if (i >= 0) {
		b = &z.bufs[i];
		if (b->pages != pages || b->offset != off || b->tag != tag)
			fail(RC_DATA, "buffer #%llu came back: %llu pages at %llu, tag 0x%llx",
			     b->id, pages, off, tag);
		b->frozen |= frozen;
		if (b->nfds == FD_MAX) {
			close(fd);
			return i;
		}
		b->fds[b->nfds++] = fd;
		return i;
	}
	i = buf_slot();
	if (i < 0)
		return -1;
	b = &z.bufs[i];
	memset(b, 0, sizeof(*b));
	b->used = 1;
	b->id = ++z.next_id;
	b->pages = pages;
	b->offset = off;
	b->tag = tag;
	b->ino = ino;
	b->mode = mode;
	b->frozen = frozen;
	b->fds[0] = fd;
	b->nfds = 1;
	check_overlaps(b);
	publish(i, 1);
	return i;
}

/*
 * A new allocation: check it reads zero, then (read-write) give it a tag
 * and write its pattern; maybe keep the mapping.
 */
static void init_new(int i, unsigned long long clean)
{
	struct fbuf *b = &z.bufs[i];
	int prot = b->mode == O_RDWR ? PROT_READ | PROT_WRITE : PROT_READ;
	unsigned char *p;

	if (clean != UNKNOWN && clean > b->pages)
		fail(RC_ABI, "allocation of %llu pages says %llu were clean",
		     b->pages, clean);
	if (!readable(b->mode)) {
		z.sh->unverified++;
		return;
	}
	p = map_whole(b, b->fds[0], prot);
	if (!p)
		fail(RC_MAP, "mmap of new buffer #%llu (%llu pages, %s): %s",
		     b->id, b->pages, mode_name(b->mode), strerror(errno));
	verify_view(b, p, 0, b->pages, "when new");
	if (b->mode == O_RDWR) {
		b->tag = new_tag();
		fill_view(b, p, 0, b->pages, 0);
		verify_view(b, p, 0, b->pages, "after its pattern was written");
	}
	if (chance(40) && map_add(i, p, 0, b->pages, prot) >= 0)
		return;
	unmap_whole(b, p);
}

/* The table is full: check a buffer that came in and let it go. */
static void look_and_close(int fd, unsigned long long pages, int mode,
			   unsigned long long tag, const char *when)
{
	struct fbuf tmp;
	unsigned char *p;

	memset(&tmp, 0, sizeof(tmp));
	tmp.pages = pages;
	tmp.mode = mode;
	tmp.tag = tag;
	tmp.id = 0;
	if (readable(mode)) {
		p = map_whole(&tmp, fd, PROT_READ);
		if (!p)
			fail(RC_MAP, "mmap of a %llu-page dma-buf (%s) %s: %s",
			     pages, mode_name(mode), when, strerror(errno));
		verify_view(&tmp, p, 0, pages, when);
		unmap_whole(&tmp, p);
	}
	close(fd);
}

/* ---- the ring of processes: fd passing ---- */

/* Take in one message; @block waits for it. Returns 0 when none came. */
static int recv_msg(int block)
{
	struct pagepool_pool_info pi;
	struct fmsg m;
	ssize_t n;
	int fd, i;

	n = fd_recv(z.rx, &m, sizeof(m), &fd, block ? 0 : MSG_DONTWAIT);
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0)
		sys_fail("recvmsg");
	if (n == 0) {
		if (z.peer_done)
			return 0;
		/* It failed, and says so: this one just stops. */
		_exit(RC_PEER);
	}
	if (n != sizeof(m))
		fail(RC_SYS, "short message (%zd bytes)", n);
	if (m.kind == MSG_DONE) {
		z.peer_done = 1;
		return 1;
	}
	if (fd < 0)
		fail(RC_SYS, "message %u from proc %u without a descriptor",
		     m.kind, m.from);
	z.sh->counts[K_RECV]++;
	if (m.kind == MSG_DEV) {
		/* Another process's /dev/pagepool works here too. */
		memset(&pi, 0, sizeof(pi));
		if (ioctl(fd, PAGEPOOL_IOC_POOL_INFO, &pi) < 0 ||
		    pi.pages != pool_pages)
			fail(RC_ABI, "pool info on a /dev/pagepool from proc %u: %s",
			     m.from, errname(errno));
		close(fd);
		return 1;
	}
	if (fstat_ino(fd) != m.ino)
		fail(RC_SYS, "the descriptor from proc %u is another file",
		     m.from);
	i = adopt(fd, m.pages, m.mode, m.tag, m.frozen, m.offset);
	if (i < 0) {
		look_and_close(fd, m.pages, m.mode, m.tag,
			       "on arrival (no room to keep it)");
		return 1;
	}
	verify_buf(&z.bufs[i], "on arrival from another process");
	return 1;
}

/*
 * recv_msg() with its own random stream: what arrives depends on timing,
 * and must not change the choices of the operation under way.
 */
static int recv_one(int block)
{
	unsigned long long saved = z.r;
	int ret;

	z.r = z.rx_rng;
	ret = recv_msg(block);
	z.rx_rng = z.r;
	z.r = saved;
	return ret;
}

/* Send @m with @fd, taking in what arrives while the socket is full. */
static void send_msg(struct fmsg *m, int fd)
{
	struct pollfd pfd[2];
	ssize_t n;

	for (;;) {
		n = fd_send(z.tx, m, sizeof(*m), fd,
			    MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == sizeof(*m))
			return;
		if (n >= 0)
			fail(RC_SYS, "short send (%zd bytes)", n);
		if (errno == EINTR)
			continue;
		if (errno == EPIPE || errno == ECONNRESET)
			_exit(RC_PEER);
		if (errno != EAGAIN && errno != ENOBUFS)
			sys_fail("sendmsg");
		pfd[0].fd = z.tx;
		pfd[0].events = POLLOUT;
		pfd[1].fd = z.peer_done ? -1 : z.rx;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, 100) < 0 && errno != EINTR)
			sys_fail("poll");
		if (pfd[1].revents)
			recv_one(0);
	}
}

/* ---- ioctl arguments and the model of the ABI ---- */

#define BIT(e)		(1ULL << (e))
#define MAX_ARG		(_IOC_SIZEMASK + 1)

/*
 * Where an ioctl's argument goes: good memory, memory that ends in a
 * PROT_NONE page, a read-only page, or an address nothing can use.
 */
struct argloc {
	unsigned long addr;
	size_t avail;		/* bytes readable from addr */
	size_t wavail;		/* bytes writable from addr */
	const char *what;
};

/*
 * The arena: ARENA_RW read-write pages, a PROT_NONE page, a read-only
 * page, another PROT_NONE page. Arguments never go into a buffer's
 * mapping, whose contents the kernel's reply would change.
 */
static unsigned char *arena_init(int flags)
{
	unsigned char *p = mmap(NULL, (ARENA_RW + 3) * ps,
				PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED)
		sys_fail("mmap of the ioctl arena");
	if (mprotect(p + ARENA_RW * ps, ps, PROT_NONE) ||
	    mprotect(p + (ARENA_RW + 1) * ps, ps, PROT_READ) ||
	    mprotect(p + (ARENA_RW + 2) * ps, ps, PROT_NONE))
		sys_fail("mprotect of the ioctl arena");
	return p;
}

static size_t min_sz(size_t a, size_t b)
{
	return a < b ? a : b;
}

static void place_arg(struct argloc *a, const unsigned char *bytes,
		      size_t len, int good)
{
	static const struct {
		unsigned long addr;
		const char *what;
	} bad[] = {
		/* The first three fit in 32 bits, for compat calls. */
		{ 0, "NULL" },
		{ LOW_PAGE, "unmapped" },
		{ 1, "PROT_NONE" },
		{ KERNEL_TEXT, "kernel text" },
		{ KERNEL_DIRECT, "kernel direct-map" },
		{ NON_CANONICAL, "non-canonical" },
		{ TASK_END, "past the user range" },
	};
	unsigned char *arena = z.compat ? z.arena32 : z.arena;
	size_t rw = ARENA_RW * ps, off, k;
	unsigned char *ro = arena + (ARENA_RW + 1) * ps;
	unsigned int c = good ? 0 : rnd(100);

	memset(a, 0, sizeof(*a));
	if (c < 72 || (c < 80 && len < 2)) {
		off = len < rw ? rw - len : 0;
		off -= min_sz(off, rnd(65));
		a->what = "good";
	} else if (c < 80) {
		k = 1 + rnd(len - 1);
		off = rw - k;
		a->what = "ends in a PROT_NONE page";
	} else if (c < 86) {
		off = rnd(ps - min_sz(len, ps) + 1);
		if (mprotect(ro, ps, PROT_READ | PROT_WRITE))
			sys_fail("mprotect");
		memcpy(ro + off, bytes, min_sz(len, ps - off));
		if (mprotect(ro, ps, PROT_READ))
			sys_fail("mprotect");
		a->addr = (unsigned long)(ro + off);
		a->avail = ps - off;
		a->wavail = 0;
		a->what = "read-only";
		return;
	} else if (c >= 86) {
		k = rnd(z.compat ? 3 : ARRAY_SIZE(bad));
		a->addr = bad[k].addr;
		if (a->addr == 1)
			a->addr = (unsigned long)(arena + rw);
		a->what = bad[k].what;
	}
	if (c >= 86)
		return;
	a->addr = (unsigned long)(arena + off);
	a->avail = rw - off;
	a->wavail = a->avail;
	memcpy(arena + off, bytes, min_sz(len, a->avail));
}

/* What the ABI allows an ioctl to answer. */
struct expect {
	unsigned long long mask;	/* errnos allowed; bit 0: success */
	int alloc;			/* success makes a buffer */
	unsigned long long pages;
	int mode;
	int cloexec;
	size_t fd_at;			/* where the reply has the fd */
	size_t ctl_at;			/* and offset, clean_pages (ctl) */
	size_t out;			/* bytes the reply copies out */
	int info_buf;			/* BUFFER_INFO of this buffer */
	int no_fd;			/* made with no descriptor free */
};

/* An ioctl type byte, but none of those the VFS answers itself. */
static unsigned int rand_type(void)
{
	unsigned int t;

	do {
		t = rnd(256);
	} while (!t || t == 'T' || t == 'X' || t == 'f' || t == 0x15 ||
		 t == 0x94);
	return t;
}

static unsigned int rand_size(size_t ksize)
{
	switch (rnd(10)) {
	case 0:
		return 0;
	case 1:
		return 1 + rnd(7);
	case 2:
		return ksize - 1 - rnd(8);
	case 3:
		return ksize + 1 + rnd(8);
	case 4:
		return ksize + 8 * (1 + rnd(16));
	case 5:
		return rnd(_IOC_SIZEMASK + 1);
	}
	return ksize;
}

/* @good with random changes to its direction, type, number or size. */
static unsigned int fuzz_cmd(unsigned int good, size_t ksize, int nrs)
{
	unsigned int dir = _IOC_DIR(good), type = _IOC_TYPE(good);
	unsigned int nr = _IOC_NR(good), size = _IOC_SIZE(good);
	unsigned int c = rnd(100);

	if (c < 45)
		return good;
	if (c < 65) {
		size = rand_size(ksize);
	} else if (c < 75) {
		dir = rnd(4);
	} else if (c < 83) {
		type = rand_type();
	} else if (c < 95) {
		nr = chance(50) ? rnd(nrs + 2) : rnd(256);
	} else {
		dir = rnd(4);
		type = rand_type();
		nr = rnd(256);
		size = rnd(_IOC_SIZEMASK + 1);
	}
	return _IOC(dir, type, nr, size);
}

/* What a BUFFER_INFO of descriptor @fd answers: 0, -EINVAL or -EBADF. */
static int classify_fd(__u32 fd, int *buf)
{
	int i, k;

	*buf = -1;
	if ((int)fd < 0 || fcntl((int)fd, F_GETFD) < 0)
		return -EBADF;
	if ((int)fd == z.foreign[0] || (int)fd == z.foreign[1])
		return -EINVAL;
	for (i = 0; i < LIVE_MAX; i++)
		for (k = 0; z.bufs[i].used && k < z.bufs[i].nfds; k++)
			if (z.bufs[i].fds[k] == (int)fd) {
				*buf = i;
				return 0;
			}
	return -EINVAL;
}

/* A descriptor number to ask BUFFER_INFO about. */
static __u32 rand_info_fd(void)
{
	int i = pick_buf(has_fd);

	switch (rnd(8)) {
	case 0:
		return z.dev;
	case 1:
		return chance(50) ? z.heap : z.rx;
	case 2:
		return z.card >= 0 ? z.card : STDOUT_FILENO;
	case 3:
		return chance(50) ? 900 + (__u32)rnd(100) :
		       (__u32)z.foreign[rnd(2)];
	case 4:
		return chance(50) ? ~0U : 0x80000000U | rnd64();
	}
	return i >= 0 ? z.bufs[i].fds[rnd(z.bufs[i].nfds)] : z.dev;
}

/* A struct for /dev/pagepool command number @nr, maybe broken. */
static void gen_ctl(unsigned int nr, unsigned char *bytes)
{
	struct pagepool_alloc al;
	struct pagepool_buffer_info bi;
	struct pagepool_sync sy;
	unsigned int k;

	switch (nr) {
	case 0:
		memset(&al, 0, sizeof(al));
		al.pages = rand_pages();
		al.fd_flags = rand_fd_flags();
		/* An alignment, mostly a good one, now and then not. */
		if (chance(30))
			al.align = chance(85) ? 1ULL << rnd(12) :
				   chance(50) ? 3 + 2 * rnd(100) :
				   1ULL << (20 + rnd(44));
		k = chance(40) ? rnd(9) : 99;
		if (k == 0)
			al.pages = 0;
		else if (k == 1)
			al.pages = pool_pages + 1 + rnd(1000);
		else if (k == 2)
			al.pages = (rnd64() | 1ULL << 63) >> rnd(44);
		else if (k == 3)
			al.fd_flags |= 1U << rnd(32);
		else if (k == 4)
			al.fd = 1 + rnd(100);
		else if (k == 5)
			al.flags = 1ULL << rnd(64);
		else if (k == 6)
			al.offset = 1 + rnd(pool_pages);
		else if (k == 7)
			al.clean_pages = 1 + rnd(10);
		else if (k == 8)
			al.reserved[0] = 1ULL << rnd(64);
		memcpy(bytes, &al, sizeof(al));
		return;
	case 1:
		memset(&bi, 0, sizeof(bi));
		bi.fd = rand_info_fd();
		k = chance(25) ? rnd(5) : 99;
		if (k == 0)
			bi.reserved0 = 1 + rnd(100);
		else if (k == 1)
			bi.offset = 1 + rnd(100);
		else if (k == 2)
			bi.pages = 1 + rnd(100);
		else if (k == 3)
			bi.phys = 1 + rnd(100);
		else if (k == 4)
			bi.reserved[rnd(2)] = 1ULL << rnd(64);
		memcpy(bytes, &bi, sizeof(bi));
		return;
	case 2:
		if (chance(25))
			bytes[rnd(sizeof(struct pagepool_pool_info))] =
				1 + rnd(255);
		return;
	case 3:
		memset(&sy, 0, sizeof(sy));
		sy.fd = rand_info_fd();
		sy.flags = chance(80) ? DMA_BUF_SYNC_END * rnd(2) |
					(1 + rnd(3)) : rnd64() >> rnd(64);
		sy.offset = chance(80) ? rnd(4 * ps) : rnd64();
		sy.len = chance(80) ? rnd(4 * ps) : rnd64();
		if (chance(10))
			sy.reserved0 = 1 + rnd(100);
		else if (chance(10))
			sy.reserved[rnd(2)] = 1ULL << rnd(64);
		memcpy(bytes, &sy, sizeof(sy));
		return;
	}
	for (k = 0; k < 64; k++)
		bytes[k] = rnd(256);
}

/* Whether PAGEPOOL_IOC_SYNC takes these flags and range of @size bytes. */
static int sync_ok(const struct pagepool_sync *sy, unsigned long long size)
{
	return !(sy->flags & ~(__u64)DMA_BUF_SYNC_VALID_FLAGS_MASK) &&
	       sy->flags & DMA_BUF_SYNC_RW && sy->len &&
	       sy->offset <= size && sy->len <= size - sy->offset;
}

/* The model of /dev/pagepool's ioctl (dev.c, Documentation). */
static unsigned long long model_ctl(unsigned int cmd,
				    const unsigned char *bytes,
				    const struct argloc *a, struct expect *x)
{
	size_t usize = _IOC_SIZE(cmd), ksize, n, i;
	unsigned long long ok;
	int e;
	union {
		struct pagepool_alloc al;
		struct pagepool_buffer_info bi;
		struct pagepool_pool_info pi;
		struct pagepool_sync sy;
		unsigned char raw[128];
	} k;

	memset(x, 0, sizeof(*x));
	x->info_buf = -1;
	/* SYNC only passes a struct in; the others take one and answer. */
	if (_IOC_TYPE(cmd) != PAGEPOOL_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_NR(cmd) == 3 ? _IOC_WRITE :
			      _IOC_READ | _IOC_WRITE))
		return BIT(ENOTTY);
	switch (_IOC_NR(cmd)) {
	case 3:
		ksize = sizeof(k.sy);
		break;
	case 0:
		ksize = sizeof(k.al);
		break;
	case 1:
		ksize = sizeof(k.bi);
		break;
	case 2:
		ksize = sizeof(k.pi);
		break;
	default:
		return BIT(ENOTTY);
	}
	/* copy_struct_from_user(): a longer struct's tail must be zero. */
	if (usize > ksize) {
		for (i = ksize; i < usize && i < a->avail; i++)
			if (bytes[i])
				return BIT(EINVAL);
		if (a->avail < usize)
			return BIT(EFAULT);
	}
	n = min_sz(usize, ksize);
	if (a->avail < n)
		return BIT(EFAULT);
	memset(&k, 0, sizeof(k));
	memcpy(&k, bytes, n);
	x->out = n;
	ok = a->wavail >= n ? BIT(0) : BIT(EFAULT);
	switch (_IOC_NR(cmd)) {
	case 0:
		if (k.al.fd || k.al.offset || k.al.clean_pages ||
		    k.al.flags & ~PAGEPOOL_ALLOC_WRITECOMBINE ||
		    k.al.reserved[0] ||
		    (k.al.align > 1 && (k.al.align & (k.al.align - 1) ||
					k.al.align > pool_pages)) ||
		    k.al.fd_flags & ~(O_CLOEXEC | O_ACCMODE) || !k.al.pages)
			return BIT(EINVAL);
		if (k.al.pages > max_pages)
			return BIT(k.al.pages > pool_pages ? ENOMEM :
				       EINVAL);
		x->alloc = 1;
		x->pages = k.al.pages;
		x->mode = k.al.fd_flags & O_ACCMODE;
		x->cloexec = !!(k.al.fd_flags & O_CLOEXEC);
		x->fd_at = offsetof(struct pagepool_alloc, fd);
		x->ctl_at = offsetof(struct pagepool_alloc, offset);
		return BIT(ENOMEM) | ok;
	case 1:
		if (k.bi.reserved0 || k.bi.offset || k.bi.pages || k.bi.phys ||
		    k.bi.reserved[0] || k.bi.reserved[1])
			return BIT(EINVAL);
		e = -classify_fd(k.bi.fd, &x->info_buf);
		return e ? BIT(e) : ok;
	case 3:
		x->out = 0;
		if (k.sy.reserved0 || k.sy.reserved[0] || k.sy.reserved[1])
			return BIT(EINVAL);
		e = -classify_fd(k.sy.fd, &x->info_buf);
		if (e)
			return BIT(e);
		return sync_ok(&k.sy, z.bufs[x->info_buf].pages * ps) ?
		       BIT(0) : BIT(EINVAL);
	}
	for (i = 0; i < sizeof(k.pi); i++)
		if (k.raw[i])
			return BIT(EINVAL);
	return ok;
}

/* A heap allocation request, maybe broken. */
static void gen_heap(unsigned char *bytes)
{
	struct dma_heap_allocation_data d;
	unsigned int k;

	memset(&d, 0, sizeof(d));
	d.len = rand_pages() * ps;
	if (chance(30))
		d.len -= rnd(ps);
	d.fd_flags = rand_fd_flags();
	k = chance(35) ? rnd(7) : 99;
	if (k == 0)
		d.fd = 1 + rnd(100);
	else if (k == 1)
		d.fd_flags |= 1U << rnd(32);
	else if (k == 2)
		d.heap_flags = 1ULL << rnd(64);
	else if (k == 3)
		d.len = 0;
	else if (k == 4)
		d.len = ~0ULL - rnd(ps);
	else if (k == 5)
		d.len = (pool_pages + 1) * ps + rnd(1 << 20);
	else if (k == 6)
		d.len = 1ULL << (40 + rnd(24));
	memcpy(bytes, &d, sizeof(d));
}

/* The model of /dev/dma_heap/pagepool's ioctl (drivers/dma-buf/dma-heap.c). */
static unsigned long long model_heap(unsigned int cmd,
				     const unsigned char *bytes,
				     const struct argloc *a, struct expect *x)
{
	size_t usize = _IOC_SIZE(cmd), in = 0, out = 0;
	struct dma_heap_allocation_data d;
	unsigned long long pages;

	memset(x, 0, sizeof(*x));
	x->info_buf = -1;
	if (_IOC_NR(cmd) != 0)
		return BIT(EINVAL);
	if (_IOC_DIR(cmd) & _IOC_WRITE)
		in = usize;
	if (_IOC_DIR(cmd) & _IOC_READ)
		out = usize;
	if (a->avail < in)
		return BIT(EFAULT);
	memset(&d, 0, sizeof(d));
	memcpy(&d, bytes, min_sz(in, sizeof(d)));
	if (d.fd || d.fd_flags & ~(O_CLOEXEC | O_ACCMODE) || d.heap_flags ||
	    d.len > ~0ULL - (ps - 1) || !((d.len + ps - 1) / ps))
		return BIT(EINVAL);
	pages = (d.len + ps - 1) / ps;
	if (pages > max_pages)
		return BIT(pages > pool_pages ? ENOMEM : EINVAL);
	x->alloc = 1;
	x->pages = pages;
	x->mode = d.fd_flags & O_ACCMODE;
	x->cloexec = !!(d.fd_flags & O_CLOEXEC);
	x->fd_at = offsetof(struct dma_heap_allocation_data, fd);
	x->out = out;
	return BIT(ENOMEM) | (a->wavail >= out ? BIT(0) : BIT(EFAULT));
}

static void mask_names(unsigned long long mask, char *s, size_t n)
{
	size_t used = 0;
	int e;

	s[0] = '\0';
	for (e = 0; e < MAX_MODEL_ERRNO && used < n; e++)
		if (mask & BIT(e))
			used += snprintf(s + used, n - used, "%s%s",
					 used ? " or " : "", errname(e));
}

/*
 * A system call as a 32-bit process makes it (int 0x80: the compat
 * entry, and a file's compat_ioctl); x86-64 only.
 */
static long compat_syscall(long nr, unsigned int a, unsigned int b,
			   unsigned int c)
{
	long ret = nr;

#ifdef __x86_64__
	__asm__ volatile ("int $0x80"
			  : "+a" (ret)
			  : "b" (a), "c" (b), "d" (c)
			  : "memory", "r8", "r9", "r10", "r11");
#else
	(void)a;
	(void)b;
	(void)c;
	ret = -1;
#endif
	return ret;
}

/* ioctl() through the compat entry: 0 or a negative errno. */
static int compat_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	long ret = compat_syscall(54, fd, cmd, arg);

	if (arg >> 32)
		fail(RC_SYS, "a compat ioctl argument above 4 GiB: 0x%lx", arg);
	return (int)ret < 0 ? (int)ret : 0;
}

/* The lowest free descriptor: where the next one the kernel makes goes. */
static int lowest_free_fd(void)
{
	int fd = fcntl(z.dev, F_DUPFD, 0);

	if (fd < 0)
		sys_fail("F_DUPFD");
	close(fd);
	return fd;
}

static void check_new_fd(int fd, const struct expect *x, const char *dev)
{
	int fdf = fcntl(fd, F_GETFD), fl = fcntl(fd, F_GETFL);

	if (!!(fdf & FD_CLOEXEC) != x->cloexec)
		fail(RC_ABI, "%s: the new dma-buf fd %d is %sclose-on-exec, asked %s",
		     dev, fd, fdf & FD_CLOEXEC ? "" : "not ",
		     x->cloexec ? "O_CLOEXEC" : "without");
	if ((fl & O_ACCMODE) != x->mode)
		fail(RC_ABI, "%s: the new dma-buf fd %d has access mode %d, asked %d",
		     dev, fd, fl & O_ACCMODE, x->mode);
}

/*
 * Run ioctl @cmd on @fd with argument @a, and check the answer is one
 * @x allows; take in the buffer a successful allocation made.
 */
static void run_ioctl(int fd, const char *dev, unsigned int cmd,
		      const struct argloc *a, const struct expect *x)
{
	int probe = lowest_free_fd(), e, i;
	unsigned long long clean = UNKNOWN, offset = UNKNOWN;
	struct rlimit rl, low;
	char want[160];
	__u32 reported;

	opf(" %s cmd 0x%08x (dir %u type 0x%02x nr %u size %u), %s arg",
	    dev, cmd, _IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd),
	    _IOC_SIZE(cmd), a->what);
	if (x->no_fd) {
		/* No descriptor can be made: the call must take nothing. */
		if (getrlimit(RLIMIT_NOFILE, &rl))
			sys_fail("getrlimit");
		low = rl;
		low.rlim_cur = probe;
		if (setrlimit(RLIMIT_NOFILE, &low))
			sys_fail("setrlimit");
		opf(" with RLIMIT_NOFILE %d", probe);
	}
	if (z.compat)
		e = -compat_ioctl(fd, cmd, a->addr);
	else
		e = ioctl(fd, cmd, a->addr) < 0 ? errno : 0;
	if (x->no_fd && setrlimit(RLIMIT_NOFILE, &rl))
		sys_fail("setrlimit");
	opf(" = %s", errname(e));
	count_err(e);
	if (e >= MAX_MODEL_ERRNO || !(x->mask & BIT(e))) {
		mask_names(x->mask, want, sizeof(want));
		fail(RC_ABI, "ioctl(%s, 0x%08x [%u %02x %u %u], %s 0x%lx) = %s, want %s",
		     dev, cmd, _IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd),
		     _IOC_SIZE(cmd), a->what, a->addr, errname(e), want);
	}
	if (!x->alloc)
		return;
	if (e) {
		if (fcntl(probe, F_GETFD) >= 0)
			fail(RC_ABI, "%s: a failed allocation (%s) left descriptor %d behind",
			     dev, errname(e), probe);
		return;
	}
	if (fcntl(probe, F_GETFD) < 0)
		fail(RC_ABI, "%s: an allocation succeeded but made no descriptor at %d",
		     dev, probe);
	if (x->out >= x->fd_at + 4) {
		memcpy(&reported, (void *)(a->addr + x->fd_at), 4);
		if (reported != (__u32)probe)
			fail(RC_ABI, "%s: the reply says fd %u, the new descriptor is %d",
			     dev, reported, probe);
	}
	/* PAGEPOOL_IOC_ALLOC's reply: offset, then clean_pages. */
	if (x->ctl_at && x->out >= x->ctl_at + 8)
		memcpy(&offset, (void *)(a->addr + x->ctl_at), 8);
	if (x->ctl_at && x->out >= x->ctl_at + 16)
		memcpy(&clean, (void *)(a->addr + x->ctl_at + 8), 8);
	check_new_fd(probe, x, dev);
	opf(" fd %d, %llu pages %s", probe, x->pages, mode_name(x->mode));
	i = adopt(probe, x->pages, x->mode, 0, 0, offset);
	if (i < 0)
		look_and_close(probe, x->pages, x->mode, 0,
			       "when new (no room to keep it)");
	else
		init_new(i, clean);
}

/* ---- operations: allocation and the devices' ioctls ---- */

/*
 * Sometimes a valid allocation with no descriptor free: EMFILE, before
 * any page is taken.
 */
static void no_fd(struct expect *x)
{
	if (x->alloc && chance(3)) {
		x->no_fd = 1;
		x->mask = BIT(EMFILE);
	}
}

static void op_alloc(int heap)
{
	unsigned char bytes[sizeof(struct pagepool_alloc)];
	struct dma_heap_allocation_data d;
	struct pagepool_alloc al;
	struct argloc a;
	struct expect x;

	memset(bytes, 0, sizeof(bytes));
	if (heap) {
		memset(&d, 0, sizeof(d));
		d.len = rand_pages() * ps - (chance(20) ? rnd(ps) : 0);
		d.fd_flags = rand_fd_flags();
		memcpy(bytes, &d, sizeof(d));
		place_arg(&a, bytes, sizeof(d), 1);
		x.mask = model_heap(DMA_HEAP_IOCTL_ALLOC, bytes, &a, &x);
		no_fd(&x);
		opf(" heap len %llu", (unsigned long long)d.len);
		run_ioctl(z.heap, heap_path, DMA_HEAP_IOCTL_ALLOC, &a, &x);
		return;
	}
	memset(&al, 0, sizeof(al));
	al.pages = rand_pages();
	al.fd_flags = rand_fd_flags();
	if (chance(10))
		al.flags = PAGEPOOL_ALLOC_WRITECOMBINE;
	memcpy(bytes, &al, sizeof(al));
	place_arg(&a, bytes, sizeof(al), 1);
	x.mask = model_ctl(PAGEPOOL_IOC_ALLOC, bytes, &a, &x);
	no_fd(&x);
	opf(" %llu pages%s", (unsigned long long)al.pages,
	    al.flags ? " wc" : "");
	run_ioctl(z.dev, pool_path, PAGEPOOL_IOC_ALLOC, &a, &x);
}

static size_t ctl_ksize(unsigned int nr)
{
	if (nr == 0)
		return sizeof(struct pagepool_alloc);
	if (nr == 1)
		return sizeof(struct pagepool_buffer_info);
	if (nr == 3)
		return sizeof(struct pagepool_sync);
	return sizeof(struct pagepool_pool_info);
}

/* Random bytes past the structure, where a longer one would have more. */
static void maybe_tail(unsigned char *bytes, size_t ksize, size_t usize)
{
	if (usize > ksize && chance(30))
		bytes[ksize + rnd(usize - ksize)] = 1 + rnd(255);
}

static void check_info_reply(const struct argloc *a, const struct expect *x)
{
	struct pagepool_buffer_info bi;
	struct pagepool_pool_info pi;
	const struct fbuf *b;

	if (x->info_buf >= 0 && x->out >= offsetof(typeof(bi), phys)) {
		memcpy(&bi, (void *)a->addr, offsetof(typeof(bi), phys));
		b = &z.bufs[x->info_buf];
		if (bi.offset != b->offset || bi.pages != b->pages)
			fail(RC_ABI, "buffer info of #%llu: %llu pages at %llu, not %llu at %llu",
			     b->id, (unsigned long long)bi.pages,
			     (unsigned long long)bi.offset, b->pages,
			     b->offset);
	}
	if (x->info_buf < 0 && x->out >= offsetof(typeof(pi), free_pages)) {
		memcpy(&pi, (void *)a->addr, offsetof(typeof(pi), free_pages));
		if (pi.pages != pool_pages || pi.page_size != ps)
			fail(RC_ABI, "pool info says %llu pages of %llu bytes, not %llu of %zu",
			     (unsigned long long)pi.pages,
			     (unsigned long long)pi.page_size, pool_pages,
			     ps);
	}
}

static void op_ctl_ioctl(void)
{
	static const unsigned int good[] = { PAGEPOOL_IOC_ALLOC,
					     PAGEPOOL_IOC_BUFFER_INFO,
					     PAGEPOOL_IOC_POOL_INFO,
					     PAGEPOOL_IOC_SYNC };
	static unsigned char bytes[MAX_ARG + 128];
	unsigned int g = good[rnd(4)], cmd, nr;
	struct argloc a;
	struct expect x;

	memset(bytes, 0, sizeof(bytes));
	if (chance(8)) {
		/* The heap's command here is not one of ours. */
		cmd = DMA_HEAP_IOCTL_ALLOC;
		gen_heap(bytes);
	} else {
		cmd = fuzz_cmd(g, ctl_ksize(_IOC_NR(g)), 4);
		nr = _IOC_NR(cmd);
		gen_ctl(nr < 4 ? nr : 4, bytes);
		maybe_tail(bytes, ctl_ksize(nr), _IOC_SIZE(cmd));
	}
	place_arg(&a, bytes, _IOC_SIZE(cmd), 0);
	x.mask = model_ctl(cmd, bytes, &a, &x);
	run_ioctl(z.dev, pool_path, cmd, &a, &x);
	if (x.mask & BIT(0) && _IOC_TYPE(cmd) == PAGEPOOL_IOC_MAGIC &&
	    (_IOC_NR(cmd) == 1 || _IOC_NR(cmd) == 2) && x.out)
		check_info_reply(&a, &x);
}

static void op_heap_ioctl(void)
{
	static unsigned char bytes[MAX_ARG + 128];
	unsigned int cmd, nr;
	struct argloc a;
	struct expect x;

	memset(bytes, 0, sizeof(bytes));
	if (chance(10)) {
		/* Ours on the heap: number 0 is an allocation whatever else. */
		cmd = chance(50) ? PAGEPOOL_IOC_ALLOC : PAGEPOOL_IOC_POOL_INFO;
		nr = _IOC_NR(cmd);
		gen_ctl(nr, bytes);
	} else {
		cmd = fuzz_cmd(DMA_HEAP_IOCTL_ALLOC,
			       sizeof(struct dma_heap_allocation_data), 1);
		gen_heap(bytes);
		maybe_tail(bytes, sizeof(struct dma_heap_allocation_data),
			   _IOC_SIZE(cmd));
	}
	place_arg(&a, bytes, _IOC_SIZE(cmd), 0);
	x.mask = model_heap(cmd, bytes, &a, &x);
	run_ioctl(z.heap, heap_path, cmd, &a, &x);
}

static void op_info(int i)
{
	struct fbuf *b = &z.bufs[i];
	unsigned long long off, n;

	opf(" of buffer #%llu", b->id);
	buffer_info_of(b->fds[rnd(b->nfds)], &off, &n);
	count_err(0);
	if (off != b->offset || n != b->pages)
		fail(RC_ABI, "buffer info of #%llu: %llu pages at %llu, not %llu at %llu",
		     b->id, n, off, b->pages, b->offset);
}

/* Pages of live buffers this process holds: all allocated in the pool. */
static unsigned long long held_pages(void)
{
	unsigned long long n = 0;
	int i;

	for (i = 0; i < LIVE_MAX; i++)
		if (z.bufs[i].used)
			n += z.bufs[i].pages;
	return n;
}

static void op_pool_info(void)
{
	struct pagepool_pool_info pi;
	unsigned long long held = held_pages();
	char what[300];

	memset(&pi, 0, sizeof(pi));
	if (ioctl(z.dev, PAGEPOOL_IOC_POOL_INFO, &pi) < 0)
		fail(RC_ABI, "PAGEPOOL_IOC_POOL_INFO: %s", errname(errno));
	count_err(0);
	opf(" %llu of %llu free", (unsigned long long)pi.free_pages,
	    (unsigned long long)pi.pages);
	if (pi.pages == pool_pages && pi.page_size == ps &&
	    pi.size == pool_pages * ps &&
	    pi.chunks == (pool_pages + CHUNK_PAGES - 1) / CHUNK_PAGES &&
	    pi.free_pages <= pi.pages && pi.largest_free <= pi.free_pages &&
	    pi.zeroed_pages <= pi.free_pages &&
	    pi.allocations <= pi.pages - pi.free_pages &&
	    held <= pi.pages - pi.free_pages)
		return;
	snprintf(what, sizeof(what),
		 "size %llu, page_size %llu, pages %llu, free_pages %llu, largest_free %llu, chunks %llu, zeroed_pages %llu, allocations %llu",
		 (unsigned long long)pi.size,
		 (unsigned long long)pi.page_size,
		 (unsigned long long)pi.pages,
		 (unsigned long long)pi.free_pages,
		 (unsigned long long)pi.largest_free,
		 (unsigned long long)pi.chunks,
		 (unsigned long long)pi.zeroed_pages,
		 (unsigned long long)pi.allocations);
	fail(RC_POOL, "pool info does not add up (I hold %llu pages): %s",
	     held, what);
}

/* ---- operations: mappings ---- */

static const int prots[] = { PROT_READ, PROT_READ, PROT_READ | PROT_WRITE,
			     PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
			     PROT_WRITE, PROT_NONE, PROT_READ | PROT_EXEC };

static void op_mmap(int i)
{
	struct fbuf *b = &z.bufs[i];
	int fd = b->fds[rnd(b->nfds)], prot = prots[rnd(ARRAY_SIZE(prots))];
	unsigned long long pgoff, npages, len, off;
	const char *why = NULL;
	void *hint = NULL, *p;
	unsigned int c = rnd(100);
	int flags, j, e;

	if (c < 72) {
		flags = MAP_SHARED;
	} else if (c < 84) {
		flags = MAP_PRIVATE;
		why = "MAP_PRIVATE";
	} else if (c < 89) {
		flags = MAP_SHARED_VALIDATE;
	} else if (c < 92) {
		flags = MAP_SHARED_VALIDATE | MAP_SYNC;
		why = "MAP_SYNC";
	} else if (c < 96) {
		flags = MAP_SHARED | MAP_POPULATE;
	} else {
		flags = MAP_SHARED | MAP_LOCKED | MAP_NORESERVE;
	}
	c = rnd(100);
	if (c < 82)
		pgoff = rnd(b->pages);
	else if (c < 90)
		pgoff = b->pages;
	else if (c < 96)
		pgoff = b->pages + 1 + rnd(b->pages);
	else
		pgoff = 1ULL << (20 + rnd(20));
	c = rnd(100);
	if (pgoff < b->pages && c < 75)
		npages = 1 + rnd(b->pages - pgoff);
	else if (c < 92)
		npages = (pgoff < b->pages ? b->pages - pgoff : 0) + 1 + rnd(4);
	else
		npages = 1 + rnd(b->pages + 2);
	len = npages * ps;
	if (chance(5))
		len -= 1 + rnd(ps - 1);
	if (chance(3))
		len = 0;
	off = pgoff * ps;
	if (chance(3)) {
		off += 1 + rnd(ps - 1);
		why = "an unaligned offset";
	}
	if (chance(4)) {
		j = pick_map(NULL);
		if (j >= 0) {
			flags |= MAP_FIXED_NOREPLACE;
			hint = z.maps[j].addr;
			why = "MAP_FIXED_NOREPLACE over a mapping";
		}
	}
	if (!len)
		why = "length 0";
	else if (pgoff + npages > b->pages)
		why = "pages past the end";
	else if (!readable(b->mode))
		why = "a file not open for reading";
	else if (prot & PROT_WRITE && b->mode != O_RDWR)
		why = "PROT_WRITE on a file not open for writing";
	opf(" buffer #%llu (%llu pages, %s) pages %llu+%llu len %llu prot %d flags 0x%x",
	    b->id, b->pages, mode_name(b->mode), pgoff, npages, len, prot,
	    flags);
	p = mmap(hint, len, prot, flags, fd, off);
	e = p == MAP_FAILED ? errno : 0;
	opf(" = %s", errname(e));
	count_err(e);
	if (e) {
		if (!why && !(prot & PROT_EXEC))
			fail(RC_MAP, "mmap #%llu (%llu, %s) %llu+%llu prot %d flags 0x%x: %s",
			     b->id, b->pages, mode_name(b->mode), pgoff,
			     npages, prot, flags, errname(e));
		return;
	}
	if (why)
		fail(RC_MAP, "mmap #%llu (%llu, %s) %llu+%llu prot %d flags 0x%x: %s works",
		     b->id, b->pages, mode_name(b->mode), pgoff, npages, prot,
		     flags, why);
	if (map_add(i, p, pgoff, npages, prot) < 0) {
		if (munmap(p, len))
			sys_fail("munmap");
		return;
	}
	if (prot & PROT_READ)
		verify_view(b, p, pgoff, npages, "through a new mapping");
}

/* Whether a piece's range [a, e) can be split off it: slots for two. */
static void fit_range(int j, unsigned long long *a, unsigned long long *e)
{
	rand_range(z.maps[j].pages, a, e);
	if ((*a || *e < z.maps[j].pages) && free_map_slots() < 2) {
		*a = 0;
		*e = z.maps[j].pages;
	}
}

static void op_munmap(int j)
{
	struct fmap *m = &z.maps[j];
	unsigned long long a, e;
	unsigned int c = rnd(100);
	int k;

	opf(" piece %p, pages %llu+%llu of buffer #%llu", m->addr, m->pgoff,
	    m->pages, z.bufs[m->buf].id);
	if (c < 6) {
		k = munmap(m->addr + 1 + rnd(ps - 1), ps) ? errno : 0;
		opf(" unaligned = %s", errname(k));
		count_err(k);
		if (k != EINVAL)
			fail(RC_MAP, "munmap at an unaligned address: %s",
			     errname(k));
		return;
	}
	fit_range(j, &a, &e);
	opf(" [%llu, %llu)", a, e);
	k = map_isolate(j, a, e);
	drop_map(k, 1);
	count_err(0);
}

static void op_mremap(int j)
{
	struct fmap *m = &z.maps[j];
	struct fbuf *b = &z.bufs[m->buf];
	unsigned long long old = m->pages * ps, n;
	unsigned int c = rnd(100);
	void *q, *r;
	int fl, e;

	opf(" piece %p, pages %llu+%llu of buffer #%llu", m->addr, m->pgoff,
	    m->pages, b->id);
	if (c < 40) {
		n = old + (1 + rnd(4)) * ps;
		fl = chance(50) ? MREMAP_MAYMOVE : 0;
		if (chance(15)) {
			/* old_size 0: a new mapping of the same pages. */
			old = 0;
			fl = MREMAP_MAYMOVE;
		}
		q = mremap(m->addr, old, n, fl);
		e = q == MAP_FAILED ? errno : 0;
		opf(" grow %llu -> %llu flags %d = %s", old, n, fl, errname(e));
		count_err(e);
		if (!e)
			fail(RC_MAP, "mremap grew a map of #%llu (%llu pages): %llu to %llu, %d",
			     b->id, b->pages, old, n, fl);
		return;
	}
	if (c < 75 && m->pages > 1) {
		n = 1 + rnd(m->pages - 1);
		fl = chance(50) ? MREMAP_MAYMOVE : 0;
		q = mremap(m->addr, old, n * ps, fl);
		e = q == MAP_FAILED ? errno : 0;
		opf(" shrink to %llu pages = %s", n, errname(e));
		count_err(e);
		if (e)
			return;
		m->addr = q;
		m->pages = n;
	} else {
		r = mmap(NULL, old, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
		if (r == MAP_FAILED)
			sys_fail("mmap of a place to move to");
		q = mremap(m->addr, old, old, MREMAP_MAYMOVE | MREMAP_FIXED, r);
		e = q == MAP_FAILED ? errno : 0;
		opf(" move to %p = %s", r, errname(e));
		count_err(e);
		if (e) {
			munmap(r, old);
			return;
		}
		if (q != r)
			fail(RC_MAP, "mremap moved to %p, not %p", q, r);
		m->addr = q;
	}
	if (m->prot & PROT_READ)
		verify_view(b, m->addr, m->pgoff, m->pages, "after mremap");
}

static void op_mprotect(int j)
{
	struct fmap *m = &z.maps[j];
	struct fbuf *b = &z.bufs[m->buf];
	int prot = prots[rnd(ARRAY_SIZE(prots))], e, k;
	int must_fail = prot & PROT_WRITE && b->mode != O_RDWR;
	unsigned long long a, end;

	fit_range(j, &a, &end);
	opf(" pages [%llu, %llu) of piece %p (buffer #%llu, %s) prot %d -> %d",
	    a, end, m->addr, b->id, mode_name(b->mode), m->prot, prot);
	e = mprotect(m->addr + a * ps, (end - a) * ps, prot) ? errno : 0;
	opf(" = %s", errname(e));
	count_err(e);
	if (e && !must_fail && !(prot & PROT_EXEC))
		fail(RC_MAP, "mprotect of a mapping of buffer #%llu (%s) to %d: %s",
		     b->id, mode_name(b->mode), prot, errname(e));
	if (!e && must_fail)
		fail(RC_MAP, "mprotect made a mapping of buffer #%llu writable, its file is %s",
		     b->id, mode_name(b->mode));
	if (e)
		return;
	k = map_isolate(j, a, end);
	z.maps[k].prot = prot;
	if (prot & PROT_READ)
		verify_view(b, z.maps[k].addr, z.maps[k].pgoff, z.maps[k].pages,
			    "after mprotect");
}

static void op_madvise(int j)
{
	static const struct {
		int advice;
		const char *name;
	} adv[] = {
		{ MADV_NORMAL, "NORMAL" }, { MADV_RANDOM, "RANDOM" },
		{ MADV_SEQUENTIAL, "SEQUENTIAL" },
		{ MADV_WILLNEED, "WILLNEED" }, { MADV_DONTNEED, "DONTNEED" },
		{ MADV_FREE, "FREE" }, { MADV_REMOVE, "REMOVE" },
		{ MADV_DONTFORK, "DONTFORK" }, { MADV_DOFORK, "DOFORK" },
		{ MADV_MERGEABLE, "MERGEABLE" },
		{ MADV_UNMERGEABLE, "UNMERGEABLE" },
		{ MADV_HUGEPAGE, "HUGEPAGE" },
		{ MADV_NOHUGEPAGE, "NOHUGEPAGE" },
		{ MADV_DONTDUMP, "DONTDUMP" }, { MADV_DODUMP, "DODUMP" },
		{ MADV_WIPEONFORK, "WIPEONFORK" },
		{ MADV_KEEPONFORK, "KEEPONFORK" }, { MADV_COLD, "COLD" },
		{ MADV_PAGEOUT, "PAGEOUT" },
		{ MADV_POPULATE_READ, "POPULATE_READ" },
		{ MADV_POPULATE_WRITE, "POPULATE_WRITE" },
		{ MADV_DONTNEED_LOCKED, "DONTNEED_LOCKED" },
		{ MADV_COLLAPSE, "COLLAPSE" },
	};
	struct fmap *m = &z.maps[j];
	struct fbuf *b = &z.bufs[m->buf];
	unsigned int k = rnd(ARRAY_SIZE(adv) + 1);
	int advice = k < ARRAY_SIZE(adv) ? adv[k].advice : 26 + (int)rnd(70);
	unsigned long long a, end;
	int e, n;

	fit_range(j, &a, &end);
	opf(" MADV_%s (%d) pages [%llu, %llu) of piece %p (buffer #%llu)",
	    k < ARRAY_SIZE(adv) ? adv[k].name : "?", advice, a, end, m->addr,
	    b->id);
	e = madvise(m->addr + a * ps, (end - a) * ps, advice) ? errno : 0;
	opf(" = %s", errname(e));
	count_err(e);
	if (!e && (advice == MADV_DONTFORK || advice == MADV_DOFORK)) {
		n = map_isolate(j, a, end);
		z.maps[n].dontfork = advice == MADV_DONTFORK;
		m = &z.maps[n];
		a = 0;
		end = m->pages;
	}
	/* Whatever the advice, the pages must still hold the buffer. */
	if (m->prot & PROT_READ)
		verify_view(b, m->addr + a * ps, m->pgoff + a, end - a,
			    "after madvise");
}

static int writable_piece(const struct fmap *m)
{
	const struct fbuf *b = &z.bufs[m->buf];

	return m->prot & PROT_WRITE && !b->frozen && b->mode == O_RDWR &&
	       b->tag;
}

static int retaggable(const struct fbuf *b)
{
	return b->nfds && !b->frozen && b->mode == O_RDWR;
}

static void sync_fd(int fd, __u64 flags)
{
	struct dma_buf_sync sy;

	memset(&sy, 0, sizeof(sy));
	sy.flags = flags;
	if (ioctl(fd, DMA_BUF_IOCTL_SYNC, &sy) < 0)
		fail(RC_MAP, "DMA_BUF_IOCTL_SYNC 0x%llx: %s",
		     (unsigned long long)flags, errname(errno));
}

/* Write through a mapping: the same bytes again, or a new pattern. */
static int op_write(void)
{
	unsigned long long a, e;
	struct fbuf *b;
	unsigned char *p;
	int j = pick_map(writable_piece), i, fd;

	if (j >= 0 && chance(60)) {
		struct fmap *m = &z.maps[j];

		b = &z.bufs[m->buf];
		rand_range(m->pages, &a, &e);
		opf(" again pages [%llu, %llu) of piece %p (buffer #%llu)", a,
		    e, m->addr, b->id);
		fill_view(b, m->addr + a * ps, m->pgoff + a, e - a, 1);
		if (m->prot & PROT_READ)
			verify_view(b, m->addr + a * ps, m->pgoff + a, e - a,
				    "after writing it again");
		return 0;
	}
	i = pick_buf(retaggable);
	if (i < 0)
		return -1;
	b = &z.bufs[i];
	fd = b->fds[rnd(b->nfds)];
	p = map_whole(b, fd, PROT_READ | PROT_WRITE);
	if (!p)
		fail(RC_MAP, "mmap of buffer #%llu to write it: %s", b->id,
		     strerror(errno));
	verify_view(b, p, 0, b->pages, "before a new pattern");
	if (chance(50))
		sync_fd(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE);
	b->tag = new_tag();
	opf(" new tag 0x%llx for buffer #%llu", b->tag, b->id);
	fill_view(b, p, 0, b->pages, 0);
	if (chance(50))
		sync_fd(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE);
	verify_view(b, p, 0, b->pages, "after its new pattern was written");
	unmap_whole(b, p);
	return 0;
}

static int readable_piece(const struct fmap *m)
{
	return m->prot & PROT_READ;
}

static int readable_buf(const struct fbuf *b)
{
	return readable(b->mode);
}

static int op_read(void)
{
	int j = pick_map(readable_piece), i, fd = -1;
	unsigned long long a, e;
	struct fbuf *b;
	struct fmap *m;

	if (j < 0) {
		i = pick_buf(readable_buf);
		if (i < 0)
			return -1;
		opf(" all of buffer #%llu", z.bufs[i].id);
		verify_buf(&z.bufs[i], "when read");
		return 0;
	}
	m = &z.maps[j];
	b = &z.bufs[m->buf];
	rand_range(m->pages, &a, &e);
	opf(" pages [%llu, %llu) of piece %p (buffer #%llu)", a, e, m->addr,
	    b->id);
	if (b->nfds && chance(30)) {
		fd = b->fds[rnd(b->nfds)];
		sync_fd(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	}
	verify_view(b, m->addr + a * ps, m->pgoff + a, e - a, "when read");
	if (fd >= 0)
		sync_fd(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ);
	return 0;
}

/* ---- operations: descriptors and processes ---- */

static void op_close(int i)
{
	struct fbuf *b = &z.bufs[i];
	int k = rnd(b->nfds);

	opf(" fd %d of buffer #%llu (%d fds, %d pieces%s)", b->fds[k], b->id,
	    b->nfds, b->nmaps, b->handle ? ", vgem" : "");
	drop_fd(i, k, 1);
	count_err(0);
}

static int dup_ok(const struct fbuf *b)
{
	return b->nfds && b->nfds < FD_MAX;
}

static int op_dup(void)
{
	int i = pick_buf(dup_ok), fd, n, t;
	struct fbuf *b;

	if (i < 0)
		return -1;
	b = &z.bufs[i];
	fd = b->fds[rnd(b->nfds)];
	switch (rnd(3)) {
	case 0:
		n = dup(fd);
		break;
	case 1:
		n = fcntl(fd, chance(50) ? F_DUPFD_CLOEXEC : F_DUPFD,
			  100 + rnd(200));
		break;
	default:
		do {
			t = 300 + rnd(300);
		} while (fcntl(t, F_GETFD) >= 0);
		n = dup3(fd, t, chance(50) ? O_CLOEXEC : 0);
		break;
	}
	if (n < 0)
		sys_fail("dup of a dma-buf");
	opf(" fd %d of buffer #%llu -> %d", fd, b->id, n);
	if (fstat_ino(n) != b->ino)
		fail(RC_SYS, "dup of fd %d gave another file", fd);
	b->fds[b->nfds++] = n;
	count_err(0);
	return 0;
}

static void op_send(void)
{
	struct fmsg m;
	struct fbuf *b;
	int i = pick_buf(has_fd), keep = chance(40);

	memset(&m, 0, sizeof(m));
	m.from = z.id;
	if (i < 0 || chance(5)) {
		/* A device descriptor: the next process asks it for info. */
		opf(" /dev/pagepool fd");
		m.kind = MSG_DEV;
		send_msg(&m, z.dev);
		return;
	}
	b = &z.bufs[i];
	opf(" buffer #%llu (%llu pages, %s)%s", b->id, b->pages,
	    mode_name(b->mode), keep ? " keeping it" : "");
	/* Checked now: once it is sent, the receiver may write it. */
	verify_buf(b, "before it is sent");
	if (keep)
		b->frozen = 1;
	m.kind = MSG_BUF;
	m.tag = b->tag;
	m.pages = b->pages;
	m.offset = b->offset;
	m.ino = b->ino;
	m.mode = b->mode;
	m.frozen = b->frozen;
	send_msg(&m, b->fds[rnd(b->nfds)]);
	if (!keep)
		drop_buf(i, 0);
}

static int child_readable(const struct fmap *m)
{
	return m->prot & PROT_READ;
}

static void op_debugfs(void);

/*
 * A forked child: it has the parent's descriptors and mappings (but for
 * MADV_DONTFORK ones), touches and checks them, allocates its own, and
 * exits -- unless the parent kills it first.
 */
static noreturn void child_run(void)
{
	unsigned int n = 1 + rnd(6), k;
	unsigned long long a, e;
	struct fmap *m;
	int i, j;

	z.child = 1;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Not ours: the mappings the fork left out, the shared vgem file. */
	for (j = 0; j < MAP_MAX; j++) {
		if (z.maps[j].used && z.maps[j].dontfork) {
			z.maps[j].used = 0;
			z.bufs[z.maps[j].buf].nmaps--;
			after_drop(z.maps[j].buf);
		}
	}
	for (i = 0; i < LIVE_MAX; i++) {
		z.bufs[i].handle = 0;
		after_drop(i);
	}
	z.card = -1;
	for (k = 0; k < n; k++) {
		switch (rnd(7)) {
		case 0:
			j = pick_map(child_readable);
			if (j < 0)
				break;
			m = &z.maps[j];
			rand_range(m->pages, &a, &e);
			verify_view(&z.bufs[m->buf], m->addr + a * ps,
				    m->pgoff + a, e - a, "in a forked child");
			break;
		case 1:
			j = pick_map(writable_piece);
			if (j < 0)
				break;
			m = &z.maps[j];
			rand_range(m->pages, &a, &e);
			fill_view(&z.bufs[m->buf], m->addr + a * ps,
				  m->pgoff + a, e - a, 1);
			break;
		case 2:
			op_alloc(chance(50));
			break;
		case 3:
			i = pick_buf(has_fd);
			if (i >= 0)
				drop_fd(i, rnd(z.bufs[i].nfds), 1);
			break;
		case 4:
			j = pick_map(NULL);
			if (j >= 0)
				drop_map(j, 1);
			break;
		case 5:
			op_debugfs();
			break;
		default:
			usleep(rnd(2000));
			break;
		}
	}
	fflush(stdout);
	_exit(0);
}

static void op_fork(void)
{
	int kill_it = chance(40), status;
	unsigned int delay = rnd(3000);
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		sys_fail("fork");
	if (!pid)
		child_run();
	opf(" a child%s", kill_it ? ", killed" : "");
	if (kill_it) {
		usleep(delay);
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			sys_fail("waitpid");
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && kill_it)
		return;
	if (WIFEXITED(status))
		fail(WEXITSTATUS(status), "the forked child failed (exit %d; see above)",
		     WEXITSTATUS(status));
	fail(RC_CRASH, "the forked child died of signal %d (%s)",
	     WTERMSIG(status), strsignal(WTERMSIG(status)));
}

/* ---- operations: the importer ---- */

static int has_handle(const struct fbuf *b)
{
	return b->handle != 0;
}

static int op_import(void)
{
	struct drm_prime_handle_arg ph;
	struct fbuf *b;
	int i = pick_buf(has_fd), e;

	if (z.card < 0 || i < 0)
		return -1;
	memset(&ph, 0, sizeof(ph));
	if (chance(10)) {
		/* Not a dma-buf, or no file at all: refused. */
		ph.fd = chance(50) ? z.dev : 1000 + (int)rnd(24);
		e = ioctl(z.card, DRM_FD_TO_HANDLE_IOC, &ph) < 0 ? errno : 0;
		opf(" of fd %d (not a dma-buf) = %s", ph.fd, errname(e));
		count_err(e);
		if (!e)
			fail(RC_IMPORT, "vgem imported fd %d, which is no dma-buf",
			     ph.fd);
		return 0;
	}
	b = &z.bufs[i];
	ph.fd = b->fds[rnd(b->nfds)];
	e = ioctl(z.card, DRM_FD_TO_HANDLE_IOC, &ph) < 0 ? errno : 0;
	opf(" buffer #%llu (%llu pages) = %s, handle %u", b->id, b->pages,
	    errname(e), ph.handle);
	count_err(e);
	if (e && (!import_may_fail || e != EINVAL))
		fail(RC_IMPORT, "vgem: PRIME import of buffer #%llu (%llu pages, %s): %s",
		     b->id, b->pages, mode_name(b->mode), errname(e));
	if (e)
		return 0;
	if (b->handle && ph.handle != b->handle)
		fail(RC_IMPORT, "vgem: importing buffer #%llu again gave handle %u, not %u",
		     b->id, ph.handle, b->handle);
	b->handle = ph.handle;
	return 0;
}

static int op_export(void)
{
	int i = pick_buf(has_handle), fd, bad = chance(10);
	__u32 flags = (chance(50) ? O_CLOEXEC : 0) | (chance(70) ? O_RDWR : 0);
	struct fbuf *b;

	if (z.card < 0 || i < 0)
		return -1;
	b = &z.bufs[i];
	if (bad)
		flags |= 1U << (4 + rnd(14));
	fd = vgem_export(b, flags);
	opf(" handle %u of buffer #%llu flags 0x%x = %s", b->handle, b->id,
	    flags, errname(fd < 0 ? -fd : 0));
	count_err(fd < 0 ? -fd : 0);
	if (bad) {
		if (fd >= 0)
			fail(RC_IMPORT, "vgem: PRIME export with flags 0x%x worked",
			     flags);
		return 0;
	}
	if (fd < 0)
		fail(RC_IMPORT, "vgem: PRIME export of buffer #%llu: %s", b->id,
		     errname(-fd));
	if (fstat_ino(fd) != b->ino)
		fail(RC_IMPORT, "vgem: the export of buffer #%llu is another file",
		     b->id);
	if (b->nfds == FD_MAX)
		close(fd);
	else
		b->fds[b->nfds++] = fd;
	return 0;
}

static int op_gem_close(void)
{
	struct drm_gem_close_arg gc;
	int i = pick_buf(has_handle), e;

	if (z.card < 0)
		return -1;
	if (i < 0 || chance(10)) {
		memset(&gc, 0, sizeof(gc));
		gc.handle = chance(50) ? 0 : 100000 + rnd(1000);
		e = ioctl(z.card, DRM_GEM_CLOSE_IOC, &gc) < 0 ? errno : 0;
		opf(" handle %u (none) = %s", gc.handle, errname(e));
		count_err(e);
		if (!e)
			fail(RC_IMPORT, "vgem: GEM_CLOSE of handle %u, which is none, worked",
			     gc.handle);
		return 0;
	}
	opf(" handle %u of buffer #%llu", z.bufs[i].handle, z.bufs[i].id);
	drop_handle(i, 1);
	count_err(0);
	return 0;
}

/* Close the card with handles open: vgem lets go of them all at once. */
static int op_vgem_reopen(void)
{
	int i;

	if (z.card < 0)
		return -1;
	for (i = 0; i < LIVE_MAX; i++)
		if (z.bufs[i].used && z.bufs[i].handle)
			before_drop(i, 1, "before vgem lets go of it");
	close(z.card);
	for (i = 0; i < LIVE_MAX; i++) {
		if (!z.bufs[i].used || !z.bufs[i].handle)
			continue;
		z.bufs[i].handle = 0;
		after_drop(i);
	}
	z.card = open_vgem(card_path, 0);
	if (z.card < 0)
		fail(RC_OPEN, "vgem: the card does not open again");
	return 0;
}

/* ---- operations: the dma-buf's own ioctls ---- */

/*
 * PAGEPOOL_IOC_SYNC of a range of buffer i: a range within the buffer, or
 * one that is empty, past its end or wrapping, with the flags given (valid
 * or not), and sometimes a reserved field set.
 */
static void op_range_sync(int i, __u64 flags, int valid)
{
	struct fbuf *b = &z.bufs[i];
	unsigned long long size = b->pages * ps;
	struct pagepool_sync sy;
	struct argloc a;
	struct expect x;

	memset(&x, 0, sizeof(x));
	memset(&sy, 0, sizeof(sy));
	sy.fd = b->fds[rnd(b->nfds)];
	sy.flags = flags;
	sy.offset = rnd(size);
	sy.len = 1 + rnd(size - sy.offset);
	if (chance(15)) {
		valid = 0;
		switch (rnd(4)) {
		case 0:
			sy.len = 0;
			break;
		case 1:
			sy.len = size - sy.offset + 1 + rnd(ps);
			break;
		case 2:
			sy.offset = ~0ULL - rnd(ps);
			break;
		default:
			sy.reserved[rnd(2)] = 1 + rnd(255);
			break;
		}
	}
	place_arg(&a, (unsigned char *)&sy, sizeof(sy), chance(80));
	if (a.avail < sizeof(sy))
		x.mask = BIT(EFAULT);
	else
		x.mask = valid ? BIT(0) : BIT(EINVAL);
	opf(" range of buffer #%llu flags 0x%llx [%llu, +%llu)", b->id,
	    (unsigned long long)sy.flags, (unsigned long long)sy.offset,
	    (unsigned long long)sy.len);
	run_ioctl(z.dev, "pagepool", PAGEPOOL_IOC_SYNC, &a, &x);
}

static void op_sync(int i)
{
	static const __u64 good[] = {
		DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ,
		DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE,
		DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW,
		DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ,
		DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE,
		DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW,
	};
	static const __u64 bad[] = {
		0, DMA_BUF_SYNC_END, 8, DMA_BUF_SYNC_RW | 8,
		DMA_BUF_SYNC_RW | 1ULL << 63, ~0ULL,
	};
	struct fbuf *b = &z.bufs[i];
	struct dma_buf_sync sy;
	struct argloc a;
	struct expect x;
	int valid = chance(75);

	if (chance(50)) {
		op_range_sync(i, valid ? good[rnd(ARRAY_SIZE(good))] :
			      bad[rnd(ARRAY_SIZE(bad))], valid);
		return;
	}
	memset(&x, 0, sizeof(x));
	sy.flags = valid ? good[rnd(ARRAY_SIZE(good))] :
		   bad[rnd(ARRAY_SIZE(bad))];
	place_arg(&a, (unsigned char *)&sy, sizeof(sy), chance(80));
	if (a.avail < sizeof(sy))
		x.mask = BIT(EFAULT);
	else
		x.mask = valid ? BIT(0) : BIT(EINVAL);
	opf(" buffer #%llu flags 0x%llx", b->id, (unsigned long long)sy.flags);
	run_ioctl(b->fds[rnd(b->nfds)], "dma-buf", DMA_BUF_IOCTL_SYNC, &a, &x);
}

static void op_buf_ioctl(int i)
{
	static unsigned char bytes[MAX_ARG + 128];
	struct fbuf *b = &z.bufs[i];
	unsigned int c = rnd(100), cmd, type, nr;
	struct argloc a;
	struct expect x;
	size_t len;

	memset(&x, 0, sizeof(x));
	memset(bytes, 0, sizeof(bytes));
	opf(" buffer #%llu", b->id);
	if (c < 30) {
		/* DMA_BUF_IOCTL_SYNC's number, but another encoding. */
		cmd = _IOC(rnd(4), 'b', 0, rand_size(8));
		if (cmd == DMA_BUF_IOCTL_SYNC)
			cmd = _IOC(_IOC_READ | _IOC_WRITE, 'b', 0, 8);
		x.mask = BIT(ENOTTY);
		place_arg(&a, bytes, 8, 0);
	} else if (c < 55) {
		/* DMA_BUF_SET_NAME: the argument is the name itself. */
		cmd = chance(50) ? DMA_BUF_SET_NAME_A : DMA_BUF_SET_NAME_B;
		len = chance(70) ? rnd(DMA_BUF_NAME_LEN) : DMA_BUF_NAME_LEN +
		      rnd(64);
		memset(bytes, 'a' + z.id % 26, len);
		bytes[len] = '\0';
		place_arg(&a, bytes, len + 1, chance(70));
		if (a.avail < len + 1)
			x.mask = BIT(EFAULT) | BIT(EINVAL);
		else if (len >= DMA_BUF_NAME_LEN)
			x.mask = BIT(EINVAL);
		else
			x.mask = BIT(0) | BIT(EBUSY);
	} else {
		/* Anything else, ours and the heap's included, is ENOTTY. */
		type = chance(20) ? PAGEPOOL_IOC_MAGIC : rand_type();
		nr = rnd(256);
		if (type == 'b' && nr < 4)
			nr += 4;
		cmd = _IOC(rnd(4), type, nr, rnd(_IOC_SIZEMASK + 1));
		if (chance(20))
			cmd = chance(50) ? PAGEPOOL_IOC_ALLOC :
			      DMA_HEAP_IOCTL_ALLOC;
		x.mask = BIT(ENOTTY);
		place_arg(&a, bytes, _IOC_SIZE(cmd), 0);
	}
	run_ioctl(b->fds[rnd(b->nfds)], "dma-buf", cmd, &a, &x);
}

/* ---- operations: debugfs, files, devices ---- */

/* Read a whole file in reads of random sizes (seq_file's paths). */
static char *read_random(const char *path)
{
	size_t cap = 16384, n = 0, want;
	char *buf = xcalloc(cap, 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		fail(RC_OPEN, "open %s: %s", path, strerror(errno));
	for (;;) {
		if (cap - n < 8192) {
			cap *= 2;
			buf = xrealloc(buf, cap, 1);
		}
		want = 1 + rnd(chance(50) ? 64 : 8192);
		got = read(fd, buf + n, min_sz(want, cap - n - 1));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			fail(RC_OPEN, "read %s: %s", path, strerror(errno));
		if (!got)
			break;
		n += got;
	}
	close(fd);
	buf[n] = '\0';
	return buf;
}

static unsigned long long stat_key(const char *text, const char *key)
{
	const char *s = strstr(text, key);
	size_t k = strlen(key);

	while (s && ((s != text && s[-1] != '\n') || s[k] != ' '))
		s = strstr(s + 1, key);
	if (!s)
		fail(RC_POOL, "debugfs stats has no '%s'", key);
	return strtoull(s + k + 1, NULL, 10);
}

static void check_stats(const char *t)
{
	unsigned long long pages = stat_key(t, "pool_pages");
	unsigned long long free = stat_key(t, "free_pages");
	unsigned long long zeroed = stat_key(t, "zeroed_pages");
	unsigned long long largest = stat_key(t, "largest_free_pages");
	unsigned long long allocs = stat_key(t, "allocations");
	unsigned long long frees = stat_key(t, "frees");
	unsigned long long alive = stat_key(t, "allocations_alive");
	unsigned long long bytes = stat_key(t, "bytes_alive");
	unsigned long long wc = stat_key(t, "wc_buffers_alive");
	unsigned long long wc_pages = stat_key(t, "wc_pages_alive");
	unsigned long long held = held_pages();

	if (pages != pool_pages || free > pages || zeroed > free ||
	    largest > free || frees > allocs || alive != allocs - frees ||
	    bytes % ps || bytes / ps > pages - free ||
	    held > pages - free || wc > alive || wc_pages > bytes / ps ||
	    !wc != !wc_pages)
		fail(RC_POOL, "debugfs stats do not add up (this process holds %llu pages):\n%s",
		     held, t);
}

/* Every page of every buffer this process holds is "used" in chunks. */
static void check_chunks(char *t)
{
	unsigned char *used = xcalloc((pool_pages + 7) / 8, 1);
	unsigned long long c, a, n, p, lines = 0;
	char *line, *save, *tok, *tsave;
	int i, in_used;

	for (line = strtok_r(t, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "chunk %llu", &c) != 1 || c != lines)
			fail(RC_POOL, "debugfs chunks: line %llu is '%s'",
			     lines, line);
		lines++;
		in_used = 0;
		for (tok = strtok_r(line, " ", &tsave); tok;
		     tok = strtok_r(NULL, " ", &tsave)) {
			if (!strcmp(tok, "used") || !strcmp(tok, "scav")) {
				in_used = tok[0] == 'u';
				continue;
			}
			if (!in_used || sscanf(tok, "%llu+%llu", &a, &n) != 2)
				continue;
			if (a + n > pool_pages)
				fail(RC_POOL, "debugfs chunks: run %llu+%llu past the pool",
				     a, n);
			for (p = a; p < a + n; p++)
				used[p / 8] |= 1 << (p % 8);
		}
	}
	if (lines != (pool_pages + CHUNK_PAGES - 1) / CHUNK_PAGES)
		fail(RC_POOL, "debugfs chunks: %llu lines for %llu pages",
		     lines, pool_pages);
	for (i = 0; i < LIVE_MAX; i++) {
		const struct fbuf *b = &z.bufs[i];

		for (p = b->offset; b->used && p < b->offset + b->pages; p++)
			if (!(used[p / 8] & 1 << (p % 8)))
				fail(RC_POOL, "chunks: page %llu of #%llu (%llu at %llu) not used",
				     p, b->id, b->pages, b->offset);
	}
	free(used);
}

static void op_debugfs(void)
{
	static const char *const files[] = { "check", "stats", "chunks",
					     "summary", "../dma_buf/bufinfo" };
	unsigned int k = rnd(ARRAY_SIZE(files));
	char path[512], buf[256], *t, *nl;
	int fd;

	if (!have_debugfs) {
		op_pool_info();
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", debugfs_path, files[k]);
	opf(" %s", files[k]);
	if (k == 4 && access(path, R_OK))
		return;
	if (chance(15)) {
		/* Somewhere in the middle, a little, and close. */
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			fail(RC_OPEN, "open %s: %s", path, strerror(errno));
		if (lseek(fd, rnd(4096), SEEK_SET) >= 0 &&
		    read(fd, buf, 1 + rnd(sizeof(buf))) < 0)
			fail(RC_OPEN, "read %s: %s", path, strerror(errno));
		close(fd);
		return;
	}
	t = read_random(path);
	if (k == 0) {
		nl = strchr(t, '\n');
		if (nl)
			*nl = '\0';
		if (strcmp(t, "ok"))
			fail(RC_POOL, "debugfs check: %s", t[0] ? t : "(empty)");
	} else if (k == 1) {
		check_stats(t);
	} else if (k == 2) {
		check_chunks(t);
	}
	free(t);
}

/* The value of "key:\tvalue" in @t, or NULL. */
static const char *fdinfo_value(const char *t, const char *key)
{
	const char *s = strstr(t, key);

	while (s && s != t && s[-1] != '\n')
		s = strstr(s + 1, key);
	return s ? s + strlen(key) : NULL;
}

static void op_stat(int i)
{
	struct fbuf *b = &z.bufs[i];
	int fd = b->fds[rnd(b->nfds)];
	unsigned long long size = b->pages * ps;
	char path[64], buf[16], *t;
	struct pollfd pfd;
	const char *v;
	struct stat st;
	off_t o;

	opf(" fd %d of buffer #%llu", fd, b->id);
	if (fstat(fd, &st))
		sys_fail("fstat");
	if ((unsigned long long)st.st_size != size)
		fail(RC_ABI, "fstat of buffer #%llu: size %lld, not %llu",
		     b->id, (long long)st.st_size, size);
	o = lseek(fd, 0, SEEK_END);
	if (o < 0 || (unsigned long long)o != size)
		fail(RC_ABI, "lseek SEEK_END of buffer #%llu: %lld (%s), not %llu",
		     b->id, (long long)o, errname(errno), size);
	if (lseek(fd, 0, SEEK_SET) != 0 ||
	    lseek(fd, 1 + rnd(size), SEEK_SET) >= 0)
		fail(RC_ABI, "lseek of buffer #%llu: only 0 from the start or the end",
		     b->id);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	t = read_file(path, 0);
	if (t) {
		v = fdinfo_value(t, "size:\t");
		if (v && strtoull(v, NULL, 10) != size)
			fail(RC_ABI, "%s: size %s, not %llu", path, v, size);
		v = fdinfo_value(t, "exp_name:\t");
		if (v && strncmp(v, "pagepool\n", 9))
			fail(RC_ABI, "%s: exporter %.20s, not pagepool", path,
			     v);
		free(t);
	}
	/* No read, no write; poll says ready (no fences). */
	count_err(read(fd, buf, sizeof(buf)) < 0 ? errno : 0);
	pfd.fd = fd;
	pfd.events = POLLIN | POLLOUT;
	if (poll(&pfd, 1, 0) < 0)
		sys_fail("poll of a dma-buf");
}

static void op_reopen(void)
{
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR };
	int heap = chance(40), fd;
	int flags = modes[rnd(3)] | (chance(20) ? O_NONBLOCK : 0) | O_CLOEXEC;

	opf(" %s flags 0x%x", heap ? heap_path : pool_path, flags);
	fd = open(heap ? heap_path : pool_path, flags);
	if (fd < 0)
		fail(RC_OPEN, "open %s: %s", heap ? heap_path : pool_path,
		     strerror(errno));
	if (heap) {
		close(z.heap);
		z.heap = fd;
	} else {
		close(z.dev);
		z.dev = fd;
	}
}

/* What the devices do not have: read, write, mmap, seek. */
static void op_devio(void)
{
	int fd = chance(50) ? z.dev : z.heap, e = 0;
	char buf[64];
	void *p;

	memset(buf, 0, sizeof(buf));
	switch (rnd(5)) {
	case 0:
		e = read(fd, buf, 1 + rnd(sizeof(buf))) < 0 ? errno : 0;
		break;
	case 1:
		e = write(fd, buf, 1 + rnd(sizeof(buf))) < 0 ? errno : 0;
		break;
	case 2:
		p = mmap(NULL, ps, PROT_READ, MAP_SHARED, fd, 0);
		e = p == MAP_FAILED ? errno : 0;
		if (!e)
			munmap(p, ps);
		break;
	case 3:
		e = lseek(fd, rnd(4096), SEEK_SET) < 0 ? errno : 0;
		break;
	default:
		e = poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1, 0) <
		    0 ? errno : 0;
		break;
	}
	opf(" fd %d = %s", fd, errname(e));
	count_err(e);
}

static void op_drop_all(void)
{
	int idx[LIVE_MAX], n = 0, i, k, t;

	for (i = 0; i < LIVE_MAX; i++)
		if (z.bufs[i].used)
			idx[n++] = i;
	for (i = n - 1; i > 0; i--) {
		k = rnd(i + 1);
		t = idx[i];
		idx[i] = idx[k];
		idx[k] = t;
	}
	opf(" %d buffers", n);
	for (i = 0; i < n; i++)
		drop_buf(idx[i], 1);
}

/* An ioctl of the devices or of a buffer, through the compat entry. */
static void op_compat(void)
{
	int i = pick_buf(has_fd);
	unsigned int c = rnd(5);

	if (!have_compat) {
		opf(" (no compat entry) ->");
		op_ctl_ioctl();
		return;
	}
	z.compat = 1;
	if (c == 0)
		op_alloc(chance(50));
	else if (c == 1)
		op_ctl_ioctl();
	else if (c == 2)
		op_heap_ioctl();
	else if (i >= 0 && c == 3)
		op_sync(i);
	else if (i >= 0)
		op_buf_ioctl(i);
	else
		op_ctl_ioctl();
	z.compat = 0;
}

/* ---- one operation ---- */

static unsigned int pick_kind(void)
{
	unsigned long long total = 0, r;
	unsigned int k;

	for (k = 0; k < NKINDS; k++)
		total += kinds[k].weight;
	r = splitmix64_below(&z.rng, total);
	for (k = 0; r >= kinds[k].weight; k++)
		r -= kinds[k].weight;
	return k;
}

/* Run operation @k; -1 when there is nothing for it to act on. */
static int run_kind(unsigned int k)
{
	int i = pick_buf(has_fd), j = pick_map(NULL);

	switch (k) {
	case K_ALLOC:
		op_alloc(0);
		return 0;
	case K_HEAP:
		op_alloc(1);
		return 0;
	case K_CTL_IOCTL:
		op_ctl_ioctl();
		return 0;
	case K_HEAP_IOCTL:
		op_heap_ioctl();
		return 0;
	case K_POOL_INFO:
		op_pool_info();
		return 0;
	case K_WRITE:
		return op_write();
	case K_READ:
		return op_read();
	case K_DUP:
		return op_dup();
	case K_SEND:
		op_send();
		return 0;
	case K_FORK:
		op_fork();
		return 0;
	case K_IMPORT:
		return op_import();
	case K_EXPORT:
		return op_export();
	case K_GEM_CLOSE:
		return op_gem_close();
	case K_VGEM_REOPEN:
		return op_vgem_reopen();
	case K_DEBUGFS:
		op_debugfs();
		return 0;
	case K_REOPEN:
		op_reopen();
		return 0;
	case K_DEVIO:
		op_devio();
		return 0;
	case K_DROP_ALL:
		op_drop_all();
		return 0;
	case K_COMPAT:
		op_compat();
		return 0;
	}
	if (k == K_MUNMAP || k == K_MREMAP || k == K_MPROTECT ||
	    k == K_MADVISE) {
		if (j < 0)
			return -1;
		if (k == K_MUNMAP)
			op_munmap(j);
		else if (k == K_MREMAP)
			op_mremap(j);
		else if (k == K_MPROTECT)
			op_mprotect(j);
		else
			op_madvise(j);
		return 0;
	}
	if (i < 0)
		return -1;
	if (k == K_BUF_IOCTL)
		op_buf_ioctl(i);
	else if (k == K_INFO)
		op_info(i);
	else if (k == K_MMAP)
		op_mmap(i);
	else if (k == K_CLOSE)
		op_close(i);
	else if (k == K_SYNC)
		op_sync(i);
	else
		op_stat(i);
	return 0;
}

static void one_op(void)
{
	unsigned int k = pick_kind();

	z.r = splitmix64_next(&z.rng);
	z.kind = k;
	opf("%s", kinds[k].name);
	if (run_kind(k)) {
		k = K_ALLOC;
		z.kind = k;
		opf(" (nothing to act on) -> alloc");
		op_alloc(0);
	}
	z.sh->counts[k]++;
}

/* ---- the processes ---- */

/*
 * Dma-bufs from other exporters, which pagepool must not take for its
 * own: one from the kernel's system heap (6.12 on), one that vgem
 * exports. -1 for what the machine does not have.
 */
static void open_foreign(void)
{
	struct drm_mode_create_dumb_arg cd;
	struct dma_heap_allocation_data d;
	struct drm_prime_handle_arg ph;
	int heap = open(SYSTEM_HEAP, O_RDWR | O_CLOEXEC);

	z.foreign[0] = -1;
	z.foreign[1] = -1;
	memset(&d, 0, sizeof(d));
	d.len = ps;
	d.fd_flags = O_RDWR | O_CLOEXEC;
	if (heap >= 0 && !ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d))
		z.foreign[0] = d.fd;
	if (heap >= 0)
		close(heap);
	if (z.card < 0)
		return;
	memset(&cd, 0, sizeof(cd));
	cd.height = 1;
	cd.width = ps / 4;
	cd.bpp = 32;
	if (ioctl(z.card, DRM_CREATE_DUMB_IOC, &cd))
		return;
	memset(&ph, 0, sizeof(ph));
	ph.handle = cd.handle;
	ph.flags = O_RDWR | O_CLOEXEC;
	if (!ioctl(z.card, DRM_HANDLE_TO_FD_IOC, &ph))
		z.foreign[1] = ph.fd;
	gem_close(cd.handle, 0);
}

static noreturn void worker(unsigned int id, unsigned long long nops, int tx,
			    int rx)
{
	struct sigaction sa;
	struct fmsg done;
	unsigned long long s = seed;
	unsigned int k;
	int i;

	z.id = id;
	z.sh = &shm[id];
	msg_prefix(PROG " proc %u", id);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Process i's stream: the (i + 1)th number of the seed's. */
	for (k = 0; k <= id; k++)
		z.rng = splitmix64_next(&s);
	z.rx_rng = ~z.rng;
	z.tx = tx;
	z.rx = rx;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	z.dev = open_path(pool_path, O_RDWR, 0);
	z.heap = open_path(heap_path, O_RDWR, 0);
	if (z.dev < 0 || z.heap < 0)
		fail(RC_OPEN, "cannot open %s or %s: %s", pool_path,
		     heap_path, strerror(errno));
	z.card = have_vgem ? open_vgem(card_path, 0) : -1;
	if (have_vgem && z.card < 0)
		fail(RC_OPEN, "vgem does not open in this process");
	open_foreign();
	z.arena = arena_init(0);
	z.arena32 = arena_init(MAP_32BIT);

	for (z.op = 0; z.op < nops; z.op++) {
		cur_desc()[0] = '\0';
		__atomic_store_n(&z.sh->op, z.op, __ATOMIC_RELAXED);
		while (recv_one(0))
			;
		one_op();
		__atomic_store_n(&z.sh->kind, z.kind, __ATOMIC_RELAXED);
		if (verbose)
			printf("%u.%llu %s\n", z.id, z.op, cur_desc());
	}

	/* The end: let the next one know, hear the last from the previous. */
	cur_desc()[0] = '\0';
	opf("end: waiting for the previous process, then dropping everything");
	__atomic_store_n(&z.sh->op, z.op, __ATOMIC_RELAXED);
	memset(&done, 0, sizeof(done));
	done.kind = MSG_DONE;
	done.from = z.id;
	send_msg(&done, -1);
	while (!z.peer_done)
		recv_one(1);
	for (i = 0; i < LIVE_MAX; i++)
		if (z.bufs[i].used)
			verify_buf(&z.bufs[i], "at the end");
	for (i = 0; i < LIVE_MAX; i++)
		if (z.bufs[i].used)
			drop_buf(i, 1);
	if (z.card >= 0)
		close(z.card);
	z.sh->done = 1;
	fflush(stdout);
	exit(0);
}

static void print_help(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [-s SEED] [-p PROCS] [-n OPS] [-t SECONDS] [-v]\n"
		"                     [--no-vgem] [--card PATH] [--pool NAME]\n"
		"                     [--dev PATH] [--heap-dev PATH]\n"
		"                     [--debugfs DIR]\n"
		"\n"
		"A seeded random-sequence fuzzer of the pagepool module: PROCS\n"
		"processes (4) run OPS random operations in all (20000) over\n"
		"both devices' ioctls (valid and broken requests, checked\n"
		"against the ABI), mmap, munmap, mremap, mprotect, madvise,\n"
		"reads and writes of buffers, close, dup, fd passing between\n"
		"the processes, fork and kill -9, import into vgem,\n"
		"DMA_BUF_IOCTL_SYNC and debugfs. Every new buffer must read\n"
		"zero and every buffer its own pattern until its last\n"
		"reference goes; no two buffers may overlap; debugfs check\n"
		"must say ok; at the end the pool must be whole.\n"
		"\n"
		"Replay: each process's operations come from its own stream of\n"
		"SEED, so the same -s SEED -p PROCS -n OPS repeats every\n"
		"process's sequence of operations; how the processes\n"
		"interleave (which buffers arrive when, when the pool is full)\n"
		"may differ from run to run. With -p 1 a run repeats exactly.\n"
		"\n"
		"Options:\n"
		"  -s, --seed SEED     the seed (1)\n"
		"  -p, --procs PROCS   processes at once, 1 to %d (4)\n"
		"  -n, --ops OPS       operations in all (20000)\n"
		"  -t, --timeout SEC   give up after SEC seconds (0: never)\n"
		"  -v, --verbose       print each operation as it is done\n"
		"  --no-vgem           do not import into vgem\n"
		"  --card PATH         the vgem card (the first under /dev/dri)\n"
		"  --pool NAME         the pool (the only one): its devices\n"
		"                      /dev/pagepool-NAME and\n"
		"                      /dev/dma_heap/pagepool-NAME, its\n"
		"                      debugfs " DEBUGFS_DIR "/NAME\n"
		"  --dev PATH          pagepool device (" POOL_DEV ")\n"
		"  --heap-dev PATH     heap device (" HEAP_DEV ")\n"
		"  --debugfs DIR       debugfs directory (" DEBUGFS_DIR ")\n"
		"  -h, --help          this help\n"
		"\n"
		"Output: a header line, \"FAIL seed=S proc=P op=N: what\" and the\n"
		"last operations of that process when an invariant breaks, else\n"
		"a summary line (operations of each kind, errors seen) and \"ok\".\n"
		"Exit codes: 0 ok, 2 usage, 3 a device will not open, 4 or 11 an\n"
		"ioctl answered what the ABI does not allow, 6 mmap or sync, 7 a\n"
		"buffer held wrong bytes, 8 the pool or debugfs is wrong, 9 a\n"
		"system call, 10 vgem, 12 a crash, 13 timeout.\n",
		MAX_PROCS);
}

static void parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "procs", required_argument, NULL, 'p' },
		{ "ops", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-vgem", no_argument, NULL, 'V' },
		{ "card", required_argument, NULL, 'c' },
		{ "pool", required_argument, NULL, 'P' },
		{ "dev", required_argument, NULL, 'd' },
		{ "heap-dev", required_argument, NULL, 'H' },
		{ "debugfs", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pool = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "s:p:n:t:vh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			seed = opt_num("--seed", optarg, 0, ~0ULL);
			break;
		case 'p':
			nprocs = opt_num("--procs", optarg, 1, MAX_PROCS);
			break;
		case 'n':
			total_ops = opt_num("--ops", optarg, 0, ~0ULL >> 1);
			break;
		case 't':
			timeout_s = opt_num("--timeout", optarg, 0, 1 << 24);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			no_vgem = 1;
			break;
		case 'c':
			card_path = optarg;
			break;
		case 'P':
			pool = optarg;
			break;
		case 'd':
			pool_path = optarg;
			break;
		case 'H':
			heap_path = optarg;
			break;
		case 'D':
			debugfs_path = optarg;
			break;
		case 'h':
			print_help(stdout);
			exit(0);
		default:
			print_help(stderr);
			exit(RC_USAGE);
		}
	}
	if (optind < argc)
		die(RC_USAGE, "unexpected argument '%s' (see --help)",
		    argv[optind]);
	pool_select(pool);
}

/* Whether int 0x80 works here (the kernel may leave out ia32). */
static int probe_compat(void)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		die(RC_SYS, "fork: %s", strerror(errno));
	if (!pid)
		_exit(compat_syscall(20, 0, 0, 0) == getpid() ? 0 : 1);
	if (waitpid(pid, &status, 0) < 0)
		die(RC_SYS, "waitpid: %s", strerror(errno));
	return WIFEXITED(status) && !WEXITSTATUS(status);
}

/* The pool's limits and what the machine has. */
static void learn(int dev)
{
	struct pagepool_pool_info pi;
	char path[512], *v;
	int card;

	ps = sysconf(_SC_PAGESIZE);
	pool_info(dev, &pi);
	if (pi.page_size != ps)
		die(RC_POOL, "pool page size %llu is not the CPU's %zu",
		    (unsigned long long)pi.page_size, ps);
	pool_pages = pi.pages;
	max_pages = pool_pages;
	v = read_file("/sys/module/pagepool/parameters/max_pages", 0);
	if (v && strtoull(v, NULL, 0))
		max_pages = strtoull(v, NULL, 0);
	free(v);
	snprintf(path, sizeof(path), "%s/check", debugfs_path);
	have_debugfs = !access(path, R_OK);
	card = no_vgem ? -1 : open_vgem(card_path, !!card_path);
	have_vgem = card >= 0;
	if (card >= 0)
		close(card);
	/* A pool at phys_base may have no struct pages: no import. */
	v = read_file("/sys/module/pagepool/parameters/phys_base", 0);
	import_may_fail = v && v[0] && strncmp(v, "(null)", 6) &&
			  strncmp(v, "0\n", 2) && v[0] != '\n';
	free(v);
	have_compat = probe_compat();
}

static void report_timeout(const pid_t *pids)
{
	unsigned int i;

	for (i = 0; i < nprocs; i++)
		if (pids[i] > 0)
			printf("FAIL seed=%llu proc=%u op=%llu: timed out (%llu s) in %s\n",
			       seed, i, shm[i].op, timeout_s,
			       kinds[shm[i].kind].name);
}

/*
 * Wait for the processes; the first failure stops the others. *@stuck is
 * set when some would not die (in the kernel, it may be): then nothing
 * more should touch the pool.
 */
static int wait_all(pid_t *pids, unsigned long long start, int *stuck)
{
	unsigned int left = nprocs, i;
	unsigned long long killed_at = 0;
	int status, rc = 0, peer = 0;
	pid_t pid;

	while (left) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			die(RC_SYS, "waitpid: %s", strerror(errno));
		if (!pid) {
			if (!rc && timeout_s &&
			    now_ms() - start > timeout_s * 1000) {
				report_timeout(pids);
				rc = RC_TIMEOUT;
			}
			if ((rc || peer) && !killed_at) {
				for (i = 0; i < nprocs; i++)
					if (pids[i] > 0)
						kill(pids[i], SIGKILL);
				killed_at = now_ms();
			}
			if (killed_at && now_ms() - killed_at > 30000) {
				printf("# %u processes do not die; giving up on them\n",
				       left);
				*stuck = 1;
				return rc ? rc : RC_TIMEOUT;
			}
			sleep_ms(20);
			continue;
		}
		for (i = 0; i < nprocs && pids[i] != pid; i++)
			;
		if (i == nprocs)
			continue;
		pids[i] = 0;
		left--;
		if (WIFEXITED(status) && !WEXITSTATUS(status))
			continue;
		if (WIFEXITED(status) && WEXITSTATUS(status) == RC_PEER) {
			peer = 1;
			continue;
		}
		if (rc)
			continue;
		if (WIFEXITED(status)) {
			rc = WEXITSTATUS(status);
		} else {
			__atomic_store_n(first_failed, nprocs + 1,
					 __ATOMIC_SEQ_CST);
			printf("FAIL seed=%llu proc=%u op=%llu: signal %d (%s) in %s\n",
			       seed, i, shm[i].op, WTERMSIG(status),
			       strsignal(WTERMSIG(status)),
			       kinds[shm[i].kind].name);
			rc = RC_CRASH;
		}
	}
	if (!rc && peer) {
		printf("FAIL seed=%llu proc=all op=end: a neighbour went, none failed\n",
		       seed);
		rc = RC_SYS;
	}
	return rc;
}

static void summary(unsigned long long ms)
{
	unsigned long long n, all = 0, unverified = 0;
	unsigned int k, i;
	int e, first = 1;

	printf("%s:", "summary");
	for (k = 0; k < NKINDS; k++) {
		for (n = 0, i = 0; i < nprocs; i++)
			n += shm[i].counts[k];
		if (k != K_RECV)
			all += n;
		if (n)
			printf("%s %s %llu", first ? "" : ",", kinds[k].name,
			       n);
		first = 0;
	}
	printf("; errors seen:");
	first = 1;
	for (e = 1; e < MAX_MODEL_ERRNO; e++) {
		for (n = 0, i = 0; i < nprocs; i++)
			n += shm[i].errs[e];
		if (n)
			printf("%s %s %llu", first ? "" : ",", errname(e), n);
		if (n)
			first = 0;
	}
	for (i = 0; i < nprocs; i++)
		unverified += shm[i].unverified;
	printf("; %llu checks skipped (unreadable files); %llu operations in %.1f s, %.0f/s\n",
	       unverified, all, ms / 1000.0, ms ? all * 1000.0 / ms : 0.0);
}

/**
 * main() - run the fuzzer
 * @argc: argument count
 * @argv: the options (see usage())
 *
 * Return: 0 when every invariant held, else an RC_* exit code.
 */
int main(int argc, char **argv)
{
	int (*pairs)[2], dev, rc, prc, stuck = 0;
	unsigned long long start, each, extra;
	pid_t *pids, parent = getpid();
	unsigned int i, j;

	msg_prefix(PROG);
	/* Without address randomisation -v logs the same addresses again. */
	prc = personality(0xffffffff);
	if (prc >= 0 && !(prc & ADDR_NO_RANDOMIZE) &&
	    personality(prc | ADDR_NO_RANDOMIZE) >= 0)
		execv("/proc/self/exe", argv);
	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();
	dev = open_path(pool_path, O_RDWR, 1);
	learn(dev);
	each = total_ops / nprocs;
	extra = total_ops % nprocs;
	printf(PROG ": seed %llu, %u procs, %llu ops (%llu each), ", seed,
	       nprocs, total_ops, each + !!extra);
	printf("pool %llu pages (max %llu), vgem %s, compat ioctls %s\n",
	       pool_pages, max_pages, have_vgem ? "yes" : "no",
	       have_compat ? "yes" : "no");
	if (!have_debugfs)
		printf("# no %s/check: debugfs is not checked\n", debugfs_path);
	shm = mmap(NULL, (nprocs + 1) * sizeof(*shm), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		die(RC_SYS, "mmap: %s", strerror(errno));
	first_failed = &shm[nprocs].done;
	pairs = xcalloc(nprocs, sizeof(*pairs));
	pids = xcalloc(nprocs, sizeof(*pids));
	for (i = 0; i < nprocs; i++)
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
			       pairs[i]))
			die(RC_SYS, "socketpair: %s", strerror(errno));
	fflush(stdout);
	start = now_ms();
	for (i = 0; i < nprocs; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die(RC_SYS, "fork: %s", strerror(errno));
		if (pids[i])
			continue;
		if (getppid() != parent)
			exit(RC_SYS);
		close(dev);
		/* Process i sends on pair i and hears on pair i - 1. */
		for (j = 0; j < nprocs; j++) {
			if (j != i)
				close(pairs[j][0]);
			if (j != (i + nprocs - 1) % nprocs)
				close(pairs[j][1]);
		}
		worker(i, each + (i < extra), pairs[i][0],
		       pairs[(i + nprocs - 1) % nprocs][1]);
	}
	for (i = 0; i < nprocs; i++) {
		close(pairs[i][0]);
		close(pairs[i][1]);
	}
	rc = wait_all(pids, start, &stuck);
	start = now_ms() - start;
	/* Every process, descriptor and mapping is gone: the pool is whole. */
	if (have_debugfs && !stuck) {
		prc = pool_check(dev, 1);
		if (prc) {
			printf("FAIL seed=%llu proc=all op=end: pool not whole or check not ok\n",
			       seed);
			if (!rc)
				rc = prc;
		}
	}
	close(dev);
	if (rc)
		return rc;
	summary(start);
	printf("ok\n");
	return 0;
}
