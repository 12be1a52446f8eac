#include "detector_search.hpp"

#include <climits>

#include <opencv2/imgproc.hpp>

namespace ea {

// What cv::CascadeClassifier::detectMultiScale(image, boxes, step, neighbours, 0, min_size) finds, one pyramid
// level per call. OpenCV's cascade evaluator keeps one buffer holding the integral images of every level of
// the pyramid it last searched, for the life of the classifier: about 31 MB for a 960x540 overview at step
// 1.1, per cascade (frontal, profile, full body: 70 MB resident for good). With min = max = one level's
// window size the buffer holds that level only (about 5 MB at most). Each level is searched exactly as in
// the one call (the same resized image, the same window step), and the raw windows of all levels are
// grouped once with the same threshold and eps (0.2): the same boxes, for the same CPU.
void cascade_by_level(cv::CascadeClassifier& cascade, const cv::Mat& image, double step, int neighbours, cv::Size min_size,
                      std::vector<cv::Rect>& boxes, std::vector<cv::Rect>& level) {
    boxes.clear();
    const cv::Size window = cascade.getOriginalWindowSize();
    for (double factor = 1;; factor *= step) {
        const cv::Size size(cvRound(window.width * factor), cvRound(window.height * factor));
        if (size.width > image.cols || size.height > image.rows) break;
        if (size.width < min_size.width || size.height < min_size.height) continue;
        cascade.detectMultiScale(image, level, step, 0, 0, size, size);
        boxes.insert(boxes.end(), level.begin(), level.end());
    }
    cv::groupRectangles(boxes, neighbours, 0.2);
}

// What cv::HOGDescriptor::detectMultiScale(image, boxes, weights, 0, 8x8 stride, 16x16 padding, step, 2) finds,
// with the pyramid's large levels searched in horizontal bands. detect() on a whole level computes a
// gradient image of 8 bytes a pixel: 17 MB (22 MB resident with the rest) for the 1920x1080 level of a
// 960x540 overview enlarged twice, for the small people. A band is a view into the level, so the gradient
// at its edges is computed from the real rows beyond it (HOG reads outside its image only at the level's
// own border), and its windows start on the same 8-pixel grid as the whole level's: each band keeps the
// windows that start in its own rows, and the boxes are scaled, grouped and clipped as detectMultiScale does.
// The same boxes; about 6.9 MB at the peak instead of 22, for about a third more of HOG's time (the 96 rows a
// window reaches below its band are read twice). 128-row bands, and levels over 500 000 padded pixels banded
// too: 256-row bands and whole levels up to 600 000 peaked at 9.0 MB for 19 % less HOG time (tools/redaction-probe
// on the test scene: 505-519 against 594-616 CPU ms; 96-row bands 6.2 MB for 666-671 ms). That peak was the
// redaction's largest, and it adds to the passes waiting for redaction in the agent's peak resident memory.
namespace {
constexpr int kHogStride = 8, kHogPadding = 16, kHogBandRows = 128;
constexpr long kHogMaxLevelArea = 500000;   // padded pixels searched at once (10 bytes of gradient each): 5 MB
}  // namespace

void hog_in_bands(const cv::HOGDescriptor& hog, const cv::Mat& image, double step, std::vector<cv::Rect>& boxes,
                  std::vector<double>& weights, cv::Mat& level) {
    boxes.clear();
    weights.clear();
    std::vector<double> scales;
    double scale = 1;
    for (int n = 0; n < hog.nlevels; n++) {
        if (cvRound(image.cols / scale) < hog.winSize.width || cvRound(image.rows / scale) < hog.winSize.height) break;
        scales.push_back(scale);
        scale *= step;
    }
    std::vector<cv::Point> hits;
    std::vector<double> hit_weights;
    for (const double s : scales) {
        const cv::Size size(cvRound(image.cols / s), cvRound(image.rows / s));
        cv::Mat searched = image;
        if (size != image.size()) {
            cv::resize(image, level, size, 0, 0, cv::INTER_LINEAR_EXACT);
            searched = level;
        }
        const cv::Size window(cvRound(hog.winSize.width * s), cvRound(hog.winSize.height * s));
        // Keeps the hits of a band (rows from top) whose window starts in [first, end), in level pixels.
        auto keep = [&](int top, int first, int end) {
            for (size_t i = 0; i < hits.size(); i++) {
                const int y = hits[i].y + top;
                if (y < first || y >= end) continue;
                boxes.emplace_back(cvRound(hits[i].x * s), cvRound(y * s), window.width, window.height);
                weights.push_back(hit_weights[i]);
            }
        };
        if (static_cast<long>(size.width + 2 * kHogPadding) * (size.height + 2 * kHogPadding) <= kHogMaxLevelArea) {
            hog.detect(searched, hits, hit_weights, 0.0, cv::Size(kHogStride, kHogStride), cv::Size(kHogPadding, kHogPadding));
            keep(0, INT_MIN, INT_MAX);
            continue;
        }
        // A band's windows start in [top - padding, top + rows - padding) and reach this far below its rows.
        const int below = hog.winSize.height - 2 * kHogPadding;
        for (int top = 0; top < size.height; top += kHogBandRows) {
            const bool last = top + kHogBandRows + below >= size.height;
            const int rows = last ? size.height - top : kHogBandRows + below;
            hog.detect(searched(cv::Rect(0, top, size.width, rows)), hits, hit_weights, 0.0, cv::Size(kHogStride, kHogStride),
                       cv::Size(kHogPadding, kHogPadding));
            keep(top, top == 0 ? INT_MIN : top - kHogPadding, last ? INT_MAX : top + kHogBandRows - kHogPadding);
            if (last) break;
        }
    }
    hog.groupRectangles(boxes, weights, 2, 0.2);
    size_t kept = 0;
    for (size_t i = 0; i < boxes.size(); i++) {
        const cv::Rect clipped = boxes[i] & cv::Rect(0, 0, image.cols, image.rows);
        if (clipped.area() > 0) boxes[kept++] = clipped;
    }
    boxes.resize(kept);
}

}  // namespace ea
