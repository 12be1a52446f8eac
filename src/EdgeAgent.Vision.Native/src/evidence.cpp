// Evidence images: the cheap capture on the frame loop (a crop and a shrunken copy into buffers the caller
// allocated once), and the JPEG encoding under the size caps of the UK police ANPR standard.
#include <algorithm>
#include <cstring>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "bridge_common.hpp"
#include "edgeagent_redact.h"
#include "image_codecs.hpp"

namespace {

// Per thread: the frame loop's capture and the evidence worker's encoding never share them.
thread_local std::vector<uchar> encoded;
thread_local cv::Mat scratch;

// A failed encoding counts as one that does not fit, as imencode's false did; its message is not used.
bool encode(const cv::Mat& image, int quality, std::vector<uchar>& out) {
    std::string error;
    return ea::encode_jpeg(image, quality, /*optimize=*/true, out, error);
}

}  // namespace

extern "C" {

EA_API int ea_evidence_capture(const uint8_t* bgr, int32_t width, int32_t height, int32_t stride,
                               int32_t crop_x, int32_t crop_y, int32_t crop_w, int32_t crop_h,
                               uint8_t* crop_out, int32_t crop_max_w, int32_t crop_max_h,
                               int32_t* crop_out_w, int32_t* crop_out_h,
                               uint8_t* overview_out, int32_t ov_w, int32_t ov_h) {
    return ea::guarded("ea_evidence_capture", [&]() -> int {
        if (!ea::valid_image(bgr, width, height, stride, 3)) return ea::fail(EA_E_ARGUMENT, "ea_evidence_capture: bad frame");
        if (crop_out == nullptr || crop_out_w == nullptr || crop_out_h == nullptr || crop_max_w <= 0 || crop_max_h <= 0)
            return ea::fail(EA_E_ARGUMENT, "ea_evidence_capture: bad crop buffer");
        if (overview_out == nullptr || ov_w <= 0 || ov_h <= 0 || ov_w > width || ov_h > height)
            return ea::fail(EA_E_ARGUMENT, "ea_evidence_capture: bad overview buffer");
        const cv::Mat frame(height, width, CV_8UC3, const_cast<uint8_t*>(bgr), static_cast<size_t>(stride));

        cv::Rect crop = cv::Rect(crop_x, crop_y, crop_w, crop_h) & cv::Rect(0, 0, width, height);
        if (crop.area() <= 0) return ea::fail(EA_E_ARGUMENT, "ea_evidence_capture: the crop lies outside the frame");
        const double shrink = std::min({1.0, static_cast<double>(crop_max_w) / crop.width, static_cast<double>(crop_max_h) / crop.height});
        const int out_w = std::max(1, static_cast<int>(crop.width * shrink)), out_h = std::max(1, static_cast<int>(crop.height * shrink));
        cv::Mat crop_dst(out_h, out_w, CV_8UC3, crop_out, static_cast<size_t>(crop_max_w) * 3);
        if (shrink < 1.0) cv::resize(frame(crop), crop_dst, crop_dst.size(), 0, 0, cv::INTER_AREA);
        else frame(crop).copyTo(crop_dst);
        *crop_out_w = out_w;
        *crop_out_h = out_h;

        cv::Mat overview(ov_h, ov_w, CV_8UC3, overview_out, static_cast<size_t>(ov_w) * 3);
        // INTER_AREA averages whole pixel blocks: the cheapest shrink without aliasing at 2x and 3x.
        cv::resize(frame, overview, overview.size(), 0, 0, cv::INTER_AREA);
        return EA_OK;
    });
}

EA_API int ea_jpeg_encode_capped(const uint8_t* bgr, int32_t width, int32_t height, int32_t stride, int32_t gray,
                                 int32_t max_bytes, int32_t min_quality, int32_t max_quality, int32_t min_width,
                                 uint8_t* out, int32_t out_capacity, int32_t* out_len,
                                 int32_t* quality_used, int32_t* out_w, int32_t* out_h) {
    return ea::guarded("ea_jpeg_encode_capped", [&]() -> int {
        if (!ea::valid_image(bgr, width, height, stride, 3)) return ea::fail(EA_E_ARGUMENT, "ea_jpeg_encode_capped: bad image");
        if (out == nullptr || out_len == nullptr || quality_used == nullptr || out_w == nullptr || out_h == nullptr || max_bytes <= 0)
            return ea::fail(EA_E_ARGUMENT, "ea_jpeg_encode_capped: null output or no size cap");
        min_quality = std::clamp(min_quality, 5, 95);
        max_quality = std::clamp(max_quality, min_quality, 95);
        const cv::Mat source(height, width, CV_8UC3, const_cast<uint8_t*>(bgr), static_cast<size_t>(stride));
        cv::Mat image;
        if (gray != 0) cv::cvtColor(source, image, cv::COLOR_BGR2GRAY);
        else image = source;

        // Highest quality that fits at this size (binary search); if none, shrink by a fifth and try again.
        for (cv::Mat current = image; ; ) {
            if (encode(current, min_quality, encoded) && static_cast<int>(encoded.size()) <= max_bytes) {
                int lo = min_quality, hi = max_quality, best = min_quality;
                std::vector<uchar> best_bytes = encoded;
                while (lo < hi) {
                    const int mid = (lo + hi + 1) / 2;
                    if (encode(current, mid, encoded) && static_cast<int>(encoded.size()) <= max_bytes) {
                        best = mid;
                        best_bytes = encoded;
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                if (static_cast<int>(best_bytes.size()) > out_capacity)
                    return ea::fail(EA_E_SIZE, "ea_jpeg_encode_capped: the output buffer is smaller than the cap");
                std::memcpy(out, best_bytes.data(), best_bytes.size());
                *out_len = static_cast<int32_t>(best_bytes.size());
                *quality_used = best;
                *out_w = current.cols;
                *out_h = current.rows;
                return EA_OK;
            }
            const int next_w = current.cols * 4 / 5, next_h = current.rows * 4 / 5;
            if (next_w < std::max(16, min_width) || next_h < 8)
                return ea::fail(EA_E_SIZE, "ea_jpeg_encode_capped: the image does not fit in " + std::to_string(max_bytes) +
                                               " bytes even at quality " + std::to_string(min_quality) + " and width " + std::to_string(current.cols));
            cv::resize(current, scratch, cv::Size(next_w, next_h), 0, 0, cv::INTER_AREA);
            current = scratch.clone();
        }
    });
}

EA_API int ea_image_decode(const uint8_t* data, int32_t length, uint8_t* bgr, int32_t stride, int32_t* width, int32_t* height) {
    return ea::guarded("ea_image_decode", [&]() -> int {
        if (data == nullptr || length <= 0 || width == nullptr || height == nullptr)
            return ea::fail(EA_E_ARGUMENT, "ea_image_decode: null argument");
        cv::Mat decoded;
        std::string error;
        if (!ea::decode_image(data, static_cast<size_t>(length), /*gray=*/false, decoded, error))
            return ea::fail(EA_E_IO, "ea_image_decode: " + error);
        *width = decoded.cols;
        *height = decoded.rows;
        if (bgr == nullptr) return EA_OK;
        if (stride < decoded.cols * 3) return ea::fail(EA_E_ARGUMENT, "ea_image_decode: stride smaller than the image");
        cv::Mat dst(decoded.rows, decoded.cols, CV_8UC3, bgr, static_cast<size_t>(stride));
        decoded.copyTo(dst);
        return EA_OK;
    });
}

}
