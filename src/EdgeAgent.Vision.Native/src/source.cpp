// Frame sources through FFmpeg directly: files, RTSP/HTTP/UDP/TCP streams, and V4L2 devices. Not through
// cv::VideoCapture: Debian's videoio links imgcodecs and with it GDAL, GDCM, Poppler and GStreamer, about
// 30 MB of resident memory in every agent, for a demuxer and a decoder that are FFmpeg's anyway.
#include <dlfcn.h>
#include <sys/stat.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>
}

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include "bridge_common.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// As long as cv::VideoCapture gave a source to open and to deliver the next packet before giving up:
// a camera that hangs with the connection open ends the read here, and the agent reopens it.
constexpr auto kOpenTimeout = std::chrono::seconds(30);
constexpr auto kReadTimeout = std::chrono::seconds(30);
// Packets in a row that give no frame (corrupt data) before the source counts as failed (VideoCapture's 4096).
constexpr int kMaxPacketsWithoutFrame = 4096;

}  // namespace

struct ea_source {
    AVFormatContext* format = nullptr;
    AVCodecContext* codec = nullptr;
    AVPacket* packet = nullptr;
    AVFrame* frame = nullptr;
    SwsContext* scaler = nullptr;
    int stream = -1;
    std::string uri;
    bool is_file = false;
    bool draining = false;  // the input has ended; the decoder is giving up the frames it holds
    int width = 0;
    int height = 0;
    double fps = 0;  // 0 when the stream does not say
    int64_t frames_read = 0;
    int64_t frame_count = -1;
    double last_pts_ms = 0;
    Clock::time_point deadline;     // the blocking FFmpeg call in progress is abandoned after this

    // From the stream's frame rate; 25 fps when it does not say.
    double frame_interval_ms() const { return fps > 0 ? 1000.0 / fps : 40.0; }

    ~ea_source() {
        sws_freeContext(scaler);
        av_frame_free(&frame);
        av_packet_free(&packet);
        avcodec_free_context(&codec);
        avformat_close_input(&format);
    }
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

std::string describe(int error) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(error, text, sizeof text);
    return text;
}

int on_interrupt_check(void* opaque) { return Clock::now() > static_cast<ea_source*>(opaque)->deadline ? 1 : 0; }

// FFmpeg logs every damaged packet to stderr; the agent reports what matters through its own errors.
void quiet_ffmpeg() {
    static std::once_flag once;
    std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

// V4L2 input lives in libavdevice, which pulls in X11, SDL and PulseAudio (17 MB resident): loaded only
// when a device is opened. Its major version moves with libavformat's (one FFmpeg release).
bool register_devices(std::string& error) {
    static std::once_flag once;
    static std::string failure;
    std::call_once(once, [] {
        const std::string name = "libavdevice.so." + std::to_string(LIBAVFORMAT_VERSION_MAJOR);
        void* library = dlopen(name.c_str(), RTLD_NOW | RTLD_GLOBAL);
        auto register_all = library == nullptr ? nullptr : reinterpret_cast<void (*)()>(dlsym(library, "avdevice_register_all"));
        if (register_all == nullptr) failure = name + " could not be loaded (install libavdevice" + std::to_string(LIBAVFORMAT_VERSION_MAJOR) + ")";
        else register_all();
    });
    error = failure;
    return failure.empty();
}

int open_decoder(ea_source& s, const std::string& what) {
    int r = avformat_find_stream_info(s.format, nullptr);
    if (r < 0) return ea::fail(EA_E_OPEN, what + ": no stream information (" + describe(r) + ")");
    const AVCodec* decoder = nullptr;
    s.stream = av_find_best_stream(s.format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    if (s.stream < 0 || decoder == nullptr) return ea::fail(EA_E_OPEN, what + ": no video stream that FFmpeg can decode");
    s.codec = avcodec_alloc_context3(decoder);
    s.packet = av_packet_alloc();
    s.frame = av_frame_alloc();
    if (s.codec == nullptr || s.packet == nullptr || s.frame == nullptr) return ea::fail(EA_E_INTERNAL, "ea_source_open: out of memory");
    const AVStream* stream = s.format->streams[s.stream];
    r = avcodec_parameters_to_context(s.codec, stream->codecpar);
    // One decoding thread a camera (VideoCapture let FFmpeg start one per core, and more): a camera's 25 frames
    // a second take a few per cent of a core to decode, and the agent already runs a capture and a processing
    // thread a camera on a box of few cores. FFmpeg's frame threads would each hold frames of their own (16 MB
    // more resident for a 1080p stream), hold each frame back a frame per thread (40 ms at 25 fps), and compete
    // with the processing thread; replaying a file, the pipeline ran no faster with them (196 against 214
    // frames/s, `edgeagent bench`, evidence off, load 8.8).
    s.codec->thread_count = 1;
    if (r >= 0) r = avcodec_open2(s.codec, decoder, nullptr);
    if (r < 0) return ea::fail(EA_E_OPEN, what + ": the decoder would not open (" + describe(r) + ")");
    s.width = s.codec->width;
    s.height = s.codec->height;
    if (s.width <= 0 || s.height <= 0) return ea::fail(EA_E_OPEN, "source " + s.uri + " reports no frame size (not a video stream?)");
    const AVRational rate = av_guess_frame_rate(s.format, const_cast<AVStream*>(stream), nullptr);
    const double fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
    if (std::isfinite(fps) && fps > 0 && fps < 1000) s.fps = fps;
    if (s.is_file) {
        if (stream->nb_frames > 0) s.frame_count = stream->nb_frames;
        else if (s.fps > 0 && s.format->duration > 0)
            s.frame_count = std::llround(static_cast<double>(s.format->duration) / AV_TIME_BASE * s.fps);
    }
    return EA_OK;
}

// The next decoded frame into s.frame: 1, 0 at the end of a file, or an error code (already reported).
int next_frame(ea_source& s) {
    int without_frame = 0;
    for (;;) {
        int r = avcodec_receive_frame(s.codec, s.frame);
        if (r == 0) return 1;
        if (r == AVERROR_EOF) return 0;
        if (r != AVERROR(EAGAIN) && ++without_frame > kMaxPacketsWithoutFrame)
            return ea::fail(EA_E_READ, "source " + s.uri + " sends data that does not decode (" + describe(r) + ")");
        if (s.draining) return 0;
        s.deadline = Clock::now() + kReadTimeout;
        r = av_read_frame(s.format, s.packet);
        if (r < 0) {
            // A file's end, or a damaged file's unreadable rest: give up what the decoder holds (the
            // caller tells a file cut short from its frame count). A live source that fails has stopped.
            if (!s.is_file && r != AVERROR_EOF)
                return ea::fail(EA_E_READ, "source " + s.uri + " stopped delivering frames (" + describe(r) + ")");
            avcodec_send_packet(s.codec, nullptr);
            s.draining = true;
            continue;
        }
        if (s.packet->stream_index == s.stream) {
            r = avcodec_send_packet(s.codec, s.packet);
            if (r < 0 && r != AVERROR(EAGAIN) && ++without_frame > kMaxPacketsWithoutFrame)
                return ea::fail(EA_E_READ, "source " + s.uri + " sends data that does not decode (" + describe(r) + ")");
        }
        av_packet_unref(s.packet);
    }
}

// The frame's time from the start of the stream in ms (as VideoCapture's CAP_PROP_POS_MSEC), -1 unknown.
double frame_time_ms(const ea_source& s) {
    int64_t ts = s.frame->best_effort_timestamp;
    if (ts == AV_NOPTS_VALUE) ts = s.frame->pkt_dts;
    if (ts == AV_NOPTS_VALUE) return -1;
    const AVStream* stream = s.format->streams[s.stream];
    if (stream->start_time != AV_NOPTS_VALUE) ts -= stream->start_time;
    return static_cast<double>(ts) * av_q2d(stream->time_base) * 1000.0;
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
        quiet_ffmpeg();
        auto source = std::make_unique<ea_source>();
        source->uri = uri;
        const std::string& u = source->uri;
        std::string path = u;
        const AVInputFormat* input = nullptr;
        const int device = device_index(u);
        if (device >= 0) {
            path = "/dev/video" + std::to_string(device);
            struct stat st {};
            if (stat(path.c_str(), &st) != 0)
                return ea::fail(EA_E_OPEN, "camera device " + path + " does not exist (is the camera plugged in? ls /dev/video*)");
            std::string error;
            if (!register_devices(error)) return ea::fail(EA_E_OPEN, "camera device " + path + ": " + error);
            input = av_find_input_format("video4linux2");
        } else if (!is_network(u)) {
            struct stat st {};
            if (stat(uri, &st) != 0) return ea::fail(EA_E_OPEN, "video file " + u + " does not exist");
            if (!S_ISREG(st.st_mode)) return ea::fail(EA_E_OPEN, u + " is not a regular file");
            if (st.st_size == 0) return ea::fail(EA_E_OPEN, "video file " + u + " is empty");
            source->is_file = true;
        }
        const std::string cannot_open = source->is_file
                                            ? "video file " + u + " could not be decoded (corrupt, truncated or not a video)"
                                            : "source " + u + " could not be opened (check the address, credentials and network)";
        source->format = avformat_alloc_context();
        if (source->format == nullptr) return ea::fail(EA_E_INTERNAL, "ea_source_open: out of memory");
        source->format->interrupt_callback.callback = on_interrupt_check;
        source->format->interrupt_callback.opaque = source.get();
        source->deadline = Clock::now() + kOpenTimeout;
        // On failure FFmpeg frees the context and clears the pointer.
        const int r = avformat_open_input(&source->format, path.c_str(), input, nullptr);
        if (r < 0) return ea::fail(EA_E_OPEN, cannot_open + ": " + describe(r));
        const int opened = open_decoder(*source, source->is_file ? "video file " + u + " could not be decoded" : cannot_open);
        if (opened != EA_OK) return opened;
        *out = source.release();
        return EA_OK;
    });
}

EA_API int ea_source_info_get(const ea_source* source, ea_source_info* info) {
    if (source == nullptr || info == nullptr) return ea::fail(EA_E_ARGUMENT, "ea_source_info_get: null argument");
    info->width = source->width;
    info->height = source->height;
    info->fps = source->fps;
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
        const int got = next_frame(*source);
        if (got < 0) return got;
        if (got == 0) {
            // A file that stops well short of the frame count its container declares is truncated or corrupt.
            if (source->frame_count > 0 && source->frames_read + 2 < source->frame_count * 98 / 100)
                return ea::fail(EA_E_READ, "video file " + source->uri + " ended at frame " +
                                               std::to_string(source->frames_read) + " of " +
                                               std::to_string(source->frame_count) + ": it is truncated or corrupt");
            if (!source->is_file) return ea::fail(EA_E_READ, "source " + source->uri + " stopped delivering frames (the stream ended)");
            return 0;
        }
        const AVFrame& f = *source->frame;
        if (f.width != width || f.height != height)
            return ea::fail(EA_E_SIZE, "source " + source->uri + " delivered a " + std::to_string(f.width) + "x" +
                                           std::to_string(f.height) + " frame into a " + std::to_string(width) +
                                           "x" + std::to_string(height) + " buffer");
        // Bicubic, as VideoCapture converted: the chroma planes are upsampled the same way.
        source->scaler = sws_getCachedContext(source->scaler, f.width, f.height, static_cast<AVPixelFormat>(f.format), width,
                                              height, AV_PIX_FMT_BGR24, SWS_BICUBIC, nullptr, nullptr, nullptr);
        if (source->scaler == nullptr)
            return ea::fail(EA_E_READ, "source " + source->uri + " delivers a pixel format that cannot be converted to BGR");
        uint8_t* planes[4] = {bgr, nullptr, nullptr, nullptr};
        int strides[4] = {bgr_stride, 0, 0, 0};
        sws_scale(source->scaler, f.data, f.linesize, 0, f.height, planes, strides);
        if (gray != nullptr) {
            const cv::Mat frame(height, width, CV_8UC3, bgr, static_cast<size_t>(bgr_stride));
            cv::Mat g(height, width, CV_8UC1, gray, static_cast<size_t>(gray_stride));
            cv::cvtColor(frame, g, cv::COLOR_BGR2GRAY);
        }
        // FFmpeg gives no time to some frames it flushes out of the decoder after the last packet:
        // keep timestamps increasing by continuing at the frame interval.
        double pts = frame_time_ms(*source);
        if (source->frames_read > 0 && !(pts > source->last_pts_ms)) pts = source->last_pts_ms + source->frame_interval_ms();
        if (pts < 0) pts = 0;
        source->last_pts_ms = pts;
        if (pts_ms != nullptr) *pts_ms = pts;
        source->frames_read++;
        return 1;
    });
}

EA_API void ea_source_close(ea_source* source) { delete source; }

}
