// Internal to the bridge: the character-row proposer's connected components. The same components as
// cv::connectedComponentsWithStats (8-connected) on a thresholded image, with their bounds and pixel
// counts, found from runs of ink instead of a label per pixel.
//
// Why not OpenCV's: the proposer labels two thresholds of the local-mean difference at every search
// scale, and OpenCV thresholds into a binary image, writes a 32-bit label for every pixel and computes
// centroids the proposer does not use; that was about a third of the agent's CPU. Ink is a small share
// of the picture: here each row becomes a bit a pixel (16 compares at once), its runs of ink are read
// off where the bits change, runs that touch (the eight neighbours) are joined with a union-find, and
// only the runs are visited again.
#pragma once

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace ea {

struct Blob {
    int x, y, width, height, area;
};

struct BlobScratch {
    struct Run {
        int x0, x1;  // [x0, x1) on its row
        int parent;  // union-find: the run it joins, itself for a component's first run
    };
    std::vector<Run> runs;
    std::vector<int> row_start;  // runs of row y are [row_start[y], row_start[y + 1])
    std::vector<int> component;  // per first run: its blob's index in out
    std::vector<uint64_t> ink;   // one row's ink, a bit a pixel
    std::vector<long> first_block;  // per blob: its first 2x2 block in OpenCV's scan order
    std::vector<int> order;
    std::vector<Blob> sorted;
};

// The 8-connected components of the pixels of image (CV_8UC1) above threshold, each with its bounds and
// pixel count, in the order cv::connectedComponentsWithStats numbers them (8-connected, one thread).
void blobs_above(const cv::Mat& image, int threshold, BlobScratch& s, std::vector<Blob>& out);

}  // namespace ea
