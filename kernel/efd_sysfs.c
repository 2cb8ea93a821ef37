// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/efd_lkm: one value per file (kernel/README.md, "/sys/kernel/efd_lkm").
 *
 * Every number written here is parsed whole with kstrto*(): not a number is -EINVAL, a number
 * that does not fit the type is -ERANGE, one outside the accepted range is -EINVAL; nothing is
 * truncated.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/kstrtox.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "efd_internal.h"

#define EFD_TRIGGER_MAX		65536U
#define EFD_TRIGGER_RESCHED	32	/* records between cond_resched() calls */
#define EFD_ATTACH_TEXT_MAX	64

/* Guards efd_kobj against efd_sysfs_target_changed() during unload. */
static DEFINE_MUTEX(efd_kobj_mutex);
static struct kobject *efd_kobj;

/* "PID FD", separated by blanks, a trailing newline allowed. */
static int efd_parse_attach(const char *buf, size_t count, int *pid, int *fd)
{
	char text[EFD_ATTACH_TEXT_MAX], *p, *tok[3];
	int i, ret;

	if (count >= sizeof(text))
		return -EINVAL;
	memcpy(text, buf, count);
	text[count] = '\0';
	p = strim(text);
	for (i = 0; i < ARRAY_SIZE(tok) && p && *p; i++) {
		tok[i] = strsep(&p, " \t");
		p = p ? skip_spaces(p) : NULL;
	}
	if (i != 2)
		return -EINVAL;
	ret = kstrtoint(tok[0], 10, pid);
	if (!ret)
		ret = kstrtoint(tok[1], 10, fd);
	return ret;
}

static ssize_t attach_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	int pid, fd, ret;

	ret = efd_parse_attach(buf, count, &pid, &fd);
	if (!ret)
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
		efd_emit(EFD_LKM_KIND_TRIGGER, &rec, sizeof(rec), false);
		if (!(i % EFD_TRIGGER_RESCHED))
			cond_resched();
	}
	return count;
}

static ssize_t attached_pid_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", efd_attached_pid());
}

static ssize_t attached_fd_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", efd_attached_fd());
}

static ssize_t signals_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", efd_signals());
}

/* The ring's figures, read together under its lock. */
#define EFD_RING_STAT_SHOW(field, fmt)						\
static ssize_t field##_show(struct kobject *kobj, struct kobj_attribute *attr,	\
			    char *buf)						\
{										\
	struct efd_ring_stats st;						\
										\
	efd_ring_stats(&st);							\
	return sysfs_emit(buf, fmt "\n", st.field);				\
}

EFD_RING_STAT_SHOW(events, "%llu")
EFD_RING_STAT_SHOW(committed, "%llu")
EFD_RING_STAT_SHOW(dropped, "%llu")
EFD_RING_STAT_SHOW(dropped_inflight, "%llu")

static ssize_t ring_size_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct efd_ring_stats st;

	efd_ring_stats(&st);
	return sysfs_emit(buf, "%u\n", st.size);
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
static struct kobj_attribute efd_attr_committed = __ATTR_RO(committed);
static struct kobj_attribute efd_attr_dropped = __ATTR_RO(dropped);
static struct kobj_attribute efd_attr_dropped_inflight = __ATTR_RO(dropped_inflight);
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
	&efd_attr_committed.attr,
	&efd_attr_dropped.attr,
	&efd_attr_dropped_inflight.attr,
	&efd_attr_ring_size.attr,
	&efd_attr_abi_version.attr,
	NULL,
};

static const struct attribute_group efd_attr_group = {
	.attrs = efd_attrs,
};

/* attached_pid and attached_fd wake poll() (POLLPRI) when the target changes. */
void efd_sysfs_target_changed(void)
{
	mutex_lock(&efd_kobj_mutex);
	if (efd_kobj) {
		sysfs_notify(efd_kobj, NULL, "attached_pid");
		sysfs_notify(efd_kobj, NULL, "attached_fd");
	}
	mutex_unlock(&efd_kobj_mutex);
}

/* Process context; the directory lives from efd_sysfs_init() to efd_sysfs_exit(). */
struct kobject *efd_sysfs_kobj(void)
{
	return efd_kobj;
}

int efd_sysfs_init(void)
{
	struct kobject *kobj;
	int ret;

	kobj = kobject_create_and_add("efd_lkm", kernel_kobj);
	if (!kobj)
		return -ENOMEM;
	ret = sysfs_create_group(kobj, &efd_attr_group);
	if (ret) {
		kobject_put(kobj);
		return ret;
	}
	mutex_lock(&efd_kobj_mutex);
	efd_kobj = kobj;
	mutex_unlock(&efd_kobj_mutex);
	return 0;
}

/* Returns once no write to these files runs any more (kernfs drains them). */
void efd_sysfs_exit(void)
{
	struct kobject *kobj;

	mutex_lock(&efd_kobj_mutex);
	kobj = efd_kobj;
	efd_kobj = NULL;
	mutex_unlock(&efd_kobj_mutex);
	sysfs_remove_group(kobj, &efd_attr_group);
	kobject_put(kobj);
}
