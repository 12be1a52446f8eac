// Shared plumbing for the bridge: the per-thread last error and the guard that turns C++ exceptions
// into status codes. No exception may cross the C ABI: the managed caller would crash.
#pragma once

#include <exception>
#include <string>

#include <opencv2/core.hpp>

#include "edgeagent_vision.h"

namespace ea {

void set_error(const std::string& message);
int fail(int status, const std::string& message);

// Runs body; a C++ exception becomes EA_E_INTERNAL with the exception's text as the last error.
template <typename Body>
int guarded(const char* call, Body&& body) noexcept {
    try {
        return body();
    } catch (const cv::Exception& e) {
        return fail(EA_E_INTERNAL, std::string(call) + ": OpenCV error: " + e.what());
    } catch (const std::exception& e) {
        return fail(EA_E_INTERNAL, std::string(call) + ": " + e.what());
    } catch (...) {
        return fail(EA_E_INTERNAL, std::string(call) + ": unknown C++ exception");
    }
}

// A plate's rotated rectangle and its upright bounds into the ABI's box (the finder and the reader both
// report plates this way; score and polarity are the caller's to fill).
inline void write_plate_box(const cv::RotatedRect& plate, const cv::Rect& bounds, ea_plate_box& b) {
    b.cx = plate.center.x;
    b.cy = plate.center.y;
    b.w = plate.size.width;
    b.h = plate.size.height;
    b.angle = plate.angle;
    b.x = bounds.x;
    b.y = bounds.y;
    b.bw = bounds.width;
    b.bh = bounds.height;
}

// The ABI's region of interest (frame pixels; w or h 0 = the whole frame), clipped to the frame.
inline cv::Rect region_of_interest(int x, int y, int w, int h, int width, int height) {
    const cv::Rect frame(0, 0, width, height);
    return (w <= 0 || h <= 0 ? frame : cv::Rect(x, y, w, h)) & frame;
}

inline bool valid_image(const void* data, int width, int height, int stride, int channels) {
    return data != nullptr && width > 0 && height > 0 && stride >= width * channels;
}

}  // namespace ea
