/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * efd_lkm in-kernel API: other modules raise their own events through efd_lkm.
 *
 * A module that calls these depends on efd_lkm (modprobe loads it first, and efd_lkm cannot
 * be unloaded while the caller is loaded). kernel/README.md ("For other modules") is the
 * contract; in short, a driver describes its payload once and raises it from anywhere:
 *
 *	struct foo_event { __u32 port; char label[16]; };
 *	#define FOO_OFF(m)	offsetof(struct foo_event, m)
 *	#define FOO_SIZE(m)	sizeof_field(struct foo_event, m)
 *	static const struct efd_lkm_field foo_fields[] = {
 *		{ "port", FOO_OFF(port), FOO_SIZE(port), EFD_LKM_FIELD_U32 },
 *		{ "label", FOO_OFF(label), FOO_SIZE(label), EFD_LKM_FIELD_STR },
 *	};
 *	kind = efd_lkm_kind_register("foo.port", foo_fields, ARRAY_SIZE(foo_fields));
 *	...
 *	efd_lkm_notify(kind, &ev, sizeof(ev));	(any context but NMI)
 *	...
 *	efd_lkm_kind_unregister(kind);		(or let the module's unload do it)
 */
#ifndef _EFD_LKM_H
#define _EFD_LKM_H

#include <linux/module.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include "uapi/efd_lkm.h"

/* Raises one record; any context but NMI (there: -EBUSY). See efd_ring.c. */
int efd_lkm_notify(u32 kind, const void *data, size_t len);

/* At most this many fields per registered kind. */
#define EFD_LKM_KIND_FIELDS_MAX	32

/**
 * struct efd_lkm_field - one field of a registered kind's payload
 * @name: [a-z0-9_]+, 1..EFD_LKM_FIELD_NAME_MAX (32) bytes, unique within the kind; copied
 * @offset: where the field starts in the payload (no alignment required)
 * @size: bytes: 1, 2, 4 or 8 for the integers (matching the type), 4 for IPV4, 16 for
 *	IPV6, at least 1 for STR and BYTES; @offset + @size <= EFD_LKM_DATA_MAX (104)
 * @type: EFD_LKM_FIELD_U8 .. EFD_LKM_FIELD_IPV6
 */
struct efd_lkm_field {
	const char *name;
	u16 offset;
	u16 size;
	u16 type;
};

int __efd_lkm_kind_register(struct module *owner, const char *name,
			    const struct efd_lkm_field *fields, unsigned int n);
void __efd_lkm_kind_unregister(struct module *owner, int kind);

/*
 * efd_lkm_kind_register() - describe a kind of record once; process context, may sleep.
 * Returns its number (>= EFD_LKM_KIND_REGISTERED_MIN) or -errno. The calling module owns it:
 * it is unregistered when that module unloads, or when its init fails, at the latest.
 */
#define efd_lkm_kind_register(name, fields, n)					\
	__efd_lkm_kind_register(THIS_MODULE, name, fields, n)

/*
 * efd_lkm_kind_unregister() - end a kind the calling module registered; process context,
 * may sleep. A number the caller does not own, or no longer registered: a warning in the
 * kernel log, nothing else.
 */
#define efd_lkm_kind_unregister(kind)						\
	__efd_lkm_kind_unregister(THIS_MODULE, kind)

#endif /* _EFD_LKM_H */
