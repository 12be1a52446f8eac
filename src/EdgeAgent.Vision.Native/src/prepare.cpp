// Plate preparation for Tesseract (the general fallback reader): the candidate deskewed and redrawn as
// clean black characters on white, bands, bolts, borders and frames removed, with the character boxes.
#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "bridge_common.hpp"
#include "finder_state.hpp"

extern "C" {

EA_API int ea_plate_prepare(ea_finder* finder, const uint8_t* gray, int32_t width, int32_t height, int32_t stride,
                            const ea_plate_box* box, uint8_t* out, int32_t out_stride, int32_t out_h, int32_t* out_w,
                            ea_char_box* chars, int32_t max_chars) {
    return ea::guarded("ea_plate_prepare", [&]() -> int {
        if (finder == nullptr || box == nullptr || chars == nullptr || out_w == nullptr || max_chars < 0 ||
            !ea::valid_image(gray, width, height, stride, 1) || !ea::valid_image(out, out_stride, out_h, out_stride, 1))
            return ea::fail(EA_E_ARGUMENT, "ea_plate_prepare: bad finder, image, box or output");
        const cv::Mat image(height, width, CV_8UC1, const_cast<uint8_t*>(gray), static_cast<size_t>(stride));
        const cv::RotatedRect plate(cv::Point2f(box->cx, box->cy), cv::Size2f(box->w, box->h), box->angle);
        // Generous sideways: a finder box may clip an end character; the row search ignores the extra.
        constexpr float margin_x = 0.3f, margin_y = 0.08f;
        const float grown_w = box->w + 2 * margin_x * box->h, grown_h = box->h * (1 + 2 * margin_y);
        const int used_w = std::clamp(static_cast<int>(std::lround(out_h * grown_w / std::max(1.0f, grown_h))), 8, out_stride);
        *out_w = used_w;
        cv::Mat patch(out_h, used_w, CV_8UC1, out, static_cast<size_t>(out_stride));
        ea::warp_plate(image, plate, margin_x, margin_y, patch);
        ea_finder& f = *finder;
        ea::segment_hypotheses(patch, f.segment_scratch, f.hypotheses, 1);
        if (f.hypotheses.empty()) {
            patch.setTo(255);
            return 0;
        }
        const ea::RowHypothesis& row = f.hypotheses[ea::plausible_hypothesis(patch, f.hypotheses, f.segment_scratch)];
        cv::Mat& binary = f.segment_scratch.binary;
        ea::binarise(patch, row.binarisation, f.segment_scratch, binary);
        // Redraw the patch as clean black characters on white: only the ink inside the character boxes.
        patch.setTo(255);
        for (const cv::Rect& c : row.boxes) patch(c).setTo(0, binary(c));
        const int n = std::min(static_cast<int>(row.boxes.size()), max_chars);
        for (int i = 0; i < n; i++) {
            const cv::Rect& b = row.boxes[static_cast<size_t>(i)];
            chars[i] = {b.x, b.y, b.width, b.height};
        }
        return n;
    });
}

}
