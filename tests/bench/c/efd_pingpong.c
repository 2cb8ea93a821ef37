// SPDX-License-Identifier: MIT
/*
 * efd_pingpong: the C baseline the daemon's figures are compared with.
 *
 * latency:  a signaller thread writes 1 to the ping eventfd and waits in poll()+read() on the
 *           pong eventfd; the reader thread, blocked in poll()+read() on ping, wakes and writes
 *           to pong the CLOCK_MONOTONIC time at which its read() returned (the "handler" entry).
 *           Two figures, p50/p99/p99.9/max over --iters round trips after --warmup:
 *           one-way = round trip / 2, and wake-to-handler = handler entry - time before write();
 *           and the context switches of all threads per round trip.
 * counter:  a writer thread writes 1 to an eventfd as fast as it can for --seconds; the reader
 *           thread loops poll()+read(). "units" are the counter values the reader consumed
 *           (the writes it absorbed), "reads" the read() calls that returned a value (= events:
 *           one HandleAsync call each in the daemon). Rates are counted over the writer's window
 *           only: whatever is still pending when the writer stops is not counted.
 * semaphore: the same with EFD_SEMAPHORE: each read() returns 1, so units == reads.
 *
 * Placement (--placement): unpinned; one (both threads on vCPU 0); two (signaller/writer on
 * vCPU 0, reader on vCPU 1). One JSON object per run on stdout.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

enum mode { MODE_LATENCY, MODE_COUNTER, MODE_SEMAPHORE };

static enum mode mode = MODE_LATENCY;
static const char *placement = "unpinned";
static long iters = 100000;
static long warmup = 10000;
static double seconds = 2.0;

static int ping_fd, pong_fd;
static atomic_int stop;
static atomic_int reader_ready;
static uint64_t reads, units;	/* written by the reader, read after join */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "efd_pingpong: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Pins the calling thread: role 0 is the signaller/writer, role 1 the reader. */
static void place(int role)
{
	cpu_set_t set;
	int cpu;

	if (!strcmp(placement, "unpinned"))
		return;
	cpu = !strcmp(placement, "one") ? 0 : role;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

/* Blocks until fd is readable, then reads its counter; retries EINTR and spurious EAGAIN. */
static uint64_t wait_read(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t v;

	for (;;) {
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (read(fd, &v, sizeof(v)) == sizeof(v))
			return v;
		if (errno != EAGAIN && errno != EINTR)
			die("read");
	}
}

static void write_value(int fd, uint64_t v)
{
	while (write(fd, &v, sizeof(v)) != sizeof(v))
		if (errno != EINTR && errno != EAGAIN)
			die("write");
}

static void write1(int fd)
{
	write_value(fd, 1);
}

static void *reader(void *arg)
{
	(void)arg;
	place(1);
	atomic_store(&reader_ready, 1);
	if (mode == MODE_LATENCY) {
		for (;;) {
			wait_read(ping_fd);
			uint64_t entered = now_ns();

			if (atomic_load_explicit(&stop, memory_order_relaxed))
				return NULL;
			write_value(pong_fd, entered);
		}
	}
	for (;;) {
		uint64_t v = wait_read(ping_fd);

		if (atomic_load_explicit(&stop, memory_order_relaxed))
			return NULL;
		/* Relaxed stores: the writer snapshots them at the end of its window. */
		__atomic_store_n(&reads, reads + 1, __ATOMIC_RELAXED);
		__atomic_store_n(&units, units + v, __ATOMIC_RELAXED);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t pct(const uint64_t *s, long n, double p)
{
	long i = (long)(p / 100.0 * (double)(n - 1) + 0.5);

	return s[i];
}

static long rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Context switches (voluntary + involuntary) of every thread of this process so far. */
static long context_switches(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	long sum = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[300], line[128];
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/status", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			long v;

			if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1 ||
			    sscanf(line, "nonvoluntary_ctxt_switches: %ld", &v) == 1)
				sum += v;
		}
		fclose(f);
	}
	closedir(d);
	return sum;
}

static void run_latency(void)
{
	uint64_t *rtt = malloc(sizeof(*rtt) * (size_t)iters);
	uint64_t *fwd = malloc(sizeof(*fwd) * (size_t)iters);
	long i, switches = 0;

	if (!rtt || !fwd)
		die("malloc");
	for (i = 0; i < warmup + iters; i++) {
		if (i == warmup)
			switches = context_switches();
		uint64_t t0 = now_ns();

		write1(ping_fd);
		uint64_t entered = wait_read(pong_fd);
		uint64_t t1 = now_ns();

		if (i >= warmup) {
			rtt[i - warmup] = t1 - t0;
			fwd[i - warmup] = entered - t0;
		}
	}
	switches = context_switches() - switches;
	qsort(rtt, (size_t)iters, sizeof(*rtt), cmp_u64);
	qsort(fwd, (size_t)iters, sizeof(*fwd), cmp_u64);
	printf("{\"impl\":\"c\",\"path\":\"c\",\"mode\":\"latency\",\"placement\":\"%s\",\"iters\":%ld,"
	       "\"p50_ns\":%.1f,\"p99_ns\":%.1f,\"p999_ns\":%.1f,\"max_ns\":%.1f,"
	       "\"fwd_p50_ns\":%llu,\"fwd_p99_ns\":%llu,\"fwd_p999_ns\":%llu,\"fwd_max_ns\":%llu,"
	       "\"switches_per_event\":%.2f,\"rss_kib\":%ld}\n",
	       placement, iters, pct(rtt, iters, 50) / 2.0, pct(rtt, iters, 99) / 2.0,
	       pct(rtt, iters, 99.9) / 2.0, rtt[iters - 1] / 2.0,
	       (unsigned long long)pct(fwd, iters, 50), (unsigned long long)pct(fwd, iters, 99),
	       (unsigned long long)pct(fwd, iters, 99.9), (unsigned long long)fwd[iters - 1],
	       (double)switches / (double)iters, rss_kib());
	free(rtt);
	free(fwd);
}

static void run_throughput(void)
{
	uint64_t writes = 0, t0, t1, deadline, r, u;

	t0 = now_ns();
	deadline = t0 + (uint64_t)(seconds * 1e9);
	do {
		for (int k = 0; k < 256; k++)
			write1(ping_fd);
		writes += 256;
		t1 = now_ns();
	} while (t1 < deadline);
	/* Snapshot the reader's counts at the end of the window (racy by at most one read). */
	r = __atomic_load_n(&reads, __ATOMIC_RELAXED);
	u = __atomic_load_n(&units, __ATOMIC_RELAXED);
	double s = (double)(t1 - t0) / 1e9;

	printf("{\"impl\":\"c\",\"path\":\"c\",\"mode\":\"%s\",\"placement\":\"%s\",\"seconds\":%.3f,"
	       "\"writes_per_s\":%.0f,\"events_per_s\":%.0f,\"units_per_s\":%.0f,\"units_per_read\":%.2f}\n",
	       mode == MODE_COUNTER ? "counter" : "semaphore", placement, s, writes / s, r / s, u / s,
	       r ? (double)u / (double)r : 0.0);
}

static void usage(void)
{
	fprintf(stderr, "usage: efd_pingpong latency|counter|semaphore [--placement unpinned|one|two]"
		" [--iters N] [--warmup N] [--seconds S]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	pthread_t th;

	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "latency"))
		mode = MODE_LATENCY;
	else if (!strcmp(argv[1], "counter"))
		mode = MODE_COUNTER;
	else if (!strcmp(argv[1], "semaphore"))
		mode = MODE_SEMAPHORE;
	else
		usage();
	for (int i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--placement"))
			placement = argv[i + 1];
		else if (!strcmp(argv[i], "--iters"))
			iters = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--warmup"))
			warmup = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = atof(argv[i + 1]);
		else
			usage();
	}
	if (strcmp(placement, "unpinned") && strcmp(placement, "one") && strcmp(placement, "two"))
		usage();
	if (iters < 1)
		usage();

	/* Non-blocking like the daemon's eventfd: poll() does the waiting. */
	ping_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK | (mode == MODE_SEMAPHORE ? EFD_SEMAPHORE : 0));
	pong_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ping_fd < 0 || pong_fd < 0)
		die("eventfd");
	place(0);
	if (pthread_create(&th, NULL, reader, NULL))
		die("pthread_create");
	while (!atomic_load(&reader_ready))
		sched_yield();

	if (mode == MODE_LATENCY)
		run_latency();
	else
		run_throughput();

	atomic_store(&stop, 1);
	write1(ping_fd);
	pthread_join(th, NULL);
	return 0;
}
