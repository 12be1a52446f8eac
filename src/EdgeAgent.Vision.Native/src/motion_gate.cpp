// The motion gate: which parts of a frame are worth a plate search. A roadside camera sees mostly road
// that does not change; a plate only appears on something that moves (or on a vehicle already being
// followed, whose window the caller passes in). The gate keeps the last frames in gray at 1/8 scale,
// marks the tiles whose difference from the frame kLag frames back stands out of the noise, adds the
// caller's windows, grows everything by a plate's size and merges it into a few rectangles. When most of
// the region changes at once (rain, shake, a light change) searching rectangles saves nothing: it says
// "search all".
//
// Why frames kLag back and not a running average of the background: a vehicle leaves its ghost in a
// running average (a time constant of 20 frames kept a car's trace above the threshold for 2 s), and the
// ghost is searched for nothing; on the sample, half the region was searched. A plate moving 1 frame pixel
// a frame still moves its characters' edges across kLag/8 of a background pixel; a car that stops is kept
// in its track's window, and the caller's full search every few frames finds one that never moved.
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "area_shrink.hpp"
#include "bridge_common.hpp"
#include "search_regions.hpp"

// Reused frame after frame: nothing is allocated once the first frames have sized it.
struct ea_motion {
    static constexpr int kLag = 2;
    std::array<cv::Mat, kLag + 1> history;  // the last frames at 1/8 scale, a ring
    long frames = 0;                        // frames seen since the size last changed
    cv::Mat small, diff, tiles, labels, stats, centroids;
    std::vector<uint16_t> column_sums;      // the shrink's buffer
    std::vector<cv::Rect> rects;
};

namespace {

constexpr int kShrink = 8;           // the history's scale: 1080p becomes 240x135
constexpr int kTile = 4;             // a tile is 4x4 history pixels, 32x32 frame pixels
constexpr int kMinThreshold = 6;     // gray levels; at 1/8 scale sensor noise is mostly averaged out
constexpr float kNoiseFactor = 5.0f; // times the median difference (about 3.4 sigma of Gaussian noise)
constexpr int kMaxThreshold = 30;    // a median this high is a change of the whole picture, not noise
constexpr int kMinChangedPerTile = 2;  // of the tile's 16 pixels
constexpr double kMaxSearchShare = 0.8;  // windows larger than this share of the region: search it whole

// The median of |frame - earlier frame| over the region: an estimate of the noise when most of it is still.
int median_difference(const cv::Mat& diff) {
    int hist[256] = {0};
    for (int y = 0; y < diff.rows; y++) {
        const uint8_t* row = diff.ptr<uint8_t>(y);
        for (int x = 0; x < diff.cols; x++) hist[row[x]]++;
    }
    const int half = diff.rows * diff.cols / 2;
    int seen = 0;
    for (int v = 0; v < 256; v++) {
        seen += hist[v];
        if (seen > half) return v;
    }
    return 255;
}

}  // namespace

extern "C" {

EA_API int ea_motion_create(ea_motion** out) {
    return ea::guarded("ea_motion_create", [&]() -> int {
        if (out == nullptr) return ea::fail(EA_E_ARGUMENT, "ea_motion_create: null argument");
        *out = new ea_motion();
        return EA_OK;
    });
}

EA_API int ea_motion_update(ea_motion* motion, const uint8_t* gray, int32_t width, int32_t height, int32_t stride,
                            const ea_motion_params* params, const ea_region* keep, int32_t keep_count, ea_region* out,
                            int32_t max_out, ea_motion_info* info) {
    return ea::guarded("ea_motion_update", [&]() -> int {
        if (motion == nullptr || params == nullptr || out == nullptr || info == nullptr || max_out <= 0 ||
            keep_count < 0 || (keep_count > 0 && keep == nullptr) || !ea::valid_image(gray, width, height, stride, 1) ||
            width < kShrink * kTile || height < kShrink * kTile)
            return ea::fail(EA_E_ARGUMENT, "ea_motion_update: bad gate, image (at least 32x32), parameters or output");
        if (params->grow < 0 || params->full_share <= 0.0f || params->full_share > 1.0f)
            return ea::fail(EA_E_ARGUMENT, "ea_motion_update: grow must be >= 0 and full_share in (0, 1]");
        ea_motion& m = *motion;
        *info = ea_motion_info{0, 0, 0, 0};
        const cv::Mat image(height, width, CV_8UC1, const_cast<uint8_t*>(gray), static_cast<size_t>(stride));
        const cv::Size small_size(width / kShrink, height / kShrink);
        ea::shrink_blocks(image(cv::Rect(0, 0, small_size.width * kShrink, small_size.height * kShrink)), kShrink, m.column_sums, m.small);

        // The first frames (or a new frame size) have nothing to compare with: search them whole.
        if (m.history[0].size() != small_size) m.frames = 0;
        const long slot = m.frames % static_cast<long>(m.history.size());
        m.small.copyTo(m.history[static_cast<size_t>(slot)]);
        const cv::Mat& earlier = m.history[static_cast<size_t>((m.frames + m.history.size() - ea_motion::kLag) % m.history.size())];
        if (m.frames++ < ea_motion::kLag) {
            info->full = 1;
            return 0;
        }

        const cv::Rect roi = ea::region_of_interest(params->roi_x, params->roi_y, params->roi_w, params->roi_h, width, height);
        const cv::Rect small_roi = cv::Rect(roi.x / kShrink, roi.y / kShrink, (roi.width + kShrink - 1) / kShrink,
                                            (roi.height + kShrink - 1) / kShrink) & cv::Rect(cv::Point(), small_size);
        if (small_roi.area() == 0) return 0;

        cv::absdiff(m.small, earlier, m.diff);
        const int threshold = std::clamp(static_cast<int>(std::lround(kNoiseFactor * median_difference(m.diff(small_roi)))), kMinThreshold,
                                         kMaxThreshold);
        info->threshold = threshold;

        // Tiles over the region with enough changed pixels.
        const int tiles_x = (small_roi.width + kTile - 1) / kTile, tiles_y = (small_roi.height + kTile - 1) / kTile;
        m.tiles.create(tiles_y, tiles_x, CV_8UC1);
        m.tiles.setTo(0);
        for (int y = 0; y < small_roi.height; y++) {
            const uint8_t* row = m.diff.ptr<uint8_t>(small_roi.y + y) + small_roi.x;
            uint8_t* tile_row = m.tiles.ptr<uint8_t>(y / kTile);
            for (int x = 0; x < small_roi.width; x++)
                if (row[x] > threshold && tile_row[x / kTile] < 255) tile_row[x / kTile]++;
        }
        int active = 0;
        for (int ty = 0; ty < tiles_y; ty++) {
            uint8_t* tile_row = m.tiles.ptr<uint8_t>(ty);
            for (int tx = 0; tx < tiles_x; tx++) {
                tile_row[tx] = tile_row[tx] >= kMinChangedPerTile ? 1 : 0;
                active += tile_row[tx];
            }
        }
        info->active_tiles = active;
        info->total_tiles = tiles_x * tiles_y;

        if (active > params->full_share * static_cast<float>(tiles_x * tiles_y)) {
            info->full = 1;
            return 0;
        }

        // The caller's windows (vehicles being followed) are searched whether or not they moved.
        const int tile_px = kTile * kShrink;
        const int origin_x = small_roi.x * kShrink, origin_y = small_roi.y * kShrink;
        for (int i = 0; i < keep_count; i++) {
            const cv::Rect k = cv::Rect(keep[i].x, keep[i].y, keep[i].w, keep[i].h) & roi;
            if (k.area() == 0) continue;
            const int x0 = (k.x - origin_x) / tile_px, y0 = (k.y - origin_y) / tile_px;
            const int x1 = std::min(tiles_x - 1, (k.x + k.width - 1 - origin_x) / tile_px);
            const int y1 = std::min(tiles_y - 1, (k.y + k.height - 1 - origin_y) / tile_px);
            for (int ty = std::max(0, y0); ty <= y1; ty++)
                for (int tx = std::max(0, x0); tx <= x1; tx++) m.tiles.at<uint8_t>(ty, tx) = 1;
        }

        // Connected groups of tiles, grown by a plate's size, merged where that does not add much to search.
        const int count = cv::connectedComponentsWithStats(m.tiles, m.labels, m.stats, m.centroids, 8, CV_32S);
        m.rects.clear();
        for (int i = 1; i < count; i++) {
            const int* st = m.stats.ptr<int>(i);
            cv::Rect r(origin_x + st[cv::CC_STAT_LEFT] * tile_px, origin_y + st[cv::CC_STAT_TOP] * tile_px,
                       st[cv::CC_STAT_WIDTH] * tile_px, st[cv::CC_STAT_HEIGHT] * tile_px);
            r = cv::Rect(r.x - params->grow, r.y - params->grow, r.width + 2 * params->grow, r.height + 2 * params->grow) & roi;
            if (r.area() > 0) m.rects.push_back(r);
        }
        ea::merge_regions(m.rects);

        // Rectangles covering nearly all of the region cost as much as the region: search it all instead.
        double area = 0;
        for (const cv::Rect& r : m.rects) area += r.area();
        if (area > kMaxSearchShare * static_cast<double>(roi.area()) || static_cast<int>(m.rects.size()) > max_out) {
            info->full = 1;
            return 0;
        }
        for (size_t i = 0; i < m.rects.size(); i++) out[i] = ea_region{m.rects[i].x, m.rects[i].y, m.rects[i].width, m.rects[i].height};
        return static_cast<int>(m.rects.size());
    });
}

EA_API void ea_motion_free(ea_motion* motion) { delete motion; }

}
