// Classical plate finding: characters make dense vertical edges in a band of plate height. The frame's
// region of interest is scaled so that the smallest expected plate is about 20 pixels high, vertical
// edges are closed into text-line blobs, blobs of plate shape are kept, and each is verified by cutting
// it into character blobs. Plate heights spanning more than one octave are searched on several scales.
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "bridge_common.hpp"
#include "plate_geometry.hpp"

namespace {

constexpr float kTextToPlateHeight = 0.72f;  // UK characters are 79 mm on a 111 mm plate
constexpr int kTargetTextHeight = 16;       // text height, in pixels, that the search scale aims for
constexpr int kVerifyPatchHeight = 48;

struct Candidate {
    cv::RotatedRect plate;  // frame coordinates, upright
    float score;
    bool dark_on_light;
    int char_count;
};

}  // namespace

struct ea_finder {
    cv::Mat small, gradient, edges, closed, patch;
    std::vector<std::vector<cv::Point>> contours;
    std::vector<cv::RotatedRect> lines;
    std::vector<Candidate> candidates;
    ea::SegmentScratch segment_scratch;
    ea::Segmentation segmentation;
};

namespace {

// Intersection over the smaller box: a part of a plate found on another scale (its last three
// characters, say) is as much a duplicate as a shifted copy of the whole.
float overlap(const cv::Rect& a, const cv::Rect& b) {
    const float inter = static_cast<float>((a & b).area());
    const float smaller = static_cast<float>(std::min(a.area(), b.area()));
    return smaller > 0 ? inter / smaller : 0.0f;
}

// Cuts the candidate into characters; the score rewards a plate-like row of characters with contrast.
bool verify(ea_finder& f, const cv::Mat& gray, Candidate& c) {
    const float aspect = c.plate.size.width / std::max(1.0f, c.plate.size.height);
    const int patch_w = std::clamp(static_cast<int>(std::lround(kVerifyPatchHeight * aspect)), 48, 480);
    f.patch.create(kVerifyPatchHeight, patch_w, CV_8UC1);
    ea::warp_plate(gray, c.plate, 0.3f, 0.05f, f.patch);
    ea::segment_characters(f.patch, f.segment_scratch, f.segmentation);
    const auto& chars = f.segmentation.chars;
    c.char_count = static_cast<int>(chars.size());
    c.dark_on_light = f.segmentation.dark_on_light;
    if (chars.size() < 3) return false;
    // The characters should fill most of the candidate's width: a lone word on a sign does not.
    const int span = chars.back().box.x + chars.back().box.width - chars.front().box.x;
    const float coverage = static_cast<float>(span) / static_cast<float>(patch_w);
    const float count_score = std::min(1.0f, static_cast<float>(chars.size()) / 6.0f);
    const float contrast_score = std::min(1.0f, static_cast<float>(f.segmentation.contrast) / 60.0f);
    c.score = count_score * (0.5f + 0.5f * std::min(1.0f, coverage / 0.6f)) * (0.4f + 0.6f * contrast_score);
    return true;
}

// Joins pieces of one text line that the closing did not bridge (the gap in 'AB12 CDE' on a plate near
// the top of a scale's height range): similar height, same baseline, a gap under one text height.
void merge_line_fragments(std::vector<cv::RotatedRect>& lines) {
    bool merged = true;
    while (merged) {
        merged = false;
        for (size_t i = 0; i < lines.size() && !merged; i++) {
            for (size_t j = i + 1; j < lines.size() && !merged; j++) {
                const cv::RotatedRect& a = lines[i];
                const cv::RotatedRect& b = lines[j];
                const float h = std::max(a.size.height, b.size.height);
                if (std::min(a.size.height, b.size.height) < 0.7f * h) continue;
                if (std::fabs(a.center.y - b.center.y) > 0.3f * h || std::fabs(a.angle - b.angle) > 8.0f) continue;
                const cv::Rect ra = a.boundingRect(), rb = b.boundingRect();
                const int gap = std::max(ra.x, rb.x) - std::min(ra.x + ra.width, rb.x + rb.width);
                if (gap > h * 1.0f) continue;
                const cv::Rect u = ra | rb;
                const float angle = (a.angle * a.size.width + b.angle * b.size.width) / (a.size.width + b.size.width);
                // The union's width along the line, and the taller fragment's height.
                lines[i] = cv::RotatedRect(cv::Point2f(u.x + u.width / 2.0f, (a.center.y + b.center.y) / 2.0f),
                                           cv::Size2f(static_cast<float>(u.width), h), angle);
                lines.erase(lines.begin() + static_cast<long>(j));
                merged = true;
            }
        }
    }
}

// One search scale: plates whose height lies in [plate_lo, plate_hi] frame pixels.
void search_scale(ea_finder& f, const cv::Mat& gray, const cv::Rect& roi, float plate_lo, float plate_hi,
                  const ea_find_params& p) {
    const float text_lo = plate_lo * kTextToPlateHeight;
    const double scale = std::min(1.0, static_cast<double>(kTargetTextHeight) / std::max(1.0f, text_lo));
    const cv::Mat region = gray(roi);
    if (scale < 1.0) cv::resize(region, f.small, cv::Size(), scale, scale, cv::INTER_AREA);
    else f.small = region;

    const float th = text_lo * static_cast<float>(scale);  // smallest text height at this scale
    cv::Sobel(f.small, f.gradient, CV_16S, 1, 0, 3);
    cv::convertScaleAbs(f.gradient, f.edges);
    cv::threshold(f.edges, f.edges, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    // Join the strokes of neighbouring characters (and the gap in 'AB12 CDE'), then drop thin lines.
    const int join_w = std::max(3, static_cast<int>(std::lround(th * 0.9f)) | 1);
    const int join_h = std::max(1, static_cast<int>(std::lround(th * 0.15f)) | 1);
    cv::morphologyEx(f.edges, f.closed, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(join_w, join_h)));
    const int open_w = std::max(1, static_cast<int>(std::lround(th * 0.3f)));
    const int open_h = std::max(1, static_cast<int>(std::lround(th * 0.45f)));
    cv::morphologyEx(f.closed, f.closed, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(open_w, open_h)));

    f.contours.clear();
    cv::findContours(f.closed, f.contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    const float text_hi = plate_hi * kTextToPlateHeight * static_cast<float>(scale);
    f.lines.clear();
    for (const auto& contour : f.contours) {
        const cv::Rect bounds = cv::boundingRect(contour);
        if (bounds.height < th * 0.6f || bounds.height > text_hi * 1.6f) continue;
        // A text line touching the edge of the region runs on beyond it: half a plate reads as a wrong
        // plate, so it is left until the vehicle is fully in view.
        if (bounds.x <= 1 || bounds.y <= 1 || bounds.x + bounds.width >= f.small.cols - 1 || bounds.y + bounds.height >= f.small.rows - 1)
            continue;
        cv::RotatedRect text = ea::upright(cv::minAreaRect(contour));
        if (std::fabs(text.angle) > 20.0f) continue;
        if (text.size.height < th * 0.6f || text.size.height > text_hi * 1.3f) continue;
        const double fill = cv::contourArea(contour) / std::max(1.0f, text.size.area());
        if (fill < 0.45) continue;
        f.lines.push_back(text);
    }
    merge_line_fragments(f.lines);

    for (const cv::RotatedRect& text : f.lines) {
        const float text_aspect = text.size.width / std::max(1.0f, text.size.height);
        if (text_aspect < p.min_aspect * 0.45f || text_aspect > p.max_aspect * 1.3f) continue;
        // Grow the text line to the plate around it, and map back to frame coordinates.
        const float inv = static_cast<float>(1.0 / scale);
        const float plate_h = text.size.height * inv / kTextToPlateHeight;
        const float plate_w = text.size.width * inv + plate_h * 0.3f;
        if (plate_h < plate_lo * 0.8f || plate_h > plate_hi * 1.25f) continue;
        Candidate c{cv::RotatedRect(cv::Point2f(text.center.x * inv + static_cast<float>(roi.x), text.center.y * inv + static_cast<float>(roi.y)),
                                    cv::Size2f(plate_w, plate_h), text.angle),
                    0.0f, true, 0};
        if (verify(f, gray, c)) f.candidates.push_back(c);
    }
}

cv::Rect clamp_roi(const ea_find_params& p, int width, int height) {
    cv::Rect roi(p.roi_x, p.roi_y, p.roi_w, p.roi_h);
    if (p.roi_w <= 0 || p.roi_h <= 0) roi = cv::Rect(0, 0, width, height);
    return roi & cv::Rect(0, 0, width, height);
}

}  // namespace

extern "C" {

EA_API int ea_finder_create(ea_finder** out) {
    return ea::guarded("ea_finder_create", [&]() -> int {
        if (out == nullptr) return ea::fail(EA_E_ARGUMENT, "ea_finder_create: null argument");
        *out = new ea_finder();
        return EA_OK;
    });
}

EA_API int ea_finder_find(ea_finder* finder, const uint8_t* gray, int32_t width, int32_t height, int32_t stride,
                          const ea_find_params* params, ea_plate_box* out, int32_t max_out) {
    return ea::guarded("ea_finder_find", [&]() -> int {
        if (finder == nullptr || params == nullptr || out == nullptr || max_out < 0 || !ea::valid_image(gray, width, height, stride, 1))
            return ea::fail(EA_E_ARGUMENT, "ea_finder_find: bad finder, image, parameters or output");
        if (params->min_plate_h <= 0 || params->max_plate_h < params->min_plate_h || params->min_aspect <= 0 ||
            params->max_aspect < params->min_aspect)
            return ea::fail(EA_E_ARGUMENT, "ea_finder_find: plate height or aspect range is empty");
        const cv::Mat image(height, width, CV_8UC1, const_cast<uint8_t*>(gray), static_cast<size_t>(stride));
        const cv::Rect roi = clamp_roi(*params, width, height);
        if (roi.area() == 0) return 0;

        ea_finder& f = *finder;
        f.candidates.clear();
        // One octave-and-a-bit of plate heights per scale.
        for (float lo = static_cast<float>(params->min_plate_h); lo <= params->max_plate_h; lo *= 2.2f)
            search_scale(f, image, roi, lo, std::min(lo * 2.2f, static_cast<float>(params->max_plate_h)), *params);

        std::sort(f.candidates.begin(), f.candidates.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
        int written = 0;
        for (size_t i = 0; i < f.candidates.size() && written < max_out; i++) {
            const Candidate& c = f.candidates[i];
            const cv::Rect bounds = c.plate.boundingRect() & cv::Rect(0, 0, width, height);
            bool overlaps = false;  // non-maximum suppression against the better ones already written
            for (int j = 0; j < written && !overlaps; j++)
                overlaps = overlap(bounds, cv::Rect(out[j].x, out[j].y, out[j].bw, out[j].bh)) > 0.5f;
            if (overlaps) continue;
            ea_plate_box& b = out[written++];
            b.cx = c.plate.center.x;
            b.cy = c.plate.center.y;
            b.w = c.plate.size.width;
            b.h = c.plate.size.height;
            b.angle = c.plate.angle;
            b.x = bounds.x;
            b.y = bounds.y;
            b.bw = bounds.width;
            b.bh = bounds.height;
            b.score = c.score;
            b.dark_on_light = c.dark_on_light ? 1 : 0;
            b.char_count = c.char_count;
        }
        return written;
    });
}

EA_API void ea_finder_free(ea_finder* finder) { delete finder; }

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
        ea::segment_characters(patch, f.segment_scratch, f.segmentation);
        // Redraw the patch as clean black characters on white: bands, bolts, borders and frames vanish.
        const auto& row = f.segmentation.chars;
        const cv::Mat& labels = f.segment_scratch.labels;
        patch.setTo(255);
        for (const ea::CharBlob& c : row) {
            for (int y = c.box.y; y < c.box.y + c.box.height; y++) {
                const int* lab = labels.ptr<int>(y);
                uint8_t* dst = patch.ptr<uint8_t>(y);
                for (int x = c.box.x; x < c.box.x + c.box.width; x++)
                    if (lab[x] == c.label) dst[x] = 0;
            }
        }
        const int n = std::min(static_cast<int>(row.size()), max_chars);
        for (int i = 0; i < n; i++) chars[i] = {row[static_cast<size_t>(i)].box.x, row[static_cast<size_t>(i)].box.y,
                                                row[static_cast<size_t>(i)].box.width, row[static_cast<size_t>(i)].box.height};
        return n;
    });
}

}
