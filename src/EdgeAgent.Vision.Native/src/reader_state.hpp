// Internal to the bridge: the classifier reader's state (scratch memory reused call after call), shared
// by reading (plate_reader.cpp) and by the trainer's sample extraction (training.cpp).
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "char_classifier.hpp"
#include "edgeagent_vision.h"
#include "plate_geometry.hpp"

static_assert(EA_CHAR_CLASSES == ea::kCharClasses, "the C header and the classifier disagree on the classes");
static_assert(EA_CHAR_FEATURES == ea::kCharFeatures, "the C header and the classifier disagree on the features");

struct ea_reader {
    ea::CharClassifier classifier;
    ea::CharFeatures features;
    ea::SegmentScratch seg;
    std::vector<ea::RowHypothesis> cuts, kept_cuts;
    cv::Mat patch, inverted, transform, crop, feature_rows, probs;
    cv::Mat kept_probs, kept_transform, kept_patch, kept_inverted;
    cv::Mat variant_rows, variant_probs;  // the chosen cut's doubtful boxes cut a few ways (refine_chosen)
    std::vector<int> doubtful;
    std::vector<cv::Rect> chosen_boxes, hole_boxes;  // the kept cut's boxes, with the holes filled (fill_row_holes)
    std::vector<int> hole_replaces;  // per hole box, the box it replaces, or -1 when it is added
    std::vector<int> row_chars;      // fill_row_holes' and join_split_pairs' scratch, kept between reads
    std::vector<float> row_widths, row_slots;
    cv::Mat chosen_probs;
};

namespace ea {

constexpr int kReadPatchHeight = 64;
constexpr int kReadPatchMaxWidth = 640;

// Deskews the plate rectangle into r.patch (and its negative into r.inverted), r.transform the mapping.
void warp_candidate(ea_reader& r, const cv::Mat& image, const cv::RotatedRect& plate);
// The features of one box of the row h (cut from h's side of the patch) into out, kCharFeatures floats.
void describe_box(ea_reader& r, const RowHypothesis& h, const cv::Rect& box, float* out);
// Features of every box of every cut in r.cuts, one row each, in order; returns the number of rows.
int describe_cuts(ea_reader& r);
// The plate rectangle (frame coordinates) around the row of a cut of the current patch.
cv::RotatedRect plate_of_row(const ea_reader& r, const RowHypothesis& h);
// Adds to a cut's boxes (and their probabilities) the characters it missed where the row's pitch puts one.
void fill_row_holes(ea_reader& r, const RowHypothesis& h, std::vector<cv::Rect>& boxes, cv::Mat& probs);
// Cuts boxes reaching well beyond the row's band (a character joined to a frame) to the band, where that reads better.
void clip_tall_boxes(ea_reader& r, const RowHypothesis& h, std::vector<cv::Rect>& boxes, cv::Mat& probs);
// Joins two touching boxes that read together as a W or an M (a wide character the cut split in two).
void join_split_pairs(ea_reader& r, const RowHypothesis& h, std::vector<cv::Rect>& boxes, cv::Mat& probs);

}  // namespace ea
