/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the parts of efd_lkm share: the record ring and its device (efd_ring.c), the
 * doorbell and the attach logic (efd_main.c), the event sources (efd_sources.c).
 */
#ifndef _EFD_INTERNAL_H
#define _EFD_INTERNAL_H

#include <linux/types.h>
#include "efd_lkm.h"

/* efd_ring.c: records and /dev/efd_lkm. efd_emit() may be called from any context. */
int efd_ring_init(unsigned int size);
void efd_ring_exit(void);
int efd_emit(u32 kind, const void *data, u32 len);
u64 efd_ring_events(void);
u64 efd_ring_dropped(void);
unsigned int efd_ring_size(void);
int efd_dev_init(void);
void efd_dev_exit(void);

/* efd_main.c: rings the attached eventfd once; any context. */
void efd_doorbell(void);

/* efd_sources.c: the optional built-in sources, switched by module parameters. */
int efd_sources_start(void);
void efd_sources_stop(void);

#endif /* _EFD_INTERNAL_H */
