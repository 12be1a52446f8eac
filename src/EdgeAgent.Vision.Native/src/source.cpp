// Frame sources over cv::VideoCapture: files and network streams through FFmpeg, devices through V4L2.
#include <sys/stat.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "bridge_common.hpp"

struct ea_source {
    cv::VideoCapture capture;
    std::string uri;
    bool is_file = false;
    int64_t frames_read = 0;
    int64_t frame_count = -1;
    double last_pts_ms = 0;
    double frame_interval_ms = 40;  // from the stream's frame rate; 25 fps when it does not say
};

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

bool is_device_path(const std::string& uri) { return starts_with(uri, "/dev/video"); }

// "v4l2:2" or "/dev/video2" -> 2; -1 when the URI names no device.
int device_index(const std::string& uri) {
    std::string digits;
    if (starts_with(uri, "v4l2:")) digits = uri.substr(5);
    else if (is_device_path(uri)) digits = uri.substr(10);
    else return -1;
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::stoi(digits);
}

bool is_network(const std::string& uri) {
    return starts_with(uri, "rtsp://") || starts_with(uri, "rtsps://") || starts_with(uri, "http://") ||
           starts_with(uri, "https://") || starts_with(uri, "udp://") || starts_with(uri, "tcp://");
}

}  // namespace

extern "C" {

EA_API int ea_set_threads(int32_t threads) {
    return ea::guarded("ea_set_threads", [&]() -> int {
        if (threads < 0) return ea::fail(EA_E_ARGUMENT, "ea_set_threads: negative thread count");
        cv::setNumThreads(threads == 0 ? -1 : threads);
        return EA_OK;
    });
}

EA_API int ea_source_open(const char* uri, ea_source** out) {
    return ea::guarded("ea_source_open", [&]() -> int {
        if (uri == nullptr || out == nullptr) return ea::fail(EA_E_ARGUMENT, "ea_source_open: null argument");
        *out = nullptr;
        std::string u(uri);
        auto source = std::make_unique<ea_source>();
        source->uri = u;
        int device = device_index(u);
        if (device >= 0) {
            if (is_device_path(u)) {
                struct stat st {};
                if (stat(uri, &st) != 0)
                    return ea::fail(EA_E_OPEN, "camera device " + u + " does not exist (is the camera plugged in? ls /dev/video*)");
            }
            source->capture.open(device, cv::CAP_V4L2);
        } else if (is_network(u)) {
            source->capture.open(u, cv::CAP_FFMPEG);
        } else {
            struct stat st {};
            if (stat(uri, &st) != 0) return ea::fail(EA_E_OPEN, "video file " + u + " does not exist");
            if (!S_ISREG(st.st_mode)) return ea::fail(EA_E_OPEN, u + " is not a regular file");
            if (st.st_size == 0) return ea::fail(EA_E_OPEN, "video file " + u + " is empty");
            source->is_file = true;
            source->capture.open(u, cv::CAP_FFMPEG);
        }
        if (!source->capture.isOpened())
            return ea::fail(EA_E_OPEN, source->is_file
                                           ? "video file " + u + " could not be decoded (corrupt, truncated or not a video)"
                                           : "source " + u + " could not be opened (check the address, credentials and network)");
        // Probe the first frame's size when the container does not state it.
        double count = source->capture.get(cv::CAP_PROP_FRAME_COUNT);
        source->frame_count = source->is_file && count > 0 ? static_cast<int64_t>(count) : -1;
        const double fps = source->capture.get(cv::CAP_PROP_FPS);
        if (std::isfinite(fps) && fps > 0 && fps < 1000) source->frame_interval_ms = 1000.0 / fps;
        if (source->capture.get(cv::CAP_PROP_FRAME_WIDTH) <= 0)
            return ea::fail(EA_E_OPEN, "source " + u + " reports no frame size (not a video stream?)");
        *out = source.release();
        return EA_OK;
    });
}

EA_API int ea_source_info_get(const ea_source* source, ea_source_info* info) {
    if (source == nullptr || info == nullptr) return ea::fail(EA_E_ARGUMENT, "ea_source_info_get: null argument");
    auto& cap = const_cast<cv::VideoCapture&>(source->capture);
    info->width = static_cast<int32_t>(cap.get(cv::CAP_PROP_FRAME_WIDTH));
    info->height = static_cast<int32_t>(cap.get(cv::CAP_PROP_FRAME_HEIGHT));
    double fps = cap.get(cv::CAP_PROP_FPS);
    info->fps = std::isfinite(fps) && fps > 0 && fps < 1000 ? fps : 0;
    info->frame_count = source->frame_count;
    return EA_OK;
}

EA_API int ea_source_read(ea_source* source, uint8_t* bgr, int32_t bgr_stride, uint8_t* gray,
                          int32_t gray_stride, int32_t width, int32_t height, double* pts_ms) {
    return ea::guarded("ea_source_read", [&]() -> int {
        if (source == nullptr || !ea::valid_image(bgr, width, height, bgr_stride, 3))
            return ea::fail(EA_E_ARGUMENT, "ea_source_read: bad source or frame buffer");
        if (gray != nullptr && gray_stride < width)
            return ea::fail(EA_E_ARGUMENT, "ea_source_read: gray stride smaller than the width");
        // A header over the caller's buffer: VideoCapture writes straight into it when the size matches.
        cv::Mat frame(height, width, CV_8UC3, bgr, static_cast<size_t>(bgr_stride));
        if (!source->capture.read(frame)) {
            // A file that stops well short of the frame count its container declares is truncated or corrupt.
            if (source->is_file && source->frame_count > 0 &&
                source->frames_read + 2 < source->frame_count * 98 / 100)
                return ea::fail(EA_E_READ, "video file " + source->uri + " ended at frame " +
                                               std::to_string(source->frames_read) + " of " +
                                               std::to_string(source->frame_count) + ": it is truncated or corrupt");
            if (source->is_file) return 0;
            return ea::fail(EA_E_READ, "source " + source->uri + " stopped delivering frames");
        }
        if (frame.data != bgr || frame.cols != width || frame.rows != height)
            return ea::fail(EA_E_SIZE, "source " + source->uri + " delivered a " + std::to_string(frame.cols) + "x" +
                                           std::to_string(frame.rows) + " frame into a " + std::to_string(width) +
                                           "x" + std::to_string(height) + " buffer");
        if (gray != nullptr) {
            cv::Mat g(height, width, CV_8UC1, gray, static_cast<size_t>(gray_stride));
            cv::cvtColor(frame, g, cv::COLOR_BGR2GRAY);
        }
        // FFmpeg reports position 0 for the frames it flushes out of the decoder after the last packet:
        // keep timestamps increasing by continuing at the frame interval.
        double pts = source->capture.get(cv::CAP_PROP_POS_MSEC);
        if (source->frames_read > 0 && !(pts > source->last_pts_ms)) pts = source->last_pts_ms + source->frame_interval_ms;
        source->last_pts_ms = pts;
        if (pts_ms != nullptr) *pts_ms = pts;
        source->frames_read++;
        return 1;
    });
}

EA_API void ea_source_close(ea_source* source) { delete source; }

}
