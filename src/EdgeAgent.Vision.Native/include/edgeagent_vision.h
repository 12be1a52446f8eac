/* EdgeAgent's OpenCV bridge: a thin C ABI over OpenCV 4.6.
 *
 * Conventions
 *  - Every call that can fail returns an int status: >= 0 success, < 0 an EA_E* code. The message of the
 *    last failure on the calling thread is ea_last_error(); the managed side turns both into one exception.
 *  - Images are caller-owned: the caller passes a pointer, width, height and stride (bytes per row).
 *    The bridge never keeps a caller pointer after the call returns.
 *  - Handles (ea_source, ea_finder, ...) are opaque and freed only by their *_close / *_free call.
 *  - Calls are coarse (one per stage per frame). Nothing here allocates per pixel or per call on the
 *    managed side; scratch memory lives in the handles and is reused frame after frame.
 */
#ifndef EDGEAGENT_VISION_H
#define EDGEAGENT_VISION_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EA_API __attribute__((visibility("default")))

enum ea_status {
    EA_OK = 0,
    EA_E_ARGUMENT = -1,   /* a null pointer, a bad size or stride */
    EA_E_OPEN = -2,       /* the source could not be opened */
    EA_E_READ = -3,       /* the source failed mid-stream (corrupt data, device gone) */
    EA_E_SIZE = -4,       /* the frame's size differs from the caller's buffer */
    EA_E_INTERNAL = -5,   /* an OpenCV exception; see ea_last_error() */
    EA_E_IO = -6,         /* a file could not be read or written */
};

/* The ABI version; the managed side refuses to run against a bridge it was not built for. */
EA_API int ea_abi_version(void);
/* The message of the last failure on this thread (UTF-8, owned by the bridge, valid until the next call). */
EA_API const char* ea_last_error(void);

/* OpenCV's worker threads for every later call in the process (0: OpenCV's default, one per core). The
 * agent runs each camera's loop on one thread of its own, so it asks for 1. */
EA_API int ea_set_threads(int32_t threads);

/* ---- Frame sources: a file, an RTSP/HTTP URL, or a V4L2 device ------------------------------------ */

typedef struct ea_source ea_source;

typedef struct ea_source_info {
    int32_t width;
    int32_t height;
    double fps;           /* 0 when the source does not say */
    int64_t frame_count;  /* -1 for live sources */
} ea_source_info;

/* uri: a file path, "rtsp://...", "http(s)://...", "/dev/videoN", "v4l2:N". */
EA_API int ea_source_open(const char* uri, ea_source** out);
EA_API int ea_source_info_get(const ea_source* source, ea_source_info* info);
/* Reads the next frame into the caller's BGR buffer and, when gray is not null, its 8-bit gray copy.
 * Returns 1 for a frame, 0 at the end of a file, < 0 on error. pts_ms gets the frame's timestamp. */
EA_API int ea_source_read(ea_source* source, uint8_t* bgr, int32_t bgr_stride, uint8_t* gray,
                          int32_t gray_stride, int32_t width, int32_t height, double* pts_ms);
EA_API void ea_source_close(ea_source* source);

/* ---- Still images (evaluation on photos) ----------------------------------------------------------- */

typedef struct ea_image ea_image;

/* Decodes a JPEG/PNG once and reports its size, so the caller can size its buffers. */
EA_API int ea_image_load(const char* path, ea_image** out, int32_t* width, int32_t* height);
/* Copies the decoded image into the caller's BGR buffer and, when gray is not null, its gray copy. */
EA_API int ea_image_copy(const ea_image* image, uint8_t* bgr, int32_t bgr_stride, uint8_t* gray,
                         int32_t gray_stride);
EA_API void ea_image_free(ea_image* image);

/* ---- Plate finding -------------------------------------------------------------------------------- */

typedef struct ea_finder ea_finder;

typedef struct ea_region {
    int32_t x, y, w, h;
} ea_region;

typedef struct ea_find_params {
    int32_t roi_x, roi_y, roi_w, roi_h;  /* the region of interest in frame pixels; w or h 0 = whole frame */
    int32_t min_plate_h, max_plate_h;    /* expected plate height range in frame pixels */
    float min_aspect, max_aspect;        /* plate width / height */
} ea_find_params;

/* A plate candidate: a rotated rectangle (centre, size, angle in degrees) and its axis-aligned bounds. */
typedef struct ea_plate_box {
    float cx, cy, w, h, angle;
    int32_t x, y, bw, bh;
    float score;          /* 0..1, how plate-like (edges, character blobs, contrast) */
    int32_t dark_on_light;/* 1 when characters are darker than the plate (white/yellow), 0 for inverted */
    int32_t char_count;   /* character-like blobs found inside */
} ea_plate_box;

EA_API int ea_finder_create(ea_finder** out);
/* Finds up to max_out candidates, best first. Returns how many were written. */
EA_API int ea_finder_find(ea_finder* finder, const uint8_t* gray, int32_t width, int32_t height,
                          int32_t stride, const ea_find_params* params, ea_plate_box* out, int32_t max_out);
/* The same search restricted to regions (frame pixels, clipped to params' region of interest): the motion
 * gate's rectangles. A plate is found when it lies whole inside one region. region_count 0 finds nothing. */
EA_API int ea_finder_find_in(ea_finder* finder, const uint8_t* gray, int32_t width, int32_t height, int32_t stride,
                             const ea_find_params* params, const ea_region* regions, int32_t region_count,
                             ea_plate_box* out, int32_t max_out);
EA_API void ea_finder_free(ea_finder* finder);
/* For tests: shrinks the image by scale (0 < scale < 1) with the finder's shrink (at a whole factor of 3
 * or more that divides the width and height, the motion gate's block shrink) and with OpenCV's cv::resize INTER_AREA,
 * and writes the largest difference of a pixel and how many pixels differ. */
EA_API int ea_shrink_compare(const uint8_t* gray, int32_t width, int32_t height, int32_t stride, double scale,
                             int32_t* max_difference, int64_t* differing);
/* For tests: the 8-connected components of the pixels above threshold as the finder finds them and as
 * cv::connectedComponentsWithStats does; writes how many each found and how many are the same (bounds
 * and pixel count) in the same place of both lists. */
EA_API int ea_blobs_compare(const uint8_t* gray, int32_t width, int32_t height, int32_t stride, int32_t threshold,
                            int32_t* ours, int32_t* opencv, int32_t* matching);

/* ---- Motion gate: where a frame is worth searching --------------------------------------------------- */

typedef struct ea_motion ea_motion;

typedef struct ea_motion_params {
    int32_t roi_x, roi_y, roi_w, roi_h;  /* the finder's region of interest; w or h 0 = whole frame */
    int32_t grow;                        /* pixels each changed area is grown by on every side (a plate's size) */
    float full_share;                    /* above this share of the region's tiles changed, search it all (so too
                                            above 80 % of it to search) */
} ea_motion_params;

typedef struct ea_motion_info {
    int32_t full;          /* 1: search the whole region (first frames, or most of the picture changed) */
    int32_t threshold;     /* the noise-adaptive difference threshold used, gray levels at 1/8 scale */
    int32_t active_tiles;  /* tiles (32x32 frame pixels) that changed, of total_tiles over the region */
    int32_t total_tiles;
} ea_motion_info;

EA_API int ea_motion_create(ea_motion** out);
/* Compares the frame with the one two frames back (gray at 1/8 scale) and keeps it. Writes the
 * rectangles to search (frame pixels): the changed tiles and the caller's keep rectangles (vehicles being
 * followed), grown by params->grow and merged where they meet. Returns how many were written; 0 with
 * info->full 0 means nothing to search; info->full 1 means search the whole region instead. */
EA_API int ea_motion_update(ea_motion* motion, const uint8_t* gray, int32_t width, int32_t height, int32_t stride,
                            const ea_motion_params* params, const ea_region* keep, int32_t keep_count, ea_region* out,
                            int32_t max_out, ea_motion_info* info);
EA_API void ea_motion_free(ea_motion* motion);

/* ---- Plate preparation for OCR -------------------------------------------------------------------- */

typedef struct ea_char_box {
    int32_t x, y, w, h;   /* in the normalised plate image */
} ea_char_box;

/* Deskews and crops a candidate into a normalised plate image out_h pixels high, dark characters on a
 * light ground (inverted plates are flipped), with a margin either side so an end character clipped by
 * the finder's box is still whole. The width follows the plate's aspect, capped at out_stride; it is
 * written to *out_w. Only the characters are drawn (bands, bolts, borders removed), and their boxes are
 * written left to right. Returns the number of character boxes written (0 when none were found). */
EA_API int ea_plate_prepare(ea_finder* finder, const uint8_t* gray, int32_t width, int32_t height,
                            int32_t stride, const ea_plate_box* box, uint8_t* out, int32_t out_stride,
                            int32_t out_h, int32_t* out_w, ea_char_box* chars, int32_t max_chars);

/* ---- Plate reading with the character classifier -------------------------------------------------- */

#define EA_CHAR_CLASSES 37     /* A-Z, 0-9, then "not a character" */
#define EA_CHAR_FEATURES 1086  /* what the classifiers see of one character: the MLP's 315 (HOG, pixel grid,
                                  shape), then the convolutional network's 771 (the 32 x 24 crop row by row,
                                  ink +1 and ground -1, and the shape again) */

typedef struct ea_reader ea_reader;

typedef struct ea_char_read {
    int32_t x, y, w, h;            /* the character's box in the reader's deskewed plate patch */
    float probs[EA_CHAR_CLASSES];  /* A-Z, 0-9, not a character; they sum to 1 */
} ea_char_read;

typedef struct ea_read_info {
    ea_plate_box plate;            /* the plate around the characters read, in frame coordinates */
    float score;                   /* mean probability of the best classes of the boxes that are characters */
    int32_t cuts;                  /* segmentations of the plate that were classified */
} ea_read_info;

/* Loads the character model (a .yml or .yml.gz written by ea_classifier_train) and the convolutional network
 * that goes with it (an ONNX file written by the trainer). network_path may be null for the MLP alone (the
 * trainer's sampling); model_path may be null for a reader that only cuts plates into samples (training);
 * reading then fails with EA_E_ARGUMENT. */
EA_API int ea_reader_create(const char* model_path, const char* network_path, ea_reader** out);
/* Deskews the candidate, cuts it into characters several ways, classifies every cut and keeps the one
 * read best. Every box of that cut is written, left to right, with its probabilities (the last class is
 * "not a character": bolts, emblems, frame edges), so that the grammar can leave such boxes out.
 * Returns how many were written; info->plate.char_count counts those more likely characters. */
EA_API int ea_plate_read(ea_reader* reader, const uint8_t* gray, int32_t width, int32_t height, int32_t stride,
                         const ea_plate_box* box, ea_read_info* info, ea_char_read* chars, int32_t max_chars);
EA_API void ea_reader_free(ea_reader* reader);

/* ---- Training the classifier (tools/EdgeAgent.CharTrainer) ----------------------------------------- */

typedef struct ea_char_sample {
    int32_t cut;                          /* which segmentation of the plate the box belongs to */
    int32_t dark_on_light;                /* the polarity that cut assumed: 1 dark characters on a light plate */
    int32_t x, y, w, h;                   /* the box in that cut's deskewed patch */
    float frame_x, frame_y;               /* the box's centre in the image, for aligning with known characters */
    float frame_h;                        /* the box's height in image pixels */
    float features[EA_CHAR_FEATURES];
    float probs[EA_CHAR_CLASSES];         /* the loaded model's opinion; all 0 without a model */
} ea_char_sample;

/* Every segmentation of a candidate with each character's features, cut by cut, so that a trainer can
 * align them with the label. Returns how many samples were written. */
EA_API int ea_plate_samples(ea_reader* reader, const uint8_t* gray, int32_t width, int32_t height, int32_t stride,
                            const ea_plate_box* box, ea_char_sample* out, int32_t max_out);
/* Trains the MLP on the first 315 of count feature rows of EA_CHAR_FEATURES, with labels 0..EA_CHAR_CLASSES-1,
 * and writes it to path (gzip when it ends in .gz; the convolutional network is trained by the trainer's
 * train_net.py). Deterministic: the same samples give the same network (seed, kept for this ABI,
 * changes nothing: OpenCV's network draws from a generator of its own). holdout_accuracy gets the
 * accuracy on every tenth sample, which is held back from training. */
EA_API int ea_classifier_train(const float* features, const int32_t* labels, int32_t count, int32_t hidden,
                               int32_t iterations, uint64_t seed, const char* path, double* holdout_accuracy);

typedef struct ea_degrade_params {
    float blur_sigma;        /* Gaussian blur, pixels (0 none) */
    float motion_length;     /* motion blur length, pixels (0 none) */
    float motion_angle;      /* degrees */
    float contrast;          /* gain around the mean (1 unchanged) */
    float brightness;        /* offset, gray levels */
    float gamma;             /* 1 unchanged */
    float noise_sigma;       /* Gaussian noise, gray levels */
    int32_t jpeg_quality;    /* 0 none, else a JPEG round trip at this quality */
    uint64_t seed;           /* the noise */
} ea_degrade_params;

/* Degrades a gray image in place, as camera and weather do (training data, tests). */
EA_API int ea_image_degrade(uint8_t* gray, int32_t width, int32_t height, int32_t stride, const ea_degrade_params* params);

#ifdef __cplusplus
}
#endif

#endif
