// Reading a candidate with the character classifier. The candidate is deskewed into a patch, cut into
// rows of character boxes by several binarisations (plate_geometry), every box of every cut is
// classified, and the cut that reads best is kept: recognition decides the segmentation, not the
// other way round. A second pass re-deskews along the row the first pass found (the finder's box is
// only a guess at the plate) and keeps whichever pass read better.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "bridge_common.hpp"
#include "char_classifier.hpp"
#include "plate_geometry.hpp"
#include "plate_outline.hpp"
#include "reader_state.hpp"

namespace ea {

namespace {

constexpr float kMarginX = 0.3f, kMarginY = 0.1f;
constexpr float kTextToPlateHeight = 0.72f;
constexpr float kPlausible = 0.8f;  // a cut scoring less (not one sure character) is no plate: no second pass
// A cut scoring less (about four sure characters, fewer than a plate has) is cut again at its band edges
// (band_edge_pass). Held out, both seeds' fold models (s2 / i), exact of 165: 138 / 137 without, 141 / 138
// under 3 and 4, 141 / 137 under 5, 140 / 136 under 6 (a Slovak plate and a first A lost); cut again at
// every row cut in both polarities instead, under 4: 142 / 138 at about twice the cost.
constexpr float kWeak = 4.0f;

}  // namespace

void warp_candidate(ea_reader& r, const cv::Mat& image, const cv::RotatedRect& plate) {
    const float grown_w = plate.size.width + 2 * kMarginX * plate.size.height;
    const float grown_h = plate.size.height * (1 + 2 * kMarginY);
    const int w = std::clamp(static_cast<int>(std::lround(kReadPatchHeight * grown_w / std::max(1.0f, grown_h))), 16, kReadPatchMaxWidth);
    r.patch.create(kReadPatchHeight, w, CV_8UC1);
    warp_plate(image, plate, kMarginX, kMarginY, r.patch, &r.transform);
    cv::bitwise_not(r.patch, r.inverted);
}

void describe_box(ea_reader& r, const RowHypothesis& h, const cv::Rect& box, float* out) {
    normalize_char(h.binarisation.dark_on_light ? r.patch : r.inverted, box, r.crop);
    RowShape shape;
    shape.height = h.height;
    shape.center_y = h.intercept + h.slope * (box.x + box.width / 2.0f);
    r.features.compute(r.crop, box, shape, out);
}

int describe_cuts(ea_reader& r) {
    int rows = 0;
    for (const RowHypothesis& h : r.cuts) rows += static_cast<int>(h.boxes.size());
    r.feature_rows.create(std::max(1, rows), kCharFeatures, CV_32F);
    int row = 0;
    for (const RowHypothesis& h : r.cuts)
        for (const cv::Rect& box : h.boxes) describe_box(r, h, box, r.feature_rows.ptr<float>(row++));
    return rows;
}

namespace {

int best_class(const float* p, bool characters_only) {
    int best = 0;
    const int n = characters_only ? kNoiseClass : kCharClasses;
    for (int k = 1; k < n; k++)
        if (p[k] > p[best]) best = k;
    return best;
}

// How well a cut reads: each box classified as a character adds its probability; a box taken for noise
// between characters costs a little (a character cut badly), one beyond the characters nothing (a bolt,
// a sticker). A cut that finds every character confidently scores about its length.
float cut_score(const cv::Mat& probs, int first, int count) {
    int first_char = count, last_char = -1;
    for (int i = 0; i < count; i++) {
        if (best_class(probs.ptr<float>(first + i), false) == kNoiseClass) continue;
        first_char = std::min(first_char, i);
        last_char = i;
    }
    float score = 0;
    for (int i = 0; i < count; i++) {
        const float* p = probs.ptr<float>(first + i);
        const int best = best_class(p, false);
        if (best != kNoiseClass) score += p[best];
        else if (i > first_char && i < last_char) score -= 0.3f * p[kNoiseClass];
    }
    return score;
}

struct Choice {
    int cut = -1;
    int first = 0;
    float score = -1e9f;
};

Choice choose_cut(const ea_reader& r) {
    Choice best;
    int first = 0;
    for (size_t c = 0; c < r.cuts.size(); c++) {
        const int n = static_cast<int>(r.cuts[c].boxes.size());
        const float score = cut_score(r.probs, first, n);
        if (score > best.score) best = {static_cast<int>(c), first, score};
        first += n;
    }
    return best;
}

}  // namespace

// The row of the chosen cut, mapped back to the frame and grown to the plate around it, with room for
// characters at either end that the cut missed: clipped by the first box, joined to a frame, or beyond an
// emblem the finder took for the plate's end (a Slovak plate's coat of arms after its district letters).
// 1.5 row heights a side is two characters' room; held-out plates-dev read 105 / 109 / 107 of 165 exactly
// with 1, 1.5 and 2 row heights a side (two-fold, CharTrainer --folds 2).
cv::RotatedRect plate_of_row(const ea_reader& r, const RowHypothesis& h) {
    const cv::RotatedRect row = row_in_frame(h, r.transform);
    const float plate_h = row.size.height / kTextToPlateHeight;
    return cv::RotatedRect(row.center, cv::Size2f(row.size.width + 3.0f * row.size.height, plate_h), row.angle);
}

namespace {

// The chosen cut's doubtful boxes (best class under kSure) are classified again grown by one and by two
// pixels a side (in a 64-pixel patch), and their probabilities become the mean of the three: where a box's
// edges fall changes how a character fills its normalised crop, and a real photo's boxes fall where the
// rendered plates' never did. Held-out plates-dev (two folds) 111 -> 115 of 165 exact; other sets of
// variants measured 112-115 (see README). Sure boxes change nothing (the same 115) and cost nothing: 0.34
// CPU ms an image on plates-dev, against 1.0 with every box. Only the chosen cut: the others are only compared.
constexpr int kGrowths[] = {1, 2};
constexpr float kSure = 0.95f;  // a box whose best class is this likely is left as it is

void refine_chosen(ea_reader& r, const RowHypothesis& h, const std::vector<cv::Rect>& boxes, cv::Mat& probs) {
    const int n = static_cast<int>(boxes.size());
    constexpr int variants = static_cast<int>(std::size(kGrowths));
    const cv::Rect bounds(0, 0, r.patch.cols, r.patch.rows);
    r.doubtful.clear();
    for (int i = 0; i < n; i++) {
        const float* p = probs.ptr<float>(i);
        if (*std::max_element(p, p + kCharClasses) < kSure) r.doubtful.push_back(i);
    }
    const int m = static_cast<int>(r.doubtful.size());
    if (m == 0) return;
    r.variant_rows.create(m * variants, kCharFeatures, CV_32F);
    int row = 0;
    for (const int g : kGrowths) {
        for (const int i : r.doubtful) {
            const cv::Rect& b = boxes[static_cast<size_t>(i)];
            const cv::Rect box = cv::Rect(b.x - g, b.y - g, b.width + 2 * g, b.height + 2 * g) & bounds;
            describe_box(r, h, box, r.variant_rows.ptr<float>(row++));
        }
    }
    r.classifier.predict(r.variant_rows, r.variant_probs);
    for (int j = 0; j < m; j++) {
        float* p = probs.ptr<float>(r.doubtful[static_cast<size_t>(j)]);
        for (int k = 0; k < kCharClasses; k++) {
            float sum = p[k];
            for (int v = 0; v < variants; v++) sum += r.variant_probs.ptr<float>(v * m + j)[k];
            p[k] = sum / (variants + 1);
        }
    }
}

// The convolutional network's opinion of the chosen cut's boxes, averaged into their probabilities (the
// MLP's alone: the cuts are compared by the MLP, a fifth of the cost). The repairs that follow classify
// with both. Held-out fold 0: 70 of 85 exact this way, 69 with both networks comparing the cuts too, 66
// with the MLP alone; 37.0 against 46.4 ms an image (plates-dev, load 2).
void network_opinion(ea_reader& r, const RowHypothesis& h, const std::vector<cv::Rect>& boxes, cv::Mat& probs) {
    const int n = static_cast<int>(boxes.size());
    if (n == 0 || !r.classifier.has_network()) return;
    r.variant_rows.create(n, kCharFeatures, CV_32F);
    for (int i = 0; i < n; i++) describe_box(r, h, boxes[static_cast<size_t>(i)], r.variant_rows.ptr<float>(i));
    r.classifier.add_network_opinion(r.variant_rows, probs);
}

// Cuts the current patch, classifies and chooses. False when nothing reads.
bool cut_pass(ea_reader& r, int polarity, Choice& choice, RowCuts row_cuts) {
    segment_hypotheses(r.patch, r.seg, r.cuts, 2, kBinarisationMethods, polarity, row_cuts);
    if (r.cuts.empty()) return false;
    describe_cuts(r);
    r.classifier.predict(r.feature_rows, r.probs, /*with_network=*/false);
    choice = choose_cut(r);
    return choice.cut >= 0 && choice.score > 0;
}

// One pass over a plate rectangle: warp, cut, classify, choose. False when nothing reads.
bool read_pass(ea_reader& r, const cv::Mat& image, const cv::RotatedRect& plate, int polarity, Choice& choice,
               RowCuts row_cuts = RowCuts::plain) {
    warp_candidate(r, image, plate);
    return cut_pass(r, polarity, choice, row_cuts);
}

// A weak read (a few characters) cut again at its band edges, in its polarity, on the same patch: a frame's band
// or side joined to some characters hides them. The better of the two stays; true when the band edges' does.
bool band_edge_pass(ea_reader& r, Choice& choice) {
    const int polarity = r.cuts[static_cast<size_t>(choice.cut)].binarisation.dark_on_light ? 1 : 0;
    std::swap(r.cuts, r.kept_cuts);
    r.probs.copyTo(r.kept_probs);
    Choice band;
    if (cut_pass(r, polarity, band, RowCuts::band_edges) && band.score > choice.score) {
        choice = band;
        return true;
    }
    std::swap(r.cuts, r.kept_cuts);
    r.kept_probs.copyTo(r.probs);
    return false;
}

void write_box(const cv::RotatedRect& plate, int width, int height, ea_plate_box& b) {
    write_plate_box(plate, plate.boundingRect() & cv::Rect(0, 0, width, height), b);
}

}  // namespace

}  // namespace ea

extern "C" {

EA_API int ea_reader_create(const char* model_path, const char* network_path, ea_reader** out) {
    return ea::guarded("ea_reader_create", [&]() -> int {
        if (out == nullptr) return ea::fail(EA_E_ARGUMENT, "ea_reader_create: null argument");
        *out = nullptr;
        auto reader = std::make_unique<ea_reader>();
        std::string error;
        if (model_path != nullptr && !reader->classifier.load(model_path, network_path != nullptr ? network_path : "", error))
            return ea::fail(EA_E_IO, error);
        *out = reader.release();
        return EA_OK;
    });
}

EA_API int ea_plate_read(ea_reader* reader, const uint8_t* gray, int32_t width, int32_t height, int32_t stride,
                         const ea_plate_box* box, ea_read_info* info, ea_char_read* chars, int32_t max_chars) {
    return ea::guarded("ea_plate_read", [&]() -> int {
        if (reader == nullptr || box == nullptr || info == nullptr || chars == nullptr || max_chars < 0 ||
            !ea::valid_image(gray, width, height, stride, 1))
            return ea::fail(EA_E_ARGUMENT, "ea_plate_read: bad reader, image, box or output");
        if (!reader->classifier.loaded()) return ea::fail(EA_E_ARGUMENT, "ea_plate_read: the reader has no character model");
        ea_reader& r = *reader;
        const cv::Mat image(height, width, CV_8UC1, const_cast<uint8_t*>(gray), static_cast<size_t>(stride));
        *info = ea_read_info{};
        info->plate = *box;

        const cv::RotatedRect given(cv::Point2f(box->cx, box->cy), cv::Size2f(box->w, box->h), box->angle);
        // The finder's polarity first; the other only when that reads nothing like a plate.
        ea::Choice first;
        const int polarity = box->dark_on_light != 0 ? 1 : 0;
        bool read = ea::read_pass(r, image, given, polarity, first);
        if (!read || first.score < ea::kPlausible) read = ea::read_pass(r, image, given, -1, first);
        // Still nothing, or a few characters: characters joined to text on the plate's frame above or below
        // them (a dealer's name) or to the frame itself make blobs too tall to be characters; cut that off at
        // its thinnest joint or at the band's edge and retry (the plain cuts compete again).
        ea::RowCuts row_cuts = ea::RowCuts::plain;
        if (!read || first.score < ea::kPlausible) {
            read = ea::read_pass(r, image, given, -1, first, ea::RowCuts::all);
            row_cuts = ea::RowCuts::all;
        } else if (first.score < ea::kWeak && ea::band_edge_pass(r, first)) {
            row_cuts = ea::RowCuts::all;
        }
        if (!read || first.score < ea::kPlausible) return 0;
        info->cuts = static_cast<int32_t>(r.cuts.size());
        // Second pass along the row found: the characters fill the patch as they should, deskewed, with
        // room for a character the first box clipped. Whichever pass reads better is kept.
        const cv::RotatedRect row_plate = ea::plate_of_row(r, r.cuts[static_cast<size_t>(first.cut)]);
        const int found_polarity = r.cuts[static_cast<size_t>(first.cut)].binarisation.dark_on_light ? 1 : 0;
        std::swap(r.cuts, r.kept_cuts);
        r.probs.copyTo(r.kept_probs);
        r.transform.copyTo(r.kept_transform);
        cv::swap(r.patch, r.kept_patch);
        cv::swap(r.inverted, r.kept_inverted);
        ea::Choice second;
        const bool refined = ea::read_pass(r, image, row_plate, found_polarity, second, row_cuts) && second.score >= first.score;
        if (!refined) {  // back to the first pass's cuts, probabilities and geometry
            std::swap(r.cuts, r.kept_cuts);
            r.kept_probs.copyTo(r.probs);
            r.kept_transform.copyTo(r.transform);
            cv::swap(r.patch, r.kept_patch);
            cv::swap(r.inverted, r.kept_inverted);
        }
        const ea::Choice& choice = refined ? second : first;
        info->cuts += refined ? static_cast<int32_t>(r.cuts.size()) : 0;
        const ea::RowHypothesis& cut = r.cuts[static_cast<size_t>(choice.cut)];
        r.chosen_boxes = cut.boxes;
        r.probs.rowRange(choice.first, choice.first + static_cast<int>(cut.boxes.size())).copyTo(r.chosen_probs);
        ea::network_opinion(r, cut, r.chosen_boxes, r.chosen_probs);
        ea::clip_tall_boxes(r, cut, r.chosen_boxes, r.chosen_probs);
        ea::join_split_pairs(r, cut, r.chosen_boxes, r.chosen_probs);
        ea::fill_row_holes(r, cut, r.chosen_boxes, r.chosen_probs);
        ea::refine_chosen(r, cut, r.chosen_boxes, r.chosen_probs);

        int written = 0, characters = 0;
        float sum = 0;
        for (size_t i = 0; i < r.chosen_boxes.size() && written < max_chars; i++) {
            const float* p = r.chosen_probs.ptr<float>(static_cast<int>(i));
            ea_char_read& c = chars[written++];
            const cv::Rect& b = r.chosen_boxes[i];
            c.x = b.x;
            c.y = b.y;
            c.w = b.width;
            c.h = b.height;
            std::copy_n(p, EA_CHAR_CLASSES, c.probs);
            if (ea::best_class(p, false) == ea::kNoiseClass) continue;
            sum += p[ea::best_class(p, true)];
            characters++;
        }
        ea::write_box(ea::plate_of_row(r, cut), width, height, info->plate);
        info->plate.score = box->score;
        info->plate.dark_on_light = cut.binarisation.dark_on_light ? 1 : 0;
        info->plate.char_count = characters;
        info->score = characters > 0 ? sum / static_cast<float>(characters) : 0.0f;
        return written;
    });
}

EA_API void ea_reader_free(ea_reader* reader) { delete reader; }

}
