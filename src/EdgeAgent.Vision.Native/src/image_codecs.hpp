// JPEG and PNG through libjpeg-turbo and libpng directly, not OpenCV's imgcodecs: Debian's imgcodecs links
// GDAL, GDCM, Poppler and more, about 30 MB of resident memory in every agent for two formats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace ea {

// Encodes an 8-bit BGR (CV_8UC3) or gray (CV_8UC1) image; `optimize` computes optimal Huffman tables
// (a few per cent smaller, a little slower). False when libjpeg refuses (the message is in `error`).
bool encode_jpeg(const cv::Mat& image, int quality, bool optimize, std::vector<uint8_t>& out, std::string& error);

// Decodes a JPEG or PNG held in memory into BGR (`gray` false) or gray; a JPEG's EXIF orientation is
// applied, as cv::imread does. False for anything else, truncated or corrupt data.
bool decode_image(const uint8_t* data, size_t length, bool gray, cv::Mat& out, std::string& error);

// True for the names write_image can write: .png, .jpg and .jpeg, in any case.
bool writable_image_name(const std::string& path);

// Writes BGR as PNG (compression 0-9) or JPEG, by the file name's extension (.png, .jpg, .jpeg).
bool write_image(const std::string& path, const cv::Mat& bgr, std::string& error);

}  // namespace ea
