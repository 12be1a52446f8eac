// Internal to the bridge: how a candidate rectangle becomes a normalised patch, and how a patch is cut
// into rows of character boxes. Shared by the finder (to verify a candidate), by plate preparation for
// Tesseract and by the classifier reader, which scores several cuts and keeps the one it reads best.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

namespace ea {

// Rows of a binarised patch cleared to part characters from what touches them above and below.
enum class RowCut { none, valleys, band_edges, faint_band_edges };
// Which row cuts segment_hypotheses tries: none, all four, or the two band-edge cuts alone.
enum class RowCuts { plain, all, band_edges };

// How a patch was binarised: the ink's polarity and the threshold rule.
struct Binarisation {
    bool dark_on_light = true;
    int method = 0;  // 0 Otsu over the patch, 1 Otsu over the middle band, 2 local mean (adaptive)
    RowCut row_cut = RowCut::none;  // rows cleared above and below the middle band (see binarise)
};
constexpr int kBinarisationMethods = 3;

// One way of cutting a patch into characters: boxes left to right, and the row they form.
struct RowHypothesis {
    std::vector<cv::Rect> boxes;
    Binarisation binarisation;
    float height = 0;    // median character height
    float slope = 0;     // of the row's centre line, dy/dx
    float intercept = 0; // centre line: y = intercept + slope * x
    double contrast = 0; // mean ground minus mean ink, 0..255
};

// Scratch buffers reused call after call so the steady state allocates nothing.
struct SegmentScratch {
    cv::Mat binary, lines, labels, stats, centroids, column;
    std::vector<cv::Rect> blobs, row, scratch;
    std::vector<float> row_ink;  // ink share of each row (band_edges)
    int band = 0;                // rows between the band edges the last binarise cleared, 0 for none
    bool cleared = false;        // whether the last binarise cleared a band edge
};

// Normalises a rotated rectangle of the frame into a patch of size out (affine warp), adding margins as
// fractions of the rectangle's height so that a slightly tight box still holds whole characters. The
// frame-to-patch affine transform is written to transform when it is given.
void warp_plate(const cv::Mat& gray, const cv::RotatedRect& plate, float margin_x, float margin_y, cv::Mat& patch,
                cv::Mat* transform = nullptr);

// Binarises the patch (ink 255), with lines longer than a character (plate borders, frames) removed. With
// valley_cut, the row with the least ink in the upper and in the lower band is cleared: text printed on a
// plate frame just above or below the characters (a dealer's name, a state's) and touching them is cut
// off at its thinnest joint, where it would otherwise make each character's blob too tall to be one. With
// band_edges (faint_band_edges: a smaller rise), the rows where a frame's band the characters touch begins
// above and below them are cleared, and the frame's sides running past both; s.band is then their distance.
void binarise(const cv::Mat& patch, const Binarisation& how, SegmentScratch& s, cv::Mat& binary);

// Every distinct row of characters the first `methods` binarisations give (at least min_chars boxes
// each), most boxes first; for both polarities, or for one (polarity 1 dark ink, 0 light ink). With
// RowCuts::all, each binarisation is tried again cut at its valleys and at its band edges (Binarisation::row_cut);
// with RowCuts::band_edges only cut at its band edges (none found: no row).
void segment_hypotheses(const cv::Mat& patch, SegmentScratch& s, std::vector<RowHypothesis>& out, int min_chars = 2,
                        int methods = kBinarisationMethods, int polarity = -1, RowCuts row_cuts = RowCuts::plain);

// Without a classifier to judge the cuts: the first row (they come most boxes first) whose ink fills its
// boxes the way characters do, else the least filled one. Tells the polarity of a plate whose gaps
// between characters make more boxes than its characters do (the ground taken for ink). Uses s.binary.
size_t plausible_hypothesis(const cv::Mat& patch, const std::vector<RowHypothesis>& hypotheses, SegmentScratch& s);

// The row with the most characters (then the most contrast): the finder's verification. False if none.
bool best_hypothesis(const std::vector<RowHypothesis>& hypotheses, RowHypothesis& best);

// Rotated rectangle with width >= height and the angle folded into [-45, 45] degrees.
cv::RotatedRect upright(const cv::RotatedRect& r);

}  // namespace ea
