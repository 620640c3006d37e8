// Test actor (WASI preview1, CGI): busy for the number of milliseconds in QUERY_STRING (ms=N),
// so tests can hold executions open and count how many run at once.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(void) {
  const char *q = getenv("QUERY_STRING");
  int ms = (q && strncmp(q, "ms=", 3) == 0) ? atoi(q + 3) : 100;
  double start = now_ms(), end = start + ms;
  while (now_ms() < end) {
  }
  printf("Content-Type: text/plain\r\n\r\n%.0f %.0f\n", start, now_ms());
  return 0;
}
