// Internal to the bridge: the plate character classifier. A character box of a deskewed plate patch is
// normalised into a small gray crop (ink dark, ground light, height filled), described by HOG plus a
// coarse pixel grid plus its shape in the row, and classified by a multi-layer perceptron (OpenCV ml)
// into A-Z, 0-9 or "not a character". The same code makes the training features, so what the trainer
// learns from is exactly what the reader sees.
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>
#include <opencv2/objdetect.hpp>

namespace ea {

constexpr int kCharClasses = 37;      // 0-25 A-Z, 26-35 0-9, 36 not a character
constexpr int kNoiseClass = 36;
constexpr int kCropW = 24, kCropH = 32;
constexpr int kGridW = 8, kGridH = 12;
constexpr int kHogFeatures = 216;     // 24x32 window, 16x16 blocks, 8x8 stride and cells, 9 bins
constexpr int kShapeFeatures = 3;     // aspect, height in the row, vertical offset in the row
constexpr int kCharFeatures = kHogFeatures + kGridW * kGridH + kShapeFeatures;
constexpr int kModelVersion = 1;

// Where a character sits in its row, for the shape features.
struct RowShape {
    float height = 0;    // the row's typical character height, pixels
    float center_y = 0;  // the row's centre line at this character
};

char class_char(int cls);   // 'A'..'Z', '0'..'9', '#' for not a character
int char_class(char c);     // -1 for anything else

// Cuts box (plus a pixel of context) out of a dark-on-light patch into a kCropH x kCropW crop: the height
// fills the crop, the width keeps the aspect (centred on white) or is squeezed when wider than the crop,
// and the contrast is stretched between the ink and ground levels of the crop.
void normalize_char(const cv::Mat& patch, const cv::Rect& box, cv::Mat& crop);

class CharFeatures {
public:
    CharFeatures();
    // Writes kCharFeatures floats for one normalised crop.
    void compute(const cv::Mat& crop, const cv::Rect& box, const RowShape& row, float* out);

private:
    cv::HOGDescriptor hog_;
    std::vector<float> hog_values_;
    cv::Mat grid_;
};

class CharClassifier {
public:
    // Loads a model written by train(); false with the reason in error when it is missing or stale.
    bool load(const std::string& path, std::string& error);
    bool loaded() const { return !mlp_.empty(); }
    // features: n rows of kCharFeatures; probs: n rows of kCharClasses (softmax of the network's outputs).
    void predict(const cv::Mat& features, cv::Mat& probs) const;

    // Trains a new network (iterations: passes over the samples) on n feature rows and class labels and saves it (gzip when the path ends .gz).
    // A tenth of the samples (every tenth) is held back to fit the softmax temperature; returns that
    // tenth's accuracy.
    static double train(const cv::Mat& features, const cv::Mat& labels, int hidden, int iterations, const std::string& path);

private:
    cv::Ptr<cv::ml::ANN_MLP> mlp_;
    float temperature_ = 1.0f;
    mutable cv::Mat outputs_;
};

}  // namespace ea
