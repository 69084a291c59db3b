// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool-test: drive the pagepool module for its end-to-end tests.
 *
 *	replay		run "alloc N [A]" / "free P N" lines through /dev/pagepool
 *	stress		processes that allocate, share buffers over unix
 *			sockets and free them, then check the pool is whole
 *	import		import a buffer into vgem and check its lifetime
 *	abi		the ioctls' error cases
 *	hugemap		huge and partial mappings of a buffer, plain or
 *			write-combined, and the memory types page tables give
 *
 * "pagepool-test --help" lists the options and the exit codes. The QEMU
 * guest scripts (tools/testing/qemu/) parse its output. It is built
 * statically so that it runs in a minimal initramfs, and shares its
 * library, tools/lib/, with the operator's tool, tools/pagepoolctl.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <grp.h>

#include <linux/dma-buf.h>
#include <linux/dma-heap.h>

#include "pagepool-lib.h"
#include "rand.h"

#define PROG		"pagepool-test"

/* ---- replay ---- */

struct live {
	unsigned long long offset;
	unsigned long long pages;
	int fd;
};

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
			if (nw != 2 && nw != 3)
				die(RC_USAGE, "line %llu: 'alloc' takes 1 to 2 arguments, got %u",
				    lineno, nw - 1);
			if (parse_dec(word[1], &n) ||
			    (nw == 3 && parse_dec(word[2], &p)))
				die(RC_USAGE, "line %llu: bad number '%.40s'",
				    lineno, word[nw - 1]);
			err = pool_alloc_aligned(cx.dev, n, nw == 3 ? p : 0,
						 0, O_RDWR | O_CLOEXEC, &b);
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
		warnx("holding %zu allocations for %llu s", nlive, hold);
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
	unsigned long long r = splitmix64_below(&st->rng, 100), pages;
	struct pbuf *b = &st->live[st->nlive];
	int heap = splitmix64_below(&st->rng, 2) || st->cx.dev < 0;
	size_t bad;
	int err;

	if (r < 60)
		pages = 1 + splitmix64_below(&st->rng, 8);
	else if (r < 95)
		pages = 1 + splitmix64_below(&st->rng, st->max_pages);
	else
		pages = st->max_pages +
			splitmix64_below(&st->rng, 3 * st->max_pages);
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
	b->tag = splitmix64_next(&st->rng);
	pattern_fill(b);
	buf_sync(b, DMA_BUF_SYNC_END);
	st->nlive++;
	st_verify(b, "new");
}

/* Take in one message; @block waits for it. Returns 0 when none came. */
static int st_recv(struct stress *st, int block)
{
	struct stress_msg m;
	struct pbuf *b;
	ssize_t n;
	int fd;

	n = fd_recv(st->rx, &m, sizeof(m), &fd, block ? 0 : MSG_DONTWAIT);
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0 && errno == EMSGSIZE)
		die(RC_SYS, "truncated message");
	if (n < 0)
		die(RC_SYS, "recvmsg: %s", strerror(errno));
	if (n == 0) {
		if (st->peer_done)
			return 0;
		die(RC_SYS, "the previous process went away before it was done");
	}
	if (n != sizeof(m))
		die(RC_SYS, "short message (%zd bytes)", n);
	if (m.kind == MSG_DONE) {
		st->peer_done = 1;
		return 1;
	}
	if (m.kind != MSG_BUF || fd < 0)
		die(RC_SYS, "bad message (kind %u, fd %d)", m.kind, fd);
	/* Its own stream: arrivals depend on timing, the operations not. */
	if (st->nlive == st->live_max)
		st_drop(st, splitmix64_below(&st->rx_rng, st->nlive), 1);
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
	struct pollfd pfd[2];
	ssize_t n;

	for (;;) {
		n = fd_send(st->tx, m, sizeof(*m), fd,
			    MSG_DONTWAIT | MSG_NOSIGNAL);
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
	b->tag = splitmix64_next(&st->rng);
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
		r = splitmix64_below(&st->rng, 100);
		if (!st->nlive || (r < 45 && st->nlive < st->live_max))
			st_alloc(st);
		else if (r < 70)
			st_pass(st, splitmix64_below(&st->rng, st->nlive));
		else if (r < 95)
			st_drop(st, splitmix64_below(&st->rng, st->nlive), 1);
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
		msg_prefix(PROG " stress proc %u", i);
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

/*
 * PAGEPOOL_IOC_SYNC over ranges of a buffer of @size bytes: a start and an
 * end of the whole, of a part across a page boundary, of the last byte,
 * each direction; then ranges that must be refused. Dies on a surprise.
 */
static void sync_ranges(int dev, int fd, unsigned long long size)
{
	static const __u64 dirs[] = { DMA_BUF_SYNC_READ, DMA_BUF_SYNC_WRITE,
				      DMA_BUF_SYNC_RW };
	const unsigned long long ranges[][2] = {
		{ 0, size }, { size / 3, size / 2 + 1 }, { size - 1, 1 },
	};
	unsigned int d, r;
	int err;

	for (r = 0; r < 3; r++) {
		for (d = 0; d < 3; d++) {
			err = pool_sync(dev, fd, dirs[d] | DMA_BUF_SYNC_START,
					ranges[r][0], ranges[r][1]);
			if (!err)
				err = pool_sync(dev, fd,
						dirs[d] | DMA_BUF_SYNC_END,
						ranges[r][0], ranges[r][1]);
			if (err)
				die(RC_IOCTL, "PAGEPOOL_IOC_SYNC of [%llu, +%llu): %s",
				    ranges[r][0], ranges[r][1],
				    strerror(-err));
		}
	}
	err = pool_sync(dev, fd, DMA_BUF_SYNC_RW, size - 1, 2);
	if (err != -EINVAL)
		die(RC_IOCTL, "PAGEPOOL_IOC_SYNC past the end: %s, not EINVAL",
		    err ? strerror(-err) : "success");
	printf("synced ranges of the buffer for the CPU and the device\n");
}

static int cmd_import(int argc, char **argv)
{
	struct drm_prime_handle_arg ph;
	struct drm_gem_close_arg gc;
	struct pagepool_pool_info before;
	const char *card = NULL;
	unsigned long long pages = 0;
	int use_heap = 0, twice = 0, wc = 0, card_fd, card2 = -1, a, err;
	struct drm_prime_handle_arg ph2;
	struct pbuf b, again;
	struct stat st1, st2;
	struct ctx cx;
	size_t bad;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--heap"))
			use_heap = 1;
		else if (!strcmp(argv[a], "--twice"))
			twice = 1;
		else if (!strcmp(argv[a], "--wc"))
			wc = 1;
		else if (!strcmp(argv[a], "--card") && a + 1 < argc)
			card = argv[++a];
		else if (argv[a][0] == '-' || pages)
			die(RC_USAGE, "import: unknown argument '%s'", argv[a]);
		else
			pages = opt_num("import PAGES", argv[a], 1, ~0ULL);
	}
	if (!pages)
		die(RC_USAGE, "import: how many pages? (see --help)");
	if (use_heap && wc)
		die(RC_USAGE, "import: --wc needs /dev/pagepool, not --heap");
	ctx_open(&cx, use_heap, 0);
	card_fd = open_vgem(card, 1);
	pool_info(cx.dev, &before);

	if (use_heap)
		err = heap_alloc(cx.heap, pages, cx.page_size, &b);
	else
		err = pool_alloc_aligned(cx.dev, pages, 0,
					 wc ? PAGEPOOL_ALLOC_WRITECOMBINE : 0,
					 O_RDWR | O_CLOEXEC, &b);
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

	/*
	 * Through a second file of the card, the buffer is imported (and
	 * DMA-mapped for vgem's device) once more while the first import
	 * lives.
	 */
	if (twice) {
		card2 = open_vgem(card, 1);
		memset(&ph2, 0, sizeof(ph2));
		ph2.fd = b.fd;
		if (ioctl(card2, DRM_FD_TO_HANDLE_IOC, &ph2) < 0)
			die(RC_IMPORT, "the second import into vgem: %s",
			    strerror(errno));
		printf("imported again through a second vgem file as handle %u\n",
		       ph2.handle);
	}

	/*
	 * Part of the buffer for the CPU and back, with vgem's mapping (or
	 * two) attached: every valid range syncs, one past the end does not.
	 */
	sync_ranges(cx.dev, b.fd, pages * cx.page_size);

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
	if (card2 >= 0) {
		memset(&gc, 0, sizeof(gc));
		gc.handle = ph2.handle;
		if (ioctl(card2, DRM_GEM_CLOSE_IOC, &gc) < 0)
			die(RC_IMPORT, "DRM_IOCTL_GEM_CLOSE of the second import: %s",
			    strerror(errno));
		close(card2);
	}

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
	a.reserved[0] = reserved;
	abi_result(name, abi_ioctl(dev, PAGEPOOL_IOC_ALLOC, &a), want, 0);
}

/*
 * An aligned allocation: the answer, and for a buffer the physical address
 * (BUFFER_INFO, as root) a multiple of @align pages.
 */
static void abi_align(int dev, const char *name, __u64 pages, __u64 align,
		      size_t ps, int want)
{
	struct pbuf b;
	int err = pool_alloc_aligned(dev, pages, align, 0,
				     O_RDWR | O_CLOEXEC, &b);

	if (!err && !buffer_info(dev, &b) && b.phys != UNKNOWN && align > 1 &&
	    b.phys % (align * ps)) {
		printf("not ok - abi %s: physical address 0x%llx\n", name,
		       b.phys);
		abi_failed = 1;
	} else {
		abi_result(name, -err, want, 0);
	}
	if (!err)
		close(b.fd);
}

/*
 * A heap allocation of 2 MiB with the module's default heap_align (2M):
 * its physical address is a multiple of 2 MiB (BUFFER_INFO, as root).
 */
static void abi_heap_align(const struct ctx *cx)
{
	const char *name = "heap alloc of 2 MiB is 2 MiB aligned (heap_align)";
	char *param = read_file("/sys/module/pagepool/parameters/heap_align",
				0);
	struct pbuf b;
	int err;

	if (!param || strcmp(param, "2M\n")) {
		printf("ok - abi %s # SKIP heap_align is %s", name,
		       param ? param : "unknown\n");
		free(param);
		return;
	}
	free(param);
	err = heap_alloc(cx->heap, (2 << 20) / cx->page_size, cx->page_size,
			 &b);
	if (!err)
		err = buffer_info(cx->dev, &b);
	if (!err && b.phys != UNKNOWN && b.phys % (2 << 20)) {
		printf("not ok - abi %s: physical address 0x%llx\n", name,
		       b.phys);
		abi_failed = 1;
	} else {
		abi_result(name, -err, 0, ENOMEM);
	}
	if (b.fd >= 0)
		close(b.fd);
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

static void abi_sync(int dev, const char *name, int fd, __u64 flags,
		     __u64 offset, __u64 len, __u64 reserved, int want)
{
	struct pagepool_sync s;

	memset(&s, 0, sizeof(s));
	s.fd = fd;
	s.flags = flags;
	s.offset = offset;
	s.len = len;
	s.reserved[1] = reserved;
	abi_result(name, abi_ioctl(dev, PAGEPOOL_IOC_SYNC, &s), want, 0);
}

/* PAGEPOOL_IOC_SYNC on a buffer of @size bytes that no device has mapped. */
static void abi_syncs(int dev, int fd, __u64 size)
{
	const __u64 rw = DMA_BUF_SYNC_RW, end = DMA_BUF_SYNC_END;
	struct pagepool_sync s;

	abi_sync(dev, "sync start of the whole buffer", fd, rw, 0, size, 0, 0);
	abi_sync(dev, "sync end of the whole buffer", fd, rw | end, 0, size, 0,
		 0);
	abi_sync(dev, "sync of one byte in the middle", fd,
		 DMA_BUF_SYNC_READ, size / 2, 1, 0, 0);
	abi_sync(dev, "sync of the last byte", fd, DMA_BUF_SYNC_WRITE | end,
		 size - 1, 1, 0, 0);
	abi_sync(dev, "sync of 0 bytes is EINVAL", fd, rw, 0, 0, 0, EINVAL);
	abi_sync(dev, "sync past the end is EINVAL", fd, rw, size - 1, 2, 0,
		 EINVAL);
	abi_sync(dev, "sync at the end is EINVAL", fd, rw, size, 1, 0, EINVAL);
	abi_sync(dev, "sync of a wrapping range is EINVAL", fd, rw, ~0ULL, 2,
		 0, EINVAL);
	abi_sync(dev, "sync without a direction is EINVAL", fd, end, 0, 1, 0,
		 EINVAL);
	abi_sync(dev, "sync with unknown flags is EINVAL", fd, rw | 8, 0, 1, 0,
		 EINVAL);
	abi_sync(dev, "sync with reserved set is EINVAL", fd, rw, 0, 1, 1,
		 EINVAL);
	abi_sync(dev, "sync of a closed fd is EBADF", 1000000, rw, 0, 1, 0,
		 EBADF);
	abi_sync(dev, "sync of a non-dma-buf fd is EINVAL", dev, rw, 0, 1, 0,
		 EINVAL);
	memset(&s, 0, sizeof(s));
	s.fd = fd;
	s.flags = rw;
	s.len = 1;
	abi_result("sync as _IOWR (the wrong direction) is ENOTTY",
		   abi_ioctl(dev, _IOWR(PAGEPOOL_IOC_MAGIC, 0x3,
					struct pagepool_sync), &s), ENOTTY, 0);
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
	abi_alloc(cx.dev, "alloc with an unknown flag is EINVAL", 1, rw, 2, 0,
		  EINVAL);
	abi_alloc(cx.dev, "alloc with flag 63 is EINVAL", 1, rw, 1ULL << 63, 0,
		  EINVAL);
	abi_alloc(cx.dev, "alloc write-combined", 1, rw,
		  PAGEPOOL_ALLOC_WRITECOMBINE, 0, 0);
	abi_alloc(cx.dev, "alloc write-combined with an unknown flag is EINVAL",
		  1, rw, PAGEPOOL_ALLOC_WRITECOMBINE | 4, 0, EINVAL);
	abi_alloc(cx.dev, "alloc with reserved set is EINVAL", 1, rw, 0, 1,
		  EINVAL);
	abi_alloc(cx.dev, "alloc with bad fd_flags is EINVAL", 1,
		  rw | O_NONBLOCK, 0, 0, EINVAL);
	abi_alloc(cx.dev, "alloc beyond the pool is ENOMEM", 1ULL << 40, rw, 0,
		  0, ENOMEM);
	abi_align(cx.dev, "alloc aligned to 1 page", 3, 1, ps, 0);
	abi_align(cx.dev, "alloc aligned to 16 pages", 3, 16, ps, 0);
	abi_align(cx.dev, "alloc aligned to 512 pages (2 MiB)", 1, 512, ps, 0);
	abi_align(cx.dev, "alloc aligned to 3 pages is EINVAL", 1, 3, ps,
		  EINVAL);
	abi_align(cx.dev, "alloc aligned beyond the pool is EINVAL", 1,
		  1ULL << 40, ps, EINVAL);
	abi_align(cx.dev, "alloc aligned to 2^63 pages is EINVAL", 1,
		  1ULL << 63, ps, EINVAL);
	memset(&pi, 0, sizeof(pi));
	pi.reserved[1] = 1;
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
	abi_heap_align(&cx);

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
	abi_syncs(cx.dev, b.fd, 2 * ps);
	other = open_path("/dev/dma_heap/system", O_RDWR, 0);
	if (other >= 0) {
		struct pbuf sb;

		if (!heap_alloc(other, 1, ps, &sb)) {
			abi_info(cx.dev, "buffer info of another exporter's dma-buf is EINVAL",
				 sb.fd, 0, 0, EINVAL, 0);
			abi_sync(cx.dev, "sync of another exporter's dma-buf is EINVAL",
				 sb.fd, DMA_BUF_SYNC_RW, 0, 1, 0, EINVAL);
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

/* ---- hugemap ---- */

/* The x86 page-table dump of this process, kernel half included. */
#define PTDUMP_PATH	"/sys/kernel/debug/page_tables/current_kernel"

/**
 * struct memtypes - the memory types page tables give a range of addresses
 * @wb: present ranges that are write-back (none of PWT, PCD, PAT)
 * @wc: present ranges that are write-combined (PWT alone: Linux puts WC
 *	in PAT entry 1)
 * @other: present ranges of another type
 * @huge: present ranges mapped by entries larger than a page
 */
struct memtypes {
	unsigned int wb, wc, other, huge;
};

/*
 * Count the types of the present ranges of a page-table dump that overlap
 * [@lo, @hi). Its lines read "0xSTART-0xEND  SIZE  FLAGS LEVEL", where
 * FLAGS has RW or ro when the range is present.
 */
static void ptdump_types(const char *dump, unsigned long lo,
			 unsigned long hi, struct memtypes *t)
{
	const char *line, *eol;

	memset(t, 0, sizeof(*t));
	for (line = dump; *line; line = *eol ? eol + 1 : eol) {
		unsigned long start, end;
		int present = 0, pwt = 0, pcd = 0, pat = 0, pte = 0;
		char buf[256], *w, *save;

		eol = strchrnul(line, '\n');
		if (sscanf(line, "0x%lx-0x%lx", &start, &end) != 2 ||
		    end <= lo || start >= hi)
			continue;
		snprintf(buf, sizeof(buf), "%.*s", (int)(eol - line), line);
		for (w = strtok_r(buf, " ", &save); w;
		     w = strtok_r(NULL, " ", &save)) {
			present |= !strcmp(w, "RW") || !strcmp(w, "ro");
			pwt |= !strcmp(w, "PWT");
			pcd |= !strcmp(w, "PCD");
			pat |= !strcmp(w, "PAT");
			pte |= !strcmp(w, "pte");
		}
		if (!present)
			continue;
		if (pwt && !pcd && !pat)
			t->wc++;
		else if (!pwt && !pcd && !pat)
			t->wb++;
		else
			t->other++;
		t->huge += !pte;
	}
}

/*
 * Where the dump's linear map (the "Low Kernel Mapping") begins: in the GiB
 * of its first range, which starts past a page that is not mapped (KASLR
 * moves the linear map in steps of 1 GiB).
 */
static unsigned long ptdump_linear_base(const char *dump)
{
	const char *m = strstr(dump, "Low Kernel Mapping ]---\n");
	unsigned long base;

	if (!m || sscanf(strchr(m, '\n') + 1, "0x%lx-", &base) != 1)
		die(RC_DATA, "%s has no linear map marker", PTDUMP_PATH);
	return base & ~((1UL << 30) - 1);
}

/*
 * Check the types page tables give the user mapping [@at, @at + @len) of
 * a buffer and the kernel's linear map of its @bytes bytes from @phys:
 * write-combined if @wc, else write-back. With @len 0, the linear map only.
 */
static void ptdump_check(const unsigned char *at, size_t len,
			 unsigned long long phys, size_t bytes, int wc,
			 const char *when)
{
	char *dump = read_file(PTDUMP_PATH, 1);
	unsigned long lin = ptdump_linear_base(dump) + phys;
	const char *type = wc ? "write-combined" : "write-back";
	struct memtypes u, k;

	if (len) {
		ptdump_types(dump, (unsigned long)at, (unsigned long)at + len,
			     &u);
		if (!(wc ? u.wc : u.wb) || (wc ? u.wb : u.wc) || u.other)
			die(RC_DATA, "%s: user mapping not all %s: %u WB, %u WC, %u other",
			    when, type, u.wb, u.wc, u.other);
		printf("ptdump: %s: the mapping is %s (%u ranges, %u huge)\n",
		       when, type, wc ? u.wc : u.wb, u.huge);
	}
	ptdump_types(dump, lin, lin + bytes, &k);
	if (!(wc ? k.wc : k.wb) || (wc ? k.wb : k.wc) || k.other)
		die(RC_DATA, "%s: linear map not all %s: %u WB, %u WC, %u other",
		    when, type, k.wb, k.wc, k.other);
	printf("ptdump: %s: the linear map is %s\n", when, type);
	free(dump);
}

/*
 * Read @len bytes of buffer @fd back through vgem, when it is loaded:
 * import it and map the file vgem exports for the import at @at, a 2 MiB
 * boundary. (DRM maps no import through the card itself.)
 */
static void vgem_read_back(int fd, unsigned char *at, size_t len,
			   unsigned long long tag)
{
	int card = open_vgem(NULL, 0);
	struct drm_prime_handle_arg ph;
	struct drm_gem_close_arg gc;
	size_t bad;

	if (card < 0) {
		printf("vgem: not loaded\n");
		return;
	}
	memset(&ph, 0, sizeof(ph));
	ph.fd = fd;
	if (ioctl(card, DRM_FD_TO_HANDLE_IOC, &ph) < 0)
		die(RC_IMPORT, "DRM_IOCTL_PRIME_FD_TO_HANDLE into vgem: %s",
		    strerror(errno));
	ph.fd = -1;
	ph.flags = O_RDONLY | O_CLOEXEC;
	if (ioctl(card, DRM_HANDLE_TO_FD_IOC, &ph) < 0)
		die(RC_IMPORT, "DRM_IOCTL_PRIME_HANDLE_TO_FD from vgem: %s",
		    strerror(errno));
	if (mmap(at, len, PROT_READ, MAP_SHARED | MAP_FIXED, ph.fd, 0) ==
	    MAP_FAILED)
		die(RC_IMPORT, "mmap of the file vgem exports: %s",
		    strerror(errno));
	bad = pattern_check_at(at, len, tag, 0);
	if (bad < len)
		die(RC_DATA, "the buffer through vgem differs at byte %zu",
		    bad);
	printf("read back through vgem's import\n");
	munmap(at, len);
	close(ph.fd);
	memset(&gc, 0, sizeof(gc));
	gc.handle = ph.handle;
	if (ioctl(card, DRM_GEM_CLOSE_IOC, &gc) < 0)
		die(RC_IMPORT, "DRM_IOCTL_GEM_CLOSE: %s", strerror(errno));
	close(card);
}

/* Write-combined buffers and pages in the pool, from pool info. */
static void expect_wc(int dev, unsigned long long buffers,
		      unsigned long long pages, const char *when)
{
	struct pagepool_pool_info pi;

	pool_info(dev, &pi);
	if (pi.wc_buffers != buffers || pi.wc_pages != pages)
		die(RC_POOL, "%s: pool info: %llu WC buffers of %llu pages, not %llu of %llu",
		    when, (unsigned long long)pi.wc_buffers,
		    (unsigned long long)pi.wc_pages, buffers, pages);
}

/*
 * Map a buffer of @pages pages (physically 2 MiB-aligned) at a 2 MiB-aligned
 * address, write every page, and print how much PageTables grew; then map
 * it again at an odd page offset and read the data back through that.
 * With --wc the buffer is write-combined. Where the kernel has a page-table
 * dump (PTDUMP_DEBUGFS), check the memory types of the mapping and of the
 * kernel's linear map of the buffer, and of the latter after the free.
 */
static int cmd_hugemap(int argc, char **argv)
{
	const size_t pmd = 2 << 20;
	unsigned long long pages = 0;
	long long before, after;
	struct pagepool_pool_info pi;
	unsigned char *area, *at, *odd;
	size_t len, bad, ps;
	int status, wc = 0, dump, a;
	pid_t pid;
	struct pbuf b;
	struct ctx cx;
	int err;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--wc"))
			wc = 1;
		else if (argv[a][0] == '-' || pages)
			die(RC_USAGE, "hugemap: unknown argument '%s'",
			    argv[a]);
		else
			pages = opt_num("hugemap PAGES", argv[a], 1024,
					1ULL << 30);
	}
	if (!pages)
		die(RC_USAGE, "hugemap: how many pages? (see --help)");
	ctx_open(&cx, 0, 0);
	ps = cx.page_size;
	dump = !access(PTDUMP_PATH, R_OK);
	pool_info(cx.dev, &pi);
	err = pool_alloc_aligned(cx.dev, pages, pmd / ps,
				 wc ? PAGEPOOL_ALLOC_WRITECOMBINE : 0,
				 O_RDWR | O_CLOEXEC, &b);
	if (err)
		die(err == -ENOMEM ? RC_NOMEM : RC_IOCTL,
		    "allocating %llu pages aligned to 2 MiB: %s", pages,
		    strerror(-err));
	err = buffer_info(cx.dev, &b);
	if (err)
		die(RC_IOCTL, "PAGEPOOL_IOC_BUFFER_INFO: %s", strerror(-err));
	expect_wc(cx.dev, pi.wc_buffers + wc, pi.wc_pages + wc * pages,
		  "with the buffer");
	len = pages * ps;
	area = mmap(NULL, len + pmd, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (area == MAP_FAILED)
		die(RC_MAP, "reserving %zu bytes: %s", len + pmd,
		    strerror(errno));
	at = (unsigned char *)(((unsigned long)area + pmd - 1) & ~(pmd - 1));
	before = pagetables_kb();
	if (mmap(at, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 b.fd, 0) == MAP_FAILED)
		die(RC_MAP, "mmap at a 2 MiB boundary: %s", strerror(errno));
	pattern_fill_at(at, len, 0x6875676570ULL, 0);
	after = pagetables_kb();
	printf("pagetables %+lld kB for %llu MiB mapped at a 2 MiB boundary\n",
	       after - before, (unsigned long long)(len >> 20));
	if (dump)
		ptdump_check(at, len, b.phys, len, wc, "mapped");
	else
		printf("ptdump: none (no %s)\n", PTDUMP_PATH);
	/* A child sees them through the PMD entries it inherits. */
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die(RC_SYS, "fork: %s", strerror(errno));
	if (!pid)
		_exit(pattern_check_at(at, len, 0x6875676570ULL, 0) < len);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die(RC_DATA, "a child does not read the pattern after fork");
	/* Split entries: a page made read-only, a page unmapped. */
	if (mprotect(at + ps, ps, PROT_READ))
		die(RC_MAP, "mprotect of one page: %s", strerror(errno));
	if (munmap(at + pmd + ps, ps))
		die(RC_MAP, "munmap of one page: %s", strerror(errno));
	if (pattern_check_at(at, pmd + ps, 0x6875676570ULL, 0) < pmd + ps ||
	    pattern_check_at(at + pmd + 2 * ps, len - pmd - 2 * ps,
			     0x6875676570ULL, pmd + 2 * ps) < len - pmd - 2 * ps)
		die(RC_DATA, "the pattern differs after mprotect and munmap of one page each");
	/* Growing is refused. */
	if (mremap(at, len, len + ps, MREMAP_MAYMOVE) != MAP_FAILED)
		die(RC_MAP, "mremap grew the buffer's mapping");
	printf("fork, mprotect and munmap of single pages, mremap refused\n");
	/* The same pages through a second mapping, one page in. */
	odd = mmap(NULL, len - ps, PROT_READ, MAP_SHARED, b.fd, ps);
	if (odd == MAP_FAILED)
		die(RC_MAP, "mmap at page offset 1: %s", strerror(errno));
	bad = pattern_check_at(odd, len - ps, 0x6875676570ULL, ps);
	if (bad < len - ps)
		die(RC_DATA, "the mapping at page offset 1 differs at byte %zu",
		    bad);
	printf("read back through a mapping at page offset 1\n");
	munmap(odd, len - ps);
	munmap(at, len);
	/* One page in at one page past the boundary: a 4 KiB head, PMDs. */
	if (mmap(at + ps, len - ps, PROT_READ, MAP_SHARED | MAP_FIXED, b.fd,
		 ps) == MAP_FAILED)
		die(RC_MAP, "mmap one page past a 2 MiB boundary: %s",
		    strerror(errno));
	bad = pattern_check_at(at + ps, len - ps, 0x6875676570ULL, ps);
	if (bad < len - ps)
		die(RC_DATA, "the mapping one page past a 2 MiB boundary differs at byte %zu",
		    bad);
	printf("read back through a mapping one page past a 2 MiB boundary\n");
	munmap(at + ps, len - ps);
	vgem_read_back(b.fd, at, len, 0x6875676570ULL);
	munmap(area, len + pmd);
	close(b.fd);
	expect_wc(cx.dev, pi.wc_buffers, pi.wc_pages, "after the free");
	if (dump)
		ptdump_check(NULL, 0, b.phys, len, 0, "freed");
	return 0;
}

/* ---- asuser ---- */

/*
 * Run a command as another user: "asuser UID GID[,GID...] CMD [ARG...]",
 * the first GID the primary group, the others supplementary. Root only;
 * the command keeps no capability.
 */
static int cmd_asuser(int argc, char **argv)
{
	gid_t gids[16];
	unsigned long long v;
	unsigned int n = 0;
	char *list, *g, *save;
	uid_t uid;

	if (argc < 4)
		die(RC_USAGE, "asuser: UID GID[,GID...] COMMAND [ARG...]");
	uid = (uid_t)opt_num("asuser UID", argv[1], 0, 0xfffffffe);
	list = argv[2];
	for (g = strtok_r(list, ",", &save); g; g = strtok_r(NULL, ",", &save)) {
		if (n == ARRAY_SIZE(gids))
			die(RC_USAGE, "asuser: more than %zu groups",
			    ARRAY_SIZE(gids));
		if (parse_ull(g, &v) || v > 0xfffffffe)
			die(RC_USAGE, "asuser: '%s' is not a gid", g);
		gids[n++] = (gid_t)v;
	}
	if (!n)
		die(RC_USAGE, "asuser: no gid");
	if (setgroups(n - 1, gids + 1) || setgid(gids[0]) || setuid(uid))
		die(RC_SYS, "asuser: becoming uid %u gid %u: %s", uid, gids[0],
		    strerror(errno));
	execvp(argv[3], argv + 3);
	die(RC_SYS, "asuser: %s: %s", argv[3], strerror(errno));
}

static const struct tool_cmd cmds[] = {
	{ "asuser", cmd_asuser },
	{ "replay", cmd_replay },
	{ "stress", cmd_stress },
	{ "import", cmd_import },
	{ "abi", cmd_abi },
	{ "hugemap", cmd_hugemap },
};

static const struct tool pagepool_test = {
	.name = PROG,
	.about = "Exercise the pagepool module (the QEMU tests' driver).",
	.commands =
		"  replay [--hold SECONDS]\n"
		"                      run \"alloc N [A]\" (A: alignment in\n"
		"                      pages) and \"free P N\" lines\n"
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
		"  import PAGES [--heap] [--card PATH] [--twice] [--wc]\n"
		"                      import a buffer into vgem, check it\n"
		"                      stays while only vgem holds it and\n"
		"                      comes back when vgem lets go;\n"
		"                      --twice: through two files of the\n"
		"                      card at once as well; --wc: a\n"
		"                      write-combined buffer\n"
		"  abi                 the ioctls' error cases (TAP lines)\n"
		"  asuser UID GID[,GID...] COMMAND [ARG...]\n"
		"                      run COMMAND as UID in group GID (and\n"
		"                      the other GIDs), without capabilities\n"
		"  hugemap PAGES [--wc]\n"
		"                      map a 2 MiB-aligned buffer at a 2 MiB\n"
		"                      boundary, write it, print how much\n"
		"                      PageTables grew; read it back through\n"
		"                      a mapping at page offset 1 and,\n"
		"                      when vgem is loaded, through vgem's\n"
		"                      import; with a\n"
		"                      page-table dump, check the memory\n"
		"                      types (--wc: a write-combined buffer)\n",
	.cmds = cmds,
	.ncmds = ARRAY_SIZE(cmds),
	.last_rc = RC_TIMEOUT,
	.bad_input = "a malformed replay line",
};

/**
 * main() - run one pagepool-test command
 * @argc: argument count
 * @argv: global options, then the command and its arguments
 *
 * Return: 0 on success, else one of the exit codes --help lists.
 */
int main(int argc, char **argv)
{
	return tool_main(&pagepool_test, argc, argv);
}
