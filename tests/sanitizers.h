// Which sanitizer a test binary is built with, for the tests that cannot run under one:
// POLEGRAPH_TEST_TSAN under ThreadSanitizer, POLEGRAPH_TEST_SANITIZED under it or
// AddressSanitizer. GCC says so with __SANITIZE_*__, clang with __has_feature.
#ifndef POLEGRAPH_TESTS_SANITIZERS_H_
#define POLEGRAPH_TESTS_SANITIZERS_H_

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define POLEGRAPH_TEST_TSAN 1
#endif
#if __has_feature(address_sanitizer)
#define POLEGRAPH_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define POLEGRAPH_TEST_TSAN 1
#endif
#if defined(__SANITIZE_ADDRESS__)
#define POLEGRAPH_TEST_ASAN 1
#endif
#if defined(POLEGRAPH_TEST_TSAN) || defined(POLEGRAPH_TEST_ASAN)
#define POLEGRAPH_TEST_SANITIZED 1
#endif

#endif  // POLEGRAPH_TESTS_SANITIZERS_H_
