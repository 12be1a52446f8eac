/* EdgeAgent's OpenCV bridge, privacy part: evidence capture, redaction and size-capped JPEG.
 *
 * Same conventions as edgeagent_vision.h (int status, ea_last_error(), caller-owned images, opaque
 * handles freed only by their *_free call). Redaction is slow (cascades, HOG) and runs only on images
 * that will be kept, off the frame loop; capture is cheap and runs on the frame loop when a vehicle's
 * best read improves.
 */
#ifndef EDGEAGENT_REDACT_H
#define EDGEAGENT_REDACT_H

#include <stdint.h>

#include "edgeagent_vision.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this part of the ABI; the managed side checks it before the first call. */
EA_API int ea_redact_abi_version(void);

/* ---- Evidence capture (frame loop) ---------------------------------------------------------------- */

/* Copies the crop rectangle of a BGR frame into crop_out (BGR, stride crop_max_w*3), shrunk to fit
 * crop_max_w x crop_max_h when larger (aspect kept), and the whole frame shrunk to ov_w x ov_h into
 * overview_out (BGR, stride ov_w*3). The crop is clipped to the frame; its size is written out. */
EA_API int ea_evidence_capture(const uint8_t* bgr, int32_t width, int32_t height, int32_t stride,
                               int32_t crop_x, int32_t crop_y, int32_t crop_w, int32_t crop_h,
                               uint8_t* crop_out, int32_t crop_max_w, int32_t crop_max_h,
                               int32_t* crop_out_w, int32_t* crop_out_h,
                               uint8_t* overview_out, int32_t ov_w, int32_t ov_h);

/* ---- Redaction ------------------------------------------------------------------------------------ */

typedef struct ea_redactor ea_redactor;

typedef struct ea_redact_config {
    const char* frontal_face;   /* Haar cascade file (opencv-data), required */
    const char* profile_face;   /* Haar cascade file; run on the image and its mirror; null = off */
    const char* full_body;      /* Haar cascade file; null = off */
    int32_t hog_people;         /* 1: also OpenCV's HOG people detector (Dalal-Triggs, 64x128 window) */
} ea_redact_config;

typedef struct ea_redact_params {
    /* Where the image sits in the frame, for the privacy masks (given in frame pixels):
     * image x = (frame x - origin_x) * scale, likewise y. */
    float origin_x, origin_y, scale;
    int32_t min_face;           /* smallest face searched, image pixels (>= 12) */
    int32_t min_person_h;       /* smallest person searched, image pixels (>= 28) */
    float face_margin;          /* each face box grows by this share of its size on every side */
    float person_margin;        /* likewise for people */
    float pyramid_step;         /* scale step of the detectors' image pyramids (> 1.01; 1.1 finds more, 1.2 is faster) */
    int32_t detect;             /* 0: masks only (e.g. a plate crop too small to hold a face) */
    uint8_t fill_b, fill_g, fill_r, reserved;
    /* A rectangle (image pixels) that detections never fill: the plate the image is evidence of, where no
     * face or person can be (a false detection there would make the evidence useless). w = 0: none.
     * Privacy masks are filled there all the same. */
    int32_t keep_x, keep_y, keep_w, keep_h;
} ea_redact_params;

typedef struct ea_rect {
    int32_t x, y, w, h;
    int32_t kind;               /* 1 frontal face, 2 profile face, 3 full body (cascade), 4 person (HOG), 5 mask */
} ea_rect;

typedef struct ea_redact_result {
    int32_t faces;              /* frontal and profile */
    int32_t people;             /* full-body cascade and HOG */
    int32_t masks;              /* mask polygons that touched the image */
    int32_t boxes_written;      /* how many ea_rect were written to found (at most max_found) */
    int64_t pixels_filled;      /* pixels set to the fill colour */
} ea_redact_result;

EA_API int ea_redactor_create(const ea_redact_config* config, ea_redactor** out);

/* Detects faces and people in the BGR image and fills them solid, together with the privacy-mask
 * polygons: mask_points holds x,y pairs in frame pixels, polygon after polygon, mask_counts the number of
 * points of each of the mask_polys polygons. found (optional) receives the filled boxes. */
EA_API int ea_redactor_redact(ea_redactor* redactor, uint8_t* bgr, int32_t width, int32_t height, int32_t stride,
                              const ea_redact_params* params, const float* mask_points, const int32_t* mask_counts,
                              int32_t mask_polys, ea_rect* found, int32_t max_found, ea_redact_result* result);

EA_API void ea_redactor_free(ea_redactor* redactor);

/* ---- JPEG under a size cap ------------------------------------------------------------------------ */

/* Encodes the BGR image as JPEG no larger than max_bytes: the highest quality (<= max_quality) that fits,
 * and when even min_quality does not fit, the image is shrunk step by step (down to min_width). gray = 1
 * encodes one channel (IR pictures). Writes the JPEG into out; returns EA_E_SIZE when it cannot fit. */
EA_API int ea_jpeg_encode_capped(const uint8_t* bgr, int32_t width, int32_t height, int32_t stride, int32_t gray,
                                 int32_t max_bytes, int32_t min_quality, int32_t max_quality, int32_t min_width,
                                 uint8_t* out, int32_t out_capacity, int32_t* out_len,
                                 int32_t* quality_used, int32_t* out_w, int32_t* out_h);

/* Decodes a JPEG/PNG from memory into a BGR buffer of the caller (tests and the evidence viewer).
 * With bgr null, only writes the size. */
EA_API int ea_image_decode(const uint8_t* data, int32_t length, uint8_t* bgr, int32_t stride, int32_t* width, int32_t* height);

#ifdef __cplusplus
}
#endif

#endif
