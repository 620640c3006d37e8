// The smallest useful actor: a WASI command module that answers an HTTP request as a CGI script.
// portal-host runs it once per request with the request in CGI variables and the body on stdin;
// what it prints (headers, a blank line, the body) is the HTTP response.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  const char *path = getenv("PATH_INFO");
  printf("Content-Type: text/plain\r\n\r\n");
  printf("Hello from wasm, you asked for %s\n", path && *path ? path : "/");
  return 0;
}
