/* serrsim.c - the serrsim command (the commands themselves: main.c). */
#include "cli.h"

int main(int argc, char **argv)
{
	return serrsim_cli_main(argc, argv);
}
