// Internal to the bridge: merging the rectangles a search is limited to (the motion gate's windows, and
// the finder's windows on one scale's grid).
#pragma once

#include <vector>

#include <opencv2/core.hpp>

namespace ea {

// Merges two rectangles that meet into their bounding box only when the box is not much larger than the
// two together: two vehicles in opposite corners meet through their grown margins, and the box around
// both would search the empty road between them. Rectangles left overlapping are each searched; a plate
// in both is verified once (the finder drops near-copies).
inline void merge_regions(std::vector<cv::Rect>& rects, double max_growth = 1.25) {
    bool merged = true;
    while (merged) {
        merged = false;
        for (size_t i = 0; i < rects.size() && !merged; i++)
            for (size_t j = i + 1; j < rects.size() && !merged; j++) {
                const cv::Rect& a = rects[i];
                const cv::Rect& b = rects[j];
                const bool meet = a.x <= b.x + b.width && b.x <= a.x + a.width && a.y <= b.y + b.height && b.y <= a.y + a.height;
                if (!meet) continue;
                const cv::Rect box = a | b;
                const double together = static_cast<double>(a.area()) + b.area() - (a & b).area();
                if (box.area() > max_growth * together) continue;
                rects[i] = box;
                rects.erase(rects.begin() + static_cast<long>(j));
                merged = true;
            }
    }
}

}  // namespace ea
