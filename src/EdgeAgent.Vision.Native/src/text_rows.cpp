#include "text_rows.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "plate_geometry.hpp"

namespace ea {

namespace {

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
                lines[i] = cv::RotatedRect(cv::Point2f(u.x + u.width / 2.0f, (a.center.y + b.center.y) / 2.0f),
                                           cv::Size2f(static_cast<float>(u.width), h), angle);
                lines.erase(lines.begin() + static_cast<long>(j));
                merged = true;
            }
        }
    }
}

bool touches_edge(const cv::Rect& r, const cv::Mat& image) {
    return r.x <= 1 || r.y <= 1 || r.x + r.width >= image.cols - 1 || r.y + r.height >= image.rows - 1;
}

}  // namespace

void edge_text_lines(const cv::Mat& small, float th, float th_hi, TextRowScratch& s, std::vector<cv::RotatedRect>& out) {
    cv::Mat& gradient = s.gradient.fit(small.size(), CV_16SC1);
    cv::Mat& edges = s.edges.fit(small.size(), CV_8UC1);
    cv::Mat& closed = s.closed.fit(small.size(), CV_8UC1);
    cv::Sobel(small, gradient, CV_16S, 1, 0, 3);
    cv::convertScaleAbs(gradient, edges);
    cv::threshold(edges, edges, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    // Join the strokes of neighbouring characters (and the gap in 'AB12 CDE'), then drop thin lines.
    const int join_w = std::max(3, static_cast<int>(std::lround(th * 0.9f)) | 1);
    const int join_h = std::max(1, static_cast<int>(std::lround(th * 0.15f)) | 1);
    cv::morphologyEx(edges, closed, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(join_w, join_h)));
    const int open_w = std::max(1, static_cast<int>(std::lround(th * 0.3f)));
    const int open_h = std::max(1, static_cast<int>(std::lround(th * 0.45f)));
    cv::morphologyEx(closed, closed, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(open_w, open_h)));

    s.contours.clear();
    cv::findContours(closed, s.contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    const size_t first = out.size();
    for (const auto& contour : s.contours) {
        const cv::Rect bounds = cv::boundingRect(contour);
        if (bounds.height < th * 0.6f || bounds.height > th_hi * 1.6f) continue;
        // A text line touching the edge of the region runs on beyond it: half a plate reads as a wrong
        // plate, so it is left until the vehicle is fully in view.
        if (touches_edge(bounds, small)) continue;
        cv::RotatedRect text = upright(cv::minAreaRect(contour));
        if (std::fabs(text.angle) > 20.0f) continue;
        if (text.size.height < th * 0.6f || text.size.height > th_hi * 1.3f) continue;
        const double fill = cv::contourArea(contour) / std::max(1.0f, text.size.area());
        if (fill < 0.45) continue;
        out.push_back(text);
    }
    std::vector<cv::RotatedRect> mine(out.begin() + static_cast<long>(first), out.end());
    merge_line_fragments(mine);
    out.resize(first);
    out.insert(out.end(), mine.begin(), mine.end());
}

namespace {

// Character-sized, character-shaped blobs of one polarity of the local-mean threshold.
void character_blobs(const std::vector<Blob>& components, float th, float th_hi, std::vector<cv::Rect>& blobs) {
    for (const Blob& c : components) {
        const int w = c.width, h = c.height, area = c.area;
        if (h < th * 0.75f || h > th_hi * 1.3f) continue;
        if (w < 2 || w > h * 1.2f) continue;
        if (area < 0.15f * w * h || area > 0.95f * w * h) continue;
        blobs.push_back(cv::Rect(c.x, c.y, w, h));
    }
}

// Links each blob to the nearest blob on its right that could be the next character, then follows the
// links into rows.
void link_rows(const cv::Mat& small, int min_chars, TextRowScratch& s, std::vector<cv::RotatedRect>& out) {
    std::vector<cv::Rect>& b = s.blobs;
    std::sort(b.begin(), b.end(), [](const cv::Rect& p, const cv::Rect& q) { return p.x < q.x; });
    const size_t n = b.size();
    s.next.assign(n, -1);
    std::vector<int> has_prev(n, 0);
    for (size_t i = 0; i < n; i++) {
        const float hi = static_cast<float>(b[i].height), cyi = b[i].y + hi / 2.0f;
        const int right = b[i].x + b[i].width;
        int best = -1;
        float best_gap = 1e9f;
        for (size_t j = i + 1; j < n && b[j].x <= right + 1.6f * hi; j++) {
            const float hj = static_cast<float>(b[j].height);
            const float h = std::max(hi, hj);
            if (std::fabs(hi - hj) > 0.3f * h) continue;
            if (std::fabs(b[j].y + hj / 2.0f - cyi) > 0.35f * h) continue;
            const float gap = static_cast<float>(b[j].x - right);
            if (gap < -0.3f * std::min(b[i].width, b[j].width) || gap > 1.5f * h) continue;
            if (gap < best_gap && !has_prev[static_cast<size_t>(j)]) {
                best_gap = gap;
                best = static_cast<int>(j);
            }
        }
        if (best >= 0) {
            s.next[i] = best;
            has_prev[static_cast<size_t>(best)] = 1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (has_prev[i]) continue;
        s.chain.clear();
        for (int k = static_cast<int>(i); k >= 0; k = s.next[static_cast<size_t>(k)]) s.chain.push_back(k);
        if (static_cast<int>(s.chain.size()) < min_chars) continue;
        s.centres.clear();
        std::vector<float> heights;
        cv::Rect bounds = b[static_cast<size_t>(s.chain.front())];
        for (int k : s.chain) {
            const cv::Rect& r = b[static_cast<size_t>(k)];
            s.centres.push_back(cv::Point2f(r.x + r.width / 2.0f, r.y + r.height / 2.0f));
            heights.push_back(static_cast<float>(r.height));
            bounds |= r;
        }
        if (touches_edge(bounds, small)) continue;
        std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2), heights.end());
        const float h = heights[heights.size() / 2];
        cv::Vec4f line;
        cv::fitLine(s.centres, line, cv::DIST_L2, 0, 0.01, 0.01);
        float angle = std::atan2(line[1], line[0]) * 180.0f / static_cast<float>(CV_PI);
        if (angle > 90.0f) angle -= 180.0f;
        if (angle < -90.0f) angle += 180.0f;
        if (std::fabs(angle) > 20.0f) continue;
        const cv::Rect& first = b[static_cast<size_t>(s.chain.front())];
        const cv::Rect& last = b[static_cast<size_t>(s.chain.back())];
        const float x0 = static_cast<float>(first.x), x1 = static_cast<float>(last.x + last.width);
        const float cos_a = std::cos(angle * static_cast<float>(CV_PI) / 180.0f);
        const float tan_a = std::tan(angle * static_cast<float>(CV_PI) / 180.0f);
        const float cx = (x0 + x1) / 2.0f;
        const float cy = line[3] + (cx - line[2]) * tan_a;
        out.push_back(cv::RotatedRect(cv::Point2f(cx, cy), cv::Size2f((x1 - x0) / cos_a, h), angle));
    }
}

}  // namespace

void character_rows(const cv::Mat& small, float th, float th_hi, int min_chars, TextRowScratch& s,
                    std::vector<cv::RotatedRect>& out) {
    // One local mean for both polarities: dark ink is below it, light ink above it, by a small margin.
    const int block = std::max(7, static_cast<int>(std::lround(th_hi * 1.3f)) | 1);
    cv::Mat& mean = s.mean.fit(small.size(), CV_8UC1);
    cv::Mat& below_mean = s.below_mean.fit(small.size(), CV_8UC1);
    cv::blur(small, mean, cv::Size(block, block), cv::Point(-1, -1), cv::BORDER_REPLICATE);
    // Dark ink only (light characters on a dark plate are left to the edge lines), at two margins: a
    // faint one for low-contrast plates, and a strict one that parts characters from darker graphics and
    // frames they touch (state headers, shadows).
    // Ink at a margin is small + margin < mean, that is (mean - small, saturated at 0) > margin.
    cv::subtract(mean, small, below_mean);
    for (const int margin : {6, 22}) {
        blobs_above(below_mean, margin, s.components_scratch, s.components);
        s.blobs.clear();
        character_blobs(s.components, th, th_hi, s.blobs);
        link_rows(small, min_chars, s, out);
    }
}

}  // namespace ea
