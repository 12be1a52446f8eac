// Internal to the bridge: where a plate's edges are, given the row of characters on it. A plate is
// wider and taller than its characters by an amount that depends on the country (a UK plate's
// characters fill 72 % of its height, a US plate's under half), so the outline is measured, not
// assumed: the plate's ground is found around the characters, and its edge is where the ground ends.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "plate_geometry.hpp"

namespace ea {

struct OutlineScratch {
    cv::Mat strip;
    std::vector<uint8_t> values;
    std::vector<float> profile;
};

// The row of characters of a cut, in frame coordinates (a rotated rectangle around the characters),
// given the frame-to-patch transform the cut's patch was warped with.
cv::RotatedRect row_in_frame(const RowHypothesis& h, const cv::Mat& transform);

// The plate's axis-aligned outline in the frame around a row of characters (dark on light when
// dark_on_light), clipped to the frame. Where no edge shows (a white plate on a white car), the
// outline keeps a quarter of a character height above and below and half of one at either end.
cv::Rect plate_outline(const cv::Mat& gray, const cv::RotatedRect& row, bool dark_on_light, OutlineScratch& s);

}  // namespace ea
