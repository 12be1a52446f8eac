// Redaction before retention: faces (frontal and profile Haar cascades), people (full-body cascade and
// the HOG people detector) and the static privacy masks are filled solid, never blurred (a blur can be
// undone or recognised). Detection errs on the side of filling: boxes grow by a margin.
#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "bridge_common.hpp"
#include "detector_search.hpp"
#include "edgeagent_redact.h"

// A cascade file, loaded while images stay small. OpenCV's evaluator keeps the integral images of the largest
// level it searched for as long as the classifier lives (5 MB for a 960x540 overview); after an image larger
// than a plate crop the classifier is dropped, and loaded again (about 10 ms) at its next use, so the scratch
// of one cascade is never held while the next cascade or HOG runs, nor between passes.
struct Cascade {
    std::string path;
    const char* what = "";
    std::unique_ptr<cv::CascadeClassifier> loaded;
    bool enabled() const { return !path.empty(); }
};

struct ea_redactor {
    Cascade frontal;
    Cascade profile;
    Cascade body;
    bool has_hog = false;
    cv::HOGDescriptor hog;
    // Scratch reused call after call.
    cv::Mat gray, equalized, mirrored, level;
};

namespace {

enum Kind { FrontalFace = 1, ProfileFace = 2, FullBody = 3, HogPerson = 4, Mask = 5 };

struct Found {
    cv::Rect box;
    int kind;
};

// Images up to this many pixels (a plate crop at its largest, 480x240) leave the cascades loaded.
constexpr size_t kKeepCascadesUpToPixels = 480 * 240;

// The cascade's file into a fresh classifier; false when OpenCV cannot read it.
bool read_file(Cascade& cascade) {
    auto loaded = std::make_unique<cv::CascadeClassifier>();
    if (!loaded->load(cascade.path)) return false;
    cascade.loaded = std::move(loaded);
    return true;
}

bool load(Cascade& cascade, const char* path, const char* what) {
    cascade.what = what;
    if (path == nullptr || path[0] == '\0') return false;
    cascade.path = path;
    if (!read_file(cascade)) {
        ea::set_error(std::string("ea_redactor_create: the ") + what + " cascade " + path +
                      " could not be loaded (install opencv-data: ./install.sh --deps)");
        throw std::runtime_error("cascade");
    }
    return true;
}

cv::CascadeClassifier& use(Cascade& cascade) {
    // Loaded at the start; failing now means the file went away: this image is dropped, not kept unredacted.
    if (!cascade.loaded && !read_file(cascade))
        throw std::runtime_error(std::string("the ") + cascade.what + " cascade " + cascade.path +
                                 " could not be loaded again (reinstall opencv-data: ./install.sh --deps)");
    return *cascade.loaded;
}

void done_with(Cascade& cascade, const cv::Mat& image) {
    if (image.total() > kKeepCascadesUpToPixels) cascade.loaded.reset();
}

cv::Rect grow(const cv::Rect& r, float margin, const cv::Size& bounds) {
    const int dx = static_cast<int>(r.width * margin + 0.5f), dy = static_cast<int>(r.height * margin + 0.5f);
    cv::Rect grown(r.x - dx, r.y - dy, r.width + 2 * dx, r.height + 2 * dy);
    return grown & cv::Rect(0, 0, bounds.width, bounds.height);
}

void detect(ea_redactor* r, const ea_redact_params& p, std::vector<Found>& found) {
    const cv::Size size = r->equalized.size();
    const int min_face = std::max(12, p.min_face);
    const double step = std::max(1.01, static_cast<double>(p.pyramid_step));
    std::vector<cv::Rect> boxes, level;

    ea::cascade_by_level(use(r->frontal), r->equalized, step, 3, cv::Size(min_face, min_face), boxes, level);
    done_with(r->frontal, r->equalized);
    for (const auto& b : boxes) found.push_back({grow(b, p.face_margin, size), FrontalFace});

    if (r->profile.enabled()) {
        // The profile cascade knows faces turned one way; the mirror image finds those turned the other.
        ea::cascade_by_level(use(r->profile), r->equalized, step, 3, cv::Size(min_face, min_face), boxes, level);
        for (const auto& b : boxes) found.push_back({grow(b, p.face_margin, size), ProfileFace});
        cv::flip(r->equalized, r->mirrored, 1);
        ea::cascade_by_level(use(r->profile), r->mirrored, step, 3, cv::Size(min_face, min_face), boxes, level);
        done_with(r->profile, r->equalized);
        for (const auto& b : boxes) {
            cv::Rect unmirrored(size.width - b.x - b.width, b.y, b.width, b.height);
            found.push_back({grow(unmirrored, p.face_margin, size), ProfileFace});
        }
    }

    const int min_person_h = std::max(28, p.min_person_h);
    if (r->body.enabled()) {
        ea::cascade_by_level(use(r->body), r->equalized, step, 3, cv::Size(min_person_h / 2, min_person_h), boxes, level);
        done_with(r->body, r->equalized);
        for (const auto& b : boxes) found.push_back({grow(b, p.person_margin, size), FullBody});
    }
    if (r->has_hog) {
        // HOG's window is 64x128: people shorter than that are found on an enlarged copy.
        const double up = std::clamp(128.0 / min_person_h, 1.0, 2.0);
        cv::Mat source = r->gray;
        cv::Mat enlarged;
        if (up > 1.01) {
            cv::resize(r->gray, enlarged, cv::Size(), up, up, cv::INTER_LINEAR);
            source = enlarged;
        }
        if (source.cols >= 64 && source.rows >= 128) {
            std::vector<double> weights;
            ea::hog_in_bands(r->hog, source, step, boxes, weights, r->level);
            for (const auto& b : boxes) {
                cv::Rect back(static_cast<int>(b.x / up), static_cast<int>(b.y / up), static_cast<int>(b.width / up + 0.5),
                              static_cast<int>(b.height / up + 0.5));
                found.push_back({grow(back, p.person_margin, size), HogPerson});
            }
        }
    }
}

}  // namespace

extern "C" {

EA_API int ea_redact_abi_version(void) { return 1; }

EA_API int ea_redactor_create(const ea_redact_config* config, ea_redactor** out) {
    return ea::guarded("ea_redactor_create", [&]() -> int {
        if (config == nullptr || out == nullptr) return ea::fail(EA_E_ARGUMENT, "ea_redactor_create: null argument");
        *out = nullptr;
        auto r = std::make_unique<ea_redactor>();
        try {
            if (!load(r->frontal, config->frontal_face, "frontal face"))
                return ea::fail(EA_E_ARGUMENT, "ea_redactor_create: the frontal face cascade is required");
            load(r->profile, config->profile_face, "profile face");
            load(r->body, config->full_body, "full body");
        } catch (const std::runtime_error&) {
            return EA_E_IO;  // the message is set by load()
        }
        if (config->hog_people != 0) {
            r->hog.setSVMDetector(cv::HOGDescriptor::getDefaultPeopleDetector());
            r->has_hog = true;
        }
        *out = r.release();
        return EA_OK;
    });
}

EA_API int ea_redactor_redact(ea_redactor* redactor, uint8_t* bgr, int32_t width, int32_t height, int32_t stride,
                              const ea_redact_params* params, const float* mask_points, const int32_t* mask_counts,
                              int32_t mask_polys, ea_rect* found_out, int32_t max_found, ea_redact_result* result) {
    return ea::guarded("ea_redactor_redact", [&]() -> int {
        if (redactor == nullptr || params == nullptr || result == nullptr)
            return ea::fail(EA_E_ARGUMENT, "ea_redactor_redact: null argument");
        if (!ea::valid_image(bgr, width, height, stride, 3)) return ea::fail(EA_E_ARGUMENT, "ea_redactor_redact: bad image");
        if (mask_polys > 0 && (mask_points == nullptr || mask_counts == nullptr))
            return ea::fail(EA_E_ARGUMENT, "ea_redactor_redact: masks without points");
        cv::Mat image(height, width, CV_8UC3, bgr, static_cast<size_t>(stride));
        *result = ea_redact_result{};

        std::vector<Found> found;
        if (params->detect != 0) {
            cv::cvtColor(image, redactor->gray, cv::COLOR_BGR2GRAY);
            cv::equalizeHist(redactor->gray, redactor->equalized);
            detect(redactor, *params, found);
        }

        // One mask image, so overlapping boxes and polygons are counted once.
        cv::Mat filled = cv::Mat::zeros(height, width, CV_8UC1);
        for (const auto& f : found) {
            if (f.box.area() <= 0) continue;
            cv::rectangle(filled, f.box, cv::Scalar(255), cv::FILLED);
            if (f.kind == FrontalFace || f.kind == ProfileFace) result->faces++;
            else result->people++;
        }
        const cv::Rect keep = cv::Rect(params->keep_x, params->keep_y, params->keep_w, params->keep_h) & cv::Rect(0, 0, width, height);
        if (keep.area() > 0) filled(keep).setTo(cv::Scalar(0));
        const float* point = mask_points;
        for (int32_t m = 0; m < mask_polys; m++) {
            const int n = mask_counts[m];
            if (n < 3) return ea::fail(EA_E_ARGUMENT, "ea_redactor_redact: a mask polygon needs at least 3 points");
            std::vector<cv::Point> polygon;
            polygon.reserve(n);
            cv::Rect bounds;
            for (int i = 0; i < n; i++, point += 2) {
                polygon.emplace_back(cvRound((point[0] - params->origin_x) * params->scale),
                                     cvRound((point[1] - params->origin_y) * params->scale));
            }
            bounds = cv::boundingRect(polygon) & cv::Rect(0, 0, width, height);
            if (bounds.area() <= 0) continue;  // the mask lies outside this image (e.g. a plate crop)
            cv::fillPoly(filled, std::vector<std::vector<cv::Point>>{polygon}, cv::Scalar(255), cv::LINE_8);
            result->masks++;
            found.push_back({bounds, Mask});
        }
        image.setTo(cv::Scalar(params->fill_b, params->fill_g, params->fill_r), filled);
        result->pixels_filled = cv::countNonZero(filled);

        int32_t written = 0;
        for (const auto& f : found) {
            if (found_out == nullptr || written >= max_found) break;
            found_out[written++] = ea_rect{f.box.x, f.box.y, f.box.width, f.box.height, f.kind};
        }
        result->boxes_written = written;
        return EA_OK;
    });
}

EA_API void ea_redactor_free(ea_redactor* redactor) { delete redactor; }

}
