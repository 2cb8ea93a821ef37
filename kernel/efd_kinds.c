// SPDX-License-Identifier: GPL-2.0-only
/*
 * efd_lkm's kinds (kernel/README.md, "Kinds"): every kind it raises and every kind another
 * module registers is described by its fields in /sys/kernel/efd_lkm/kinds/<kind>/, like a
 * tracepoint's format file, so that readers name and type a payload without code of their own.
 *
 * Registered kinds are numbered from EFD_LKM_KIND_REGISTERED_MIN up and never reused within
 * one load: a kind's directory, and the number in it, stay until efd_lkm unloads (registered
 * then reads 0), so records of a departed kind still in the ring keep a format. A KIND record
 * announces each registration and each end, after sysfs shows it.
 *
 * Locking: efd_kinds_mutex (process context) guards the registry: the numbering, efd_kinds[],
 * and each kind's registered state and owner. A kind's name and fields never change after it
 * is made, so the sysfs files read them without a lock. efd_lkm_notify() runs in any context
 * but NMI and must not sleep or spin on a sleeper: it reads efd_kind_extent[] (a kind's payload
 * size, 0 while not registered) inside an RCU read-side section around the record it makes.
 * Unregistering clears the extent, then waits for synchronize_rcu() before it announces the
 * end, so no record of a kind can follow the KIND record that says it is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/build_bug.h>
#include <linux/kobject.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "efd_internal.h"

#define EFD_KINDS_MAX	1024U	/* registrations per load of efd_lkm */

struct efd_kind_field {
	char name[EFD_LKM_FIELD_NAME_MAX + 1];
	u16 offset;
	u16 size;
	u16 type;
};

struct efd_kind {
	struct kobject kobj;		/* kinds/<kind>; its release frees the kind */
	u32 kind;
	bool registered;		/* written under efd_kinds_mutex, read by sysfs */
	struct module *owner;		/* while registered; NULL for built-in kinds */
	char name[EFD_LKM_KIND_NAME_MAX + 1];
	unsigned int n;
	struct efd_kind_field fields[];
};

/* The types' sysfs names, and their sizes (0: any size from 1). */
static const struct {
	const char *name;
	u16 size;
} efd_field_types[] = {
	[EFD_LKM_FIELD_U8] = { "u8", 1 },
	[EFD_LKM_FIELD_U16] = { "u16", 2 },
	[EFD_LKM_FIELD_U32] = { "u32", 4 },
	[EFD_LKM_FIELD_U64] = { "u64", 8 },
	[EFD_LKM_FIELD_S8] = { "s8", 1 },
	[EFD_LKM_FIELD_S16] = { "s16", 2 },
	[EFD_LKM_FIELD_S32] = { "s32", 4 },
	[EFD_LKM_FIELD_S64] = { "s64", 8 },
	[EFD_LKM_FIELD_STR] = { "str", 0 },
	[EFD_LKM_FIELD_BYTES] = { "bytes", 0 },
	[EFD_LKM_FIELD_IPV4] = { "ipv4", 4 },
	[EFD_LKM_FIELD_IPV6] = { "ipv6", 16 },
};

/* ---- the built-in kinds: the payload structs of uapi/efd_lkm.h, member for member ---- */

/* Where member m of struct efd_lkm_<s> is, and its size. */
#define EFD_OFF(s, m)	offsetof(struct efd_lkm_##s, m)
#define EFD_SIZE(s, m)	sizeof_field(struct efd_lkm_##s, m)

static const struct efd_lkm_field efd_fields_attached[] = {
	{ "pid", EFD_OFF(attached, pid), EFD_SIZE(attached, pid), EFD_LKM_FIELD_S32 },
	{ "fd", EFD_OFF(attached, fd), EFD_SIZE(attached, fd), EFD_LKM_FIELD_S32 },
};

static const struct efd_lkm_field efd_fields_trigger[] = {
	{ "index", EFD_OFF(trigger, index), EFD_SIZE(trigger, index), EFD_LKM_FIELD_U32 },
	{ "batch", EFD_OFF(trigger, batch), EFD_SIZE(trigger, batch), EFD_LKM_FIELD_U32 },
};

static const struct efd_lkm_field efd_fields_netdev[] = {
	{ "ifname", EFD_OFF(netdev, ifname), EFD_SIZE(netdev, ifname), EFD_LKM_FIELD_STR },
	{ "ifindex", EFD_OFF(netdev, ifindex), EFD_SIZE(netdev, ifindex), EFD_LKM_FIELD_U32 },
	{ "event", EFD_OFF(netdev, event), EFD_SIZE(netdev, event), EFD_LKM_FIELD_U32 },
	{ "flags", EFD_OFF(netdev, flags), EFD_SIZE(netdev, flags), EFD_LKM_FIELD_U32 },
};

static const struct efd_lkm_field efd_fields_module[] = {
	{ "name", EFD_OFF(module, name), EFD_SIZE(module, name), EFD_LKM_FIELD_STR },
	{ "state", EFD_OFF(module, state), EFD_SIZE(module, state), EFD_LKM_FIELD_U32 },
};

static const struct efd_lkm_field efd_fields_tick[] = {
	{ "n", EFD_OFF(tick, n), EFD_SIZE(tick, n), EFD_LKM_FIELD_U64 },
};

static const struct efd_lkm_field efd_fields_input[] = {
	{ "device", EFD_OFF(input, device), EFD_SIZE(input, device), EFD_LKM_FIELD_STR },
	{ "type", EFD_OFF(input, type), EFD_SIZE(input, type), EFD_LKM_FIELD_U16 },
	{ "code", EFD_OFF(input, code), EFD_SIZE(input, code), EFD_LKM_FIELD_U16 },
	{ "value", EFD_OFF(input, value), EFD_SIZE(input, value), EFD_LKM_FIELD_S32 },
};

static const struct efd_lkm_field efd_fields_power[] = {
	{ "name", EFD_OFF(power, name), EFD_SIZE(power, name), EFD_LKM_FIELD_STR },
	{ "type", EFD_OFF(power, type), EFD_SIZE(power, type), EFD_LKM_FIELD_U32 },
	{ "online", EFD_OFF(power, online), EFD_SIZE(power, online), EFD_LKM_FIELD_S32 },
	{ "status", EFD_OFF(power, status), EFD_SIZE(power, status), EFD_LKM_FIELD_S32 },
	{ "capacity", EFD_OFF(power, capacity), EFD_SIZE(power, capacity), EFD_LKM_FIELD_S32 },
	{ "parent", EFD_OFF(power, parent), EFD_SIZE(power, parent), EFD_LKM_FIELD_STR },
};

static const struct efd_lkm_field efd_fields_kind[] = {
	{ "kind", EFD_OFF(kind, kind), EFD_SIZE(kind, kind), EFD_LKM_FIELD_U32 },
	{ "registered", EFD_OFF(kind, registered), EFD_SIZE(kind, registered), EFD_LKM_FIELD_U32 },
	{ "name", EFD_OFF(kind, name), EFD_SIZE(kind, name), EFD_LKM_FIELD_STR },
};

static const struct {
	u32 kind;
	const char *name;
	const struct efd_lkm_field *fields;
	unsigned int n;
} efd_builtin_kinds[] = {
	{ EFD_LKM_KIND_ATTACHED, "ATTACHED", efd_fields_attached, ARRAY_SIZE(efd_fields_attached) },
	{ EFD_LKM_KIND_TRIGGER, "TRIGGER", efd_fields_trigger, ARRAY_SIZE(efd_fields_trigger) },
	{ EFD_LKM_KIND_NETDEV, "NETDEV", efd_fields_netdev, ARRAY_SIZE(efd_fields_netdev) },
	{ EFD_LKM_KIND_MODULE, "MODULE", efd_fields_module, ARRAY_SIZE(efd_fields_module) },
	{ EFD_LKM_KIND_TICK, "TICK", efd_fields_tick, ARRAY_SIZE(efd_fields_tick) },
	{ EFD_LKM_KIND_INPUT, "INPUT", efd_fields_input, ARRAY_SIZE(efd_fields_input) },
	{ EFD_LKM_KIND_POWER, "POWER", efd_fields_power, ARRAY_SIZE(efd_fields_power) },
	{ EFD_LKM_KIND_KIND, "KIND", efd_fields_kind, ARRAY_SIZE(efd_fields_kind) },
};

/* What kernel/README.md publishes, and the daemon compiles into its own table. */
static void efd_kinds_abi_checks(void)
{
	BUILD_BUG_ON(offsetof(struct efd_lkm_attached, pid) != 0);
	BUILD_BUG_ON(offsetof(struct efd_lkm_attached, fd) != 4);
	BUILD_BUG_ON(sizeof(struct efd_lkm_attached) != 8);
	BUILD_BUG_ON(offsetof(struct efd_lkm_trigger, index) != 0);
	BUILD_BUG_ON(offsetof(struct efd_lkm_trigger, batch) != 4);
	BUILD_BUG_ON(sizeof(struct efd_lkm_trigger) != 8);
	BUILD_BUG_ON(offsetof(struct efd_lkm_netdev, ifname) != 0);
	BUILD_BUG_ON(sizeof_field(struct efd_lkm_netdev, ifname) != 16);
	BUILD_BUG_ON(offsetof(struct efd_lkm_netdev, ifindex) != 16);
	BUILD_BUG_ON(offsetof(struct efd_lkm_netdev, event) != 20);
	BUILD_BUG_ON(offsetof(struct efd_lkm_netdev, flags) != 24);
	BUILD_BUG_ON(sizeof(struct efd_lkm_netdev) != 28);
	BUILD_BUG_ON(offsetof(struct efd_lkm_module, name) != 0);
	BUILD_BUG_ON(sizeof_field(struct efd_lkm_module, name) != 56);
	BUILD_BUG_ON(offsetof(struct efd_lkm_module, state) != 56);
	BUILD_BUG_ON(sizeof(struct efd_lkm_module) != 60);
	BUILD_BUG_ON(offsetof(struct efd_lkm_tick, n) != 0);
	BUILD_BUG_ON(sizeof(struct efd_lkm_tick) != 8);
	BUILD_BUG_ON(offsetof(struct efd_lkm_input, device) != 0);
	BUILD_BUG_ON(sizeof_field(struct efd_lkm_input, device) != 32);
	BUILD_BUG_ON(offsetof(struct efd_lkm_input, type) != 32);
	BUILD_BUG_ON(offsetof(struct efd_lkm_input, code) != 34);
	BUILD_BUG_ON(offsetof(struct efd_lkm_input, value) != 36);
	BUILD_BUG_ON(sizeof(struct efd_lkm_input) != 40);
	BUILD_BUG_ON(offsetof(struct efd_lkm_power, name) != 0);
	BUILD_BUG_ON(sizeof_field(struct efd_lkm_power, name) != 32);
	BUILD_BUG_ON(offsetof(struct efd_lkm_power, type) != 32);
	BUILD_BUG_ON(offsetof(struct efd_lkm_power, online) != 36);
	BUILD_BUG_ON(offsetof(struct efd_lkm_power, status) != 40);
	BUILD_BUG_ON(offsetof(struct efd_lkm_power, capacity) != 44);
	BUILD_BUG_ON(offsetof(struct efd_lkm_power, parent) != 48);
	BUILD_BUG_ON(sizeof_field(struct efd_lkm_power, parent) != 24);
	BUILD_BUG_ON(sizeof(struct efd_lkm_power) != 72);
	BUILD_BUG_ON(offsetof(struct efd_lkm_kind, kind) != 0);
	BUILD_BUG_ON(offsetof(struct efd_lkm_kind, registered) != 4);
	BUILD_BUG_ON(offsetof(struct efd_lkm_kind, name) != 8);
	BUILD_BUG_ON(sizeof_field(struct efd_lkm_kind, name) != 64);
	BUILD_BUG_ON(sizeof(struct efd_lkm_kind) != 72);
	BUILD_BUG_ON(EFD_LKM_KIND_REGISTERED_MIN <= EFD_LKM_KIND_USER_MAX);
	BUILD_BUG_ON(EFD_LKM_KIND_REGISTERED_MIN + EFD_KINDS_MAX > INT_MAX);
	BUILD_BUG_ON(ARRAY_SIZE(efd_field_types) != EFD_LKM_FIELD_IPV6 + 1);
}

/* ---- the registry ---- */

static DEFINE_MUTEX(efd_kinds_mutex);
static struct kobject *efd_kinds_kobj;
static struct efd_kind *efd_kinds_builtin[ARRAY_SIZE(efd_builtin_kinds)];
/* Registered kinds by number - EFD_LKM_KIND_REGISTERED_MIN, kept until unload. */
static struct efd_kind *efd_kinds[EFD_KINDS_MAX];
static unsigned int efd_kinds_next;	/* numbers handed out */
/* The payload size of each registered kind; 0 while not registered. See the top. */
static u16 efd_kind_extent[EFD_KINDS_MAX];

static struct efd_kind *efd_kind_of(struct kobject *kobj)
{
	return container_of(kobj, struct efd_kind, kobj);
}

static ssize_t name_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", efd_kind_of(kobj)->name);
}

/* One field a line: "name type offset size". */
static ssize_t format_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	const struct efd_kind *k = efd_kind_of(kobj);
	unsigned int i;
	int len = 0;

	for (i = 0; i < k->n; i++) {
		const struct efd_kind_field *f = &k->fields[i];

		len += sysfs_emit_at(buf, len, "%s %s %u %u\n", f->name,
				     efd_field_types[f->type].name, f->offset, f->size);
	}
	return len;
}

static ssize_t registered_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(efd_kind_of(kobj)->registered));
}

static struct kobj_attribute efd_kind_attr_name = __ATTR_RO(name);
static struct kobj_attribute efd_kind_attr_format = __ATTR_RO(format);
static struct kobj_attribute efd_kind_attr_registered = __ATTR_RO(registered);

static struct attribute *efd_kind_attrs[] = {
	&efd_kind_attr_name.attr,
	&efd_kind_attr_format.attr,
	&efd_kind_attr_registered.attr,
	NULL,
};
ATTRIBUTE_GROUPS(efd_kind);

static void efd_kind_release(struct kobject *kobj)
{
	kfree(efd_kind_of(kobj));
}

static const struct kobj_type efd_kind_ktype = {
	.release = efd_kind_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = efd_kind_groups,
};

/* A kind with copies of the caller's strings (they may be __initconst), in sysfs. */
static struct efd_kind *efd_kind_add(u32 kind, const char *name,
				     const struct efd_lkm_field *fields, unsigned int n)
{
	struct efd_kind *k;
	unsigned int i;
	int ret;

	k = kzalloc(struct_size(k, fields, n), GFP_KERNEL);
	if (!k)
		return ERR_PTR(-ENOMEM);
	k->kind = kind;
	k->registered = true;
	strscpy(k->name, name, sizeof(k->name));
	k->n = n;
	for (i = 0; i < n; i++) {
		strscpy(k->fields[i].name, fields[i].name, sizeof(k->fields[i].name));
		k->fields[i].offset = fields[i].offset;
		k->fields[i].size = fields[i].size;
		k->fields[i].type = fields[i].type;
	}
	ret = kobject_init_and_add(&k->kobj, &efd_kind_ktype, efd_kinds_kobj, "%u", kind);
	if (ret) {
		kobject_put(&k->kobj);	/* frees k */
		return ERR_PTR(ret);
	}
	return k;
}

/* The KIND record: after sysfs shows the change. */
static void efd_kind_announce(const struct efd_kind *k)
{
	struct efd_lkm_kind rec = { .kind = k->kind, .registered = k->registered };

	strscpy(rec.name, k->name, sizeof(rec.name));
	efd_emit(EFD_LKM_KIND_KIND, &rec, sizeof(rec), false);
}

/* ---- checks: every refusal says why in the kernel log, for the driver's author ---- */

static bool efd_name_ok(const char *s, size_t max, bool dots)
{
	size_t len;

	if (!s)
		return false;
	len = strnlen(s, max + 1);
	if (!len || len > max)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      (dots && *s == '.')))
			return false;
	return true;
}

/* Why field @i cannot be, or NULL; @used marks the payload bytes of fields 0..i-1. */
static const char *efd_field_problem(const struct efd_lkm_field *fields, unsigned int i,
				     unsigned long *used)
{
	const struct efd_lkm_field *f = &fields[i];
	unsigned int j, end = f->offset + f->size;

	if (!efd_name_ok(f->name, EFD_LKM_FIELD_NAME_MAX, false))
		return "name is not [a-z0-9_]{1,32}";
	for (j = 0; j < i; j++)
		if (!strcmp(fields[j].name, f->name))
			return "name used twice";
	if (f->type < EFD_LKM_FIELD_U8 || f->type > EFD_LKM_FIELD_IPV6)
		return "unknown type";
	if (efd_field_types[f->type].size ? f->size != efd_field_types[f->type].size : !f->size)
		return "size does not fit the type";
	if (end > EFD_LKM_DATA_MAX)
		return "ends past the 104 bytes of a record";
	if (find_next_bit(used, end, f->offset) < end)
		return "overlaps another field";
	bitmap_set(used, f->offset, f->size);
	return NULL;
}

/*
 * The built-in kinds' names, reserved in lower case too: efd-daemon reads kind names in its
 * configuration without regard to case, so "netdev" must only ever mean NETDEV. Those of
 * sources not built yet (IFADDR..CPU) and SIGNAL, the daemon's own, are reserved as well.
 */
static const char *const efd_reserved_names[] = {
	"signal", "attached", "trigger", "netdev", "module", "tick",
	"input", "power", "ifaddr", "pm", "cpu", "kind",
};

static bool efd_name_reserved(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(efd_reserved_names); i++)
		if (!strcmp(name, efd_reserved_names[i]))
			return true;
	return false;
}

/* 0 and the payload's extent (the end of its last byte), or -EINVAL. */
static int efd_kind_check(const char *name, const struct efd_lkm_field *fields,
			  unsigned int n, u16 *extent)
{
	DECLARE_BITMAP(used, EFD_LKM_DATA_MAX) = { };
	const char *why;
	unsigned int i;

	if (!efd_name_ok(name, EFD_LKM_KIND_NAME_MAX, true)) {
		pr_warn("kind %.64s: the name is not [a-z0-9_.]{1,63}\n", name ? name : "(null)");
		return -EINVAL;
	}
	if (efd_name_reserved(name)) {
		pr_warn("kind %s: the name is a built-in kind's\n", name);
		return -EINVAL;
	}
	if (!fields || n < 1 || n > EFD_LKM_KIND_FIELDS_MAX) {
		pr_warn("kind %s: %u fields, want 1..%u\n", name, n, EFD_LKM_KIND_FIELDS_MAX);
		return -EINVAL;
	}
	*extent = 0;
	for (i = 0; i < n; i++) {
		why = efd_field_problem(fields, i, used);
		if (why) {
			pr_warn("kind %s: field %u (%.33s): %s\n", name, i,
				fields[i].name ? fields[i].name : "(null)", why);
			return -EINVAL;
		}
		*extent = max_t(u16, *extent, fields[i].offset + fields[i].size);
	}
	return 0;
}

/* Caller holds efd_kinds_mutex. */
static bool efd_kind_name_taken(const char *name)
{
	unsigned int i;

	for (i = 0; i < efd_kinds_next; i++)
		if (efd_kinds[i] && efd_kinds[i]->registered && !strcmp(efd_kinds[i]->name, name))
			return true;
	return false;
}

/**
 * __efd_lkm_kind_register() - describe a kind of record (use efd_lkm_kind_register())
 * @owner: the module that owns the kind (THIS_MODULE): its unload unregisters the kind
 * @name: [a-z0-9_.]+, 1..63 bytes, not the name of a kind registered now; copied
 * @fields: the payload's fields (names copied; see struct efd_lkm_field)
 * @n: how many, 1..EFD_LKM_KIND_FIELDS_MAX (32)
 *
 * Makes /sys/kernel/efd_lkm/kinds/<kind>/, then raises a KIND record (registered 1); from
 * then on efd_lkm_notify(kind, data, len) raises the kind, with len the payload's extent
 * (the largest offset + size of its fields). Context: process, may sleep.
 *
 * Return: the kind's number, EFD_LKM_KIND_REGISTERED_MIN or more, never one given out
 * before in this load of efd_lkm; -EINVAL for a bad name or field (the kernel log says
 * which), -EEXIST if a registered kind has @name, -ENOSPC after 1024 registrations in this
 * load, -ENOMEM.
 */
int __efd_lkm_kind_register(struct module *owner, const char *name,
			    const struct efd_lkm_field *fields, unsigned int n)
{
	struct efd_kind *k;
	unsigned int i;
	u16 extent;
	int ret;

	might_sleep();
	ret = efd_kind_check(name, fields, n, &extent);
	if (ret)
		return ret;
	mutex_lock(&efd_kinds_mutex);
	if (efd_kind_name_taken(name)) {
		ret = -EEXIST;
		goto out;
	}
	if (efd_kinds_next == EFD_KINDS_MAX) {
		pr_warn("kind %s: %u kinds registered since load, no numbers left\n", name,
			EFD_KINDS_MAX);
		ret = -ENOSPC;
		goto out;
	}
	/* Taken even if sysfs fails: the number may have shown there. */
	i = efd_kinds_next++;
	k = efd_kind_add(EFD_LKM_KIND_REGISTERED_MIN + i, name, fields, n);
	if (IS_ERR(k)) {
		ret = PTR_ERR(k);
		goto out;
	}
	k->owner = owner;
	efd_kinds[i] = k;
	efd_kind_announce(k);
	/* Raisable only now: no record of the kind comes before its KIND record. */
	WRITE_ONCE(efd_kind_extent[i], extent);
	ret = k->kind;
out:
	mutex_unlock(&efd_kinds_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(__efd_lkm_kind_register);

/*
 * Ends every kind that @match selects (registered ones only), with one grace period for all:
 * refused by efd_lkm_notify() first, then after every record of them in flight has been
 * made, registered 0 in sysfs, then the KIND record. Caller holds efd_kinds_mutex.
 */
static unsigned int efd_kinds_retire(bool (*match)(const struct efd_kind *k, const void *arg),
				     const void *arg)
{
	unsigned int i, n = 0;

	for (i = 0; i < efd_kinds_next; i++) {
		if (efd_kinds[i] && efd_kinds[i]->registered && match(efd_kinds[i], arg)) {
			WRITE_ONCE(efd_kind_extent[i], 0);
			n++;
		}
	}
	if (!n)
		return 0;
	synchronize_rcu();
	for (i = 0; i < efd_kinds_next; i++) {
		struct efd_kind *k = efd_kinds[i];

		if (!k || !k->registered || !match(k, arg))
			continue;
		WRITE_ONCE(k->registered, false);
		k->owner = NULL;
		sysfs_notify(&k->kobj, NULL, "registered");
		efd_kind_announce(k);
	}
	return n;
}

struct efd_kind_id {
	struct module *owner;
	int kind;
};

static bool efd_kind_is(const struct efd_kind *k, const void *arg)
{
	const struct efd_kind_id *id = arg;

	return k->kind == id->kind && k->owner == id->owner;
}

/**
 * __efd_lkm_kind_unregister() - end a registered kind (use efd_lkm_kind_unregister())
 * @owner: the module that registered it (THIS_MODULE)
 * @kind: its number, as __efd_lkm_kind_register() returned it
 *
 * efd_lkm_notify() refuses the kind from now on; when every record of it already being made
 * is in the ring, its sysfs registered file reads 0 and a KIND record (registered 0) follows.
 * The directory stays until efd_lkm unloads and the number is never given out again. A
 * number that @owner did not register, or that is no longer registered, changes nothing and
 * only logs a warning (a driver's cleanup path may pass an error it got from registering).
 * Context: process, may sleep (it waits for an RCU grace period).
 */
void __efd_lkm_kind_unregister(struct module *owner, int kind)
{
	struct efd_kind_id id = { .owner = owner, .kind = kind };
	unsigned int n;

	might_sleep();
	mutex_lock(&efd_kinds_mutex);
	n = efd_kinds_retire(efd_kind_is, &id);
	mutex_unlock(&efd_kinds_mutex);
	if (!n)
		pr_warn("%s: kind %d is not one of its registered kinds: not unregistered\n",
			module_name(owner), kind);
}
EXPORT_SYMBOL_GPL(__efd_lkm_kind_unregister);

static bool efd_kind_owned_by(const struct efd_kind *k, const void *arg)
{
	return k->owner == arg;
}

/*
 * MODULE_STATE_GOING comes after the module's exit function, and also after its init
 * failed: either way its code runs no more, and every kind it still owns ends here.
 * Process context (the module loader's blocking notifier chain).
 */
static int efd_kinds_module_event(struct notifier_block *nb, unsigned long state, void *data)
{
	if (state != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&efd_kinds_mutex);
	efd_kinds_retire(efd_kind_owned_by, data);
	mutex_unlock(&efd_kinds_mutex);
	return NOTIFY_DONE;
}

/*
 * Ahead of the modules source's notifier (priority 0), whenever that was switched on: the
 * KIND records come before the owner's MODULE GOING record, as they do when its exit function
 * unregisters.
 */
static struct notifier_block efd_kinds_module_nb = {
	.notifier_call = efd_kinds_module_event,
	.priority = 1,
};

/*
 * Raises a record of a registered kind: any context but NMI (efd_lkm_notify() has refused
 * NMI already). RCU, not a lock: see the top of this file.
 */
int efd_kinds_emit(u32 kind, const void *data, u32 len)
{
	u32 i = kind - EFD_LKM_KIND_REGISTERED_MIN;
	int ret = -EINVAL;
	u16 extent;

	if (kind < EFD_LKM_KIND_REGISTERED_MIN || i >= EFD_KINDS_MAX)
		return -EINVAL;
	rcu_read_lock();
	extent = READ_ONCE(efd_kind_extent[i]);
	if (extent && len == extent)
		ret = efd_emit(kind, data, len, false);
	rcu_read_unlock();
	return ret;
}

static void efd_kinds_put_builtin(void)
{
	unsigned int i;

	for (i = ARRAY_SIZE(efd_kinds_builtin); i-- > 0;) {
		if (efd_kinds_builtin[i])
			kobject_put(&efd_kinds_builtin[i]->kobj);
		efd_kinds_builtin[i] = NULL;
	}
}

/* Process context, before anything can register: efd_lkm's dependents wait for its init. */
int efd_kinds_init(struct kobject *parent)
{
	struct efd_kind *k;
	unsigned int i;
	int ret;

	efd_kinds_abi_checks();
	efd_kinds_kobj = kobject_create_and_add("kinds", parent);
	if (!efd_kinds_kobj)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(efd_builtin_kinds); i++) {
		k = efd_kind_add(efd_builtin_kinds[i].kind, efd_builtin_kinds[i].name,
				 efd_builtin_kinds[i].fields, efd_builtin_kinds[i].n);
		if (IS_ERR(k)) {
			ret = PTR_ERR(k);
			goto err_builtin;
		}
		efd_kinds_builtin[i] = k;
	}
	ret = register_module_notifier(&efd_kinds_module_nb);
	if (ret)
		goto err_builtin;
	return 0;

err_builtin:
	efd_kinds_put_builtin();
	kobject_put(efd_kinds_kobj);
	efd_kinds_kobj = NULL;
	return ret;
}

/*
 * Unload: no module that registered a kind is loaded any more (each depends on efd_lkm), so
 * nothing registers, unregisters or raises a registered kind now. Removes every directory.
 */
void efd_kinds_exit(void)
{
	unsigned int i;

	unregister_module_notifier(&efd_kinds_module_nb);
	for (i = efd_kinds_next; i-- > 0;) {
		if (efd_kinds[i])
			kobject_put(&efd_kinds[i]->kobj);
		efd_kinds[i] = NULL;
	}
	efd_kinds_next = 0;
	efd_kinds_put_builtin();
	kobject_put(efd_kinds_kobj);
	efd_kinds_kobj = NULL;
}
