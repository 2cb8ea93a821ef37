/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * efd_lkm in-kernel API: other modules raise their own events through efd_lkm.
 *
 * A module that calls efd_lkm_notify() depends on efd_lkm (modprobe loads it first, and
 * efd_lkm cannot be unloaded while the caller is loaded).
 */
#ifndef _EFD_LKM_H
#define _EFD_LKM_H

#include <linux/types.h>
#include "uapi/efd_lkm.h"

int efd_lkm_notify(u32 kind, const void *data, size_t len);

#endif /* _EFD_LKM_H */
