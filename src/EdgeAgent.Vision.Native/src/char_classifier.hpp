// Internal to the bridge: the plate character classifier. A character box of a deskewed plate patch is
// normalised into a small gray crop (ink dark, ground light, height filled). It is described by HOG plus a
// coarse pixel grid plus its shape in the row for a multi-layer perceptron (OpenCV ml), and by the crop's
// pixels plus its shape for a small convolutional network (OpenCV dnn, from the ONNX file the trainer writes
// beside the MLP's). Each classifies into A-Z, 0-9 or "not a character"; with both, the probabilities are
// their mean. On the held-out halves of plates-dev the network alone names more cut characters right
// (95.9 / 96.8 % against 93.0 / 93.5 %) but reads fewer whole plates (125 of 165 exact against 130: it is
// surer that a thin piece is an I, where the reader's rules were set on the MLP's doubts); the mean reads
// 135. The network costs five times the MLP, so the reader compares cuts with the MLP alone (see
// plate_reader.cpp). The same code makes the training features, so what the trainer learns from is
// exactly what the reader sees.
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/ml.hpp>
#include <opencv2/objdetect.hpp>

namespace ea {

constexpr int kCharClasses = 37;      // 0-25 A-Z, 26-35 0-9, 36 not a character
constexpr int kNoiseClass = 36;
constexpr int kCropW = 24, kCropH = 32;
constexpr int kGridW = 8, kGridH = 12;
constexpr int kHogFeatures = 216;     // 24x32 window, 16x16 blocks, 8x8 stride and cells, 9 bins
constexpr int kShapeFeatures = 3;     // aspect, height in the row, vertical offset in the row
constexpr int kMlpFeatures = kHogFeatures + kGridW * kGridH + kShapeFeatures;
constexpr int kPixelFeatures = kCropW * kCropH;            // the network's: the crop, ink +1, ground -1
constexpr int kNetFeatures = kPixelFeatures + kShapeFeatures;  // ... and the shape again
constexpr int kCharFeatures = kMlpFeatures + kNetFeatures;  // a feature row: the MLP's, then the network's
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
    // Loads a model written by train() and, unless network_path is empty, the trainer's network; false with
    // the reason in error when either is unreadable or made for another reader.
    bool load(const std::string& path, const std::string& network_path, std::string& error);
    bool loaded() const { return !mlp_.empty(); }
    // features: n rows of kCharFeatures; probs: n rows of kCharClasses, the mean of the MLP's (softmax of
    // its outputs) and the network's, or the MLP's alone without a network.
    // with_network false: the MLP's alone (cheap; for comparing cuts).
    void predict(const cv::Mat& features, cv::Mat& probs, bool with_network = true) const;
    bool has_network() const { return has_net_; }
    // probs, the MLP's for the feature rows, become the mean of theirs and the network's; only with a network.
    void add_network_opinion(const cv::Mat& features, cv::Mat& probs) const;

    // Trains a new network (iterations: passes over the samples) on n feature rows and class labels and saves it (gzip when the path ends .gz).
    // A tenth of the samples (every tenth) is held back to fit the softmax temperature; returns that
    // tenth's accuracy.
    static double train(const cv::Mat& features, const cv::Mat& labels, int hidden, int iterations, const std::string& path);

private:
    cv::Ptr<cv::ml::ANN_MLP> mlp_;
    float temperature_ = 1.0f;
    mutable cv::Mat outputs_, mlp_in_, pixels_, shape_, net_probs_;
    mutable cv::dnn::Net net_;
    bool has_net_ = false;

    bool load_network(const std::string& path, std::string& error);
    void predict_network(const cv::Mat& features, cv::Mat& probs) const;
};

}  // namespace ea
