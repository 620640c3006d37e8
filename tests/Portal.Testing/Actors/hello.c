// Test actor (WASI preview1, CGI): the smallest valid CGI response.
#include <stdio.h>

int main(void) {
  fputs("Content-Type: text/plain\r\n\r\nHello from wasm\n", stdout);
  return 0;
}
