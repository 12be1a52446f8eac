// Still images for evaluation on photos: decoded once, then copied into caller-owned buffers sized
// from the decoded image.
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "bridge_common.hpp"
#include "image_codecs.hpp"

struct ea_image {
    cv::Mat bgr;
};

extern "C" {

EA_API int ea_image_load(const char* path, ea_image** out, int32_t* width, int32_t* height) {
    return ea::guarded("ea_image_load", [&]() -> int {
        if (path == nullptr || out == nullptr || width == nullptr || height == nullptr)
            return ea::fail(EA_E_ARGUMENT, "ea_image_load: null argument");
        *out = nullptr;
        auto image = std::make_unique<ea_image>();
        std::ifstream file(path, std::ios::binary);
        if (!file) return ea::fail(EA_E_IO, std::string("image ") + path + " could not be opened (missing or not readable)");
        const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        std::string error;
        if (!ea::decode_image(bytes.data(), bytes.size(), /*gray=*/false, image->bgr, error))
            return ea::fail(EA_E_IO, std::string("image ") + path + " could not be read (" + error + ": corrupt, or not JPEG/PNG)");
        *width = image->bgr.cols;
        *height = image->bgr.rows;
        *out = image.release();
        return EA_OK;
    });
}

EA_API int ea_image_copy(const ea_image* image, uint8_t* bgr, int32_t bgr_stride, uint8_t* gray,
                         int32_t gray_stride) {
    return ea::guarded("ea_image_copy", [&]() -> int {
        if (image == nullptr) return ea::fail(EA_E_ARGUMENT, "ea_image_copy: null image");
        const int w = image->bgr.cols, h = image->bgr.rows;
        if (!ea::valid_image(bgr, w, h, bgr_stride, 3)) return ea::fail(EA_E_ARGUMENT, "ea_image_copy: bad BGR buffer");
        cv::Mat dst(h, w, CV_8UC3, bgr, static_cast<size_t>(bgr_stride));
        image->bgr.copyTo(dst);
        if (gray != nullptr) {
            if (gray_stride < w) return ea::fail(EA_E_ARGUMENT, "ea_image_copy: gray stride smaller than the width");
            cv::Mat g(h, w, CV_8UC1, gray, static_cast<size_t>(gray_stride));
            cv::cvtColor(image->bgr, g, cv::COLOR_BGR2GRAY);
        }
        return EA_OK;
    });
}

EA_API void ea_image_free(ea_image* image) { delete image; }

}
