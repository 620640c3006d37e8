// Test actor (WASI preview1, CGI): answers 201 with what it was given, so tests can check every
// CGI variable and that bodies survive the trip byte for byte (the body is echoed after a NUL-free
// text preamble, as the last part of the response).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env(const char *name) {
  const char *v = getenv(name);
  return v ? v : "";
}

int main(void) {
  size_t cap = 1 << 16, len = 0, n;
  unsigned char *body = malloc(cap);
  while ((n = fread(body + len, 1, cap - len, stdin)) > 0) {
    len += n;
    if (len == cap) body = realloc(body, cap *= 2);
  }
  printf("Status: 201 Created\r\n");
  printf("Content-Type: application/octet-stream\r\n");
  printf("X-Method: %s\r\n", env("REQUEST_METHOD"));
  printf("X-Path: %s\r\n", env("PATH_INFO"));
  printf("X-Query: %s\r\n", env("QUERY_STRING"));
  printf("X-Content-Type: %s\r\n", env("CONTENT_TYPE"));
  printf("X-Content-Length: %s\r\n", env("CONTENT_LENGTH"));
  printf("X-Server: %s:%s\r\n", env("SERVER_NAME"), env("SERVER_PORT"));
  printf("X-Test-Header: %s\r\n", env("HTTP_X_TEST"));
  printf("X-Greeting: %s\r\n", env("GREETING"));
  printf("X-Home: %s\r\n", env("HOME"));
  printf("\r\n");
  fwrite(body, 1, len, stdout);
  return 0;
}
