#include "area_shrink.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#include <xmmintrin.h>
#endif

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
    for (auto& rows : s.across) rows.assign(static_cast<size_t>(AreaShrink::kBlock) * static_cast<size_t>(s.dst_w), 0.0f);
    s.columns.assign(static_cast<size_t>(AreaShrink::kBlock) * static_cast<size_t>(src_w), 0.0f);
    s.lanes.assign(static_cast<size_t>(AreaShrink::kBlock) * static_cast<size_t>(s.dst_w), 0.0f);
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

// One source row summed across (without SSE2). The row is converted to float first (a loop the compiler vectorises):
// converting each byte where it is gathered costs more than the products. The value is the same.
[[maybe_unused]] void across_row(AreaShrink& s, const uint8_t* source, float* out) {
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

#if defined(__SSE2__)
// Four source rows interleaved column by column, as floats: column x's four pixels at columns[4x].
void interleave(const uint8_t* const rows[AreaShrink::kBlock], int width, float* columns) {
    const __m128i zero = _mm_setzero_si128();
    int x = 0;
    for (; x + 16 <= width; x += 16) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[0] + x));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[1] + x));
        const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[2] + x));
        const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[3] + x));
        const __m128i ab_lo = _mm_unpacklo_epi8(a, b), cd_lo = _mm_unpacklo_epi8(c, d);
        const __m128i ab_hi = _mm_unpackhi_epi8(a, b), cd_hi = _mm_unpackhi_epi8(c, d);
        const __m128i quads[4] = {_mm_unpacklo_epi16(ab_lo, cd_lo), _mm_unpackhi_epi16(ab_lo, cd_lo),
                                  _mm_unpacklo_epi16(ab_hi, cd_hi), _mm_unpackhi_epi16(ab_hi, cd_hi)};
        float* out = columns + 4 * x;
        for (const __m128i& q : quads) {  // four columns of four pixels each
            const __m128i lo = _mm_unpacklo_epi8(q, zero), hi = _mm_unpackhi_epi8(q, zero);
            _mm_storeu_ps(out, _mm_cvtepi32_ps(_mm_unpacklo_epi16(lo, zero)));
            _mm_storeu_ps(out + 4, _mm_cvtepi32_ps(_mm_unpackhi_epi16(lo, zero)));
            _mm_storeu_ps(out + 8, _mm_cvtepi32_ps(_mm_unpacklo_epi16(hi, zero)));
            _mm_storeu_ps(out + 12, _mm_cvtepi32_ps(_mm_unpackhi_epi16(hi, zero)));
            out += 16;
        }
    }
    for (; x < width; x++)
        for (int r = 0; r < AreaShrink::kBlock; r++) columns[4 * x + r] = static_cast<float>(rows[r][x]);
}

// Taps is the tap count when known at compile time (the loop unrolled), 0 for any (taps then).
template <int Taps>
void lanes_across(const float* columns, const int* first, const float* weight, int taps, int width, float* lanes) {
    const int n = Taps > 0 ? Taps : taps;
    for (int d = 0; d < width; d++) {
        const float* p = columns + 4 * first[d];
        const float* w = weight + static_cast<ptrdiff_t>(d) * n;
        __m128 acc = _mm_setzero_ps();
        for (int k = 0; k < n; k++) acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(p + 4 * k), _mm_set1_ps(w[k])));
        _mm_storeu_ps(lanes + 4 * d, acc);
    }
}

// Four source rows summed across at once, one row per lane: each lane adds its taps' products in the
// same order from zero as the one-row code, so each sum is the same float. out holds the four rows one
// after the other.
void across_block_sse(AreaShrink& s, const uint8_t* const rows[AreaShrink::kBlock], float* out) {
    float* columns = s.columns.data();
    interleave(rows, s.src_w, columns);
    float* lanes = s.lanes.data();
    const int width = s.dst_w;
    switch (s.taps) {
        case 2: lanes_across<2>(columns, s.x_first.data(), s.x_weight.data(), 2, width, lanes); break;
        case 3: lanes_across<3>(columns, s.x_first.data(), s.x_weight.data(), 3, width, lanes); break;
        case 4: lanes_across<4>(columns, s.x_first.data(), s.x_weight.data(), 4, width, lanes); break;
        case 5: lanes_across<5>(columns, s.x_first.data(), s.x_weight.data(), 5, width, lanes); break;
        case 6: lanes_across<6>(columns, s.x_first.data(), s.x_weight.data(), 6, width, lanes); break;
        case 7: lanes_across<7>(columns, s.x_first.data(), s.x_weight.data(), 7, width, lanes); break;
        case 8: lanes_across<8>(columns, s.x_first.data(), s.x_weight.data(), 8, width, lanes); break;
        default: lanes_across<0>(columns, s.x_first.data(), s.x_weight.data(), s.taps, width, lanes); break;
    }
    int d = 0;
    for (; d + 4 <= width; d += 4) {  // back to rows: a 4x4 transpose per four columns
        __m128 c0 = _mm_loadu_ps(lanes + 4 * d), c1 = _mm_loadu_ps(lanes + 4 * d + 4);
        __m128 c2 = _mm_loadu_ps(lanes + 4 * d + 8), c3 = _mm_loadu_ps(lanes + 4 * d + 12);
        _MM_TRANSPOSE4_PS(c0, c1, c2, c3);
        _mm_storeu_ps(out + d, c0);
        _mm_storeu_ps(out + width + d, c1);
        _mm_storeu_ps(out + 2 * width + d, c2);
        _mm_storeu_ps(out + 3 * width + d, c3);
    }
    for (; d < width; d++)
        for (int r = 0; r < AreaShrink::kBlock; r++) out[r * width + d] = lanes[4 * d + r];
}
#endif

// Source rows [4 block, 4 block + 4) summed across into out, one row after the other (rows past the
// image repeat its last row; nothing reads them).
void across_block(AreaShrink& s, const cv::Mat& src, int block, float* out) {
    const uint8_t* rows[AreaShrink::kBlock];
    for (int r = 0; r < AreaShrink::kBlock; r++) rows[r] = src.ptr<uint8_t>(std::min(block * AreaShrink::kBlock + r, src.rows - 1));
#if defined(__SSE2__)
    across_block_sse(s, rows, out);
#else
    for (int r = 0; r < AreaShrink::kBlock; r++) across_row(s, rows[r], out + static_cast<ptrdiff_t>(r) * s.dst_w);
#endif
}

// Round half to even, as OpenCV's saturate_cast<uchar>(float) does (cvRound), then clip: adding and
// subtracting 2^23 rounds a float in [0, 2^23) to an integer in the default rounding mode, and it
// vectorises where lrintf does not. The sums are never negative (all weights are).
// With SSE2, the conversion rounds to nearest even itself (the default rounding mode, as cvRound's) and the
// packs saturate to 0..255, as saturate_cast does.
void store(const float* sum, int width, uint8_t* out) {
    constexpr float kRound = 8388608.0f;
    int d = 0;
#if defined(__SSE2__)
    for (; d + 16 <= width; d += 16) {
        const __m128i a = _mm_cvtps_epi32(_mm_loadu_ps(sum + d)), b = _mm_cvtps_epi32(_mm_loadu_ps(sum + d + 4));
        const __m128i c = _mm_cvtps_epi32(_mm_loadu_ps(sum + d + 8)), e = _mm_cvtps_epi32(_mm_loadu_ps(sum + d + 12));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + d), _mm_packus_epi16(_mm_packs_epi32(a, b), _mm_packs_epi32(c, e)));
    }
#endif
    for (; d < width; d++) {
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

    int cached[2] = {-1, -1};  // the block of source rows each of s.across holds
    int newest = 1;
    const int width = s.dst_w;
    float* sum = s.sum.data();
    for (int dy = 0; dy < s.dst_h; dy++) {
        for (int j = s.y_first[static_cast<size_t>(dy)]; j < s.y_first[static_cast<size_t>(dy) + 1]; j++) {
            const int sy = s.y_source[static_cast<size_t>(j)];
            const float beta = s.y_weight[static_cast<size_t>(j)];
            // Rows come in order, but for the boundary row two output rows share, the one summed last:
            // it is in the newest block, so the other block is the one to replace.
            const int block = sy / AreaShrink::kBlock;
            int slot = cached[0] == block ? 0 : cached[1] == block ? 1 : -1;
            if (slot < 0) {
                slot = newest ^ 1;
                across_block(s, src, block, s.across[slot].data());
                cached[slot] = block;
            }
            newest = slot;
            const float* buf = s.across[slot].data() + static_cast<ptrdiff_t>(sy % AreaShrink::kBlock) * width;
            if (j == s.y_first[static_cast<size_t>(dy)])
                for (int d = 0; d < width; d++) sum[d] = beta * buf[d];
            else
                for (int d = 0; d < width; d++) sum[d] += beta * buf[d];
        }
        store(sum, width, dst.ptr<uint8_t>(dy));
    }
}

void shrink_blocks(const cv::Mat& src, int factor, std::vector<uint16_t>& column_sums, cv::Mat& dst) {
    CV_Assert(src.type() == CV_8UC1 && factor >= 3 && factor <= 16 && src.cols % factor == 0 && src.rows % factor == 0);
    const int width = src.cols;
    const float inverse_area = 1.f / static_cast<float>(factor * factor);
    dst.create(src.rows / factor, width / factor, CV_8UC1);
    column_sums.resize(static_cast<size_t>(width));
    uint16_t* sums = column_sums.data();  // at most 16 x 255 down a column, 256 x 255 in a block: 16 bits
    for (int dy = 0; dy < dst.rows; dy++) {
        const uint8_t* first = src.ptr<uint8_t>(dy * factor);
        for (int x = 0; x < width; x++) sums[x] = first[x];
        for (int k = 1; k < factor; k++) {
            const uint8_t* row = src.ptr<uint8_t>(dy * factor + k);
            for (int x = 0; x < width; x++) sums[x] = static_cast<uint16_t>(sums[x] + row[x]);
        }
        uint8_t* out = dst.ptr<uint8_t>(dy);
        for (int dx = 0; dx < dst.cols; dx++) {
            const uint16_t* block = sums + static_cast<ptrdiff_t>(dx) * factor;
            int sum = 0;
            for (int k = 0; k < factor; k++) sum += block[k];
            out[dx] = cv::saturate_cast<uint8_t>(static_cast<float>(sum) * inverse_area);  // OpenCV's arithmetic and rounding
        }
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
        const double inverse = 1.0 / scale;
        const int factor = static_cast<int>(std::lround(inverse));
        if (std::abs(inverse - factor) < 1e-9 && factor >= 3 && factor <= 16 && width % factor == 0 && height % factor == 0) {
            std::vector<uint16_t> sums;
            ea::shrink_blocks(image, factor, sums, ours);
        } else {
            ea::AreaShrink s;
            ea::shrink_area(image, scale, s, ours);
        }
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
