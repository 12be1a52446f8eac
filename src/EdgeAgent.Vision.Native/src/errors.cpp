#include "bridge_common.hpp"

namespace {
// One message per thread: the capture thread and the processing thread fail independently.
thread_local std::string last_error;
}  // namespace

namespace ea {

void set_error(const std::string& message) { last_error = message; }

int fail(int status, const std::string& message) {
    last_error = message;
    return status;
}

}  // namespace ea

extern "C" {

EA_API int ea_abi_version(void) { return 3; }

EA_API const char* ea_last_error(void) { return last_error.c_str(); }

}
