#include "plate_outline.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace ea {

namespace {

constexpr int kCharPx = 16;              // character height in the measuring strip
constexpr float kReachV = 1.3f;          // how far above and below the characters to look, in character heights
constexpr float kReachH = 1.3f;          // and beyond either end
constexpr float kDefaultV = 0.25f;       // the outline where no edge shows
constexpr float kDefaultH = 0.5f;

// The value below which a quarter of the given pixels lie, from the top: the plate's ground among ink.
uint8_t upper_quartile(std::vector<uint8_t>& values) {
    if (values.empty()) return 0;
    const size_t k = values.size() * 3 / 4;
    std::nth_element(values.begin(), values.begin() + static_cast<long>(k), values.end());
    return values[k];
}

// From `from` towards `to` (exclusive), the first index where the profile falls below the threshold, or -1.
int first_drop(const std::vector<float>& profile, int from, int to, float threshold) {
    const int step = to > from ? 1 : -1;
    for (int i = from; i != to; i += step)
        if (profile[static_cast<size_t>(i)] < threshold) return i;
    return -1;
}

}  // namespace

cv::RotatedRect row_in_frame(const RowHypothesis& h, const cv::Mat& transform) {
    const cv::Rect& first = h.boxes.front();
    const cv::Rect& last = h.boxes.back();
    const float x0 = static_cast<float>(first.x), x1 = static_cast<float>(last.x + last.width);
    const float y0 = h.intercept + h.slope * x0, y1 = h.intercept + h.slope * x1;
    cv::Mat inverse;
    cv::invertAffineTransform(transform, inverse);
    const double* m = inverse.ptr<double>(0);
    const double* n = inverse.ptr<double>(1);
    auto map = [&](float x, float y) {
        return cv::Point2f(static_cast<float>(m[0] * x + m[1] * y + m[2]), static_cast<float>(n[0] * x + n[1] * y + n[2]));
    };
    const cv::Point2f left = map(x0, y0), right = map(x1, y1);
    const float mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
    const cv::Point2f top = map(mx, my - h.height / 2), bottom = map(mx, my + h.height / 2);
    const float angle = std::atan2(right.y - left.y, right.x - left.x) * 180.0f / static_cast<float>(CV_PI);
    return cv::RotatedRect((left + right) * 0.5f,
                           cv::Size2f(static_cast<float>(cv::norm(right - left)), static_cast<float>(cv::norm(bottom - top))), angle);
}

cv::Rect plate_outline(const cv::Mat& gray, const cv::RotatedRect& row, bool dark_on_light, OutlineScratch& s) {
    const float text_h = std::max(1.0f, row.size.height);
    const float scale = kCharPx / text_h;
    const int text_w = std::max(1, static_cast<int>(std::lround(row.size.width * scale)));
    const int margin_h = static_cast<int>(std::lround(kReachH * kCharPx));
    const int margin_v = static_cast<int>(std::lround(kReachV * kCharPx));
    const int width = text_w + 2 * margin_h, height = kCharPx + 2 * margin_v;

    // Strip coordinates: the characters span x in [margin_h, margin_h + text_w), y in [margin_v, margin_v + kCharPx).
    const float a = row.angle * static_cast<float>(CV_PI) / 180.0f;
    const cv::Point2f u(std::cos(a), std::sin(a)), v(-std::sin(a), std::cos(a));
    const cv::Point2f origin = row.center - u * (width / 2.0f / scale) - v * (height / 2.0f / scale);
    const cv::Point2f src[3] = {origin, origin + u * (width / scale), origin + v * (height / scale)};
    const cv::Point2f dst[3] = {cv::Point2f(0, 0), cv::Point2f(static_cast<float>(width), 0), cv::Point2f(0, static_cast<float>(height))};
    s.strip.create(height, width, CV_8UC1);
    cv::warpAffine(gray, s.strip, cv::getAffineTransform(src, dst), s.strip.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    if (!dark_on_light) cv::bitwise_not(s.strip, s.strip);

    // Row profile over the characters' span: the plate's ground level in each row.
    s.profile.assign(static_cast<size_t>(height), 0.0f);
    for (int y = 0; y < height; y++) {
        const uint8_t* p = s.strip.ptr<uint8_t>(y);
        s.values.assign(p + margin_h, p + margin_h + text_w);
        s.profile[static_cast<size_t>(y)] = upper_quartile(s.values);
    }
    s.values.clear();
    for (int y = margin_v; y < margin_v + kCharPx; y++) {
        const uint8_t* p = s.strip.ptr<uint8_t>(y);
        s.values.insert(s.values.end(), p + margin_h, p + margin_h + text_w);
    }
    const float ground = upper_quartile(s.values);
    std::nth_element(s.values.begin(), s.values.begin() + static_cast<long>(s.values.size() / 10), s.values.end());
    const float ink = s.values[s.values.size() / 10];
    const float threshold = ground - 0.4f * (ground - ink);
    const bool contrast = ground - ink > 25;

    int top = contrast ? first_drop(s.profile, margin_v - 1, -1, threshold) : -1;
    int bottom = contrast ? first_drop(s.profile, margin_v + kCharPx, height, threshold) : -1;
    const int top_y = top >= 0 ? top + 1 : margin_v - static_cast<int>(std::lround(kDefaultV * kCharPx));
    const int bottom_y = bottom >= 0 ? bottom : margin_v + kCharPx + static_cast<int>(std::lround(kDefaultV * kCharPx));

    // Column profile over the plate's rows found: where the ground ends at either side.
    s.profile.assign(static_cast<size_t>(width), 0.0f);
    for (int x = 0; x < width; x++) {
        s.values.clear();
        for (int y = top_y; y < bottom_y; y++) s.values.push_back(s.strip.at<uint8_t>(y, x));
        s.profile[static_cast<size_t>(x)] = upper_quartile(s.values);
    }
    int left = contrast ? first_drop(s.profile, margin_h - 1, -1, threshold) : -1;
    int right = contrast ? first_drop(s.profile, margin_h + text_w, width, threshold) : -1;
    const int left_x = left >= 0 ? left + 1 : margin_h - static_cast<int>(std::lround(kDefaultH * kCharPx));
    const int right_x = right >= 0 ? right : margin_h + text_w + static_cast<int>(std::lround(kDefaultH * kCharPx));

    // Back to the frame: the outline's four corners, and the box around them.
    cv::Rect box;
    bool any = false;
    for (const cv::Point2f& corner : {cv::Point2f(static_cast<float>(left_x), static_cast<float>(top_y)),
                                      cv::Point2f(static_cast<float>(right_x), static_cast<float>(top_y)),
                                      cv::Point2f(static_cast<float>(left_x), static_cast<float>(bottom_y)),
                                      cv::Point2f(static_cast<float>(right_x), static_cast<float>(bottom_y))}) {
        const cv::Point2f f = origin + u * (corner.x / scale) + v * (corner.y / scale);
        const cv::Rect point(static_cast<int>(std::floor(f.x)), static_cast<int>(std::floor(f.y)), 1, 1);
        box = any ? (box | point) : point;
        any = true;
    }
    return box & cv::Rect(0, 0, gray.cols, gray.rows);
}

}  // namespace ea
