// Callgrind's client request, so that `valgrind --tool=callgrind --collect-atstart=no` counts only
// the instructions of the solve calls (bench toggles collection around each). Outside valgrind the
// request is a few no-op instructions; without valgrind's headers it compiles to nothing.
#ifndef CCALLGRIND_H
#define CCALLGRIND_H
#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define CCALLGRIND_AVAILABLE 1
#endif
#endif
static inline void ccallgrind_toggle_collect(void) {
#ifdef CCALLGRIND_AVAILABLE
    CALLGRIND_TOGGLE_COLLECT;
#endif
}
#endif
