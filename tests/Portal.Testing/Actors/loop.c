// Test actor (WASI preview1, CGI): never finishes; the host must stop it at its time limit.
int main(void) {
  volatile unsigned long n = 0;
  for (;;) n++;
}
