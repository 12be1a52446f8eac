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

void warp_plate(const cv::Mat& gray, const cv::RotatedRect& plate, float margin_x, float margin_y, cv::Mat& patch,
                cv::Mat* transform_out) {
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
    if (transform_out != nullptr) transform.copyTo(*transform_out);
}

namespace {

// Plate borders, frames and screws' shadows joined to characters: ink runs longer than any character,
// along rows (at least `horizontal` long) and along columns (at least `vertical`), are cleared.
// A run-length pass costs one look at each pixel, where a morphological opening costs the kernel's length.
void remove_long_runs(cv::Mat& binary, int horizontal, int vertical) {
    for (int y = 0; y < binary.rows; y++) {
        uint8_t* row = binary.ptr<uint8_t>(y);
        int start = -1;
        for (int x = 0; x <= binary.cols; x++) {
            const bool ink = x < binary.cols && row[x] != 0;
            if (ink && start < 0) start = x;
            if (!ink && start >= 0) {
                if (x - start >= horizontal) std::fill(row + start, row + x, 0);
                start = -1;
            }
        }
    }
    // Columns: one running length per column, rows visited in order (cache friendly).
    std::vector<int> run(static_cast<size_t>(binary.cols), 0);
    auto clear_run = [&](int x, int end_y, int length) {
        for (int y = end_y - length; y < end_y; y++) binary.at<uint8_t>(y, x) = 0;
    };
    for (int y = 0; y <= binary.rows; y++) {
        const uint8_t* row = y < binary.rows ? binary.ptr<uint8_t>(y) : nullptr;
        for (int x = 0; x < binary.cols; x++) {
            if (row != nullptr && row[x] != 0) {
                run[static_cast<size_t>(x)]++;
                continue;
            }
            if (run[static_cast<size_t>(x)] >= vertical) clear_run(x, y, run[static_cast<size_t>(x)]);
            run[static_cast<size_t>(x)] = 0;
        }
    }
}

// Clears the emptiest row of [from, to): every joint between what lies above it and what lies below
// crosses that row, so nothing stays connected across it.
void clear_emptiest_row(cv::Mat& binary, int from, int to) {
    int best = -1, least = INT32_MAX;
    for (int y = std::max(0, from); y < std::min(binary.rows, to); y++) {
        const int ink = cv::countNonZero(binary.row(y));
        if (ink < least) {
            least = ink;
            best = y;
        }
    }
    if (best >= 0 && least > 0) binary.row(best).setTo(0);
}

// A plate frame's band (a dealer's name, a state's script on a dark band) that the characters touch leaves no
// empty row between them: the ink of each row (over the patch's middle columns, the plate's) stays at the
// characters' level to their feet, then rises at once where the band begins. Going out from the middle, the
// first row whose ink rises by `rise` times the middle rows' ink above each of the kBandLook rows inside it is
// the band's edge; a row with under half the middle's ink first means a gap already parts them (the valley
// cut's case): no edge. The rise is tried at two levels, recognition choosing between the cuts: at 0.35 alone
// 6MWF778 reads (held out), at 0.25 or 0.3 alone 5L0D951 is found but 6MWF778 reads KM77RR; at
// 0.35-0.45 with 0.2 beside it, both seeds' fold models read 137-138 of 165 exactly and find 157 (cutting
// again only the candidates that read nothing).
constexpr float kBandRise = 0.4f, kFaintBandRise = 0.2f;
constexpr int kBandLook = 3;

// A frame's side beside the characters: an ink run down a column from the upper edge's row or above to the
// lower's or below (a character's stem stops short of one of them).
void clear_sides(cv::Mat& binary, int upper, int lower) {
    for (int x = 0; x < binary.cols; x++) {
        if (binary.at<uint8_t>((upper + lower) / 2, x) == 0) continue;
        int top = (upper + lower) / 2, bottom = top;
        while (top > 0 && binary.at<uint8_t>(top - 1, x) != 0) top--;
        while (bottom + 1 < binary.rows && binary.at<uint8_t>(bottom + 1, x) != 0) bottom++;
        if (top > upper || bottom < lower) continue;
        for (int y = top; y <= bottom; y++) binary.at<uint8_t>(y, x) = 0;
    }
}

int band_edge(const std::vector<float>& ink, float middle, int from, int to, int step, float rise) {
    for (int y = from; y != to; y += step) {
        if (ink[static_cast<size_t>(y)] < 0.5f * middle) return -1;
        float inside = 0;
        for (int k = 1; k <= kBandLook; k++) inside = std::max(inside, ink[static_cast<size_t>(y - k * step)]);
        if (ink[static_cast<size_t>(y)] - inside >= rise * middle) return y;
    }
    return -1;
}

// The rows where the band above and below the characters begins (-1: none), from the thresholded patch before
// its long runs are cleared (they are most of a band's ink).
void find_band_edges(const cv::Mat& binary, std::vector<float>& ink, int& upper, int& lower, float rise) {
    upper = lower = -1;
    const int h = binary.rows, x0 = h / 4, x1 = binary.cols - h / 4;
    if (x1 - x0 < h / 4) return;
    ink.resize(static_cast<size_t>(h));
    for (int y = 0; y < h; y++) ink[static_cast<size_t>(y)] = static_cast<float>(cv::countNonZero(binary.row(y).colRange(x0, x1))) / static_cast<float>(x1 - x0);
    float middle = 0;
    for (int y = h * 2 / 5; y < h * 3 / 5; y++) middle += ink[static_cast<size_t>(y)];
    middle /= static_cast<float>(h * 3 / 5 - h * 2 / 5);
    lower = band_edge(ink, middle, h / 2, h * 92 / 100, 1, rise);
    upper = band_edge(ink, middle, h / 2, h * 8 / 100, -1, rise);
}

}  // namespace

void binarise(const cv::Mat& patch, const Binarisation& how, SegmentScratch& s, cv::Mat& binary) {
    const int type = how.dark_on_light ? cv::THRESH_BINARY_INV : cv::THRESH_BINARY;
    const int h = patch.rows;
    if (how.method == 1) {
        const double t = cv::threshold(patch.rowRange(h / 4, h - h / 4), s.column, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
        cv::threshold(patch, binary, t, 255, type);
    } else if (how.method == 2) {
        double lo = 0, hi = 0;
        cv::minMaxLoc(patch.rowRange(h / 4, h - h / 4), &lo, &hi);
        const double c = std::max(3.0, (hi - lo) * 0.08);
        cv::adaptiveThreshold(patch, binary, 255, cv::ADAPTIVE_THRESH_MEAN_C, type, (h / 2) | 1, c);
    } else {
        cv::threshold(patch, binary, 0, 255, type | cv::THRESH_OTSU);
    }
    int upper = -1, lower = -1;
    s.band = 0;
    s.cleared = false;
    if (how.row_cut == RowCut::band_edges || how.row_cut == RowCut::faint_band_edges) {
        find_band_edges(binary, s.row_ink, upper, lower, how.row_cut == RowCut::band_edges ? kBandRise : kFaintBandRise);
        // No edge: the plain cut, which segment_hypotheses skips (a cut made at band edges always has them).
        if (upper < 0 && lower < 0) return;
    }
    remove_long_runs(binary, std::max(8, h), std::max(4, static_cast<int>(h * 0.9f)));
    // The characters between the two edges are shorter than a row's reference blob must be when the box was
    // taller than the plate (the frame and the car around it in the patch): segment_hypotheses goes by s.band.
    s.band = upper >= 0 && lower >= 0 ? lower - upper : 0;
    s.cleared = upper >= 0 || lower >= 0;
    if (s.band > 0) clear_sides(binary, upper, lower);  // the frame's sides, joined to the first and last characters
    if (upper >= 0) binary.row(upper).setTo(0);
    if (lower >= 0) binary.row(lower).setTo(0);
    if (how.row_cut == RowCut::valleys) {
        clear_emptiest_row(binary, h * 8 / 100, h * 38 / 100);
        clear_emptiest_row(binary, h * 62 / 100, h * 92 / 100);
    }
}

namespace {

// Blobs that could be characters or their pieces: not a border line, not a speck.
void collect_blobs(const cv::Mat& stats, int count, int patch_h, std::vector<cv::Rect>& out) {
    out.clear();
    for (int i = 1; i < count; i++) {
        const int* s = stats.ptr<int>(i);
        const int x = s[cv::CC_STAT_LEFT], y = s[cv::CC_STAT_TOP];
        const int w = s[cv::CC_STAT_WIDTH], h = s[cv::CC_STAT_HEIGHT], area = s[cv::CC_STAT_AREA];
        if (h < patch_h * 0.15 || h > patch_h * 0.95) continue;
        if (w > h * 2.6) continue;
        if (area < 0.1 * w * h) continue;
        out.push_back(cv::Rect(x, y, w, h));
    }
}

// Pieces of one character stacked above each other (a stroke broken by glare or dirt) become one box.
void merge_fragments(std::vector<cv::Rect>& blobs, int patch_h) {
    bool merged = true;
    while (merged) {
        merged = false;
        for (size_t i = 0; i < blobs.size() && !merged; i++) {
            for (size_t j = i + 1; j < blobs.size() && !merged; j++) {
                const cv::Rect& a = blobs[i];
                const cv::Rect& b = blobs[j];
                const int overlap = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
                if (overlap < 0.5 * std::min(a.width, b.width)) continue;
                const int gap = std::max(a.y, b.y) - std::min(a.y + a.height, b.y + b.height);
                const cv::Rect u = a | b;
                if (gap > patch_h * 0.12 || u.height > patch_h * 0.9 || u.width > u.height * 1.2) continue;
                // Two pieces of one character are both well short of the whole; a character with a
                // sticker or a bolt above it is most of the union by itself and stays apart.
                if (std::max(a.height, b.height) > 0.65 * u.height) continue;
                blobs[i] = u;
                blobs.erase(blobs.begin() + static_cast<long>(j));
                merged = true;
            }
        }
    }
}

// The largest row of blobs with similar heights, aligned vertically and without large gaps.
void best_row(const std::vector<cv::Rect>& blobs, float min_ref, std::vector<cv::Rect>& best, std::vector<cv::Rect>& scratch) {
    best.clear();
    for (const cv::Rect& ref : blobs) {
        if (ref.height < min_ref || ref.width > ref.height * 1.1) continue;
        const double ref_h = ref.height, ref_cy = ref.y + ref.height / 2.0;
        scratch.clear();
        for (const cv::Rect& c : blobs) {
            const double cy = c.y + c.height / 2.0;
            if (std::fabs(c.height - ref_h) <= 0.2 * ref_h && std::fabs(cy - ref_cy) <= 0.2 * ref_h) scratch.push_back(c);
        }
        std::sort(scratch.begin(), scratch.end(), [](const cv::Rect& a, const cv::Rect& b) { return a.x < b.x; });
        // Split the row where the gap is wider than a few characters and keep the longest chain.
        size_t start = 0;
        for (size_t i = 1; i <= scratch.size(); i++) {
            const bool split = i == scratch.size() || scratch[i].x - (scratch[i - 1].x + scratch[i - 1].width) > 2.0 * ref_h;
            if (!split) continue;
            if (i - start > best.size()) best.assign(scratch.begin() + static_cast<long>(start), scratch.begin() + static_cast<long>(i));
            start = i;
        }
    }
}

// Two boxes of a row over the same character (the character alone, and joined to a piece of frame):
// the one nearer the row's usual height stays.
void drop_overlaps(std::vector<cv::Rect>& row) {
    if (row.size() < 2) return;
    std::vector<int> heights;
    for (const cv::Rect& r : row) heights.push_back(r.height);
    std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2), heights.end());
    const int typical = heights[heights.size() / 2];
    for (size_t i = 1; i < row.size();) {
        const cv::Rect& a = row[i - 1];
        const cv::Rect& b = row[i];
        const int overlap = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
        if (overlap <= 0.5 * std::min(a.width, b.width)) {
            i++;
            continue;
        }
        const bool keep_a = std::abs(a.height - typical) <= std::abs(b.height - typical);
        row.erase(row.begin() + static_cast<long>(keep_a ? i : i - 1));
    }
}

// Two or three characters run together (blur, tight spacing) make one wide box: cut it at the emptiest
// columns near where equal-width characters would meet.
void split_wide(const cv::Mat& binary, float height, std::vector<cv::Rect>& row, std::vector<cv::Rect>& scratch) {
    std::vector<int> widths;
    for (const cv::Rect& r : row)
        if (r.width <= r.height * 0.9) widths.push_back(r.width);
    float typical = height * 0.55f;
    if (widths.size() >= 2) {
        std::nth_element(widths.begin(), widths.begin() + static_cast<long>(widths.size() / 2), widths.end());
        typical = std::max(height * 0.3f, static_cast<float>(widths[widths.size() / 2]));
    }
    const float pitch = typical + height * 0.12f;
    scratch.clear();
    for (const cv::Rect& r : row) {
        const int k = static_cast<int>(std::lround((r.width + height * 0.12f) / pitch));
        if (r.width < typical * 1.45f || r.width < height * 0.75f || k < 2) {
            scratch.push_back(r);
            continue;
        }
        int left = r.x;
        for (int part = 1; part < k; part++) {
            const int guess = r.x + r.width * part / k;
            const int reach = std::max(1, r.width / (4 * k));
            int cut = guess, least = INT32_MAX;
            for (int x = std::max(left + 1, guess - reach); x <= std::min(r.x + r.width - 2, guess + reach); x++) {
                const int ink = cv::countNonZero(binary(cv::Rect(x, r.y, 1, r.height)));
                if (ink < least) {
                    least = ink;
                    cut = x;
                }
            }
            scratch.push_back(cv::Rect(left, r.y, cut - left, r.height));
            left = cut;
        }
        scratch.push_back(cv::Rect(left, r.y, r.x + r.width - left, r.height));
    }
    row.swap(scratch);
}

void fit_row(const cv::Mat& patch, const cv::Mat& binary, RowHypothesis& h) {
    std::vector<float> heights;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const cv::Rect& r : h.boxes) {
        heights.push_back(static_cast<float>(r.height));
        const double x = r.x + r.width / 2.0, y = r.y + r.height / 2.0;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    const double n = static_cast<double>(h.boxes.size());
    std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2), heights.end());
    h.height = heights[heights.size() / 2];
    const double det = n * sxx - sx * sx;
    h.slope = det > 1e-6 ? static_cast<float>((n * sxy - sx * sy) / det) : 0.0f;
    h.intercept = static_cast<float>((sy - h.slope * sx) / n);
    cv::Rect bounds = h.boxes.front();
    for (const cv::Rect& r : h.boxes) bounds |= r;
    const cv::Scalar ink = cv::mean(patch(bounds), binary(bounds));
    cv::Mat ground_mask;
    cv::bitwise_not(binary(bounds), ground_mask);
    const cv::Scalar ground = cv::mean(patch(bounds), ground_mask);
    h.contrast = std::fabs(ground[0] - ink[0]);
}

bool same_boxes(const RowHypothesis& a, const RowHypothesis& b) {
    if (a.boxes.size() != b.boxes.size()) return false;
    for (size_t i = 0; i < a.boxes.size(); i++) {
        const cv::Rect& p = a.boxes[i];
        const cv::Rect& q = b.boxes[i];
        if (std::abs(p.x - q.x) > 1 || std::abs(p.y - q.y) > 1 || std::abs(p.width - q.width) > 1 || std::abs(p.height - q.height) > 1)
            return false;
    }
    return true;
}

}  // namespace

constexpr float kBandReference = 0.8f;

void segment_hypotheses(const cv::Mat& patch, SegmentScratch& s, std::vector<RowHypothesis>& out, int min_chars, int methods,
                        int polarity, RowCuts row_cuts) {
    out.clear();
    // The row cuts tried, as RowCut values: none alone, none to faint band edges, or the two band edges.
    const int first_cut = row_cuts == RowCuts::band_edges ? static_cast<int>(RowCut::band_edges) : 0;
    const int last_cut = row_cuts == RowCuts::plain ? 0 : static_cast<int>(RowCut::faint_band_edges);
    for (const bool dark : {true, false}) {
        if (polarity >= 0 && dark != (polarity == 1)) continue;
        const int n = std::min(methods, kBinarisationMethods);
        for (int variant = first_cut * n; variant < (last_cut + 1) * n; variant++) {
            const Binarisation how{dark, variant % n, static_cast<RowCut>(variant / n)};
            // A frame's band is dark around a light plate with dark characters: band edges for dark ink only
            // (for light ink too, held out and shipped, no read changed, at a cost).
            const bool band = how.row_cut == RowCut::band_edges || how.row_cut == RowCut::faint_band_edges;
            if (band && !dark) continue;
            binarise(patch, how, s, s.binary);
            if (band && !s.cleared) continue;  // no band edge: the plain cut, tried already or not wanted
            const int count = cv::connectedComponentsWithStats(s.binary, s.labels, s.stats, s.centroids, 8, CV_32S);
            collect_blobs(s.stats, count, patch.rows, s.blobs);
            merge_fragments(s.blobs, patch.rows);
            // A row's reference blob is at least 0.28 of the patch high, or most of the band between the edges.
            const float min_ref = s.band > 0 ? std::min(0.28f * patch.rows, kBandReference * static_cast<float>(s.band)) : 0.28f * patch.rows;
            best_row(s.blobs, min_ref, s.row, s.scratch);
            drop_overlaps(s.row);
            if (static_cast<int>(s.row.size()) < std::max(1, min_chars - 1)) continue;
            RowHypothesis h;
            h.boxes = s.row;
            h.binarisation = how;
            fit_row(patch, s.binary, h);
            split_wide(s.binary, h.height, h.boxes, s.scratch);
            if (static_cast<int>(h.boxes.size()) < min_chars) continue;
            bool seen = false;
            for (const RowHypothesis& other : out) seen = seen || same_boxes(other, h);
            if (!seen) out.push_back(std::move(h));
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const RowHypothesis& a, const RowHypothesis& b) {
        return a.boxes.size() != b.boxes.size() ? a.boxes.size() > b.boxes.size() : a.contrast > b.contrast;
    });
}

namespace {

// The mean share of its boxes a row's ink covers.
double ink_fill(const cv::Mat& patch, const RowHypothesis& row, SegmentScratch& s) {
    binarise(patch, row.binarisation, s, s.binary);
    double fill = 0;
    for (const cv::Rect& c : row.boxes) fill += cv::countNonZero(s.binary(c)) / static_cast<double>(std::max(1, c.area()));
    return fill / static_cast<double>(std::max<size_t>(1, row.boxes.size()));
}

}  // namespace

size_t plausible_hypothesis(const cv::Mat& patch, const std::vector<RowHypothesis>& hypotheses, SegmentScratch& s) {
    // The first row of each polarity (they come most boxes first). A plate cut with the wrong polarity
    // takes its ground for ink: the gaps between characters make boxes that their "ink" nearly fills,
    // where a character fills about half of its box. So the polarity whose row is less filled wins,
    // unless it has far fewer boxes (a few blobs of a frame or bumper).
    const size_t none = hypotheses.size();
    size_t first[2] = {none, none};
    for (size_t h = 0; h < hypotheses.size(); h++) {
        size_t& slot = first[hypotheses[h].binarisation.dark_on_light ? 1 : 0];
        if (slot == none) slot = h;
    }
    if (first[0] == none || first[1] == none) return 0;
    const size_t a = std::min(first[0], first[1]), b = std::max(first[0], first[1]);  // a has the most boxes
    const bool enough = static_cast<double>(hypotheses[b].boxes.size()) >= 0.6 * static_cast<double>(hypotheses[a].boxes.size());
    return enough && ink_fill(patch, hypotheses[b], s) < ink_fill(patch, hypotheses[a], s) ? b : a;
}

bool best_hypothesis(const std::vector<RowHypothesis>& hypotheses, RowHypothesis& best) {
    if (hypotheses.empty()) return false;
    best = hypotheses.front();
    return true;
}

}  // namespace ea
