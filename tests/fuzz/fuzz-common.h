/* fuzz-common.h: what the fuzz targets share with their two drivers (libFuzzer's and
 * replay-main.c). */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

int LLVMFuzzerInitialize   (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *bytes, size_t size);

/* A broken property: say which and abort, so that libFuzzer keeps the input as a crash and the
 * replay fails. */
G_GNUC_NORETURN G_GNUC_PRINTF (1, 2) static inline void
fuzz_fail (const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  fputs ("fuzz: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  abort ();
}
