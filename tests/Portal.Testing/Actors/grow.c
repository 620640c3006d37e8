// Test actor (WASI preview1, CGI): asks for far more memory than the cap allows (64 MiB in 1 MiB
// steps, touching every page and printing a checksum so the compiler cannot drop the allocations);
// fails when the allocator is refused, like any C program would.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *blocks[64];

int main(void) {
  unsigned long sum = 0;
  for (int i = 0; i < 64; i++) {
    blocks[i] = malloc(1 << 20);
    if (!blocks[i]) abort();
    memset(blocks[i], i + 1, 1 << 20);
  }
  for (int i = 0; i < 64; i++)
    for (int j = 0; j < (1 << 20); j += 4096) sum += (unsigned char)blocks[i][j];
  printf("Content-Type: text/plain\r\n\r\ngrew %lu\n", sum);
  return 0;
}
