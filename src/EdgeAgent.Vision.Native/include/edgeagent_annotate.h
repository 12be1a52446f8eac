/* EdgeAgent's OpenCV bridge: drawing on a frame and writing it as an image, for `edgeagent snapshot` (the
 * field engineer's aim check). Same conventions as edgeagent_vision.h: int status, caller-owned images,
 * ea_last_error() after a failure. One call draws every shape, so the ABI is crossed twice per snapshot. */
#ifndef EDGEAGENT_ANNOTATE_H
#define EDGEAGENT_ANNOTATE_H

#include "edgeagent_vision.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ea_point {
    int32_t x, y;
} ea_point;

enum ea_shape_kind {
    EA_SHAPE_RECT = 1,     /* two points: top-left and bottom-right (inclusive) */
    EA_SHAPE_POLYGON = 2,  /* point_count >= 3, closed */
    EA_SHAPE_LINE = 3,     /* two points */
};

typedef struct ea_shape {
    int32_t kind;          /* an ea_shape_kind */
    int32_t first_point;   /* index of the shape's first point in the points array */
    int32_t point_count;
    uint8_t b, g, r;       /* colour */
    uint8_t fill_alpha;    /* 0: outline only; 1..255: filled over the picture with this opacity */
    int32_t thickness;     /* outline width in pixels (1..32) */
    const char* label;     /* UTF-8 (ASCII drawn), may be null: written beside the shape's first point */
} ea_shape;

/* Draws the shapes, in order, on the caller's BGR image. */
EA_API int ea_annotate(uint8_t* bgr, int32_t width, int32_t height, int32_t stride, const ea_point* points,
                       int32_t point_count, const ea_shape* shapes, int32_t shape_count);

/* Writes a BGR image to path; the format follows the extension (.png, .jpg/.jpeg). */
EA_API int ea_image_write(const uint8_t* bgr, int32_t width, int32_t height, int32_t stride, const char* path);

#ifdef __cplusplus
}
#endif

#endif
