/*
 * profile.h - named configuration profiles: a preset of knob values that
 * describes a particular implementation (docs/qemu.md).  A profile is applied
 * like a list of -D overrides, after a scenario's [cpu] section.
 */
#ifndef SERRSIM_PROFILE_H
#define SERRSIM_PROFILE_H

#include <stddef.h>

#include "scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ss_profile_entry {
	const char *knob;
	const char *value;
	const char *evidence;	/* why the implementation has this value */
};

struct ss_profile {
	const char *name;
	const char *description;
	const struct ss_profile_entry *entries;
	size_t n;
};

/* Profile by name (case-insensitive), or NULL. */
const struct ss_profile *ss_profile_find(const char *name);

/* Every profile, NULL-terminated. */
extern const struct ss_profile *const ss_profiles[];

/* Append the profile's entries to ov[*n..max) as knob overrides; false when
 * they do not fit. */
bool ss_profile_overrides(const struct ss_profile *p, struct ss_knob_override *ov, size_t *n,
			  size_t max);

#ifdef __cplusplus
}
#endif

#endif
