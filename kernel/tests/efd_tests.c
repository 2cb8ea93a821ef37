// SPDX-License-Identifier: GPL-2.0-only
/*
 * efd_lkm's test cases, run as root inside a throw-away VM (they load and unload modules).
 *
 *   efd_tests DIR [CASE...]     run all cases, or the named ones (TAP on stdout)
 *   efd_tests --list            print the case names
 *
 * DIR holds efd_lkm.ko, efd_lkm_example.ko, efd_lkm_testmod.ko, efd_seed and the kernel's own
 * dummy.ko, button.ko and uinput.ko.
 * Each case runs in its own process (efd_test_harness.h) and leaves no module loaded.
 * Modules are loaded with finit_module() directly, so the errno is exact and a failing
 * init runs once (busybox insmod would retry it through init_module).
 */
#include "efd_test_harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/netlink.h>
#include <linux/uinput.h>

#include "../include/uapi/efd_lkm.h"

/* The layout the C# side mirrors: checked at compile time. */
_Static_assert(sizeof(struct efd_lkm_event) == 128, "record size");
_Static_assert(offsetof(struct efd_lkm_event, seq) == 0, "seq");
_Static_assert(offsetof(struct efd_lkm_event, ts_ns) == 8, "ts_ns");
_Static_assert(offsetof(struct efd_lkm_event, kind) == 16, "kind");
_Static_assert(offsetof(struct efd_lkm_event, len) == 20, "len");
_Static_assert(offsetof(struct efd_lkm_event, flags) == 22, "flags");
_Static_assert(offsetof(struct efd_lkm_event, data) == 24, "data");
_Static_assert(sizeof(struct efd_lkm_netdev) == 28, "netdev payload");
_Static_assert(sizeof(struct efd_lkm_module) == 60, "module payload");
_Static_assert(sizeof(struct efd_lkm_kind) == 72, "kind payload");
_Static_assert(sizeof(struct efd_lkm_input) == 40, "input payload");
_Static_assert(sizeof(struct efd_lkm_power) == 72, "power payload");
_Static_assert(offsetof(struct efd_lkm_kind, name) == 8, "kind payload name");

#define SYS "/sys/kernel/efd_lkm/"
#define PARAMS "/sys/module/efd_lkm/parameters/"
#define DEV "/dev/efd_lkm"
#define KINDS SYS "kinds/"
#define EXAMPLE "/sys/module/efd_lkm_example/parameters/"
#define MAX_RECS 4096
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *dir;
static struct efd_lkm_event recs[MAX_RECS];

/* strerror() of a negative errno, "success" for 0. */
static const char *err_name(int ret)
{
	return ret ? strerror(-ret) : "success";
}

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* poll() one fd for @events, at most @ms; the revents, 0 on timeout. */
static int wait_fd(int fd, short events, int ms)
{
	struct pollfd pf = { .fd = fd, .events = events };
	int64_t end = now_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
	int n;

	do {
		n = poll(&pf, 1, ms);
		if (n > 0)
			return pf.revents;
		ms = (end - now_ns(CLOCK_MONOTONIC)) / 1000000;
	} while (n < 0 && errno == EINTR && ms > 0);
	return 0;
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

/* Loads efd_lkm (with printf-style parameters) or ends the case. */
#define LOAD_EFD(...)								\
	do {									\
		int __ret = load("efd_lkm.ko", __VA_ARGS__);			\
		ASSERT_EQ(0, __ret) TH_LOG("insmod efd_lkm.ko: %s", err_name(__ret)); \
	} while (0)

/* The last step of most cases: the module unloads cleanly. */
static void finish(void)
{
	int ret = unload("efd_lkm");

	ASSERT_EQ(0, ret) TH_LOG("rmmod efd_lkm: %s", err_name(ret));
}

/* ---- sysfs ---- */

static int __attribute__((format(printf, 2, 3))) sys_write(const char *path, const char *fmt, ...)
{
	char buf[2048];
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

static long long read_number(int fd)
{
	char buf[64] = "";

	if (pread(fd, buf, sizeof(buf) - 1, 0) < 0)
		return -1000000 - errno;
	return strtoll(buf, NULL, 10);
}

static long long sys_read(const char *path)
{
	long long v;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1000000 - errno;
	v = read_number(fd);
	close(fd);
	return v;
}

#define SYSV(name) sys_read(SYS name)

/*
 * Waits up to @ms for attached_pid to read @want. The module calls sysfs_notify() when it
 * changes, so this sleeps in poll() (POLLPRI) between reads.
 */
static bool wait_attached(long long want, int ms)
{
	int64_t end = now_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
	int fd = open(SYS "attached_pid", O_RDONLY | O_CLOEXEC);
	bool ok = false;

	if (fd < 0)
		return false;
	for (;;) {
		if (read_number(fd) == want) {
			ok = true;
			break;
		}
		ms = (end - now_ns(CLOCK_MONOTONIC)) / 1000000;
		if (ms <= 0 || !wait_fd(fd, POLLPRI | POLLERR, ms))
			break;
	}
	ok = ok || read_number(fd) == want;
	close(fd);
	return ok;
}

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
 * 'c' closes the eventfd, 'x' exits. It exits by itself when the case's process goes.
 */
struct peer {
	pid_t pid;
	int efd;
	int cmd;
	int res;
};

static void peer_child(int cmd, int res, int flags)
{
	int efd = eventfd(0, EFD_NONBLOCK | flags);
	long long v = efd;
	char c;

	if (write(res, &v, sizeof(v)) != sizeof(v))
		_exit(1);
	while (read(cmd, &c, 1) == 1) {
		if (c == 'r')
			v = efd_take(efd);
		else if (c == 'c')
			v = close(efd);
		else
			_exit(0);
		if (write(res, &v, sizeof(v)) != sizeof(v))
			_exit(1);
	}
	_exit(0);
}

static int peer_start(struct peer *p, int flags)
{
	int to_child[2], to_parent[2];
	long long v;

	if (pipe2(to_child, O_CLOEXEC) || pipe2(to_parent, O_CLOEXEC))
		return -1;
	p->pid = fork();
	if (p->pid < 0)
		return -1;
	if (p->pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		peer_child(to_child[0], to_parent[1], flags);
	}
	close(to_child[0]);
	close(to_parent[1]);
	p->cmd = to_child[1];
	p->res = to_parent[0];
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

/* ---- records ---- */

static int reader_open(void)
{
	return open(DEV, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

#define OPEN_READER(fd)								\
	do {									\
		(fd) = reader_open();						\
		ASSERT_LE(0, fd) TH_LOG("open " DEV ": %s", strerror(errno));	\
	} while (0)

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

/* Reads records until @want of @kind arrived (the others are kept too), at most @ms. */
static int read_until(int rfd, uint32_t kind, int want, int ms)
{
	int64_t end = now_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
	int n = 0, seen = 0;

	while (seen < want && n < MAX_RECS) {
		ssize_t got = read(rfd, recs + n, sizeof(recs) - n * sizeof(recs[0]));

		if (got < 0 && errno != EAGAIN)
			return -errno;
		if (got < 0) {
			ms = (end - now_ns(CLOCK_MONOTONIC)) / 1000000;
			if (ms <= 0 || !wait_fd(rfd, POLLIN, ms))
				break;
			continue;
		}
		for (int i = n; i < n + got / (int)sizeof(recs[0]); i++)
			seen += recs[i].kind == kind;
		n += got / sizeof(recs[0]);
	}
	return n;
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

/* ---- kinds ---- */

/* The whole text of a file into @buf (NUL-terminated); its length or -errno. */
static int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

/* kinds/<kind>/<file> into @buf; its length or -errno. */
static int kind_file(long long kind, const char *file, char *buf, size_t size)
{
	char path[256];

	snprintf(path, sizeof(path), KINDS "%lld/%s", kind, file);
	return read_text(path, buf, size);
}

static long long kind_registered(long long kind)
{
	char path[256];

	snprintf(path, sizeof(path), KINDS "%lld/registered", kind);
	return sys_read(path);
}

/* The number of the registered kind named @name, or -1. */
static long long kind_by_name(const char *name)
{
	long long found = -1;
	struct dirent *de;
	char text[128];
	DIR *d = opendir(KINDS);

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		long long kind = strtoll(de->d_name, NULL, 10);

		if (de->d_name[0] == '.' || kind_file(kind, "name", text, sizeof(text)) < 0)
			continue;
		text[strcspn(text, "\n")] = '\0';
		if (!strcmp(text, name) && kind_registered(kind) == 1)
			found = kind;
	}
	closedir(d);
	return found;
}

/* Record @i is a KIND record saying that @kind (@name) was registered (1) or not (0). */
static void expect_kind_rec(int i, long long kind, uint32_t registered, const char *name)
{
	const struct efd_lkm_kind *k = (const void *)recs[i].data;

	ASSERT_EQ(EFD_LKM_KIND_KIND, recs[i].kind) TH_LOG("record %d", i);
	ASSERT_EQ(sizeof(*k), recs[i].len) TH_LOG("record %d", i);
	ASSERT_EQ(kind, k->kind) TH_LOG("record %d", i);
	ASSERT_EQ(registered, k->registered) TH_LOG("record %d (kind %lld)", i, kind);
	ASSERT_EQ(0, strcmp(name, k->name)) TH_LOG("record %d names '%.64s', want '%s'", i,
						    k->name, name);
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

/* ---- cases ---- */

TEST(load_unattached)
{
	static const char *const want[] = {
		"abi_version", "attach", "attached_fd", "attached_pid", "committed", "detach",
		"dropped", "dropped_inflight", "events", "kinds", "ring_size", "signals", "trigger",
	};
	struct dirent *de;
	int found = 0;
	DIR *d;

	LOAD_EFD(NULL);
	ASSERT_EQ(-1, SYSV("attached_pid"));
	ASSERT_EQ(-1, SYSV("attached_fd"));
	ASSERT_EQ(2, SYSV("abi_version"));
	ASSERT_EQ(8192, SYSV("ring_size"));
	ASSERT_EQ(0, SYSV("events"));
	ASSERT_EQ(0, SYSV("signals"));
	ASSERT_EQ(0, SYSV("committed"));
	ASSERT_EQ(0, SYSV("dropped"));
	ASSERT_EQ(0, SYSV("dropped_inflight"));
	d = opendir(SYS);
	ASSERT_TRUE(d) TH_LOG("opendir " SYS ": %s", strerror(errno));
	while ((de = readdir(d))) {
		bool ok = de->d_name[0] == '.';

		for (size_t i = 0; i < ARRAY_SIZE(want); i++)
			if (!strcmp(de->d_name, want[i])) {
				ok = true;
				found++;
			}
		ASSERT_TRUE(ok) TH_LOG("unexpected sysfs file %s", de->d_name);
	}
	closedir(d);
	ASSERT_EQ(ARRAY_SIZE(want), found);
	ASSERT_EQ(0, access(DEV, F_OK)) TH_LOG(DEV " missing");
	ASSERT_EQ(0, sys_read(PARAMS "netdev")) TH_LOG("a source is on by default");
	ASSERT_EQ(0, sys_read(PARAMS "tick_ms")) TH_LOG("a source is on by default");
	finish();
	ASSERT_NE(0, access(SYS, F_OK)) TH_LOG(SYS " left after rmmod");
}

/* The classic demo: a separate program blocked in select() wakes with exactly 1. */
TEST(seed_demo_wakes_with_1)
{
	char path[512], cmd[600], line[128] = "", out[256] = "";
	int pfd[2], pid_, fd_, status = 0, ret, pidfd;
	pid_t child;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/efd_seed", dir);
	ASSERT_EQ(0, pipe2(pfd, O_CLOEXEC));
	child = fork();
	if (child == 0) {
		dup2(pfd[1], 1);
		execl(path, "efd_seed", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	pidfd = syscall(SYS_pidfd_open, child, 0);
	ASSERT_LE(0, pidfd) TH_LOG("pidfd_open: %s", strerror(errno));
	n = wait_fd(pfd[0], POLLIN, 5000) ? read(pfd[0], line, sizeof(line) - 1) : -1;
	ASSERT_TRUE(n > 0 && sscanf(line, "pid %d fd %d", &pid_, &fd_) == 2)
		TH_LOG("efd_seed said '%s'", line);
	/* The demo's own words: the insmod command, not our finit_module() wrapper. */
	snprintf(cmd, sizeof(cmd), "insmod %s/efd_lkm.ko pid=%d efd=%d", dir, pid_, fd_);
	ret = system(cmd);
	ASSERT_EQ(0, ret) TH_LOG("'%s' failed", cmd);
	ASSERT_TRUE(wait_fd(pidfd, POLLIN, 3000))
		TH_LOG("efd_seed still blocked 3 s after '%s'", cmd);
	waitpid(child, &status, 0);
	n = read(pfd[0], out, sizeof(out) - 1);
	close(pfd[0]);
	ASSERT_TRUE(n > 0 && strstr(out, "value read = 1\n")) TH_LOG("efd_seed printed '%s'", out);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("efd_seed status %#x", status);
	ASSERT_EQ(1, SYSV("signals"));
	finish();
}

struct load_error {
	const char *what;
	char params[128];
	int err;
};

TEST(load_errors)
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

	ASSERT_LE(0, efd);
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	snprintf(cases[0].params, sizeof(cases[0].params), "pid=%d", self);
	snprintf(cases[4].params, sizeof(cases[4].params), "pid=%d efd=-1", self);
	snprintf(cases[8].params, sizeof(cases[8].params), "pid=%d efd=999", self);
	snprintf(cases[9].params, sizeof(cases[9].params), "pid=%d efd=%d", self, p[0]);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = load("efd_lkm.ko", "%s", cases[i].params);
		if (ret == 0)
			unload("efd_lkm");
		ASSERT_EQ(-cases[i].err, ret) TH_LOG("%s (%s): got %s, want %s", cases[i].what,
						    cases[i].params, err_name(ret),
						    strerror(cases[i].err));
		ASSERT_FALSE(loaded("efd_lkm")) TH_LOG("%s: module left loaded", cases[i].what);
	}
}

/*
 * busybox insmod retries a failed finit_module() with init_module(), so a failing init runs
 * twice in a row: it must unwind completely each time and leave the next load working.
 */
TEST(insmod_failure_retried_cleanly)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "insmod %s/efd_lkm.ko pid=4000000 efd=0 2>/dev/null", dir);
	ASSERT_NE(0, system(cmd)) TH_LOG("insmod with a missing pid succeeded");
	ASSERT_FALSE(loaded("efd_lkm")) TH_LOG("module left loaded after a failed insmod");
	snprintf(cmd, sizeof(cmd), "insmod %s/efd_lkm.ko pid=%d efd=999 2>/dev/null", dir,
		 getpid());
	ASSERT_NE(0, system(cmd)) TH_LOG("insmod with a closed fd succeeded");
	LOAD_EFD(NULL);
	ASSERT_EQ(0, access(DEV, F_OK));
	ASSERT_EQ(0, SYSV("events")) TH_LOG("state left from failed loads");
	finish();
}

TEST(attach_errors)
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

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	snprintf(cases[3].text, sizeof(cases[3].text), "%d -1", self);
	snprintf(cases[6].text, sizeof(cases[6].text), "%d 999", self);
	snprintf(cases[7].text, sizeof(cases[7].text), "%d %d", self, p[0]);
	snprintf(cases[8].text, sizeof(cases[8].text), "%d %d junk", self, p[0]);
	LOAD_EFD(NULL);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = sys_write(SYS "attach", "%s", cases[i].text);
		ASSERT_EQ(-cases[i].err, ret) TH_LOG("attach '%s': got %s, want %s",
						    cases[i].text, err_name(ret),
						    strerror(cases[i].err));
	}
	ASSERT_EQ(-1, SYSV("attached_pid")) TH_LOG("attached after failed attaches");
	ASSERT_EQ(-EINVAL, sys_write(SYS "trigger", "0"));
	ASSERT_EQ(-EINVAL, sys_write(SYS "trigger", "many"));
	ASSERT_EQ(0, SYSV("events")) TH_LOG("records from failed writes");
	finish();
}

TEST(counter_mode_coalesces)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	LOAD_EFD("pid=%d efd=%d", getpid(), efd);
	ASSERT_EQ(1, efd_take(efd)) TH_LOG("after attach");
	ASSERT_EQ(0, sys_write(SYS "trigger", "5"));
	ASSERT_EQ(5, efd_take(efd)) TH_LOG("trigger 5: all in one read");
	ASSERT_EQ(0, efd_take(efd)) TH_LOG("counter not empty");
	ASSERT_EQ(6, SYSV("signals"));
	ASSERT_EQ(6, SYSV("events"));
	finish();
}

TEST(semaphore_mode_one_per_read)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_SEMAPHORE | EFD_CLOEXEC), reads = 0;
	long long v;

	LOAD_EFD(NULL);
	ASSERT_EQ(0, sys_write(SYS "attach", "%d %d\n", getpid(), efd));
	ASSERT_EQ(0, sys_write(SYS "trigger", "4"));
	while ((v = efd_take(efd)) == 1)
		reads++;
	ASSERT_EQ(0, v) TH_LOG("semaphore read");
	ASSERT_EQ(5, reads) TH_LOG("reads of 1: ATTACHED + 4");
	finish();
}

TEST(reattach_to_second_process)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	struct peer p = { 0 };

	LOAD_EFD("pid=%d efd=%d", getpid(), efd);
	efd_take(efd);
	ASSERT_EQ(0, peer_start(&p, 0));
	ASSERT_EQ(0, sys_write(SYS "attach", "%d %d", p.pid, p.efd));
	ASSERT_EQ(0, sys_write(SYS "trigger", "1"));
	ASSERT_EQ(p.pid, SYSV("attached_pid"));
	ASSERT_EQ(p.efd, SYSV("attached_fd"));
	ASSERT_EQ(2, peer_do(&p, 'r')) TH_LOG("peer's counter after re-attach + trigger");
	ASSERT_EQ(0, efd_take(efd)) TH_LOG("old eventfd still signalled");
	ASSERT_EQ(0, sys_write(SYS "attach", "%d %d", getpid(), efd));
	ASSERT_EQ(0, sys_write(SYS "trigger", "1"));
	ASSERT_EQ(0, peer_do(&p, 'r')) TH_LOG("peer signalled after re-attach away");
	peer_stop(&p);
	ASSERT_EQ(getpid(), SYSV("attached_pid"));
	ASSERT_EQ(2, efd_take(efd)) TH_LOG("back on self");
	finish();
}

static void auto_detach(char how)
{
	struct peer p = { 0 };

	LOAD_EFD(NULL);
	ASSERT_EQ(0, peer_start(&p, 0));
	ASSERT_EQ(0, sys_write(SYS "attach", "%d %d", p.pid, p.efd));
	if (how == 'c')
		peer_do(&p, 'c');
	else
		peer_stop(&p);
	ASSERT_TRUE(wait_attached(-1, 3000))
		TH_LOG("still attached (pid %lld) 3 s after the eventfd went away",
		       SYSV("attached_pid"));
	ASSERT_EQ(-1, SYSV("attached_fd"));
	/* Records keep coming while detached, without a target to signal. */
	ASSERT_EQ(0, sys_write(SYS "trigger", "2"));
	ASSERT_EQ(1, SYSV("signals"));
	peer_stop(&p);
	finish();
}

TEST(auto_detach_on_close)
{
	auto_detach('c');
}

TEST(auto_detach_on_exit)
{
	auto_detach('x');
}

TEST(trigger_records_consecutive)
{
	int64_t before, after;
	uint64_t first;
	int rfd, n;

	LOAD_EFD(NULL);
	OPEN_READER(rfd);
	ASSERT_EQ(0, sys_write(SYS "trigger", "1"));
	ASSERT_EQ(1, drain(rfd));
	first = recs[0].seq;
	before = now_ns(CLOCK_BOOTTIME);
	ASSERT_EQ(0, sys_write(SYS "trigger", "7"));
	after = now_ns(CLOCK_BOOTTIME);
	n = drain(rfd);
	close(rfd);
	ASSERT_EQ(7, n);
	for (int i = 0; i < 7; i++) {
		struct efd_lkm_trigger *t = (void *)recs[i].data;

		ASSERT_EQ(first + 1 + i, recs[i].seq) TH_LOG("record %d", i);
		ASSERT_EQ(EFD_LKM_KIND_TRIGGER, recs[i].kind) TH_LOG("record %d", i);
		ASSERT_EQ(sizeof(*t), recs[i].len) TH_LOG("record %d", i);
		ASSERT_EQ(i + 1, t->index) TH_LOG("record %d", i);
		ASSERT_EQ(7, t->batch) TH_LOG("record %d", i);
		ASSERT_TRUE((int64_t)recs[i].ts_ns >= before && (int64_t)recs[i].ts_ns <= after)
			TH_LOG("ts_ns %llu outside CLOCK_BOOTTIME %lld..%lld",
			       (unsigned long long)recs[i].ts_ns, (long long)before,
			       (long long)after);
		ASSERT_TRUE(!i || recs[i].ts_ns >= recs[i - 1].ts_ns) TH_LOG("ts_ns goes back");
	}
	finish();
}

TEST(ring_overflow_counts_dropped)
{
	int rfd;

	LOAD_EFD("ring_size=16");
	ASSERT_EQ(16, SYSV("ring_size"));
	ASSERT_EQ(0, sys_write(SYS "trigger", "40"));
	ASSERT_EQ(24, SYSV("dropped"));
	ASSERT_EQ(40, SYSV("events"));
	OPEN_READER(rfd);
	ASSERT_EQ(16, drain(rfd));
	ASSERT_EQ(25, recs[0].seq) TH_LOG("the gap is 1..24");
	ASSERT_EQ(40, recs[15].seq);
	ASSERT_EQ(0, sys_write(SYS "trigger", "1"));
	ASSERT_EQ(1, drain(rfd));
	ASSERT_EQ(41, recs[0].seq);
	close(rfd);
	finish();
}

TEST(detached_records_read_after_attach)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), rfd;
	struct efd_lkm_attached *a = (void *)recs[3].data;

	LOAD_EFD(NULL);
	ASSERT_EQ(0, sys_write(SYS "trigger", "3"));
	ASSERT_EQ(0, SYSV("signals")) TH_LOG("signalled while detached");
	ASSERT_EQ(0, sys_write(SYS "attach", "%d %d", getpid(), efd));
	ASSERT_EQ(1, efd_take(efd)) TH_LOG("after attach");
	OPEN_READER(rfd);
	ASSERT_EQ(4, drain(rfd));
	close(rfd);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(EFD_LKM_KIND_TRIGGER, recs[i].kind) TH_LOG("record %d", i);
		ASSERT_EQ(i + 1, recs[i].seq) TH_LOG("record %d", i);
	}
	ASSERT_EQ(EFD_LKM_KIND_ATTACHED, recs[3].kind);
	ASSERT_EQ(getpid(), a->pid);
	ASSERT_EQ(efd, a->fd);
	finish();
}

TEST(reader_rules)
{
	struct efd_lkm_event ev[2];
	int rfd, fd2, bfd, res[2];
	char small[64];
	pid_t child;
	ssize_t n;

	LOAD_EFD(NULL);
	OPEN_READER(rfd);
	fd2 = open(DEV, O_RDONLY | O_CLOEXEC);
	ASSERT_TRUE(fd2 < 0 && errno == EBUSY) TH_LOG("second open: %s",
						      fd2 < 0 ? strerror(errno) : "success");
	ASSERT_TRUE(read(rfd, ev, sizeof(ev)) < 0 && errno == EAGAIN)
		TH_LOG("empty O_NONBLOCK read: %s", strerror(errno));
	ASSERT_EQ(0, wait_fd(rfd, POLLIN, 0)) TH_LOG("poll ready on an empty ring");
	ASSERT_EQ(0, sys_write(SYS "trigger", "2"));
	ASSERT_TRUE(wait_fd(rfd, POLLIN, 1000) & POLLIN) TH_LOG("poll not ready after trigger");
	ASSERT_TRUE(read(rfd, small, sizeof(small)) < 0 && errno == EINVAL)
		TH_LOG("64-byte read: %s", strerror(errno));
	ASSERT_EQ(sizeof(ev[0]), read(rfd, ev, sizeof(ev[0]) + 50)) TH_LOG("read of 1.4 records");
	ASSERT_EQ(sizeof(ev[0]), read(rfd, ev, sizeof(ev))) TH_LOG("second read");
	close(rfd);

	/* Blocking read: a child sleeps in read() until a record arrives. */
	bfd = open(DEV, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, bfd) TH_LOG("reopen after close: %s", strerror(errno));
	ASSERT_EQ(0, pipe2(res, O_CLOEXEC));
	child = fork();
	if (child == 0) {
		long long got = read(bfd, ev, sizeof(ev));

		got = got == sizeof(ev[0]) && ev[0].kind == EFD_LKM_KIND_TRIGGER ? 1 : -got;
		_exit(write(res[1], &got, sizeof(got)) == sizeof(got) ? 0 : 1);
	}
	close(res[1]);
	ASSERT_EQ(0, wait_fd(res[0], POLLIN, 300)) TH_LOG("read returned on an empty ring");
	ASSERT_EQ(0, sys_write(SYS "trigger", "1"));
	ASSERT_TRUE(wait_fd(res[0], POLLIN, 5000)) TH_LOG("blocked read did not return");
	ASSERT_EQ(sizeof(long long), read(res[0], &n, sizeof(n)));
	ASSERT_EQ(1, n) TH_LOG("blocking read got the record");
	waitpid(child, NULL, 0);
	close(bfd);
	finish();
}

/* ---- ABI 2: acknowledged delivery, redelivery, the doorbell ---- */

static int reader_open_rw(void)
{
	return open(DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
}

#define OPEN_RW(fd)								\
	do {									\
		(fd) = reader_open_rw();					\
		ASSERT_LE(0, fd) TH_LOG("open " DEV ": %s", strerror(errno));	\
	} while (0)

/* Writes a commit; 0 or -errno. */
static int commit(int rfd, uint64_t seq)
{
	return write(rfd, &seq, sizeof(seq)) == sizeof(seq) ? 0 : -errno;
}

/* Opens the device and opts in to acknowledged delivery (a commit of 0). */
#define OPEN_ACKED(fd)								\
	do {									\
		OPEN_RW(fd);							\
		ASSERT_EQ(0, commit(fd, 0)) TH_LOG("opt in");			\
	} while (0)

static void expect_seqs(int n, uint64_t first, uint16_t flags)
{
	for (int i = 0; i < n; i++) {
		ASSERT_EQ(first + i, recs[i].seq) TH_LOG("record %d", i);
		ASSERT_EQ(flags, recs[i].flags) TH_LOG("record %d (seq %llu)", i,
						       (unsigned long long)recs[i].seq);
	}
}

/*
 * The fixture of most ABI 2 cases: efd_lkm loaded, attached to our own non-blocking eventfd,
 * whose ATTACHED signal is taken; teardown unloads it (a case may unload it itself).
 */
FIXTURE(attached) {
	int efd;
};

FIXTURE_SETUP(attached)
{
	self->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ASSERT_LE(0, self->efd);
	LOAD_EFD("pid=%d efd=%d", getpid(), self->efd);
	ASSERT_EQ(1, efd_take(self->efd)) TH_LOG("ATTACHED");
}

FIXTURE_TEARDOWN(attached)
{
	int ret = loaded("efd_lkm_testmod") ? unload("efd_lkm_testmod") : 0;

	EXPECT_EQ(0, ret) TH_LOG("rmmod efd_lkm_testmod: %s", err_name(ret));
	ret = unload("efd_lkm");
	EXPECT_EQ(0, ret) TH_LOG("rmmod efd_lkm: %s", err_name(ret));
	if (self->efd > 0)
		close(self->efd);
}

TEST(acked_reader_uncommitted_records_go_to_next_open)
{
	uint32_t small = 7;
	int rfd, n;

	LOAD_EFD(NULL);
	ASSERT_EQ(0, sys_write(SYS "trigger", "5"));
	OPEN_ACKED(rfd);
	ASSERT_EQ(0, SYSV("committed"));
	n = drain(rfd);
	ASSERT_EQ(5, n);
	expect_seqs(n, 1, 0);
	ASSERT_EQ(-EINVAL, commit(rfd, 6)) TH_LOG("a commit beyond what was delivered");
	ASSERT_TRUE(write(rfd, &small, sizeof(small)) < 0 && errno == EINVAL)
		TH_LOG("a 4-byte commit: %s", strerror(errno));
	ASSERT_EQ(0, commit(rfd, 3));
	ASSERT_EQ(3, SYSV("committed"));
	ASSERT_EQ(0, commit(rfd, 2)) TH_LOG("a commit below the committed one is a no-op");
	ASSERT_EQ(3, SYSV("committed"));
	close(rfd);

	/* The next opener gets 4 and 5 again, first, flagged, then what is new. */
	ASSERT_EQ(0, sys_write(SYS "trigger", "2"));
	OPEN_ACKED(rfd);
	n = drain(rfd);
	ASSERT_EQ(4, n);
	expect_seqs(2, 4, EFD_LKM_F_REDELIVERED);
	ASSERT_EQ(6, recs[2].seq);
	ASSERT_EQ(0, recs[2].flags);
	ASSERT_EQ(7, recs[3].seq);
	ASSERT_EQ(0, recs[3].flags);
	ASSERT_EQ(3, SYSV("committed"));
	close(rfd);	/* nothing committed: 4..7 stay */

	/* A plain reader sees them without flags, and consumes them by reading. */
	OPEN_READER(rfd);
	n = drain(rfd);
	ASSERT_EQ(4, n);
	expect_seqs(n, 4, 0);
	close(rfd);
	ASSERT_EQ(7, SYSV("committed")) TH_LOG("a plain read consumes");
	OPEN_READER(rfd);
	ASSERT_EQ(0, drain(rfd)) TH_LOG("records after a plain reader consumed them");
	close(rfd);
	ASSERT_EQ(0, SYSV("dropped"));
	ASSERT_EQ(0, SYSV("dropped_inflight"));
	finish();
}

TEST(acked_reader_committing_everything_leaves_nothing)
{
	int rfd, n;

	LOAD_EFD(NULL);
	OPEN_ACKED(rfd);
	ASSERT_EQ(0, sys_write(SYS "trigger", "3"));
	ASSERT_EQ(3, drain(rfd));
	ASSERT_EQ(0, commit(rfd, 3));
	close(rfd);
	OPEN_ACKED(rfd);
	n = drain(rfd);
	close(rfd);
	ASSERT_EQ(0, n) TH_LOG("committed records came back");
	finish();
}

/* A reader killed with SIGKILL between read and commit: the next opener gets the rest. */
TEST(acked_reader_killed_its_uncommitted_records_are_redelivered)
{
	int rfd, n, status;
	pid_t child;

	LOAD_EFD(NULL);
	ASSERT_EQ(0, sys_write(SYS "trigger", "5"));
	child = fork();
	if (child == 0) {
		int fd = reader_open_rw();

		if (fd < 0 || commit(fd, 0) || drain(fd) != 5 || commit(fd, 2))
			_exit(1);
		raise(SIGKILL);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("the reader child: status %#x", status);
	ASSERT_EQ(2, SYSV("committed"));
	OPEN_ACKED(rfd);
	n = drain(rfd);
	close(rfd);
	ASSERT_EQ(3, n);
	expect_seqs(n, 3, EFD_LKM_F_REDELIVERED);
	finish();
}

/* Overwrite counts in dropped_inflight what was delivered and uncommitted, else in dropped. */
TEST(overwrite_counts_dropped_or_dropped_inflight)
{
	int rfd, n;

	LOAD_EFD("ring_size=16");
	OPEN_ACKED(rfd);
	ASSERT_EQ(0, sys_write(SYS "trigger", "10"));
	ASSERT_EQ(10, drain(rfd));
	ASSERT_EQ(0, commit(rfd, 4));
	/* Kept: 5..10 delivered, uncommitted. 16 more overwrite those 6 first. */
	ASSERT_EQ(0, sys_write(SYS "trigger", "16"));
	ASSERT_EQ(6, SYSV("dropped_inflight"));
	ASSERT_EQ(0, SYSV("dropped"));
	/* Now the ring holds 11..26, undelivered: 4 more overwrite 11..14. */
	ASSERT_EQ(0, sys_write(SYS "trigger", "4"));
	ASSERT_EQ(4, SYSV("dropped"));
	ASSERT_EQ(6, SYSV("dropped_inflight"));
	n = drain(rfd);
	ASSERT_EQ(16, n);
	expect_seqs(n, 15, 0);
	close(rfd);
	OPEN_ACKED(rfd);
	n = drain(rfd);
	close(rfd);
	ASSERT_EQ(16, n) TH_LOG("15..30 go to the next open()");
	expect_seqs(n, 15, EFD_LKM_F_REDELIVERED);
	/* Waiting for redelivery, they were delivered: overwriting 15..18 is an inflight drop. */
	ASSERT_EQ(0, sys_write(SYS "trigger", "4"));
	ASSERT_EQ(10, SYSV("dropped_inflight"));
	ASSERT_EQ(4, SYSV("dropped"));
	OPEN_READER(rfd);
	n = drain(rfd);
	close(rfd);
	ASSERT_EQ(16, n);
	expect_seqs(n, 19, 0);
	finish();
}

/*
 * A read() whose buffer faults part-way returns what it copied; the record it could not
 * copy stays unread (it used to be popped and lost, uncounted).
 */
TEST(read_fault_keeps_the_record)
{
	long page = sysconf(_SC_PAGESIZE);
	struct efd_lkm_event *edge;
	char *map;
	int rfd;

	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	edge = (void *)(map + page - sizeof(*edge));
	LOAD_EFD(NULL);
	OPEN_READER(rfd);
	ASSERT_EQ(0, sys_write(SYS "trigger", "3"));
	ASSERT_EQ(sizeof(*edge), read(rfd, edge, 2 * sizeof(*edge)))
		TH_LOG("a read into one good record and one unmapped page");
	ASSERT_EQ(1, edge->seq);
	ASSERT_TRUE(read(rfd, map + page, sizeof(*edge)) < 0 && errno == EFAULT)
		TH_LOG("a read into an unmapped page: %s", strerror(errno));
	ASSERT_EQ(2, drain(rfd)) TH_LOG("the records the faulting reads could not copy");
	ASSERT_EQ(2, recs[0].seq);
	ASSERT_EQ(3, recs[1].seq);
	close(rfd);

	/* The same for an opted-in reader: what faulted is not delivered, so not committable. */
	OPEN_ACKED(rfd);
	ASSERT_EQ(0, sys_write(SYS "trigger", "2"));
	ASSERT_EQ(sizeof(*edge), read(rfd, edge, 2 * sizeof(*edge)));
	ASSERT_EQ(4, edge->seq);
	ASSERT_EQ(-EINVAL, commit(rfd, 5)) TH_LOG("committing a record that was not copied");
	ASSERT_EQ(1, drain(rfd));
	ASSERT_EQ(5, recs[0].seq);
	ASSERT_EQ(0, commit(rfd, 5));
	close(rfd);
	ASSERT_EQ(0, SYSV("dropped"));
	ASSERT_EQ(0, SYSV("dropped_inflight"));
	finish();
}

/*
 * The doorbell: while an opted-in reader that has read everything waits, a burst signals
 * once; a reader that has not caught up is not signalled again; attach always signals; with
 * the device closed every record signals.
 */
TEST_F(attached, doorbell_once_per_burst_for_a_caught_up_reader)
{
	int efd = self->efd, rfd;
	long long s0;

	OPEN_ACKED(rfd);
	ASSERT_EQ(1, drain(rfd));
	s0 = SYSV("signals");
	ASSERT_EQ(0, sys_write(SYS "trigger", "100"));
	ASSERT_EQ(s0 + 1, SYSV("signals")) TH_LOG("signals for a 100-record burst");
	ASSERT_EQ(1, efd_take(efd));
	ASSERT_EQ(100, drain(rfd));
	ASSERT_EQ(100, recs[99].seq - recs[0].seq + 1);

	/* Caught up again: the next record signals; one after it, unread, does not. */
	ASSERT_EQ(0, sys_write(SYS "trigger", "1"));
	ASSERT_EQ(0, sys_write(SYS "trigger", "1"));
	ASSERT_EQ(s0 + 2, SYSV("signals"));
	ASSERT_EQ(1, efd_take(efd));
	/* Attach signals even though the reader has not read those two. */
	ASSERT_EQ(0, sys_write(SYS "attach", "%d %d", getpid(), efd));
	ASSERT_EQ(s0 + 3, SYSV("signals"));
	ASSERT_EQ(1, efd_take(efd));
	ASSERT_EQ(3, drain(rfd));
	ASSERT_EQ(0, commit(rfd, recs[2].seq));
	close(rfd);

	/* Device closed: every record signals, and the counter adds them up. */
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, sys_write(SYS "trigger", "1"));
	ASSERT_EQ(s0 + 6, SYSV("signals"));
	ASSERT_EQ(3, efd_take(efd));

	/* A plain reader open: every record signals too (ABI 1). */
	OPEN_READER(rfd);
	ASSERT_EQ(0, sys_write(SYS "trigger", "5"));
	ASSERT_EQ(s0 + 11, SYSV("signals"));
	ASSERT_EQ(5, efd_take(efd));
	close(rfd);
}

/* The payload of efd_lkm_testmod's records. */
struct testmod_event {
	uint32_t n;
	uint32_t in_hardirq;
	uint32_t signal_denied;
};

#define TESTMOD "/sys/module/efd_lkm_testmod/parameters/"

/*
 * A client module's EPOLLHUP callback on the attached eventfd calls efd_lkm_notify():
 * eventfd_release() holds that eventfd's wqh.lock with IRQs off and does not set in_eventfd,
 * so signalling it there deadlocked the CPU. Now the doorbell defers, close() returns.
 */
TEST_F_TIMEOUT(attached, notify_from_epollhup_of_the_attached_eventfd, 30)
{
	struct testmod_event *e;
	int rfd, n, hup;

	ASSERT_EQ(0, load("efd_lkm_testmod.ko", NULL));
	ASSERT_EQ(0, sys_write(TESTMOD "hup_efd", "%d", self->efd));
	OPEN_READER(rfd);
	drain(rfd);
	ASSERT_EQ(0, close(self->efd));
	self->efd = -1;
	ASSERT_TRUE(wait_attached(-1, 5000)) TH_LOG("still attached after the eventfd closed");
	n = read_until(rfd, 0x1003, 1, 5000);
	close(rfd);
	hup = find_rec(n, 0, 0x1003);
	ASSERT_LE(0, hup) TH_LOG("no record from the EPOLLHUP callback (%d records)", n);
	e = (void *)recs[hup].data;
	ASSERT_EQ(0, e->signal_denied) TH_LOG("eventfd_release() does not set in_eventfd");
}

/*
 * efd_lkm_notify() from NMI is refused with -EBUSY and makes no record. The NMI is real:
 * the guest asks the host (tests/vm/qmp.py) for QMP inject-nmi, which the test module's
 * NMI_UNKNOWN handler takes.
 */
TEST_TIMEOUT(notify_from_nmi_refused, 60)
{
	long long events;
	char buf[64] = "";
	int fd, count = 0, ret = 0;

	LOAD_EFD(NULL);
	ASSERT_EQ(0, load("efd_lkm_testmod.ko", NULL));
	fd = open(TESTMOD "nmi", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("open nmi: %s", strerror(errno));
	ASSERT_EQ(1, write(fd, "1", 1)) TH_LOG("arm: %s", strerror(errno));
	events = SYSV("events");
	ASSERT_LT(0, pread(fd, buf, sizeof(buf) - 1, 0));
	printf("EFD-QMP inject-nmi\n");
	fflush(stdout);
	ASSERT_TRUE(wait_fd(fd, POLLPRI | POLLERR, 45000))
		TH_LOG("no NMI within 45 s of asking for QMP inject-nmi");
	memset(buf, 0, sizeof(buf));
	ASSERT_LT(0, pread(fd, buf, sizeof(buf) - 1, 0));
	ASSERT_EQ(2, sscanf(buf, "%d %d", &count, &ret)) TH_LOG("nmi reads '%s'", buf);
	ASSERT_LE(1, count) TH_LOG("NMIs seen");
	ASSERT_EQ(-EBUSY, ret) TH_LOG("efd_lkm_notify() in NMI");
	ASSERT_EQ(events, SYSV("events")) TH_LOG("a record from NMI");
	ASSERT_EQ(1, write(fd, "0", 1));
	close(fd);
	ASSERT_EQ(0, unload("efd_lkm_testmod"));
	finish();
}

/* Every number written to sysfs or given as a parameter is refused out of range, whole. */
TEST(numbers_out_of_range_refused_never_truncated)
{
	int self = getpid(), efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), ret;
	long long wrap = (1LL << 32) + self;	/* truncated to int, it would be our pid */
	struct {
		const char *what;
		char params[128];
		int err;
	} loads[] = {
		{ "pid past int", "", ERANGE },
		{ "efd past int", "", ERANGE },
		{ "ring_size past uint", "ring_size=4294967296", ERANGE },
		{ "ring_size above 65536", "ring_size=131072", EINVAL },
		{ "tick_ms past uint", "tick_ms=4294967296", ERANGE },
		{ "tick_ms above 1 h", "tick_ms=3600001", EINVAL },
		{ "netdev=2", "netdev=2", EINVAL },
		{ "modules=-1", "modules=-1", EINVAL },
	};
	struct {
		const char *file;
		char text[64];
		int err;
	} writes[] = {
		{ SYS "attach", "", ERANGE },
		{ SYS "attach", "", ERANGE },
		{ SYS "attach", "99999999999999999999 3", ERANGE },
		{ SYS "trigger", "4294967297", ERANGE },
		{ SYS "trigger", "65537", EINVAL },
		{ SYS "trigger", "-1", EINVAL },
		{ PARAMS "tick_ms", "4294967296", ERANGE },
		{ PARAMS "tick_ms", "3600001", EINVAL },
		{ PARAMS "netdev", "2", EINVAL },
	};

	snprintf(loads[0].params, sizeof(loads[0].params), "pid=%lld efd=%d", wrap, efd);
	snprintf(loads[1].params, sizeof(loads[1].params), "pid=%d efd=%lld", self,
		 (1LL << 32) + efd);
	snprintf(writes[0].text, sizeof(writes[0].text), "%lld %d", wrap, efd);
	snprintf(writes[1].text, sizeof(writes[1].text), "%d %lld", self, (1LL << 32) + efd);
	LOAD_EFD(NULL);
	for (size_t i = 0; i < ARRAY_SIZE(writes); i++) {
		ret = sys_write(writes[i].file, "%s", writes[i].text);
		ASSERT_EQ(-writes[i].err, ret) TH_LOG("'%s' > %s: %s", writes[i].text,
						     writes[i].file, err_name(ret));
	}
	ASSERT_EQ(-1, SYSV("attached_pid")) TH_LOG("attached through a truncated number");
	ASSERT_EQ(0, SYSV("events")) TH_LOG("records from refused writes");
	ASSERT_EQ(0, sys_read(PARAMS "tick_ms")) TH_LOG("tick_ms changed by a refused write");
	ASSERT_EQ(0, sys_read(PARAMS "netdev"));
	finish();
	for (size_t i = 0; i < ARRAY_SIZE(loads); i++) {
		ret = load("efd_lkm.ko", "%s", loads[i].params);
		if (ret == 0)
			unload("efd_lkm");
		ASSERT_EQ(-loads[i].err, ret) TH_LOG("%s (%s): %s", loads[i].what,
						    loads[i].params, err_name(ret));
	}
}

/*
 * trigger makes up to 65536 records in one write: it must yield the CPU on the way. A
 * SCHED_FIFO thread on the same CPU measures how late its 1 ms sleeps wake meanwhile.
 */
struct latency {
	volatile int stop;
	int64_t worst_ns;
	int64_t wakeups;
};

static void *latency_thread(void *arg)
{
	struct latency *l = arg;
	struct timespec ms = { 0, 1000000 };

	while (!l->stop) {
		int64_t t = now_ns(CLOCK_MONOTONIC), late;

		nanosleep(&ms, NULL);
		late = now_ns(CLOCK_MONOTONIC) - t - 1000000;
		if (late > l->worst_ns)
			l->worst_ns = late;
		l->wakeups++;
	}
	return NULL;
}

static int pin_to_cpu(pthread_t thread, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(thread, sizeof(set), &set);
}

/* The worst lateness of the sleeper during one 65536-record trigger, and how long it took. */
static void trigger_beside_sleeper(int64_t *worst, int64_t *took)
{
	struct sched_param sp = { .sched_priority = 50 };
	struct latency l = { 0 };
	pthread_attr_t attr;
	pthread_t th;
	int64_t t0;

	ASSERT_EQ(0, pthread_attr_init(&attr));
	ASSERT_EQ(0, pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED));
	ASSERT_EQ(0, pthread_attr_setschedpolicy(&attr, SCHED_FIFO));
	ASSERT_EQ(0, pthread_attr_setschedparam(&attr, &sp));
	ASSERT_EQ(0, pthread_create(&th, &attr, latency_thread, &l));
	while (!l.wakeups)
		sched_yield();	/* until it runs: FIFO on our CPU, so at once */
	t0 = now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(0, sys_write(SYS "trigger", "65536"));
	*took = now_ns(CLOCK_MONOTONIC) - t0;
	l.stop = 1;
	pthread_join(th, NULL);
	*worst = l.worst_ns;
}

/*
 * Without a yield in the loop the sleeper is late by the whole burst, every time; the host
 * (TCG on a shared machine) only ever adds lateness, so the best of three decides.
 */
TEST(trigger_burst_yields_the_cpu)
{
	int64_t worst, took, best_worst = INT64_MAX, best_took = 0;

	LOAD_EFD(NULL);
	ASSERT_EQ(0, pin_to_cpu(pthread_self(), 0));
	for (int i = 0; i < 3; i++) {
		trigger_beside_sleeper(&worst, &took);
		printf("# trigger 65536 took %lld ms; a 1 ms sleeper on its CPU woke at worst %lld ms late\n",
		       (long long)(took / 1000000), (long long)(worst / 1000000));
		if (worst * best_took <= best_worst * took || !best_took) {
			best_worst = worst;
			best_took = took;
		}
	}
	/*
	 * The sleeper wakes every 1 ms: a burst that never yields makes it late by the whole burst, one
	 * that yields by about a period. 5 ms tells them apart; 20 ms did not hold once TCG ran
	 * kernel 7's loop in 17 ms (CI, 2026-12-02).
	 */
	ASSERT_LE(5 * 1000000LL, best_took) TH_LOG("a burst too short to tell");
	ASSERT_GT(best_took / 2, best_worst) TH_LOG("the burst held the CPU (%lld of %lld ms)",
						    (long long)(best_worst / 1000000),
						    (long long)(best_took / 1000000));
	finish();
}

TEST(rmmod_refused_while_open)
{
	int rfd, ret;

	LOAD_EFD(NULL);
	OPEN_READER(rfd);
	ret = unload("efd_lkm");
	close(rfd);
	ASSERT_EQ(-EWOULDBLOCK, ret) TH_LOG("rmmod with the device open: %s", err_name(ret));
	finish();
}

TEST(netdev_lo_down_up)
{
	struct efd_lkm_netdev *d;
	int rfd, n, down, up;

	link_set("lo", true);
	LOAD_EFD("netdev=1");
	OPEN_READER(rfd);
	n = drain(rfd);
	ASSERT_LE(0, find_netdev(n, "lo", EFD_LKM_NETDEV_UP)) TH_LOG("no UP replay for lo at load");
	ASSERT_EQ(0, link_set("lo", false));
	ASSERT_EQ(0, link_set("lo", true));
	n = drain(rfd);
	close(rfd);
	down = find_netdev(n, "lo", EFD_LKM_NETDEV_DOWN);
	up = find_netdev(n, "lo", EFD_LKM_NETDEV_UP);
	ASSERT_TRUE(down >= 0 && up > down) TH_LOG("lo: down at %d, up at %d of %d", down, up, n);
	d = (void *)recs[up].data;
	ASSERT_EQ(1, d->ifindex);
	ASSERT_TRUE(d->flags & IFF_UP);
	ASSERT_EQ(sizeof(*d), recs[up].len);
	finish();
}

TEST(netdev_dummy_up_change_down)
{
	int rfd, n, up, change, down;

	LOAD_EFD("netdev=1");
	OPEN_READER(rfd);
	drain(rfd);
	ASSERT_EQ(0, load("dummy.ko", "numdummies=1"));
	ASSERT_EQ(0, link_set("dummy0", true));
	/* A flag change on a device that is up is a NETDEV_CHANGE (dummy has IFF_NOARP already). */
	ASSERT_EQ(0, link_flag("dummy0", IFF_DEBUG, true));
	ASSERT_EQ(0, link_set("dummy0", false));
	n = drain(rfd);
	close(rfd);
	up = find_netdev(n, "dummy0", EFD_LKM_NETDEV_UP);
	change = find_netdev(n, "dummy0", EFD_LKM_NETDEV_CHANGE);
	down = find_netdev(n, "dummy0", EFD_LKM_NETDEV_DOWN);
	ASSERT_TRUE(up >= 0 && change > up && down > change)
		TH_LOG("dummy0: up at %d, change at %d, down at %d of %d", up, change, down, n);
	ASSERT_TRUE(((struct efd_lkm_netdev *)recs[change].data)->flags & IFF_DEBUG)
		TH_LOG("CHANGE record without IFF_DEBUG");
	ASSERT_EQ(0, unload("dummy"));
	finish();
}

TEST(netdev_switch_at_runtime)
{
	int rfd, n;

	LOAD_EFD(NULL);
	OPEN_READER(rfd);
	link_set("lo", false);
	link_set("lo", true);
	ASSERT_EQ(0, drain(rfd)) TH_LOG("netdev records with netdev=0");
	ASSERT_EQ(0, sys_write(PARAMS "netdev", "1"));
	n = drain(rfd);
	ASSERT_LE(0, find_netdev(n, "lo", EFD_LKM_NETDEV_UP)) TH_LOG("no replay after switching on");
	ASSERT_EQ(0, sys_write(PARAMS "netdev", "0"));
	ASSERT_EQ(0, drain(rfd)) TH_LOG("records from switching off (unregister replays DOWN)");
	link_set("lo", false);
	link_set("lo", true);
	ASSERT_EQ(0, drain(rfd)) TH_LOG("netdev records after switching off");
	close(rfd);
	finish();
}

TEST(module_records_for_example)
{
	int rfd, n, coming, live, going, user, reg, unreg;
	long long kind;

	LOAD_EFD("modules=1");
	OPEN_READER(rfd);
	drain(rfd);
	ASSERT_EQ(0, load("efd_lkm_example.ko", NULL));
	kind = kind_by_name("example.event");
	ASSERT_LE(EFD_LKM_KIND_REGISTERED_MIN, kind) TH_LOG("example.event not in " KINDS);
	n = drain(rfd);
	coming = find_module(n, 0, "efd_lkm_example", EFD_LKM_MODULE_COMING);
	reg = find_rec(n, 0, EFD_LKM_KIND_KIND);
	user = find_rec(n, 0, kind);
	live = find_module(n, 0, "efd_lkm_example", EFD_LKM_MODULE_LIVE);
	ASSERT_TRUE(coming >= 0 && reg > coming && user > reg && live > user)
		TH_LOG("order COMING %d < KIND %d < example record %d < LIVE %d (of %d)", coming,
		       reg, user, live, n);
	expect_kind_rec(reg, kind, 1, "example.event");
	ASSERT_EQ(sizeof(struct efd_lkm_module), recs[coming].len);
	ASSERT_EQ(-EWOULDBLOCK, unload("efd_lkm")) TH_LOG("efd_lkm unloaded under its user");
	ASSERT_EQ(0, unload("efd_lkm_example"));
	n = drain(rfd);
	unreg = find_rec(n, 0, EFD_LKM_KIND_KIND);
	going = find_module(n, 0, "efd_lkm_example", EFD_LKM_MODULE_GOING);
	close(rfd);
	ASSERT_LE(0, going) TH_LOG("no GOING record");
	ASSERT_TRUE(unreg >= 0 && unreg < going)
		TH_LOG("the example's exit unregisters its kind: KIND %d < GOING %d", unreg, going);
	expect_kind_rec(unreg, kind, 0, "example.event");
	finish();
}

/* The example, as a driver's author would read it: register, raise, unregister at exit. */
TEST(example_notify_records)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), rfd, n;
	char text[512];
	long long kind;

	LOAD_EFD("pid=%d efd=%d", getpid(), efd);
	efd_take(efd);
	OPEN_READER(rfd);
	drain(rfd);
	/*
	 * selftest=1: the load fails unless efd_lkm refuses bad registrations, bad kinds and
	 * sizes; the refused registrations leave no record.
	 */
	ASSERT_EQ(0, load("efd_lkm_example.ko", "selftest=1"));
	ASSERT_EQ(0, sys_write(EXAMPLE "fire", "3"));
	kind = kind_by_name("example.event");
	ASSERT_LE(EFD_LKM_KIND_REGISTERED_MIN, kind);
	ASSERT_LT(0, kind_file(kind, "format", text, sizeof(text)));
	ASSERT_EQ(0, strcmp("n u32 0 4\ntext str 4 16\naddr ipv4 20 4\n", text))
		TH_LOG("example.event format '%s'", text);
	n = drain(rfd);
	close(rfd);
	ASSERT_EQ(5, n) TH_LOG("KIND + load + 3 fires");
	expect_kind_rec(0, kind, 1, "example.event");
	for (int i = 1; i < 5; i++) {
		uint32_t num;
		uint8_t *addr = recs[i].data + 20;

		memcpy(&num, recs[i].data, 4);
		ASSERT_EQ(kind, recs[i].kind) TH_LOG("record %d", i);
		ASSERT_EQ(24, recs[i].len) TH_LOG("record %d", i);
		ASSERT_EQ(i - 1, num) TH_LOG("record %d", i);
		ASSERT_EQ(0, strcmp((char *)recs[i].data + 4, "efd_lkm_example"));
		ASSERT_TRUE(addr[0] == 192 && addr[1] == 0 && addr[2] == 2 && addr[3] == i - 1)
			TH_LOG("record %d: addr %u.%u.%u.%u", i, addr[0], addr[1], addr[2], addr[3]);
		ASSERT_TRUE(recs[i].seq == recs[i - 1].seq + 1) TH_LOG("seq gap");
	}
	ASSERT_EQ(5, efd_take(efd));
	ASSERT_EQ(0, unload("efd_lkm_example"));
	ASSERT_EQ(0, kind_registered(kind)) TH_LOG("example.event after the example's exit");
	finish();
}

/* ---- input: system keys and switches; power: power supplies ---- */

/* Loads a module of the kernel's own that may be loaded already (button, uinput). */
#define LOAD_KERNEL_MODULE(ko)							\
	do {									\
		int __ret = load(ko, NULL);					\
		ASSERT_TRUE(__ret == 0 || __ret == -EEXIST)			\
			TH_LOG("insmod " ko ": %s", err_name(__ret));		\
	} while (0)

/*
 * The "H: Handlers=" list of the input device named @name in /proc/bus/input/devices, into
 * @buf: 0, or -ENOENT when no device has that name.
 */
static int input_handlers_of(const char *name, char *buf, size_t size)
{
	static char text[65536];
	char want[160], *at, *h;
	int n;

	n = read_text("/proc/bus/input/devices", text, sizeof(text));
	if (n < 0)
		return n;
	snprintf(want, sizeof(want), "N: Name=\"%s\"\n", name);
	at = strstr(text, want);
	if (!at)
		return -ENOENT;
	h = strstr(at, "H: Handlers=");
	if (!h)
		return -ENOENT;
	h += strlen("H: Handlers=");
	snprintf(buf, size, "%.*s", (int)strcspn(h, "\n"), h);
	return 0;
}

/* The device named @name is connected to efd_lkm's handler (1), not (0), or absent (<0). */
static int input_connected(const char *name)
{
	char handlers[512];
	int ret = input_handlers_of(name, handlers, sizeof(handlers));

	return ret ? ret : strstr(handlers, "efd_lkm") != NULL;
}

/* A uinput device named @name with the EV_KEY codes @keys and EV_SW codes @sws: its fd. */
static int uinput_create(const char *name, const int *keys, int nkeys, const int *sws, int nsws)
{
	struct uinput_setup setup = { .id = { .bustype = BUS_VIRTUAL, .vendor = 0xefd } };
	int fd = open("/dev/uinput", O_WRONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	if (nkeys && ioctl(fd, UI_SET_EVBIT, EV_KEY))
		goto err;
	for (int i = 0; i < nkeys; i++)
		if (ioctl(fd, UI_SET_KEYBIT, keys[i]))
			goto err;
	if (nsws && ioctl(fd, UI_SET_EVBIT, EV_SW))
		goto err;
	for (int i = 0; i < nsws; i++)
		if (ioctl(fd, UI_SET_SWBIT, sws[i]))
			goto err;
	snprintf(setup.name, sizeof(setup.name), "%s", name);
	if (ioctl(fd, UI_DEV_SETUP, &setup) || ioctl(fd, UI_DEV_CREATE))
		goto err;
	return fd;
err:
	ret = -errno;
	close(fd);
	return ret;
}

/*
 * One event and its SYN_REPORT. uinput's write() runs the input core and every handler in the
 * writer's context: when it returns, efd_lkm has made its record or never will.
 */
static int uinput_emit(int fd, int type, int code, int value)
{
	struct input_event ev[2] = {
		{ .type = type, .code = code, .value = value },
		{ .type = EV_SYN, .code = SYN_REPORT },
	};

	return write(fd, ev, sizeof(ev)) == sizeof(ev) ? 0 : -errno;
}

#define EMIT(fd, type, code, value)						\
	do {									\
		int __ret = uinput_emit(fd, type, code, value);			\
		ASSERT_EQ(0, __ret) TH_LOG("uinput %s %d %d: %s", #code, type, value,	\
					   err_name(__ret));			\
	} while (0)

/* Record @i is an INPUT record of @device: @type @code @value. */
static void expect_input_rec(int i, const char *device, int type, int code, int value)
{
	const struct efd_lkm_input *in = (const void *)recs[i].data;

	ASSERT_EQ(EFD_LKM_KIND_INPUT, recs[i].kind) TH_LOG("record %d", i);
	ASSERT_EQ(sizeof(*in), recs[i].len) TH_LOG("record %d", i);
	ASSERT_EQ(0, strcmp(device, in->device)) TH_LOG("record %d: device '%.32s', want '%s'",
						       i, in->device, device);
	ASSERT_EQ(type, in->type) TH_LOG("record %d", i);
	ASSERT_EQ(code, in->code) TH_LOG("record %d", i);
	ASSERT_EQ(value, in->value) TH_LOG("record %d", i);
}

/* A bool parameter of efd_lkm reads "Y" or "N": 1, 0, or -1 when it reads neither. */
static int param_bool(const char *name)
{
	char path[256], text[16];

	snprintf(path, sizeof(path), PARAMS "%s", name);
	if (read_text(path, text, sizeof(text)) < 0)
		return -1;
	return !strcmp(text, "Y\n") ? 1 : !strcmp(text, "N\n") ? 0 : -1;
}

#define UI_LID "efd-test lid and power key"
#define UI_KEYS "efd-test ordinary keys"

static const int lid_keys[] = { KEY_POWER, KEY_A };
static const int lid_sws[] = { SW_LID };
static const int plain_keys[] = { KEY_A, KEY_B, KEY_ENTER, KEY_SPACE };

/*
 * The ACPI power button, pressed by the host: the guest asks for QMP system_powerdown on its
 * console (tests/vm/qmp.py --follow) and waits for the records, at most 45 s. button.ko is
 * loaded first, so this also shows that switching on connects devices already present.
 */
TEST_TIMEOUT(input_acpi_power_button_press_release, 60)
{
	int rfd, n, press, release;

	LOAD_KERNEL_MODULE("button.ko");
	ASSERT_EQ(0, input_connected("Power Button")) TH_LOG("no Power Button (0: not connected)");
	LOAD_EFD("input=1");
	ASSERT_EQ(1, input_connected("Power Button")) TH_LOG("Power Button not connected");
	OPEN_READER(rfd);
	ASSERT_EQ(0, drain(rfd));
	printf("EFD-QMP system_powerdown\n");
	fflush(stdout);
	n = read_until(rfd, EFD_LKM_KIND_INPUT, 2, 45000);
	close(rfd);
	ASSERT_LE(2, n) TH_LOG("%d records within 45 s of asking for QMP system_powerdown", n);
	press = find_rec(n, 0, EFD_LKM_KIND_INPUT);
	release = find_rec(n, press + 1, EFD_LKM_KIND_INPUT);
	expect_input_rec(press, "Power Button", EV_KEY, KEY_POWER, 1);
	expect_input_rec(release, "Power Button", EV_KEY, KEY_POWER, 0);
	finish();
}

#define OPEN_UINPUT(fd, name, keys, sws)					\
	do {									\
		LOAD_KERNEL_MODULE("uinput.ko");				\
		(fd) = uinput_create(name, keys, ARRAY_SIZE(keys), sws, ARRAY_SIZE(sws)); \
		ASSERT_LE(0, fd) TH_LOG("uinput %s: %s", name, err_name(fd));	\
	} while (0)

/*
 * Through uinput: the lid closing and opening and the power key pressed and released are
 * four records, in order; an ordinary key of the same device (press, autorepeat, release)
 * and the power key's autorepeat are none. Every write is synchronous (uinput_emit()).
 */
TEST(input_uinput_lid_and_power_key_only)
{
	int rfd, ufd, n;

	LOAD_EFD("input=1");
	OPEN_UINPUT(ufd, UI_LID, lid_keys, lid_sws);
	ASSERT_EQ(1, input_connected(UI_LID)) TH_LOG("a device with KEY_POWER and SW_LID");
	OPEN_READER(rfd);
	ASSERT_EQ(0, drain(rfd));
	EMIT(ufd, EV_KEY, KEY_A, 1);
	EMIT(ufd, EV_KEY, KEY_A, 2);
	EMIT(ufd, EV_KEY, KEY_A, 0);
	EMIT(ufd, EV_SW, SW_LID, 1);
	EMIT(ufd, EV_KEY, KEY_POWER, 1);
	EMIT(ufd, EV_KEY, KEY_POWER, 2);
	EMIT(ufd, EV_KEY, KEY_POWER, 2);
	EMIT(ufd, EV_KEY, KEY_POWER, 0);
	EMIT(ufd, EV_SW, SW_LID, 0);
	EMIT(ufd, EV_KEY, KEY_A, 1);
	EMIT(ufd, EV_KEY, KEY_A, 0);
	n = drain(rfd);
	ASSERT_EQ(4, n) TH_LOG("records: lid 1, power 1, power 0, lid 0 and nothing else");
	expect_input_rec(0, UI_LID, EV_SW, SW_LID, 1);
	expect_input_rec(1, UI_LID, EV_KEY, KEY_POWER, 1);
	expect_input_rec(2, UI_LID, EV_KEY, KEY_POWER, 0);
	expect_input_rec(3, UI_LID, EV_SW, SW_LID, 0);
	close(ufd);
	close(rfd);
	finish();
}

/* A keyboard without system keys or switches is never connected, so never heard. */
TEST(input_ordinary_keyboard_never_connected)
{
	int rfd, kfd, lfd;

	LOAD_EFD("input=1");
	OPEN_UINPUT(kfd, UI_KEYS, plain_keys, (int[]){});
	OPEN_UINPUT(lfd, UI_LID, lid_keys, lid_sws);
	ASSERT_EQ(0, input_connected(UI_KEYS)) TH_LOG("efd_lkm connected to a plain keyboard");
	ASSERT_EQ(1, input_connected(UI_LID));
	OPEN_READER(rfd);
	ASSERT_EQ(0, drain(rfd));
	for (size_t i = 0; i < ARRAY_SIZE(plain_keys); i++) {
		EMIT(kfd, EV_KEY, plain_keys[i], 1);
		EMIT(kfd, EV_KEY, plain_keys[i], 0);
	}
	ASSERT_EQ(0, drain(rfd)) TH_LOG("records from ordinary keys");
	close(kfd);
	close(lfd);
	close(rfd);
	finish();
}

/*
 * input=0 at load: not a record; switched on: connected, records; off: disconnected (from
 * the device and from the input core's handler list), no records; bad values refused.
 */
TEST(input_switch_at_runtime)
{
	static const char *const bad[] = { "2", "-1", "x" };
	int rfd, ufd, ret;
	char handlers[4096];

	LOAD_EFD(NULL);
	ASSERT_EQ(0, param_bool("input"));
	OPEN_UINPUT(ufd, UI_LID, lid_keys, lid_sws);
	ASSERT_EQ(0, input_connected(UI_LID));
	OPEN_READER(rfd);
	EMIT(ufd, EV_SW, SW_LID, 1);
	ASSERT_EQ(0, drain(rfd)) TH_LOG("a record with input=0");
	ASSERT_EQ(0, sys_write(PARAMS "input", "1"));
	ASSERT_EQ(1, input_connected(UI_LID)) TH_LOG("switching on connects present devices");
	ASSERT_LT(0, read_text("/proc/bus/input/handlers", handlers, sizeof(handlers)));
	ASSERT_TRUE(strstr(handlers, "Name=efd_lkm")) TH_LOG("handlers: %s", handlers);
	EMIT(ufd, EV_SW, SW_LID, 0);
	ASSERT_EQ(1, drain(rfd));
	expect_input_rec(0, UI_LID, EV_SW, SW_LID, 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = sys_write(PARAMS "input", "%s", bad[i]);
		ASSERT_EQ(-EINVAL, ret) TH_LOG("input=%s: %s", bad[i], err_name(ret));
	}
	ASSERT_EQ(1, param_bool("input")) TH_LOG("changed by a refused write");
	ASSERT_EQ(0, sys_write(PARAMS "input", "0"));
	ASSERT_EQ(0, input_connected(UI_LID)) TH_LOG("still connected after input=0");
	ASSERT_LT(0, read_text("/proc/bus/input/handlers", handlers, sizeof(handlers)));
	ASSERT_FALSE(strstr(handlers, "efd_lkm")) TH_LOG("handlers: %s", handlers);
	EMIT(ufd, EV_SW, SW_LID, 1);
	EMIT(ufd, EV_KEY, KEY_POWER, 1);
	EMIT(ufd, EV_KEY, KEY_POWER, 0);
	ASSERT_EQ(0, drain(rfd)) TH_LOG("records after input=0");
	close(ufd);
	close(rfd);
	finish();
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = load("efd_lkm.ko", "input=%s", bad[i]);
		if (ret == 0)
			unload("efd_lkm");
		ASSERT_EQ(-EINVAL, ret) TH_LOG("load input=%s: %s", bad[i], err_name(ret));
	}
}

#define PSY "efd_test_ac"

/*
 * Reads records until a POWER record of the test supply with @online and @capacity arrived,
 * at most @ms; its index, -1 if none (the records read are in recs[0..*n)).
 */
static int wait_power(int rfd, int online, int capacity, int ms, int *n)
{
	int64_t end = now_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
	int from = 0;

	*n = 0;
	for (;;) {
		int got = drain(rfd);

		if (got < 0)
			return -1;
		memmove(recs + *n, recs, got * sizeof(recs[0]));
		*n += got;
		for (int i = from; i < *n; i++) {
			const struct efd_lkm_power *p = (const void *)recs[i].data;

			if (recs[i].kind == EFD_LKM_KIND_POWER && !strcmp(p->name, PSY) &&
			    p->online == online && p->capacity == capacity)
				return i;
		}
		from = *n;
		ms = (end - now_ns(CLOCK_MONOTONIC)) / 1000000;
		if (ms <= 0 || *n >= MAX_RECS / 2 || !wait_fd(rfd, POLLIN, ms))
			return -1;
	}
}

/* Record @i is a POWER record of the test supply: online @online, capacity @capacity. */
static void expect_power_rec(int i, int online, int capacity)
{
	const struct efd_lkm_power *p = (const void *)recs[i].data;

	ASSERT_EQ(sizeof(*p), recs[i].len) TH_LOG("record %d", i);
	ASSERT_EQ(0, strcmp(PSY, p->name));
	ASSERT_EQ(EFD_LKM_POWER_TYPE_MAINS, p->type);
	ASSERT_EQ(online, p->online);
	ASSERT_EQ(capacity, p->capacity);
	ASSERT_EQ(-1, p->status) TH_LOG("a property the supply lacks");
	ASSERT_EQ(0, strcmp("efd_lkm_testmod", p->parent)) TH_LOG("parent '%.24s'", p->parent);
}

#define WAIT_POWER(rfd, online, capacity, n)					\
	({									\
		int __i = wait_power(rfd, online, capacity, 20000, &(n));	\
		ASSERT_LE(0, __i) TH_LOG("no POWER record online %d capacity %d in %d records", \
					 online, capacity, n);			\
		expect_power_rec(__i, online, capacity);			\
		__i;								\
	})

/*
 * A real power_supply (efd_lkm_testmod's): its registration, online going 0, capacity
 * changing and online going 1 again each give a POWER record with the supply's values, its
 * type and parent, and -1 for the status it lacks. The core calls the notifier from a work
 * item: the records are waited for (poll() on the device), at most 20 s each.
 */
TEST(power_supply_online_and_capacity)
{
	int rfd, n;

	LOAD_EFD("power=1");
	OPEN_READER(rfd);
	ASSERT_EQ(0, load("efd_lkm_testmod.ko", NULL));
	WAIT_POWER(rfd, 1, 50, n);
	ASSERT_EQ(0, sys_write(TESTMOD "psy_online", "0"));
	WAIT_POWER(rfd, 0, 50, n);
	ASSERT_EQ(0, sys_write(TESTMOD "psy_capacity", "20"));
	WAIT_POWER(rfd, 0, 20, n);
	ASSERT_EQ(0, sys_write(TESTMOD "psy_online", "1"));
	WAIT_POWER(rfd, 1, 20, n);
	close(rfd);
	ASSERT_EQ(0, unload("efd_lkm_testmod"));
	finish();
}

/*
 * Waits until the kernel has sent a "change" uevent of the test supply that carries @env
 * ("POWER_SUPPLY_CAPACITY=30"): power_supply_changed_work() sends it after calling the
 * notifiers, so a notifier registered then had its chance. @sock: NETLINK_KOBJECT_UEVENT,
 * bound to group 1; each message is "change@DEVPATH" and KEY=VALUE strings, NUL-separated.
 */
static bool wait_psy_uevent(int sock, const char *env, int ms)
{
	int64_t end = now_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
	char msg[8192];

	for (;;) {
		ssize_t got = recv(sock, msg, sizeof(msg), MSG_DONTWAIT);

		if (got > 0) {
			if (!strncmp(msg, "change@", 7) && memmem(msg, got, "/" PSY, strlen(PSY) + 2) &&
			    memmem(msg, got, env, strlen(env) + 1))
				return true;
			continue;
		}
		ms = (end - now_ns(CLOCK_MONOTONIC)) / 1000000;
		if (ms <= 0 || !wait_fd(sock, POLLIN, ms))
			return false;
	}
}

/* power=0: no records; on: records; off again: none, even for a change in flight; bad values. */
TEST(power_switch_at_runtime)
{
	static const char *const bad[] = { "2", "-1", "x" };
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int rfd, n, ret, sock;

	sock = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	ASSERT_LE(0, sock) TH_LOG("uevent socket: %s", strerror(errno));
	ASSERT_EQ(0, bind(sock, (struct sockaddr *)&nl, sizeof(nl)));
	LOAD_EFD(NULL);
	ASSERT_EQ(0, param_bool("power"));
	OPEN_READER(rfd);
	ASSERT_EQ(0, load("efd_lkm_testmod.ko", NULL));
	ASSERT_EQ(0, sys_write(TESTMOD "psy_capacity", "30"));
	ASSERT_TRUE(wait_psy_uevent(sock, "POWER_SUPPLY_CAPACITY=30", 20000))
		TH_LOG("no change uevent for " PSY);
	ASSERT_EQ(0, drain(rfd)) TH_LOG("records with power=0");
	ASSERT_EQ(0, sys_write(PARAMS "power", "1"));
	ASSERT_EQ(0, sys_write(TESTMOD "psy_capacity", "31"));
	/* A change from before may still reach the notifier now: only 31 is waited for. */
	WAIT_POWER(rfd, 1, 31, n);
	for (size_t b = 0; b < ARRAY_SIZE(bad); b++) {
		ret = sys_write(PARAMS "power", "%s", bad[b]);
		ASSERT_EQ(-EINVAL, ret) TH_LOG("power=%s: %s", bad[b], err_name(ret));
	}
	ASSERT_EQ(1, param_bool("power")) TH_LOG("changed by a refused write");
	ASSERT_EQ(0, sys_write(PARAMS "power", "0"));
	/*
	 * A second run of changed_work (queued by the write of 31 while a run for 30 was
	 * reading 31 already) may have recorded 31 again before the switch: the write above
	 * returns only after any notifier call in flight, so what is in the ring now is from
	 * before it, and nothing may follow.
	 */
	ASSERT_LE(0, drain(rfd));
	ASSERT_EQ(0, sys_write(TESTMOD "psy_capacity", "32"));
	ASSERT_TRUE(wait_psy_uevent(sock, "POWER_SUPPLY_CAPACITY=32", 20000))
		TH_LOG("no change uevent for " PSY);
	ASSERT_EQ(0, drain(rfd)) TH_LOG("records after power=0");
	close(rfd);
	close(sock);
	ASSERT_EQ(0, unload("efd_lkm_testmod"));
	finish();
	for (size_t b = 0; b < ARRAY_SIZE(bad); b++) {
		ret = load("efd_lkm.ko", "power=%s", bad[b]);
		if (ret == 0)
			unload("efd_lkm");
		ASSERT_EQ(-EINVAL, ret) TH_LOG("load power=%s: %s", bad[b], err_name(ret));
	}
}

/* ---- kinds: the built-in formats, registered kinds, their end ---- */

struct builtin_kind {
	long long kind;
	const char *name;
	const char *format;
};

/* The contract (kernel/README.md, "Kinds"): the daemon compiles the same table. */
static const struct builtin_kind builtin_kinds[] = {
	{ 1, "ATTACHED", "pid s32 0 4\nfd s32 4 4\n" },
	{ 2, "TRIGGER", "index u32 0 4\nbatch u32 4 4\n" },
	{ 3, "NETDEV", "ifname str 0 16\nifindex u32 16 4\nevent u32 20 4\nflags u32 24 4\n" },
	{ 4, "MODULE", "name str 0 56\nstate u32 56 4\n" },
	{ 5, "TICK", "n u64 0 8\n" },
	{ 6, "INPUT", "device str 0 32\ntype u16 32 2\ncode u16 34 2\nvalue s32 36 4\n" },
	{ 7, "POWER", "name str 0 32\ntype u32 32 4\nonline s32 36 4\nstatus s32 40 4\n"
		      "capacity s32 44 4\nparent str 48 24\n" },
	{ 11, "KIND", "kind u32 0 4\nregistered u32 4 4\nname str 8 64\n" },
};

TEST(kinds_builtin_formats_in_sysfs)
{
	char text[1024], want[128];
	struct dirent *de;
	int entries = 0;
	DIR *d;

	LOAD_EFD(NULL);
	for (size_t i = 0; i < ARRAY_SIZE(builtin_kinds); i++) {
		const struct builtin_kind *b = &builtin_kinds[i];

		snprintf(want, sizeof(want), "%s\n", b->name);
		ASSERT_LT(0, kind_file(b->kind, "name", text, sizeof(text))) TH_LOG("kind %lld", b->kind);
		ASSERT_EQ(0, strcmp(want, text)) TH_LOG("kind %lld name '%s'", b->kind, text);
		ASSERT_LT(0, kind_file(b->kind, "format", text, sizeof(text)));
		ASSERT_EQ(0, strcmp(b->format, text)) TH_LOG("%s format '%s'", b->name, text);
		ASSERT_EQ(1, kind_registered(b->kind)) TH_LOG("%s registered", b->name);
	}
	d = opendir(KINDS);
	ASSERT_TRUE(d) TH_LOG("opendir " KINDS ": %s", strerror(errno));
	while ((de = readdir(d))) {
		bool ok = de->d_name[0] == '.';

		for (size_t i = 0; i < ARRAY_SIZE(builtin_kinds); i++)
			ok = ok || strtoll(de->d_name, NULL, 10) == builtin_kinds[i].kind;
		ASSERT_TRUE(ok) TH_LOG("unexpected kind %s at load", de->d_name);
		entries += de->d_name[0] != '.';
	}
	closedir(d);
	ASSERT_EQ(ARRAY_SIZE(builtin_kinds), entries);
	ASSERT_EQ(-ENOENT, kind_file(8, "name", text, sizeof(text))) TH_LOG("IFADDR is reserved only");
	ASSERT_EQ(0, SYSV("events")) TH_LOG("records at load");
	finish();
}

/*
 * Registers through efd_lkm_testmod's kind_register (printf-style spec "NAME FIELD...",
 * FIELD "name:type:offset:size"): the kind's number, or -errno.
 */
static long long __attribute__((format(printf, 1, 2))) reg_kind(const char *fmt, ...)
{
	char spec[2048];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(spec, sizeof(spec), fmt, ap);
	va_end(ap);
	ret = sys_write(TESTMOD "kind_register", "%s", spec);
	return ret ? ret : sys_read(TESTMOD "kind_register");
}

static int notify_kind(long long kind, int len)
{
	return sys_write(TESTMOD "kind_notify", "%lld %d", kind, len);
}

/* efd_lkm loaded, efd_lkm_testmod loaded, a plain reader open and drained. */
FIXTURE(kinds) {
	int rfd;
};

FIXTURE_SETUP(kinds)
{
	int ret;

	self->rfd = -1;
	LOAD_EFD(NULL);
	ret = load("efd_lkm_testmod.ko", NULL);
	ASSERT_EQ(0, ret) TH_LOG("insmod efd_lkm_testmod.ko: %s", err_name(ret));
	OPEN_READER(self->rfd);
	ASSERT_EQ(0, drain(self->rfd));
}

FIXTURE_TEARDOWN(kinds)
{
	int ret;

	if (self->rfd >= 0)
		close(self->rfd);
	ret = loaded("efd_lkm_testmod") ? unload("efd_lkm_testmod") : 0;
	EXPECT_EQ(0, ret) TH_LOG("rmmod efd_lkm_testmod: %s", err_name(ret));
	ret = loaded("efd_lkm_example") ? unload("efd_lkm_example") : 0;
	EXPECT_EQ(0, ret) TH_LOG("rmmod efd_lkm_example: %s", err_name(ret));
	ret = unload("efd_lkm");
	EXPECT_EQ(0, ret) TH_LOG("rmmod efd_lkm: %s", err_name(ret));
}

/* Every malformed registration is -EINVAL and leaves nothing: no number, no record. */
TEST_F(kinds, register_refuses_bad_names_and_formats)
{
	char name63[64], name64[128], field32[33], field33[128], many[1024];
	char spec[2048];
	struct {
		const char *what;
		const char *spec;
	} bad[] = {
		{ "empty kind name", "- a:3:0:4" },
		{ "upper case in the kind name", "Test.x a:3:0:4" },
		{ "'-' in the kind name", "test-x a:3:0:4" },
		{ "'/' in the kind name", "test/x a:3:0:4" },
		{ "64-byte kind name", name64 },
		{ "no fields", "test.x" },
		{ "33 fields", many },
		{ "empty field name", "test.x -:3:0:4" },
		{ "upper case in a field name", "test.x A:3:0:4" },
		{ "'.' in a field name", "test.x a.b:3:0:4" },
		{ "33-byte field name", field33 },
		{ "a field name twice", "test.x a:3:0:4 a:3:4:4" },
		{ "type 0", "test.x a:0:0:4" },
		{ "type 13", "test.x a:13:0:4" },
		{ "u8 of 2 bytes", "test.x a:1:0:2" },
		{ "u16 of 4 bytes", "test.x a:2:0:4" },
		{ "u32 of 2 bytes", "test.x a:3:0:2" },
		{ "u64 of 4 bytes", "test.x a:4:0:4" },
		{ "s32 of 8 bytes", "test.x a:7:0:8" },
		{ "str of 0 bytes", "test.x a:9:0:0" },
		{ "bytes of 0 bytes", "test.x a:10:0:0" },
		{ "ipv4 of 16 bytes", "test.x a:11:0:16" },
		{ "ipv6 of 4 bytes", "test.x a:12:0:4" },
		{ "u32 ending at 105", "test.x a:3:101:4" },
		{ "bytes of 105", "test.x a:10:0:105" },
		{ "str at 65535", "test.x a:9:65535:1" },
		{ "overlapping u32s", "test.x a:3:0:4 b:3:2:4" },
		{ "a u8 inside bytes", "test.x a:10:0:8 b:1:7:1" },
		{ "overlap with an earlier field", "test.x a:1:0:1 b:3:4:4 c:9:3:2" },
		{ "a built-in kind's name", "netdev a:3:0:4" },
		{ "a reserved name of a source to come", "power a:3:0:4" },
		{ "the KIND kind's name", "kind a:3:0:4" },
	};
	long long ok, again, max;
	int n, len = 0;

	memset(name63, 'a', 63);
	name63[63] = '\0';
	memcpy(name63, "t.0_", 4);
	snprintf(name64, sizeof(name64), "%sb a:3:0:4", name63);
	memset(field32, 'f', 32);
	field32[32] = '\0';
	snprintf(field33, sizeof(field33), "test.x %sg:3:0:4", field32);
	len = snprintf(many, sizeof(many), "test.x");
	for (int i = 0; i < 33; i++)
		len += snprintf(many + len, sizeof(many) - len, " f%d:1:%d:1", i, i);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		long long ret = reg_kind("%s", bad[i].spec);

		ASSERT_EQ(-EINVAL, ret) TH_LOG("%s ('%.80s'): %lld", bad[i].what, bad[i].spec, ret);
	}
	ASSERT_EQ(0, drain(self->rfd)) TH_LOG("records from refused registrations");

	/* The limits themselves are accepted; refused registrations took no number. */
	ok = reg_kind("%s %s:3:100:4", name63, field32);
	ASSERT_EQ(EFD_LKM_KIND_REGISTERED_MIN, ok) TH_LOG("63-byte name, 32-byte field to byte 104");
	len = snprintf(many, sizeof(many), "test.max");
	for (int i = 0; i < 32; i++)
		len += snprintf(many + len, sizeof(many) - len, " f%d:1:%d:1", i, 31 - i);
	max = reg_kind("%s", many);
	ASSERT_EQ(ok + 1, max) TH_LOG("32 fields, in any order");
	again = reg_kind("%s a:3:0:4", name63);
	ASSERT_EQ(-EEXIST, again) TH_LOG("the same name again while registered");
	snprintf(spec, sizeof(spec), "test.max a:3:0:4");
	ASSERT_EQ(-EEXIST, reg_kind("%s", spec)) TH_LOG("test.max again, another format");
	ASSERT_EQ(-ENOENT, kind_file(max + 1, "name", spec, sizeof(spec)))
		TH_LOG("a directory for a refused registration");
	n = drain(self->rfd);
	ASSERT_EQ(2, n) TH_LOG("a KIND record per registration, none for the refused");
	expect_kind_rec(0, ok, 1, name63);
	expect_kind_rec(1, max, 1, "test.max");
}

/*
 * A registered kind's format in sysfs, its KIND records, notify checked against the
 * format, unregistering (the directory stays, registered 0), and a name registered again
 * gets a new number.
 */
TEST_F(kinds, registered_kind_format_records_and_end)
{
	static const char *const format =
		"a u8 0 1\nb u16 2 2\nc u32 4 4\nd u64 8 8\ne s8 16 1\nf s16 18 2\n"
		"g s32 20 4\nh s64 24 8\ni str 32 16\nj bytes 48 5\nk ipv4 56 4\nl ipv6 60 16\n";
	long long kind, again;
	char text[1024];
	int n, pfd;

	kind = reg_kind("test.fmt a:1:0:1 b:2:2:2 c:3:4:4 d:4:8:8 e:5:16:1 f:6:18:2 g:7:20:4 "
			"h:8:24:8 i:9:32:16 j:10:48:5 k:11:56:4 l:12:60:16");
	ASSERT_LE(EFD_LKM_KIND_REGISTERED_MIN, kind) TH_LOG("register: %lld", kind);
	ASSERT_LT(0, kind_file(kind, "name", text, sizeof(text)));
	ASSERT_EQ(0, strcmp("test.fmt\n", text)) TH_LOG("name '%s'", text);
	ASSERT_LT(0, kind_file(kind, "format", text, sizeof(text)));
	ASSERT_EQ(0, strcmp(format, text)) TH_LOG("format '%s'", text);
	ASSERT_EQ(1, kind_registered(kind));

	/* len must be the format's extent, 76; a number never registered is refused. */
	ASSERT_EQ(0, notify_kind(kind, 76));
	ASSERT_EQ(-EINVAL, notify_kind(kind, 75)) TH_LOG("len one short of the format");
	ASSERT_EQ(-EINVAL, notify_kind(kind, 77)) TH_LOG("len one past the format");
	ASSERT_EQ(-EINVAL, notify_kind(kind, 0));
	ASSERT_EQ(-EINVAL, notify_kind(kind + 1, 76)) TH_LOG("a number not given out");
	ASSERT_EQ(-EINVAL, notify_kind(EFD_LKM_KIND_REGISTERED_MIN + 1024, 4));
	ASSERT_EQ(-EINVAL, notify_kind(EFD_LKM_KIND_KIND, 72)) TH_LOG("a built-in kind");
	n = drain(self->rfd);
	ASSERT_EQ(2, n);
	expect_kind_rec(0, kind, 1, "test.fmt");
	ASSERT_EQ(kind, recs[1].kind);
	ASSERT_EQ(76, recs[1].len);
	for (int i = 0; i < 76; i++) {
		ASSERT_EQ(i + 1, recs[1].data[i]) TH_LOG("payload byte %d", i);
	}

	snprintf(text, sizeof(text), KINDS "%lld/registered", kind);
	pfd = open(text, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, pfd) TH_LOG("open %s: %s", text, strerror(errno));
	ASSERT_EQ(1, read_number(pfd));
	ASSERT_EQ(0, sys_write(TESTMOD "kind_unregister", "%lld", kind));
	ASSERT_TRUE(wait_fd(pfd, POLLPRI | POLLERR, 3000)) TH_LOG("no POLLPRI on registered");
	ASSERT_EQ(0, read_number(pfd));
	close(pfd);
	ASSERT_EQ(0, kind_registered(kind)) TH_LOG("registered after unregister");
	ASSERT_LT(0, kind_file(kind, "format", text, sizeof(text))) TH_LOG("the directory went");
	ASSERT_EQ(0, strcmp(format, text)) TH_LOG("format after unregister '%s'", text);
	ASSERT_EQ(-EINVAL, notify_kind(kind, 76)) TH_LOG("notify after unregister");
	ASSERT_EQ(0, sys_write(TESTMOD "kind_unregister", "%lld", kind)) TH_LOG("twice");
	n = drain(self->rfd);
	ASSERT_EQ(1, n) TH_LOG("one KIND record for unregister, none for the second");
	expect_kind_rec(0, kind, 0, "test.fmt");

	/* Registered again, the name gets a new number; the old directory stays at 0. */
	again = reg_kind("test.fmt x:3:0:4");
	ASSERT_LT(kind, again) TH_LOG("re-registered test.fmt: %lld after %lld", again, kind);
	ASSERT_EQ(0, kind_registered(kind));
	ASSERT_EQ(1, kind_registered(again));
	ASSERT_EQ(again, kind_by_name("test.fmt"));
	ASSERT_EQ(-EINVAL, notify_kind(kind, 76)) TH_LOG("the old number");
	ASSERT_EQ(0, notify_kind(again, 4));
	n = drain(self->rfd);
	ASSERT_EQ(2, n);
	expect_kind_rec(0, again, 1, "test.fmt");
	ASSERT_EQ(again, recs[1].kind);
}

/*
 * The owner (efd_lkm_testmod) unloads without unregistering: efd_lkm ends its kinds, after
 * the records already raised, which stay readable with their number.
 */
TEST_F(kinds, unloading_the_owner_unregisters_its_kinds)
{
	long long a, b, kind, other;
	char text[256];
	int n;

	a = reg_kind("test.auto_a n:3:0:4");
	b = reg_kind("test.auto_b v:11:0:4 w:12:4:16");
	ASSERT_LE(EFD_LKM_KIND_REGISTERED_MIN, a);
	ASSERT_EQ(a + 1, b);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, notify_kind(a, 4));
	ASSERT_EQ(0, notify_kind(b, 20));
	ASSERT_EQ(0, unload("efd_lkm_testmod"));
	ASSERT_EQ(0, kind_registered(a)) TH_LOG("test.auto_a after its owner unloaded");
	ASSERT_EQ(0, kind_registered(b));
	ASSERT_LT(0, kind_file(b, "format", text, sizeof(text)));
	ASSERT_EQ(0, strcmp("v ipv4 0 4\nw ipv6 4 16\n", text)) TH_LOG("format '%s'", text);
	n = drain(self->rfd);
	ASSERT_EQ(8, n) TH_LOG("2 KIND, 4 records, 2 KIND");
	expect_kind_rec(0, a, 1, "test.auto_a");
	expect_kind_rec(1, b, 1, "test.auto_b");
	for (int i = 2; i < 5; i++) {
		ASSERT_EQ(a, recs[i].kind) TH_LOG("record %d of the departed kind", i);
		ASSERT_EQ(4, recs[i].len);
	}
	ASSERT_EQ(b, recs[5].kind);
	ASSERT_EQ(20, recs[5].len);
	expect_kind_rec(6, a, 0, "test.auto_a");
	expect_kind_rec(7, b, 0, "test.auto_b");

	/* Loaded again, its old numbers are refused and the names get new ones. */
	ASSERT_EQ(0, load("efd_lkm_testmod.ko", NULL));
	ASSERT_EQ(-EINVAL, notify_kind(a, 4)) TH_LOG("a departed kind's number");
	kind = reg_kind("test.auto_a n:3:0:4");
	ASSERT_EQ(b + 1, kind) TH_LOG("test.auto_a registered again");
	other = kind_by_name("test.auto_b");
	ASSERT_EQ(-1, other) TH_LOG("test.auto_b still registered");
}

/*
 * The owner unloads with the modules source on since load (its notifier registered before
 * the kinds' one): the KIND record still comes before the owner's MODULE GOING record, as
 * it does when the owner's exit unregisters.
 */
TEST(kind_records_come_before_the_owners_module_going)
{
	int rfd, n, unreg, going;
	long long kind;

	LOAD_EFD("modules=1");
	ASSERT_EQ(0, load("efd_lkm_testmod.ko", NULL));
	OPEN_READER(rfd);
	drain(rfd);
	kind = reg_kind("test.order n:3:0:4");
	ASSERT_LE(EFD_LKM_KIND_REGISTERED_MIN, kind);
	ASSERT_EQ(0, unload("efd_lkm_testmod"));
	n = drain(rfd);
	close(rfd);
	unreg = -1;
	for (int i = 0; i < n; i++) {
		if (recs[i].kind == EFD_LKM_KIND_KIND &&
		    !((struct efd_lkm_kind *)recs[i].data)->registered)
			unreg = i;
	}
	going = find_module(n, 0, "efd_lkm_testmod", EFD_LKM_MODULE_GOING);
	ASSERT_TRUE(unreg >= 0 && going > unreg)
		TH_LOG("KIND 0 at %d, MODULE GOING at %d (of %d)", unreg, going, n);
	expect_kind_rec(unreg, kind, 0, "test.order");
	finish();
}

/*
 * A registered kind raised from hard irq (the test module's irq_work, every jiffy) and
 * unregistered while that storm goes on: every record of it comes before its KIND 0 record,
 * none after (unregistering waits for the records in flight before it announces the end).
 */
TEST_F_TIMEOUT(kinds, registered_kind_from_hard_irq_none_after_its_end, 60)
{
	for (int round = 0; round < 3; round++) {
		long long kind = reg_kind("test.irq n:3:0:4 in_hardirq:3:4:4 signal_denied:3:8:4");
		int n, end = -1, seen = 0;

		ASSERT_LE(EFD_LKM_KIND_REGISTERED_MIN, kind) TH_LOG("round %d", round);
		ASSERT_EQ(0, sys_write(TESTMOD "irq_kind", "%lld", kind));
		ASSERT_EQ(0, sys_write(TESTMOD "hardirq", "5"));
		ASSERT_EQ(0, sys_write(TESTMOD "storm", "4"));
		n = read_until(self->rfd, kind, 40, 5000);
		for (int i = 0; i < n; i++) {
			if (recs[i].kind != kind)
				continue;
			seen++;
			ASSERT_EQ(12, recs[i].len);
			ASSERT_EQ(1, ((struct testmod_event *)recs[i].data)->in_hardirq)
				TH_LOG("round %d record %d", round, i);
		}
		ASSERT_LE(40, seen) TH_LOG("round %d: records of the kind from hard irq", round);
		/* Unregister under the storm, then let it try on until it is stopped. */
		ASSERT_EQ(0, sys_write(TESTMOD "kind_unregister", "%lld", kind));
		n = read_until(self->rfd, EFD_LKM_KIND_KIND, 1, 5000);
		for (int i = 0; i < n && end < 0; i++) {
			if (recs[i].kind == EFD_LKM_KIND_KIND)
				end = i;
		}
		ASSERT_LE(0, end) TH_LOG("round %d: no KIND record after unregister", round);
		expect_kind_rec(end, kind, 0, "test.irq");
		for (int i = end + 1; i < n; i++) {
			ASSERT_NE(kind, recs[i].kind) TH_LOG("round %d: a record after KIND 0", round);
		}
		ASSERT_EQ(0, sys_write(TESTMOD "storm", "0"));
		n = drain(self->rfd);
		for (int i = 0; i < n; i++) {
			ASSERT_NE(kind, recs[i].kind) TH_LOG("round %d: a record after KIND 0", round);
		}
	}
	ASSERT_EQ(0, sys_write(TESTMOD "irq_kind", "0"));
}

/*
 * 1024 registrations per load, then -ENOSPC; a number freed by unregistering is not handed
 * out again, and the owner's unload ends the 1023 left with one grace period.
 */
TEST_F_TIMEOUT(kinds, registrations_past_1024_refused_numbers_never_reused, 120)
{
	long long kind;
	int n;

	for (int i = 0; i < 1024; i++) {
		kind = reg_kind("test.n%d n:3:0:4", i);
		ASSERT_EQ(EFD_LKM_KIND_REGISTERED_MIN + i, kind) TH_LOG("registration %d", i);
	}
	ASSERT_EQ(-ENOSPC, reg_kind("test.more n:3:0:4")) TH_LOG("the 1025th registration");
	ASSERT_EQ(0, sys_write(TESTMOD "kind_unregister", "%d", EFD_LKM_KIND_REGISTERED_MIN));
	ASSERT_EQ(0, kind_registered(EFD_LKM_KIND_REGISTERED_MIN));
	ASSERT_EQ(-ENOSPC, reg_kind("test.n0 n:3:0:4")) TH_LOG("a freed number handed out again");
	n = drain(self->rfd);
	ASSERT_EQ(1025, n) TH_LOG("KIND records: 1024 registered, 1 unregistered");
	expect_kind_rec(1024, EFD_LKM_KIND_REGISTERED_MIN, 0, "test.n0");
	ASSERT_EQ(0, unload("efd_lkm_testmod"));
	n = drain(self->rfd);
	ASSERT_EQ(1023, n) TH_LOG("KIND 0 records at the owner's unload");
	for (int i = 0; i < n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "test.n%d", i + 1);
		expect_kind_rec(i, EFD_LKM_KIND_REGISTERED_MIN + 1 + i, 0, name);
	}
	ASSERT_EQ(0, kind_registered(EFD_LKM_KIND_REGISTERED_MIN + 1023));
}

/* An owner whose init fails after registering: efd_lkm ends the kind all the same. */
TEST_F(kinds, owner_failing_its_init_unregisters_its_kind)
{
	long long kind;
	char text[256];
	int ret, n;

	ASSERT_EQ(0, unload("efd_lkm_testmod"));
	ret = load("efd_lkm_testmod.ko", "fail_init=1");
	ASSERT_EQ(-ECANCELED, ret) TH_LOG("insmod fail_init=1: %s", err_name(ret));
	ASSERT_FALSE(loaded("efd_lkm_testmod"));
	n = drain(self->rfd);
	ASSERT_EQ(2, n) TH_LOG("KIND 1, KIND 0");
	kind = ((struct efd_lkm_kind *)recs[0].data)->kind;
	expect_kind_rec(0, kind, 1, "testmod.init");
	expect_kind_rec(1, kind, 0, "testmod.init");
	ASSERT_EQ(0, kind_registered(kind));
	ASSERT_LT(0, kind_file(kind, "format", text, sizeof(text)));
	ASSERT_EQ(0, strcmp("n u32 0 4\n", text)) TH_LOG("format '%s'", text);
	ASSERT_EQ(-1, kind_by_name("testmod.init"));
}

/* Unregistering a number the caller does not own, or not registered: nothing happens. */
TEST_F(kinds, unregister_of_a_kind_not_its_own_changes_nothing)
{
	long long kind;
	int n;

	ASSERT_EQ(0, load("efd_lkm_example.ko", NULL));
	kind = kind_by_name("example.event");
	ASSERT_LE(EFD_LKM_KIND_REGISTERED_MIN, kind);
	drain(self->rfd);
	ASSERT_EQ(0, sys_write(TESTMOD "kind_unregister", "%lld", kind));
	ASSERT_EQ(0, sys_write(TESTMOD "kind_unregister", "%lld", kind + 100));
	ASSERT_EQ(0, sys_write(TESTMOD "kind_unregister", "%d", EFD_LKM_KIND_TICK));
	ASSERT_EQ(0, sys_write(TESTMOD "kind_unregister", "-22"));
	ASSERT_EQ(1, kind_registered(kind)) TH_LOG("another module unregistered example.event");
	ASSERT_EQ(1, kind_registered(EFD_LKM_KIND_TICK));
	/* Any module may raise a registered kind: numbers are not reused, so it cannot be stale. */
	ASSERT_EQ(0, notify_kind(kind, 24));
	ASSERT_EQ(0, sys_write(EXAMPLE "fire", "1"));
	n = drain(self->rfd);
	ASSERT_EQ(2, n) TH_LOG("no KIND record from refused unregisters");
	ASSERT_EQ(kind, recs[0].kind);
	ASSERT_EQ(kind, recs[1].kind);
	ASSERT_EQ(0, unload("efd_lkm_example"));
	ASSERT_EQ(0, kind_registered(kind));
}

TEST(tick_ms)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), rfd, n, ticks = 0;

	LOAD_EFD("pid=%d efd=%d tick_ms=20", getpid(), efd);
	OPEN_READER(rfd);
	n = read_until(rfd, EFD_LKM_KIND_TICK, 3, 5000);
	for (int i = 0; i < n; i++) {
		if (recs[i].kind != EFD_LKM_KIND_TICK)
			continue;
		ASSERT_EQ(ticks + 1, ((struct efd_lkm_tick *)recs[i].data)->n)
			TH_LOG("tick %d", ticks);
		ticks++;
	}
	ASSERT_LE(3, ticks) TH_LOG("ticks within 5 s at 20 ms");
	ASSERT_LE(ticks, efd_take(efd)) TH_LOG("eventfd counter: a signal per tick (softirq)");
	ASSERT_EQ(0, sys_write(PARAMS "tick_ms", "0"));
	drain(rfd);
	/* Nothing may arrive after switching off: wait for it for 10 periods. */
	ASSERT_EQ(0, wait_fd(rfd, POLLIN, 200)) TH_LOG("a record after tick_ms=0");
	close(rfd);
	finish();
}

/* Reads the eventfd's counter until it has added up to @want, at most @ms. */
static long long efd_collect(int efd, long long want, int ms)
{
	int64_t end = now_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
	long long sum = 0, v;

	while ((v = efd_take(efd)) >= 0) {
		sum += v;
		ms = (end - now_ns(CLOCK_MONOTONIC)) / 1000000;
		if (sum >= want || ms <= 0 || (!v && !wait_fd(efd, POLLIN, ms)))
			break;
	}
	return v < 0 ? v : sum;
}

/*
 * efd_lkm_notify() from inside another eventfd's wake-up: eventfd_signal() is not allowed
 * there (it would WARN), so the doorbell must arrive through the irq_work.
 */
TEST(notify_in_eventfd_wakeup_deferred)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), other = eventfd(0, EFD_CLOEXEC);
	uint64_t one = 1;
	int rfd, n;

	LOAD_EFD("pid=%d efd=%d", getpid(), efd);
	efd_take(efd);
	ASSERT_EQ(0, load("efd_lkm_testmod.ko", NULL));
	ASSERT_EQ(0, sys_write(TESTMOD "watch_efd", "%d", other));
	OPEN_READER(rfd);
	drain(rfd);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(sizeof(one), write(other, &one, sizeof(one)));
	ASSERT_EQ(3, efd_collect(efd, 3, 5000)) TH_LOG("deferred doorbells");
	n = drain(rfd);
	close(rfd);
	ASSERT_EQ(3, n);
	for (int i = 0; i < 3; i++) {
		struct testmod_event *e = (void *)recs[i].data;

		ASSERT_EQ(0x1001, recs[i].kind) TH_LOG("record %d", i);
		ASSERT_EQ(i + 1, e->n) TH_LOG("record %d", i);
		ASSERT_EQ(1, e->signal_denied) TH_LOG("record %d", i);
	}
	ASSERT_EQ(0, unload("efd_lkm_testmod"));
	finish();
}

TEST(notify_from_hardirq)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), rfd, n;

	LOAD_EFD("pid=%d efd=%d", getpid(), efd);
	efd_take(efd);
	ASSERT_EQ(0, load("efd_lkm_testmod.ko", NULL));
	OPEN_READER(rfd);
	drain(rfd);
	ASSERT_EQ(0, sys_write(TESTMOD "hardirq", "5"));
	n = drain(rfd);
	close(rfd);
	ASSERT_EQ(5, n);
	for (int i = 0; i < 5; i++) {
		struct testmod_event *e = (void *)recs[i].data;

		ASSERT_EQ(0x1002, recs[i].kind) TH_LOG("record %d", i);
		ASSERT_EQ(i + 1, e->n) TH_LOG("record %d", i);
		ASSERT_EQ(1, e->in_hardirq) TH_LOG("record %d", i);
	}
	ASSERT_EQ(5, efd_collect(efd, 5, 5000));
	ASSERT_EQ(0, unload("efd_lkm_testmod"));
	finish();
}

/* Attach, detach and trigger race each other; nothing may oops, leak or deadlock. */
TEST_TIMEOUT(reattach_race, 120)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), i;
	struct peer p = { 0 };
	pid_t trig;

	LOAD_EFD("tick_ms=1 netdev=1 modules=1");
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
	ASSERT_EQ(60, i) TH_LOG("peer failed");
	ASSERT_TRUE(wait_attached(-1, 3000)) TH_LOG("still attached to an exited peer");
	finish();
}

TEST(unload_in_every_state)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), rfd, ret;
	struct peer p = { 0 };

	/* attached, every source on, records unread */
	LOAD_EFD("pid=%d efd=%d netdev=1 modules=1 tick_ms=5", getpid(), efd);
	sys_write(SYS "trigger", "100");
	ASSERT_EQ(0, unload("efd_lkm")) TH_LOG("rmmod attached with sources on");

	/* attached to a process that has exited meanwhile (before the HUP work ran) */
	ASSERT_EQ(0, peer_start(&p, 0));
	ret = load("efd_lkm.ko", "pid=%d efd=%d", p.pid, p.efd);
	peer_stop(&p);
	ASSERT_EQ(0, ret) TH_LOG("insmod on peer: %s", err_name(ret));
	ASSERT_EQ(0, unload("efd_lkm")) TH_LOG("rmmod after the target exited");

	/* detached after attach; reader opened and closed */
	LOAD_EFD("pid=%d efd=%d", getpid(), efd);
	OPEN_READER(rfd);
	close(rfd);
	ASSERT_EQ(0, sys_write(SYS "detach", "1"));
	ASSERT_EQ(0, unload("efd_lkm")) TH_LOG("rmmod detached");

	/* the eventfd closed by us while attached, then immediate unload */
	LOAD_EFD("pid=%d efd=%d", getpid(), efd);
	close(efd);
	finish();
}

/* ---- stress: every context at once, racing attach, detach, read, commit and unload ---- */

enum { STRESS_TRIGGER, STRESS_ATTACH, STRESS_READ, STRESS_HARDIRQ, STRESS_STATS, STRESS_N };

static void stress_child(int role, int64_t deadline)
{
	unsigned int rnd = getpid();
	int rfd, efd;

	while (now_ns(CLOCK_MONOTONIC) < deadline) {
		rnd = rnd * 1103515245 + 12345;
		switch (role) {
		case STRESS_TRIGGER:
			sys_write(SYS "trigger", "%u", 1 + (rnd >> 16) % 64);
			break;
		case STRESS_ATTACH:
			efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
			sys_write(SYS "attach", "%d %d", getpid(), efd);
			efd_take(efd);
			if (rnd & 0x10000)
				sys_write(SYS "detach", "1");
			close(efd);	/* EPOLLHUP: auto-detach, if still attached */
			break;
		case STRESS_READ:
			rfd = reader_open_rw();
			if (rfd < 0)
				break;
			if (rnd & 0x10000)
				commit(rfd, 0);
			for (int i = 0; i < 4; i++) {
				ssize_t got = read(rfd, recs, 16 * sizeof(recs[0]));

				if (got >= (ssize_t)sizeof(recs[0]) && (rnd & 0x20000))
					commit(rfd, recs[got / sizeof(recs[0]) / 2].seq);
			}
			close(rfd);
			break;
		case STRESS_HARDIRQ:
			sys_write(TESTMOD "hardirq", "%u", 1 + (rnd >> 16) % 32);
			break;
		case STRESS_STATS:
			SYSV("committed");
			SYSV("dropped_inflight");
			SYSV("attached_pid");
			sys_write(PARAMS "tick_ms", "%u", (rnd >> 16) % 3);
			break;
		}
	}
	_exit(0);
}

/* A round: sources in softirq (tick), hard irq (storm, hardirq) and process context. */
static void stress_round(int64_t ms)
{
	int64_t start = now_ns(CLOCK_MONOTONIC), deadline = start + ms * 1000000LL;
	pid_t kids[STRESS_N];
	int status, ret;

	LOAD_EFD("tick_ms=1 ring_size=64");
	ASSERT_EQ(0, load("efd_lkm_testmod.ko", NULL));
	ASSERT_EQ(0, sys_write(TESTMOD "storm", "4"));
	for (int i = 0; i < STRESS_N; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			stress_child(i, deadline + ms * 1000000LL / 2);
	}
	/* The hard-irq sources switch on and off under the others. */
	for (int i = 0; now_ns(CLOCK_MONOTONIC) < deadline; i++)
		sys_write(TESTMOD "storm", "%d", i % 4);
	ASSERT_EQ(0, unload("efd_lkm_testmod")) TH_LOG("rmmod efd_lkm_testmod");
	/* Unload races the children's opens, attaches and triggers until it succeeds. */
	do {
		ret = unload("efd_lkm");
	} while (ret == -EWOULDBLOCK || ret == -EAGAIN);
	ASSERT_EQ(0, ret) TH_LOG("rmmod efd_lkm under load: %s", err_name(ret));
	for (int i = 0; i < STRESS_N; i++) {
		ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
		ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("stress child %d: status %#x", i, status);
	}
}

/* Run with -smp 4 (tests/kernel/run.sh); the dmesg scan afterwards is the verdict. */
TEST_TIMEOUT(stress_every_context_racing_unload, 120)
{
	for (int round = 0; round < 3; round++)
		stress_round(1500);
}

/* ---- the module path, measured: ABI 1 behaviour against an opted-in reader ---- */

#define BENCH_BURST	100
#define BENCH_ROUNDS	101
/*
 * The gate: an opted-in reader's module path is never slower than ABI 1's. The target in the
 * project's design is 2x; under TCG the measured ratio of the fastest bursts is 1.2x-2.2x
 * (kernel/README.md, "The module-path benchmark"), so 2x is printed as a target, not enforced.
 * Set BENCH_GATE to BENCH_TARGET to enforce it.
 */
#define BENCH_GATE	1.0
#define BENCH_TARGET	2.0

struct bench_reader {
	int efd, rfd, ready, done;
	bool acked;
	long long goal;		/* total records that end the burst */
	int64_t done_ns;
	int wakeups, reads;
};

/* The daemon's loop: wait on the eventfd, read it, read the device until a short read. */
static void *bench_reader_thread(void *arg)
{
	struct bench_reader *b = arg;
	struct efd_lkm_event buf[64];
	uint64_t one = 1, seq = 0;
	long long total = 0;

	pin_to_cpu(pthread_self(), 1);
	if (write(b->ready, &one, sizeof(one)) != sizeof(one))
		return NULL;
	while (total < b->goal) {
		ssize_t got;

		if (!wait_fd(b->efd, POLLIN, 10000))
			return NULL;
		b->wakeups++;
		efd_take(b->efd);
		do {
			got = read(b->rfd, buf, sizeof(buf));
			b->reads++;
			if (got > 0) {
				total += got / sizeof(buf[0]);
				seq = buf[got / sizeof(buf[0]) - 1].seq;
			}
		} while (got == sizeof(buf));
		if (b->acked && seq)
			commit(b->rfd, seq);
	}
	b->done_ns = now_ns(CLOCK_MONOTONIC);
	if (write(b->done, &one, sizeof(one)) != sizeof(one))
		return NULL;
	return NULL;
}

struct bench_result {
	int64_t write_ns[BENCH_ROUNDS];	/* the trigger write: the module path */
	int64_t e2e_ns[BENCH_ROUNDS];	/* until the reader holds the burst */
	long long signals;
	int wakeups, reads;
};

/*
 * One burst: the reader waits on the eventfd, the writer triggers 100 records in one write()
 * (timed alone: the file is open already), the reader reads them all.
 */
static void bench_burst(int efd, bool acked, struct bench_result *res, int round)
{
	struct bench_reader b = { .efd = efd, .acked = acked, .goal = BENCH_BURST };
	char text[16];
	int64_t t0, t1;
	long long s0;
	pthread_t th;
	int n, tfd;

	OPEN_RW(b.rfd);
	if (acked)
		ASSERT_EQ(0, commit(b.rfd, 0));
	n = drain(b.rfd);	/* what the last burst's reader left: ATTACHED at first */
	if (acked && n > 0)
		ASSERT_EQ(0, commit(b.rfd, recs[n - 1].seq));
	efd_take(efd);
	b.ready = eventfd(0, EFD_CLOEXEC);
	b.done = eventfd(0, EFD_CLOEXEC);
	tfd = open(SYS "trigger", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, tfd);
	n = snprintf(text, sizeof(text), "%d", BENCH_BURST);
	ASSERT_EQ(0, pthread_create(&th, NULL, bench_reader_thread, &b));
	ASSERT_TRUE(wait_fd(b.ready, POLLIN, 5000));
	s0 = SYSV("signals");
	t0 = now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(n, write(tfd, text, n));
	t1 = now_ns(CLOCK_MONOTONIC);
	ASSERT_TRUE(wait_fd(b.done, POLLIN, 10000)) TH_LOG("the reader did not get the burst");
	pthread_join(th, NULL);
	res->write_ns[round] = t1 - t0;
	res->e2e_ns[round] = b.done_ns - t0;
	res->signals += SYSV("signals") - s0;
	res->wakeups += b.wakeups;
	res->reads += b.reads;
	close(tfd);
	close(b.ready);
	close(b.done);
	close(b.rfd);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int64_t median(int64_t *v)
{
	qsort(v, BENCH_ROUNDS, sizeof(v[0]), cmp_i64);
	return v[BENCH_ROUNDS / 2];
}

/* Prints a reader's figures; returns its records/s over the fastest burst. */
static double bench_report(const char *mode, struct bench_result *r)
{
	int64_t w = median(r->write_ns), e = median(r->e2e_ns);
	double best = BENCH_BURST * 1e9 / r->write_ns[0];

	printf("# EFD-BENCH %s records_per_s=%.0f median_records_per_s=%.0f signals_per_record=%.3f write_min_us=%.1f write_median_us=%.1f delivered_median_us=%.0f wakeups_per_burst=%.1f\n",
	       mode, best, BENCH_BURST * 1e9 / w,
	       (double)r->signals / (BENCH_BURST * BENCH_ROUNDS), r->write_ns[0] / 1e3, w / 1e3,
	       e / 1e3, (double)r->wakeups / BENCH_ROUNDS);
	return best;
}

TEST_TIMEOUT(bench_module_path, 120)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	struct bench_result plain = { 0 }, acked = { 0 };
	double r1, r2;

	LOAD_EFD("pid=%d efd=%d", getpid(), efd);
	ASSERT_EQ(0, pin_to_cpu(pthread_self(), 0));
	/* Interleaved, so that drift in the host's load touches both alike. */
	for (int i = 0; i < BENCH_ROUNDS; i++) {
		bench_burst(efd, false, &plain, i);
		bench_burst(efd, true, &acked, i);
	}
	r1 = bench_report("abi1", &plain);
	r2 = bench_report("abi2", &acked);
	printf("# EFD-BENCH ratio=%.2f median_ratio=%.2f bursts=%d burst=%d\n", r2 / r1,
	       (double)median(plain.write_ns) / median(acked.write_ns), BENCH_ROUNDS, BENCH_BURST);
	printf("# EFD-BENCH target %.0fx %s: opted-in %.2fx ABI 1\n", BENCH_TARGET,
	       r2 >= BENCH_TARGET * r1 ? "met" : "not met", r2 / r1);
	ASSERT_TRUE(r2 >= BENCH_GATE * r1)
		TH_LOG("records/s: opted-in %.0f, ABI 1 %.0f: %.2fx, the gate is %.1fx",
		       r2, r1, r2 / r1, BENCH_GATE);
	finish();
}

/* Runs in the harness's process after every case: nothing may stay loaded. */
static void unload_all(void)
{
	unload("efd_lkm_testmod");
	unload("efd_lkm_example");
	if (loaded("efd_lkm")) {
		efd_test_fail("efd_lkm still loaded after the case");
		unload("efd_lkm");
	}
	unload("dummy");
	unload("uinput");
	unload("button");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR [CASE...] | --list\n", argv[0]);
		return 2;
	}
	if (strcmp(argv[1], "--list")) {
		dir = argv[1];
		if (geteuid() != 0) {
			printf("Bail out! efd_tests loads modules: run it as root\n");
			return 1;
		}
		unload("efd_lkm_testmod");
		unload("efd_lkm_example");
		unload("efd_lkm");
		unload("dummy");
		unload("uinput");
		unload("button");
	}
	return efd_test_main(argc, argv, 2, unload_all);
}
