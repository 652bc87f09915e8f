/* fuzz_iso8583.c — libFuzzer entry point for the ISO 8583 decoder: any
 * input must decode or fail cleanly; what decodes must encode again to a
 * message that decodes to the same fields.  Build with
 *   ./configure --enable-fuzz CC=clang && make tests/fuzz/fuzz_iso8583
 * and run `tests/fuzz/fuzz_iso8583 -max_total_time=60`.  The same function
 * runs under gcc in tests/unit/test_iso8583_fuzz.c on random mutations. */
#include "iso8583/iso8583.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static struct iso_msg msg, again;
  static uint8_t packed[ISO8583_MAX_MESSAGE];
  size_t len;

  if (iso_unpack(&msg, data, size) != ISO_OK)
    return 0;
  if (iso_pack(&msg, packed, sizeof packed, &len) != ISO_OK)
    abort(); /* what decoded must encode */
  if (iso_unpack(&again, packed, len) != ISO_OK || strcmp(again.mti, msg.mti) != 0)
    abort();
  for (int f = 2; f <= ISO8583_MAX_FIELD; f++) {
    if (again.present[f] != msg.present[f])
      abort();
    if (msg.present[f] && strcmp(iso_get(&again, f), iso_get(&msg, f)) != 0)
      abort();
  }
  return 0;
}
