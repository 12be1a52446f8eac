// JPEG through libjpeg-turbo (the library OpenCV's own JPEG codec wraps, with the same settings, so the
// bytes are the ones imencode gave) and PNG through libpng's simplified API.
#include "image_codecs.hpp"

#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <strings.h>

// jpeglib.h needs FILE and size_t declared before it.
#include <jpeglib.h>
#include <png.h>

#include <opencv2/core.hpp>

namespace {

// libjpeg reports a fatal error by calling error_exit, which by default ends the process. This one
// keeps the message and jumps back to the call that set `jump`; no C++ object is created between
// that setjmp and the libjpeg calls it guards, so the jump skips no destructor.
struct JpegErrors {
    jpeg_error_mgr manager;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

void on_jpeg_error(j_common_ptr info) {
    auto* errors = reinterpret_cast<JpegErrors*>(info->err);
    (*info->err->format_message)(info, errors->message);
    std::longjmp(errors->jump, 1);
}

void quiet(j_common_ptr) {}  // warnings (a corrupt but decodable stream) are not worth a line on stderr

void install(JpegErrors& errors, jpeg_error_mgr*& slot) {
    slot = jpeg_std_error(&errors.manager);
    errors.manager.error_exit = on_jpeg_error;
    errors.manager.output_message = quiet;
    errors.message[0] = '\0';
}

// The EXIF orientation (1-8) in a JPEG's APP1 marker, 1 when there is none or it cannot be read.
int exif_orientation(const jpeg_decompress_struct& d) {
    for (jpeg_saved_marker_ptr m = d.marker_list; m != nullptr; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length < 14 || std::memcmp(m->data, "Exif\0\0", 6) != 0) continue;
        const uint8_t* tiff = m->data + 6;
        const size_t size = m->data_length - 6;
        const bool little = tiff[0] == 'I';
        auto u16 = [&](size_t at) { return at + 2 > size ? 0u : little ? tiff[at] | tiff[at + 1] << 8 : tiff[at] << 8 | tiff[at + 1]; };
        auto u32 = [&](size_t at) {
            return at + 4 > size ? 0u : little ? u16(at) | u16(at + 2) << 16 : u16(at) << 16 | u16(at + 2);
        };
        const size_t ifd = u32(4);
        const unsigned entries = u16(ifd);
        for (unsigned i = 0; i < entries; i++) {
            const size_t entry = ifd + 2 + 12 * i;
            if (u16(entry) == 0x0112) {
                const unsigned value = u16(entry + 8);
                return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
            }
        }
    }
    return 1;
}

// As cv::imread turns a photo upright.
void apply_orientation(cv::Mat& image, int orientation) {
    switch (orientation) {
        case 2: cv::flip(image, image, 1); break;
        case 3: cv::flip(image, image, -1); break;
        case 4: cv::flip(image, image, 0); break;
        case 5: cv::transpose(image, image); break;
        case 6: cv::transpose(image, image); cv::flip(image, image, 1); break;
        case 7: cv::transpose(image, image); cv::flip(image, image, -1); break;
        case 8: cv::transpose(image, image); cv::flip(image, image, 0); break;
        default: break;
    }
}

bool decode_jpeg(const uint8_t* data, size_t length, bool gray, cv::Mat& out, std::string& error) {
    jpeg_decompress_struct d{};
    JpegErrors errors;
    install(errors, d.err);
    if (setjmp(errors.jump)) {
        jpeg_destroy_decompress(&d);
        error = errors.message;
        return false;
    }
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, data, static_cast<unsigned long>(length));
    jpeg_save_markers(&d, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&d, TRUE);
    d.out_color_space = gray ? JCS_GRAYSCALE : JCS_EXT_BGR;
    jpeg_start_decompress(&d);
    out.create(static_cast<int>(d.output_height), static_cast<int>(d.output_width), gray ? CV_8UC1 : CV_8UC3);
    while (d.output_scanline < d.output_height) {
        JSAMPROW row = out.ptr(static_cast<int>(d.output_scanline));
        jpeg_read_scanlines(&d, &row, 1);
    }
    const int orientation = exif_orientation(d);
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
    apply_orientation(out, orientation);
    return true;
}

bool decode_png(const uint8_t* data, size_t length, bool gray, cv::Mat& out, std::string& error) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, data, length)) {
        error = image.message;
        return false;
    }
    image.format = gray ? PNG_FORMAT_GRAY : PNG_FORMAT_BGR;
    out.create(static_cast<int>(image.height), static_cast<int>(image.width), gray ? CV_8UC1 : CV_8UC3);
    // An alpha channel is composited onto black, the colour cv::imread leaves under transparent pixels' RGB.
    if (!png_image_finish_read(&image, nullptr, out.data, static_cast<png_int_32>(out.step), nullptr)) {
        error = image.message;
        png_image_free(&image);
        return false;
    }
    return true;
}

bool ends_with(const std::string& s, const char* suffix) {  // ignoring case: AIM.PNG is a PNG
    const size_t n = std::strlen(suffix);
    return s.size() >= n && strncasecmp(s.c_str() + s.size() - n, suffix, n) == 0;
}

}  // namespace

namespace ea {

bool encode_jpeg(const cv::Mat& image, int quality, bool optimize, std::vector<uint8_t>& out, std::string& error) {
    if (image.depth() != CV_8U || (image.channels() != 1 && image.channels() != 3)) {
        error = "only 8-bit gray or BGR images can be encoded";
        return false;
    }
    jpeg_compress_struct c{};
    JpegErrors errors;
    install(errors, c.err);
    unsigned char* buffer = nullptr;  // grown by libjpeg with malloc; freed here
    unsigned long size = 0;
    if (setjmp(errors.jump)) {
        jpeg_destroy_compress(&c);
        std::free(buffer);
        error = errors.message;
        return false;
    }
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &buffer, &size);
    c.image_width = static_cast<JDIMENSION>(image.cols);
    c.image_height = static_cast<JDIMENSION>(image.rows);
    c.input_components = image.channels();
    c.in_color_space = image.channels() == 3 ? JCS_EXT_BGR : JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    c.optimize_coding = optimize ? TRUE : FALSE;
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = const_cast<JSAMPROW>(image.ptr(static_cast<int>(c.next_scanline)));
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    out.assign(buffer, buffer + size);
    std::free(buffer);
    return true;
}

bool decode_image(const uint8_t* data, size_t length, bool gray, cv::Mat& out, std::string& error) {
    static const uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (data != nullptr && length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        return decode_jpeg(data, length, gray, out, error);
    if (data != nullptr && length >= 8 && std::memcmp(data, kPngSignature, 8) == 0) return decode_png(data, length, gray, out, error);
    error = "not a JPEG or PNG image";
    return false;
}

bool writable_image_name(const std::string& path) {
    return ends_with(path, ".png") || ends_with(path, ".jpg") || ends_with(path, ".jpeg");
}

bool write_image(const std::string& path, const cv::Mat& bgr, std::string& error) {
    if (ends_with(path, ".png")) {
        png_image image{};
        image.version = PNG_IMAGE_VERSION;
        image.width = static_cast<png_uint_32>(bgr.cols);
        image.height = static_cast<png_uint_32>(bgr.rows);
        image.format = PNG_FORMAT_BGR;
        if (png_image_write_to_file(&image, path.c_str(), 0, bgr.data, static_cast<png_int_32>(bgr.step), nullptr)) return true;
        error = image.message;
        return false;
    }
    if (!writable_image_name(path)) {
        error = "use a .png or .jpg name";
        return false;
    }
    std::vector<uint8_t> bytes;
    if (!encode_jpeg(bgr, 90, false, bytes, error)) return false;
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) {
        error = std::strerror(errno);
        return false;
    }
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
    const bool closed = std::fclose(file) == 0;
    if (!written || !closed) error = "the write failed (disk full?)";
    return written && closed;
}

}  // namespace ea
