#include "char_classifier.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace ea {

char class_char(int cls) {
    if (cls >= 0 && cls < 26) return static_cast<char>('A' + cls);
    if (cls >= 26 && cls < 36) return static_cast<char>('0' + cls - 26);
    return '#';
}

int char_class(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= '0' && c <= '9') return 26 + (c - '0');
    if (c == '#') return kNoiseClass;
    return -1;
}

namespace {

// The gray levels below which 5 % and above which 5 % of the pixels lie: ink and ground, robust to a
// few specks of glare or shadow.
void ink_and_ground(const cv::Mat& region, int& ink, int& ground) {
    int hist[256] = {0};
    for (int y = 0; y < region.rows; y++) {
        const uint8_t* row = region.ptr<uint8_t>(y);
        for (int x = 0; x < region.cols; x++) hist[row[x]]++;
    }
    const int total = region.rows * region.cols;
    const int lo_count = total / 20, hi_count = total - total / 20;
    int acc = 0;
    ink = 0;
    ground = 255;
    bool lo_done = false;
    for (int v = 0; v < 256; v++) {
        acc += hist[v];
        if (!lo_done && acc > lo_count) {
            ink = v;
            lo_done = true;
        }
        if (acc >= hi_count) {
            ground = v;
            break;
        }
    }
    if (ground - ink < 16) ground = std::min(255, ink + 16);
}

}  // namespace

void normalize_char(const cv::Mat& patch, const cv::Rect& box, cv::Mat& crop) {
    crop.create(kCropH, kCropW, CV_8UC1);
    crop.setTo(255);
    const cv::Rect context = cv::Rect(box.x - 1, box.y - 1, box.width + 2, box.height + 2) & cv::Rect(0, 0, patch.cols, patch.rows);
    if (context.width < 1 || context.height < 1) return;
    const cv::Mat region = patch(context);
    int ink = 0, ground = 255;
    ink_and_ground(region, ink, ground);

    const double scale = static_cast<double>(kCropH) / context.height;
    const int w = std::clamp(static_cast<int>(std::lround(context.width * scale)), 1, kCropW);
    cv::Mat target = crop(cv::Rect((kCropW - w) / 2, 0, w, kCropH));
    cv::resize(region, target, target.size(), 0, 0, scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    const float gain = 255.0f / static_cast<float>(ground - ink);
    for (int y = 0; y < target.rows; y++) {
        uint8_t* row = target.ptr<uint8_t>(y);
        for (int x = 0; x < target.cols; x++)
            row[x] = cv::saturate_cast<uint8_t>((static_cast<float>(row[x]) - static_cast<float>(ink)) * gain);
    }
}

CharFeatures::CharFeatures()
    : hog_(cv::Size(kCropW, kCropH), cv::Size(16, 16), cv::Size(8, 8), cv::Size(8, 8), 9) {}

void CharFeatures::compute(const cv::Mat& crop, const cv::Rect& box, const RowShape& row, float* out) {
    hog_.compute(crop, hog_values_);
    const size_t hog_n = std::min(hog_values_.size(), static_cast<size_t>(kHogFeatures));
    std::copy_n(hog_values_.begin(), hog_n, out);
    std::fill(out + hog_n, out + kHogFeatures, 0.0f);
    cv::resize(crop, grid_, cv::Size(kGridW, kGridH), 0, 0, cv::INTER_AREA);
    float* grid_out = out + kHogFeatures;
    for (int y = 0; y < kGridH; y++)
        for (int x = 0; x < kGridW; x++) *grid_out++ = 1.0f - grid_.at<uint8_t>(y, x) / 127.5f;
    const float h = std::max(1.0f, row.height);
    grid_out[0] = static_cast<float>(box.width) / std::max(1, box.height);
    grid_out[1] = static_cast<float>(box.height) / h;
    grid_out[2] = (static_cast<float>(box.y) + box.height / 2.0f - row.center_y) / h;
    float* px = grid_out + 3;
    for (int y = 0; y < kCropH; y++) {
        const uint8_t* pixels = crop.ptr<uint8_t>(y);
        for (int x = 0; x < kCropW; x++) *px++ = 1.0f - pixels[x] / 127.5f;
    }
    std::copy_n(grid_out, kShapeFeatures, px);  // the network reads the shape too
}

bool CharClassifier::load_network(const std::string& path, std::string& error) {
    has_net_ = false;
    cv::dnn::Net net;
    try {
        net = cv::dnn::readNetFromONNX(path);
        net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        // Two blank characters prove the inputs and output are the ones this reader feeds and reads.
        const int dims[] = {2, 1, kCropH, kCropW};
        net.setInput(cv::Mat(4, dims, CV_32F, cv::Scalar(0)), "pixels");
        net.setInput(cv::Mat(2, kShapeFeatures, CV_32F, cv::Scalar(0)), "shape");
        const cv::Mat out = net.forward();
        if (out.dims != 2 || out.rows != 2 || out.cols != kCharClasses) throw std::runtime_error("unexpected output");
    } catch (const std::exception& e) {
        error = "character network " + path + " is not a network for this reader (it feeds \"pixels\" n x 1 x " +
                std::to_string(kCropH) + " x " + std::to_string(kCropW) + " and \"shape\" n x " + std::to_string(kShapeFeatures) +
                ", and reads n x " + std::to_string(kCharClasses) + " probabilities; " + e.what() +
                "): retrain the model and its network with tools/EdgeAgent.CharTrainer";
        return false;
    }
    net_ = net;
    has_net_ = true;
    return true;
}

bool CharClassifier::load(const std::string& path, const std::string& network_path, std::string& error) {
    cv::FileStorage fs;
    try {
        if (!fs.open(path, cv::FileStorage::READ)) {
            error = "character model " + path + " could not be opened";
            return false;
        }
    } catch (const cv::Exception& e) {
        error = "character model " + path + " is not a model file: " + e.what();
        return false;
    }
    const int version = static_cast<int>(fs["ea_version"].empty() ? -1 : static_cast<int>(fs["ea_version"]));
    const int features = fs["features"].empty() ? -1 : static_cast<int>(fs["features"]);
    if (version != kModelVersion || features != kMlpFeatures) {
        error = "character model " + path + " was made for another reader (version " + std::to_string(version) +
                ", " + std::to_string(features) + " features; this bridge needs version " + std::to_string(kModelVersion) +
                " with " + std::to_string(kMlpFeatures) + "): retrain it with tools/EdgeAgent.CharTrainer";
        return false;
    }
    cv::Ptr<cv::ml::ANN_MLP> mlp = cv::ml::ANN_MLP::create();
    mlp->read(fs["mlp"]);
    if (!mlp->isTrained() || mlp->getLayerSizes().at<int>(0) != kMlpFeatures) {
        error = "character model " + path + " holds no trained network";
        return false;
    }
    temperature_ = fs["temperature"].empty() ? 1.0f : static_cast<float>(fs["temperature"]);
    mlp_ = mlp;
    // The network is optional here: the trainer samples with an MLP alone. The agent requires it
    // (PlateCharReader names the file it expects beside the model).
    return network_path.empty() || load_network(network_path, error);
}

namespace {

void softmax_rows(const cv::Mat& outputs, float temperature, cv::Mat& probs) {
    probs.create(outputs.rows, kCharClasses, CV_32F);
    for (int r = 0; r < outputs.rows; r++) {
        const float* o = outputs.ptr<float>(r);
        float* p = probs.ptr<float>(r);
        float top = o[0];
        for (int k = 1; k < kCharClasses; k++) top = std::max(top, o[k]);
        float sum = 0;
        for (int k = 0; k < kCharClasses; k++) sum += p[k] = std::exp(temperature * (o[k] - top));
        for (int k = 0; k < kCharClasses; k++) p[k] /= sum;
    }
}

}  // namespace

void CharClassifier::predict(const cv::Mat& features, cv::Mat& probs, bool with_network) const {
    features.colRange(0, kMlpFeatures).copyTo(mlp_in_);
    mlp_->predict(mlp_in_, outputs_);
    softmax_rows(outputs_, temperature_, probs);
    if (has_net_ && with_network) add_network_opinion(features, probs);
}

void CharClassifier::add_network_opinion(const cv::Mat& features, cv::Mat& probs) const {
    predict_network(features, net_probs_);
    cv::addWeighted(probs, 0.5, net_probs_, 0.5, 0.0, probs);
}

void CharClassifier::predict_network(const cv::Mat& features, cv::Mat& probs) const {
    CV_Assert(has_net_);
    const int n = features.rows;
    const int dims[] = {n, 1, kCropH, kCropW};
    pixels_.create(4, dims, CV_32F);
    shape_.create(n, kShapeFeatures, CV_32F);
    float* pixels = pixels_.ptr<float>();
    for (int r = 0; r < n; r++) {
        const float* f = features.ptr<float>(r) + kMlpFeatures;
        std::copy_n(f, kPixelFeatures, pixels + static_cast<size_t>(r) * kPixelFeatures);
        std::copy_n(f + kPixelFeatures, kShapeFeatures, shape_.ptr<float>(r));
    }
    net_.setInput(pixels_, "pixels");
    net_.setInput(shape_, "shape");
    net_.forward().copyTo(probs);
}

double CharClassifier::train(const cv::Mat& features, const cv::Mat& labels, int hidden, int iterations, const std::string& path) {
    CV_Assert(features.type() == CV_32F && features.cols == kMlpFeatures && labels.type() == CV_32S &&
              labels.rows == features.rows && features.rows >= 20);
    // Every tenth sample is held back: it fits the softmax temperature and measures the network.
    cv::Mat train_x, train_y, check_x;
    std::vector<int> check_labels;
    for (int i = 0; i < features.rows; i++) {
        const int cls = labels.at<int>(i);
        if (i % 10 == 9) {
            check_x.push_back(features.row(i));
            check_labels.push_back(cls);
            continue;
        }
        train_x.push_back(features.row(i));
        cv::Mat target = cv::Mat::zeros(1, kCharClasses, CV_32F);
        target.at<float>(cls) = 1.0f;
        train_y.push_back(target);
    }

    // OpenCV's network draws its starting weights and its sample order from a generator of its own, reset
    // when it is created: the same samples give the same network (two networks trained after seeding OpenCV's
    // generator differently came out alike, byte for byte). A seed reaches training only through the samples.
    cv::Ptr<cv::ml::ANN_MLP> mlp = cv::ml::ANN_MLP::create();
    const cv::Mat layers = (cv::Mat_<int>(1, 3) << kMlpFeatures, hidden, kCharClasses);
    mlp->setLayerSizes(layers);
    mlp->setActivationFunction(cv::ml::ANN_MLP::SIGMOID_SYM);
    // Back-propagation sample by sample converges in a few passes over tens of thousands of samples,
    // where RPROP's whole-batch steps need hundreds.
    mlp->setTrainMethod(cv::ml::ANN_MLP::BACKPROP, 0.001, 0.1);
    mlp->setTermCriteria(cv::TermCriteria(cv::TermCriteria::MAX_ITER + cv::TermCriteria::EPS, iterations, 1e-6));
    mlp->train(cv::ml::TrainData::create(train_x, cv::ml::ROW_SAMPLE, train_y));

    cv::Mat outputs;
    mlp->predict(check_x, outputs);
    int correct = 0;
    for (int r = 0; r < outputs.rows; r++) {
        cv::Point best;
        cv::minMaxLoc(outputs.row(r), nullptr, nullptr, nullptr, &best);
        if (best.x == check_labels[static_cast<size_t>(r)]) correct++;
    }
    // The temperature that makes the held-back samples' probabilities most likely (calibration).
    float best_t = 1.0f;
    double best_nll = 1e300;
    cv::Mat probs;
    for (float t = 0.5f; t <= 30.0f; t *= 1.1f) {
        softmax_rows(outputs, t, probs);
        double nll = 0;
        for (int r = 0; r < probs.rows; r++) nll -= std::log(std::max(1e-9f, probs.at<float>(r, check_labels[static_cast<size_t>(r)])));
        if (nll < best_nll) {
            best_nll = nll;
            best_t = t;
        }
    }

    cv::FileStorage fs(path, cv::FileStorage::WRITE);
    if (!fs.isOpened()) throw std::runtime_error("could not write the character model to " + path);
    fs << "ea_version" << kModelVersion << "features" << kMlpFeatures << "classes" << "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#";
    fs << "temperature" << best_t << "samples" << features.rows;
    fs << "mlp" << "{";
    mlp->write(fs);
    fs << "}";
    fs.release();
    return outputs.rows > 0 ? static_cast<double>(correct) / outputs.rows : 0.0;
}

}  // namespace ea
