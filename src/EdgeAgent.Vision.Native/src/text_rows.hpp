// Internal to the bridge: the two ways the finder proposes where a plate's row of characters may be, on
// one search scale. Both return rotated rectangles around the characters (not the plate), upright.
//  - Edge lines: characters make dense vertical edges; closing them gives a blob per line of text.
//    Robust when characters blur into each other, weak when the plate touches other edges.
//  - Character rows: a local-mean threshold gives dark characters as blobs; blobs of similar height in
//    a line with character spacing form a row. Robust in clutter and for any plate colour or frame.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "ink_blobs.hpp"

namespace ea {

// An image buffer kept at the largest size it was asked for. The finder's regions change size every frame
// (the motion gate's windows); a cv::Mat re-created at each new size went back to the kernel and came
// back as fresh zeroed pages, about a tenth of the processing thread's time in page faults. OpenCV writes
// into the view it is given when the size and type match.
struct ScratchImage {
    cv::Mat backing, view;
    cv::Mat& fit(cv::Size size, int type) {
        const size_t bytes = static_cast<size_t>(size.area()) * CV_ELEM_SIZE(type);
        if (backing.total() < bytes) backing.create(1, static_cast<int>(bytes), CV_8UC1);
        if (view.data != backing.data || view.size() != size || view.type() != type) view = cv::Mat(size, type, backing.data);
        return view;
    }
};

struct TextRowScratch {
    ScratchImage gradient, edges, closed, mean, below_mean;
    BlobScratch components_scratch;
    std::vector<Blob> components;
    std::vector<std::vector<cv::Point>> contours;
    std::vector<cv::Rect> blobs;
    std::vector<int> next, chain;
    std::vector<cv::Point2f> centres;
};

// Text lines from vertical edges in small, for text heights from th (smallest) to th_hi, in pixels of small.
void edge_text_lines(const cv::Mat& small, float th, float th_hi, TextRowScratch& s, std::vector<cv::RotatedRect>& out);

// Rows of at least min_chars dark character blobs in small, for the same text heights.
void character_rows(const cv::Mat& small, float th, float th_hi, int min_chars, TextRowScratch& s,
                    std::vector<cv::RotatedRect>& out);

}  // namespace ea
