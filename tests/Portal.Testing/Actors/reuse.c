// Test actor (WASI preview1, CGI): small enough to stay within its initial memory, so the host
// serves it from one restored live instance. Every request must see the state of a fresh
// instance: counter=1, a clean static buffer, a clean heap block, an untouched greeting. With the
// query "corrupt" it then scribbles over its statics, heap and the greeting and still answers 200,
// leaving the instance in a state the next request must not observe.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int counter = 0;
static char scratch[4096];
static char greeting[] = "hello";

int main(void) {
  counter++;
  int dirty = 0, heap_dirty = 0;
  for (size_t i = 0; i < sizeof scratch; i++) dirty |= ((volatile char *)scratch)[i] != 0;
  volatile unsigned char *heap = malloc(2000);
  for (size_t i = 0; i < 2000; i++) heap_dirty |= heap[i] == 0xCD;
  const char *query = getenv("QUERY_STRING");
  printf("Content-Type: text/plain\r\n\r\ncounter=%d dirty=%d heap=%d greeting=%s\n", counter, dirty, heap_dirty, greeting);
  memset(scratch, 0xAB, sizeof scratch);
  memset((char *)heap, 0xCD, 2000);
  if (query && strcmp(query, "corrupt") == 0) {
    counter = 1000;
    strcpy(greeting, "HACK");
    // Leak, so the allocator's state differs too.
    for (int i = 0; i < 8; i++) memset(malloc(500), 0xEE, 500);
  }
  return 0;
}
