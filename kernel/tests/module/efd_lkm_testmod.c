// SPDX-License-Identifier: GPL-2.0-only
/*
 * efd_lkm_testmod: calls efd_lkm_notify() from the contexts user space cannot reach by
 * itself, for the VM tests: a hard interrupt (irq_work), inside another eventfd's wake-up
 * (where eventfd_signal() would WARN), inside the attached eventfd's own EPOLLHUP wake-up
 * (where signalling it would deadlock), and NMI (refused). Test-only; never packaged.
 *
 *   parameters/watch_efd  write FD: hook the writer's eventfd FD; each write to it emits
 *                         one 0x1001 record from its wake-up callback
 *   parameters/hup_efd    write FD: hook eventfd FD; its EPOLLHUP (the last close) emits one
 *                         0x1003 record from that wake-up callback
 *   parameters/hardirq    write N: emit N 0x1002 records from hard interrupt context
 *   parameters/storm      write N: from every jiffy on, emit N 0x1004 records from hard
 *                         interrupt context (0 stops)
 *   parameters/irq_kind   write KIND: hardirq and storm records take kind KIND instead
 *                         (a registered kind with a 12-byte format); 0 (default) undoes it
 *   parameters/nmi        write 1: the next unknown NMIs (QMP inject-nmi) call
 *                         efd_lkm_notify(0x1005); read "COUNT RET": NMIs seen and the last
 *                         return value; poll() reports POLLPRI when COUNT changes
 *
 * and drives the registered-kinds API with the formats a test gives it:
 *
 *   parameters/kind_register    write "NAME FIELD..." with FIELD "name:type:offset:size"
 *                               (type a number, EFD_LKM_FIELD_*; "-" for an empty name):
 *                               efd_lkm_kind_register(); a negative result is the write's
 *                               errno (a spec that does not parse: EBADMSG); read: the last
 *                               result, the kind's number or -errno
 *   parameters/kind_unregister  write KIND: efd_lkm_kind_unregister(KIND)
 *   parameters/kind_notify      write "KIND LEN": efd_lkm_notify(KIND, bytes 1, 2, ..., LEN);
 *                               its error is the write's errno
 *   fail_init=1                 (load) init registers "testmod.init" (n u32 0 4), then fails
 *                               with ECANCELED
 *
 * and registers a real power supply for the power source, "efd_test_ac" (POWER_SUPPLY_TYPE_MAINS,
 * properties online and capacity only, no status), whose parent is the platform device
 * "efd_lkm_testmod":
 *
 *   parameters/psy_online       write 0 or 1, read it back: the supply's online property;
 *                               each write calls power_supply_changed()
 *   parameters/psy_capacity     write 0..100: its capacity, likewise
 *
 * Its kinds are left registered at exit on purpose: efd_lkm must end them by itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/poll.h>
#include <linux/power_supply.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <asm/nmi.h>

#include <efd_lkm.h>

#define TESTMOD_KIND_WAKEUP	0x1001
#define TESTMOD_KIND_HARDIRQ	0x1002
#define TESTMOD_KIND_HUP	0x1003
#define TESTMOD_KIND_STORM	0x1004
#define TESTMOD_KIND_NMI	0x1005
#define TESTMOD_HARDIRQ_MAX	1024
#define TESTMOD_STORM_MAX	64

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
	__poll_t on;	/* EPOLLIN: every write; EPOLLHUP: the last close */
	atomic_t n;
};

static DEFINE_MUTEX(testmod_mutex);
static struct testmod_watch *testmod_watch;
static struct testmod_watch *testmod_hup;

/* The kind hardirq and storm records take instead of their own, when not 0. */
static unsigned int testmod_irq_kind;
module_param_named(irq_kind, testmod_irq_kind, uint, 0600);

static void testmod_emit(u32 kind, u32 n)
{
	struct testmod_event ev = {
		.n = n,
		.in_hardirq = !!in_hardirq(),
		.signal_denied = !eventfd_signal_allowed(),
	};

	efd_lkm_notify(kind, &ev, sizeof(ev));
}

/*
 * Runs under the watched eventfd's wqh.lock with IRQs off: for EPOLLIN with
 * current->in_eventfd set by the writer, for EPOLLHUP (eventfd_release()) without it.
 */
static int testmod_wake(wait_queue_entry_t *wait, unsigned int mode, int sync, void *key)
{
	struct testmod_watch *w = container_of(wait, struct testmod_watch, wait);
	__poll_t events = key_to_poll(key) & w->on;

	if (events & EPOLLIN)
		testmod_emit(TESTMOD_KIND_WAKEUP, atomic_inc_return(&w->n));
	if (events & EPOLLHUP)
		testmod_emit(TESTMOD_KIND_HUP, atomic_inc_return(&w->n));
	return 0;
}

static void testmod_queue(struct file *file, wait_queue_head_t *wqh, poll_table *pt)
{
	struct testmod_watch *w = container_of(pt, struct testmod_watch, pt);

	w->wqh = wqh;
	add_wait_queue(wqh, &w->wait);
}

static void testmod_unwatch(struct testmod_watch **slot)
{
	struct testmod_watch *w = *slot;

	lockdep_assert_held(&testmod_mutex);
	if (!w)
		return;
	*slot = NULL;
	remove_wait_queue(w->wqh, &w->wait);
	eventfd_ctx_put(w->ctx);
	kfree(w);
}

/* kp->arg is the slot: testmod_watch (EPOLLIN) or testmod_hup (EPOLLHUP). */
static int testmod_set_watch(const char *val, const struct kernel_param *kp)
{
	struct testmod_watch **slot = kp->arg;
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
	w->on = slot == &testmod_hup ? EPOLLHUP : EPOLLIN;
	init_waitqueue_func_entry(&w->wait, testmod_wake);
	init_poll_funcptr(&w->pt, testmod_queue);
	mutex_lock(&testmod_mutex);
	testmod_unwatch(slot);
	vfs_poll(file, &w->pt);
	*slot = w;
	mutex_unlock(&testmod_mutex);
	fput(file);
	return 0;
}

static const struct kernel_param_ops testmod_watch_ops = {
	.set = testmod_set_watch,
};

module_param_cb(watch_efd, &testmod_watch_ops, &testmod_watch, 0200);
module_param_cb(hup_efd, &testmod_watch_ops, &testmod_hup, 0200);

static atomic_t testmod_hard_pending = ATOMIC_INIT(0);
static atomic_t testmod_hard_n = ATOMIC_INIT(0);

static void testmod_hardirq(struct irq_work *work)
{
	int i = atomic_xchg(&testmod_hard_pending, 0);

	while (i-- > 0)
		testmod_emit(READ_ONCE(testmod_irq_kind) ?: TESTMOD_KIND_HARDIRQ,
			     atomic_inc_return(&testmod_hard_n));
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

/* ---- storm: hard-irq records every jiffy, for the stress test ---- */

static unsigned int testmod_storm_n;
static struct timer_list testmod_storm_timer;
static atomic_t testmod_storm_seq = ATOMIC_INIT(0);

static void testmod_storm_irq(struct irq_work *work)
{
	unsigned int i, n = READ_ONCE(testmod_storm_n);

	for (i = 0; i < n; i++)
		testmod_emit(READ_ONCE(testmod_irq_kind) ?: TESTMOD_KIND_STORM,
			     atomic_inc_return(&testmod_storm_seq));
}

static struct irq_work testmod_storm_work = IRQ_WORK_INIT_HARD(testmod_storm_irq);

static void testmod_storm_tick(struct timer_list *timer)
{
	irq_work_queue(&testmod_storm_work);
	if (READ_ONCE(testmod_storm_n))
		mod_timer(timer, jiffies + 1);
}

static void testmod_storm_stop(void)
{
	WRITE_ONCE(testmod_storm_n, 0);
	timer_delete_sync(&testmod_storm_timer);
	irq_work_sync(&testmod_storm_work);
}

static int testmod_set_storm(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	if (n > TESTMOD_STORM_MAX)
		return -EINVAL;
	mutex_lock(&testmod_mutex);
	testmod_storm_stop();
	if (n) {
		WRITE_ONCE(testmod_storm_n, n);
		mod_timer(&testmod_storm_timer, jiffies + 1);
	}
	mutex_unlock(&testmod_mutex);
	return 0;
}

static const struct kernel_param_ops testmod_storm_ops = {
	.set = testmod_set_storm,
};

module_param_cb(storm, &testmod_storm_ops, NULL, 0200);

/* ---- NMI: efd_lkm_notify() must refuse it ---- */

static atomic_t testmod_nmi_armed = ATOMIC_INIT(0);
static atomic_t testmod_nmi_count = ATOMIC_INIT(0);
static atomic_t testmod_nmi_ret = ATOMIC_INIT(0);

static void testmod_nmi_notify_fn(struct work_struct *work)
{
	sysfs_notify(&THIS_MODULE->mkobj.kobj, "parameters", "nmi");
}

static DECLARE_WORK(testmod_nmi_notify, testmod_nmi_notify_fn);

/* sysfs_notify() sleeps: from NMI through an irq_work (NMI-safe) to a work item. */
static void testmod_nmi_irq(struct irq_work *work)
{
	schedule_work(&testmod_nmi_notify);
}

static struct irq_work testmod_nmi_work = IRQ_WORK_INIT_HARD(testmod_nmi_irq);

static int testmod_nmi(unsigned int type, struct pt_regs *regs)
{
	struct testmod_event ev = { .n = 1 };

	if (!atomic_read(&testmod_nmi_armed))
		return NMI_DONE;
	atomic_set(&testmod_nmi_ret, efd_lkm_notify(TESTMOD_KIND_NMI, &ev, sizeof(ev)));
	atomic_inc(&testmod_nmi_count);
	irq_work_queue(&testmod_nmi_work);
	return NMI_HANDLED;
}

static int testmod_set_nmi(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret;

	ret = kstrtobool(val, &on);
	if (ret)
		return ret;
	atomic_set(&testmod_nmi_armed, on);
	return 0;
}

static int testmod_get_nmi(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d %d\n", atomic_read(&testmod_nmi_count),
			  atomic_read(&testmod_nmi_ret));
}

static const struct kernel_param_ops testmod_nmi_ops = {
	.set = testmod_set_nmi,
	.get = testmod_get_nmi,
};

module_param_cb(nmi, &testmod_nmi_ops, NULL, 0600);

/* ---- registered kinds: the API driven from user space ---- */

#define TESTMOD_KIND_FIELDS_MAX	40	/* more than efd_lkm accepts */

static int testmod_kind_result;

/* "-" stands for an empty name. */
static const char *testmod_name(const char *tok)
{
	return strcmp(tok, "-") ? tok : "";
}

static int testmod_parse_field(char *tok, struct efd_lkm_field *f)
{
	char *name = strsep(&tok, ":"), *type = strsep(&tok, ":"), *off = strsep(&tok, ":");

	if (!type || !off || !tok)
		return -EBADMSG;
	f->name = testmod_name(name);
	if (kstrtou16(type, 0, &f->type) || kstrtou16(off, 0, &f->offset) ||
	    kstrtou16(tok, 0, &f->size))
		return -EBADMSG;
	return 0;
}

/* The spec's strings are freed right after: efd_lkm must have copied the names. */
static int testmod_set_kind_register(const char *val, const struct kernel_param *kp)
{
	struct efd_lkm_field *fields;
	char *spec, *p, *tok, *name;
	unsigned int n = 0;
	int ret = 0;

	spec = kstrdup(val, GFP_KERNEL);
	fields = kcalloc(TESTMOD_KIND_FIELDS_MAX, sizeof(*fields), GFP_KERNEL);
	if (!spec || !fields) {
		ret = -ENOMEM;
		goto out;
	}
	p = strim(spec);
	name = strsep(&p, " ");
	while (p && (tok = strsep(&p, " ")) && !ret) {
		if (!*tok)
			continue;
		if (n == TESTMOD_KIND_FIELDS_MAX)
			ret = -EBADMSG;
		else
			ret = testmod_parse_field(tok, &fields[n++]);
	}
	if (!ret) {
		ret = efd_lkm_kind_register(testmod_name(name), fields, n);
		testmod_kind_result = ret;
	}
out:
	kfree(fields);
	kfree(spec);
	return ret < 0 ? ret : 0;
}

static int testmod_get_kind_register(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", testmod_kind_result);
}

static const struct kernel_param_ops testmod_kind_register_ops = {
	.set = testmod_set_kind_register,
	.get = testmod_get_kind_register,
};

module_param_cb(kind_register, &testmod_kind_register_ops, NULL, 0600);

static int testmod_set_kind_unregister(const char *val, const struct kernel_param *kp)
{
	int kind, ret;

	ret = kstrtoint(val, 0, &kind);
	if (ret)
		return ret;
	efd_lkm_kind_unregister(kind);
	return 0;
}

static const struct kernel_param_ops testmod_kind_unregister_ops = {
	.set = testmod_set_kind_unregister,
};

module_param_cb(kind_unregister, &testmod_kind_unregister_ops, NULL, 0200);

static int testmod_set_kind_notify(const char *val, const struct kernel_param *kp)
{
	u8 data[EFD_LKM_DATA_MAX + 8];
	unsigned int kind, len, i;

	if (sscanf(val, "%u %u", &kind, &len) != 2 || len > sizeof(data))
		return -EBADMSG;
	for (i = 0; i < len; i++)
		data[i] = i + 1;
	return efd_lkm_notify(kind, data, len);
}

static const struct kernel_param_ops testmod_kind_notify_ops = {
	.set = testmod_set_kind_notify,
};

module_param_cb(kind_notify, &testmod_kind_notify_ops, NULL, 0200);

/* ---- a power supply whose changes the test makes ---- */

static struct platform_device *testmod_pdev;
static struct power_supply *testmod_psy;
static int testmod_psy_online = 1;
static int testmod_psy_capacity = 50;

static const enum power_supply_property testmod_psy_props[] = {
	POWER_SUPPLY_PROP_ONLINE,
	POWER_SUPPLY_PROP_CAPACITY,
};

/* Process context (the power_supply core, sysfs readers, efd_lkm's notifier). */
static int testmod_psy_get(struct power_supply *psy, enum power_supply_property psp,
			   union power_supply_propval *val)
{
	switch (psp) {
	case POWER_SUPPLY_PROP_ONLINE:
		val->intval = READ_ONCE(testmod_psy_online);
		return 0;
	case POWER_SUPPLY_PROP_CAPACITY:
		val->intval = READ_ONCE(testmod_psy_capacity);
		return 0;
	default:
		return -EINVAL;
	}
}

static const struct power_supply_desc testmod_psy_desc = {
	.name = "efd_test_ac",
	.type = POWER_SUPPLY_TYPE_MAINS,
	.properties = testmod_psy_props,
	.num_properties = ARRAY_SIZE(testmod_psy_props),
	.get_property = testmod_psy_get,
};

static int testmod_set_psy(const char *val, const struct kernel_param *kp)
{
	int v, ret;

	ret = kstrtoint(val, 0, &v);
	if (ret)
		return ret;
	if (v < 0 || v > (kp->arg == &testmod_psy_online ? 1 : 100))
		return -EINVAL;
	/* The parameter files exist while init still runs. */
	if (!READ_ONCE(testmod_psy))
		return -EAGAIN;
	WRITE_ONCE(*(int *)kp->arg, v);
	power_supply_changed(testmod_psy);
	return 0;
}

static const struct kernel_param_ops testmod_psy_ops = {
	.set = testmod_set_psy,
	.get = param_get_int,
};

module_param_cb(psy_online, &testmod_psy_ops, &testmod_psy_online, 0600);
module_param_cb(psy_capacity, &testmod_psy_ops, &testmod_psy_capacity, 0600);

static int __init testmod_psy_init(void)
{
	struct power_supply *psy;

	testmod_pdev = platform_device_register_simple(KBUILD_MODNAME, PLATFORM_DEVID_NONE,
						       NULL, 0);
	if (IS_ERR(testmod_pdev))
		return PTR_ERR(testmod_pdev);
	psy = power_supply_register(&testmod_pdev->dev, &testmod_psy_desc, NULL);
	if (IS_ERR(psy)) {
		platform_device_unregister(testmod_pdev);
		return PTR_ERR(psy);
	}
	WRITE_ONCE(testmod_psy, psy);
	return 0;
}

static void testmod_psy_exit(void)
{
	power_supply_unregister(testmod_psy);
	platform_device_unregister(testmod_pdev);
}

static bool fail_init;
module_param(fail_init, bool, 0444);

static const struct efd_lkm_field testmod_init_fields[] __initconst = {
	{ .name = "n", .offset = 0, .size = 4, .type = EFD_LKM_FIELD_U32 },
};

/* An init that fails after registering a kind: efd_lkm's GOING notifier must end it. */
static int __init testmod_init_fails(void)
{
	int ret = efd_lkm_kind_register("testmod.init", testmod_init_fields,
					ARRAY_SIZE(testmod_init_fields));

	return ret < 0 ? ret : -ECANCELED;
}

static int __init testmod_init(void)
{
	int ret;

	if (fail_init)
		return testmod_init_fails();
	timer_setup(&testmod_storm_timer, testmod_storm_tick, 0);
	ret = testmod_psy_init();
	if (ret)
		return ret;
	ret = register_nmi_handler(NMI_UNKNOWN, testmod_nmi, 0, "efd_lkm_testmod");
	if (ret)
		goto err_psy;
	return 0;

err_psy:
	testmod_psy_exit();
	return ret;
}

static void __exit testmod_exit(void)
{
	unregister_nmi_handler(NMI_UNKNOWN, "efd_lkm_testmod");
	irq_work_sync(&testmod_nmi_work);
	cancel_work_sync(&testmod_nmi_notify);
	mutex_lock(&testmod_mutex);
	testmod_storm_stop();
	testmod_unwatch(&testmod_watch);
	testmod_unwatch(&testmod_hup);
	mutex_unlock(&testmod_mutex);
	irq_work_sync(&testmod_hard_work);
	testmod_psy_exit();
}

module_init(testmod_init);
module_exit(testmod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("efd_lkm test helper: notify from hard irq, wake-ups and NMI; kinds; a power supply");
