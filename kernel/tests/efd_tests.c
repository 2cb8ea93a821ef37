// SPDX-License-Identifier: GPL-2.0-only
/*
 * efd_lkm's test cases, run as root inside a throw-away VM (they load and unload modules).
 *
 *   efd_tests DIR [CASE...]     run all cases, or the named ones
 *   efd_tests --list            print the case names
 *
 * DIR holds efd_lkm.ko, efd_lkm_example.ko, efd_lkm_testmod.ko, dummy.ko and efd_seed.
 * Each case prints one line, "EFD-CASE PASS <case>" or "EFD-CASE FAIL <case> <reason>",
 * and leaves no module loaded.
 * Modules are loaded with finit_module() directly, so the errno is exact and a failing
 * init runs once (busybox insmod would retry it through init_module).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../include/uapi/efd_lkm.h"

/* The layout the C# side mirrors: checked at compile time. */
_Static_assert(sizeof(struct efd_lkm_event) == 128, "record size");
_Static_assert(offsetof(struct efd_lkm_event, seq) == 0, "seq");
_Static_assert(offsetof(struct efd_lkm_event, ts_ns) == 8, "ts_ns");
_Static_assert(offsetof(struct efd_lkm_event, kind) == 16, "kind");
_Static_assert(offsetof(struct efd_lkm_event, len) == 20, "len");
_Static_assert(offsetof(struct efd_lkm_event, data) == 24, "data");
_Static_assert(sizeof(struct efd_lkm_netdev) == 28, "netdev payload");
_Static_assert(sizeof(struct efd_lkm_module) == 60, "module payload");

#define SYS "/sys/kernel/efd_lkm/"
#define PARAMS "/sys/module/efd_lkm/parameters/"
#define DEV "/dev/efd_lkm"
#define EXAMPLE_KIND 0x1000
#define MAX_RECS 4096
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *dir;
static char reason[512];
static struct efd_lkm_event recs[MAX_RECS];

#define FAIL(...) do { snprintf(reason, sizeof(reason), __VA_ARGS__); return -1; } while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* strerror() of a negative errno, "success" for 0. */
static const char *err_name(int ret)
{
	return ret ? strerror(-ret) : "success";
}

/* ---- modules ---- */

static int load(const char *ko, const char *fmt, ...)
{
	char path[512], params[512] = "";
	va_list ap;
	int fd, ret;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(params, sizeof(params), fmt, ap);
		va_end(ap);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, ko);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

static int unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

static bool loaded(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return access(path, F_OK) == 0;
}

static void unload_all(void)
{
	unload("efd_lkm_testmod");
	unload("efd_lkm_example");
	unload("efd_lkm");
	unload("dummy");
}

/* ---- sysfs ---- */

static int sys_write(const char *path, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	ssize_t n;
	int fd, ret = 0;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, strlen(buf));
	if (n < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static long long sys_read(const char *path)
{
	char buf[64] = "";
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1000000 - errno;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return strtoll(buf, NULL, 10);
}

#define SYSV(name) sys_read(SYS name)

/* ---- eventfds ---- */

/* The counter's value, 0 when it is zero (non-blocking read), <0 on other errors. */
static long long efd_take(int efd)
{
	uint64_t v;

	if (read(efd, &v, sizeof(v)) == sizeof(v))
		return (long long)v;
	return errno == EAGAIN ? 0 : -errno;
}

/*
 * A second process with its own eventfd, driven over pipes: 'r' reads its counter,
 * 'c' closes the eventfd, 'x' exits.
 */
struct peer {
	pid_t pid;
	int efd;
	int cmd;
	int res;
};

static int peer_start(struct peer *p, int flags)
{
	int to_child[2], to_parent[2];

	if (pipe2(to_child, O_CLOEXEC) || pipe2(to_parent, O_CLOEXEC))
		return -1;
	p->pid = fork();
	if (p->pid < 0)
		return -1;
	if (p->pid == 0) {
		int efd = eventfd(0, EFD_NONBLOCK | flags);
		long long v;
		char c;

		close(to_child[1]);
		close(to_parent[0]);
		v = efd;
		if (write(to_parent[1], &v, sizeof(v)) != sizeof(v))
			_exit(1);
		while (read(to_child[0], &c, 1) == 1) {
			if (c == 'r')
				v = efd_take(efd);
			else if (c == 'c')
				v = close(efd);
			else
				_exit(0);
			if (write(to_parent[1], &v, sizeof(v)) != sizeof(v))
				_exit(1);
		}
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	p->cmd = to_child[1];
	p->res = to_parent[0];
	long long v;

	if (read(p->res, &v, sizeof(v)) != sizeof(v))
		return -1;
	p->efd = (int)v;
	return 0;
}

static long long peer_do(struct peer *p, char c)
{
	long long v = -1;

	if (write(p->cmd, &c, 1) != 1 || read(p->res, &v, sizeof(v)) != sizeof(v))
		return -1000;
	return v;
}

static void peer_stop(struct peer *p)
{
	if (p->pid <= 0)
		return;
	close(p->cmd);
	close(p->res);
	kill(p->pid, SIGKILL);
	waitpid(p->pid, NULL, 0);
	p->pid = 0;
}

/* Waits up to @ms for attached_pid to become @want. */
static bool wait_attached(long long want, int ms)
{
	for (; ms > 0; ms -= 10) {
		if (SYSV("attached_pid") == want)
			return true;
		sleep_ms(10);
	}
	return SYSV("attached_pid") == want;
}

/* ---- records ---- */

static int reader_open(void)
{
	return open(DEV, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

/* Reads every record now in the ring into recs[]; returns how many, <0 on error. */
static int drain(int rfd)
{
	int n = 0;

	for (;;) {
		ssize_t got = read(rfd, recs + n, sizeof(recs) - n * sizeof(recs[0]));

		if (got < 0)
			return errno == EAGAIN ? n : -errno;
		if (got % sizeof(recs[0]))
			return -EPROTO;
		n += got / sizeof(recs[0]);
		if (n == MAX_RECS)
			return n;
	}
}

static int find_rec(int n, int from, uint32_t kind)
{
	for (int i = from; i < n; i++)
		if (recs[i].kind == kind)
			return i;
	return -1;
}

static int find_netdev(int n, const char *ifname, uint32_t event)
{
	for (int i = 0; i < n; i++) {
		struct efd_lkm_netdev *d = (void *)recs[i].data;

		if (recs[i].kind == EFD_LKM_KIND_NETDEV && !strcmp(d->ifname, ifname) &&
		    d->event == event)
			return i;
	}
	return -1;
}

static int find_module(int n, int from, const char *name, uint32_t state)
{
	for (int i = from; i < n; i++) {
		struct efd_lkm_module *m = (void *)recs[i].data;

		if (recs[i].kind == EFD_LKM_KIND_MODULE && !strcmp(m->name, name) &&
		    m->state == state)
			return i;
	}
	return -1;
}

/* Sets or clears @flag (IFF_*) on @ifname, as "ip link set" does. */
static int link_flag(const char *ifname, short flag, bool on)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = 0;

	if (s < 0)
		return -errno;
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		ret = -errno;
	} else {
		if (on)
			ifr.ifr_flags |= flag;
		else
			ifr.ifr_flags &= ~flag;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			ret = -errno;
	}
	close(s);
	return ret;
}

static int link_set(const char *ifname, bool up)
{
	return link_flag(ifname, IFF_UP, up);
}

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ---- cases ---- */

/* The last step of most cases: the module unloads cleanly. */
static int finish(void)
{
	int ret = unload("efd_lkm");

	CHECK(ret == 0, "rmmod efd_lkm: %s", strerror(-ret));
	return 0;
}

static int case_load_unattached(void)
{
	static const char *const want[] = {
		"abi_version", "attach", "attached_fd", "attached_pid", "detach", "dropped",
		"events", "ring_size", "signals", "trigger",
	};
	struct dirent *de;
	int ret, found = 0;
	DIR *d;

	ret = load("efd_lkm.ko", NULL);
	CHECK(ret == 0, "insmod without parameters: %s", strerror(-ret));
	CHECK(SYSV("attached_pid") == -1, "attached_pid %lld", SYSV("attached_pid"));
	CHECK(SYSV("attached_fd") == -1, "attached_fd %lld", SYSV("attached_fd"));
	CHECK(SYSV("abi_version") == 1, "abi_version %lld", SYSV("abi_version"));
	CHECK(SYSV("ring_size") == 1024, "ring_size %lld", SYSV("ring_size"));
	CHECK(SYSV("events") == 0 && SYSV("signals") == 0 && SYSV("dropped") == 0,
	      "counters not zero at load");
	d = opendir(SYS);
	CHECK(d, "opendir " SYS ": %s", strerror(errno));
	while ((de = readdir(d))) {
		bool ok = de->d_name[0] == '.';

		for (size_t i = 0; i < ARRAY_SIZE(want); i++)
			if (!strcmp(de->d_name, want[i])) {
				ok = true;
				found++;
			}
		if (!ok) {
			closedir(d);
			FAIL("unexpected sysfs file %s", de->d_name);
		}
	}
	closedir(d);
	CHECK(found == 10, "%d of 10 sysfs files", found);
	CHECK(access(DEV, F_OK) == 0, DEV " missing");
	CHECK(sys_read(PARAMS "netdev") == 0 && sys_read(PARAMS "tick_ms") == 0,
	      "a source is on by default");
	ret = unload("efd_lkm");
	CHECK(ret == 0, "rmmod: %s", strerror(-ret));
	CHECK(access(SYS, F_OK) != 0, SYS " left after rmmod");
	return 0;
}

/* The classic demo: a separate program blocked in select() wakes with exactly 1. */
static int case_seed_demo(void)
{
	char path[512], cmd[600], line[128] = "", out[256] = "";
	int pfd[2], pid_, fd_, status, ret;
	struct pollfd pf;
	pid_t child;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/efd_seed", dir);
	CHECK(pipe2(pfd, O_CLOEXEC) == 0, "pipe");
	child = fork();
	if (child == 0) {
		dup2(pfd[1], 1);
		execl(path, "efd_seed", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	pf.fd = pfd[0];
	pf.events = POLLIN;
	n = poll(&pf, 1, 5000) == 1 ? read(pfd[0], line, sizeof(line) - 1) : -1;
	if (n <= 0 || sscanf(line, "pid %d fd %d", &pid_, &fd_) != 2) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		close(pfd[0]);
		FAIL("efd_seed said '%s'", line);
	}
	/* The demo's own words: the insmod command, not our finit_module() wrapper. */
	snprintf(cmd, sizeof(cmd), "insmod %s/efd_lkm.ko pid=%d efd=%d", dir, pid_, fd_);
	ret = system(cmd);
	ret = ret == 0 ? 0 : -EIO;
	for (int i = 0; i < 300 && waitpid(child, &status, WNOHANG) == 0; i++)
		sleep_ms(10);
	if (kill(child, 0) == 0) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
		close(pfd[0]);
		FAIL("efd_seed still blocked 3 s after '%s' (exit %s)", cmd, err_name(ret));
	}
	n = read(pfd[0], out, sizeof(out) - 1);
	close(pfd[0]);
	CHECK(ret == 0, "'%s' failed", cmd);
	CHECK(n > 0 && strstr(out, "value read = 1\n"), "efd_seed printed '%s'", out);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "efd_seed status %d", status);
	CHECK(SYSV("signals") == 1, "signals %lld, want 1", SYSV("signals"));
	return 0;
}

/*
 * busybox insmod retries a failed finit_module() with init_module(), so a failing init runs
 * twice in a row: it must unwind completely each time and leave the next load working.
 */
static int case_insmod_failure_retried_cleanly(void)
{
	char cmd[600];
	int ret;

	snprintf(cmd, sizeof(cmd), "insmod %s/efd_lkm.ko pid=4000000 efd=0 2>/dev/null", dir);
	CHECK(system(cmd) != 0, "insmod with a missing pid succeeded");
	CHECK(!loaded("efd_lkm"), "module left loaded after a failed insmod");
	snprintf(cmd, sizeof(cmd), "insmod %s/efd_lkm.ko pid=%d efd=999 2>/dev/null", dir,
		 getpid());
	CHECK(system(cmd) != 0, "insmod with a closed fd succeeded");
	ret = load("efd_lkm.ko", NULL);
	CHECK(ret == 0, "insmod after failed ones: %s", strerror(-ret));
	CHECK(access(DEV, F_OK) == 0 && SYSV("events") == 0, "state left from failed loads");
	return finish();
}

struct load_error {
	const char *what;
	char params[128];
	int err;
};

static int case_load_errors(void)
{
	int self = getpid(), efd = eventfd(0, EFD_CLOEXEC), p[2], ret;
	struct load_error cases[] = {
		{ "pid without efd", "", EINVAL },
		{ "efd without pid", "efd=3", EINVAL },
		{ "pid=0", "pid=0 efd=3", EINVAL },
		{ "negative pid", "pid=-4 efd=3", EINVAL },
		{ "negative efd", "", EINVAL },
		{ "malformed pid", "pid=abc efd=3", EINVAL },
		{ "no such pid", "pid=4000000 efd=0", ESRCH },
		{ "kernel thread (no file table)", "pid=2 efd=0", EBADF },
		{ "fd not open", "", EBADF },
		{ "fd not an eventfd", "", EINVAL },
		{ "ring_size not a power of two", "ring_size=1000", EINVAL },
		{ "ring_size 0", "ring_size=0", EINVAL },
	};

	CHECK(efd >= 0 && pipe2(p, O_CLOEXEC) == 0, "eventfd/pipe");
	snprintf(cases[0].params, sizeof(cases[0].params), "pid=%d", self);
	snprintf(cases[4].params, sizeof(cases[4].params), "pid=%d efd=-1", self);
	snprintf(cases[8].params, sizeof(cases[8].params), "pid=%d efd=999", self);
	snprintf(cases[9].params, sizeof(cases[9].params), "pid=%d efd=%d", self, p[0]);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = load("efd_lkm.ko", "%s", cases[i].params);
		if (ret == 0)
			unload("efd_lkm");
		CHECK(ret == -cases[i].err, "%s (%s): got %s, want %s", cases[i].what,
		      cases[i].params, err_name(ret), strerror(cases[i].err));
		CHECK(!loaded("efd_lkm"), "%s: module left loaded", cases[i].what);
	}
	close(p[0]);
	close(p[1]);
	close(efd);
	return 0;
}

static int case_attach_errors(void)
{
	int self = getpid(), p[2], ret;
	struct {
		char text[64];
		int err;
	} cases[] = {
		{ "garbage", EINVAL }, { "5", EINVAL }, { "0 3", EINVAL }, { "", EINVAL },
		{ "4000000 0", ESRCH }, { "2 0", EBADF }, { "", EBADF }, { "", EINVAL },
		{ "", EINVAL },
	};

	CHECK(pipe2(p, O_CLOEXEC) == 0, "pipe");
	snprintf(cases[3].text, sizeof(cases[3].text), "%d -1", self);
	snprintf(cases[6].text, sizeof(cases[6].text), "%d 999", self);
	snprintf(cases[7].text, sizeof(cases[7].text), "%d %d", self, p[0]);
	snprintf(cases[8].text, sizeof(cases[8].text), "%d %d junk", self, p[0]);
	ret = load("efd_lkm.ko", NULL);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = sys_write(SYS "attach", "%s", cases[i].text);
		CHECK(ret == -cases[i].err, "attach '%s': got %s, want %s", cases[i].text,
		      err_name(ret), strerror(cases[i].err));
	}
	CHECK(SYSV("attached_pid") == -1, "attached after failed attaches");
	ret = sys_write(SYS "trigger", "0");
	CHECK(ret == -EINVAL, "trigger 0: %s", strerror(-ret));
	ret = sys_write(SYS "trigger", "many");
	CHECK(ret == -EINVAL, "trigger many: %s", strerror(-ret));
	CHECK(SYSV("events") == 0, "events %lld after failed writes", SYSV("events"));
	close(p[0]);
	close(p[1]);
	return finish();
}

static int case_counter_coalesces(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), ret;
	long long v;

	ret = load("efd_lkm.ko", "pid=%d efd=%d", getpid(), efd);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	CHECK((v = efd_take(efd)) == 1, "after attach read %lld, want 1", v);
	CHECK(sys_write(SYS "trigger", "5") == 0, "trigger 5");
	CHECK((v = efd_take(efd)) == 5, "after trigger 5 read %lld, want 5 in one read", v);
	CHECK((v = efd_take(efd)) == 0, "counter not empty: %lld", v);
	CHECK(SYSV("signals") == 6 && SYSV("events") == 6, "signals %lld events %lld, want 6 6",
	      SYSV("signals"), SYSV("events"));
	close(efd);
	return finish();
}

static int case_semaphore_one_per_read(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_SEMAPHORE | EFD_CLOEXEC), ret, reads = 0;
	long long v;

	ret = load("efd_lkm.ko", NULL);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	CHECK(sys_write(SYS "attach", "%d %d\n", getpid(), efd) == 0, "attach");
	CHECK(sys_write(SYS "trigger", "4") == 0, "trigger 4");
	while ((v = efd_take(efd)) == 1)
		reads++;
	CHECK(v == 0, "semaphore read gave %lld", v);
	CHECK(reads == 5, "%d reads of 1, want 5 (ATTACHED + 4)", reads);
	close(efd);
	return finish();
}

static int case_reattach(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), ret;
	struct peer p = { 0 };
	long long v;

	ret = load("efd_lkm.ko", "pid=%d efd=%d", getpid(), efd);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	efd_take(efd);
	if (peer_start(&p, 0))
		FAIL("peer");
	ret = sys_write(SYS "attach", "%d %d", p.pid, p.efd);
	if (ret) {
		peer_stop(&p);
		FAIL("attach to peer: %s", strerror(-ret));
	}
	sys_write(SYS "trigger", "1");
	v = peer_do(&p, 'r');
	if (SYSV("attached_pid") != p.pid || SYSV("attached_fd") != p.efd || v != 2) {
		peer_stop(&p);
		FAIL("after re-attach: attached_pid %lld, peer read %lld (want 2)",
		     SYSV("attached_pid"), v);
	}
	v = efd_take(efd);
	CHECK(v == 0, "old eventfd still signalled: %lld", v);
	ret = sys_write(SYS "attach", "%d %d", getpid(), efd);
	sys_write(SYS "trigger", "1");
	v = peer_do(&p, 'r');
	peer_stop(&p);
	CHECK(ret == 0 && SYSV("attached_pid") == getpid(), "re-attach back failed");
	CHECK(v == 0, "peer signalled after re-attach away: %lld", v);
	CHECK((v = efd_take(efd)) == 2, "back on self: read %lld, want 2", v);
	close(efd);
	return finish();
}

static int auto_detach(char how)
{
	struct peer p = { 0 };
	int ret;

	ret = load("efd_lkm.ko", NULL);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	if (peer_start(&p, 0))
		FAIL("peer");
	ret = sys_write(SYS "attach", "%d %d", p.pid, p.efd);
	if (ret) {
		peer_stop(&p);
		FAIL("attach: %s", strerror(-ret));
	}
	if (how == 'c')
		peer_do(&p, 'c');
	else
		peer_stop(&p);
	if (!wait_attached(-1, 3000)) {
		peer_stop(&p);
		FAIL("still attached (pid %lld) 3 s after the eventfd went away",
		     SYSV("attached_pid"));
	}
	CHECK(SYSV("attached_fd") == -1, "attached_fd %lld", SYSV("attached_fd"));
	/* Records keep coming while detached, without a target to signal. */
	CHECK(sys_write(SYS "trigger", "2") == 0, "trigger while detached");
	CHECK(SYSV("signals") == 1, "signals %lld, want 1", SYSV("signals"));
	peer_stop(&p);
	return finish();
}

static int case_auto_detach_on_close(void)
{
	return auto_detach('c');
}

static int case_auto_detach_on_exit(void)
{
	return auto_detach('x');
}

static int case_trigger_records(void)
{
	uint64_t first, before, after;
	int rfd, n, ret;

	ret = load("efd_lkm.ko", NULL);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	rfd = reader_open();
	CHECK(rfd >= 0, "open " DEV ": %s", strerror(errno));
	CHECK(sys_write(SYS "trigger", "1") == 0 && drain(rfd) == 1, "first trigger");
	first = recs[0].seq;
	before = boottime_ns();
	CHECK(sys_write(SYS "trigger", "7") == 0, "trigger 7");
	after = boottime_ns();
	n = drain(rfd);
	close(rfd);
	CHECK(n == 7, "%d records, want 7", n);
	for (int i = 0; i < 7; i++) {
		struct efd_lkm_trigger *t = (void *)recs[i].data;

		CHECK(recs[i].seq == first + 1 + i, "record %d seq %llu, want %llu", i,
		      (unsigned long long)recs[i].seq, (unsigned long long)(first + 1 + i));
		CHECK(recs[i].kind == EFD_LKM_KIND_TRIGGER && recs[i].len == sizeof(*t),
		      "record %d kind %u len %u", i, recs[i].kind, recs[i].len);
		CHECK(t->index == (uint32_t)i + 1 && t->batch == 7, "record %d index %u batch %u",
		      i, t->index, t->batch);
		CHECK(recs[i].ts_ns >= before && recs[i].ts_ns <= after,
		      "ts_ns %llu outside CLOCK_BOOTTIME %llu..%llu",
		      (unsigned long long)recs[i].ts_ns, (unsigned long long)before,
		      (unsigned long long)after);
		CHECK(!i || recs[i].ts_ns >= recs[i - 1].ts_ns, "ts_ns goes back");
	}
	return finish();
}

static int case_ring_overflow(void)
{
	int rfd, n, ret;

	ret = load("efd_lkm.ko", "ring_size=16");
	CHECK(ret == 0, "insmod ring_size=16: %s", strerror(-ret));
	CHECK(SYSV("ring_size") == 16, "ring_size %lld", SYSV("ring_size"));
	CHECK(sys_write(SYS "trigger", "40") == 0, "trigger 40");
	CHECK(SYSV("dropped") == 24 && SYSV("events") == 40, "dropped %lld events %lld, want 24 40",
	      SYSV("dropped"), SYSV("events"));
	rfd = reader_open();
	CHECK(rfd >= 0, "open " DEV);
	n = drain(rfd);
	CHECK(n == 16, "%d records, want 16", n);
	CHECK(recs[0].seq == 25 && recs[15].seq == 40, "seqs %llu..%llu, want 25..40 (gap 1..24)",
	      (unsigned long long)recs[0].seq, (unsigned long long)recs[15].seq);
	CHECK(sys_write(SYS "trigger", "1") == 0 && drain(rfd) == 1 && recs[0].seq == 41,
	      "after overflow");
	close(rfd);
	return finish();
}

static int case_detached_records_read_after_attach(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), rfd, n, ret;
	struct efd_lkm_attached *a = (void *)recs[3].data;
	long long v;

	ret = load("efd_lkm.ko", NULL);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	CHECK(sys_write(SYS "trigger", "3") == 0, "trigger 3");
	CHECK(SYSV("signals") == 0, "signalled while detached");
	CHECK(sys_write(SYS "attach", "%d %d", getpid(), efd) == 0, "attach");
	CHECK((v = efd_take(efd)) == 1, "after attach read %lld, want 1", v);
	rfd = reader_open();
	CHECK(rfd >= 0, "open " DEV);
	n = drain(rfd);
	close(rfd);
	CHECK(n == 4, "%d records, want 4", n);
	for (int i = 0; i < 3; i++)
		CHECK(recs[i].kind == EFD_LKM_KIND_TRIGGER && recs[i].seq == (uint64_t)i + 1,
		      "record %d kind %u seq %llu", i, recs[i].kind,
		      (unsigned long long)recs[i].seq);
	CHECK(recs[3].kind == EFD_LKM_KIND_ATTACHED && a->pid == getpid() && a->fd == efd,
	      "ATTACHED record: kind %u pid %d fd %d", recs[3].kind, a->pid, a->fd);
	close(efd);
	return finish();
}

static int case_reader_rules(void)
{
	struct efd_lkm_event ev[2];
	char small[64];
	struct pollfd pf;
	int rfd, fd2, bfd, ret;
	pid_t child;
	ssize_t n;

	ret = load("efd_lkm.ko", NULL);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	rfd = reader_open();
	CHECK(rfd >= 0, "open " DEV);
	fd2 = open(DEV, O_RDONLY | O_CLOEXEC);
	CHECK(fd2 < 0 && errno == EBUSY, "second open: %s", fd2 < 0 ? strerror(errno) : "success");
	CHECK(read(rfd, ev, sizeof(ev)) < 0 && errno == EAGAIN, "empty O_NONBLOCK read: %s",
	      strerror(errno));
	pf.fd = rfd;
	pf.events = POLLIN;
	CHECK(poll(&pf, 1, 0) == 0, "poll ready on an empty ring");
	CHECK(sys_write(SYS "trigger", "2") == 0, "trigger");
	CHECK(poll(&pf, 1, 1000) == 1 && (pf.revents & POLLIN), "poll not ready after trigger");
	CHECK(read(rfd, small, sizeof(small)) < 0 && errno == EINVAL, "64-byte read: %s",
	      strerror(errno));
	n = read(rfd, ev, sizeof(ev[0]) + 50);
	CHECK(n == sizeof(ev[0]), "read of 1.4 records returned %zd", n);
	n = read(rfd, ev, sizeof(ev));
	CHECK(n == sizeof(ev[0]), "second read returned %zd", n);
	close(rfd);

	/* Blocking read: sleeps until a record arrives. */
	bfd = open(DEV, O_RDONLY | O_CLOEXEC);
	CHECK(bfd >= 0, "reopen after close: %s", strerror(errno));
	child = fork();
	if (child == 0) {
		sleep_ms(300);
		_exit(sys_write(SYS "trigger", "1") ? 1 : 0);
	}
	n = read(bfd, ev, sizeof(ev));
	waitpid(child, NULL, 0);
	close(bfd);
	CHECK(n == sizeof(ev[0]) && ev[0].kind == EFD_LKM_KIND_TRIGGER, "blocking read %zd", n);
	return finish();
}

static int case_rmmod_refused_while_open(void)
{
	int rfd, ret;

	ret = load("efd_lkm.ko", NULL);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	rfd = reader_open();
	CHECK(rfd >= 0, "open " DEV);
	ret = unload("efd_lkm");
	close(rfd);
	CHECK(ret == -EWOULDBLOCK, "rmmod with the device open: %s",
	      err_name(ret));
	ret = unload("efd_lkm");
	CHECK(ret == 0, "rmmod after close: %s", strerror(-ret));
	return 0;
}

static int case_netdev_lo(void)
{
	int rfd, n, ret;

	link_set("lo", true);
	ret = load("efd_lkm.ko", "netdev=1");
	CHECK(ret == 0, "insmod netdev=1: %s", strerror(-ret));
	rfd = reader_open();
	CHECK(rfd >= 0, "open " DEV);
	n = drain(rfd);
	CHECK(find_netdev(n, "lo", EFD_LKM_NETDEV_UP) >= 0, "no UP replay for lo at load");
	CHECK(link_set("lo", false) == 0, "lo down");
	CHECK(link_set("lo", true) == 0, "lo up");
	n = drain(rfd);
	close(rfd);
	int down = find_netdev(n, "lo", EFD_LKM_NETDEV_DOWN);
	int up = find_netdev(n, "lo", EFD_LKM_NETDEV_UP);

	CHECK(down >= 0 && up > down, "lo records: down at %d, up at %d of %d", down, up, n);
	struct efd_lkm_netdev *d = (void *)recs[up].data;

	CHECK(d->ifindex == 1 && (d->flags & IFF_UP) && recs[up].len == sizeof(*d),
	      "lo UP: ifindex %u flags %#x len %u", d->ifindex, d->flags, recs[up].len);
	return finish();
}

static int case_netdev_dummy(void)
{
	int rfd, n, ret, up, change, down;

	ret = load("efd_lkm.ko", "netdev=1");
	CHECK(ret == 0, "insmod netdev=1: %s", strerror(-ret));
	rfd = reader_open();
	CHECK(rfd >= 0, "open " DEV);
	drain(rfd);
	ret = load("dummy.ko", "numdummies=1");
	CHECK(ret == 0, "insmod dummy.ko: %s", strerror(-ret));
	CHECK(link_set("dummy0", true) == 0, "dummy0 up");
	/* A flag change on a device that is up is a NETDEV_CHANGE (dummy has IFF_NOARP already). */
	CHECK(link_flag("dummy0", IFF_DEBUG, true) == 0, "dummy0 debug");
	CHECK(link_set("dummy0", false) == 0, "dummy0 down");
	n = drain(rfd);
	close(rfd);
	up = find_netdev(n, "dummy0", EFD_LKM_NETDEV_UP);
	change = find_netdev(n, "dummy0", EFD_LKM_NETDEV_CHANGE);
	down = find_netdev(n, "dummy0", EFD_LKM_NETDEV_DOWN);
	CHECK(up >= 0 && change > up && down > change,
	      "dummy0 records: up at %d, change at %d, down at %d of %d", up, change, down, n);
	CHECK(((struct efd_lkm_netdev *)recs[change].data)->flags & IFF_DEBUG,
	      "CHANGE record without IFF_DEBUG");
	CHECK(unload("dummy") == 0, "rmmod dummy");
	return finish();
}

static int case_netdev_switch_at_runtime(void)
{
	int rfd, n, ret;

	ret = load("efd_lkm.ko", NULL);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	rfd = reader_open();
	CHECK(rfd >= 0, "open " DEV);
	link_set("lo", false);
	link_set("lo", true);
	CHECK(drain(rfd) == 0, "netdev records with netdev=0");
	CHECK(sys_write(PARAMS "netdev", "1") == 0, "netdev=1 at run time");
	n = drain(rfd);
	CHECK(find_netdev(n, "lo", EFD_LKM_NETDEV_UP) >= 0, "no replay after switching on");
	CHECK(sys_write(PARAMS "netdev", "0") == 0, "netdev=0 at run time");
	n = drain(rfd);
	CHECK(n == 0, "%d records from switching off (unregister replays DOWN)", n);
	link_set("lo", false);
	link_set("lo", true);
	n = drain(rfd);
	close(rfd);
	CHECK(n == 0, "%d netdev records after switching off", n);
	return finish();
}

static int case_module_records(void)
{
	int rfd, n, ret, coming, live, going, user;

	ret = load("efd_lkm.ko", "modules=1");
	CHECK(ret == 0, "insmod modules=1: %s", strerror(-ret));
	rfd = reader_open();
	CHECK(rfd >= 0, "open " DEV);
	drain(rfd);
	ret = load("efd_lkm_example.ko", NULL);
	CHECK(ret == 0, "insmod efd_lkm_example: %s", strerror(-ret));
	n = drain(rfd);
	coming = find_module(n, 0, "efd_lkm_example", EFD_LKM_MODULE_COMING);
	user = find_rec(n, 0, EXAMPLE_KIND);
	live = find_module(n, 0, "efd_lkm_example", EFD_LKM_MODULE_LIVE);
	CHECK(coming >= 0 && user > coming && live > user,
	      "order COMING %d < example record %d < LIVE %d (of %d)", coming, user, live, n);
	CHECK(recs[coming].len == sizeof(struct efd_lkm_module), "MODULE len %u",
	      recs[coming].len);
	CHECK(unload("efd_lkm") == -EWOULDBLOCK, "efd_lkm unloaded under its user");
	CHECK(unload("efd_lkm_example") == 0, "rmmod efd_lkm_example");
	n = drain(rfd);
	going = find_module(n, 0, "efd_lkm_example", EFD_LKM_MODULE_GOING);
	close(rfd);
	CHECK(going >= 0, "no GOING record");
	return finish();
}

static int case_example_notify_records(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), rfd, n, ret;
	long long v;

	ret = load("efd_lkm.ko", "pid=%d efd=%d", getpid(), efd);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	efd_take(efd);
	rfd = reader_open();
	CHECK(rfd >= 0, "open " DEV);
	drain(rfd);
	/* selftest=1: the load fails unless efd_lkm_notify() refuses bad kinds and sizes. */
	ret = load("efd_lkm_example.ko", "selftest=1");
	CHECK(ret == 0, "insmod efd_lkm_example selftest=1: %s", strerror(-ret));
	CHECK(sys_write("/sys/module/efd_lkm_example/parameters/fire", "3") == 0, "fire 3");
	n = drain(rfd);
	close(rfd);
	CHECK(n == 4, "%d records, want 4 (load + 3 fires)", n);
	for (int i = 0; i < 4; i++) {
		uint32_t num;

		memcpy(&num, recs[i].data, 4);
		CHECK(recs[i].kind == EXAMPLE_KIND && recs[i].len == 20 && num == (uint32_t)i &&
		      !strcmp((char *)recs[i].data + 4, "efd_lkm_example"),
		      "record %d: kind %#x len %u n %u", i, recs[i].kind, recs[i].len, num);
		CHECK(!i || recs[i].seq == recs[i - 1].seq + 1, "seq gap");
	}
	CHECK((v = efd_take(efd)) == 4, "eventfd read %lld, want 4", v);
	CHECK(unload("efd_lkm_example") == 0, "rmmod example");
	close(efd);
	return finish();
}

static int case_tick(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), rfd, n, ret, ticks = 0;
	long long v;

	ret = load("efd_lkm.ko", "pid=%d efd=%d tick_ms=20", getpid(), efd);
	CHECK(ret == 0, "insmod tick_ms=20: %s", strerror(-ret));
	rfd = reader_open();
	CHECK(rfd >= 0, "open " DEV);
	sleep_ms(400);
	n = drain(rfd);
	for (int i = 0; i < n; i++) {
		if (recs[i].kind != EFD_LKM_KIND_TICK)
			continue;
		CHECK(((struct efd_lkm_tick *)recs[i].data)->n == (uint64_t)ticks + 1,
		      "tick %d has n %llu", ticks,
		      (unsigned long long)((struct efd_lkm_tick *)recs[i].data)->n);
		ticks++;
	}
	CHECK(ticks >= 3, "%d ticks in 400 ms at 20 ms", ticks);
	v = efd_take(efd);
	CHECK(v >= ticks, "eventfd read %lld for %d ticks (signals from softirq)", v, ticks);
	CHECK(sys_write(PARAMS "tick_ms", "0") == 0, "tick_ms=0");
	drain(rfd);
	sleep_ms(200);
	n = drain(rfd);
	close(rfd);
	CHECK(n == 0, "%d records after tick_ms=0", n);
	close(efd);
	return finish();
}

/* The payload of efd_lkm_testmod's records. */
struct testmod_event {
	uint32_t n;
	uint32_t in_hardirq;
	uint32_t signal_denied;
};

#define TESTMOD "/sys/module/efd_lkm_testmod/parameters/"

/*
 * efd_lkm_notify() from inside another eventfd's wake-up: eventfd_signal() is not allowed
 * there (it would WARN), so the doorbell must arrive through the irq_work.
 */
static int case_notify_in_eventfd_wakeup_deferred(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), other = eventfd(0, EFD_CLOEXEC);
	uint64_t one = 1;
	int rfd, n, ret;
	long long v;

	ret = load("efd_lkm.ko", "pid=%d efd=%d", getpid(), efd);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	efd_take(efd);
	ret = load("efd_lkm_testmod.ko", NULL);
	CHECK(ret == 0, "insmod efd_lkm_testmod: %s", strerror(-ret));
	CHECK(sys_write(TESTMOD "watch_efd", "%d", other) == 0, "watch_efd");
	rfd = reader_open();
	CHECK(rfd >= 0, "open " DEV);
	drain(rfd);
	for (int i = 0; i < 3; i++)
		CHECK(write(other, &one, sizeof(one)) == sizeof(one),
		      "write to the watched eventfd");
	sleep_ms(100);
	n = drain(rfd);
	close(rfd);
	CHECK(n == 3, "%d records, want 3", n);
	for (int i = 0; i < 3; i++) {
		struct testmod_event *e = (void *)recs[i].data;

		CHECK(recs[i].kind == 0x1001 && e->n == (uint32_t)i + 1 && e->signal_denied == 1,
		      "record %d: kind %#x n %u signal_denied %u", i, recs[i].kind, e->n,
		      e->signal_denied);
	}
	CHECK((v = efd_take(efd)) == 3, "eventfd read %lld, want 3 (deferred doorbells)", v);
	CHECK(unload("efd_lkm_testmod") == 0, "rmmod efd_lkm_testmod");
	close(other);
	close(efd);
	return finish();
}

static int case_notify_from_hardirq(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), rfd, n, ret;
	long long v;

	ret = load("efd_lkm.ko", "pid=%d efd=%d", getpid(), efd);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	efd_take(efd);
	ret = load("efd_lkm_testmod.ko", NULL);
	CHECK(ret == 0, "insmod efd_lkm_testmod: %s", strerror(-ret));
	rfd = reader_open();
	CHECK(rfd >= 0, "open " DEV);
	drain(rfd);
	CHECK(sys_write(TESTMOD "hardirq", "5") == 0, "hardirq 5");
	n = drain(rfd);
	close(rfd);
	CHECK(n == 5, "%d records, want 5", n);
	for (int i = 0; i < 5; i++) {
		struct testmod_event *e = (void *)recs[i].data;

		CHECK(recs[i].kind == 0x1002 && e->n == (uint32_t)i + 1 && e->in_hardirq == 1,
		      "record %d: kind %#x n %u in_hardirq %u", i, recs[i].kind, e->n,
		      e->in_hardirq);
	}
	CHECK((v = efd_take(efd)) == 5, "eventfd read %lld, want 5", v);
	CHECK(unload("efd_lkm_testmod") == 0, "rmmod efd_lkm_testmod");
	close(efd);
	return finish();
}

/* Attach, detach and trigger race each other; nothing may oops, leak or deadlock. */
static int case_reattach_race(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), ret, i;
	struct peer p = { 0 };
	pid_t trig;

	ret = load("efd_lkm.ko", "tick_ms=1 netdev=1 modules=1");
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	trig = fork();
	if (trig == 0) {
		for (i = 0; i < 400; i++)
			sys_write(SYS "trigger", "3");
		_exit(0);
	}
	for (i = 0; i < 60; i++) {
		if (peer_start(&p, 0))
			break;
		sys_write(SYS "attach", "%d %d", p.pid, p.efd);
		sys_write(SYS "attach", "%d %d", getpid(), efd);
		sys_write(SYS "attach", "%d %d", p.pid, p.efd);
		if (i & 1)
			peer_do(&p, 'c');
		else
			sys_write(SYS "detach", "1");
		peer_stop(&p);
	}
	waitpid(trig, NULL, 0);
	CHECK(i == 60, "peer %d failed", i);
	CHECK(wait_attached(-1, 3000), "still attached to an exited peer");
	close(efd);
	return finish();
}

static int case_unload_in_every_state(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), rfd, ret;
	struct peer p = { 0 };

	/* attached, every source on, records unread */
	ret = load("efd_lkm.ko", "pid=%d efd=%d netdev=1 modules=1 tick_ms=5", getpid(), efd);
	CHECK(ret == 0, "insmod all on: %s", strerror(-ret));
	sys_write(SYS "trigger", "100");
	sleep_ms(50);
	CHECK(unload("efd_lkm") == 0, "rmmod attached with sources on");

	/* attached to a process that has exited meanwhile (before the HUP work ran) */
	CHECK(peer_start(&p, 0) == 0, "peer");
	ret = load("efd_lkm.ko", "pid=%d efd=%d", p.pid, p.efd);
	peer_stop(&p);
	CHECK(ret == 0, "insmod on peer: %s", strerror(-ret));
	CHECK(unload("efd_lkm") == 0, "rmmod after the target exited");

	/* detached after attach; reader opened and closed */
	ret = load("efd_lkm.ko", "pid=%d efd=%d", getpid(), efd);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	rfd = reader_open();
	CHECK(rfd >= 0, "open");
	close(rfd);
	CHECK(sys_write(SYS "detach", "1") == 0, "detach");
	CHECK(unload("efd_lkm") == 0, "rmmod detached");

	/* the eventfd closed by us while attached, then immediate unload */
	ret = load("efd_lkm.ko", "pid=%d efd=%d", getpid(), efd);
	CHECK(ret == 0, "insmod: %s", strerror(-ret));
	close(efd);
	CHECK(unload("efd_lkm") == 0, "rmmod right after the eventfd closed");
	return 0;
}

struct efd_case {
	const char *name;
	int (*fn)(void);
};

static const struct efd_case cases[] = {
	{ "load_unattached", case_load_unattached },
	{ "seed_demo_wakes_with_1", case_seed_demo },
	{ "load_errors", case_load_errors },
	{ "insmod_failure_retried_cleanly", case_insmod_failure_retried_cleanly },
	{ "attach_errors", case_attach_errors },
	{ "counter_mode_coalesces", case_counter_coalesces },
	{ "semaphore_mode_one_per_read", case_semaphore_one_per_read },
	{ "reattach_to_second_process", case_reattach },
	{ "auto_detach_on_close", case_auto_detach_on_close },
	{ "auto_detach_on_exit", case_auto_detach_on_exit },
	{ "trigger_records_consecutive", case_trigger_records },
	{ "ring_overflow_counts_dropped", case_ring_overflow },
	{ "detached_records_read_after_attach", case_detached_records_read_after_attach },
	{ "reader_rules", case_reader_rules },
	{ "rmmod_refused_while_open", case_rmmod_refused_while_open },
	{ "netdev_lo_down_up", case_netdev_lo },
	{ "netdev_dummy_up_change_down", case_netdev_dummy },
	{ "netdev_switch_at_runtime", case_netdev_switch_at_runtime },
	{ "module_records_for_example", case_module_records },
	{ "example_notify_records", case_example_notify_records },
	{ "tick_ms", case_tick },
	{ "notify_in_eventfd_wakeup_deferred", case_notify_in_eventfd_wakeup_deferred },
	{ "notify_from_hardirq", case_notify_from_hardirq },
	{ "reattach_race", case_reattach_race },
	{ "unload_in_every_state", case_unload_in_every_state },
};

static bool wanted(const char *name, int argc, char **argv)
{
	if (argc <= 2)
		return true;
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	int failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR [CASE...] | --list\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "--list")) {
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
			puts(cases[i].name);
		return 0;
	}
	dir = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	unload_all();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		if (!wanted(cases[i].name, argc, argv))
			continue;
		reason[0] = 0;
		int ret = cases[i].fn();

		unload_all();
		if (!ret && loaded("efd_lkm")) {
			ret = -1;
			snprintf(reason, sizeof(reason), "efd_lkm still loaded after the case");
		}
		if (ret) {
			failed++;
			printf("EFD-CASE FAIL %s %s\n", cases[i].name, reason);
		} else {
			printf("EFD-CASE PASS %s\n", cases[i].name);
		}
	}
	return failed ? 1 : 0;
}
