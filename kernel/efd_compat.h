/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API differences between the kernels efd_lkm supports (Debian's 6.1, 6.12 and the
 * newest trixie-backports). Feature macros come from Kbuild, which tests the headers the
 * module is built against: distributions backport, so a version number would lie.
 */
#ifndef _EFD_COMPAT_H
#define _EFD_COMPAT_H

#include <linux/eventfd.h>

/*
 * 6.8 dropped eventfd_signal()'s count argument (it always added 1 in practice).
 * EFD_EVENTFD_SIGNAL_NO_COUNT is set when the headers declare eventfd_signal(ctx).
 */
static inline void efd_eventfd_signal(struct eventfd_ctx *ctx)
{
#ifdef EFD_EVENTFD_SIGNAL_NO_COUNT
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

#endif /* _EFD_COMPAT_H */
