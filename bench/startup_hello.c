/*
 * startup_hello.c -- the floor for bench_startup: a program that prints a
 * usage text of the size of `entente --help` and exits, built like the
 * `entente` binary (startup-hello) and statically (startup-hello-static).
 * Whatever `entente --help` costs above startup-hello is entente's own.
 */
#include <stdio.h>

int main(void) {
  for (int i = 0; i < 20; i++)
    printf("  hello-%02d     a line of usage text as long as entente's\n", i);
  return 0;
}
