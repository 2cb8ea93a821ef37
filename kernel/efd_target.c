// SPDX-License-Identifier: GPL-2.0-only
/*
 * efd_lkm's attached eventfd and its doorbell (kernel/README.md, "The doorbell").
 *
 * The process names its eventfd with pid= and efd= at load (the classic eventfd demo
 * interface) or later through /sys/kernel/efd_lkm/attach. The module learns that the process
 * closed the eventfd (or exited) from EPOLLHUP on the eventfd's wait queue, and detaches by
 * itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/eventfd.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/irq_work.h>
#include <linux/irqflags.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "efd_compat.h"
#include "efd_internal.h"

/* Deferred signals sent per irq_work run: a burst is spread over several interrupts. */
#define EFD_SIGNAL_BATCH	64

/*
 * One attached eventfd. The wait entry sits on the eventfd's wait queue so that
 * efd_target_wake() sees EPOLLHUP when the last reference to the eventfd file goes away.
 * Our own ctx reference keeps @wqh (inside the ctx) valid until efd_target_free_rcu().
 */
struct efd_target {
	struct eventfd_ctx *ctx;
	wait_queue_head_t *wqh;
	wait_queue_entry_t wait;
	poll_table pt;
	struct rcu_head rcu;
	bool hup;
	pid_t pid;
	int fd;
};

/*
 * efd_attach_mutex serialises every change of target (attach, detach, the HUP work, unload).
 * The doorbell reads the pointer under RCU and takes no lock of ours, so it may run in any
 * context, and a target is freed only after a grace period.
 */
static DEFINE_MUTEX(efd_attach_mutex);
static struct efd_target __rcu *efd_target;
static atomic64_t efd_signal_count = ATOMIC64_INIT(0);

static void efd_hup_workfn(struct work_struct *work);
static DECLARE_WORK(efd_hup_work, efd_hup_workfn);

static void efd_signal_deferred(struct irq_work *work);
static struct irq_work efd_signal_work = IRQ_WORK_INIT(efd_signal_deferred);
static atomic_t efd_signals_pending = ATOMIC_INIT(0);

static void efd_signal(unsigned int n)
{
	struct efd_target *t;

	rcu_read_lock();
	t = rcu_dereference(efd_target);
	if (t) {
		atomic64_add(n, &efd_signal_count);
		while (n--)
			efd_eventfd_signal(t->ctx);
	}
	rcu_read_unlock();
}

static void efd_signal_deferred(struct irq_work *work)
{
	int n = atomic_xchg(&efd_signals_pending, 0);

	if (n > EFD_SIGNAL_BATCH) {
		atomic_add(n - EFD_SIGNAL_BATCH, &efd_signals_pending);
		n = EFD_SIGNAL_BATCH;
		irq_work_queue(work);
	}
	efd_signal(n);
}

/*
 * With IRQs off we may be inside a wait-queue callback, and eventfd_signal() would take
 * that queue's lock: the attached eventfd's own EPOLLHUP wake-up (eventfd_release() holds
 * wqh.lock and does not set in_eventfd) would deadlock. Inside another eventfd's wake-up
 * eventfd_signal() WARNs. Both defer to the irq_work, which runs once IRQs are on again.
 */
void efd_doorbell(void)
{
	if (irqs_disabled() || !eventfd_signal_allowed()) {
		atomic_inc(&efd_signals_pending);
		irq_work_queue(&efd_signal_work);
		return;
	}
	efd_signal(1);
}

u64 efd_signals(void)
{
	return atomic64_read(&efd_signal_count);
}

/*
 * Runs under the eventfd's wqh.lock on every wake-up of that eventfd, our own signals
 * included: take no efd_lkm lock, never touch the counter (user space reads it), and leave
 * the detach to process context.
 */
static int efd_target_wake(wait_queue_entry_t *wait, unsigned int mode, int sync, void *key)
{
	struct efd_target *t = container_of(wait, struct efd_target, wait);

	if (key_to_poll(key) & EPOLLHUP) {
		WRITE_ONCE(t->hup, true);
		schedule_work(&efd_hup_work);
	}
	return 0;
}

static void efd_target_queue(struct file *file, wait_queue_head_t *wqh, poll_table *pt)
{
	struct efd_target *t = container_of(pt, struct efd_target, pt);

	t->wqh = wqh;
	add_wait_queue(wqh, &t->wait);
}

static void efd_target_free_rcu(struct rcu_head *rcu)
{
	struct efd_target *t = container_of(rcu, struct efd_target, rcu);

	eventfd_ctx_put(t->ctx);
	kfree(t);
}

/*
 * Another process's file at @fd, with a reference. task_lock() pins task->files against
 * exit_files(); the table's own reference keeps the file alive while file_lock is held.
 */
static struct file *efd_fget_task(pid_t nr, int fd)
{
	struct files_struct *files;
	struct task_struct *task;
	struct file *file = NULL;
	struct pid *pid;

	pid = find_get_pid(nr);
	if (!pid)
		return ERR_PTR(-ESRCH);
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return ERR_PTR(-ESRCH);

	task_lock(task);
	files = task->files;	/* NULL for kernel threads and exiting tasks */
	if (files) {
		spin_lock(&files->file_lock);
		file = files_lookup_fd_locked(files, fd);
		if (file)
			get_file(file);
		spin_unlock(&files->file_lock);
	}
	task_unlock(task);
	put_task_struct(task);

	return file ? file : ERR_PTR(-EBADF);
}

static struct efd_target *efd_target_get(pid_t pid, int fd)
{
	struct efd_target *t;
	struct file *file;
	int ret;

	file = efd_fget_task(pid, fd);
	if (IS_ERR(file))
		return ERR_CAST(file);

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t) {
		ret = -ENOMEM;
		goto err_file;
	}
	t->ctx = eventfd_ctx_fileget(file);
	if (IS_ERR(t->ctx)) {
		ret = PTR_ERR(t->ctx);	/* not an eventfd: -EINVAL */
		goto err_free;
	}
	t->pid = pid;
	t->fd = fd;
	init_waitqueue_func_entry(&t->wait, efd_target_wake);
	init_poll_funcptr(&t->pt, efd_target_queue);
	vfs_poll(file, &t->pt);
	if (!t->wqh) {
		ret = -EINVAL;
		goto err_ctx;
	}
	fput(file);
	return t;

err_ctx:
	eventfd_ctx_put(t->ctx);
err_free:
	kfree(t);
err_file:
	fput(file);
	return ERR_PTR(ret);
}

/*
 * Swaps in @t (NULL: detach) and retires the previous target: off the wait queue now (no
 * more callbacks), its ctx put after a grace period (a doorbell may still be signalling it).
 */
static void efd_target_replace(struct efd_target *t)
{
	struct efd_target *old;

	lockdep_assert_held(&efd_attach_mutex);
	old = rcu_replace_pointer(efd_target, t, lockdep_is_held(&efd_attach_mutex));
	if (old) {
		/* Not eventfd_ctx_remove_wait_queue(): it resets the counter user space owns. */
		remove_wait_queue(old->wqh, &old->wait);
		call_rcu(&old->rcu, efd_target_free_rcu);
	}
	efd_sysfs_target_changed();
}

int efd_attach(pid_t pid, int fd)
{
	struct efd_lkm_attached rec = { .pid = pid, .fd = fd };
	struct efd_target *t;

	if (pid <= 0 || fd < 0)
		return -EINVAL;

	mutex_lock(&efd_attach_mutex);
	t = efd_target_get(pid, fd);
	if (IS_ERR(t)) {
		mutex_unlock(&efd_attach_mutex);
		return PTR_ERR(t);
	}
	efd_target_replace(t);
	/* Always signals: the new target learns of the records already in the ring. */
	efd_emit(EFD_LKM_KIND_ATTACHED, &rec, sizeof(rec), true);
	mutex_unlock(&efd_attach_mutex);
	pr_info("attached to pid %d fd %d\n", pid, fd);
	return 0;
}

void efd_detach(void)
{
	mutex_lock(&efd_attach_mutex);
	efd_target_replace(NULL);
	mutex_unlock(&efd_attach_mutex);
}

static void efd_hup_workfn(struct work_struct *work)
{
	struct efd_target *t;

	mutex_lock(&efd_attach_mutex);
	t = rcu_dereference_protected(efd_target, lockdep_is_held(&efd_attach_mutex));
	if (t && READ_ONCE(t->hup)) {
		pr_info("pid %d closed eventfd %d: detached\n", t->pid, t->fd);
		efd_target_replace(NULL);
	}
	mutex_unlock(&efd_attach_mutex);
}

/* No new target once the sysfs files are gone: detach, then wait for what is in flight. */
void efd_target_exit(void)
{
	efd_detach();
	cancel_work_sync(&efd_hup_work);
	irq_work_sync(&efd_signal_work);
	rcu_barrier();
}

static int efd_target_field(bool want_pid)
{
	struct efd_target *t;
	int v = -1;

	mutex_lock(&efd_attach_mutex);
	t = rcu_dereference_protected(efd_target, lockdep_is_held(&efd_attach_mutex));
	if (t)
		v = want_pid ? t->pid : t->fd;
	mutex_unlock(&efd_attach_mutex);
	return v;
}

int efd_attached_pid(void)
{
	return efd_target_field(true);
}

int efd_attached_fd(void)
{
	return efd_target_field(false);
}
