/* config.h - the application's own configuration header (not serrsim's):
 * the install tests put this directory on the include path, next to
 * serrsim's, and check that neither is taken for the other. */
#ifndef CONFIG_H
#define CONFIG_H

#define MYAPP_VERSION "myapp 1.0"
#define MAX_CONDS 3		/* names a header could clash with */
#define CONFIG_PE_COUNT 2

struct config {
	int pes;
};

#endif
