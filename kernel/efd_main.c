// SPDX-License-Identifier: GPL-2.0-only
/*
 * efd_lkm: carries kernel events to a user-space process through its eventfd.
 *
 * The process names its eventfd with pid= and efd= at load (the classic eventfd demo
 * interface) or later through /sys/kernel/efd_lkm/attach. Every record the module makes
 * while attached signals that eventfd once (the doorbell); the records themselves are read
 * from /dev/efd_lkm (efd_ring.c). The module learns that the process closed the eventfd
 * (or exited) from EPOLLHUP on the eventfd's wait queue, and detaches by itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/eventfd.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/irq_work.h>
#include <linux/kobject.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "efd_compat.h"
#include "efd_internal.h"

#define EFD_RING_SIZE_MIN	2U
#define EFD_RING_SIZE_MAX	65536U
#define EFD_TRIGGER_MAX		65536U

/* ---- parameters: pid and efd count as given only when they are on the command line ---- */

static int efd_param_pid;
static int efd_param_efd;
static bool efd_pid_given;
static bool efd_efd_given;
static unsigned int efd_param_ring_size = 1024;

static int efd_param_set_given(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_int(val, kp);

	if (ret)
		return ret;
	if (kp->arg == &efd_param_pid)
		efd_pid_given = true;
	else
		efd_efd_given = true;
	return 0;
}

static const struct kernel_param_ops efd_given_ops = {
	.set = efd_param_set_given,
	.get = param_get_int,
};

module_param_cb(pid, &efd_given_ops, &efd_param_pid, 0444);
MODULE_PARM_DESC(pid, "Process whose eventfd to attach at load (with efd=)");
module_param_cb(efd, &efd_given_ops, &efd_param_efd, 0444);
MODULE_PARM_DESC(efd, "That process's eventfd number (with pid=)");
module_param_named(ring_size, efd_param_ring_size, uint, 0444);
MODULE_PARM_DESC(ring_size, "Records kept for the reader, a power of two (default 1024)");

/* ---- the attached eventfd ---- */

/*
 * One attached eventfd. The wait entry sits on the eventfd's wait queue so that
 * efd_target_wake() sees EPOLLHUP when the last reference to the eventfd file goes away.
 * Our own ctx reference keeps @wqh (inside the ctx) valid until efd_target_free().
 */
struct efd_target {
	struct eventfd_ctx *ctx;
	wait_queue_head_t *wqh;
	wait_queue_entry_t wait;
	poll_table pt;
	bool hup;
	pid_t pid;
	int fd;
};

/*
 * efd_attach_mutex serialises every change of target (attach, detach, the HUP work, exit).
 * efd_target_lock (irqsave) guards the pointer for the doorbell, which may run in any
 * context and signals with the lock held, so a target is never freed under a signaller.
 * Lock order: efd_target_lock -> the eventfd's wqh.lock (inside eventfd_signal).
 */
static DEFINE_MUTEX(efd_attach_mutex);
static DEFINE_SPINLOCK(efd_target_lock);
static struct efd_target *efd_target;
static atomic64_t efd_signals = ATOMIC64_INIT(0);

static void efd_hup_workfn(struct work_struct *work);
static void efd_target_changed(void);
static DECLARE_WORK(efd_hup_work, efd_hup_workfn);

static void efd_signal_deferred(struct irq_work *work);
static struct irq_work efd_signal_work = IRQ_WORK_INIT(efd_signal_deferred);
static atomic_t efd_signals_deferred = ATOMIC_INIT(0);

static void efd_signal_now(unsigned int n)
{
	unsigned long flags;

	spin_lock_irqsave(&efd_target_lock, flags);
	if (efd_target) {
		atomic64_add(n, &efd_signals);
		while (n--)
			efd_eventfd_signal(efd_target->ctx);
	}
	spin_unlock_irqrestore(&efd_target_lock, flags);
}

static void efd_signal_deferred(struct irq_work *work)
{
	efd_signal_now(atomic_xchg(&efd_signals_deferred, 0));
}

void efd_doorbell(void)
{
	/* Inside another eventfd's wake-up, eventfd_signal() would WARN: defer. */
	if (!eventfd_signal_allowed()) {
		atomic_inc(&efd_signals_deferred);
		irq_work_queue(&efd_signal_work);
		return;
	}
	efd_signal_now(1);
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

static void efd_target_free(struct efd_target *t)
{
	/* Not eventfd_ctx_remove_wait_queue(): it would reset the counter user space owns. */
	remove_wait_queue(t->wqh, &t->wait);
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

/* Swaps in @t (NULL: detach) and releases the previous target. Caller holds the mutex. */
static void efd_target_replace(struct efd_target *t)
{
	struct efd_target *old;
	unsigned long flags;

	lockdep_assert_held(&efd_attach_mutex);
	spin_lock_irqsave(&efd_target_lock, flags);
	old = efd_target;
	efd_target = t;
	spin_unlock_irqrestore(&efd_target_lock, flags);
	if (old)
		efd_target_free(old);
	efd_target_changed();
}

static int efd_attach(pid_t pid, int fd)
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
	/* Under the mutex, so the ATTACHED doorbell cannot reach a later target. */
	efd_emit(EFD_LKM_KIND_ATTACHED, &rec, sizeof(rec));
	mutex_unlock(&efd_attach_mutex);
	pr_info("attached to pid %d fd %d\n", pid, fd);
	return 0;
}

static void efd_detach(void)
{
	mutex_lock(&efd_attach_mutex);
	efd_target_replace(NULL);
	mutex_unlock(&efd_attach_mutex);
}

static void efd_hup_workfn(struct work_struct *work)
{
	struct efd_target *t;

	mutex_lock(&efd_attach_mutex);
	t = efd_target;
	if (t && READ_ONCE(t->hup)) {
		pr_info("pid %d closed eventfd %d: detached\n", t->pid, t->fd);
		efd_target_replace(NULL);
	}
	mutex_unlock(&efd_attach_mutex);
}

/* Reads the target's pid or fd; -1 when detached. */
static int efd_target_field(bool want_pid)
{
	int v = -1;

	mutex_lock(&efd_attach_mutex);
	if (efd_target)
		v = want_pid ? efd_target->pid : efd_target->fd;
	mutex_unlock(&efd_attach_mutex);
	return v;
}

/* ---- /sys/kernel/efd_lkm ---- */

static ssize_t attach_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	int pid, fd, end = 0, ret;

	if (sscanf(buf, "%d %d%n", &pid, &fd, &end) != 2)
		return -EINVAL;
	if (buf[end] && strcmp(buf + end, "\n"))
		return -EINVAL;
	ret = efd_attach(pid, fd);
	return ret ? ret : count;
}

static ssize_t detach_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	efd_detach();
	return count;
}

static ssize_t trigger_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct efd_lkm_trigger rec;
	unsigned int n, i;
	int ret;

	ret = kstrtouint(buf, 0, &n);
	if (ret)
		return ret;
	if (n < 1 || n > EFD_TRIGGER_MAX)
		return -EINVAL;
	rec.batch = n;
	for (i = 1; i <= n; i++) {
		rec.index = i;
		efd_emit(EFD_LKM_KIND_TRIGGER, &rec, sizeof(rec));
	}
	return count;
}

static ssize_t attached_pid_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", efd_target_field(true));
}

static ssize_t attached_fd_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", efd_target_field(false));
}

static ssize_t events_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", efd_ring_events());
}

static ssize_t signals_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&efd_signals));
}

static ssize_t dropped_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", efd_ring_dropped());
}

static ssize_t ring_size_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", efd_ring_size());
}

static ssize_t abi_version_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", EFD_LKM_ABI_VERSION);
}

static struct kobj_attribute efd_attr_attach = __ATTR_WO(attach);
static struct kobj_attribute efd_attr_detach = __ATTR_WO(detach);
static struct kobj_attribute efd_attr_trigger = __ATTR_WO(trigger);
static struct kobj_attribute efd_attr_attached_pid = __ATTR_RO(attached_pid);
static struct kobj_attribute efd_attr_attached_fd = __ATTR_RO(attached_fd);
static struct kobj_attribute efd_attr_events = __ATTR_RO(events);
static struct kobj_attribute efd_attr_signals = __ATTR_RO(signals);
static struct kobj_attribute efd_attr_dropped = __ATTR_RO(dropped);
static struct kobj_attribute efd_attr_ring_size = __ATTR_RO(ring_size);
static struct kobj_attribute efd_attr_abi_version = __ATTR_RO(abi_version);

static struct attribute *efd_attrs[] = {
	&efd_attr_attach.attr,
	&efd_attr_detach.attr,
	&efd_attr_trigger.attr,
	&efd_attr_attached_pid.attr,
	&efd_attr_attached_fd.attr,
	&efd_attr_events.attr,
	&efd_attr_signals.attr,
	&efd_attr_dropped.attr,
	&efd_attr_ring_size.attr,
	&efd_attr_abi_version.attr,
	NULL,
};

static const struct attribute_group efd_attr_group = {
	.attrs = efd_attrs,
};

static struct kobject *efd_kobj;

/* attached_pid and attached_fd wake poll() (POLLPRI) when the target changes. */
static void efd_target_changed(void)
{
	if (!efd_kobj)
		return;
	sysfs_notify(efd_kobj, NULL, "attached_pid");
	sysfs_notify(efd_kobj, NULL, "attached_fd");
}

/* ---- load and unload ---- */

static int __init efd_init(void)
{
	unsigned int size = efd_param_ring_size;
	int ret;

	if (efd_pid_given != efd_efd_given) {
		pr_err("pid= and efd= go together\n");
		return -EINVAL;
	}
	if (efd_pid_given && (efd_param_pid <= 0 || efd_param_efd < 0)) {
		pr_err("invalid pid=%d efd=%d\n", efd_param_pid, efd_param_efd);
		return -EINVAL;
	}
	if (!is_power_of_2(size) || size < EFD_RING_SIZE_MIN || size > EFD_RING_SIZE_MAX) {
		pr_err("ring_size=%u: want a power of two in %u..%u\n",
		       size, EFD_RING_SIZE_MIN, EFD_RING_SIZE_MAX);
		return -EINVAL;
	}

	ret = efd_ring_init(size);
	if (ret)
		return ret;

	efd_kobj = kobject_create_and_add("efd_lkm", kernel_kobj);
	if (!efd_kobj) {
		ret = -ENOMEM;
		goto err_ring;
	}
	ret = sysfs_create_group(efd_kobj, &efd_attr_group);
	if (ret)
		goto err_kobj;

	if (efd_pid_given) {
		ret = efd_attach(efd_param_pid, efd_param_efd);
		if (ret) {
			pr_err("cannot attach to pid %d fd %d: %d\n",
			       efd_param_pid, efd_param_efd, ret);
			goto err_sysfs;
		}
	}

	ret = efd_sources_start();
	if (ret)
		goto err_attach;

	/* Last: an open file pins the module, which must not happen while init can still fail. */
	ret = efd_dev_init();
	if (ret)
		goto err_sources;
	return 0;

err_sources:
	efd_sources_stop();
err_attach:
	efd_detach();
	cancel_work_sync(&efd_hup_work);
	irq_work_sync(&efd_signal_work);
err_sysfs:
	sysfs_remove_group(efd_kobj, &efd_attr_group);
err_kobj:
	kobject_put(efd_kobj);
err_ring:
	efd_ring_exit();
	return ret;
}

static void __exit efd_exit(void)
{
	efd_dev_exit();
	efd_sources_stop();
	/* No new attach once the files are gone; then no new HUP once detached. */
	sysfs_remove_group(efd_kobj, &efd_attr_group);
	kobject_put(efd_kobj);
	efd_detach();
	cancel_work_sync(&efd_hup_work);
	irq_work_sync(&efd_signal_work);
	efd_ring_exit();
}

module_init(efd_init);
module_exit(efd_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel events to a user-space eventfd, with a record ring");
MODULE_AUTHOR("efd-daemon project");
MODULE_VERSION("1.0");
