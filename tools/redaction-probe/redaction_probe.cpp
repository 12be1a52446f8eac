// Measures the redactor's detectors one at a time on an image (thread CPU ms, resident memory kept after the
// call and the peak during it) and prints the boxes each finds, the way the bridge searches now ("lean":
// cascades one pyramid level per call, HOG's large levels in bands; src/EdgeAgent.Vision.Native/src/redact.cpp)
// or with OpenCV's own multi-scale calls ("whole", as before). The README's evidence memory figures come from it.
//
//   g++ -O2 -std=c++17 -I/usr/include/opencv4 tools/redaction-probe/redaction_probe.cpp -o /tmp/redaction_probe
//       -lopencv_objdetect -lopencv_imgcodecs -lopencv_imgproc -lopencv_core      (one line)
//   /tmp/redaction_probe IMAGE [lean|whole] [STEP]      # IMAGE: e.g. a 960x540 overview (EDGEAGENT_TEST_DUMP)
//
// Run each mode in a process of its own: memory a call frees stays with the process for the next one.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <malloc.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace {

double cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

long status_kb(const char* key) {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
    return -1;
}

// Runs one detector and prints its cost: CPU, resident memory kept after it and the peak above the start.
void measure(const char* what, const std::function<void(std::vector<cv::Rect>&)>& run) {
    std::ofstream("/proc/self/clear_refs") << "5";   // VmHWM starts over from VmRSS
    const long before = status_kb("VmRSS:");
    const double started = cpu_ms();
    std::vector<cv::Rect> boxes;
    run(boxes);
    std::printf("%-22s %7.0f CPU ms  kept %6ld KB  peak %6ld KB  boxes:", what, cpu_ms() - started, status_kb("VmRSS:") - before,
                status_kb("VmHWM:") - before);
    for (const auto& b : boxes) std::printf(" %d,%d %dx%d", b.x, b.y, b.width, b.height);
    std::printf("\n");
}

void cascade_lean(cv::CascadeClassifier& cascade, const cv::Mat& image, double step, cv::Size min_size, std::vector<cv::Rect>& boxes) {
    const cv::Size window = cascade.getOriginalWindowSize();
    std::vector<cv::Rect> level;
    for (double factor = 1;; factor *= step) {
        const cv::Size size(cvRound(window.width * factor), cvRound(window.height * factor));
        if (size.width > image.cols || size.height > image.rows) break;
        if (size.width < min_size.width || size.height < min_size.height) continue;
        cascade.detectMultiScale(image, level, step, 0, 0, size, size);
        boxes.insert(boxes.end(), level.begin(), level.end());
    }
    cv::groupRectangles(boxes, 3, 0.2);
}

void hog_lean(const cv::HOGDescriptor& hog, const cv::Mat& image, double step, std::vector<cv::Rect>& boxes) {
    constexpr int stride = 8, padding = 16, band_rows = 256;
    constexpr long max_area = 600000;
    std::vector<double> weights, hit_weights;
    std::vector<cv::Point> hits;
    cv::Mat level;
    double scale = 1;
    for (int n = 0; n < hog.nlevels; n++, scale *= step) {
        const cv::Size size(cvRound(image.cols / scale), cvRound(image.rows / scale));
        if (size.width < hog.winSize.width || size.height < hog.winSize.height) break;
        cv::Mat searched = image;
        if (size != image.size()) {
            cv::resize(image, level, size, 0, 0, cv::INTER_LINEAR_EXACT);
            searched = level;
        }
        const cv::Size window(cvRound(hog.winSize.width * scale), cvRound(hog.winSize.height * scale));
        auto keep = [&](int top, int first, int end) {
            for (size_t i = 0; i < hits.size(); i++) {
                const int y = hits[i].y + top;
                if (y < first || y >= end) continue;
                boxes.emplace_back(cvRound(hits[i].x * scale), cvRound(y * scale), window.width, window.height);
                weights.push_back(hit_weights[i]);
            }
        };
        if (static_cast<long>(size.width + 2 * padding) * (size.height + 2 * padding) <= max_area) {
            hog.detect(searched, hits, hit_weights, 0.0, cv::Size(stride, stride), cv::Size(padding, padding));
            keep(0, INT_MIN, INT_MAX);
            continue;
        }
        const int below = hog.winSize.height - 2 * padding;
        for (int top = 0; top < size.height; top += band_rows) {
            const bool last = top + band_rows + below >= size.height;
            hog.detect(searched(cv::Rect(0, top, size.width, last ? size.height - top : band_rows + below)), hits, hit_weights, 0.0,
                       cv::Size(stride, stride), cv::Size(padding, padding));
            keep(top, top == 0 ? INT_MIN : top - padding, last ? INT_MAX : top + band_rows - padding);
            if (last) break;
        }
    }
    hog.groupRectangles(boxes, weights, 2, 0.2);
    size_t kept = 0;
    for (const auto& b : boxes)
        if ((b & cv::Rect(0, 0, image.cols, image.rows)).area() > 0) boxes[kept++] = b & cv::Rect(0, 0, image.cols, image.rows);
    boxes.resize(kept);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s IMAGE [lean|whole] [STEP]\n", argv[0]);
        return 2;
    }
    const bool lean = argc < 3 || std::strcmp(argv[2], "whole") != 0;
    const double step = argc > 3 ? std::atof(argv[3]) : 1.1;
    cv::setNumThreads(1);   // as the agent runs OpenCV, with its C heap settings (VisionNative)
    mallopt(M_ARENA_MAX, 2);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    const std::string dir = "/usr/share/opencv4/haarcascades/";
    const long start = status_kb("VmRSS:");
    cv::CascadeClassifier frontal(dir + "haarcascade_frontalface_default.xml"), profile(dir + "haarcascade_profileface.xml"),
        body(dir + "haarcascade_fullbody.xml");
    cv::HOGDescriptor hog;
    hog.setSVMDetector(cv::HOGDescriptor::getDefaultPeopleDetector());
    std::printf("models loaded: %ld KB resident\n", status_kb("VmRSS:") - start);
    cv::Mat bgr = cv::imread(argv[1]), gray, equalized, mirrored, enlarged;
    if (bgr.empty()) {
        std::fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
    cv::equalizeHist(gray, equalized);
    cv::flip(equalized, mirrored, 1);
    cv::resize(gray, enlarged, cv::Size(), 2, 2, cv::INTER_LINEAR);   // min person height 64: HOG on twice the size
    std::printf("%s, %s search, pyramid step %.2f\n", argv[1], lean ? "lean" : "whole", step);
    auto cascade = [&](cv::CascadeClassifier& c, const cv::Mat& image, cv::Size min_size) {
        return [&c, &image, min_size, lean, step](std::vector<cv::Rect>& boxes) {
            if (lean) cascade_lean(c, image, step, min_size, boxes);
            else c.detectMultiScale(image, boxes, step, 3, 0, min_size);
        };
    };
    measure("frontal face", cascade(frontal, equalized, cv::Size(16, 16)));
    measure("profile face", cascade(profile, equalized, cv::Size(16, 16)));
    measure("profile face, mirror", cascade(profile, mirrored, cv::Size(16, 16)));
    measure("full body", cascade(body, equalized, cv::Size(32, 64)));
    measure("HOG people, 2x", [&](std::vector<cv::Rect>& boxes) {
        std::vector<double> weights;
        if (lean) hog_lean(hog, enlarged, step, boxes);
        else hog.detectMultiScale(enlarged, boxes, weights, 0.0, cv::Size(8, 8), cv::Size(16, 16), step, 2.0);
    });
    return 0;
}
