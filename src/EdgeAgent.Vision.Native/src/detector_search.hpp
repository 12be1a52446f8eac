// Internal to the bridge (and built into tools/redaction-probe): the redactor's detectors searched so that
// OpenCV's per-call buffers stay small, finding what OpenCV's own multi-scale calls find (see the .cpp).
#pragma once

#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>

namespace ea {

// cv::CascadeClassifier::detectMultiScale(image, boxes, step, neighbours, 0, min_size), one pyramid level a call.
// level is scratch, kept by the caller.
void cascade_by_level(cv::CascadeClassifier& cascade, const cv::Mat& image, double step, int neighbours, cv::Size min_size,
                      std::vector<cv::Rect>& boxes, std::vector<cv::Rect>& level);

// cv::HOGDescriptor::detectMultiScale(image, boxes, weights, 0, 8x8 stride, 16x16 padding, step, 2), the large
// pyramid levels in horizontal bands. level is scratch, kept by the caller.
void hog_in_bands(const cv::HOGDescriptor& hog, const cv::Mat& image, double step, std::vector<cv::Rect>& boxes,
                  std::vector<double>& weights, cv::Mat& level);

}  // namespace ea
