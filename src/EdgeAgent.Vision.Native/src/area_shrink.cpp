#include "area_shrink.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>

#include <opencv2/imgproc.hpp>

#include "bridge_common.hpp"

namespace ea {

namespace {

using Entry = AreaShrink::Entry;

// OpenCV's area table for one axis (computeResizeAreaTab in imgproc/src/resize.cpp, OpenCV 4.6): for each
// output pixel, the source pixels its cell covers and their weights, a partial pixel at either end
// dropped when it covers under a thousandth. The weights are rounded to float exactly as OpenCV does.
template <typename Emit>
void area_table(int src_size, int dst_size, double scale, Emit&& emit) {
    for (int d = 0; d < dst_size; d++) {
        const double f1 = d * scale, f2 = f1 + scale;
        const double cell = std::min(scale, src_size - f1);
        int s1 = static_cast<int>(std::ceil(f1)), s2 = static_cast<int>(std::floor(f2));
        s2 = std::min(s2, src_size - 1);
        s1 = std::min(s1, s2);
        if (s1 - f1 > 1e-3) emit(d, Entry{s1 - 1, static_cast<float>((s1 - f1) / cell)});
        for (int s = s1; s < s2; s++) emit(d, Entry{s, static_cast<float>(1.0 / cell)});
        if (f2 - s2 > 1e-3) emit(d, Entry{s2, static_cast<float>(std::min(std::min(f2 - s2, 1.), cell) / cell)});
    }
}

void build_tables(AreaShrink& s, int src_w, int src_h, double scale, cv::Size dst) {
    s.src_w = src_w;
    s.src_h = src_h;
    s.scale = scale;
    s.dst_w = dst.width;
    s.dst_h = dst.height;
    const double inverse = 1.0 / scale;

    // Across: a fixed number of taps per output column (the most any column has), consecutive source
    // columns. A column with fewer gets zero weights, before its own when it sits at the right edge: a
    // zero product added to a sum leaves it exactly as it was, so the sums stay OpenCV's.
    s.x_entries.clear();
    s.x_count.assign(static_cast<size_t>(s.dst_w), 0);
    area_table(src_w, s.dst_w, inverse, [&](int d, Entry e) {
        s.x_entries.push_back(e);
        s.x_count[static_cast<size_t>(d)]++;
    });
    s.taps = *std::max_element(s.x_count.begin(), s.x_count.end());
    s.x_first.assign(static_cast<size_t>(s.dst_w), 0);
    s.x_weight.assign(static_cast<size_t>(s.dst_w) * static_cast<size_t>(s.taps), 0.0f);
    size_t e = 0;
    for (int d = 0; d < s.dst_w; d++) {
        const int count = s.x_count[static_cast<size_t>(d)];
        const int source = s.x_entries[e].source;
        const int first = std::min(source, src_w - s.taps);
        s.x_first[static_cast<size_t>(d)] = first;
        float* w = s.x_weight.data() + static_cast<size_t>(d) * static_cast<size_t>(s.taps) + static_cast<size_t>(source - first);
        for (int k = 0; k < count; k++) w[k] = s.x_entries[e++].weight;
    }

    // Down: each output row's source rows and weights, in OpenCV's order.
    s.y_first.assign(static_cast<size_t>(s.dst_h) + 1, 0);
    s.y_source.clear();
    s.y_weight.clear();
    area_table(src_h, s.dst_h, inverse, [&](int d, Entry e) {
        s.y_source.push_back(e.source);
        s.y_weight.push_back(e.weight);
        s.y_first[static_cast<size_t>(d) + 1] = static_cast<int>(s.y_source.size());
    });
    for (size_t d = 1; d < s.y_first.size(); d++) s.y_first[d] = std::max(s.y_first[d], s.y_first[d - 1]);
    for (auto& row : s.across) row.assign(static_cast<size_t>(s.dst_w), 0.0f);
    s.sum.assign(static_cast<size_t>(s.dst_w), 0.0f);
    s.source_row.assign(static_cast<size_t>(src_w), 0.0f);
}

// One source row summed across into the output's columns: per column, its taps' products added in order
// from zero, as OpenCV adds them.
template <int Taps>
void sum_across(const float* row, const int* first, const float* weight, int width, float* out) {
    for (int d = 0; d < width; d++) {
        const float* p = row + first[d];
        const float* w = weight + static_cast<ptrdiff_t>(d) * Taps;
        float acc = 0.0f;
        for (int k = 0; k < Taps; k++) acc += p[k] * w[k];
        out[d] = acc;
    }
}

void sum_across_any(const float* row, const int* first, const float* weight, int taps, int width, float* out) {
    for (int d = 0; d < width; d++) {
        const float* p = row + first[d];
        const float* w = weight + static_cast<ptrdiff_t>(d) * taps;
        float acc = 0.0f;
        for (int k = 0; k < taps; k++) acc += p[k] * w[k];
        out[d] = acc;
    }
}

// The row is converted to float first (a loop the compiler vectorises): converting each byte where it is
// gathered costs more than the products. The value is the same either way.
void across(AreaShrink& s, const uint8_t* source, float* out) {
    float* row = s.source_row.data();
    for (int x = 0; x < s.src_w; x++) row[x] = static_cast<float>(source[x]);
    const int* first = s.x_first.data();
    const float* weight = s.x_weight.data();
    switch (s.taps) {
        case 2: sum_across<2>(row, first, weight, s.dst_w, out); break;
        case 3: sum_across<3>(row, first, weight, s.dst_w, out); break;
        case 4: sum_across<4>(row, first, weight, s.dst_w, out); break;
        case 5: sum_across<5>(row, first, weight, s.dst_w, out); break;
        case 6: sum_across<6>(row, first, weight, s.dst_w, out); break;
        default: sum_across_any(row, first, weight, s.taps, s.dst_w, out); break;
    }
}

// Round half to even, as OpenCV's saturate_cast<uchar>(float) does (cvRound), then clip: adding and
// subtracting 2^23 rounds a float in [0, 2^23) to an integer in the default rounding mode, and it
// vectorises where lrintf does not. The sums are never negative (all weights are).
void store(const float* sum, int width, uint8_t* out) {
    constexpr float kRound = 8388608.0f;
    for (int d = 0; d < width; d++) {
        const float r = (sum[d] + kRound) - kRound;
        out[d] = static_cast<uint8_t>(std::min(r, 255.0f));
    }
}

}  // namespace

void shrink_area(const cv::Mat& src, double scale, AreaShrink& s, cv::Mat& dst) {
    CV_Assert(src.type() == CV_8UC1 && scale > 0.0 && scale < 1.0);
    const cv::Size dst_size(cv::saturate_cast<int>(src.cols * scale), cv::saturate_cast<int>(src.rows * scale));
    // A whole-number factor takes OpenCV's integer path, whose rounding differs: leave it to OpenCV.
    const double inverse = 1.0 / scale;
    if (std::fabs(inverse - cv::saturate_cast<int>(inverse)) < DBL_EPSILON || dst_size.area() == 0) {
        cv::resize(src, dst, cv::Size(), scale, scale, cv::INTER_AREA);
        return;
    }
    if (s.src_w != src.cols || s.src_h != src.rows || s.scale != scale) build_tables(s, src.cols, src.rows, scale, dst_size);
    dst.create(dst_size, CV_8UC1);

    int cached[2] = {-1, -1};  // the source row each of s.across holds
    int newest = 1;
    const int width = s.dst_w;
    float* sum = s.sum.data();
    for (int dy = 0; dy < s.dst_h; dy++) {
        for (int j = s.y_first[static_cast<size_t>(dy)]; j < s.y_first[static_cast<size_t>(dy) + 1]; j++) {
            const int sy = s.y_source[static_cast<size_t>(j)];
            const float beta = s.y_weight[static_cast<size_t>(j)];
            // Two consecutive output rows share at most their boundary row, the one summed last.
            int slot = cached[0] == sy ? 0 : cached[1] == sy ? 1 : -1;
            if (slot < 0) {
                slot = newest ^ 1;
                across(s, src.ptr<uint8_t>(sy), s.across[slot].data());
                cached[slot] = sy;
            }
            newest = slot;
            const float* buf = s.across[slot].data();
            if (j == s.y_first[static_cast<size_t>(dy)])
                for (int d = 0; d < width; d++) sum[d] = beta * buf[d];
            else
                for (int d = 0; d < width; d++) sum[d] += beta * buf[d];
        }
        store(sum, width, dst.ptr<uint8_t>(dy));
    }
}

}  // namespace ea

extern "C" {

EA_API int ea_shrink_compare(const uint8_t* gray, int32_t width, int32_t height, int32_t stride, double scale,
                             int32_t* max_difference, int64_t* differing) {
    return ea::guarded("ea_shrink_compare", [&]() -> int {
        if (!ea::valid_image(gray, width, height, stride, 1) || !(scale > 0.0 && scale < 1.0) || max_difference == nullptr ||
            differing == nullptr)
            return ea::fail(EA_E_ARGUMENT, "ea_shrink_compare: bad image, scale (0 < scale < 1) or output");
        const cv::Mat image(height, width, CV_8UC1, const_cast<uint8_t*>(gray), static_cast<size_t>(stride));
        cv::Mat ours, opencv, diff;
        ea::AreaShrink s;
        ea::shrink_area(image, scale, s, ours);
        cv::resize(image, opencv, cv::Size(), scale, scale, cv::INTER_AREA);
        if (ours.size() != opencv.size()) return ea::fail(EA_E_INTERNAL, "ea_shrink_compare: the two shrinks differ in size");
        cv::absdiff(ours, opencv, diff);
        double most = 0;
        cv::minMaxLoc(diff, nullptr, &most);
        *max_difference = static_cast<int32_t>(most);
        *differing = cv::countNonZero(diff);
        return EA_OK;
    });
}

}
