/* test_date: PLACEHOLDER until its module lands. */
#include "test.h"
int main(void) { return TEST_REPORT(); }
