// Internal to the bridge: how a candidate rectangle becomes a normalised patch, and how a patch is cut
// into character blobs. Shared by the finder (to verify a candidate) and by plate preparation for OCR.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

namespace ea {

// A character blob in patch coordinates, with the component label it came from.
struct CharBlob {
    cv::Rect box;
    int label;
};

struct Segmentation {
    std::vector<CharBlob> chars;  // left to right
    bool dark_on_light = true;
    double contrast = 0;          // mean ground minus mean ink, 0..255
};

// Scratch buffers reused call after call so the steady state allocates nothing.
struct SegmentScratch {
    cv::Mat binary, labels, stats, centroids;
    std::vector<CharBlob> candidates, group, row_scratch;
};

// Normalises a rotated rectangle of the frame into a patch of size out (affine warp), adding margins as
// fractions of the rectangle's height so that a slightly tight box still holds whole characters.
void warp_plate(const cv::Mat& gray, const cv::RotatedRect& plate, float margin_x, float margin_y, cv::Mat& patch);

// Finds the row of similar, aligned character blobs in a patch, trying both polarities.
void segment_characters(const cv::Mat& patch, SegmentScratch& scratch, Segmentation& result);

// Rotated rectangle with width >= height and the angle folded into [-45, 45] degrees.
cv::RotatedRect upright(const cv::RotatedRect& r);

}  // namespace ea
