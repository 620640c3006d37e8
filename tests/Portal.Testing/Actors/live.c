// Benchmark S2 actor: a reactor module (no _start) whose exported function is called on a live
// instance, to compare a call on a warm instance with a fresh instance per request.
__attribute__((export_name("answer"))) int answer(int x) {
  return x * 2 + 1;
}
