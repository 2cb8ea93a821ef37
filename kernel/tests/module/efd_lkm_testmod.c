// SPDX-License-Identifier: GPL-2.0-only
/*
 * efd_lkm_testmod: calls efd_lkm_notify() from the contexts user space cannot reach by
 * itself, for the VM tests: a hard interrupt (irq_work), and inside another eventfd's
 * wake-up, where eventfd_signal() would WARN and efd_lkm must defer its doorbell.
 * Test-only; never packaged.
 *
 *   /sys/module/efd_lkm_testmod/parameters/watch_efd  write FD: hook the writer's eventfd FD;
 *                                                     each write to it emits one 0x1001 record
 *   /sys/module/efd_lkm_testmod/parameters/hardirq    write N: emit N 0x1002 records from
 *                                                     hard interrupt context
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/irq_work.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include <efd_lkm.h>

#define TESTMOD_KIND_WAKEUP	0x1001
#define TESTMOD_KIND_HARDIRQ	0x1002
#define TESTMOD_HARDIRQ_MAX	1024

/* Payload of both kinds: where the call came from. */
struct testmod_event {
	__u32 n;
	__u32 in_hardirq;
	__u32 signal_denied;	/* !eventfd_signal_allowed() at the call */
};

struct testmod_watch {
	struct eventfd_ctx *ctx;
	wait_queue_head_t *wqh;
	wait_queue_entry_t wait;
	poll_table pt;
	atomic_t n;
};

static DEFINE_MUTEX(testmod_mutex);
static struct testmod_watch *testmod_watch;

static void testmod_emit(u32 kind, u32 n)
{
	struct testmod_event ev = {
		.n = n,
		.in_hardirq = !!in_hardirq(),
		.signal_denied = !eventfd_signal_allowed(),
	};

	efd_lkm_notify(kind, &ev, sizeof(ev));
}

/* Runs under the watched eventfd's wqh.lock, with current->in_eventfd set by the writer. */
static int testmod_wake(wait_queue_entry_t *wait, unsigned int mode, int sync, void *key)
{
	struct testmod_watch *w = container_of(wait, struct testmod_watch, wait);

	if (key_to_poll(key) & EPOLLIN)
		testmod_emit(TESTMOD_KIND_WAKEUP, atomic_inc_return(&w->n));
	return 0;
}

static void testmod_queue(struct file *file, wait_queue_head_t *wqh, poll_table *pt)
{
	struct testmod_watch *w = container_of(pt, struct testmod_watch, pt);

	w->wqh = wqh;
	add_wait_queue(wqh, &w->wait);
}

static void testmod_unwatch(void)
{
	struct testmod_watch *w = testmod_watch;

	lockdep_assert_held(&testmod_mutex);
	if (!w)
		return;
	testmod_watch = NULL;
	remove_wait_queue(w->wqh, &w->wait);
	eventfd_ctx_put(w->ctx);
	kfree(w);
}

static int testmod_set_watch(const char *val, const struct kernel_param *kp)
{
	struct testmod_watch *w;
	struct file *file;
	int fd, ret;

	ret = kstrtoint(val, 0, &fd);
	if (ret)
		return ret;
	file = fget(fd);	/* the writer's own fd table */
	if (!file)
		return -EBADF;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w) {
		fput(file);
		return -ENOMEM;
	}
	w->ctx = eventfd_ctx_fileget(file);
	if (IS_ERR(w->ctx)) {
		ret = PTR_ERR(w->ctx);
		kfree(w);
		fput(file);
		return ret;
	}
	init_waitqueue_func_entry(&w->wait, testmod_wake);
	init_poll_funcptr(&w->pt, testmod_queue);
	mutex_lock(&testmod_mutex);
	testmod_unwatch();
	vfs_poll(file, &w->pt);
	testmod_watch = w;
	mutex_unlock(&testmod_mutex);
	fput(file);
	return 0;
}

static const struct kernel_param_ops testmod_watch_ops = {
	.set = testmod_set_watch,
};

module_param_cb(watch_efd, &testmod_watch_ops, NULL, 0200);

static atomic_t testmod_hard_pending = ATOMIC_INIT(0);
static atomic_t testmod_hard_n = ATOMIC_INIT(0);

static void testmod_hardirq(struct irq_work *work)
{
	int i = atomic_xchg(&testmod_hard_pending, 0);

	while (i-- > 0)
		testmod_emit(TESTMOD_KIND_HARDIRQ, atomic_inc_return(&testmod_hard_n));
}

static struct irq_work testmod_hard_work = IRQ_WORK_INIT_HARD(testmod_hardirq);

static int testmod_set_hardirq(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	if (n < 1 || n > TESTMOD_HARDIRQ_MAX)
		return -EINVAL;
	atomic_add(n, &testmod_hard_pending);
	irq_work_queue(&testmod_hard_work);
	irq_work_sync(&testmod_hard_work);
	return 0;
}

static const struct kernel_param_ops testmod_hardirq_ops = {
	.set = testmod_set_hardirq,
};

module_param_cb(hardirq, &testmod_hardirq_ops, NULL, 0200);

static int __init testmod_init(void)
{
	return 0;
}

static void __exit testmod_exit(void)
{
	mutex_lock(&testmod_mutex);
	testmod_unwatch();
	mutex_unlock(&testmod_mutex);
	irq_work_sync(&testmod_hard_work);
}

module_init(testmod_init);
module_exit(testmod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("efd_lkm test helper: notify from hard irq and eventfd wake-up context");
