// Measures the redactor's detectors one at a time on an image (thread CPU ms, resident memory kept after the
// call and the peak during it) and prints the boxes each finds, the way the bridge searches now ("lean":
// cascades one pyramid level per call, HOG's large levels in bands: the bridge's own detector_search.cpp)
// or with OpenCV's own multi-scale calls ("whole", as before). The README's evidence memory figures come from it.
//
//   g++ -O2 -std=c++17 -I/usr/include/opencv4 tools/redaction-probe/redaction_probe.cpp
//       src/EdgeAgent.Vision.Native/src/detector_search.cpp -o /tmp/redaction_probe
//       -lopencv_objdetect -lopencv_imgcodecs -lopencv_imgproc -lopencv_core      (one command)
//   /tmp/redaction_probe IMAGE [lean|whole] [STEP]      # IMAGE: e.g. a 960x540 overview (EDGEAGENT_TEST_DUMP)
//
// Run each mode in a process of its own: memory a call frees stays with the process for the next one.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "../../src/EdgeAgent.Vision.Native/src/detector_search.hpp"

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
            std::vector<cv::Rect> level;
            if (lean) ea::cascade_by_level(c, image, step, 3, min_size, boxes, level);
            else c.detectMultiScale(image, boxes, step, 3, 0, min_size);
        };
    };
    measure("frontal face", cascade(frontal, equalized, cv::Size(16, 16)));
    measure("profile face", cascade(profile, equalized, cv::Size(16, 16)));
    measure("profile face, mirror", cascade(profile, mirrored, cv::Size(16, 16)));
    measure("full body", cascade(body, equalized, cv::Size(32, 64)));
    measure("HOG people, 2x", [&](std::vector<cv::Rect>& boxes) {
        std::vector<double> weights;
        cv::Mat level;
        if (lean) ea::hog_in_bands(hog, enlarged, step, boxes, weights, level);
        else hog.detectMultiScale(enlarged, boxes, weights, 0.0, cv::Size(8, 8), cv::Size(16, 16), step, 2.0);
    });
    return 0;
}
