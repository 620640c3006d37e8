// Test actor (WASI preview1, CGI): shows whether anything survives from an earlier request. It bumps
// an initialized global, looks for the marker bytes an earlier request would have left in its
// zero-initialized buffer and in a heap block, then writes those markers. Every fresh instance
// must report counter=42 dirty=0 heap=0.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int counter = 41;
static char scratch[8192];

int main(void) {
  counter++;
  int dirty = 0, heap_dirty = 0;
  for (size_t i = 0; i < sizeof scratch; i++) dirty |= ((volatile char *)scratch)[i] != 0;
  volatile unsigned char *heap = malloc(100000);
  for (size_t i = 0; i < 100000; i++) heap_dirty |= heap[i] == 0xCD;
  memset(scratch, 0xAB, sizeof scratch);
  memset((char *)heap, 0xCD, 100000);
  printf("Content-Type: text/plain\r\n\r\ncounter=%d dirty=%d heap=%d\n", counter, dirty, heap_dirty);
  return 0;
}
