// The LFR generator of bench/common, compiled into this binary (tests do not link the bench
// sources); its behaviour is tested in tests/networks/lfr_test.cc.
#include "../bench/common/lfr.cc"  // NOLINT: the generator's single source file
