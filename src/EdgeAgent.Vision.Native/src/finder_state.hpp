// Internal to the bridge: the finder's state (scratch memory reused call after call), shared by the
// finder and by plate preparation, which borrows its segmentation scratch.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "area_shrink.hpp"
#include "plate_geometry.hpp"
#include "plate_outline.hpp"
#include "text_rows.hpp"

namespace ea_finder_detail {

constexpr float kTextToPlateHeight = 0.72f;  // UK characters are 79 mm on a 111 mm plate
constexpr int kTargetTextHeight = 16;       // smallest text height, in pixels, that a search scale keeps
constexpr int kVerifyPatchHeight = 48;
constexpr float kPlateHeightSlack = 0.8f;  // a proposal may be this much lower than the plates searched for
constexpr int kMaxProposals = 60;           // per call, the most promising first; bounds the time in clutter
constexpr float kRefitBelow = 2.0f / 3.0f;   // a verified row this much shorter than proposed re-centres the plate
// A proposal that failed verification is tried again this much lower at the same place (see retry_tighter in
// finder.cpp): its text line took in the plate's border (the plate about 0.7 of the height assumed) or a
// frame around the plate (about 0.55). Measured held out on plates-dev against 0.6 alone, 0.65 / 0.5,
// 0.72 / 0.52, 0.75 / 0.6 and three heights (0.8 / 0.65 / 0.5, 0.85 / 0.7 / 0.55): 156-157 found each.
constexpr float kTighterHeights[] = {0.7f, 0.55f};
constexpr int kTighterMinChars = 5;         // a retry counts only with a plate's row of characters, not a word's

struct Candidate {
    cv::RotatedRect plate;  // frame coordinates, upright: where the characters are, grown to UK proportions
    cv::Rect outline;       // the plate's measured edges (empty when not measured)
    float score;
    bool dark_on_light;
    int char_count;
};

// What a search scale keeps from call to call: its shrinking grid over the region of interest (see
// grid_period in finder.cpp) and its shrink's tables and buffers.
struct ScaleCache {
    double scale = 0;
    int limit = 0;   // the region's larger side the grid was searched up to
    int period = 0;
    ea::AreaShrink shrink;
};

}  // namespace ea_finder_detail

struct ea_finder {
    ea::ScratchImage small;  // the region shrunk to the search scale
    cv::Mat patch, transform;
    ea::OutlineScratch outline;
    ea::TextRowScratch rows;
    std::vector<cv::RotatedRect> lines;
    std::vector<cv::RotatedRect> proposals;
    std::vector<cv::RotatedRect> failed;  // proposals that failed verification, for retry_tighter
    std::vector<cv::Rect> verified;       // the bounds of proposals verified in this call
    std::vector<cv::Rect> regions;  // ea_finder_find_in's regions, clipped
    std::vector<cv::Rect> aligned;  // the same on one scale's shrinking grid
    std::vector<ea_finder_detail::Candidate> candidates;
    std::vector<ea_finder_detail::ScaleCache> scales;  // per search scale, smallest plates first
    ea::SegmentScratch segment_scratch;
    std::vector<ea::RowHypothesis> hypotheses;
};

