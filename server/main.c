/* main.c: dustgrid-server, the DustGrid HTTP API and its administration commands. */
#include "config.h"

#include "dg-cli.h"

int
main (int    argc,
      char **argv)
{
  return dg_cli_main (argc, argv);
}
