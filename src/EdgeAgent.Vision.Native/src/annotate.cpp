// Drawing for the aim check (`edgeagent snapshot`): the ROI, lanes, privacy masks and plate boxes on a
// frame, and writing the result as PNG/JPEG. Not on the frame loop's path: a snapshot is one frame.
#include <algorithm>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "bridge_common.hpp"
#include "edgeagent_annotate.h"
#include "image_codecs.hpp"

namespace {

void draw_label(cv::Mat& image, const char* label, cv::Point at, const cv::Scalar& colour) {
    if (label == nullptr || *label == '\0') return;
    const double scale = std::max(0.5, image.rows / 1080.0 * 0.9);
    const int thickness = std::max(1, static_cast<int>(scale * 2));
    int baseline = 0;
    const cv::Size size = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline);
    // Above the point when there is room, else below; always inside the picture, on a dark plate for contrast.
    cv::Point origin(std::clamp(at.x, 0, std::max(0, image.cols - size.width - 4)),
                     at.y - 6 >= size.height ? at.y - 6 : std::min(image.rows - baseline - 2, at.y + size.height + 6));
    cv::rectangle(image, cv::Point(origin.x - 2, origin.y - size.height - 2), cv::Point(origin.x + size.width + 2, origin.y + baseline),
                  cv::Scalar(0, 0, 0), cv::FILLED);
    cv::putText(image, label, origin, cv::FONT_HERSHEY_SIMPLEX, scale, colour, thickness, cv::LINE_AA);
}

}  // namespace

extern "C" {

EA_API int ea_annotate(uint8_t* bgr, int32_t width, int32_t height, int32_t stride, const ea_point* points,
                       int32_t point_count, const ea_shape* shapes, int32_t shape_count) {
    return ea::guarded("ea_annotate", [&]() -> int {
        if (!ea::valid_image(bgr, width, height, stride, 3)) return ea::fail(EA_E_ARGUMENT, "ea_annotate: bad image");
        if (shape_count < 0 || point_count < 0 || (shape_count > 0 && shapes == nullptr) || (point_count > 0 && points == nullptr))
            return ea::fail(EA_E_ARGUMENT, "ea_annotate: bad shape or point arrays");
        cv::Mat image(height, width, CV_8UC3, bgr, static_cast<size_t>(stride));
        for (int32_t i = 0; i < shape_count; ++i) {
            const ea_shape& s = shapes[i];
            if (s.first_point < 0 || s.point_count < 1 || s.first_point + s.point_count > point_count)
                return ea::fail(EA_E_ARGUMENT, "ea_annotate: shape " + std::to_string(i) + " names points outside the array");
            std::vector<cv::Point> p;
            p.reserve(static_cast<size_t>(s.point_count));
            for (int32_t k = 0; k < s.point_count; ++k) p.emplace_back(points[s.first_point + k].x, points[s.first_point + k].y);
            const cv::Scalar colour(s.b, s.g, s.r);
            const int thickness = std::clamp(s.thickness, 1, 32);
            if (s.fill_alpha > 0) {
                cv::Mat overlay = image.clone();
                if (s.kind == EA_SHAPE_RECT && p.size() == 2) cv::rectangle(overlay, p[0], p[1], colour, cv::FILLED);
                else if (s.kind == EA_SHAPE_POLYGON && p.size() >= 3) cv::fillPoly(overlay, std::vector<std::vector<cv::Point>>{p}, colour);
                const double alpha = s.fill_alpha / 255.0;
                cv::addWeighted(overlay, alpha, image, 1.0 - alpha, 0.0, image);
            }
            switch (s.kind) {
                case EA_SHAPE_RECT:
                    if (p.size() != 2) return ea::fail(EA_E_ARGUMENT, "ea_annotate: a rectangle takes 2 points");
                    cv::rectangle(image, p[0], p[1], colour, thickness, cv::LINE_AA);
                    break;
                case EA_SHAPE_POLYGON:
                    if (p.size() < 3) return ea::fail(EA_E_ARGUMENT, "ea_annotate: a polygon takes at least 3 points");
                    cv::polylines(image, std::vector<std::vector<cv::Point>>{p}, true, colour, thickness, cv::LINE_AA);
                    break;
                case EA_SHAPE_LINE:
                    if (p.size() != 2) return ea::fail(EA_E_ARGUMENT, "ea_annotate: a line takes 2 points");
                    cv::line(image, p[0], p[1], colour, thickness, cv::LINE_AA);
                    break;
                default:
                    return ea::fail(EA_E_ARGUMENT, "ea_annotate: unknown shape kind " + std::to_string(s.kind));
            }
            draw_label(image, s.label, p[0], colour);
        }
        return EA_OK;
    });
}

EA_API int ea_image_write(const uint8_t* bgr, int32_t width, int32_t height, int32_t stride, const char* path) {
    return ea::guarded("ea_image_write", [&]() -> int {
        if (!ea::valid_image(bgr, width, height, stride, 3) || path == nullptr) return ea::fail(EA_E_ARGUMENT, "ea_image_write: bad argument");
        const std::string file(path);
        if (!ea::writable_image_name(file))
            return ea::fail(EA_E_ARGUMENT, "image " + file + ": use a .png or .jpg name");
        const cv::Mat image(height, width, CV_8UC3, const_cast<uint8_t*>(bgr), static_cast<size_t>(stride));
        std::string error;
        if (!ea::write_image(file, image, error))
            return ea::fail(EA_E_IO, "image " + file + " could not be written (" + error + "; folder missing or not writable?)");
        return EA_OK;
    });
}

}
