/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the parts of efd_lkm share: the record ring and its device (efd_ring.c), the attached
 * eventfd and its doorbell (efd_target.c), the event sources (efd_sources.c, efd_input.c,
 * efd_power.c),
 * /sys/kernel/efd_lkm (efd_sysfs.c) and the kinds described in it (efd_kinds.c); efd_main.c
 * loads them in that order and unloads them in its mirror image.
 */
#ifndef _EFD_INTERNAL_H
#define _EFD_INTERNAL_H

#include <linux/types.h>
#include "efd_lkm.h"

struct kobject;

#define EFD_RING_SIZE_DEFAULT	8192U
#define EFD_RING_SIZE_MIN	2U
#define EFD_RING_SIZE_MAX	65536U

/* efd_ring.c: records and /dev/efd_lkm. */
int efd_ring_init(unsigned int size);
void efd_ring_exit(void);
int efd_dev_init(void);
void efd_dev_exit(void);

/*
 * Adds one record; any context but NMI. @always_ring: signal the eventfd even when an
 * opted-in reader has not caught up (the ATTACHED record).
 */
int efd_emit(u32 kind, const void *data, u32 len, bool always_ring);

struct efd_ring_stats {
	u64 events;		/* records made: the last seq */
	u64 committed;		/* highest seq committed, or consumed by a plain reader */
	u64 dropped;		/* overwritten before delivery */
	u64 dropped_inflight;	/* overwritten after delivery to an opted-in reader, uncommitted */
	unsigned int size;
};

void efd_ring_stats(struct efd_ring_stats *st);

/* efd_target.c: the attached eventfd. */
int efd_attach(pid_t pid, int fd);
void efd_detach(void);
void efd_target_exit(void);	/* detach and wait for deferred work; unload or failed load */
void efd_doorbell(void);	/* signals the attached eventfd once; any context but NMI */
int efd_attached_pid(void);	/* -1 when detached */
int efd_attached_fd(void);
u64 efd_signals(void);

/* efd_sysfs.c: /sys/kernel/efd_lkm. */
int efd_sysfs_init(void);
void efd_sysfs_exit(void);
void efd_sysfs_target_changed(void);	/* process context */
struct kobject *efd_sysfs_kobj(void);	/* /sys/kernel/efd_lkm, between init and exit */

/* efd_kinds.c: /sys/kernel/efd_lkm/kinds, registered kinds. */
int efd_kinds_init(struct kobject *parent);
void efd_kinds_exit(void);
/* A record of a registered kind, checked against its format; any context but NMI. */
int efd_kinds_emit(u32 kind, const void *data, u32 len);

/* efd_sources.c: the optional built-in sources, switched by module parameters. */
int efd_sources_start(void);
void efd_sources_stop(void);

/* efd_input.c and efd_power.c: two of those sources; process context, efd_sources_mutex held. */
int efd_input_start(void);
void efd_input_stop(void);
int efd_power_start(void);
void efd_power_stop(void);

#endif /* _EFD_INTERNAL_H */
