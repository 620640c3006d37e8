// Test actor (WASI preview1, CGI): traps (unreachable) before answering.
int main(void) {
  __builtin_trap();
}
