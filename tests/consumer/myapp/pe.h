/* pe.h - the application's own processing-element header (not serrsim's). */
#ifndef PE_H
#define PE_H

#include "config.h"

struct pe {
	int id;
	struct config cfg;
};

static inline int myapp_pe_count(void)
{
	return CONFIG_PE_COUNT;
}

#endif
