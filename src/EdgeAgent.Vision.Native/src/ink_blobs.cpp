#include "ink_blobs.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <opencv2/imgproc.hpp>

#include "bridge_common.hpp"

namespace ea {

namespace {

// One row's ink as bits, 64 pixels a word (bit i of word w: pixel 64 w + i), pixels past the row 0.
void ink_bits(const uint8_t* row, int width, uint8_t limit, uint64_t* words) {
    const int count = (width + 63) / 64;
    std::memset(words, 0, static_cast<size_t>(count) * sizeof(uint64_t));
    int x = 0;
#if defined(__SSE2__)
    // Unsigned bytes compared as signed ones after flipping their top bit.
    const __m128i flip = _mm_set1_epi8(static_cast<char>(0x80));
    const __m128i bound = _mm_xor_si128(_mm_set1_epi8(static_cast<char>(limit)), flip);
    for (; x + 16 <= width; x += 16) {
        const __m128i v = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + x)), flip);
        const uint64_t bits = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpgt_epi8(v, bound)));
        words[x / 64] |= bits << (x % 64);
    }
#endif
    for (; x < width; x++)
        if (row[x] > limit) words[x / 64] |= uint64_t{1} << (x % 64);
}

// Runs of ink on one row, appended to s.runs (each its own component for now): a run starts or ends
// where a bit differs from the one before it, so only the runs' ends are visited.
void find_runs(const uint64_t* words, int width, std::vector<BlobScratch::Run>& runs) {
    const int count = (width + 63) / 64;
    uint64_t before = 0;  // the previous pixel's bit, at bit 0
    int start = 0;
    for (int w = 0; w < count; w++) {
        const uint64_t ink = words[w];
        uint64_t changes = ink ^ ((ink << 1) | before);
        before = ink >> 63;
        while (changes != 0) {
            const int bit = __builtin_ctzll(changes);
            changes &= changes - 1;
            const int x = w * 64 + bit;
            if ((ink >> bit) & 1) start = x;
            else runs.push_back(BlobScratch::Run{start, x, static_cast<int>(runs.size())});
        }
    }
    if (before != 0) runs.push_back(BlobScratch::Run{start, count * 64, static_cast<int>(runs.size())});  // the row ends in ink
}

int root_of(std::vector<BlobScratch::Run>& runs, int i) {
    while (runs[static_cast<size_t>(i)].parent != i) {
        const int up = runs[static_cast<size_t>(i)].parent;
        runs[static_cast<size_t>(i)].parent = runs[static_cast<size_t>(up)].parent;  // path halving
        i = up;
    }
    return i;
}

// The earlier run stays the root: a component's root is its first run in raster order.
void join(std::vector<BlobScratch::Run>& runs, int a, int b) {
    a = root_of(runs, a);
    b = root_of(runs, b);
    if (a == b) return;
    if (a < b) runs[static_cast<size_t>(b)].parent = a;
    else runs[static_cast<size_t>(a)].parent = b;
}

}  // namespace

void blobs_above(const cv::Mat& image, int threshold, BlobScratch& s, std::vector<Blob>& out) {
    CV_Assert(image.type() == CV_8UC1);
    const int width = image.cols, height = image.rows;
    out.clear();
    s.runs.clear();
    s.row_start.assign(static_cast<size_t>(height) + 1, 0);
    s.ink.resize(static_cast<size_t>(width + 63) / 64);
    uint64_t* ink = s.ink.data();
    const uint8_t limit = static_cast<uint8_t>(std::clamp(threshold, 0, 255));
    for (int y = 0; y < height; y++) {
        ink_bits(image.ptr<uint8_t>(y), width, limit, ink);
        const int first = static_cast<int>(s.runs.size());
        s.row_start[static_cast<size_t>(y)] = first;
        find_runs(ink, width, s.runs);
        if (y == 0) continue;
        // Join each run with the runs above that touch it, diagonals included: both rows are sorted by x.
        int above = s.row_start[static_cast<size_t>(y) - 1];
        const int above_end = first;
        for (int r = first; r < static_cast<int>(s.runs.size()); r++) {
            const BlobScratch::Run run = s.runs[static_cast<size_t>(r)];
            while (above < above_end && s.runs[static_cast<size_t>(above)].x1 < run.x0) above++;
            for (int q = above; q < above_end && s.runs[static_cast<size_t>(q)].x0 <= run.x1; q++) join(s.runs, r, q);
        }
    }
    s.row_start[static_cast<size_t>(height)] = static_cast<int>(s.runs.size());

    // Bounds and pixel counts per component, numbered in the order of their first runs for now.
    s.component.assign(s.runs.size(), -1);
    s.first_block.clear();
    for (int y = 0; y < height; y++) {
        for (int r = s.row_start[static_cast<size_t>(y)]; r < s.row_start[static_cast<size_t>(y) + 1]; r++) {
            const int root = root_of(s.runs, r);
            int& index = s.component[static_cast<size_t>(root)];
            const BlobScratch::Run& run = s.runs[static_cast<size_t>(r)];
            const long block = static_cast<long>(y / 2) * width + run.x0 / 2;  // the 2x2 block of its first pixel
            if (index < 0) {
                index = static_cast<int>(out.size());
                out.push_back(Blob{run.x0, y, run.x1 - run.x0, 1, run.x1 - run.x0});
                s.first_block.push_back(block);
                continue;
            }
            long& first = s.first_block[static_cast<size_t>(index)];
            first = std::min(first, block);
            Blob& b = out[static_cast<size_t>(index)];
            const int right = std::max(b.x + b.width, run.x1);
            b.x = std::min(b.x, run.x0);
            b.width = right - b.x;
            b.height = y - b.y + 1;
            b.area += run.x1 - run.x0;
        }
    }

    // OpenCV's order: its labelling scans 2x2 blocks, two rows at a time, and numbers the components in
    // the order of the first block holding a pixel of each (a 2x2 block never holds two 8-connected
    // components). The proposer links blobs after an unstable sort by column, so it sees the blobs in
    // the order OpenCV gave them to see exactly the rows it saw.
    s.order.resize(out.size());
    for (size_t i = 0; i < out.size(); i++) s.order[i] = static_cast<int>(i);
    std::sort(s.order.begin(), s.order.end(),
              [&](int a, int b) { return s.first_block[static_cast<size_t>(a)] < s.first_block[static_cast<size_t>(b)]; });
    s.sorted.clear();
    for (int i : s.order) s.sorted.push_back(out[static_cast<size_t>(i)]);
    out.swap(s.sorted);
}

}  // namespace ea

extern "C" {

EA_API int ea_blobs_compare(const uint8_t* gray, int32_t width, int32_t height, int32_t stride, int32_t threshold, int32_t* ours,
                            int32_t* opencv, int32_t* matching) {
    return ea::guarded("ea_blobs_compare", [&]() -> int {
        if (!ea::valid_image(gray, width, height, stride, 1) || threshold < 0 || threshold > 255 || ours == nullptr ||
            opencv == nullptr || matching == nullptr)
            return ea::fail(EA_E_ARGUMENT, "ea_blobs_compare: bad image, threshold (0..255) or output");
        const cv::Mat image(height, width, CV_8UC1, const_cast<uint8_t*>(gray), static_cast<size_t>(stride));
        ea::BlobScratch scratch;
        std::vector<ea::Blob> blobs;
        ea::blobs_above(image, threshold, scratch, blobs);
        cv::Mat binary, labels, stats, centroids;
        cv::compare(image, cv::Scalar(threshold), binary, cv::CMP_GT);
        const int count = cv::connectedComponentsWithStats(binary, labels, stats, centroids, 8, CV_32S);
        std::vector<std::array<int, 5>> a, b;
        for (const ea::Blob& blob : blobs) a.push_back({blob.x, blob.y, blob.width, blob.height, blob.area});
        for (int i = 1; i < count; i++) {
            const int* st = stats.ptr<int>(i);
            b.push_back({st[cv::CC_STAT_LEFT], st[cv::CC_STAT_TOP], st[cv::CC_STAT_WIDTH], st[cv::CC_STAT_HEIGHT], st[cv::CC_STAT_AREA]});
        }
        int same = 0;  // in the same place of both lists: the same component, numbered alike
        for (size_t i = 0; i < std::min(a.size(), b.size()); i++) same += a[i] == b[i] ? 1 : 0;
        *ours = static_cast<int32_t>(a.size());
        *opencv = static_cast<int32_t>(b.size());
        *matching = same;
        return EA_OK;
    });
}

}
