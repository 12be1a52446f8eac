#include "plate_geometry.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace ea {

cv::RotatedRect upright(const cv::RotatedRect& r) {
    cv::RotatedRect u = r;
    if (u.size.width < u.size.height) {
        std::swap(u.size.width, u.size.height);
        u.angle += 90.0f;
    }
    while (u.angle > 45.0f) u.angle -= 180.0f;
    while (u.angle < -45.0f) u.angle += 180.0f;
    // A rectangle still over 45 degrees after folding is taller than wide in the frame: keep it as found.
    if (std::fabs(u.angle) > 45.0f) return r;
    return u;
}

void warp_plate(const cv::Mat& gray, const cv::RotatedRect& plate, float margin_x, float margin_y, cv::Mat& patch) {
    const float h = plate.size.height;
    cv::RotatedRect grown(plate.center,
                          cv::Size2f(plate.size.width + 2.0f * margin_x * h, h + 2.0f * margin_y * h), plate.angle);
    cv::Point2f corners[4];
    grown.points(corners);  // bottomLeft, topLeft, topRight, bottomRight for an upright rectangle
    const cv::Point2f src[3] = {corners[0], corners[1], corners[2]};
    const cv::Point2f dst[3] = {cv::Point2f(0.0f, static_cast<float>(patch.rows - 1)), cv::Point2f(0.0f, 0.0f),
                                cv::Point2f(static_cast<float>(patch.cols - 1), 0.0f)};
    cv::Mat transform = cv::getAffineTransform(src, dst);
    cv::warpAffine(gray, patch, transform, patch.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
}

namespace {

// Blobs that could be characters: tall enough, narrower than tall, not a border line.
void collect_candidates(const cv::Mat& stats, int count, int patch_h, std::vector<CharBlob>& out) {
    out.clear();
    for (int i = 1; i < count; i++) {
        const int* s = stats.ptr<int>(i);
        const int x = s[cv::CC_STAT_LEFT], y = s[cv::CC_STAT_TOP];
        const int w = s[cv::CC_STAT_WIDTH], h = s[cv::CC_STAT_HEIGHT], area = s[cv::CC_STAT_AREA];
        if (h < patch_h * 0.25 || h > patch_h * 0.98) continue;
        if (w > h * 1.1) continue;
        if (area < 0.12 * w * h) continue;
        if (y == 0 && y + h >= patch_h) continue;
        out.push_back({cv::Rect(x, y, w, h), i});
    }
}

// The largest row of blobs with similar heights, aligned vertically and without large gaps.
void best_row(const std::vector<CharBlob>& candidates, std::vector<CharBlob>& best, std::vector<CharBlob>& scratch) {
    best.clear();
    for (const CharBlob& ref : candidates) {
        const double ref_h = ref.box.height, ref_cy = ref.box.y + ref.box.height / 2.0;
        scratch.clear();
        for (const CharBlob& c : candidates) {
            const double cy = c.box.y + c.box.height / 2.0;
            if (std::fabs(c.box.height - ref_h) <= 0.2 * ref_h && std::fabs(cy - ref_cy) <= 0.15 * ref_h)
                scratch.push_back(c);
        }
        std::sort(scratch.begin(), scratch.end(), [](const CharBlob& a, const CharBlob& b) { return a.box.x < b.box.x; });
        // Split the row where the gap is wider than a few characters and keep the longest chain.
        size_t start = 0;
        for (size_t i = 1; i <= scratch.size(); i++) {
            const bool split = i == scratch.size() ||
                               scratch[i].box.x - (scratch[i - 1].box.x + scratch[i - 1].box.width) > 2.0 * ref_h;
            if (!split) continue;
            if (i - start > best.size()) best.assign(scratch.begin() + static_cast<long>(start), scratch.begin() + static_cast<long>(i));
            start = i;
        }
    }
}

double ink_contrast(const cv::Mat& patch, const cv::Mat& ink_mask, const std::vector<CharBlob>& row) {
    if (row.empty()) return 0;
    cv::Rect bounds = row.front().box;
    for (const CharBlob& c : row) bounds |= c.box;
    const cv::Scalar ink = cv::mean(patch(bounds), ink_mask(bounds));
    cv::Mat ground_mask;
    cv::bitwise_not(ink_mask(bounds), ground_mask);
    const cv::Scalar ground = cv::mean(patch(bounds), ground_mask);
    return std::fabs(ground[0] - ink[0]);
}

}  // namespace

namespace {

int label_polarity(const cv::Mat& patch, bool dark_on_light, SegmentScratch& s) {
    const int type = (dark_on_light ? cv::THRESH_BINARY_INV : cv::THRESH_BINARY) | cv::THRESH_OTSU;
    cv::threshold(patch, s.binary, 0, 255, type);
    return cv::connectedComponentsWithStats(s.binary, s.labels, s.stats, s.centroids, 8, CV_32S);
}

}  // namespace

void segment_characters(const cv::Mat& patch, SegmentScratch& s, Segmentation& result) {
    result.chars.clear();
    result.contrast = 0;
    result.dark_on_light = true;
    for (const bool dark_on_light : {true, false}) {
        const int count = label_polarity(patch, dark_on_light, s);
        collect_candidates(s.stats, count, patch.rows, s.candidates);
        best_row(s.candidates, s.group, s.row_scratch);
        const double contrast = ink_contrast(patch, s.binary, s.group);
        if (s.group.size() > result.chars.size() ||
            (s.group.size() == result.chars.size() && contrast > result.contrast)) {
            result.chars = s.group;
            result.dark_on_light = dark_on_light;
            result.contrast = contrast;
        }
    }
    // Leave the scratch labels and binary image of the winning polarity for the caller to draw from.
    if (result.dark_on_light) label_polarity(patch, true, s);
}

}  // namespace ea
