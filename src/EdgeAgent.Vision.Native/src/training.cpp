// The trainer's side of the bridge (tools/EdgeAgent.CharTrainer): the character samples of a plate,
// cut every way the reader cuts it, so they can be aligned with a label; the network's training; and
// the degradations that turn clean training plates into camera-like ones. The features come from the
// very code the reader uses, so the network learns what it will later see.
#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "bridge_common.hpp"
#include "image_codecs.hpp"
#include "reader_state.hpp"

namespace {

int write_samples(ea_reader& r, int cut_offset, ea_char_sample* out, int written, int max_out) {
    if (r.cuts.empty()) return written;
    const int rows = ea::describe_cuts(r);
    const bool classify = r.classifier.loaded();
    if (classify) r.classifier.predict(r.feature_rows, r.probs);
    cv::Mat inverse;
    cv::invertAffineTransform(r.transform, inverse);
    const double* m = inverse.ptr<double>(0);
    const double* k = inverse.ptr<double>(1);
    int row = 0;
    for (size_t c = 0; c < r.cuts.size(); c++) {
        for (const cv::Rect& b : r.cuts[c].boxes) {
            if (written < max_out && row < rows) {
                ea_char_sample& s = out[written++];
                s.cut = cut_offset + static_cast<int32_t>(c);
                s.dark_on_light = r.cuts[c].binarisation.dark_on_light ? 1 : 0;
                s.x = b.x;
                s.y = b.y;
                s.w = b.width;
                s.h = b.height;
                const double cx = b.x + b.width / 2.0, cy = b.y + b.height / 2.0;
                s.frame_x = static_cast<float>(m[0] * cx + m[1] * cy + m[2]);
                s.frame_y = static_cast<float>(k[0] * cx + k[1] * cy + k[2]);
                s.frame_h = static_cast<float>(b.height * std::hypot(m[1], k[1]));
                std::copy_n(r.feature_rows.ptr<float>(row), EA_CHAR_FEATURES, s.features);
                if (classify) std::copy_n(r.probs.ptr<float>(row), EA_CHAR_CLASSES, s.probs);
                else std::fill_n(s.probs, EA_CHAR_CLASSES, 0.0f);
            }
            row++;
        }
    }
    return written;
}

void motion_blur(cv::Mat& image, float length, float angle_degrees) {
    const int size = std::max(3, static_cast<int>(std::ceil(length)) | 1);
    cv::Mat kernel = cv::Mat::zeros(size, size, CV_32F);
    const float c = std::cos(angle_degrees * static_cast<float>(CV_PI) / 180.0f);
    const float s = std::sin(angle_degrees * static_cast<float>(CV_PI) / 180.0f);
    const float mid = (size - 1) / 2.0f;
    for (int i = 0; i < size * 4; i++) {
        const float t = (static_cast<float>(i) / (size * 4 - 1) - 0.5f) * length;
        const int x = static_cast<int>(std::lround(mid + t * c)), y = static_cast<int>(std::lround(mid + t * s));
        if (x >= 0 && y >= 0 && x < size && y < size) kernel.at<float>(y, x) += 1.0f;
    }
    kernel /= cv::sum(kernel)[0];
    cv::filter2D(image, image, -1, kernel, cv::Point(-1, -1), 0, cv::BORDER_REPLICATE);
}

}  // namespace

extern "C" {

EA_API int ea_plate_samples(ea_reader* reader, const uint8_t* gray, int32_t width, int32_t height, int32_t stride,
                            const ea_plate_box* box, ea_char_sample* out, int32_t max_out) {
    return ea::guarded("ea_plate_samples", [&]() -> int {
        if (reader == nullptr || box == nullptr || out == nullptr || max_out < 0 || !ea::valid_image(gray, width, height, stride, 1))
            return ea::fail(EA_E_ARGUMENT, "ea_plate_samples: bad reader, image, box or output");
        ea_reader& r = *reader;
        const cv::Mat image(height, width, CV_8UC1, const_cast<uint8_t*>(gray), static_cast<size_t>(stride));
        const cv::RotatedRect given(cv::Point2f(box->cx, box->cy), cv::Size2f(box->w, box->h), box->angle);
        // The reader's first pass over the given box, then its second pass along the row with the most
        // characters: the cuts a read may end up with.
        ea::warp_candidate(r, image, given);
        ea::segment_hypotheses(r.patch, r.seg, r.cuts, 2);
        int written = write_samples(r, 0, out, 0, max_out);
        if (r.cuts.empty()) return written;
        const int first_cuts = static_cast<int>(r.cuts.size());
        const cv::RotatedRect row_plate = ea::plate_of_row(r, r.cuts.front());
        ea::warp_candidate(r, image, row_plate);
        ea::segment_hypotheses(r.patch, r.seg, r.cuts, 2);
        return write_samples(r, first_cuts, out, written, max_out);
    });
}

EA_API int ea_classifier_train(const float* features, const int32_t* labels, int32_t count, int32_t hidden,
                               int32_t iterations, uint64_t seed, const char* path, double* holdout_accuracy) {
    return ea::guarded("ea_classifier_train", [&]() -> int {
        if (features == nullptr || labels == nullptr || path == nullptr || count < 20 || hidden < 4 || iterations < 1)
            return ea::fail(EA_E_ARGUMENT, "ea_classifier_train: need at least 20 samples, 4 hidden units and 1 iteration");
        for (int i = 0; i < count; i++)
            if (labels[i] < 0 || labels[i] >= EA_CHAR_CLASSES)
                return ea::fail(EA_E_ARGUMENT, "ea_classifier_train: label " + std::to_string(labels[i]) + " of sample " +
                                                   std::to_string(i) + " is not a class");
        const cv::Mat x(count, EA_CHAR_FEATURES, CV_32F, const_cast<float*>(features));
        const cv::Mat y(count, 1, CV_32S, const_cast<int32_t*>(labels));
        // One thread: the same samples give the same network whatever the machine. The seed has no say in the
        // network (see CharClassifier::train): the trainer's seed has drawn the samples already.
        static_cast<void>(seed);
        const int threads = cv::getNumThreads();
        cv::setNumThreads(1);
        double accuracy = 0;
        try {
            accuracy = ea::CharClassifier::train(x.colRange(0, ea::kMlpFeatures).clone(), y.clone(), hidden, iterations, path);
        } catch (...) {
            cv::setNumThreads(threads);
            throw;
        }
        cv::setNumThreads(threads);
        if (holdout_accuracy != nullptr) *holdout_accuracy = accuracy;
        return EA_OK;
    });
}

EA_API int ea_image_degrade(uint8_t* gray, int32_t width, int32_t height, int32_t stride, const ea_degrade_params* p) {
    return ea::guarded("ea_image_degrade", [&]() -> int {
        if (p == nullptr || !ea::valid_image(gray, width, height, stride, 1))
            return ea::fail(EA_E_ARGUMENT, "ea_image_degrade: bad image or parameters");
        cv::Mat image(height, width, CV_8UC1, gray, static_cast<size_t>(stride));
        if (p->motion_length >= 1.5f) motion_blur(image, p->motion_length, p->motion_angle);
        if (p->blur_sigma > 0.05f) cv::GaussianBlur(image, image, cv::Size(), p->blur_sigma);
        cv::Mat work;
        image.convertTo(work, CV_32F, 1.0 / 255.0);
        if (std::fabs(p->gamma - 1.0f) > 1e-3f && p->gamma > 0) cv::pow(work, p->gamma, work);
        const double mean = cv::mean(work)[0];
        work = (work - mean) * p->contrast + mean + p->brightness / 255.0;
        if (p->noise_sigma > 0) {
            cv::RNG rng(p->seed);
            cv::Mat noise(work.size(), CV_32F);
            rng.fill(noise, cv::RNG::NORMAL, 0.0, p->noise_sigma / 255.0);
            work += noise;
        }
        work.convertTo(image, CV_8U, 255.0);
        if (p->jpeg_quality > 0) {
            std::vector<uint8_t> buffer;
            std::string error;
            cv::Mat decoded;
            if (!ea::encode_jpeg(image, std::clamp(p->jpeg_quality, 1, 100), false, buffer, error) ||
                !ea::decode_image(buffer.data(), buffer.size(), /*gray=*/true, decoded, error))
                return ea::fail(EA_E_INTERNAL, "ea_image_degrade: the JPEG round trip failed: " + error);
            decoded.copyTo(image);
        }
        return EA_OK;
    });
}

}
