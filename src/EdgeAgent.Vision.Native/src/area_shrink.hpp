// Internal to the bridge: the finder's shrink. The same pixels as cv::resize(src, dst, Size(), scale,
// scale, INTER_AREA) at a fractional scale, bit for bit, in about a third of the time.
//
// Why not cv::resize: OpenCV 4.6's fractional INTER_AREA scatters every source pixel of every source row
// into a row of sums, one table entry at a time (a chain of dependent loads and stores through the same
// sum), and was about a quarter of the agent's CPU. Here each output pixel gathers its few source pixels
// (a fixed number of taps, zero-weighted where it has fewer), each source row is summed across once even
// when two output rows share it, and the rows are combined with whole-row loops the compiler vectorises.
// The arithmetic is OpenCV's, in its order (the same float weights, products and sums, the same
// rounding), so the finder sees exactly the pixels it saw before: reads cannot change. A test compares
// the two on frames of the sample (ea_shrink_compare).
#pragma once

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace ea {

// Tables for one source size and scale, rebuilt only when those change; buffers reused call after call.
struct AreaShrink {
    static constexpr int kBlock = 4;  // source rows summed across at once (one per SIMD lane)
    struct Entry {
        int source;
        float weight;
    };
    int src_w = 0, src_h = 0;
    double scale = 0;
    int dst_w = 0, dst_h = 0, taps = 0;
    std::vector<Entry> x_entries;  // OpenCV's table across, column after column
    std::vector<int> x_count;      // per output column: its entries in x_entries
    std::vector<int> x_first;      // per output column: its first source column
    std::vector<float> x_weight;   // per output column: taps weights (OpenCV's, zero-padded)
    std::vector<int> y_first;      // per output row: its first entry in y_source / y_weight
    std::vector<int> y_source;
    std::vector<float> y_weight;
    std::vector<float> across[2], sum;  // blocks of source rows summed across (the last two), the output row's sum
    std::vector<float> source_row;      // a source row being summed, as float (without SSE2)
    std::vector<float> columns, lanes;  // a block's pixels and sums, column by column (with SSE2)
};

// dst = src shrunk by scale (0 < scale < 1), as cv::resize INTER_AREA does it.
void shrink_area(const cv::Mat& src, double scale, AreaShrink& s, cv::Mat& dst);

// dst = src shrunk by a whole factor, each pixel the mean of a factor x factor block rounded half to even:
// what cv::resize INTER_AREA gives at an integer scale, bit for bit, where src's width and height are
// multiples of factor (3..16; OpenCV's own factor 2 path rounds differently). The motion gate's 1/8 scale.
// OpenCV 4.6 vectorises only factor 2; for others it gathers a block's pixels one table offset at a time, a fifth of the processing thread's time
// at 1080p. Here the block's rows are summed down in whole-row loops the compiler vectorises, then across.
// column_sums is a buffer kept between calls.
void shrink_blocks(const cv::Mat& src, int factor, std::vector<uint16_t>& column_sums, cv::Mat& dst);

}  // namespace ea
