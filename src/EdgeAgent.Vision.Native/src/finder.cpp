// Classical plate finding. On each search scale (one octave-and-a-bit of plate heights, the region scaled
// so the smallest text is about 16 pixels high), two proposers suggest rows of characters: vertical-edge
// text lines and rows of character blobs (see text_rows.hpp). Each proposal is grown to the plate around
// it and verified by cutting it into character blobs (one that fails is tried again lower at its place);
// the plate-like ones are kept, best first, without duplicates across proposers and scales.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "bridge_common.hpp"
#include "area_shrink.hpp"
#include "finder_state.hpp"
#include "search_regions.hpp"

using namespace ea_finder_detail;

namespace {

// Intersection over the smaller box: a part of a plate found on another scale (its last three
// characters, say) is as much a duplicate as a shifted copy of the whole.
float overlap(const cv::Rect& a, const cv::Rect& b) {
    const float inter = static_cast<float>((a & b).area());
    const float smaller = static_cast<float>(std::min(a.area(), b.area()));
    return smaller > 0 ? inter / smaller : 0.0f;
}

float iou(const cv::Rect& a, const cv::Rect& b) {
    const float inter = static_cast<float>((a & b).area());
    const float uni = static_cast<float>(a.area() + b.area()) - inter;
    return uni > 0 ? inter / uni : 0.0f;
}

// Cuts the candidate into characters; the score rewards a plate-like row of characters with contrast.
bool verify(ea_finder& f, const cv::Mat& gray, Candidate& c) {
    const float aspect = c.plate.size.width / std::max(1.0f, c.plate.size.height);
    const int patch_w = std::clamp(static_cast<int>(std::lround(kVerifyPatchHeight * aspect)), 48, 480);
    f.patch.create(kVerifyPatchHeight, patch_w, CV_8UC1);
    ea::warp_plate(gray, c.plate, 0.3f, 0.05f, f.patch, &f.transform);
    ea::segment_hypotheses(f.patch, f.segment_scratch, f.hypotheses, 3, 1);
    if (f.hypotheses.empty()) return false;
    const ea::RowHypothesis& best = f.hypotheses[ea::plausible_hypothesis(f.patch, f.hypotheses, f.segment_scratch)];
    const cv::RotatedRect row = ea::row_in_frame(best, f.transform);
    c.outline = ea::plate_outline(gray, row, best.binarisation.dark_on_light, f.outline);
    // A text line proposed from edges takes in what touches the characters (a dealer's name or a state's
    // above or below them on the plate's frame), and the plate grown around it is too tall: the reader's
    // patch then holds small characters joined to that text. When the characters cut here are clearly
    // shorter than the proposal assumed, the plate is grown around their row instead (never narrower).
    const float row_plate_h = row.size.height / kTextToPlateHeight;
    if (row_plate_h < kRefitBelow * c.plate.size.height) {
        const float plate_w = std::max(c.plate.size.width, row.size.width + row_plate_h * 0.3f);
        c.plate = cv::RotatedRect(row.center, cv::Size2f(plate_w, row_plate_h), row.angle);
    }
    const auto& chars = best.boxes;
    c.char_count = static_cast<int>(chars.size());
    c.dark_on_light = best.binarisation.dark_on_light;
    // The characters should fill most of the candidate's width: a lone word on a sign does not.
    const int span = chars.back().x + chars.back().width - chars.front().x;
    const float coverage = static_cast<float>(span) / static_cast<float>(patch_w);
    const float count_score = chars.size() > 10 ? 0.6f : std::min(1.0f, static_cast<float>(chars.size()) / 6.0f);
    const float contrast_score = std::min(1.0f, static_cast<float>(best.contrast) / 60.0f);
    c.score = count_score * (0.5f + 0.5f * std::min(1.0f, coverage / 0.6f)) * (0.4f + 0.6f * contrast_score);
    return true;
}

// Grows a row of text (in the scaled region) to the plate around it, in frame coordinates.
cv::RotatedRect plate_around(const cv::RotatedRect& text, double scale, const cv::Rect& roi) {
    const float inv = static_cast<float>(1.0 / scale);
    const float plate_h = text.size.height * inv / kTextToPlateHeight;
    const float plate_w = text.size.width * inv + plate_h * 0.3f;
    return cv::RotatedRect(cv::Point2f(text.center.x * inv + static_cast<float>(roi.x), text.center.y * inv + static_cast<float>(roi.y)),
                           cv::Size2f(plate_w, plate_h), text.angle);
}

// The factor a search scale shrinks the region by: its smallest text becomes kTargetTextHeight high.
double scale_for(float plate_lo) {
    const float text_lo = plate_lo * kTextToPlateHeight;
    return std::min(1.0, static_cast<double>(kTargetTextHeight) / std::max(1.0f, text_lo));
}

// The smallest whole number of frame pixels that shrinks to a whole number of pixels (to a thousandth):
// a part of the region that starts and ends on multiples of it shrinks to exactly the pixels the whole
// region's shrink has there, so a search in that part sees what the full search sees. 0 when none fits.
int grid_period(double scale, int limit) {
    for (int n = 1; n <= limit; n++) {
        const double shrunk = n * scale;
        if (shrunk >= 1.0 && std::fabs(shrunk - std::round(shrunk)) < 1e-3) return n;
    }
    return 0;
}

// region grown outwards to the scale's grid over roi (or roi itself when the grid is coarser than roi).
cv::Rect on_grid(const cv::Rect& region, const cv::Rect& roi, int period) {
    if (period <= 0) return roi;
    const int x0 = (region.x - roi.x) / period * period, y0 = (region.y - roi.y) / period * period;
    const int x1 = (region.x + region.width - roi.x + period - 1) / period * period;
    const int y1 = (region.y + region.height - roi.y + period - 1) / period * period;
    return cv::Rect(roi.x + x0, roi.y + y0, x1 - x0, y1 - y0) & roi;
}

// One search scale: plates whose height lies in [plate_lo, plate_hi] frame pixels.
void propose(ea_finder& f, ScaleCache& cache, const cv::Mat& gray, const cv::Rect& roi, float plate_lo, float plate_hi,
             const ea_find_params& p) {
    const float text_lo = plate_lo * kTextToPlateHeight;
    const double scale = cache.scale;
    const cv::Mat region = gray(roi);
    // A region kept at full size is searched in place. The shrink writes into a buffer kept at its
    // largest size (ScratchImage): the regions change size every frame.
    const cv::Size shrunk(cv::saturate_cast<int>(roi.width * scale), cv::saturate_cast<int>(roi.height * scale));
    if (scale < 1.0) ea::shrink_area(region, scale, cache.shrink, f.small.fit(shrunk, CV_8UC1));
    const cv::Mat& small = scale < 1.0 ? f.small.view : region;
    const float th = text_lo * static_cast<float>(scale);  // smallest text height at this scale
    const float th_hi = plate_hi * kTextToPlateHeight * static_cast<float>(scale);

    f.lines.clear();
    ea::edge_text_lines(small, th, th_hi, f.rows, f.lines);
    ea::character_rows(small, th, th_hi, 3, f.rows, f.lines);
    for (const cv::RotatedRect& text : f.lines) {
        const float text_aspect = text.size.width / std::max(1.0f, text.size.height);
        if (text_aspect < p.min_aspect * 0.45f || text_aspect > p.max_aspect * 1.3f) continue;
        const cv::RotatedRect plate = plate_around(text, scale, roi);
        if (plate.size.height < plate_lo * kPlateHeightSlack || plate.size.height > plate_hi * 1.25f) continue;
        f.proposals.push_back(plate);
    }
}

bool near_verified(const ea_finder& f, const cv::Rect& bounds) {
    for (const cv::Rect& d : f.verified)
        if (iou(bounds, d) > 0.6f) return true;
    return false;
}

// A text line from edges that takes in the plate's dark border or a frame around the plate makes a proposal
// too tall for its characters: in the patch they are small and joined to that border, and no row is cut.
// Each failed proposal with no verified one at its place is tried lower at the same place, and the best
// of the tighter boxes kept when it cuts a plate's row of characters. The retries share the proposals'
// budget, so a cluttered frame costs no more than before. Held out on plates-dev (fold models of two
// training seeds): found 154 -> 157 of 165 with both (a Slovak plate 16 pixels high inside its border, a
// dim grey US plate, one in a dealer's frame), exact 136 -> 138, none lost; plates-dev +4-5 ms an image.
void retry_tighter(ea_finder& f, const cv::Mat& image, float min_plate_h, int& attempts) {
    for (const cv::RotatedRect& plate : f.failed) {
        const cv::Rect bounds = plate.boundingRect();
        if (near_verified(f, bounds)) continue;
        constexpr int kTries = static_cast<int>(std::size(kTighterHeights));
        if (attempts + kTries > kMaxProposals) return;
        attempts += kTries;
        Candidate best{plate, cv::Rect(), -1.0f, true, 0};
        for (const float k : kTighterHeights) {
            if (plate.size.height * k < min_plate_h * kPlateHeightSlack) break;  // smaller than any plate searched for
            Candidate c{cv::RotatedRect(plate.center, cv::Size2f(plate.size.width, plate.size.height * k), plate.angle), cv::Rect(),
                        0.0f, true, 0};
            if (verify(f, image, c) && c.char_count >= kTighterMinChars && c.score > best.score) best = c;
        }
        if (best.score < 0) continue;
        f.candidates.push_back(best);
        f.verified.push_back(bounds);
    }
}

void verify_proposals(ea_finder& f, const cv::Mat& image, float min_plate_h) {
    // Larger proposals first (they hold more evidence); a near-copy of one already verified is skipped.
    std::stable_sort(f.proposals.begin(), f.proposals.end(),
                     [](const cv::RotatedRect& a, const cv::RotatedRect& b) { return a.size.area() > b.size.area(); });
    f.verified.clear();
    f.failed.clear();
    int attempts = 0;
    for (const cv::RotatedRect& plate : f.proposals) {
        const cv::Rect bounds = plate.boundingRect();
        // A near-copy of a proposal already verified is skipped; one of a proposal that failed is tried:
        // a box a little tighter leaves out what failed the larger one (a frame, the car around the plate).
        if (near_verified(f, bounds)) continue;
        if (++attempts > kMaxProposals) return;
        Candidate c{plate, cv::Rect(), 0.0f, true, 0};
        if (verify(f, image, c)) {
            f.candidates.push_back(c);
            f.verified.push_back(bounds);
        } else {
            f.failed.push_back(plate);
        }
    }
    retry_tighter(f, image, min_plate_h, attempts);
}

cv::Rect clamp_roi(const ea_find_params& p, int width, int height) {
    return ea::region_of_interest(p.roi_x, p.roi_y, p.roi_w, p.roi_h, width, height);
}

bool valid_call(const ea_finder* finder, const uint8_t* gray, int width, int height, int stride, const ea_find_params* params,
                const ea_plate_box* out, int max_out) {
    return finder != nullptr && params != nullptr && out != nullptr && max_out >= 0 && ea::valid_image(gray, width, height, stride, 1) &&
           params->min_plate_h > 0 && params->max_plate_h >= params->min_plate_h && params->min_aspect > 0 &&
           params->max_aspect >= params->min_aspect;
}

std::string bad_call(const char* call) {
    return std::string(call) + ": bad finder, image, parameters or output, or an empty plate height or aspect range";
}

cv::Mat frame_of(const uint8_t* gray, int width, int height, int stride) {
    return cv::Mat(height, width, CV_8UC1, const_cast<uint8_t*>(gray), static_cast<size_t>(stride));
}

// Searches each region (parts of roi, or roi itself) on every scale, then verifies the proposals of all
// of them together (a plate proposed in two overlapping regions is verified once) and writes the best,
// without overlaps. Regions are first aligned to each scale's shrinking grid over roi.
int find_in(ea_finder& f, const cv::Mat& image, const ea_find_params& params, const cv::Rect& roi, const cv::Rect* regions,
            size_t region_count, ea_plate_box* out, int max_out) {
    f.candidates.clear();
    f.proposals.clear();
    // One octave-and-a-bit of plate heights per scale.
    size_t scale_index = 0;
    for (float lo = static_cast<float>(params.min_plate_h); lo <= params.max_plate_h; lo *= 2.2f, scale_index++) {
        if (f.scales.size() <= scale_index) f.scales.resize(scale_index + 1);
        ScaleCache& cache = f.scales[scale_index];
        // The grid depends only on the scale and the region's size: found once, not every frame.
        const double scale = scale_for(lo);
        const int limit = std::max(roi.width, roi.height);
        if (cache.scale != scale || cache.limit != limit) {
            cache.scale = scale;
            cache.limit = limit;
            cache.period = grid_period(scale, limit);
        }
        f.aligned.clear();
        for (size_t r = 0; r < region_count; r++) f.aligned.push_back(on_grid(regions[r], roi, cache.period));
        ea::merge_regions(f.aligned);
        for (const cv::Rect& region : f.aligned)
            propose(f, cache, image, region, lo, std::min(lo * 2.2f, static_cast<float>(params.max_plate_h)), params);
    }
    verify_proposals(f, image, static_cast<float>(params.min_plate_h));

    std::stable_sort(f.candidates.begin(), f.candidates.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    int written = 0;
    for (size_t i = 0; i < f.candidates.size() && written < max_out; i++) {
        const Candidate& c = f.candidates[i];
        const cv::Rect bounds = c.outline.area() > 0 ? c.outline : c.plate.boundingRect() & cv::Rect(0, 0, image.cols, image.rows);
        // Non-maximum suppression against the better ones already written, except for a row of dark
        // characters over a row of light ones: a white plate's dark characters joined to its dark frame
        // leave the ground between them as light "characters" (often scored higher, the frame giving them
        // contrast); both are kept and the reader tells which is right.
        bool overlaps = false;
        for (int j = 0; j < written && !overlaps; j++) {
            const bool dark_over_light = c.dark_on_light && out[j].dark_on_light == 0;
            overlaps = !dark_over_light && overlap(bounds, cv::Rect(out[j].x, out[j].y, out[j].bw, out[j].bh)) > 0.5f;
        }
        if (overlaps) continue;
        ea_plate_box& b = out[written++];
        ea::write_plate_box(c.plate, bounds, b);
        b.score = c.score;
        b.dark_on_light = c.dark_on_light ? 1 : 0;
        b.char_count = c.char_count;
    }
    return written;
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
        if (!valid_call(finder, gray, width, height, stride, params, out, max_out)) return ea::fail(EA_E_ARGUMENT, bad_call("ea_finder_find"));
        const cv::Rect roi = clamp_roi(*params, width, height);
        if (roi.area() == 0) return 0;
        return find_in(*finder, frame_of(gray, width, height, stride), *params, roi, &roi, 1, out, max_out);
    });
}

EA_API int ea_finder_find_in(ea_finder* finder, const uint8_t* gray, int32_t width, int32_t height, int32_t stride,
                             const ea_find_params* params, const ea_region* regions, int32_t region_count,
                             ea_plate_box* out, int32_t max_out) {
    return ea::guarded("ea_finder_find_in", [&]() -> int {
        if (!valid_call(finder, gray, width, height, stride, params, out, max_out) || region_count < 0 ||
            (region_count > 0 && regions == nullptr))
            return ea::fail(EA_E_ARGUMENT, bad_call("ea_finder_find_in"));
        const cv::Rect roi = clamp_roi(*params, width, height);
        ea_finder& f = *finder;
        f.regions.clear();
        for (int i = 0; i < region_count; i++) {
            const cv::Rect r = cv::Rect(regions[i].x, regions[i].y, regions[i].w, regions[i].h) & roi;
            if (r.area() > 0) f.regions.push_back(r);
        }
        if (f.regions.empty()) return 0;
        return find_in(f, frame_of(gray, width, height, stride), *params, roi, f.regions.data(), f.regions.size(), out, max_out);
    });
}

EA_API void ea_finder_free(ea_finder* finder) { delete finder; }

}
